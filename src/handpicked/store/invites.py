"""Sign-up invite links and the desk's own settings (what the admin changes in the web app)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from handpicked.store.accounts import token_hash
from handpicked.store.sessions import Repository, insert
from handpicked.store.tables import DeskSettingRow, InviteRow

INVITE_PREFIX = "inv_"
SIGNUP_MODE = "signup_mode"
"""The desk setting: who may sign up (see :mod:`handpicked.desk.admin`)."""
SHARED_POOL = "shared_pool"
"""The desk setting: "on" when readers' follows pick from every source, not only theirs."""


class InviteRepository(Repository):
    """``store.invites``: single-use sign-up links; only the token's SHA-256 is stored."""

    def create(self, created_by: int | None, now: datetime, lifetime: timedelta) -> str:
        token = INVITE_PREFIX + secrets.token_urlsafe(32)
        with self._sessions.write() as session:
            session.add(
                InviteRow(
                    token_hash=token_hash(token),
                    created_by=created_by,
                    created_at=now,
                    expires_at=now + lifetime,
                )
            )
        return token

    def is_live(self, token: str, now: datetime) -> bool:
        stmt = select(InviteRow.token_hash).where(
            InviteRow.token_hash == token_hash(token),
            InviteRow.used_at.is_(None),
            InviteRow.expires_at > now,
        )
        with self._sessions.read() as session:
            return session.scalar(stmt) is not None

    def use(self, token: str, now: datetime) -> bool:
        """Use up a live invite (atomically: two sign-ups cannot share one); whether it was."""
        with self._sessions.write() as session:
            done = session.execute(
                update(InviteRow)
                .where(
                    InviteRow.token_hash == token_hash(token),
                    InviteRow.used_at.is_(None),
                    InviteRow.expires_at > now,
                )
                .values(used_at=now)
            )
            return bool(getattr(done, "rowcount", 0))

    def live_count(self, now: datetime) -> int:
        stmt = select(func.count()).where(InviteRow.used_at.is_(None), InviteRow.expires_at > now)
        with self._sessions.read() as session:
            return session.scalar(stmt) or 0


class DeskSettingRepository(Repository):
    """``store.desk_settings``: text values by key; what a missing key means is the caller's."""

    def get(self, key: str) -> str | None:
        with self._sessions.read() as session:
            row = session.get(DeskSettingRow, key)
            return row.value if row is not None else None

    def set(self, key: str, value: str) -> None:
        with self._sessions.write() as session:
            stmt = insert(session, DeskSettingRow).values(key=key, value=value)
            session.execute(
                stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value})
            )

    def all(self) -> dict[str, str]:
        with self._sessions.read() as session:
            return {row.key: row.value for row in session.scalars(select(DeskSettingRow))}
