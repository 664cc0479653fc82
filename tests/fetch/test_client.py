"""The fetcher against a real, misbehaving local server: limits, retries, redirects, politeness."""

from __future__ import annotations

import asyncio
import gzip
import shutil
import socket
import ssl
import subprocess
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from handpicked.fetch import (
    Fetcher,
    FetchError,
    RobotsDisallowed,
    UnsafeAddressError,
    fetch_sync,
)
from handpicked.fetch.client import parse_retry_after

from .conftest import Exchange, LocalServer, Reply

pytestmark = pytest.mark.anyio

PAGE = b"<html><body><p>" + b"handpicked news " * 500 + b"</p></body></html>"


def quick(**options: Any) -> Fetcher:
    """A fetcher for tests: loopback allowed, no robots, no waiting unless a test asks."""
    settings: dict[str, Any] = {
        "allow_private_networks": True,
        "respect_robots": False,
        "per_host_interval": 0.0,
        "timeout": 2.0,
        "retries": 2,
        "backoff_base": 0.01,
        "backoff_max": 2.0,
    }
    return Fetcher(**(settings | options))


async def test_gzip_page_is_decompressed(server: LocalServer) -> None:
    url = server.route(
        "/page", Reply(200, gzip.compress(PAGE), {"Content-Encoding": "gzip", "ETag": '"a"'})
    )
    async with quick() as fetcher:
        result = await fetcher.fetch(url)
    assert (result.status, result.content, result.url) == (200, PAGE, url)
    assert (result.etag, result.not_modified) == ('"a"', False)
    assert result.headers["Content-Encoding"] == "gzip"
    hit = server.hits[0]
    assert "gzip" in hit.headers["accept-encoding"]
    assert hit.headers["user-agent"].startswith("handpicked/")


async def test_raw_deflate_and_plain_bodies(server: LocalServer) -> None:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    raw = packer.compress(PAGE) + packer.flush()
    deflated = server.route("/raw", Reply(200, raw, {"Content-Encoding": "deflate"}))
    plain = server.route("/plain", Reply(200, PAGE, {"Content-Type": "text/html"}))
    async with quick() as fetcher:
        assert (await fetcher.fetch(deflated)).content == PAGE
        result = await fetcher.fetch(plain)
    assert (result.content, result.content_type) == (PAGE, "text/html")


async def test_brotli_page_is_decompressed(server: LocalServer) -> None:
    brotli = pytest.importorskip("brotli")
    url = server.route("/br", Reply(200, brotli.compress(PAGE), {"Content-Encoding": "br"}))
    async with quick() as fetcher:
        assert (await fetcher.fetch(url)).content == PAGE


async def test_compression_bomb_is_stopped_at_the_limit(server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * 20_000_000)  # about 20 KB on the wire
    url = server.route("/bomb", Reply(200, bomb, {"Content-Encoding": "gzip"}))
    async with quick(max_bytes=1_000_000) as fetcher:
        with pytest.raises(FetchError, match="over the 976 KB limit") as caught:
            await fetcher.fetch(url)
    assert not caught.value.retryable


async def test_404_is_not_retried_and_says_so(server: LocalServer) -> None:
    url = server.url("/missing")
    async with quick(retries=3) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(url)
    error = caught.value
    assert (error.status, error.retryable, error.attempts) == (404, False, 1)
    assert error.reason == f"HTTP 404 Not Found from {url}; check the URL; the page may have " + (
        "moved or been removed"
    )
    assert len(server.hits) == 1


async def test_500_then_200_is_retried(server: LocalServer) -> None:
    url = server.route("/flaky", [Reply(500), Reply(200, PAGE)])
    async with quick(retries=3) as fetcher:
        result = await fetcher.fetch(url)
    assert result.content == PAGE
    assert len(server.hits_for("/flaky")) == 2


async def test_retries_give_up_and_count_the_tries(server: LocalServer) -> None:
    url = server.route("/down", Reply(502))
    async with quick(retries=2) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(url)
    assert caught.value.reason.endswith("try again later (gave up after 3 tries)")
    assert (caught.value.attempts, caught.value.retryable, caught.value.status) == (3, True, 502)
    assert len(server.hits) == 3


async def test_503_with_retry_after_waits(server: LocalServer) -> None:
    url = server.route("/busy", [Reply(503, headers={"Retry-After": "1"}), Reply(200, PAGE)])
    started = time.monotonic()
    async with quick(retries=1) as fetcher:
        result = await fetcher.fetch(url)
    assert result.content == PAGE
    hits = server.hits_for("/busy")
    assert hits[1].at - hits[0].at >= 1.0
    assert time.monotonic() - started >= 1.0


async def test_retry_after_beyond_the_cap_gives_up_at_once(server: LocalServer) -> None:
    url = server.route("/later", Reply(429, headers={"Retry-After": "120"}))
    async with quick(retries=3, backoff_max=1.0) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(url)
    assert (caught.value.retry_after, caught.value.retryable) == (120.0, True)
    assert "asks to wait 120 s" in caught.value.reason
    assert len(server.hits) == 1


def test_retry_after_forms() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert parse_retry_after(format_datetime(now - timedelta(days=1), usegmt=True), now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("-3", now) is None
    assert parse_retry_after(None, now) is None


async def test_slow_headers_time_out(server: LocalServer) -> None:
    def slow(exchange: Exchange) -> Reply | None:
        return Reply(200, PAGE) if exchange.wait(8) else None

    url = server.route("/slow", slow)
    started = time.monotonic()
    async with quick(timeout=0.5, retries=0) as fetcher:
        with pytest.raises(FetchError, match=r"within 0\.5 s") as caught:
            await fetcher.fetch(url)
    assert caught.value.retryable
    assert time.monotonic() - started < 4  # the server takes 8 s; margin for a busy machine


async def test_slow_drip_body_is_cut_off_by_the_overall_timeout(server: LocalServer) -> None:
    def drip(exchange: Exchange) -> None:
        exchange.head(200, {"Content-Length": "1000"})
        while exchange.wait(0.1) and exchange.send(b"x"):
            pass

    url = server.route("/drip", drip)
    started = time.monotonic()
    async with quick(timeout=0.6, retries=0) as fetcher:
        with pytest.raises(FetchError, match="did not answer in full"):
            await fetcher.fetch(url)
    assert time.monotonic() - started < 4  # the drip takes 100 s; margin for a busy machine


async def test_endless_body_is_stopped_at_max_bytes(server: LocalServer) -> None:
    def endless(exchange: Exchange) -> None:
        exchange.head(200, {"Transfer-Encoding": "chunked"})
        chunk = b"x" * 16384
        frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        while exchange.send(frame) and exchange.wait(0):
            pass

    url = server.route("/endless", endless)
    async with quick(max_bytes=200_000) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(url)
    assert caught.value.reason == "response is over the 195 KB limit"
    assert not caught.value.retryable
    assert len(server.hits) == 1


async def test_content_length_over_the_limit_is_refused_up_front(server: LocalServer) -> None:
    def huge(exchange: Exchange) -> None:
        exchange.head(200, {"Content-Length": str(30 * 1024 * 1024)})
        exchange.send(b"x" * 100)

    url = server.route("/huge", huge)
    async with quick() as fetcher:
        with pytest.raises(FetchError, match=r"^response is over the 20 MB limit$"):
            await fetcher.fetch(url)


async def test_redirects_are_followed_to_the_final_url(server: LocalServer) -> None:
    server.route("/old", Reply(301, headers={"Location": "/new#top"}))
    server.route("/new", Reply(200, PAGE))
    async with quick() as fetcher:
        result = await fetcher.fetch(server.url("/old"))
    # The fragment of a Location applies to the final URL (RFC 9110); it is never sent.
    assert (result.url, result.content) == (server.url("/new#top"), PAGE)
    assert [hit.path for hit in server.hits] == ["/old", "/new"]


async def test_redirect_loop_is_detected(server: LocalServer) -> None:
    server.route("/a", Reply(302, headers={"Location": "/b"}))
    server.route("/b", Reply(302, headers={"Location": server.url("/a")}))
    async with quick(max_redirects=10) as fetcher:
        with pytest.raises(FetchError, match="redirect loop") as caught:
            await fetcher.fetch(server.url("/a"))
    assert not caught.value.retryable
    assert len(server.hits) == 2


async def test_too_many_redirects(server: LocalServer) -> None:
    for step in range(10):
        server.route(f"/r{step}", Reply(307, headers={"Location": f"/r{step + 1}"}))
    async with quick(max_redirects=3) as fetcher:
        with pytest.raises(FetchError, match="more than 3 redirects"):
            await fetcher.fetch(server.url("/r0"))
    assert len(server.hits) == 4


async def test_redirect_to_another_scheme_is_refused(server: LocalServer) -> None:
    url = server.route("/evil", Reply(302, headers={"Location": "file:///etc/passwd"}))
    async with quick() as fetcher:
        with pytest.raises(UnsafeAddressError, match="file://"):
            await fetcher.fetch(url)


async def test_every_redirect_hop_is_checked(
    server: LocalServer, make_server: Callable[..., LocalServer]
) -> None:
    other = make_server("127.0.0.2")
    target = other.route("/inside", Reply(200, PAGE))
    start = server.route("/out", Reply(302, headers={"Location": target}))
    async with quick(allow_private_networks=True) as fetcher:
        assert (await fetcher.fetch(start)).url == target
    assert len(other.hits) == 1
    # Only 127.0.0.1 open: the first hop is fetched, the hop to 127.0.0.2 is refused.
    async with quick(allow_private_networks=False, allowed_networks=["127.0.0.1/32"]) as fetcher:
        with pytest.raises(UnsafeAddressError, match=r"127\.0\.0\.2 is a loopback address"):
            await fetcher.fetch(start)
    assert len(server.hits) == 2
    assert other.connections == 1


async def test_private_address_is_refused_before_any_connection(server: LocalServer) -> None:
    url = server.route("/", Reply(200, PAGE))
    async with Fetcher(allow_private_networks=False) as fetcher:
        with pytest.raises(UnsafeAddressError) as caught:
            await fetcher.fetch(url)
    assert "HANDPICKED_ALLOW_PRIVATE_NETWORKS=1" in caught.value.reason
    assert (caught.value.retryable, caught.value.attempts) == (False, 1)
    assert server.connections == 0


async def test_name_resolving_to_loopback_is_refused(server: LocalServer) -> None:
    async with quick(allow_private_networks=False) as fetcher:
        with pytest.raises(UnsafeAddressError, match="localhost resolves to a loopback address"):
            await fetcher.fetch(f"http://localhost:{server.port}/")
    assert server.connections == 0


async def test_conditional_get_gives_not_modified(server: LocalServer) -> None:
    stamp = "Wed, 21 Oct 2026 07:28:00 GMT"

    def conditional(exchange: Exchange) -> Reply:
        headers = exchange.hit.headers
        if headers.get("if-none-match") == '"v1"' or headers.get("if-modified-since") == stamp:
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(200, PAGE, {"ETag": '"v1"', "Last-Modified": stamp})

    url = server.route("/feed", conditional)
    async with quick() as fetcher:
        first = await fetcher.fetch(url)
        by_etag = await fetcher.fetch(url, etag=first.etag)
        by_date = await fetcher.fetch(url, last_modified=first.last_modified)
    assert (first.status, first.content, first.last_modified) == (200, PAGE, stamp)
    for result in (by_etag, by_date):
        assert (result.status, result.content, result.not_modified) == (304, b"", True)
        assert result.etag == '"v1"'
    assert by_date.last_modified == stamp


ROBOTS = b"User-agent: *\nDisallow: /private\n\nUser-agent: otherbot\nDisallow: /\n"


async def test_robots_disallow_is_honoured_and_cached(server: LocalServer) -> None:
    server.route("/robots.txt", Reply(200, ROBOTS, {"Content-Type": "text/plain"}))
    public = server.route("/public", Reply(200, PAGE))
    private = server.route("/private/page", Reply(200, PAGE))
    async with quick(respect_robots=True) as fetcher:
        assert (await fetcher.fetch(public)).content == PAGE
        with pytest.raises(RobotsDisallowed, match=r"robots\.txt asks crawlers") as caught:
            await fetcher.fetch(private)
        assert (await fetcher.fetch(public)).status == 200
    assert not caught.value.retryable
    assert server.hits_for("/private/page") == []
    assert len(server.hits_for("/robots.txt")) == 1


@pytest.mark.parametrize("status", [404, 500])
async def test_missing_or_broken_robots_allows_and_is_asked_once(
    server: LocalServer, status: int
) -> None:
    server.route("/robots.txt", Reply(status))
    url = server.route("/page", Reply(200, PAGE))
    async with quick(respect_robots=True) as fetcher:
        await fetcher.fetch(url)
        await fetcher.fetch(url)
    assert len(server.hits_for("/robots.txt")) == 1
    assert len(server.hits_for("/page")) == 2


async def test_robots_can_be_ignored(server: LocalServer) -> None:
    server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /\n"))
    url = server.route("/page", Reply(200, PAGE))
    async with quick(respect_robots=False) as fetcher:
        await fetcher.fetch(url)
    assert server.hits_for("/robots.txt") == []


async def test_crawl_delay_spaces_requests(server: LocalServer) -> None:
    server.route("/robots.txt", Reply(200, b"User-agent: handpicked\nCrawl-delay: 1\n"))
    url = server.route("/page", Reply(200, PAGE))
    async with quick(respect_robots=True) as fetcher:
        began = time.monotonic()
        await asyncio.gather(fetcher.fetch(url), fetcher.fetch(url))
    starts = sorted(hit.at for hit in server.hits)
    assert len(starts) == 3
    # robots.txt, then each page a crawl delay later; against the moment the client began,
    # since load can only delay an arrival.
    assert all(at - began >= 1.0 * n - 0.02 for n, at in enumerate(starts))


async def test_per_host_interval_spaces_request_starts(server: LocalServer) -> None:
    url = server.route("/page", Reply(200, PAGE))
    async with quick(per_host_interval=0.4) as fetcher:
        began = time.monotonic()
        await asyncio.gather(*(fetcher.fetch(url) for _ in range(3)))
    starts = sorted(hit.at for hit in server.hits)
    # The n-th request may not start before n intervals have passed. Measured as arrival at
    # the server against the moment the client began, so a loaded machine, which can only
    # delay an arrival, never makes this fail.
    assert all(at - began >= 0.4 * n - 0.02 for n, at in enumerate(starts))
    assert len(starts) == 3


async def test_per_host_concurrency_is_capped(server: LocalServer) -> None:
    def slowish(exchange: Exchange) -> Reply:
        exchange.wait(0.15)
        return Reply(200, PAGE)

    url = server.route("/page", slowish)
    async with quick(per_host_concurrency=2) as fetcher:
        await asyncio.gather(*(fetcher.fetch(url) for _ in range(6)))
    assert server.most_in_flight == 2


def test_fetch_sync_for_the_cli(server: LocalServer) -> None:
    url = server.route("/page", Reply(200, PAGE))
    result = fetch_sync(url, allow_private_networks=True, respect_robots=False)
    assert result.content == PAGE


async def test_tls_keeps_the_host_name_for_sni_and_certificates(
    tmp_path: Path, make_server: Callable[..., LocalServer]
) -> None:
    """The socket goes to the checked address, but TLS still names the host (SNI), and a
    certificate no CA vouches for is a clear, final error."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []
    context.sni_callback = lambda _socket, name, _context: names.append(name)
    tls = make_server("127.0.0.1", context)
    async with quick() as fetcher:
        with pytest.raises(FetchError, match="TLS certificate of localhost") as caught:
            await fetcher.fetch(f"https://localhost:{tls.port}/")
    assert not caught.value.retryable
    assert names == ["localhost"]


@pytest.mark.parametrize(
    ("code", "retryable"), [(socket.EAI_NONAME, False), (socket.EAI_AGAIN, True)]
)
async def test_unresolvable_host(
    monkeypatch: pytest.MonkeyPatch, code: int, retryable: bool
) -> None:
    def fail(*args: object, **kwargs: object) -> list[Any]:
        raise socket.gaierror(code, "lookup failed")

    monkeypatch.setattr(socket, "getaddrinfo", fail)  # no lookup may leave this machine
    async with quick(retries=0) as fetcher:
        with pytest.raises(FetchError, match=r"could not resolve news\.invalid") as caught:
            await fetcher.fetch("http://news.invalid/")
    assert caught.value.retryable is retryable


async def test_refused_connection_is_retryable(server: LocalServer) -> None:
    port = server.port
    server.stop()
    async with quick(retries=0) as fetcher:
        with pytest.raises(FetchError, match=r"could not connect to 127\.0\.0\.1") as caught:
            await fetcher.fetch(f"http://127.0.0.1:{port}/")
    assert caught.value.retryable
