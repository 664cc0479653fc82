"""``handpicked deliver`` killed with SIGKILL half way, then run again: every reader gets their
digest exactly once, whether the kill came before a message was handed over or while the
server was taking it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from newsroom import Newsroom
from smtp_sink import SmtpTestServer

from handpicked.store import open_store

READERS = 16
KILL_AT = 6


def _deliver(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "handpicked", "deliver", "--no-progress"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("moment", ["before the message", "while the server takes it"])
def test_a_killed_delivery_run_sends_each_digest_exactly_once(
    moment: str, smtp_server: SmtpTestServer, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'news.db'}"
    now = datetime.now(UTC)
    slot = (now - timedelta(minutes=10)).strftime("%H:%M")
    with open_store(url) as store:
        newsroom = Newsroom(store, now=now)
        newsroom.article("Putin speaks", entities=[("Vladimir Putin", "person")], hours_ago=1)
        for n in range(READERS):
            reader = newsroom.reader(f"reader{n}@example.com", schedule=f"daily {slot}")
            newsroom.follow(reader, "Putin")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDPICKED_")}
    env |= {
        "HANDPICKED_DATABASE_URL": url,
        "HANDPICKED_DATA_DIR": str(tmp_path),
        "HANDPICKED_SMTP_URL": f"smtp://{smtp_server.host}:{smtp_server.port}",
    }
    first = _deliver(env)
    seen = Counter[str]()

    def kill_on(event: str) -> None:
        seen[event] += 1
        if seen[event] == KILL_AT:
            os.kill(first.pid, signal.SIGKILL)

    smtp_server.rcpt_delay_s = 0.05
    if moment == "before the message":
        smtp_server.on_rcpt = lambda _address: kill_on("rcpt")
    else:
        smtp_server.on_data = lambda: kill_on("data")
    first.communicate(timeout=60)
    assert first.returncode == -signal.SIGKILL
    assert 0 < len(smtp_server.received) < READERS

    smtp_server.on_rcpt = smtp_server.on_data = None
    second = _deliver(env)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err

    delivered = Counter(to for message in smtp_server.received for to in message.rcpt_tos)
    assert delivered == Counter({f"reader{n}@example.com": 1 for n in range(READERS)})
    with open_store(url) as store:
        states = Counter(d.state for d in store.deliveries.list())
    if moment == "before the message":
        assert states == Counter({"sent": READERS})
    else:  # the one being handed over is not resent: the server had it, as the count shows
        assert states == Counter({"sent": READERS - 1, "uncertain": 1})
        assert "1 uncertain (not resent)" in out
