"""A loopback news site (an RSS feed of the seed page and its syndicated copy) and helpers to
run the ``handpicked`` command against it, for the end-to-end tests of every stage."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from served import handler_on_loopback

SEED = Path(__file__).parent / "fixtures" / "seed-article"


class QuietHandler(BaseHTTPRequestHandler):
    """Sends whole bodies and keeps quiet: the test output is for the test."""

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test output is for the test."""


class SeedSite(QuietHandler):
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


class SeedHome(SeedSite):
    """The same site with a home page that advertises its feed, as most news sites do."""

    def do_GET(self) -> None:
        if self.path != "/":
            super().do_GET()
            return
        type(self).hits["/"] = type(self).hits.get("/", 0) + 1
        body = (
            b'<!doctype html><html><head><title>Loopback News</title><link rel="alternate" '
            b'type="application/rss+xml" href="/feed.xml"></head><body><p>News</p></body></html>'
        )
        self._send(body, "text/html; charset=utf-8")


@pytest.fixture
def home_site() -> Iterator[str]:
    """A loopback news site with a home page; ``host:port``, the address without a scheme."""
    SeedSite.hits = {}
    with handler_on_loopback(SeedHome) as base:
        yield base.removeprefix("http://")


@pytest.fixture
def site() -> Iterator[str]:
    SeedSite.hits = {}
    with handler_on_loopback(SeedSite) as base:
        yield base


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "handpicked", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def cli_env(tmp_path: Path, allow_private: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDPICKED_")}
    env["HANDPICKED_DATABASE_URL"] = f"sqlite:///{tmp_path / 'news.db'}"
    env["HANDPICKED_DATA_DIR"] = str(tmp_path)
    if allow_private:
        env["HANDPICKED_ALLOW_PRIVATE_NETWORKS"] = "1"
    return env
