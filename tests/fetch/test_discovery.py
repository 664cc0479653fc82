"""sniff_kind, discover_feeds and sitemap_urls_from_robots."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handpicked.fetch.discovery import discover_feeds, sitemap_urls_from_robots, sniff_kind

FIXTURES = Path(__file__).parent.parent / "fixtures" / "feeds"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("rss2-latin1-label-utf8-bytes.xml", "feed"),
        ("rss1-rdf.xml", "feed"),
        ("atom-xml-base.xml", "feed"),
        ("jsonfeed-1.1.json", "feed"),
        ("sitemap-index.xml", "sitemap"),
        ("news-sitemap.xml", "sitemap"),
        ("subscriptions.opml", "opml"),
        ("home.html", "html"),
    ],
)
def test_sniff_fixtures_despite_a_wrong_content_type(name: str, kind: str) -> None:
    assert sniff_kind(fixture(name), "application/octet-stream", "https://x.example.com/") == kind
    assert sniff_kind(fixture(name), "text/html; charset=utf-8", "https://x.example.com/") == kind


def test_sniff_skips_comments_doctype_and_processing_instructions() -> None:
    content = (
        b'\xef\xbb\xbf<?xml version="1.0"?>\n<?xml-stylesheet href="/s.xsl"?>\n'
        b"<!-- <html> in a comment -->\n<!DOCTYPE rss>\n<rss version='2.0'/>"
    )
    assert sniff_kind(content, None, "https://x.example.com/") == "feed"


def test_sniff_utf16_feed() -> None:
    content = '<?xml version="1.0" encoding="utf-16"?><feed/>'.encode("utf-16")
    assert sniff_kind(content, None, "https://x.example.com/") == "feed"


def test_sniff_gzip_is_sitemap() -> None:
    assert sniff_kind(gzip.compress(b"<urlset/>"), None, "https://x.example.com/s.xml.gz") == (
        "sitemap"
    )


@pytest.mark.parametrize(
    ("content", "content_type", "url", "kind"),
    [
        (b"", "application/rss+xml", "https://x.example.com/", "feed"),
        (b"", "text/html", "https://x.example.com/", "html"),
        (b"", None, "https://x.example.com/list.opml", "opml"),
        (b"\x00\x01\x02", None, "https://x.example.com/", "unknown"),
        (b'{"data": 1}', "application/json", "https://x.example.com/", "unknown"),
        (b"<note/>", "application/xml", "https://x.example.com/", "unknown"),
        (b"<!DOCTYPE html><p>hi", None, "https://x.example.com/", "html"),
    ],
)
def test_sniff_fallbacks(content: bytes, content_type: str | None, url: str, kind: str) -> None:
    assert sniff_kind(content, content_type, url) == kind


def test_discover_from_home_page_with_several_link_tags() -> None:
    found = discover_feeds(fixture("home.html"), "https://home.example.com/")
    assert found == [
        # <link rel="alternate"> in page order, deduplicated; the WordPress REST API and
        # oEmbed links are no feeds.
        "https://home.example.com/feed/",
        "https://home.example.com/atom.xml",
        "https://home.example.com/feed.json",
        # Then the weaker <a href> guesses; the sitemap and non-web links are ignored.
        "https://home.example.com/comments/feed",
        "https://home.example.com/podcast.rss",
    ]


def test_discover_honours_base_href_and_accepts_str() -> None:
    page = (
        '<html><head><base href="https://cdn.example.net/blog/">'
        '<link rel="alternate feed" type="application/atom+xml" href="atom.xml"></head></html>'
    )
    assert discover_feeds(page, "https://example.net/") == ["https://cdn.example.net/blog/atom.xml"]


@pytest.mark.parametrize("page", [b"", "", "   ", b"\x00\x00", "<p>no links</p>"])
def test_discover_nothing(page: bytes | str) -> None:
    assert discover_feeds(page, "https://example.net/") == []


def test_sitemaps_from_robots() -> None:
    robots = (
        "User-agent: *\nDisallow: /private\n"
        "Sitemap: https://r.example.com/sitemap.xml\n"
        "sitemap:/news-sitemap.xml  # relative, against the robots URL\n"
        "SITEMAP : https://r.example.com/sitemap.xml\n"
        "# Sitemap: https://r.example.com/commented-out.xml\n"
        "Sitemap:\n"
        "Sitemap: ftp://r.example.com/nope.xml\n"
    )
    assert sitemap_urls_from_robots(robots, "https://r.example.com/robots.txt") == [
        "https://r.example.com/sitemap.xml",
        "https://r.example.com/news-sitemap.xml",
    ]


@settings(max_examples=100, deadline=None)
@given(
    st.binary(max_size=300),
    st.text(max_size=100),
    st.sampled_from(["https://x.example.com/", "", "http://[::1/", "not a url"]),
)
def test_discovery_never_raises(content: bytes, text: str, base: str) -> None:
    assert isinstance(discover_feeds(content, base), list)
    assert isinstance(discover_feeds(text, base), list)
    assert sniff_kind(content, text, base) in ("feed", "sitemap", "opml", "html", "unknown")
    assert isinstance(sitemap_urls_from_robots(text, base), list)
