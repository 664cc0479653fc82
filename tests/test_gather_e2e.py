"""A user's loop end to end, on loopback: follow a feed, poll it, read the articles."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SEED = Path(__file__).parent / "fixtures" / "seed-article"


class _Site(BaseHTTPRequestHandler):
    """A tiny news site: an RSS feed listing the seed page and its syndicated copy."""

    hits: dict[str, int] = {}  # noqa: RUF012  (shared on purpose: counts every request)

    def do_GET(self) -> None:
        type(self).hits[self.path] = type(self).hits.get(self.path, 0) + 1
        port = self.server.server_address[1]  # type: ignore[index]  # an (host, port) pair
        base = f"http://127.0.0.1:{port}"
        if self.path == "/feed.xml":
            body = (
                '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                "<title>Loopback News</title><link>/</link>"
                f"<item><title>One</title><link>{base}/world/leave.html</link>"
                "<pubDate>Fri, 30 Jun 2023 09:15:00 GMT</pubDate></item>"
                f"<item><title>Two</title><link>{base}/opinion/get-out.html</link></item>"
                "</channel></rss>"
            ).encode()
            self._send(body, "application/rss+xml")
        elif self.path == "/world/leave.html":
            self._send((SEED / "page.html").read_bytes(), "text/html; charset=utf-8")
        elif self.path == "/opinion/get-out.html":
            self._send((SEED / "syndicated-copy.html").read_bytes(), "text/html; charset=utf-8")
        else:
            self.send_error(404)

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test output is for the test."""


@pytest.fixture
def site() -> Iterator[str]:
    _Site.hits = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "handpicked", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _env(tmp_path: Path, allow_private: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDPICKED_")}
    env["HANDPICKED_DATABASE_URL"] = f"sqlite:///{tmp_path / 'news.db'}"
    env["HANDPICKED_DATA_DIR"] = str(tmp_path)
    if allow_private:
        env["HANDPICKED_ALLOW_PRIVATE_NETWORKS"] = "1"
    return env


def test_follow_poll_and_read(site: str, tmp_path: Path) -> None:
    env = _env(tmp_path, allow_private=True)
    added = _run(["sources", "add", f"{site}/feed.xml"], env)
    assert added.returncode == 0, added.stderr
    assert "added feed" in added.stdout and "Loopback News" in added.stdout

    first = _run(["poll", "--no-progress"], env)
    assert first.returncode == 0, first.stderr
    assert "added 2 articles" in first.stderr

    listed = _run(["articles", "--json"], env)
    assert listed.returncode == 0, listed.stderr
    titles = {article["title"] for article in json.loads(listed.stdout)}
    assert titles == {
        "It’s Time For Russia’s Remaining Jews To Leave",
        "Russia’s remaining Jews should get out while they can",
    }

    page_hits = _Site.hits["/world/leave.html"]
    second = _run(["poll", "--no-progress"], env)
    assert second.returncode == 0, second.stderr
    assert "added 0 articles" in second.stderr
    assert _Site.hits["/world/leave.html"] == page_hits  # stored pages are not fetched again
    again = json.loads(_run(["articles", "--json"], env).stdout)
    assert len(again) == 2


def test_loopback_is_refused_without_the_setting(site: str, tmp_path: Path) -> None:
    env = _env(tmp_path, allow_private=False)
    added = _run(["sources", "add", f"{site}/feed.xml"], env)
    assert added.returncode == 1
    assert "127.0.0.1" in added.stderr and "HANDPICKED_ALLOW_PRIVATE_NETWORKS" in added.stderr
    assert _Site.hits == {}  # refused before any request was sent
    assert json.loads(_run(["articles", "--json"], env).stdout) == []
    assert _run(["sources", "list"], env).stdout == ""


def test_sources_list_remove_and_opml_round_trip(site: str, tmp_path: Path) -> None:
    env = _env(tmp_path, allow_private=True)
    _run(["sources", "add", f"{site}/feed.xml"], env)
    exported = _run(["sources", "export"], env)
    assert exported.returncode == 0
    assert f'xmlUrl="{site}/feed.xml"' in exported.stdout
    opml = tmp_path / "subscriptions.opml"
    opml.write_text(exported.stdout, encoding="utf-8")

    removed = _run(["sources", "remove", f"{site}/feed.xml"], env)
    assert removed.returncode == 0, removed.stderr
    assert _run(["sources", "list"], env).stdout == ""

    imported = _run(["sources", "import", str(opml)], env)
    assert imported.returncode == 0, imported.stderr
    assert "1 new of 1" in imported.stdout
    assert f"{site}/feed.xml" in _run(["sources", "list"], env).stdout
