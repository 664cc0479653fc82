"""Sessions for the store's repositories: a read, a write (``BEGIN IMMEDIATE`` on SQLite), and
the caller's open transaction, which reads and writes join while it lasts."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from handpicked.store.urls import canonical_url

T = TypeVar("T")

#: Execution option that makes SQLite open the transaction with ``BEGIN IMMEDIATE``.
WRITE_OPTION = "handpicked_write"


class Sessions:
    """Where repositories get their sessions. Private to ``handpicked.store``."""

    def __init__(self, engine: Engine) -> None:
        self._reads = sessionmaker(engine, expire_on_commit=False)
        self._writes = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        self._open = threading.local()  # the session of a ``transaction()`` block, per thread

    def _current(self) -> Session | None:
        session: Session | None = getattr(self._open, "session", None)
        return session

    @contextmanager
    def read(self) -> Iterator[Session]:
        current = self._current()
        if current is not None:
            yield current
            return
        with self._reads() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        current = self._current()
        if current is None:
            with self._writes.begin() as session:
                yield session
            return
        with current.begin_nested():  # a savepoint: a failed step does not sink the rest
            yield current

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._current() is not None:  # nested blocks join the outer one
            yield
            return
        with self._writes.begin() as session:
            self._open.session = session
            try:
                yield
            finally:
                self._open.session = None


class Repository:
    """A repository's access to the store's sessions."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions


def insert(session: Session, model: type[Any]) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that knows ON CONFLICT, in the session's dialect."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"the store supports SQLite and PostgreSQL, not {name}")


def chunks(items: Sequence[T], size: int = 500) -> Iterator[Sequence[T]]:
    """``items`` in slices small enough for an ``IN (...)`` list on every database."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def http_url(url: str) -> str | None:
    """The canonical form of an http(s) URL, or None for anything else."""
    key = canonical_url(url)
    parts = urlsplit(key)
    return key if parts.scheme in ("http", "https") and parts.netloc else None


def utcnow() -> datetime:
    return datetime.now(UTC)
