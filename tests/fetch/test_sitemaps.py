"""parse_sitemap on indexes, news sitemaps, gzip and hostile input."""

from __future__ import annotations

import gzip
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handpicked.fetch.sitemaps import ParsedSitemap, SitemapEntry, parse_sitemap
from handpicked.fetch.xmlsafety import FeedError

FIXTURES = Path(__file__).parent.parent / "fixtures" / "feeds"
SITEMAP_URL = "https://news.example.com/sitemap.xml"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def urlset(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'
    ).encode()


def test_sitemap_index_lists_children_absolute_and_deduplicated() -> None:
    parsed = parse_sitemap(fixture("sitemap-index.xml"), SITEMAP_URL)
    assert parsed.entries == []
    assert parsed.sitemaps == [
        "https://news.example.com/sitemap-news.xml",
        "https://news.example.com/sitemap-2025-06.xml.gz",
    ]


def test_google_news_sitemap() -> None:
    parsed = parse_sitemap(fixture("news-sitemap.xml"), SITEMAP_URL)
    assert parsed.sitemaps == []
    assert parsed.entries == [
        SitemapEntry(
            url="https://news.example.com/2025/06/10/budget",
            lastmod=datetime(2025, 6, 10, 8, 15, tzinfo=UTC),
            published=datetime(2025, 6, 10, 8, 0, tzinfo=UTC),
            title="Budget & taxes: what changes",
            language="en",
        ),
        # An impossible lastmod is None, not an error; a <url> without <loc> is skipped.
        SitemapEntry(
            url="https://news.example.com/2025/06/09/weather",
            lastmod=None,
            published=None,
            title=None,
            language=None,
        ),
    ]


def test_gzipped_sitemap() -> None:
    plain = fixture("news-sitemap.xml")
    assert parse_sitemap(gzip.compress(plain), SITEMAP_URL) == parse_sitemap(plain, SITEMAP_URL)


def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (60 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100_000
    started = time.perf_counter()
    with pytest.raises(FeedError, match="expands beyond"):
        parse_sitemap(bomb, SITEMAP_URL)
    assert time.perf_counter() - started < 2.0


def test_broken_gzip_is_refused() -> None:
    with pytest.raises(FeedError, match="not a sitemap: broken gzip"):
        parse_sitemap(b"\x1f\x8b\x08\x00garbage-after-magic", SITEMAP_URL)


def test_sitemap_without_namespace_and_with_junk_entries() -> None:
    body = (
        "<url><loc> https://a.example.com/1 </loc><lastmod>2024-01-02</lastmod></url>"
        "<url><loc>javascript:void(0)</loc></url>"
        "<url><loc>https://a.example.com/1</loc></url>"
        "<url><loc>/relative</loc></url>"
    )
    parsed = parse_sitemap(f"<urlset>{body}</urlset>".encode(), "https://a.example.com/s.xml")
    assert [entry.url for entry in parsed.entries] == [
        "https://a.example.com/1",
        "https://a.example.com/relative",
    ]
    assert parsed.entries[0].lastmod == datetime(2024, 1, 2, tzinfo=UTC)


def test_text_sitemap() -> None:
    content = b"https://t.example.com/a\nhttps://t.example.com/b\r\n\nhttps://t.example.com/a\n"
    parsed = parse_sitemap(content, "https://t.example.com/sitemap.txt")
    assert [entry.url for entry in parsed.entries] == [
        "https://t.example.com/a",
        "https://t.example.com/b",
    ]


def test_large_but_legal_sitemap_is_read() -> None:
    body = "".join(f"<url><loc>https://big.example.com/{i}</loc></url>" for i in range(50_000))
    parsed = parse_sitemap(urlset(body), SITEMAP_URL)
    assert len(parsed.entries) == 50_000


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body>Not a sitemap</body></html>",
        b'<rss version="2.0"><channel/></rss>',
        b"\x00\x01\x02binary",
        b"",
        b"plain words, not URLs",
    ],
)
def test_not_a_sitemap(content: bytes) -> None:
    with pytest.raises(FeedError, match="not a sitemap"):
        parse_sitemap(content, SITEMAP_URL)


@pytest.mark.parametrize(
    "content",
    [
        b'<!DOCTYPE u [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        b"<urlset><url><loc>https://x.example.com/&b;</loc></url></urlset>",
        b'<!DOCTYPE u [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>https://x.example.com/&xxe;</loc></url></urlset>",
    ],
)
def test_hostile_sitemap_is_refused(content: bytes) -> None:
    with pytest.raises(FeedError, match="unsafe XML"):
        parse_sitemap(content, SITEMAP_URL)
    with pytest.raises(FeedError, match="unsafe XML"):
        parse_sitemap(gzip.compress(content), SITEMAP_URL)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.binary(max_size=300).map(gzip.compress),
        st.lists(
            st.sampled_from([b"<urlset>", b"<url><loc>", b"https://e.example.com/x", b"</loc>"])
            | st.binary(max_size=10)
        ).map(b"".join),
    )
)
def test_arbitrary_bytes_parse_or_raise_feed_error(content: bytes) -> None:
    try:
        result = parse_sitemap(content, SITEMAP_URL)
    except FeedError:
        return
    assert isinstance(result, ParsedSitemap)
