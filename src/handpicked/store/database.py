"""Engines and schema upgrades: one place that knows how SQLite and PostgreSQL must be set up.

SQLite gets WAL (readers never block the writer), foreign keys, a busy timeout, and real
transactions: pysqlite's own transaction handling is switched off and ``BEGIN`` is emitted
by us, ``BEGIN IMMEDIATE`` for writes, so that two processes never deadlock upgrading a read
lock. PostgreSQL goes through psycopg 3.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from handpicked.settings import load_settings
from handpicked.store.facade import Store
from handpicked.store.sessions import WRITE_OPTION

MIGRATIONS = Path(__file__).with_name("migrations")
# pg_advisory_xact_lock key held while migrating, so that concurrent starts take turns.
_MIGRATION_LOCK = 0x68616E647069636B  # "handpick"
_BUSY_TIMEOUT_MS = 5000
_MIGRATION_WAIT_MS = 120_000
"""How long a start waits for another process's migration on SQLite: upgrading a big
database copies tables, which takes far longer than any ordinary write."""


def create_engine_for(url: str) -> Engine:
    """An engine for ``url``; ``postgresql://`` and ``postgres://`` are routed to psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        _configure_sqlite(engine)
        return engine
    if backend == "postgresql":
        return create_engine(parsed, pool_pre_ping=True)
    return create_engine(parsed)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see _on_begin
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            _switch_to_wal(cursor)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _switch_to_wal(cursor: sqlite3.Cursor) -> None:
    """Turn WAL on, retrying while another connection holds the file.

    On a new database file several connections may each try the switch at once. Each holds a
    shared lock and wants an exclusive one, so SQLite sees a deadlock and answers "database is
    locked" at once instead of waiting out the busy timeout: we wait here instead.
    """
    deadline = time.monotonic() + _BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    return config


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest revision; cheap when it is current, so call it at every
    start. Concurrent callers serialise on a lock (SQLite's write lock, a PostgreSQL advisory
    lock) and re-check the revision under it, so only one of them changes anything."""
    config = _alembic_config()
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
        connection.rollback()
    if current == heads:
        return
    writer = engine.execution_options(**{WRITE_OPTION: True})
    with writer.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _set_busy_timeout(connection, _MIGRATION_WAIT_MS)
        try:
            with connection.begin():
                if not sqlite:
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK}
                    )
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        finally:
            if sqlite:
                _set_busy_timeout(connection, _BUSY_TIMEOUT_MS)


def _set_busy_timeout(connection: Connection, milliseconds: int) -> None:
    """Set SQLite's busy timeout on the driver's connection itself: a statement through
    SQLAlchemy would first begin the transaction whose lock it is meant to wait for."""
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")


def open_store(url: str | None = None) -> Store:
    """A ready store for ``url`` (default: the configured database), schema upgraded."""
    engine = create_engine_for(url or load_settings().database_url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)
