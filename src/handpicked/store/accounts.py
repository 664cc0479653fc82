"""Sessions, API tokens, sign-in links and failed sign-ins.

Every secret handed to a browser or a client is a random token of which only the SHA-256 is
stored, so a copy of the database signs nobody in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update

from handpicked.store.model import ReaderRecord
from handpicked.store.readers import reader_record
from handpicked.store.sessions import Repository
from handpicked.store.tables import (
    ApiTokenRow,
    LoginFailureRow,
    ReaderRow,
    SessionRow,
    SignInLinkRow,
)

API_TOKEN_PREFIX = "hp_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _new_token(prefix: str = "") -> tuple[str, str]:
    token = prefix + secrets.token_urlsafe(32)
    return token, token_hash(token)


class AccountRepository(Repository):
    """``store.accounts``: sessions, API tokens, sign-in links and failed sign-ins."""

    # --- sessions ------------------------------------------------------------------------------

    def create_session(self, reader_id: int, now: datetime, lifetime: timedelta) -> str:
        """A new session for the reader; returns the token for the cookie."""
        token, hashed = _new_token()
        with self._sessions.write() as session:
            session.add(
                SessionRow(
                    token_hash=hashed,
                    reader_id=reader_id,
                    created_at=now,
                    expires_at=now + lifetime,
                )
            )
        return token

    def session_reader(self, token: str, now: datetime) -> ReaderRecord | None:
        """The reader a session cookie belongs to, if the session is live."""
        with self._sessions.read() as session:
            row = session.scalars(
                select(ReaderRow)
                .join(SessionRow, SessionRow.reader_id == ReaderRow.id)
                .where(SessionRow.token_hash == token_hash(token), SessionRow.expires_at > now)
            ).first()
            return reader_record(row) if row is not None else None

    def end_session(self, token: str) -> None:
        with self._sessions.write() as session:
            session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash(token)))

    def end_all_sessions(self, reader_id: int) -> None:
        """Sign a reader out everywhere (after a password change)."""
        with self._sessions.write() as session:
            session.execute(delete(SessionRow).where(SessionRow.reader_id == reader_id))

    # --- API tokens ----------------------------------------------------------------------------

    def create_api_token(self, reader_id: int, name: str, now: datetime) -> tuple[int, str]:
        """A new API token; returns its id and the token, which is shown once."""
        token, hashed = _new_token(API_TOKEN_PREFIX)
        with self._sessions.write() as session:
            row = ApiTokenRow(
                token_hash=hashed, reader_id=reader_id, name=name[:200], created_at=now
            )
            session.add(row)
            session.flush()
            return row.id, token

    def api_token_reader(self, token: str, now: datetime) -> ReaderRecord | None:
        """The reader a bearer token belongs to; notes when it was last used (once a minute)."""
        hashed = token_hash(token)
        with self._sessions.read() as session:
            found = session.execute(
                select(ReaderRow, ApiTokenRow.id, ApiTokenRow.last_used_at)
                .join(ApiTokenRow, ApiTokenRow.reader_id == ReaderRow.id)
                .where(ApiTokenRow.token_hash == hashed)
            ).first()
            if found is None:
                return None
            reader = reader_record(found[0])
            stale = found[2] is None or now - found[2] > timedelta(minutes=1)
        if stale:
            with self._sessions.write() as session:
                session.execute(
                    update(ApiTokenRow).where(ApiTokenRow.id == found[1]).values(last_used_at=now)
                )
        return reader

    def api_tokens(self, reader_id: int) -> list[dict[str, object]]:
        with self._sessions.read() as session:
            rows = session.scalars(
                select(ApiTokenRow)
                .where(ApiTokenRow.reader_id == reader_id)
                .order_by(ApiTokenRow.id)
            )
            return [
                {
                    "id": r.id,
                    "name": r.name,
                    "created_at": r.created_at,
                    "last_used_at": r.last_used_at,
                }
                for r in rows
            ]

    def revoke_api_token(self, reader_id: int, token_id: int) -> bool:
        with self._sessions.write() as session:
            done = session.execute(
                delete(ApiTokenRow).where(
                    ApiTokenRow.id == token_id, ApiTokenRow.reader_id == reader_id
                )
            )
            return bool(getattr(done, "rowcount", 0))

    def revoke_all_api_tokens(self, reader_id: int) -> None:
        """Every API token of a reader stops working (after a password change)."""
        with self._sessions.write() as session:
            session.execute(delete(ApiTokenRow).where(ApiTokenRow.reader_id == reader_id))

    # --- the feed ------------------------------------------------------------------------------

    def rotate_feed_token(self, reader_id: int) -> str:
        """A new secret for the reader's feed URL; the old URL stops working at once."""
        token = secrets.token_urlsafe(24)
        with self._sessions.write() as session:
            session.execute(
                update(ReaderRow).where(ReaderRow.id == reader_id).values(feed_token=token)
            )
        return token

    # --- sign-in links -------------------------------------------------------------------------

    def create_sign_in_link(self, reader_id: int, now: datetime, lifetime: timedelta) -> str:
        token, hashed = _new_token()
        with self._sessions.write() as session:
            session.add(
                SignInLinkRow(
                    token_hash=hashed,
                    reader_id=reader_id,
                    created_at=now,
                    expires_at=now + lifetime,
                )
            )
        return token

    def use_sign_in_link(self, token: str, now: datetime) -> int | None:
        """The reader id of a live, unused link, which is used up by this call; else None."""
        hashed = token_hash(token)
        with self._sessions.write() as session:
            done = session.execute(
                update(SignInLinkRow)
                .where(
                    SignInLinkRow.token_hash == hashed,
                    SignInLinkRow.used_at.is_(None),
                    SignInLinkRow.expires_at > now,
                )
                .values(used_at=now)
            )
            if not getattr(done, "rowcount", 0):
                return None
            return session.scalar(
                select(SignInLinkRow.reader_id).where(SignInLinkRow.token_hash == hashed)
            )

    def sign_in_link_is_live(self, token: str, now: datetime) -> bool:
        with self._sessions.read() as session:
            return (
                session.scalar(
                    select(func.count())
                    .select_from(SignInLinkRow)
                    .where(
                        SignInLinkRow.token_hash == token_hash(token),
                        SignInLinkRow.used_at.is_(None),
                        SignInLinkRow.expires_at > now,
                    )
                )
                or 0
            ) > 0

    # --- failed sign-ins -----------------------------------------------------------------------

    def record_login_failure(self, keys: list[str], now: datetime) -> None:
        with self._sessions.write() as session:
            session.add_all(LoginFailureRow(key=key, at=now) for key in keys)
            # Old failures count for nothing: keep the table small.
            session.execute(
                delete(LoginFailureRow).where(LoginFailureRow.at < now - timedelta(days=1))
            )

    def record_attempt(
        self, keys: list[str], now: datetime, since: datetime
    ) -> dict[str, tuple[int, datetime | None]]:
        """Record an attempt under each of ``keys`` first, then count each key's attempts since
        ``since`` (this one included), in one transaction: of many attempts at once, each sees
        every one recorded before it, so no more than a limit of them can pass a check."""
        counts: dict[str, tuple[int, datetime | None]] = {}
        with self._sessions.write() as session:
            session.add_all(LoginFailureRow(key=key, at=now) for key in keys)
            session.flush()
            for key in keys:
                count, first = session.execute(
                    select(func.count(), func.min(LoginFailureRow.at)).where(
                        LoginFailureRow.key == key, LoginFailureRow.at >= since
                    )
                ).one()
                counts[key] = (int(count or 0), first)
        return counts

    def login_failures(self, key: str, since: datetime) -> tuple[int, datetime | None]:
        """How many failures ``key`` had since ``since``, and the earliest of them."""
        with self._sessions.read() as session:
            count, first = session.execute(
                select(func.count(), func.min(LoginFailureRow.at)).where(
                    LoginFailureRow.key == key, LoginFailureRow.at >= since
                )
            ).one()
            return int(count or 0), first

    def clear_login_failures(self, key: str) -> None:
        with self._sessions.write() as session:
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.key == key))
