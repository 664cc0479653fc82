"""A user's loop end to end, on loopback: follow a feed, poll it, read the articles."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

from loopback import QuietHandler, SeedSite, cli_env, run_cli


def test_follow_poll_and_read(site: str, tmp_path: Path) -> None:
    env = cli_env(tmp_path, allow_private=True)
    added = run_cli(["sources", "add", f"{site}/feed.xml"], env)
    assert added.returncode == 0, added.stderr
    assert "added feed" in added.stdout and "Loopback News" in added.stdout

    first = run_cli(["poll", "--no-progress"], env)
    assert first.returncode == 0, first.stderr
    assert "added 2 articles" in first.stderr

    listed = run_cli(["articles", "--json"], env)
    assert listed.returncode == 0, listed.stderr
    titles = {article["title"] for article in json.loads(listed.stdout)}
    assert titles == {
        "It’s Time For Russia’s Remaining Jews To Leave",
        "Russia’s remaining Jews should get out while they can",
    }

    # Understood as they were stored: one story, the ledger page a copy of the JNS original.
    by_title = {article["title"]: article for article in json.loads(listed.stdout)}
    ledger = by_title["It’s Time For Russia’s Remaining Jews To Leave"]
    jns = by_title["Russia’s remaining Jews should get out while they can"]
    assert ledger["duplicate_of"] == jns["id"]
    assert jns["duplicate_of"] is None
    assert ledger["story_id"] == jns["story_id"] is not None
    names = {entity["name"] for entity in ledger["entities"]}
    assert {"Vladimir Putin", "IRGC", "Moshe Azman", "Rostov-on-Don"} <= names
    assert ledger["language"] == "en"
    stories = json.loads(run_cli(["stories", "--json"], env).stdout)
    assert len(stories) == 1
    assert stories[0]["article_count"] == 2
    assert stories[0]["representative_id"] == jns["id"]
    assert stories[0]["also_covered_by"] == 1

    page_hits = SeedSite.hits["/world/leave.html"]
    second = run_cli(["poll", "--no-progress"], env)
    assert second.returncode == 0, second.stderr
    assert "added 0 articles" in second.stderr
    assert SeedSite.hits["/world/leave.html"] == page_hits  # stored pages are not fetched again
    again = json.loads(run_cli(["articles", "--json"], env).stdout)
    assert len(again) == 2


def test_loopback_is_refused_without_the_setting(site: str, tmp_path: Path) -> None:
    env = cli_env(tmp_path, allow_private=False)
    added = run_cli(["sources", "add", f"{site}/feed.xml"], env)
    assert added.returncode == 1
    assert "127.0.0.1" in added.stderr and "HANDPICKED_ALLOW_PRIVATE_NETWORKS" in added.stderr
    assert SeedSite.hits == {}  # refused before any request was sent
    assert json.loads(run_cli(["articles", "--json"], env).stdout) == []
    assert run_cli(["sources", "list"], env).stdout == ""


def test_sources_list_remove_and_opml_round_trip(site: str, tmp_path: Path) -> None:
    env = cli_env(tmp_path, allow_private=True)
    run_cli(["sources", "add", f"{site}/feed.xml"], env)
    exported = run_cli(["sources", "export"], env)
    assert exported.returncode == 0
    assert f'xmlUrl="{site}/feed.xml"' in exported.stdout
    opml = tmp_path / "subscriptions.opml"
    opml.write_text(exported.stdout, encoding="utf-8")

    removed = run_cli(["sources", "remove", f"{site}/feed.xml"], env)
    assert removed.returncode == 0, removed.stderr
    assert run_cli(["sources", "list"], env).stdout == ""

    imported = run_cli(["sources", "import", str(opml)], env)
    assert imported.returncode == 0, imported.stderr
    assert "1 new of 1" in imported.stdout
    assert f"{site}/feed.xml" in run_cli(["sources", "list"], env).stdout


class _SlowSite(QuietHandler):
    """A feed of many pages where only the first few are served until the test opens the gate,
    so that a poll can be killed half way however fast or slow the machine is."""

    pages = 12
    served_at_once = 3
    gate = threading.Event()

    def do_GET(self) -> None:
        port = self.server.server_address[1]  # type: ignore[index]  # an (host, port) pair
        if self.path == "/feed.xml":
            items = "".join(
                f"<item><title>Story {n}</title><link>http://127.0.0.1:{port}/story/{n}</link>"
                "</item>"
                for n in range(self.pages)
            )
            body = f'<rss version="2.0"><channel><title>Slow</title>{items}</channel></rss>'
            self._send(body.encode(), "application/rss+xml")
        elif self.path.startswith("/story/"):
            n = self.path.rsplit("/", 1)[-1]
            if int(n) >= self.served_at_once:
                self.gate.wait(30)
            paragraphs = "".join(
                f"<p>Story {n}, paragraph {k}: the council met again on Tuesday and argued, at "
                f"length and with feeling, about the tram line that everyone wants.</p>"
                for k in range(5)
            )
            html = f"<html><head><title>Story {n}</title></head><body><article><h1>Story {n}"
            html += f"</h1>{paragraphs}</article></body></html>"
            self._send(html.encode(), "text/html; charset=utf-8")
        else:
            self.send_error(404)


def test_a_poll_killed_half_way_loses_nothing_and_duplicates_nothing(tmp_path: Path) -> None:
    _SlowSite.gate.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    env = cli_env(tmp_path, allow_private=True)
    try:
        site = f"http://127.0.0.1:{server.server_address[1]}"
        assert run_cli(["sources", "add", f"{site}/feed.xml"], env).returncode == 0
        poll = subprocess.Popen(
            [sys.executable, "-m", "handpicked", "poll", "--no-progress"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        stored: list[object] = []
        while time.monotonic() < deadline and len(stored) < 2:
            time.sleep(0.2)
            listed = run_cli(["articles", "--json"], env)
            stored = json.loads(listed.stdout) if listed.returncode == 0 else []
        poll.send_signal(signal.SIGKILL)
        poll.wait(timeout=10)
        assert 2 <= len(stored) <= _SlowSite.served_at_once, "the kill must land half way through"
        _SlowSite.gate.set()

        # The killed poll held leases on the pages it had claimed; the restarted poll sees that
        # their holder is dead and finishes the work at once.
        restarted = run_cli(["poll", "--no-progress"], env)
        assert restarted.returncode == 0, restarted.stderr
        finished = json.loads(run_cli(["articles", "--json"], env).stdout)
        urls = [article["url"] for article in finished]
        assert len(urls) == _SlowSite.pages
        assert len(set(urls)) == _SlowSite.pages
    finally:
        _SlowSite.gate.set()
        server.shutdown()
        server.server_close()
        thread.join()
