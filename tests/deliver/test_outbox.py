"""The local outbox: messages kept whole, found by Message-ID, newest first, bounded."""

from __future__ import annotations

import os
from email.message import EmailMessage
from pathlib import Path

from click.testing import CliRunner

from handpicked.cli import cli
from handpicked.deliver.outbox import Outbox, OutboxSender


def message(n: int) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "handpicked <digest@localhost>"
    mail["To"] = f"reader{n}@example.com"
    mail["Subject"] = f"Digest number {n}"
    mail["Date"] = f"Mon, 0{n} Mar 2026 07:00:00 +0000"
    mail["Message-ID"] = f"<digest.{n}@localhost>"
    mail.set_content(f"Plain words of digest {n}.\n")
    mail.add_alternative(f"<html><body><p>Digest {n}</p></body></html>", subtype="html")
    return mail


def write_in_order(outbox: Outbox, numbers: range) -> None:
    for n in numbers:
        path = outbox.write(message(n))
        os.utime(path, (1_700_000_000 + n, 1_700_000_000 + n))  # a clear order


def test_the_sender_writes_after_the_ledger_hook(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox")
    calls: list[str] = []
    with OutboxSender(outbox) as sender:
        reply = sender.send(message(1), before_data=lambda: calls.append("sending"))
    assert calls == ["sending"] and "outbox" in reply
    [kept] = outbox.messages()
    assert kept == outbox.find("<digest.1@localhost>")
    assert (kept.to, kept.subject) == ("reader1@example.com", "Digest number 1")
    assert kept.part("plain") == "Plain words of digest 1.\n"
    assert "<p>Digest 1</p>" in (kept.part("html") or "")
    assert outbox.find("<digest.2@localhost>") is None and outbox.find(None) is None
    assert [p.name for p in (tmp_path / "outbox").iterdir()] == [kept.path.name]


def test_newest_first_and_only_the_newest_are_kept(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox", keep=3)
    write_in_order(outbox, range(1, 6))
    assert [m.subject for m in outbox.messages()] == [f"Digest number {n}" for n in (5, 4, 3)]
    assert Outbox(tmp_path / "missing").messages() == []


def test_the_outbox_command_lists_and_prints(tmp_path: Path) -> None:
    env = {"HANDPICKED_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    empty = runner.invoke(cli, ["outbox"], env=env, catch_exceptions=False)
    assert empty.exit_code == 0 and "is empty" in empty.output

    write_in_order(Outbox(tmp_path / "outbox"), range(1, 3))
    listed = runner.invoke(cli, ["outbox"], env=env, catch_exceptions=False)
    lines = listed.output.splitlines()
    assert "reader2@example.com  Digest number 2" in lines[0]
    assert "reader1@example.com  Digest number 1" in lines[1]
    newest = runner.invoke(cli, ["outbox", "1"], env=env, catch_exceptions=False)
    assert newest.output.startswith("To: reader2@example.com\nSubject: Digest number 2\n")
    assert "Plain words of digest 2." in newest.output
    as_html = runner.invoke(cli, ["outbox", "2", "--html"], env=env, catch_exceptions=False)
    assert "<p>Digest 1</p>" in as_html.output
    missing = runner.invoke(cli, ["outbox", "3"], env=env)
    assert missing.exit_code == 1 and "the outbox holds 2" in missing.output
