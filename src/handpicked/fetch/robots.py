"""robots.txt: ask each site once a day what it lets crawlers fetch, and how slowly.

Rules are parsed by :mod:`urllib.robotparser` (first matching rule wins, as it implements) and
cached per origin. A missing robots.txt (any 4xx) allows everything for a day, as RFC 9309 says.
One that cannot be read (5xx, timeout, dropped connection) also allows everything, since feeds
should not stop because a robots.txt is broken, but is asked for again only after an hour, so a
struggling site is not hammered. Refusals by the safety rules are not swallowed: they are the
answer for the page too.
"""

from __future__ import annotations

import asyncio
import time
import urllib.robotparser
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from handpicked.fetch.errors import FetchError, RobotsDisallowed, UnsafeAddressError

__all__ = [
    "FAILURE_TTL",
    "MAX_ROBOTS_BYTES",
    "ROBOTS_TTL",
    "RobotsCache",
    "RobotsFetch",
    "RobotsRules",
    "robots_url",
]

ROBOTS_TTL = 24 * 3600.0
FAILURE_TTL = 3600.0
MAX_ROBOTS_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB

RobotsFetch = Callable[[str], Awaitable[bytes]]
"""Fetches a robots.txt URL to its body, raising :class:`FetchError` as the fetcher does."""


def robots_url(url: str | httpx.URL) -> str:
    """The robots.txt that governs ``url`` (one per scheme, host and port)."""
    parsed = httpx.URL(url)
    return str(
        httpx.URL(scheme=parsed.scheme, host=parsed.host, port=parsed.port, path="/robots.txt")
    )


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """One site's rules; ``parser`` None allows everything with no delay."""

    parser: urllib.robotparser.RobotFileParser | None = None

    @classmethod
    def parse(cls, body: bytes) -> RobotsRules:
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(body.decode("utf-8", errors="replace").splitlines())
        return cls(parser)

    def allows(self, url: str, user_agent: str) -> bool:
        return self.parser is None or self.parser.can_fetch(user_agent, url)

    def delay(self, user_agent: str) -> float | None:
        """Seconds to leave between requests, from ``Crawl-delay`` or ``Request-rate``."""
        if self.parser is None:
            return None
        delays: list[float] = []
        if (crawl_delay := self.parser.crawl_delay(user_agent)) is not None:
            delays.append(float(crawl_delay))
        if (rate := self.parser.request_rate(user_agent)) is not None and rate.requests > 0:
            delays.append(rate.seconds / rate.requests)
        return max(delays, default=None)


class RobotsCache:
    """Rules per origin, each fetched at most once per TTL even when many tasks ask at once."""

    def __init__(
        self,
        *,
        ttl: float = ROBOTS_TTL,
        failure_ttl: float = FAILURE_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._failure_ttl = failure_ttl
        self._clock = clock
        self._rules: dict[str, tuple[RobotsRules, float]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules(self, url: str | httpx.URL, fetch: RobotsFetch) -> RobotsRules:
        """The rules for ``url``'s site, fetching its robots.txt with ``fetch`` when needed."""
        key = robots_url(url)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            cached = self._rules.get(key)
            if cached is not None and cached[1] > self._clock():
                return cached[0]
            rules, ttl = await self._load(key, fetch)
            self._rules[key] = (rules, self._clock() + ttl)
            return rules

    async def _load(self, key: str, fetch: RobotsFetch) -> tuple[RobotsRules, float]:
        try:
            body = await fetch(key)
        except UnsafeAddressError:
            raise
        except FetchError as error:
            missing = error.status is not None and 400 <= error.status < 500
            return RobotsRules(), self._ttl if missing else self._failure_ttl
        return RobotsRules.parse(body), self._ttl

    async def check(self, url: str | httpx.URL, user_agent: str, fetch: RobotsFetch) -> RobotsRules:
        """The rules for ``url``'s site; raise :class:`RobotsDisallowed` if they refuse it."""
        rules = await self.rules(url, fetch)
        if not rules.allows(str(url), user_agent):
            raise RobotsDisallowed(
                f"{robots_url(url)} asks crawlers like handpicked not to fetch {url}; "
                "the site does not want it gathered, so drop or replace this source",
                url=str(url),
            )
        return rules
