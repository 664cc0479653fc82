"""A damaged SQLite file: every command that opens the store says so in one line (where the
file is and what to do), not with a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from loopback import cli_env, run_cli

from handpicked.store import open_store


def _damage(path: Path, where: str) -> None:
    if where == "header":
        with path.open("r+b") as file:
            file.write(b"not a database" * 10)
        return
    with sqlite3.connect(path) as connection:
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'sources'"
        ).fetchone()
        (page_size,) = connection.execute("PRAGMA page_size").fetchone()
    connection.close()
    with path.open("r+b") as file:  # the sources table's first page: found while reading it
        file.seek((root - 1) * page_size)
        file.write(b"\x0d" + b"\xff" * (page_size - 100))


@pytest.mark.parametrize("where", ["header", "sources-table"])
def test_a_damaged_database_file_gets_one_clear_line(tmp_path: Path, where: str) -> None:
    database = tmp_path / "news.db"
    store = open_store(f"sqlite:///{database}")
    for number in range(40):
        store.sources.add(f"https://site{number}.example/{'feed' * 60}.xml", "feed")
    store.close()
    _damage(database, where)
    result = run_cli(["sources", "list"], cli_env(tmp_path, allow_private=False))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"the database file {database} is damaged" in lines[0]
    assert "restore it from a backup" in lines[0] and "Traceback" not in result.stderr
