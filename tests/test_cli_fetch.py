"""``handpicked extract URL`` against real HTTP servers on 127.0.0.1: the command reads URLs
through the poller's guarded fetcher, so it gets the same limits and the same refusals."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner, Result

from handpicked.cli import cli
from handpicked.fetch.client import DEFAULT_USER_AGENT

FIXTURES = Path(__file__).parent / "fixtures" / "seed-article"
SEED = FIXTURES / "page.html"
SEED_TITLE = "It’s Time For Russia’s Remaining Jews To Leave"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 8
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")


def invoke(*args: str) -> Result:
    """Run the CLI in-process; exceptions propagate so a crash fails the test loudly."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def one_gigabyte_of_zeros_gzipped() -> bytes:
    """A single gzip member that inflates to 1 GiB of zeros (about 4.6 MB): a client that
    decompresses a member in one call, as plain httpx does, holds the whole gigabyte."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(16 * 1024 * 1024)
    return b"".join([packer.compress(zeros) for _ in range(64)] + [packer.flush()])


class _Handler(BaseHTTPRequestHandler):
    """Routes for every way a fetch can go: fine, redirected, missing, huge, slow, hostile."""

    seen_agents: ClassVar[list[str]] = []
    stop: ClassVar[threading.Event] = threading.Event()
    bomb: ClassVar[bytes] = b""  # gzip around gzip around 1 GiB of zeros (a few KB)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def _send(
        self, status: int, body: bytes, content_type: str = "text/html", **headers: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        try:
            self._route()
        except OSError:  # the client gave up (too large, timed out): that is the point
            self.close_connection = True

    def _route(self) -> None:
        path = self.path
        if path == "/article":
            self._send(200, SEED.read_bytes(), "text/html; charset=utf-8")
        elif path == "/cp1252":
            body = "<html><head><title>Un café crème</title></head></html>".encode("cp1252")
            self._send(200, body, "text/html; charset=windows-1252")
        elif path == "/gzip-encoded":
            self._send(200, gzip.compress(SEED.read_bytes()), Content_Encoding="gzip")
        elif path == "/gzip-file":  # a .html.gz served as it is, with no Content-Encoding
            self._send(200, gzip.compress(SEED.read_bytes()), "application/gzip")
        elif path == "/bomb-two-encodings":
            self._send(200, self.bomb, Content_Encoding="gzip, gzip")
        elif path == "/bomb-gzip-file":  # the inner layer is a gzip file, not an encoding
            self._send(200, self.bomb, Content_Encoding="gzip")
        elif path == "/redirect":
            self._redirect("/hop/2")
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            self._redirect(f"/hop/{left - 1}" if left > 0 else "/article")
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/to-metadata":
            self._redirect("http://169.254.169.254/latest/meta-data/iam/security-credentials/")
        elif path == "/to-metadata-v6":
            self._redirect("http://[::a9fe:a9fe]/latest/meta-data/")
        elif path == "/missing":
            self._send(404, b"<h1>Not found</h1>")
        elif path == "/broken":
            self._send(503, b"<h1>Down</h1>")
        elif path == "/image":
            self._send(200, PNG, "image/png")
        elif path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(30 * 1024 * 1024))
            self.end_headers()
            self.wfile.write(b"<html>" + b" " * 1024)
        elif path == "/big-streamed":  # no length: the client must count and stop
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.close_connection = True
            chunk = b"<p>" + b"x" * 65_536 + b"</p>"
            for _ in range(64):
                self.wfile.write(chunk)
        elif path == "/slow":
            time.sleep(8)
            self._send(200, SEED.read_bytes())
        elif path == "/trickle":  # each byte in time, the whole far too late
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.close_connection = True
            for _ in range(40):
                self.wfile.write(b"<p>.</p>" * 8)
                self.wfile.flush()
                time.sleep(0.1)
        elif path == "/no-headers":  # never a status line: waits until the test ends
            self.close_connection = True
            self.stop.wait(30)
        elif path == "/trickled-headers":  # a header byte now and then, never the blank line
            self.close_connection = True
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while not self.stop.wait(0.2):
                self.wfile.write(b"x")
                self.wfile.flush()
        else:
            self._send(404, b"no route")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A threaded HTTP server on a free port of 127.0.0.1; yields its base URL."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("HANDPICKED_ALLOW_PRIVATE_NETWORKS", raising=False)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    _Handler.stop.clear()
    thread.start()
    _Handler.seen_agents.clear()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        _Handler.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def extract(*args: str) -> Result:
    """``handpicked extract ARGS --allow-private``: the test server is on loopback."""
    return invoke("extract", *args, "--allow-private")


# --- The same fetcher as polling --------------------------------------------------------------


def test_url_is_fetched_with_the_one_user_agent(server: str) -> None:
    result = extract(f"{server}/article", "--json")
    assert result.exit_code == 0, result.stderr
    (record,) = json_lines(result.stdout)
    assert SEED_TITLE in record["title"]
    assert record["source"] == record["url"] == f"{server}/article"
    assert _Handler.seen_agents == [DEFAULT_USER_AGENT]  # robots.txt is not asked for either


def test_proxy_variables_are_not_followed(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing listens on port 9: a client that took the proxy from the environment would fail.
    for name in PROXY_VARIABLES:
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    result = extract(f"{server}/article", "--json")
    assert result.exit_code == 0, result.stderr


def test_redirects_are_followed_and_the_final_url_kept(server: str) -> None:
    result = extract(f"{server}/redirect", "--json")
    assert result.exit_code == 0, result.stderr
    (record,) = json_lines(result.stdout)
    assert record["source"] == f"{server}/redirect"
    assert record["url"] == f"{server}/article"
    assert SEED_TITLE in record["title"]


def test_too_many_redirects(server: str) -> None:
    # /hop/N redirects N + 1 times: five redirects are allowed, six are not.
    result = extract(f"{server}/hop/4", f"{server}/hop/5", f"{server}/loop", "--json")
    assert result.exit_code == 1
    assert [record["source"] for record in json_lines(result.stdout)] == [f"{server}/hop/4"]
    assert f"error: {server}/hop/5: more than 5 redirects" in result.stderr
    assert f"error: {server}/loop: redirect loop" in result.stderr


def test_content_type_charset_is_passed_to_the_engine(server: str) -> None:
    result = extract(f"{server}/cp1252", "--json")
    assert result.exit_code == 0, result.stderr
    assert json_lines(result.stdout)[0]["title"] == "Un café crème"


@pytest.mark.parametrize("path", ["/gzip-encoded", "/gzip-file"])
def test_gzip_is_undone_whether_encoded_or_a_gzip_file(server: str, path: str) -> None:
    result = extract(f"{server}{path}", "--json")
    assert result.exit_code == 0, result.stderr
    assert SEED_TITLE in json_lines(result.stdout)[0]["title"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "HTTP 404 Not Found from"),
        ("/broken", "HTTP 503 Service Unavailable from"),
        ("/image", "input looks like binary data"),
        ("/big-declared", "input is over the 20 MB limit; pass a larger --max-bytes"),
    ],
)
def test_url_failures_name_the_url_and_the_cause(server: str, path: str, message: str) -> None:
    result = extract(f"{server}{path}", str(SEED), "--json")
    assert result.exit_code == 1
    assert f"error: {server}{path}: {message}" in result.stderr
    assert len(json_lines(result.stdout)) == 1


def test_a_server_error_is_not_retried(server: str) -> None:
    extract(f"{server}/broken")
    assert len(_Handler.seen_agents) == 1  # the user is waiting: one try, then the reason


def test_streamed_body_over_the_limit_is_cut_off(server: str) -> None:
    started = time.monotonic()
    result = extract(f"{server}/big-streamed", "--max-bytes", "200k")
    assert result.exit_code == 1
    assert "over the 0.2 MB limit; pass a larger --max-bytes" in result.stderr
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("path", ["/slow", "/trickle", "/no-headers", "/trickled-headers"])
def test_slow_responses_time_out(server: str, path: str) -> None:
    started = time.monotonic()
    result = extract(f"{server}{path}", "--timeout", "0.5")
    elapsed = time.monotonic() - started
    assert result.exit_code == 1
    assert f"error: {server}{path}: timed out after 0.5 s" in result.stderr
    assert "--timeout" in result.stderr
    assert elapsed < 5  # the server takes 8 s or forever; the margin is for a busy machine


def test_unreachable_host_is_reported() -> None:
    result = extract("http://127.0.0.1:9/nothing-listens-here", "--timeout", "2")
    assert result.exit_code == 1
    assert "could not connect to 127.0.0.1" in result.stderr


def test_urls_with_jobs(server: str) -> None:
    urls = [f"{server}/article", f"{server}/missing", f"{server}/redirect"]
    serial = extract(*urls, "--json")
    parallel = extract(*urls, "--json", "--jobs", "3")
    assert parallel.exit_code == serial.exit_code == 1
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr


# --- Private addresses and metadata -----------------------------------------------------------


def test_loopback_is_refused_without_allow_private(server: str) -> None:
    result = invoke("extract", f"{server}/article", "--json")
    assert result.exit_code == 1
    assert f"error: {server}/article: refused: 127.0.0.1 is a loopback address" in result.stderr
    assert "--allow-private" in result.stderr
    assert _Handler.seen_agents == []  # refused before connecting


def test_the_setting_allows_private_addresses_too(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HANDPICKED_ALLOW_PRIVATE_NETWORKS", "1")
    result = invoke("extract", f"{server}/article", "--json", "--jobs", "2")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("path", ["/to-metadata", "/to-metadata-v6"])
def test_a_redirect_to_cloud_metadata_is_refused_even_with_allow_private(
    server: str, path: str
) -> None:
    result = extract(f"{server}{path}", "--timeout", "5")
    assert result.exit_code == 1
    assert "a cloud metadata address, which is never fetched" in result.stderr


# --- Compression bombs, as a real process -----------------------------------------------------


# The child reports its own peak (VmHWM) as it exits. Its rusage would not do: a child started
# with vfork, as subprocess does, keeps the parent's peak (this test process's) past exec.
_REPORT_PEAK = """
import atexit, sys
def peak():
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    sys.stderr.write(f"\\npeak-kb {kb}\\n")
atexit.register(peak)
from handpicked.cli import main
sys.argv[0] = "handpicked"
main()
"""


def _run_measured(args: list[str]) -> tuple[int, str, int]:
    """Run ``handpicked ARGS``; its exit status, standard error and peak memory (bytes)."""
    process = subprocess.run(
        [sys.executable, "-c", _REPORT_PEAK, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=300,
        check=False,
    )
    stderr = process.stderr.decode("utf-8", "replace")
    peak_kb = int(stderr.rsplit("peak-kb ", 1)[1].split()[0])
    return process.returncode, stderr, peak_kb * 1024


@pytest.fixture(scope="module")
def bomb() -> Iterator[None]:
    _Handler.bomb = gzip.compress(one_gigabyte_of_zeros_gzipped())
    yield
    _Handler.bomb = b""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("path", ["/bomb-two-encodings", "/bomb-gzip-file"])
@pytest.mark.usefixtures("bomb")
def test_a_double_gzip_bomb_is_refused_in_little_memory(server: str, path: str) -> None:
    assert len(_Handler.bomb) < 100_000
    status, stderr, peak = _run_measured(["extract", f"{server}{path}", "--allow-private"])
    assert status == 1
    assert f"error: {server}{path}: input is over the 20 MB limit" in stderr
    assert peak < 300 * 1024 * 1024, f"peak memory {peak / 1_048_576:.0f} MB"
