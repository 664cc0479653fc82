"""Schema upgrades on both dialects: a fresh database reaches head, upgrading again (even from
several processes at once) changes nothing, and the migrations build what the models say."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from handpicked.store import create_engine_for, migrate, open_store
from handpicked.store.database import _alembic_config
from handpicked.store.search import SCHEMA_NAMES
from handpicked.store.tables import Base

TABLES = {"alembic_version", "sources", "pending_urls", "articles"}


def _revision(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def _described_by_models(name: str | None, _type: str, _parents: object) -> bool:
    """The search index is the migration's alone (the ORM cannot describe either engine's)."""
    return name not in SCHEMA_NAMES


def _head() -> set[str]:
    return set(ScriptDirectory.from_config(_alembic_config()).get_heads())


def test_fresh_database_reaches_head(database_url: str) -> None:
    engine = create_engine_for(database_url)
    try:
        assert _revision(engine) == set()
        migrate(engine)
        assert _revision(engine) == _head() == {"0011_search_folding"}
        assert set(inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as connection:
            options = {"compare_type": True, "include_name": _described_by_models}
            context = MigrationContext.configure(connection, opts=options)
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_migrate_twice_is_a_no_op(database_url: str) -> None:
    with open_store(database_url) as store:
        store.sources.add("https://a.example/feed", "feed")
    with open_store(database_url) as store:
        assert [s.url for s in store.sources.list()] == ["https://a.example/feed"]
        migrate(store.engine)
        assert _revision(store.engine) == _head()


def test_concurrent_starts_migrate_once(database_url: str) -> None:
    engines = [create_engine_for(database_url) for _ in range(4)]
    barrier = threading.Barrier(len(engines))
    errors: list[BaseException] = []

    def start(engine: Engine) -> None:
        try:
            barrier.wait()
            migrate(engine)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert _revision(engines[0]) == _head()
    finally:
        for engine in engines:
            engine.dispose()


def test_downgrade_to_base_and_back(database_url: str) -> None:
    engine = create_engine_for(database_url)
    try:
        migrate(engine)
        config = _alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate(engine)
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()


def test_engine_setup(tmp_path: Path) -> None:
    nested = tmp_path / "new" / "folder" / "x.db"
    engine = create_engine_for(f"sqlite:///{nested}")
    try:
        with engine.connect() as connection:
            pragmas = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }
        assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 5000}
        assert nested.exists()
    finally:
        engine.dispose()
    for url in ("postgresql://u@localhost/db", "postgres://u@localhost/db"):
        pg = create_engine_for(url)
        assert pg.url.drivername == "postgresql+psycopg"
        pg.dispose()


def test_open_store_defaults_to_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'd' / 'h.db'}"
    monkeypatch.setenv("HANDPICKED_DATABASE_URL", url)
    with open_store() as store:
        assert store.articles.count() == 0
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM articles")).scalar() == 0
    finally:
        engine.dispose()


def test_many_first_connections_to_a_new_sqlite_file_all_open(tmp_path: Path) -> None:
    """Each new connection switches the file to WAL; on a new file those switches collide,
    and SQLite answers "database is locked" at once rather than waiting. Every one must open."""
    rounds, width = 120, 6
    failures: list[BaseException] = []
    for round_ in range(rounds):
        engines = [create_engine_for(f"sqlite:///{tmp_path}/new-{round_}.db") for _ in range(width)]
        barrier = threading.Barrier(width)

        def open_one(engine: Engine, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            try:
                with engine.connect() as connection:
                    assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            except BaseException as exc:
                failures.append(exc)

        threads = [threading.Thread(target=open_one, args=(e,)) for e in engines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for engine in engines:
            engine.dispose()
    assert failures == []


def test_a_start_waits_out_another_process_migrating_a_big_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Upgrading a big SQLite database copies tables and holds the write lock far longer than
    an ordinary write may make others wait: a start waits for it rather than failing with
    "database is locked", and its connections keep the ordinary timeout afterwards."""
    from handpicked.store import database

    monkeypatch.setattr(database, "_BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "big.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("PRAGMA journal_mode = WAL")
    other.execute("BEGIN IMMEDIATE")  # another process in the middle of its migration
    releaser = threading.Timer(1.0, other.execute, args=("COMMIT",))
    releaser.start()
    engine = create_engine_for(f"sqlite:///{path}")
    try:
        migrate(engine)
        assert _revision(engine) == _head()
        with engine.connect() as connection:
            timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        assert timeout == 200
    finally:
        releaser.join()
        other.close()
        engine.dispose()
