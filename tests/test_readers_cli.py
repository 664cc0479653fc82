"""The reader commands as a user types them: helpful errors, follows read right, a digest
printed, and the account commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from handpicked.cli import cli


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name in ("HANDPICKED_SMTP_URL", "HANDPICKED_BASE_URL", "HANDPICKED_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HANDPICKED_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HANDPICKED_DATABASE_URL", f"sqlite:///{tmp_path / 'news.db'}")
    return CliRunner()


def invoke(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


def test_adding_a_reader_says_when_the_first_digest_comes(run: CliRunner) -> None:
    added = invoke(run, "readers", "add", "ann@example.com", "--tz", "Asia/Kolkata",
                   "--schedule", "weekdays 7:30am")  # fmt: skip
    assert added.exit_code == 0
    assert "on weekdays at 07:30 (Asia/Kolkata); next" in added.output
    listed = json.loads(invoke(run, "readers", "list", "--json").output)
    assert listed[0]["schedule"] == "weekdays 07:30" and listed[0]["time_zone"] == "Asia/Kolkata"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tz", "Europe/Berln"], "Europe/Berlin"),
        (["--schedule", "sometimes"], "daily 07:00"),
        (["--max-items", "500"], "1 to 50"),
    ],
)
def test_bad_settings_say_what_would_work(run: CliRunner, args: list[str], message: str) -> None:
    result = run.invoke(cli, ["readers", "add", "ann@example.com", *args])
    assert result.exit_code == 1
    assert message in result.output


def test_follow_mute_unfollow_and_the_list(run: CliRunner) -> None:
    invoke(run, "readers", "add", "ann@example.com")
    followed = invoke(run, "follow", "ann@example.com", "Putin", "IRGC", '"Florida Man"',
                      "bbc.co.uk", "topic:politics")  # fmt: skip
    assert followed.output.splitlines() == [
        "Following Vladimir Putin (person).",
        "Following Islamic Revolutionary Guard Corps (organisation).",
        "Following Florida Man (phrase).",
        "Following bbc.co.uk (source).",
        "Following Politics (topic).",
    ]
    assert "was followed" in invoke(run, "mute", "ann@example.com", "politics").output
    assert invoke(run, "unfollow", "ann@example.com", "bbc.co.uk").output == "Removed bbc.co.uk.\n"
    listed = invoke(run, "readers", "list").output
    assert "follows: Vladimir Putin, Islamic Revolutionary Guard Corps, Florida Man" in listed
    assert "mutes: Politics" in listed


def test_unknown_readers_are_told_how_to_add_them(run: CliRunner) -> None:
    result = run.invoke(cli, ["follow", "who@example.com", "Putin"])
    assert result.exit_code == 1
    assert "handpicked readers add who@example.com" in result.output


def test_a_digest_with_nothing_stored_says_so(run: CliRunner) -> None:
    invoke(run, "readers", "add", "ann@example.com")
    invoke(run, "follow", "ann@example.com", "Putin")
    shown = invoke(run, "digest", "ann@example.com")
    assert "No new stories have come in since" in shown.output
    # No SMTP server set: sending goes to the local outbox, and an empty digest is not sent.
    unsent = invoke(run, "digest", "ann@example.com", "--send")
    assert "ann@example.com: skipped (No new stories" in unsent.output
    assert "is empty" in invoke(run, "outbox").output


def test_password_sign_in_link_and_token(run: CliRunner) -> None:
    invoke(run, "readers", "add", "ann@example.com")
    done = invoke(run, "password", "ann@example.com", "--password", "correct horse battery")
    assert done.output == "Password set for ann@example.com.\n"
    link = invoke(run, "signin-link", "ann@example.com").output.strip()
    assert link.startswith("http://127.0.0.1:8000/signin/link/")
    assert invoke(run, "token", "ann@example.com").output.startswith("hp_")
    removed = invoke(run, "readers", "remove", "ann@example.com", "--yes")
    assert removed.output == "Removed ann@example.com.\n"


def test_an_address_written_another_way_is_the_same_reader(run: CliRunner) -> None:
    assert invoke(run, "readers", "add", "ann@example.com").exit_code == 0
    again = run.invoke(cli, ["readers", "add", "ann@Example.COM."])
    assert again.exit_code == 1
    listed = json.loads(invoke(run, "readers", "list", "--json").output)
    assert [reader["email"] for reader in listed] == ["ann@example.com"]
