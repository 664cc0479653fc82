"""What a fetched document is, and where a site keeps its feeds and sitemaps.

Servers mislabel feeds (text/html, text/plain, application/octet-stream) as often as not,
so sniff_kind trusts the document's first element over the Content-Type header. Feed
discovery prefers what the page declares in <link rel="alternate"> and only then guesses
from ordinary links that look like feed addresses.
"""

from __future__ import annotations

import re
from typing import Literal

from lxml import etree
from lxml import html as lxml_html

from handpicked.extract.decode import decode_html
from handpicked.extract.urls import absolute_url, url_path

__all__ = ["DocumentKind", "discover_feeds", "sitemap_urls_from_robots", "sniff_kind"]

DocumentKind = Literal["feed", "sitemap", "opml", "html", "unknown"]

_SNIFF_BYTES = 4096
_FIRST_TAG = re.compile(r"<([A-Za-z_][\w:.-]*)")
_DOCTYPE_HTML = re.compile(r"<!doctype\s+html", re.IGNORECASE)
_ROOTS: dict[str, DocumentKind] = {
    "rss": "feed",
    "rdf": "feed",
    "feed": "feed",
    "channel": "feed",
    "urlset": "sitemap",
    "sitemapindex": "sitemap",
    "opml": "opml",
    "html": "html",
    "head": "html",
    "body": "html",
}
_FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
}
_FEED_PATH = re.compile(r"(?:/feed|/rss|\.rss|\.xml|/atom\.xml)/?$", re.IGNORECASE)


def _head_text(content: bytes) -> str:
    """The document's first few KB as ASCII-ish text, UTF-16 NULs dropped."""
    head = content[:_SNIFF_BYTES]
    if b"\x00" in head:
        head = head.replace(b"\x00", b"")
    return head.decode("utf-8", errors="replace").lstrip("\ufeff\ufffe \t\r\n")


def _kind_from_type(content_type: str | None) -> DocumentKind:
    """A guess from the Content-Type alone, used when the bytes say nothing."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime in ("application/rss+xml", "application/atom+xml", "application/feed+json"):
        return "feed"
    if mime in ("text/x-opml", "application/x-opml", "text/x-opml+xml"):
        return "opml"
    if mime in ("text/html", "application/xhtml+xml"):
        return "html"
    return "unknown"


def sniff_kind(content: bytes, content_type: str | None, url: str) -> DocumentKind:
    """ "feed", "sitemap", "opml", "html" or "unknown", from the bytes first, then the headers."""
    if content.startswith(b"\x1f\x8b"):
        # Raw gzip bodies (not transfer-encoded) are sitemap.xml.gz in practice.
        return "sitemap"
    text = _head_text(content)
    if text.startswith("{"):
        return "feed" if "jsonfeed.org/version" in text or '"items"' in text else "unknown"
    if _DOCTYPE_HTML.search(text[:1024]):
        return "html"
    stripped = re.sub(r"<(?:\?.*?\?|!--.*?--|![^>]*)>", " ", text, flags=re.DOTALL)
    first = _FIRST_TAG.search(stripped)
    if first:
        name = first.group(1).rsplit(":", 1)[-1].lower()
        if name in _ROOTS:
            return _ROOTS[name]
    guess = _kind_from_type(content_type)
    if guess != "unknown":
        return guess
    if url_path(url).lower().endswith(".opml"):
        return "opml"
    return "unknown"


def _web_url(base: str, href: str | None) -> str | None:
    """An absolute http(s) URL with no fragment, or None."""
    if not href or not href.strip():
        return None
    resolved = absolute_url(base, href.strip())
    if not resolved or not resolved.lower().startswith(("http://", "https://")):
        return None
    return resolved.split("#", 1)[0]


def _parse_html(html: bytes | str) -> lxml_html.HtmlElement | None:
    """An lxml tree of the page, or None when there is nothing to parse."""
    text = decode_html(html) if isinstance(html, bytes) else html
    if not text.strip():
        return None
    try:
        return lxml_html.document_fromstring(text.replace("\x00", ""))
    except (etree.LxmlError, ValueError):
        return None


def discover_feeds(html: bytes | str, base_url: str) -> list[str]:
    """Feed URLs a page points to: <link rel="alternate"> first, then feed-looking <a> links.

    Absolute, deduplicated, in page order within each group.
    """
    root = _parse_html(html)
    if root is None:
        return []
    base = base_url
    for element in root.iter("base"):
        if href := element.get("href"):
            base = absolute_url(base_url, href) or base_url
        break
    found: dict[str, None] = {}
    for link in root.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        mime = (link.get("type") or "").split(";", 1)[0].strip().lower()
        if "alternate" not in rels or mime not in _FEED_TYPES:
            continue
        url = _web_url(base, link.get("href"))
        # WordPress's rel=alternate application/json points at its REST API, not a feed.
        if url and not (mime == "application/json" and "/wp-json/" in url):
            found.setdefault(url, None)
    for anchor in root.iter("a"):
        url = _web_url(base, anchor.get("href"))
        if not url:
            continue
        path = url_path(url)
        if _FEED_PATH.search(path) and "sitemap" not in path.lower():
            found.setdefault(url, None)
    return list(found)


def sitemap_urls_from_robots(robots_txt: str, base_url: str) -> list[str]:
    """The sitemaps a robots.txt names ("Sitemap: <url>" lines, any case), deduplicated."""
    found: dict[str, None] = {}
    for line in robots_txt.splitlines():
        line = line.split("#", 1)[0].strip()
        field, sep, value = line.partition(":")
        if not sep or field.strip().lower() != "sitemap":
            continue
        url = _web_url(base_url, value)
        if url:
            found.setdefault(url, None)
    return list(found)
