"""Errors of the desk's actions: a ``code`` for programs (the API's status, a page's branch)
and a message for people, so that no caller has to read the wording to know what happened."""

from __future__ import annotations

from typing import Literal

from handpicked.errors import HandpickedError

DeskErrorCode = Literal[
    "invalid",  # the request itself is wrong (a kind, an address, a file)
    "not_found",  # what it names is not there
    "unreachable",  # a source could not be fetched or read
    "too_big",  # an upload over its limit
    "weak_password",
    "address_taken",
    "wrong_password",
    "too_many_attempts",
    "forbidden",  # only the admin may do that
    "unverified",  # the account's address is not confirmed yet
    "closed",  # sign-up is closed, or needs an invite
]


class DeskError(HandpickedError, ValueError):
    """An action that cannot be done; the message is for the reader."""

    def __init__(self, message: str, code: DeskErrorCode = "invalid") -> None:
        super().__init__(message)
        self.code: DeskErrorCode = code
