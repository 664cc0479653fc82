"""The promise on the seed page, end to end on loopback: a feed with the seed page and its
syndicated copy, a reader who follows Putin, one email through a real SMTP server with both
parts and one-click unsubscribe, the story once; then unsubscribing on the real web server."""

from __future__ import annotations

import email
import email.policy
import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from loopback import cli_env, run_cli
from smtp_sink import SmtpTestServer

JNS_TITLE = "Russia’s remaining Jews should get out while they can"
LEDGER_TITLE = "It’s Time For Russia’s Remaining Jews To Leave"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def web_port() -> int:
    return _free_port()


@pytest.fixture
def env(tmp_path: Path, smtp_server: SmtpTestServer, web_port: int) -> dict[str, str]:
    env = cli_env(tmp_path, allow_private=True)
    env["HANDPICKED_SMTP_URL"] = f"smtp://{smtp_server.host}:{smtp_server.port}"
    env["HANDPICKED_MAIL_FROM"] = "handpicked <digest@news.example>"
    env["HANDPICKED_BASE_URL"] = f"http://127.0.0.1:{web_port}"
    return env


@pytest.fixture
def server(env: dict[str, str], web_port: int) -> Iterator[str]:
    """``handpicked serve`` for real (uvicorn), without the scheduler."""
    command = [sys.executable, "-m", "handpicked", "serve", "--port", str(web_port),
               "--no-scheduler"]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)  # fmt: skip
    base = f"http://127.0.0.1:{web_port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/static/site.css", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout:
            process.stdout.close()


def _message(smtp: SmtpTestServer, index: int = 0) -> EmailMessage:
    parsed = email.message_from_bytes(smtp.received[index].content, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _parts(message: EmailMessage) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


def test_follow_putin_get_one_digest_and_unsubscribe(
    site: str, env: dict[str, str], smtp_server: SmtpTestServer, server: str, tmp_path: Path
) -> None:
    assert run_cli(["sources", "add", f"{site}/feed.xml"], env).returncode == 0
    polled = run_cli(["poll", "--no-progress"], env)
    assert "added 2 articles" in polled.stderr, polled.stderr

    added = run_cli(["readers", "add", "ann@example.com", "--tz", "Europe/Berlin"], env)
    assert added.returncode == 0, added.stderr
    assert "daily at 07:00 (Europe/Berlin)" in added.stdout
    followed = run_cli(["follow", "ann@example.com", "Putin"], env)
    assert followed.stdout.strip() == "Following Vladimir Putin (person)."

    text = run_cli(["digest", "ann@example.com"], env)
    assert text.returncode == 0, text.stderr
    assert "because you follow Vladimir Putin" in text.stdout
    preview = tmp_path / "digest.html"
    assert run_cli(["digest", "ann@example.com", "--preview", str(preview)], env).returncode == 0
    assert JNS_TITLE in preview.read_text(encoding="utf-8")
    assert smtp_server.received == []  # previews send nothing

    sent = run_cli(["digest", "ann@example.com", "--send"], env)
    assert sent.returncode == 0, sent.stderr
    assert "ann@example.com: sent" in sent.stdout
    assert [r.rcpt_tos for r in smtp_server.received] == [["ann@example.com"]]
    message = _message(smtp_server)
    assert message["Subject"] == JNS_TITLE
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    parts = _parts(message)
    assert list(parts) == ["text/plain", "text/html"]
    for body in (parts["text/plain"], parts["text/html"].split("</head>", 1)[1]):
        # The story once: the original shown, the syndicated copy folded into "also covered".
        assert body.count(JNS_TITLE) == 1
        assert LEDGER_TITLE not in body
        assert "Also covered by 1 outlet" in body
        assert "because you follow Vladimir Putin" in body

    # The scheduled run for today does not send the same story again.
    deliver = run_cli(["deliver", "--no-progress"], env)
    assert deliver.returncode == 0, deliver.stderr
    assert len(smtp_server.received) == 1

    # The reader's secret Atom feed carries the same pick.
    feed_url = re.search(r"http://\S+\.atom", parts["text/plain"])
    assert feed_url is not None
    feed = httpx.get(feed_url.group(0), timeout=10)
    assert feed.status_code == 200 and JNS_TITLE in feed.text

    # One-click unsubscribe (RFC 8058): a GET only asks; the mail provider's POST does it.
    link = str(message["List-Unsubscribe"]).strip().strip("<>")
    asked = httpx.get(link, timeout=10)
    assert asked.status_code == 200 and "Unsubscribe ann@example.com?" in asked.text
    assert not json.loads(run_cli(["readers", "list", "--json"], env).stdout)[0]["unsubscribed"]
    done = httpx.post(link, data={"List-Unsubscribe": "One-Click"}, timeout=10)
    assert done.status_code == 200 and "You are unsubscribed" in done.text
    assert json.loads(run_cli(["readers", "list", "--json"], env).stdout)[0]["unsubscribed"]
    tampered = httpx.post(link[:-3] + "xyz", timeout=10)
    assert tampered.status_code == 400
