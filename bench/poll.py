"""Polling benchmark: handpicked's real gathering path on the WCXB dev pages, over loopback.

Serves the pages from a threaded HTTP server in a separate process, spread over 8 loopback
hosts (127.0.0.2 … 127.0.0.9, one server each; 8 ports on 127.0.0.1 when those addresses
cannot be bound), each with a robots.txt and one RSS feed listing its pages. Then, in a fresh
interpreter per measurement, adds the 8 feeds as sources to a new SQLite store and runs
:func:`handpicked.fetch.poller.poll_once` through a real :class:`~handpicked.fetch.client.Fetcher`
until the queue is empty, and prints a Markdown table, also written to ``bench/results/poll.md``:

1. a first poll with no interval between requests to a host (``per_host_interval=0``);
2. a second poll of the same store when the feeds are next due: conditional GETs answered
   304, nothing new (how long it takes to find nothing);
3. a polite first poll (``per_host_interval=0.05``) on a fresh store (skip: ``--no-polite``).

    python bench/poll.py [--dataset PATH] [--limit N] [--no-polite]

Pages are served gzip-compressed when the client accepts it, as most sites do. Seconds cover
the polls (feeds, robots.txt, pages, extraction, storage), not interpreter start; peak RSS is
the polling process's own high-water mark (the server runs elsewhere).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from xml.sax.saxutils import escape

# Runnable as `python bench/poll.py`: the repository root must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from bench.dataset import DEFAULT_DATASET, REPO_ROOT
from bench.memory import peak_rss_mb
from handpicked.fetch.client import Fetcher
from handpicked.fetch.poller import poll_once
from handpicked.store import Store, open_store

RESULTS = REPO_ROOT / "bench" / "results" / "poll.md"
HOSTS = 8
EXTRA_ADDRESSES = tuple(f"127.0.0.{n}" for n in range(2, 2 + HOSTS))
PER_HOST_CONCURRENCY = 4
POLITE_INTERVAL = 0.05
MAX_ROUNDS = 6  # polls to empty the queue when pages wait for a retry
CHILD_TIMEOUT_S = 3600
ROBOTS = b"User-agent: *\nAllow: /\n"


class DatasetMissing(Exception):
    """No WCXB pages where we looked; the message names the path."""


def page_files(dataset: Path, limit: int | None) -> list[Path]:
    """The dataset's ``html/*.html.gz`` files in name order, the first ``limit`` only."""
    folder = dataset / "html"
    files = sorted(folder.glob("*.html.gz")) if folder.is_dir() else []
    if not files:
        raise DatasetMissing(
            f"WCXB dev pages not found: expected {folder}/*.html.gz (pass --dataset PATH)"
        )
    return files[:limit] if limit is not None else files


# -- the server (its own process) ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Feed:
    """One host's feed: its body and validators."""

    body: bytes
    etag: str
    last_modified: str


class _SiteHandler(BaseHTTPRequestHandler):
    """robots.txt, a conditional feed and gzip pages; keep-alive, as real servers do."""

    protocol_version = "HTTP/1.1"
    pages: ClassVar[dict[str, bytes]] = {}  # path -> gzip bytes, shared by every host
    feeds: ClassVar[dict[int, Feed]] = {}  # local port -> that host's feed
    lock: ClassVar[threading.Lock] = threading.Lock()
    in_flight: ClassVar[int] = 0
    most_in_flight: ClassVar[int] = 0

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        cls = type(self)
        if path == "/_stats":  # the benchmark's own question, not counted: most at once, reset
            with cls.lock:
                most, cls.most_in_flight = cls.most_in_flight, 0
            self._send(200, json.dumps({"most_in_flight": most}).encode(), {})
            return
        with cls.lock:
            cls.in_flight += 1
            cls.most_in_flight = max(cls.most_in_flight, cls.in_flight)
        try:
            self._get(path)
        finally:
            with cls.lock:
                cls.in_flight -= 1

    def _get(self, path: str) -> None:
        if path == "/robots.txt":
            self._send(200, ROBOTS, {"Content-Type": "text/plain"})
        elif path == "/feed.xml":
            self._feed()
        elif (body := self.pages.get(path)) is not None:
            headers = {"Content-Type": "text/html; charset=utf-8"}
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                headers["Content-Encoding"] = "gzip"
            else:
                body = gzip.decompress(body)
            self._send(200, body, headers)
        else:
            self._send(404, b"not found", {"Content-Type": "text/plain"})

    def _feed(self) -> None:
        feed = self.feeds[self.connection.getsockname()[1]]
        validators = {"ETag": feed.etag, "Last-Modified": feed.last_modified}
        if (
            self.headers.get("If-None-Match") == feed.etag
            or self.headers.get("If-Modified-Since") == feed.last_modified
        ):
            self._send(304, b"", validators)
        else:
            self._send(200, feed.body, {"Content-Type": "application/rss+xml", **validators})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: thousands of requests."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def _bind(addresses: Sequence[str]) -> list[_Server]:
    servers: list[_Server] = []
    try:
        for address in addresses:
            servers.append(_Server((address, 0), _SiteHandler))
    except OSError:
        for server in servers:
            server.server_close()
        raise
    return servers


def _feed_body(base: str, paths: Sequence[str], host: int) -> bytes:
    items = "".join(
        f"<item><title>Page {n}</title><link>{escape(base + path)}</link>"
        f"<guid>{escape(base + path)}</guid></item>"
        for n, path in enumerate(paths, 1)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>WCXB host {host}</title><link>{escape(base)}/</link>{items}</channel></rss>"
    ).encode()


def serve(dataset: Path, limit: int | None) -> int:
    """Serve the pages until stdin closes; first print one JSON line: feeds and how served."""
    files = page_files(dataset, limit)
    fallback: str | None = None
    try:
        servers = _bind(EXTRA_ADDRESSES)
    except OSError as error:
        fallback = f"could not bind {', '.join(EXTRA_ADDRESSES[:2])}…: {error}"
        servers = _bind(["127.0.0.1"] * HOSTS)
    stamp = format_datetime(datetime(2026, 1, 1, tzinfo=UTC), usegmt=True)
    feeds: list[str] = []
    for index, server in enumerate(servers):
        host, port = str(server.server_address[0]), int(server.server_address[1])
        base = f"http://{host}:{port}"
        paths = []
        for page in files[index::HOSTS]:
            path = f"/articles/{page.name.removesuffix('.html.gz')}.html"
            _SiteHandler.pages[path] = page.read_bytes()
            paths.append(path)
        body = _feed_body(base, paths, index + 1)
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        _SiteHandler.feeds[port] = Feed(body, etag, stamp)
        feeds.append(f"{base}/feed.xml")
    threads = [
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        for server in servers
    ]
    for thread in threads:
        thread.start()
    print(json.dumps({"feeds": feeds, "pages": len(files), "fallback": fallback}), flush=True)
    sys.stdin.read()  # the parent closes our stdin when it is done
    for server in servers:
        server.shutdown()
        server.server_close()
    return 0


# -- one measurement (its own process) -----------------------------------------------------------


@dataclass(slots=True)
class Measurement:
    """What one measured run did, as the parent reads it back (JSON)."""

    pages: int = 0  # queued pages handled: stored, duplicate or failed
    articles: int = 0  # new articles stored
    failed: int = 0
    pending_left: int = 0
    most_in_flight: int = 0  # most requests the server had at once, over all hosts
    sources_polled: int = 0
    sources_unchanged: int = 0
    sources_failed: int = 0
    rounds: int = 0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    reasons: dict[str, int] | None = None  # failure reasons, shortened, with counts


def _short(reason: str) -> str:
    """A failure reason without its URL, so that like failures count together."""
    words = [w for w in reason.split() if not w.startswith(("http://", "https://"))]
    return " ".join(words)[:120]


def _next_retry(store: Store) -> datetime | None:
    """When the earliest page waiting for a retry is due again (None: the queue is empty)."""
    with store.engine.connect() as connection:
        value = connection.execute(
            text("SELECT MIN(next_attempt_at) FROM pending_urls WHERE state = 'pending'")
        ).scalar()
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def _measure(spec: dict[str, Any]) -> Measurement:
    store = open_store(str(spec["database"]))
    try:
        for url in spec["feeds"]:
            store.sources.add(str(url), "feed")
        before = store.queue.counts()
        articles_before = store.articles.count()
        moment = datetime.fromisoformat(str(spec["at"]))
        result = Measurement()
        reasons: Counter[str] = Counter()
        started = time.perf_counter()
        async with Fetcher(
            allow_private_networks=True,
            respect_robots=True,
            per_host_concurrency=PER_HOST_CONCURRENCY,
            per_host_interval=float(spec["interval"]),
        ) as fetcher:
            while result.rounds < MAX_ROUNDS:
                # Every page the feeds list: the benchmark measures the whole dataset, not
                # the per-poll cap that keeps a real desk's sources fair to one another.
                report = await poll_once(store, fetcher, now=moment, max_new_per_source=sys.maxsize)
                result.rounds += 1
                result.sources_polled += report.sources_polled
                result.sources_unchanged += report.sources_unchanged
                result.sources_failed += report.sources_failed
                reasons.update(_short(reason) for _url, reason in report.errors)
                due = _next_retry(store)
                if due is None:
                    break
                moment = max(due, moment) + timedelta(seconds=1)
        result.seconds = time.perf_counter() - started
        after = store.queue.counts()
        result.pages = (after["done"] + after["failed"]) - (before["done"] + before["failed"])
        result.failed = after["failed"] - before["failed"]
        result.pending_left = after["pending"]
        result.articles = store.articles.count() - articles_before
        result.peak_rss_mb = peak_rss_mb()
        result.reasons = dict(reasons.most_common())
        return result
    finally:
        store.close()


def measure(spec_json: str) -> int:
    result = asyncio.run(_measure(json.loads(spec_json)))
    print(json.dumps(asdict(result)), flush=True)
    return 0


# -- the parent ----------------------------------------------------------------------------------


def _run_child(spec: dict[str, Any]) -> Measurement:
    command = [sys.executable, str(Path(__file__).resolve()), "--measure", json.dumps(spec)]
    done = subprocess.run(
        command, stdout=subprocess.PIPE, text=True, timeout=CHILD_TIMEOUT_S, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"measurement failed (exit {done.returncode}): {spec['label']}")
    lines = done.stdout.strip().splitlines()
    return Measurement(**json.loads(lines[-1]))


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    result: Measurement


def _rate(result: Measurement) -> str:
    return f"{result.pages / result.seconds:.1f}" if result.pages and result.seconds else "—"


def render(rows: Sequence[Row], served: int, fallback: str | None) -> str:
    hosts = (
        f"{HOSTS} ports on 127.0.0.1 (fallback: {fallback}; the fetcher's per-host gate is "
        "keyed by host name, so all 8 share one gate)"
        if fallback
        else f"{HOSTS} loopback hosts ({EXTRA_ADDRESSES[0]} … {EXTRA_ADDRESSES[-1]})"
    )
    lines = [
        "# Polling: feeds to stored articles over loopback",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores. {served:,} WCXB dev "
        f"pages served gzip-compressed from {hosts}, one RSS feed and robots.txt per host; "
        f"`poll_once` through `Fetcher(respect_robots=True, "
        f"per_host_concurrency={PER_HOST_CONCURRENCY})` into a fresh SQLite store. Pages are "
        "queued pages handled (stored, duplicates of a stored article, or failed); seconds "
        "cover the polls, not interpreter start; peak RSS is the polling process alone.",
        "",
        "| run | pages | articles stored | failed | seconds | pages/s | peak RSS MB "
        "| most requests at once |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        result = row.result
        lines.append(
            f"| {row.label} | {result.pages:,} | {result.articles:,} | {result.failed:,} | "
            f"{result.seconds:.2f} | {_rate(result)} | {result.peak_rss_mb:.0f} | "
            f"{result.most_in_flight} |"
        )
    lines.append("")
    for row in rows:
        if row.result.reasons:
            lines.append(f"Failures in “{row.label}”:")
            lines += [f"- {count} × {reason}" for reason, count in row.result.reasons.items()]
            lines.append("")
    return "\n".join(lines)


def _most_in_flight(feed_url: str) -> int:
    """Ask the page server how many requests it had at once since last asked (all hosts)."""
    stats_url = feed_url.rsplit("/", 1)[0] + "/_stats"
    with urllib.request.urlopen(stats_url, timeout=10) as response:  # loopback, our server
        return int(json.loads(response.read())["most_in_flight"])


def _start_server(dataset: Path, limit: int | None) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    command = [sys.executable, str(Path(__file__).resolve()), "--serve", "--dataset", str(dataset)]
    if limit is not None:
        command += ["--limit", str(limit)]
    server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    line = server.stdout.readline()
    if not line:
        server.wait(timeout=30)
        raise RuntimeError(f"the page server did not start (exit {server.returncode})")
    info: dict[str, Any] = json.loads(line)
    return server, info


def _stop_server(server: subprocess.Popen[str]) -> None:
    if server.stdin is not None:
        server.stdin.close()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--limit", type=int, default=None, help="first N pages (default all)")
    parser.add_argument("--no-polite", action="store_true", help="skip the polite run")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", metavar="SPEC", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    if args.measure:
        return measure(args.measure)
    try:
        if args.serve:
            return serve(args.dataset, args.limit)
        page_files(args.dataset, args.limit)  # fail early, with the path, before any process
    except DatasetMissing as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    server, info = _start_server(args.dataset, args.limit)
    if info["fallback"]:
        print(
            f"note: {info['fallback']}; serving {HOSTS} ports on 127.0.0.1 instead, which the "
            "fetcher treats as one host (one per-host gate)",
            file=sys.stderr,
        )
    rows: list[Row] = []
    try:
        with tempfile.TemporaryDirectory(prefix="handpicked-bench-poll-") as folder:
            start = datetime.now(UTC)
            runs: list[tuple[str, str, float, datetime]] = [
                ("first poll, per_host_interval=0", "fast.sqlite", 0.0, start),
                (
                    "second poll, 30 min later: conditional GETs, nothing new",
                    "fast.sqlite",
                    0.0,
                    start + timedelta(minutes=31),
                ),
            ]
            if not args.no_polite:
                runs.append(
                    (
                        f"polite first poll, per_host_interval={POLITE_INTERVAL:g} s",
                        "polite.sqlite",
                        POLITE_INTERVAL,
                        start,
                    )
                )
            for label, database, interval, at in runs:
                spec = {
                    "label": label,
                    "database": f"sqlite:///{Path(folder) / database}",
                    "feeds": info["feeds"],
                    "interval": interval,
                    "at": at.isoformat(),
                }
                _most_in_flight(info["feeds"][0])  # reset the server's count
                result = _run_child(spec)
                result.most_in_flight = _most_in_flight(info["feeds"][0])
                if result.sources_unchanged:
                    label += f" ({result.sources_unchanged}/{result.sources_polled} feeds: 304)"
                print(
                    f"{label}: {result.pages} pages, {result.articles} articles, "
                    f"{result.failed} failed, {result.seconds:.1f} s",
                    file=sys.stderr,
                )
                rows.append(Row(label, result))
    finally:
        _stop_server(server)
    markdown = render(rows, int(info["pages"]), info["fallback"])
    print(markdown)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(markdown, encoding="utf-8")
    print(f"written: {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
