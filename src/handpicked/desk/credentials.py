"""A reader's credentials and data rights: API tokens they name, list and revoke; the private
feed URL they can replace; the export of everything the desk holds of them; and deleting
their account.

An API token is one random secret (``hp_…``, only its SHA-256 stored) with a name, the time it
was made and the time it was last used (to the minute). It opens the JSON API as its reader
(and, where a client asks for a password, can stand in for it as an app password) until it is
revoked or the reader changes their password. The pages and the API both call this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from handpicked import __version__
from handpicked.addresses import email_key
from handpicked.desk import accounts as account_service
from handpicked.desk.errors import DeskError
from handpicked.store import ReaderRecord, Store

DEFAULT_TOKEN_NAME = "API"
MAX_TOKEN_NAME = 200
EXPORT_FORMAT = "handpicked-export/1"


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A token as its reader sees it listed: never the secret."""

    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True, slots=True)
class NewToken:
    """A token just made: the secret is here and nowhere else, ever again."""

    id: int
    name: str
    secret: str


class NotConfirmed(DeskError):
    """Deleting an account was not confirmed; the message says what to give."""


def token_name(name: str | None) -> str:
    """What a token is called: the name given, tidied, or ``"API"``."""
    cleaned = " ".join((name or "").split())[:MAX_TOKEN_NAME]
    return cleaned or DEFAULT_TOKEN_NAME


def make_token(store: Store, reader: ReaderRecord, name: str | None, now: datetime) -> NewToken:
    named = token_name(name)
    token_id, secret = store.accounts.create_api_token(reader.id, named, now)
    return NewToken(token_id, named, secret)


def tokens(store: Store, reader: ReaderRecord) -> list[ApiToken]:
    """The reader's tokens, oldest first."""
    return [
        ApiToken(
            id=cast(int, row["id"]),
            name=str(row["name"]),
            created_at=cast(datetime, row["created_at"]),
            last_used_at=cast(datetime | None, row["last_used_at"]),
        )
        for row in store.accounts.api_tokens(reader.id)
    ]


def revoke_token(store: Store, reader: ReaderRecord, token_id: int) -> ApiToken | None:
    """Revoke one of the reader's own tokens; None when they have no token of that id (another
    reader's token is "no such token" too, so ids tell nothing)."""
    mine = next((token for token in tokens(store, reader) if token.id == token_id), None)
    if mine is None or not store.accounts.revoke_api_token(reader.id, token_id):
        return None
    return mine


def rotate_feed(store: Store, reader: ReaderRecord) -> ReaderRecord:
    """A new private feed URL; the old one answers 404 from now on."""
    store.accounts.rotate_feed_token(reader.id)
    fresh = store.readers.get(reader_id=reader.id)
    if fresh is None:  # deleted meanwhile
        raise LookupError(f"no reader with id {reader.id}")
    return fresh


def export(store: Store, reader: ReaderRecord, now: datetime) -> dict[str, Any]:
    """Everything the desk holds of the reader, as one JSON-ready document: their profile and
    settings, follows and mutes, feedback, digests, API tokens (names and dates, never
    secrets), sessions, and their rows of any other table (subscriptions, reading state), by
    table name. Shared things (articles, stories, sources) are referred to by id and URL."""
    rows = store.reader_data.export(reader.id)
    profile = (rows.pop("readers", None) or [{}])[0]
    profile["has_password"] = store.readers.password_hash(reader.id) is not None
    return {
        "format": EXPORT_FORMAT,
        "exported_at": now.isoformat(),
        "handpicked_version": __version__,
        "profile": profile,
        **rows,
    }


def confirm(
    store: Store,
    reader: ReaderRecord,
    *,
    password: str | None,
    email: str | None,
    address: str | None,
    now: datetime,
) -> None:
    """Check it is the reader who asks to delete their account: their password when they have
    one (counted against the same limits as sign-in), else their email address typed out.
    ``NotConfirmed`` or ``account_service.TooManyAttempts`` otherwise."""
    if store.readers.password_hash(reader.id) is not None:
        if not password:
            raise NotConfirmed("Give your password to delete your account.", code="invalid")
        try:
            account_service.authenticate(store, reader.email, password, address, now)
        except account_service.TooManyAttempts:
            raise
        except account_service.AccountError as error:
            raise NotConfirmed("That is not your password.", code="wrong_password") from error
        return
    if not email or email_key(email) != email_key(reader.email):
        raise NotConfirmed(
            "Type your email address to confirm that you want to delete your account.",
            code="invalid",
        )


def delete_account(store: Store, reader: ReaderRecord) -> bool:
    """Remove the reader and everything that is theirs (follows, feedback, digests, sessions,
    tokens, sign-in links, failed sign-ins, and their rows of any other table); the articles
    and stories every reader shares stay. Every session and token stops working at once."""
    return store.reader_data.erase(reader.id)
