"""``handpicked admin`` as a user types it: admins added, listed and removed (never the last),
the sign-up mode set, and invite links printed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from handpicked.cli import cli
from handpicked.store import open_store


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name in ("HANDPICKED_SMTP_URL", "HANDPICKED_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HANDPICKED_BASE_URL", "https://news.example")
    monkeypatch.setenv("HANDPICKED_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HANDPICKED_DATABASE_URL", f"sqlite:///{tmp_path / 'news.db'}")
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_admins_are_added_listed_and_removed_but_never_the_last(
    run: CliRunner, tmp_path: Path
) -> None:
    added = invoke(run, "admin", "add", "ann@example.com")
    assert added.exit_code == 0 and "ann@example.com is an admin" in added.output
    assert "handpicked signin-link ann@example.com" in added.output  # how to sign in
    assert invoke(run, "readers", "add", "bob@example.com").exit_code == 0
    assert invoke(run, "admin", "add", "bob@example.com").exit_code == 0
    assert invoke(run, "admin", "list").stdout.split() == ["ann@example.com", "bob@example.com"]
    assert invoke(run, "admin", "remove", "ann@example.com").exit_code == 0
    last = run.invoke(cli, ["admin", "remove", "bob@example.com"])
    assert last.exit_code == 1 and "only admin" in last.output
    with open_store(f"sqlite:///{tmp_path / 'news.db'}") as store:
        admins = [r.email for r in store.readers.list() if r.is_admin]
    assert admins == ["bob@example.com"]


def test_the_sign_up_mode_and_invite_links(run: CliRunner) -> None:
    assert "sign-up: invite" in run.invoke(cli, ["admin", "list"]).output  # the default
    assert invoke(run, "admin", "signup", "open").output == "sign-up is now open\n"
    assert "sign-up: open" in run.invoke(cli, ["admin", "list"]).output
    assert run.invoke(cli, ["admin", "signup", "sometimes"]).exit_code == 2
    link = invoke(run, "admin", "invite").output.strip()
    assert link.startswith("https://news.example/signup?invite=inv_")
