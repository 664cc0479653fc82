"""Readers: where and when their digest goes, how long it is, and their password."""

from __future__ import annotations

import builtins
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handpicked.addresses import email_key
from handpicked.errors import HandpickedError
from handpicked.store.model import (
    ReaderRecord,
)
from handpicked.store.sessions import Repository
from handpicked.store.tables import (
    DeliveryRow,
    DeskSettingRow,
    FeedbackRow,
    InterestRow,
    ReaderRow,
)

_HIGHEST_RETIRED = "readers.highest_removed_id"
"""The desk setting that remembers the highest id a removed reader had (see :func:`retire_id`)."""

__all__ = ["ReaderExists", "ReaderRepository", "reader_record"]


class ReaderExists(HandpickedError, ValueError):
    """A reader with that email address is already there."""


class ReaderRepository(Repository):
    """``store.readers``: the readers and their settings."""

    def add(
        self,
        email: str,
        *,
        time_zone: str,
        schedule: str,
        now: datetime,
        max_items: int = 10,
        language: str | None = None,
        verified: bool = True,
        is_admin: bool = False,
    ) -> ReaderRecord:
        """A new reader; ``ReaderExists`` if the address is taken. Inputs are checked by callers.
        An unverified reader (open sign-up) cannot sign in or get digests until verified."""
        row = ReaderRow(
            is_admin=is_admin,
            verified_at=now if verified else None,
            email=email,
            time_zone=time_zone,
            schedule=schedule,
            max_items=max_items,
            language=language,
            feed_token=secrets.token_urlsafe(24),
            created_at=now,
        )
        try:
            with self._sessions.write() as session:
                if session.get_bind().dialect.name == "sqlite":
                    row.id = _next_sqlite_id(session)
                session.add(row)
                session.flush()
                return reader_record(row)
        except IntegrityError as error:
            raise ReaderExists(f"{email} is already a reader") from error

    def get(self, email: str | None = None, reader_id: int | None = None) -> ReaderRecord | None:
        stmt = select(ReaderRow)
        if reader_id is not None:
            stmt = stmt.where(ReaderRow.id == reader_id)
        elif email is not None:
            stmt = stmt.where(func.lower(ReaderRow.email) == email_key(email))
        else:
            raise ValueError("give an email or an id")
        with self._sessions.read() as session:
            row = session.scalars(stmt).first()
            return reader_record(row) if row is not None else None

    def by_feed_token(self, token: str) -> ReaderRecord | None:
        with self._sessions.read() as session:
            row = session.scalars(select(ReaderRow).where(ReaderRow.feed_token == token)).first()
            return reader_record(row) if row is not None else None

    def list(self, active_only: bool = False) -> builtins.list[ReaderRecord]:
        stmt = select(ReaderRow).order_by(ReaderRow.id)
        if active_only:  # who gets digests: subscribed, with a proven address
            stmt = stmt.where(
                ReaderRow.unsubscribed_at.is_(None), ReaderRow.verified_at.is_not(None)
            )
        with self._sessions.read() as session:
            return [reader_record(row) for row in session.scalars(stmt)]

    def update(self, reader_id: int, **values: Any) -> ReaderRecord:
        """Change a reader's settings (time_zone, schedule, max_items, language, unsubscribed_at,
        password_hash, is_admin, verified_at)."""
        allowed = {
            "time_zone",
            "schedule",
            "max_items",
            "language",
            "unsubscribed_at",
            "password_hash",
            "is_admin",
            "verified_at",
        }
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
        with self._sessions.write() as session:
            row = session.get(ReaderRow, reader_id)
            if row is None:
                raise LookupError(f"no reader with id {reader_id}")
            for name, value in values.items():
                setattr(row, name, value)
            session.flush()
            return reader_record(row)

    def count(self, admins_only: bool = False) -> int:
        stmt = select(func.count()).select_from(ReaderRow)
        if admins_only:
            stmt = stmt.where(ReaderRow.is_admin.is_(True))
        with self._sessions.read() as session:
            return session.scalar(stmt) or 0

    def password_hash(self, reader_id: int) -> str | None:
        with self._sessions.read() as session:
            row = session.get(ReaderRow, reader_id)
            return row.password_hash if row is not None else None

    def remove(self, reader_id: int) -> None:
        """Forget a reader with everything they follow, their feedback and delivery history."""
        with self._sessions.write() as session:
            for table in (DeliveryRow, FeedbackRow, InterestRow):
                session.execute(delete(table).where(table.reader_id == reader_id))
            session.execute(delete(ReaderRow).where(ReaderRow.id == reader_id))
            retire_id(session, reader_id)


def retire_id(session: Session, reader_id: int) -> None:
    """Remember that ``reader_id`` is gone for good. SQLite gives a new row the highest id
    plus one, so without this the next reader would get the id of a reader just removed, and
    the signed links in that reader's old emails (unsubscribe, more or less like this) would
    act on the newcomer's account. PostgreSQL's sequences never go back."""
    setting = session.get(DeskSettingRow, _HIGHEST_RETIRED)
    if setting is None:
        session.add(DeskSettingRow(key=_HIGHEST_RETIRED, value=str(reader_id)))
    elif int(setting.value) < reader_id:
        setting.value = str(reader_id)


def _next_sqlite_id(session: Session) -> int:
    highest = session.scalar(select(func.max(ReaderRow.id))) or 0
    setting = session.get(DeskSettingRow, _HIGHEST_RETIRED)
    return max(highest, int(setting.value) if setting is not None else 0) + 1


def reader_record(row: ReaderRow) -> ReaderRecord:
    return ReaderRecord(
        id=row.id,
        email=row.email,
        time_zone=row.time_zone,
        schedule=row.schedule,
        max_items=row.max_items,
        language=row.language,
        feed_token=row.feed_token,
        created_at=row.created_at,
        unsubscribed_at=row.unsubscribed_at,
        is_admin=bool(row.is_admin),
        verified_at=row.verified_at,
    )
