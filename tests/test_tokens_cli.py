"""``handpicked tokens``: a reader's API tokens listed and revoked from the command line, as
an admin types it; a revoked token no longer opens the API."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from handpicked.cli import cli
from handpicked.store import open_store


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name in ("HANDPICKED_SMTP_URL", "HANDPICKED_BASE_URL", "HANDPICKED_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HANDPICKED_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HANDPICKED_DATABASE_URL", f"sqlite:///{tmp_path / 'news.db'}")
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, list(args), catch_exceptions=False)


def works(tmp_path: Path, token: str) -> bool:
    with open_store(f"sqlite:///{tmp_path / 'news.db'}") as store:
        return store.accounts.api_token_reader(token, datetime.now(UTC)) is not None


def test_tokens_are_listed_and_revoked_by_id(run: CliRunner, tmp_path: Path) -> None:
    invoke(run, "readers", "add", "ann@example.com")
    invoke(run, "readers", "add", "bob@example.com")
    assert invoke(run, "tokens", "list", "--reader", "ann@example.com").output == (
        "ann@example.com has no API tokens.\n"
    )
    phone = invoke(run, "token", "ann@example.com", "--name", "phone").output.strip()
    script = invoke(run, "token", "ann@example.com", "--name", "script").output.strip()
    bobs = invoke(run, "token", "bob@example.com").output.strip()

    listed = invoke(run, "tokens", "list", "--reader", "ann@example.com").output.splitlines()
    assert len(listed) == 2
    assert re.fullmatch(r"1  phone  \(made \d{4}-\d\d-\d\d \d\d:\d\d UTC, never used\)", listed[0])
    assert listed[1].startswith("2  script  (made ")
    rows = json.loads(invoke(run, "tokens", "list", "--reader", "ann@example.com", "--json").output)
    assert [(r["id"], r["name"], r["last_used_at"]) for r in rows] == [
        (1, "phone", None),
        (2, "script", None),
    ]
    assert phone not in json.dumps(rows)

    revoked = invoke(run, "tokens", "revoke", "2", "--reader", "ann@example.com")
    assert revoked.output == "Revoked ann@example.com's token 2 (script).\n"
    assert not works(tmp_path, script) and works(tmp_path, phone)

    # Bob's token (id 3) is not Ann's to revoke, and it keeps working.
    refused = run.invoke(cli, ["tokens", "revoke", "3", "--reader", "ann@example.com"])
    assert refused.exit_code == 1
    assert "ann@example.com has no API token 3." in refused.output
    assert works(tmp_path, bobs)


def test_a_reader_is_needed_and_must_exist(run: CliRunner) -> None:
    missing = run.invoke(cli, ["tokens", "list"])
    assert missing.exit_code == 2 and "--reader" in missing.output
    nobody = run.invoke(cli, ["tokens", "list", "--reader", "nobody@example.com"])
    assert nobody.exit_code == 1 and "nobody@example.com" in nobody.output
