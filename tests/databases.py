"""Database fixtures: SQLite, and a real PostgreSQL server that this file starts itself.

The server is a throw-away cluster (initdb into a temporary folder, loopback only, a free
port, no fsync) started once per session and stopped at its end, failure or not. PostgreSQL
will not run as root, so as root the cluster belongs to the ``postgres`` user and every server
command runs through ``runuser``/``su``. Without PostgreSQL binaries the postgresql tests skip
locally but fail in CI (``CI=true``): a CI that silently tested SQLite only would lie.
"""

from __future__ import annotations

import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from handpicked.store import Store, open_store

DIALECTS = ["sqlite", "postgresql"]
_PROGRAMS = ("initdb", "pg_ctl", "postgres")
_NAMES = count()


class PostgresUnavailable(Exception):
    """No PostgreSQL server can be started here; the message says why."""


def find_postgres_bin() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres: PATH, then Debian's versioned folders
    (newest first), then /usr/local/bin."""
    candidates: list[Path] = []
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    versioned = Path("/usr/lib/postgresql").glob("*/bin")
    candidates += sorted(versioned, key=_version, reverse=True)
    candidates.append(Path("/usr/local/bin"))
    for folder in candidates:
        if all((folder / name).is_file() for name in _PROGRAMS):
            return folder
    return None


def _version(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.parent.name)) or (0,)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class PostgresServer:
    """A private PostgreSQL cluster; ``create_database`` hands out fresh, empty databases."""

    bin_dir: Path
    root: Path
    user: str | None  # the OS user that runs the server when we are root, else None
    port: int = 0
    started: bool = field(default=False)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def _run(self, *argv: str, timeout: float = 60) -> None:
        command = [str(self.bin_dir / argv[0]), *argv[1:]]
        if self.user is not None:
            if shutil.which("runuser"):
                command = ["runuser", "-u", self.user, "--", *command]
            else:
                command = ["su", self.user, "-s", "/bin/sh", "-c", shlex.join(command)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise PostgresUnavailable(
                f"{shlex.join(command)} failed ({done.returncode}):\n"
                f"{done.stdout}{done.stderr}{tail}"
            )

    def start(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        for attempt in range(3):  # a free port can be taken between probing and binding
            self.port = _free_port()
            options = (
                f"-p {self.port} -c listen_addresses=127.0.0.1 -k {shlex.quote(str(self.root))}"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            try:
                self._run(
                    "pg_ctl",
                    "-D",
                    str(self.data_dir),
                    "-l",
                    str(self.root / "server.log"),
                    "-w",
                    "-t",
                    "30",
                    "-o",
                    options,
                    "start",
                )
            except PostgresUnavailable:
                if attempt == 2:
                    raise
                continue
            self.started = True
            return

    def stop(self) -> None:
        if self.started:
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
            self.started = False

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        name = f"handpicked_{os.getpid()}_{next(_NAMES)}"
        dsn = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        statement = sql.SQL("CREATE DATABASE {} STRATEGY FILE_COPY").format(sql.Identifier(name))
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(statement)
        return self.url(name)


def _start_postgres() -> PostgresServer:
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        raise PostgresUnavailable(
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH, in "
            "/usr/lib/postgresql/*/bin or /usr/local/bin; run `bash scripts/ensure-postgres.sh`"
            " (as root it installs Debian's postgresql package)"
        )
    user: str | None = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable(
                "running as root, and PostgreSQL refuses root: a 'postgres' user is needed "
                "to own the test cluster (Debian's postgresql package creates it)"
            ) from None
        user = "postgres"
    root = Path(tempfile.mkdtemp(prefix="handpicked-pg-"))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    server = PostgresServer(bin_dir=bin_dir, root=root, user=user)
    try:
        server.start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A running PostgreSQL server for the whole session; skipped locally, failed in CI,
    when none can be started."""
    began = time.monotonic()
    try:
        server = _start_postgres()
    except PostgresUnavailable as exc:
        if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
            pytest.fail(f"PostgreSQL is required in CI: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    print(f"PostgreSQL started in {time.monotonic() - began:.1f}s on port {server.port}")
    try:
        yield server
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(params=DIALECTS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: a SQLite file, or a new database on the test server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A migrated store on each dialect."""
    opened = open_store(database_url)
    try:
        yield opened
    finally:
        opened.close()
