"""The admin's desk: who is admin, how new readers get in (the sign-up mode), invite links,
whether readers' follows reach beyond their own sources, and the readers themselves.

The first account made on a desk is its admin; ``handpicked admin add EMAIL`` makes more.
Every action here is checked against the acting reader (``forbidden`` for non-admins), so the
pages, the API and the command line cannot forget to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, get_args

from handpicked.desk.context import DeskContext
from handpicked.desk.errors import DeskError
from handpicked.store import ReaderRecord
from handpicked.store.invites import SHARED_POOL, SIGNUP_MODE

SignupMode = Literal["closed", "invite", "open"]
SIGNUP_MODES: tuple[SignupMode, ...] = get_args(SignupMode)
DEFAULT_SIGNUP_MODE: SignupMode = "invite"
"""After the first account (the admin) only invited readers may sign up, until the admin
opens or closes sign-up."""
INVITE_LIFETIME = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class DeskPolicy:
    """The desk-wide settings the admin changes."""

    signup_mode: SignupMode
    shared_pool: bool
    """Whether readers' follows pick from every source on the desk, not only their own and
    the desk-wide ones."""


def require_admin(reader: ReaderRecord) -> None:
    if not reader.is_admin:
        raise DeskError("Only the desk's admin may do that.", code="forbidden")


class Admin:
    """``desk.admin``."""

    def __init__(self, desk: DeskContext) -> None:
        self._desk = desk

    # --- what anyone may read ----------------------------------------------------------------

    def policy(self) -> DeskPolicy:
        values = self._desk.store.desk_settings.all()
        stored = values.get(SIGNUP_MODE)
        mode = next((m for m in SIGNUP_MODES if m == stored), DEFAULT_SIGNUP_MODE)
        return DeskPolicy(
            signup_mode=mode,
            shared_pool=values.get(SHARED_POOL) == "on",
        )

    def invite_is_live(self, token: str) -> bool:
        return bool(token) and self._desk.store.invites.is_live(token, self._desk.now())

    # --- the admin's -------------------------------------------------------------------------

    def set_policy(
        self,
        admin: ReaderRecord | None,
        *,
        signup_mode: str | None = None,
        shared_pool: bool | None = None,
    ) -> DeskPolicy:
        """Change the sign-up mode or the shared pool (``admin`` None: the command line)."""
        if admin is not None:
            require_admin(admin)
        store = self._desk.store
        if signup_mode is not None:
            if signup_mode not in SIGNUP_MODES:
                raise DeskError(f"sign-up is one of {', '.join(SIGNUP_MODES)}, not {signup_mode!r}")
            store.desk_settings.set(SIGNUP_MODE, signup_mode)
        if shared_pool is not None:
            store.desk_settings.set(SHARED_POOL, "on" if shared_pool else "off")
        return self.policy()

    def make_invite(self, admin: ReaderRecord | None) -> str:
        """A single-use sign-up link, good for a week (``admin`` None: from the command line)."""
        if admin is not None:
            require_admin(admin)
        token = self._desk.store.invites.create(
            admin.id if admin else None, self._desk.now(), INVITE_LIFETIME
        )
        return f"{self._desk.settings.base_url.rstrip('/')}/signup?invite={token}"

    def readers(self, admin: ReaderRecord) -> list[ReaderRecord]:
        require_admin(admin)
        return self._desk.store.readers.list()

    def remove_reader(self, admin: ReaderRecord, reader_id: int) -> ReaderRecord:
        """Remove a reader's account and everything that is theirs (not the admin's own)."""
        require_admin(admin)
        store = self._desk.store
        reader = store.readers.get(reader_id=reader_id)
        if reader is None:
            raise DeskError(f"There is no reader {reader_id}.", code="not_found")
        if reader.id == admin.id:
            raise DeskError("You cannot remove your own account here.")
        for source in store.subscriptions.sources_of(reader.id):
            store.subscriptions.remove(reader.id, source.id)
            if not source.desk_wide and store.subscriptions.subscribers(source.id) == 0:
                store.sources.remove(source.id)
        store.readers.remove(reader.id)
        return reader

    def set_admin(self, email: str, is_admin: bool) -> ReaderRecord:
        """Make a reader admin or not (the command line's ``handpicked admin``); the last
        admin cannot be removed."""
        store = self._desk.store
        reader = store.readers.get(email=email)
        if reader is None:
            raise DeskError(f"There is no reader {email!r}.", code="not_found")
        if not is_admin and reader.is_admin and store.readers.count(admins_only=True) <= 1:
            raise DeskError(f"{reader.email} is the only admin; make another one first.")
        return store.readers.update(reader.id, is_admin=is_admin)

    def admins(self) -> list[ReaderRecord]:
        return [reader for reader in self._desk.store.readers.list() if reader.is_admin]
