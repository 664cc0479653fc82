"""RSS, Atom and JSON Feed documents to a list of entries, whatever state they arrive in.

feedparser copes with the many dialects and with broken markup; we add what it lacks for
hostile or sloppy input: an entity pre-scan (XML bombs), our own charset decision (feeds
that declare ISO-8859-1 but hold UTF-8, or mix in cp1252 smart quotes) and plain-text
titles, so that nothing downstream ever sees mojibake or "&amp;nbsp;".
"""

from __future__ import annotations

import codecs
import html
import io
import json
import re
import time
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import feedparser

from handpicked.extract.meta.dates import parse_date, plausible
from handpicked.extract.urls import absolute_url
from handpicked.fetch.xmlsafety import MAX_XML_BYTES, FeedError, check_xml_safe

__all__ = ["FeedEntry", "FeedError", "ParsedFeed", "parse_feed"]

FeedKind = Literal["rss", "atom", "json"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)[\"']", re.IGNORECASE)
_XML_DECL_TEXT = re.compile(r"^\s*<\?xml[^>]*\?>")
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# Feeds that say latin-1 are read as windows-1252, as browsers do: same bytes, more letters.
_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252"}
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_LEFTOVER_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)
_WEB_SCHEMES = ("http", "https")
_MAX_SUMMARY = 1000


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed: where it lives and what the feed says about it."""

    url: str
    title: str | None
    published: datetime | None
    summary: str | None
    guid: str | None


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's own description and its entries, in the feed's order."""

    kind: FeedKind
    title: str | None
    site_url: str | None
    entries: list[FeedEntry]


def _codec(label: str | None) -> str | None:
    """Python's text codec for a charset label; None for unknown, binary or UTF-7 labels."""
    if not label:
        return None
    label = _ALIASES.get(label.strip().lower(), label.strip().lower())
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in {"utf-7", "idna"}:
        return None
    return info.name


def _utf8_or_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a byte that is not UTF-8 is read as windows-1252 (smart quotes)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    byte = error.object[error.start : error.start + 1]
    return byte.decode("cp1252", errors="replace"), error.start + 1


codecs.register_error("handpicked-utf8-cp1252", _utf8_or_cp1252)


def _declared(content: bytes, content_type: str | None) -> str | None:
    """The charset the HTTP header or the XML declaration names, header first."""
    if content_type and (header := _HEADER_CHARSET.search(content_type)):
        codec = _codec(header.group(1))
        if codec:
            return codec
    declaration = _XML_DECL.match(content[:512])
    return _codec(declaration.group(1).decode("ascii")) if declaration else None


def decode_xml(content: bytes, content_type: str | None = None) -> str:
    """Bytes to text, trusting what the bytes prove over what the feed claims.

    A BOM wins; then bytes that are valid UTF-8 are UTF-8 whatever was declared (a feed
    labelled ISO-8859-1 that holds UTF-8 is common, the reverse almost never decodes);
    then UTF-8 with stray bytes read as windows-1252 when real UTF-8 letters are present and
    the feed claims nothing or latin-1; then the declared charset; then that same mix.
    """
    for bom, name in _BOMS:
        if content.startswith(bom):
            return content[len(bom) :].decode(name, errors="replace")
    if content.startswith(b"<\x00?\x00"):
        return content.decode("utf-16-le", errors="replace")
    if content.startswith(b"\x00<\x00?"):
        return content.decode("utf-16-be", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared(content, content_type)
    if declared in (None, "utf-8", "cp1252") and _UTF8_SEQUENCE.search(content):
        # Real UTF-8 letters with a few stray windows-1252 bytes (smart quotes pasted in).
        return content.decode("utf-8", errors="handpicked-utf8-cp1252")
    if declared and declared != "utf-8":
        try:
            return content.decode(declared)
        except UnicodeDecodeError:
            pass
    return content.decode("utf-8", errors="handpicked-utf8-cp1252")


def _as_utf8_xml(text: str) -> bytes:
    """Re-encode decoded XML as UTF-8 and make its declaration agree."""
    text = _XML_DECL_TEXT.sub('<?xml version="1.0" encoding="utf-8"?>', text, count=1)
    return text.encode("utf-8", errors="replace")


def plain_text(value: object) -> str | None:
    """Readable one-line text from a feed field that may hold HTML or double-escaped entities."""
    if not isinstance(value, str):
        return None
    text = value
    if "<" in text:
        text = _TAG.sub(" ", text)
    # Twice: feeds often escape twice ("&amp;nbsp;" arrives as "&nbsp;" after XML parsing).
    for _ in range(2):
        if "&" not in text or not _LEFTOVER_ENTITY.search(text):
            break
        text = html.unescape(text)
    text = _SPACE.sub(" ", text.replace("\xa0", " ")).strip()
    return text or None


def _summary(value: object) -> str | None:
    """Plain-text summary, cut at a word boundary: bodies come later, from the page itself."""
    text = plain_text(value)
    if text is None or len(text) <= _MAX_SUMMARY:
        return text
    return text[:_MAX_SUMMARY].rsplit(" ", 1)[0] + "…"


def _web_url(base: str, href: object) -> str | None:
    """An absolute http(s) URL for ``href``, or None for missing or non-web links."""
    if not isinstance(href, str) or not href.strip():
        return None
    # A base that does not parse ("http://[::1/") should not cost us already-absolute links.
    resolved = absolute_url(base, href.strip()) or absolute_url(None, href.strip())
    if not resolved or resolved.split(":", 1)[0].lower() not in _WEB_SCHEMES:
        return None
    return resolved


def _date(parsed: object, raw: object) -> datetime | None:
    """A UTC datetime from feedparser's struct_time, else our own parser on the raw text."""
    if isinstance(parsed, time.struct_time):
        try:
            value = datetime(*parsed[:6], tzinfo=UTC)
        except (TypeError, ValueError, OverflowError):
            pass
        else:
            # 1970-01-01 placeholders and far-future typos are no publication dates.
            if plausible(value):
                return value
    fallback = parse_date(raw) if isinstance(raw, str) else None
    return fallback.astimezone(UTC) if fallback else None


def _kind(version: str, text: str) -> Literal["rss", "atom"] | None:
    """ "rss" or "atom" from feedparser's version string, or from the root element."""
    if version.startswith(("rss", "cdf")):
        return "rss"
    if version.startswith("atom"):
        return "atom"
    head = text[:4096]
    if re.search(r"<(?:rss|rdf:RDF|channel)\b", head):
        return "rss"
    if re.search(r"<feed\b", head):
        return "atom"
    return None


def _run_feedparser(data: bytes, url: str) -> Any:
    """feedparser on bytes we already made safe and UTF-8, never letting it fetch anything."""
    headers = {"content-location": url, "content-type": "application/xml; charset=utf-8"}
    # feedparser raises odd internal errors on junk; anything it throws means "not a feed".
    # It also warns (DeprecationWarning) from its loose parser on some inputs; those warnings
    # are about feedparser's internals, not about our input, so they are silenced here only.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return feedparser.parse(io.BytesIO(data), response_headers=headers)
        except Exception as error:
            raise FeedError(f"not a feed: the feed parser failed ({error!r:.120})") from error


def _xml_feed(content: bytes, url: str, content_type: str | None) -> ParsedFeed:
    """RSS or Atom through feedparser, after the safety scan and our charset decision."""
    check_xml_safe(content)
    text = decode_xml(content, content_type)
    if "<" not in text[:4096]:
        raise FeedError("not a feed: no XML markup at the start of the document")
    data = _as_utf8_xml(text)
    check_xml_safe(data)  # the decoded text may reveal what another encoding hid
    result = _run_feedparser(data, url)
    version = str(result.get("version") or "")
    entries = list(result.get("entries") or [])
    kind = _kind(version, text) if (version or entries) else None
    if kind is None:
        reason = result.get("bozo_exception")
        detail = f" ({reason})" if reason else ""
        raise FeedError(f"not a feed: no RSS, Atom or RDF channel found{detail}"[:300])
    feed = result.get("feed") or {}
    return ParsedFeed(
        kind=kind,
        title=plain_text(feed.get("title")),
        site_url=_web_url(url, feed.get("link")),
        entries=[entry for item in entries if (entry := _xml_entry(item, url))],
    )


def _first_content(item: Any) -> str | None:
    """The first <content> (Atom) or <content:encoded> (RSS) value, for summary-less items."""
    contents = dict.get(item, "content")
    if isinstance(contents, list) and contents and isinstance(contents[0], dict):
        value = contents[0].get("value")
        return value if isinstance(value, str) else None
    return None


def _xml_entry(item: Any, url: str) -> FeedEntry | None:
    """A FeedEntry from one feedparser entry; None when it links nowhere."""
    link = _web_url(url, item.get("link"))
    if link is None:
        for candidate in item.get("links") or []:
            link = _web_url(url, candidate.get("href"))
            if link:
                break
    if link is None:
        return None
    published = None
    for key in ("published", "updated", "created"):
        # dict.get, not item.get: feedparser's own lookup maps updated->published with a
        # DeprecationWarning, and we want each field for what it is.
        published = _date(dict.get(item, f"{key}_parsed"), dict.get(item, key))
        if published:
            break
    guid = item.get("id")
    return FeedEntry(
        url=link,
        title=plain_text(item.get("title")),
        published=published,
        summary=_summary(dict.get(item, "summary") or _first_content(item)),
        guid=guid.strip() or None if isinstance(guid, str) else None,
    )


def _json_feed(content: bytes, url: str) -> ParsedFeed:
    """A JSON Feed 1.0/1.1 document; items link by ``url`` or else ``external_url``."""
    if len(content) > MAX_XML_BYTES:
        raise FeedError(f"not a feed: JSON document is over the {MAX_XML_BYTES:,} byte limit")
    try:
        document = json.loads(content)
    except (ValueError, RecursionError) as error:
        raise FeedError(f"not a feed: invalid JSON ({error!s:.120})") from error
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise FeedError("not a feed: JSON without an 'items' list is no JSON Feed")
    entries = []
    for item in document["items"]:
        if not isinstance(item, dict):
            continue
        link = _web_url(url, item.get("url")) or _web_url(url, item.get("external_url"))
        if link is None:
            continue
        raw_date = item.get("date_published") or item.get("date_modified")
        published = parse_date(raw_date) if isinstance(raw_date, str) else None
        summary = item.get("summary") or item.get("content_text") or item.get("content_html")
        guid = item.get("id")
        entries.append(
            FeedEntry(
                url=link,
                title=plain_text(item.get("title")),
                published=published.astimezone(UTC) if published else None,
                summary=_summary(summary),
                guid=str(guid) if isinstance(guid, str | int) and str(guid) else None,
            )
        )
    return ParsedFeed(
        kind="json",
        title=plain_text(document.get("title")),
        site_url=_web_url(url, document.get("home_page_url")),
        entries=entries,
    )


def _looks_json(content: bytes, content_type: str | None) -> bool:
    """JSON by the first non-blank byte; the Content-Type alone is too often wrong."""
    start = content.lstrip(b" \t\r\n\xef\xbb\xbf")[:1]
    return start == b"{" or (start not in (b"<", b"") and "json" in (content_type or "").lower())


def parse_feed(content: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse an RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed document served at ``url``.

    Relative links resolve against ``url`` (and xml:base); entries without a web link are
    skipped; unreadable dates become None. Raises FeedError when the document is not a
    feed, or is unsafe (XML bombs, external entities, over 10 MB).
    """
    if not content or not content.strip():
        raise FeedError("not a feed: the document is empty")
    if _looks_json(content, content_type):
        return _json_feed(content, url)
    return _xml_feed(content, url, content_type)
