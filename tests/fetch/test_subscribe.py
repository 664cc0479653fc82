"""resolve_source against a local server: what a URL turns out to be, and that working it out
(parsing a big feed, extracting a page) leaves the event loop free for everything else."""

from __future__ import annotations

import asyncio
import gc
import time
from typing import Any

import pytest

from handpicked.fetch.client import Fetcher
from handpicked.fetch.offload import BIG_DOCUMENT
from handpicked.fetch.subscribe import ResolvedSource, SourceNotUsable, resolve_source

from .conftest import LocalServer, Reply
from .test_poller import HTML, RSS, article_html, rss

pytestmark = pytest.mark.anyio

BIG_FEED_ITEMS = 3000  # about 0.7 s of feedparser on one core: far over the 200 ms allowed
VERY_BIG_FEED_ITEMS = 8000  # over BIG_DOCUMENT


def quick(**options: Any) -> Fetcher:
    settings: dict[str, Any] = {
        "allow_private_networks": True,
        "respect_robots": False,
        "per_host_interval": 0.0,
        "retries": 0,
    }
    return Fetcher(**(settings | options))


def big_feed(count: int) -> bytes:
    items = "".join(
        f"<item><title>Story {n}</title><link>https://news.example/{n}.html</link>"
        f"<description>What happened in story {n}, in a few words.</description>"
        "<pubDate>Fri, 27 Feb 2026 09:00:00 GMT</pubDate></item>"
        for n in range(count)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Big Paper</title><link>https://news.example/</link>{items}</channel></rss>"
    ).encode()


async def test_a_feed_is_followed_as_a_feed(server: LocalServer) -> None:
    url = server.route("/feed.xml", Reply(200, rss(["https://news.example/1.html"]), RSS))
    async with quick() as fetcher:
        resolved = await resolve_source(fetcher, url)
    assert resolved == ResolvedSource(url, "feed", "Loopback Times", server.url("/"))


async def test_a_home_page_is_followed_through_the_feed_it_advertises(server: LocalServer) -> None:
    feed_url = server.route("/feed.xml", Reply(200, rss([]), RSS))
    home = (
        b'<html><head><title>Home</title><link rel="alternate" type="application/rss+xml" '
        b'href="/feed.xml"></head><body><p>Welcome</p></body></html>'
    )
    home_url = server.route("/", Reply(200, home, HTML))
    async with quick() as fetcher:
        resolved = await resolve_source(fetcher, home_url)
    assert (resolved.url, resolved.kind, resolved.site_url) == (feed_url, "feed", home_url)


async def test_a_page_without_a_feed_is_followed_as_an_article(server: LocalServer) -> None:
    url = server.route("/story.html", Reply(200, article_html("Harbour study"), HTML))
    async with quick() as fetcher:
        resolved = await resolve_source(fetcher, url)
    assert (resolved.kind, resolved.title) == ("page", "Harbour study")


async def test_an_image_is_not_usable(server: LocalServer) -> None:
    url = server.route("/logo.png", Reply(200, b"\x89PNG\r\n\x1a\n", {"Content-Type": "image/png"}))
    async with quick() as fetcher:
        with pytest.raises(SourceNotUsable, match="neither a feed, a sitemap nor a web page"):
            await resolve_source(fetcher, url)


async def loop_lags_while_resolving(server: LocalServer, items: int) -> tuple[float, list[float]]:
    """Resolve a feed of ``items`` items while a probe on the same loop asks to run every
    10 ms; how long resolving took, and how long the loop was kept from each of the probe's
    turns by this process's own work.

    A turn's lag counts only as far as this process used the CPU meanwhile: on a loaded machine
    the operating system may not schedule the process at all for a while, which is no stall of
    ours, while a parse holding the loop (or the GIL, from a thread) burns the CPU all along."""
    url = server.route("/big.xml", Reply(200, big_feed(items), RSS))
    lags: list[float] = []
    done = asyncio.Event()
    # The objects earlier tests left in this process are not the server's: freeze them, so a
    # full garbage collection during the parse scans what a server would hold, not them.
    gc.collect()
    gc.freeze()

    async def probe() -> None:
        while not done.is_set():
            asked, cpu_asked = time.monotonic(), time.process_time()
            await asyncio.sleep(0.01)
            late = time.monotonic() - asked - 0.01
            lags.append(min(late, time.process_time() - cpu_asked))

    try:
        async with quick(timeout=30.0) as fetcher:
            prober = asyncio.create_task(probe())
            started = time.monotonic()
            resolved = await resolve_source(fetcher, url)
            took = time.monotonic() - started
            done.set()
            await prober
    finally:
        gc.unfreeze()
    assert (resolved.kind, resolved.title) == ("feed", "Big Paper")
    return took, lags


async def test_a_big_feed_is_parsed_without_stalling_the_event_loop(server: LocalServer) -> None:
    """Adding a big feed from the web app must not make the app's other requests wait: a probe
    on the same loop keeps being scheduled every few milliseconds throughout."""
    took, lags = await loop_lags_while_resolving(server, BIG_FEED_ITEMS)
    assert took > 0.3  # long enough that a blocked loop would have shown
    assert max(lags) < 0.2, f"the loop stalled for {max(lags):.2f} s"
    assert len(lags) > 10


async def test_a_very_big_feed_is_parsed_in_the_worker_process(server: LocalServer) -> None:
    """Over a megabyte, the garbage collector's passes over the parse would hold the GIL for
    longer than 200 ms at a time even in a thread: the parse goes to the worker process."""
    assert len(big_feed(VERY_BIG_FEED_ITEMS)) > BIG_DOCUMENT
    took, lags = await loop_lags_while_resolving(server, VERY_BIG_FEED_ITEMS)
    assert took > 0.3
    assert max(lags) < 0.2, f"the loop stalled for {max(lags):.2f} s"
