"""A real client that no one here wrote: Debian's newsboat in FeedHQ mode (the Google Reader
API) against the app on a real server (uvicorn on loopback). It signs in with the reader's
email and password, syncs their subscriptions with the full clean article and the pick's
reason, sends a read mark made in its own screens (driven through a terminal), and shows the
read state the desk holds.

newsboat is never downloaded: without it this test skips, except in CI (``CI=true``), where
it fails with the reason, as the browser tests do (``make test`` runs
scripts/ensure-newsboat.sh first)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import sqlite3
import struct
import subprocess
import termios
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from newsroom import Newsroom
from served import free_port, serving

from handpicked.web.app import create_app
from handpicked.web.greader.ids import long_item_id

from ..conftest import web_settings
from .conftest import BODY_SENTENCE, EMAIL, PASSWORD, PREFIX, Desk

TIMEOUT_S = 60
PICKS = "Your picks"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.fixture(scope="module")
def newsboat() -> str:
    found = shutil.which("newsboat")
    if found is None:
        reason = "newsboat not found (apt-get install newsboat; scripts/ensure-newsboat.sh)"
        if _in_ci():
            pytest.fail(f"The Google Reader API test needs newsboat in CI: {reason}",
                        pytrace=False)  # fmt: skip
        pytest.skip(reason)
    return found


@pytest.fixture
def server(newsroom: Newsroom, app_desk: Desk, tmp_path: Path) -> Iterator[str]:
    """The app on a real uvicorn server in a thread."""
    port = free_port()
    app = create_app(web_settings(tmp_path, f"http://127.0.0.1:{port}"), newsroom.store)
    with serving(app, port) as base:
        yield base


class Newsboat:
    """newsboat with its own config, URL file, cache and home in a temporary folder."""

    def __init__(self, binary: str, folder: Path, server: str) -> None:
        self.binary = binary
        self.folder = folder
        self.cache = folder / "cache.db"
        (folder / "home").mkdir(parents=True)
        # A query feed over the synced items: the reader's picks, by the reason they carry.
        (folder / "urls").write_text(f'"query:{PICKS}:content =~ \\"Picked because\\""\n')
        (folder / "config").write_text(
            'urls-source "feedhq"\n'
            f'feedhq-url "{server}{PREFIX}"\n'
            f'feedhq-login "{EMAIL}"\n'
            f'feedhq-password "{PASSWORD}"\n'
            "feedhq-show-special-feeds no\n"  # FeedHQ's own site's feeds, not ours
        )
        self.env = {**os.environ, "HOME": str(folder / "home"), "TERM": "xterm",
                    "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}  # fmt: skip

    def args(self, *extra: str) -> list[str]:
        return [self.binary, "-C", str(self.folder / "config"), "-u", str(self.folder / "urls"),
                "-c", str(self.cache), *extra]  # fmt: skip

    def execute(self, command: str) -> str:
        """``newsboat -x command``, its output."""
        done = subprocess.run(
            self.args("-x", command), env=self.env, cwd=self.folder, capture_output=True,
            text=True, timeout=TIMEOUT_S, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def items(self) -> dict[str, tuple[str, bool, str, str]]:
        """newsboat's cache: guid -> (title, unread, content, its feed's title)."""
        with sqlite3.connect(self.cache) as cache:
            rows = cache.execute(
                "SELECT i.guid, i.title, i.unread, i.content, f.title FROM rss_item i"
                " JOIN rss_feed f ON f.rssurl = i.feedurl"
            ).fetchall()
        return {guid: (title, bool(unread), content, feed) for guid, title, unread, content, feed
                in rows}  # fmt: skip

    def keys(self, *steps: tuple[bytes, bytes], then: bytes = b"") -> str:
        """Run newsboat in a terminal: for each step, wait until the screen shows the text,
        then press the keys; then press ``then``'s keys a second apart (screens newsboat
        only partly redraws cannot be waited for), and wait for it to quit. Returns what it
        drew."""
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        process = subprocess.Popen(
            self.args(), stdin=slave, stdout=slave, stderr=slave, env=self.env,
            cwd=self.folder, start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        screen = b""
        try:
            for expected, keys in steps:
                deadline = time.monotonic() + TIMEOUT_S
                while expected not in screen:
                    assert time.monotonic() < deadline, f"newsboat never showed {expected!r}"
                    ready, _, _ = select.select([master], [], [], 0.2)
                    if ready:
                        screen += os.read(master, 65536)
                time.sleep(0.5)  # drawn is not yet listening: newsboat drops early keys
                screen = b""  # the next step waits for what these keys bring
                os.write(master, keys)
            for key in then:
                time.sleep(1)
                os.write(master, bytes([key]))
            deadline = time.monotonic() + TIMEOUT_S
            while process.poll() is None and time.monotonic() < deadline:
                ready, _, _ = select.select([master], [], [], 0.2)
                if ready:
                    try:
                        screen += os.read(master, 65536)
                    except OSError:
                        break
            assert process.wait(TIMEOUT_S) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            os.close(master)
        return screen.decode("utf-8", "replace")


def test_newsboat_syncs_the_picks_with_full_text_and_its_read_mark_reaches_the_desk(
    newsboat: str, server: str, app_desk: Desk, newsroom: Newsroom, tmp_path: Path
) -> None:
    client = Newsboat(newsboat, tmp_path / "newsboat", server)
    client.execute("reload")
    items = client.items()
    pick, other = long_item_id(app_desk.pick), long_item_id(app_desk.other)
    assert set(items) == {pick, other}  # the reader's feeds' items, nothing else
    title, unread, content, feed = items[pick]
    assert (title, unread, feed) == ("Putin meets envoy", True, "Daily Ledger")
    assert BODY_SENTENCE in content  # the whole clean article, not a teaser
    assert "Picked because you follow Vladimir Putin" in content
    assert items[other][3] == "Wire Service"
    assert "2 unread articles" in client.execute("print-unread")

    # Read in newsboat: open the picks (the first feed), then the pick.
    client.keys(
        (b"Daily Ledger", b"\r"),
        (f"Articles in feed '{PICKS}' (1 unread, 1 total)".encode(), b"\r"),
        (BODY_SENTENCE.encode()[:40], b"q"),
        then=b"qq",  # back to the feeds, and quit
    )
    reading = newsroom.store.reading
    deadline = time.monotonic() + 10
    while not reading.read_ids(app_desk.reader.id, [app_desk.pick]):
        assert time.monotonic() < deadline, "newsboat's read mark never reached the desk"
        time.sleep(0.1)
    assert reading.read_ids(app_desk.reader.id, [app_desk.other]) == set()

    # And the other way: read on the desk (the web app), newsboat shows it read.
    reading.mark_read(app_desk.reader.id, [app_desk.other], datetime.now(UTC))
    client.execute("reload")
    assert not client.items()[other][1]
    assert "0 unread articles" in client.execute("print-unread")
