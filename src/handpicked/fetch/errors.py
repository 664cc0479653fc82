"""Fetch errors, each carrying what a scheduler needs to decide whether and when to try again."""

from __future__ import annotations

from typing import Any, Self, TypeVar

from handpicked.errors import HandpickedError

__all__ = [
    "FetchError",
    "FetchTimeout",
    "ResponseTooLarge",
    "RobotsDisallowed",
    "UnsafeAddressError",
]


class FetchError(HandpickedError):
    """A URL could not be fetched; ``reason`` is one sentence for users, saying what to do.

    ``retryable`` is true for failures that may pass (timeouts, 5xx, 429, dropped connections);
    ``retry_after`` is the server's requested wait in seconds, when it gave one; ``attempts`` is
    how many tries were made before giving up.
    """

    def __init__(
        self,
        reason: str,
        *,
        retryable: bool = False,
        retry_after: float | None = None,
        status: int | None = None,
        url: str | None = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after
        self.status = status
        self.url = url
        self.attempts = attempts

    def __str__(self) -> str:
        return self.reason

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep the attributes when the error crosses a process boundary (dask workers).
        return (_rebuild, (type(self), self.reason, self._fields()))

    def _fields(self) -> dict[str, Any]:
        return {
            "retryable": self.retryable,
            "retry_after": self.retry_after,
            "status": self.status,
            "url": self.url,
            "attempts": self.attempts,
        }

    def after_tries(self, attempts: int) -> Self:
        """The same error, saying how many tries were made (raised once retrying gives up)."""
        fields = self._fields() | {"attempts": attempts}
        return _rebuild(type(self), f"{self.reason} (gave up after {attempts} tries)", fields)


_E = TypeVar("_E", bound=FetchError)


def _rebuild(cls: type[_E], reason: str, fields: dict[str, Any]) -> _E:
    error = cls.__new__(cls)
    FetchError.__init__(error, reason, **fields)
    return error


class UnsafeAddressError(FetchError):
    """The URL was refused by the network-safety rules (scheme, private or metadata address)."""


class RobotsDisallowed(FetchError):
    """The site's robots.txt asks crawlers like handpicked not to fetch the URL."""


class FetchTimeout(FetchError):
    """The server did not send the whole response (headers and body) within the deadline."""


class ResponseTooLarge(FetchError):
    """The response, or its decompressed body, is over the size limit."""
