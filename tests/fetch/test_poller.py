"""The poller against real local servers and a real SQLite store: what one pass stores, what it
records when a source or a page misbehaves, and what the next passes do about it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from handpicked.fetch import offload
from handpicked.fetch.client import Fetcher
from handpicked.fetch.poller import PollReport, poll_once
from handpicked.store import SourceRecord, Store, open_store

from .conftest import Exchange, LocalServer, Reply

pytestmark = pytest.mark.anyio

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
SITEMAP = {"Content-Type": "application/xml"}
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol4;</title>
<item><title>&lol4;</title><link>http://127.0.0.1/never</link></item></channel></rss>"""


def article_html(title: str) -> bytes:
    """A small but real news page, different for every title."""
    paragraphs = "".join(
        f"<p>{title}, part {n}: the council met on Tuesday evening and, after a long debate, "
        "agreed to pay for the new library, the bridge repairs and a study of the harbour, "
        "which residents had asked for since the spring floods.</p>"
        for n in range(1, 7)
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<title>{title} | Loopback Times</title><meta property="og:type" content="article">'
        f"</head><body><article><h1>{title}</h1>"
        '<p class="byline">By Ada Reporter</p><time datetime="2026-02-27T09:00:00Z">'
        f"27 February 2026</time>{paragraphs}</article></body></html>"
    ).encode()


def rss(links: list[str], *, title: str = "Loopback Times", encoding: str = "utf-8") -> bytes:
    items = "".join(
        f"<item><title>Story {n}</title><link>{link}</link>"
        "<pubDate>Fri, 27 Feb 2026 09:00:00 GMT</pubDate></item>"
        for n, link in enumerate(links, 1)
    )
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>/</link>{items}</channel></rss>"
    ).encode()


def urlset(links: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{link}</loc></url>" for link in links)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    ).encode()


def pages(server: LocalServer, section: str, count: int) -> list[str]:
    """Serve ``count`` article pages under ``/section/``; their URLs."""
    return [
        server.route(f"/{section}/{n}.html", Reply(200, article_html(f"{section} {n}"), HTML))
        for n in range(1, count + 1)
    ]


def feed(server: LocalServer, section: str, count: int) -> tuple[str, list[str]]:
    """A feed at ``/section/feed.xml`` listing ``count`` pages of its own; its URL and theirs."""
    links = pages(server, section, count)
    return server.route(f"/{section}/feed.xml", Reply(200, rss(links), RSS)), links


def fetcher(**options: Any) -> Fetcher:
    settings: dict[str, Any] = {
        "allow_private_networks": True,
        "per_host_interval": 0.0,
        "backoff_base": 0.01,
        "retries": 1,
        "timeout": 2.0,
    }
    return Fetcher(**(settings | options))


async def poll(store: Store, at: datetime, **options: Any) -> PollReport:
    async with fetcher(**options) as client:
        return await poll_once(store, client, now=at)


def source(store: Store, record: SourceRecord) -> SourceRecord:
    found = store.sources.get(record.id)
    assert found is not None
    return found


def stored_urls(store: Store) -> set[str]:
    return {article.url or "" for article in store.articles.list()}


def queue(store: Store) -> dict[str, tuple[str, int, str | None]]:
    """url -> (state, attempts, last_error) for every queued URL."""
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT url, state, attempts, last_error FROM pending_urls"))
        return {row[0]: (row[1], row[2], row[3]) for row in rows}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path}/db.sqlite")
    yield opened
    opened.close()


# -- a failing source never stops the others, and is retried on its schedule ------------------


def _install_404(server: LocalServer) -> None:
    """Nothing to do: unknown paths answer 404."""


def _install_slow(server: LocalServer) -> None:
    """Slower than the timeout on the first poll (its try and its retry), fine from then on."""
    served = [0]

    def slow(exchange: Exchange) -> Reply | None:
        served[0] += 1
        if served[0] <= 2 and not exchange.wait(3):
            return None
        return Reply(200, rss([]), RSS)

    server.route("/slow.xml", slow)


def _install_endless(server: LocalServer) -> None:
    def endless(exchange: Exchange) -> None:
        exchange.head(200, {"Transfer-Encoding": "chunked", **RSS})
        chunk = b"<item>" * 4096
        frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        while exchange.send(frame) and exchange.wait(0):
            pass

    server.route("/endless.xml", endless)


def _install_loop(server: LocalServer) -> None:
    server.route("/loop.xml", Reply(302, headers={"Location": "/loop2.xml"}))
    server.route("/loop2.xml", Reply(301, headers={"Location": server.url("/loop.xml")}))


def _install_bomb(server: LocalServer) -> None:
    server.route("/bomb.xml", Reply(200, BILLION_LAUGHS, RSS))


@dataclass(frozen=True)
class BadSource:
    name: str
    path: str
    install: Callable[[LocalServer], None]
    reason: str  # a fragment of the reason recorded on the source
    recovers: bool = False  # whether the scheduled retry succeeds


BAD_SOURCES = [
    BadSource("404", "/gone.xml", _install_404, "HTTP 404 Not Found from"),
    BadSource(
        "too-slow", "/slow.xml", _install_slow, "did not answer in full within 2 s", recovers=True
    ),
    BadSource("endless", "/endless.xml", _install_endless, "response is over the 195 KB limit"),
    BadSource("redirect-loop", "/loop.xml", _install_loop, "redirect loop"),
    BadSource("xml-bomb", "/bomb.xml", _install_bomb, "unsafe XML: the document declares entities"),
]


@pytest.mark.parametrize("bad", BAD_SOURCES, ids=[bad.name for bad in BAD_SOURCES])
async def test_a_failing_source_is_recorded_and_retried_on_schedule(
    store: Store, server: LocalServer, bad: BadSource
) -> None:
    good_url, good_pages = feed(server, "good", 2)
    bad.install(server)
    good, _ = store.sources.add(good_url, "feed")
    failing, _ = store.sources.add(server.url(bad.path), "feed")

    report = await poll(store, T0, max_bytes=200_000)
    assert (report.sources_polled, report.sources_failed, report.articles_added) == (2, 1, 2)
    assert stored_urls(store) == set(good_pages)
    failed = source(store, failing)
    assert failed.last_error is not None and bad.reason in failed.last_error
    assert report.errors == [(failed.url, failed.last_error)]
    assert failed.error_count == 1 and failed.last_polled_at == T0
    assert failed.next_poll_at is not None and failed.next_poll_at > T0 + timedelta(minutes=30)
    assert source(store, good).last_error is None
    tries = len(server.hits_for(bad.path))
    assert tries >= 1

    # Not due yet: nothing is asked of anyone.
    quiet = await poll(store, T0 + timedelta(minutes=10), max_bytes=200_000)
    assert (quiet.sources_polled, quiet.articles_added) == (0, 0)
    assert len(server.hits_for(bad.path)) == tries

    # Due again: the failing source is tried again, and the good one adds nothing new.
    later = failed.next_poll_at + timedelta(seconds=1)
    again = await poll(store, later, max_bytes=200_000)
    assert again.sources_polled == 2 and again.articles_added == 0
    assert len(server.hits_for(bad.path)) > tries
    retried = source(store, failing)
    assert retried.last_polled_at == later
    if bad.recovers:
        assert (retried.last_error, retried.error_count, retried.last_status) == (None, 0, 200)
    else:
        assert retried.last_error is not None and bad.reason in retried.last_error
        assert retried.error_count == 2
        assert retried.next_poll_at is not None
        assert retried.next_poll_at - later > failed.next_poll_at - T0  # backs off further


async def test_a_500_source_is_stored_on_the_next_poll(store: Store, server: LocalServer) -> None:
    good_url, good_pages = feed(server, "good", 1)
    flaky_pages = pages(server, "flaky", 2)
    # Two 500s: the first poll's try and its one retry; the next poll gets the feed.
    flaky_url = server.route(
        "/flaky/feed.xml", [Reply(500), Reply(500), Reply(200, rss(flaky_pages), RSS)]
    )
    store.sources.add(good_url, "feed")
    flaky, _ = store.sources.add(flaky_url, "feed")

    first = await poll(store, T0)
    assert (first.sources_failed, first.articles_added) == (1, 1)
    failed = source(store, flaky)
    assert failed.last_error is not None
    assert "HTTP 500 Internal Server Error" in failed.last_error
    assert "gave up after 2 tries" in failed.last_error
    assert failed.next_poll_at is not None

    second = await poll(store, failed.next_poll_at)
    assert (second.sources_failed, second.articles_added) == (0, 2)
    assert stored_urls(store) == {*good_pages, *flaky_pages}
    recovered = source(store, flaky)
    assert (recovered.last_error, recovered.error_count, recovered.last_status) == (None, 0, 200)


async def test_a_feed_with_broken_dates_and_a_lying_encoding_still_works(
    store: Store, server: LocalServer
) -> None:
    links = pages(server, "sloppy", 2)
    body = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel>'
        "<title>Café – “Nouvelles”</title>"
        f"<item><title>Première été</title><link>{links[0]}</link>"
        "<pubDate>Mon, 99 Foo 2026 25:61:00 XYZ</pubDate></item>"
        f"<item><title>Deux</title><link>{links[1]}</link><pubDate>yesterday-ish</pubDate>"
        '<dc:date xmlns:dc="http://purl.org/dc/elements/1.1/">2026-13-45</dc:date></item>'
        "</channel></rss>"
    ).encode()  # UTF-8 bytes, though the header and the declaration both say latin-1
    url = server.route(
        "/sloppy.xml", Reply(200, body, {"Content-Type": "text/xml; charset=iso-8859-1"})
    )
    sloppy, _ = store.sources.add(url, "feed")

    report = await poll(store, T0)
    assert (report.sources_failed, report.pages_failed, report.articles_added) == (0, 0, 2)
    assert stored_urls(store) == set(links)
    polled = source(store, sloppy)
    assert (polled.last_error, polled.last_status) == (None, 200)


# -- pages ---------------------------------------------------------------------------------------


async def test_failing_pages_go_to_the_failure_path_and_never_stop_the_others(
    store: Store, server: LocalServer
) -> None:
    good = pages(server, "news", 2)
    missing = server.url("/news/missing.html")
    flaky = server.route(
        "/news/flaky.html",
        [Reply(500), Reply(500), Reply(200, article_html("news flaky"), HTML)],
    )
    url = server.route("/news/feed.xml", Reply(200, rss([missing, *good, flaky]), RSS))
    store.sources.add(url, "feed")

    first = await poll(store, T0)
    assert (first.urls_queued, first.articles_added, first.pages_failed) == (4, 2, 2)
    assert stored_urls(store) == set(good)
    reasons = dict(first.errors)
    assert reasons[missing].startswith("HTTP 404 Not Found")
    assert "HTTP 500" in reasons[flaky]
    entries = queue(store)
    assert entries[missing] == ("failed", 1, reasons[missing])  # final: 404 is not retried
    assert entries[flaky][:2] == ("pending", 1)  # retried later, with back-off
    assert len(server.hits_for("/news/flaky.html")) == 2

    # Before the page's back-off is over, nothing is fetched.
    early = await poll(store, T0 + timedelta(seconds=30))
    assert (early.articles_added, early.pages_failed) == (0, 0)
    assert len(server.hits_for("/news/flaky.html")) == 2

    later = await poll(store, T0 + timedelta(minutes=2))
    assert (later.sources_polled, later.articles_added, later.pages_failed) == (0, 1, 0)
    assert stored_urls(store) == {*good, flaky}
    assert store.queue.counts() == {"pending": 0, "done": 3, "failed": 1}
    assert len(server.hits_for("/news/missing.html")) == 1  # a failed page is left alone


# -- a second poll adds nothing ------------------------------------------------------------------


async def test_a_second_poll_adds_nothing_and_refetches_nothing(
    store: Store, server: LocalServer
) -> None:
    tagged_pages = pages(server, "tagged", 2)
    tagged_body = rss(tagged_pages)

    def tagged(exchange: Exchange) -> Reply:
        if exchange.hit.headers.get("if-none-match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(200, tagged_body, {"ETag": '"v1"', **RSS})

    tagged_url = server.route("/tagged/feed.xml", tagged)
    plain_url, _ = feed(server, "plain", 2)  # no validators: always the full feed
    tagged_source, _ = store.sources.add(tagged_url, "feed")
    plain_source, _ = store.sources.add(plain_url, "feed")

    first = await poll(store, T0)
    assert (first.articles_added, first.sources_unchanged) == (4, 0)
    assert source(store, tagged_source).etag == '"v1"'
    page_paths = [f"/{kind}/{n}.html" for kind in ("tagged", "plain") for n in (1, 2)]
    assert all(len(server.hits_for(path)) == 1 for path in page_paths)

    second = await poll(store, T0 + timedelta(minutes=31))
    assert (second.sources_polled, second.sources_unchanged) == (2, 1)
    assert (second.urls_queued, second.articles_added, second.pages_failed) == (0, 0, 0)
    feed_hits = server.hits_for("/tagged/feed.xml")
    assert len(feed_hits) == 2
    assert "if-none-match" not in feed_hits[0].headers
    assert feed_hits[1].headers["if-none-match"] == '"v1"'  # answered 304, no body
    assert len(server.hits_for("/plain/feed.xml")) == 2
    assert all(len(server.hits_for(path)) == 1 for path in page_paths)  # none fetched again
    unchanged = source(store, tagged_source)
    assert (unchanged.last_status, unchanged.etag, unchanged.last_error) == (304, '"v1"', None)
    assert source(store, plain_source).last_status == 200
    assert store.articles.count() == 4


# -- fairness: a big source takes its newest pages, and the others their turns ------------------


def dated_rss(items: list[tuple[str, datetime]]) -> bytes:
    entries = "".join(
        f"<item><title>Story</title><link>{link}</link>"
        f"<pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate></item>"
        for link, when in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Big Paper</title><link>/</link>{entries}</channel></rss>"
    ).encode()


@pytest.mark.parametrize("where", ["thread", "process"])
async def test_a_big_feed_does_not_hold_up_another_sources_new_page(
    store: Store, server: LocalServer, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A feed listing 2,000 stories (oldest first, as some archives do) takes only its newest
    few in a poll, and a small source's page is stored in the same poll, near the front of the
    queue; a page added afterwards is stored by the very next poll. The same whether the feed
    is parsed in a thread or, as a big one is, in the worker process."""
    if where == "process":
        monkeypatch.setattr(offload, "BIG_DOCUMENT", 0)
    cap = 10
    big_links = pages(server, "big", 2001)
    dated = [(link, T0 - timedelta(minutes=2000 - n)) for n, link in enumerate(big_links)]
    big_url = server.route("/big/feed.xml", Reply(200, dated_rss(dated[:2000]), RSS))
    small_url, small_pages = feed(server, "small", 1)
    store.sources.add(big_url, "feed")
    store.sources.add(small_url, "feed")

    claimed: list[str] = []
    async with fetcher() as client:
        first = await poll_once(
            store, client, now=T0, on_page=claimed.append, max_new_per_source=cap
        )
    newest = set(big_links[2000 - cap : 2000])
    assert stored_urls(store) == newest | set(small_pages)
    assert small_pages[0] in claimed[:2]  # sources take turns in the queue
    assert (first.urls_queued, first.entries_skipped, first.pages_failed) == (cap + 1, 1990, 0)
    assert all(state == "done" for state, _, _ in queue(store).values())

    # The paper publishes one more story; a reader adds a single page meanwhile.
    server.route("/big/feed.xml", Reply(200, dated_rss(dated), RSS))
    (late_page,) = pages(server, "late", 1)
    store.sources.add(late_page, "page")
    async with fetcher() as client:
        later = T0 + timedelta(minutes=31)
        second = await poll_once(store, client, now=later, max_new_per_source=cap)
    assert second.articles_added == 2
    assert stored_urls(store) == newest | set(small_pages) | {big_links[2000], late_page}
    older = big_links[: 2000 - cap]
    assert all(server.hits_for(link.removeprefix(server.url(""))) == [] for link in older)


# -- private networks ----------------------------------------------------------------------------


async def test_loopback_is_refused_without_the_setting(store: Store, server: LocalServer) -> None:
    url, links = feed(server, "local", 1)
    local_feed, _ = store.sources.add(url, "feed")
    store.sources.add(links[0], "page")

    report = await poll(store, T0, allow_private_networks=False)
    assert (report.sources_failed, report.articles_added, report.pages_failed) == (1, 0, 1)
    refused = source(store, local_feed)
    assert refused.last_error is not None
    assert "127.0.0.1 is a loopback address" in refused.last_error
    assert "HANDPICKED_ALLOW_PRIVATE_NETWORKS=1" in refused.last_error
    state, attempts, error = queue(store)[links[0]]
    assert (state, attempts) == ("failed", 1)  # a setting, not a passing failure: no retry
    assert error is not None and "HANDPICKED_ALLOW_PRIVATE_NETWORKS=1" in error
    assert server.connections == 0 and server.hits == []  # not even robots.txt was asked


# -- sitemaps ------------------------------------------------------------------------------------


async def test_a_sitemap_and_a_sitemap_index_one_level_down(
    store: Store, server: LocalServer
) -> None:
    listed = pages(server, "listed", 2)
    nested = pages(server, "nested", 2)
    sitemap_url = server.route("/sitemap.xml", Reply(200, urlset(listed), SITEMAP))
    child_url = server.route("/sitemaps/news-1.xml", Reply(200, urlset(nested), SITEMAP))
    index = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{child_url}</loc></sitemap></sitemapindex>"
    ).encode()
    index_url = server.route("/sitemap-index.xml", Reply(200, index, SITEMAP))
    plain, _ = store.sources.add(sitemap_url, "sitemap")
    indexed, _ = store.sources.add(index_url, "sitemap")

    report = await poll(store, T0)
    assert (report.sources_polled, report.sources_failed) == (2, 0)
    assert (report.urls_queued, report.articles_added, report.pages_failed) == (4, 4, 0)
    assert stored_urls(store) == {*listed, *nested}
    assert len(server.hits_for("/sitemaps/news-1.xml")) == 1
    by_source = {a.url: a.source_id for a in store.articles.list()}
    assert {by_source[link] for link in listed} == {plain.id}
    assert {by_source[link] for link in nested} == {indexed.id}
