"""The reader's private Atom feed (RFC 4287): their latest picks, each with the clean article,
its pictures (from our own address) and why it was picked.

Articles are untrusted text: everything goes into the document through lxml (never by pasting
strings together), characters that XML 1.0 forbids are dropped, and the HTML shown in an
entry's content is built as elements too, sanitised, then carried escaped (``type="html"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Protocol

import nh3
from lxml import etree
from lxml import html as lxml_html

from handpicked.article import Image
from handpicked.deliver.links import is_web_url
from handpicked.deliver.wording import body_blocks
from handpicked.pick.digest import DigestItem
from handpicked.pick.reasons import sentence
from handpicked.store import ReaderRecord, StoredArticle

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TAG_AUTHORITY = "tag:handpicked,2026:"
"""The tag URI (RFC 4151) prefix of feed and entry ids: they never change once published."""

_A = f"{{{ATOM_NS}}}"
#: Characters XML 1.0 does not allow (lone surrogates included).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SPACE = re.compile(r"\s+")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_OUTLETS_SHOWN = 10
#: The only tags an entry's HTML may hold (what :func:`_content_html` makes).
_CONTENT_TAGS = {"div", "p", "strong", "blockquote", "figure", "img", "figcaption", "small", "hr"}


class FeedLinks(Protocol):
    """The links the feed needs (:class:`handpicked.deliver.links.Links` has them)."""

    def article(self, article_id: int) -> str: ...

    def feed(self, feed_token: str) -> str: ...

    def original(self, article: StoredArticle) -> str: ...

    def image(self, article_id: int, url: str) -> str: ...


def feed_id(reader: ReaderRecord) -> str:
    """The reader's feed id: stable, and not the secret token of the feed's URL."""
    return f"{TAG_AUTHORITY}reader/{int(reader.id)}"


def entry_id(article_id: int) -> str:
    return f"{TAG_AUTHORITY}article/{int(article_id)}"


def digest_feed(
    reader: ReaderRecord,
    items: Sequence[DigestItem],
    links: FeedLinks,
    updated: datetime,
    *,
    search: tuple[int, str, str] | None = None,
) -> bytes:
    """The Atom document (UTF-8, with an XML declaration) for ``reader`` with one entry per
    item, in the given order; an article that comes twice is shown once. ``search`` (the
    followed search's interest id, its words and its feed's URL) makes it that search's
    feed instead of the picks'."""
    # Atom as the default namespace; lxml-stubs types nsmap keys as str only.
    feed = etree.Element(f"{_A}feed", nsmap={None: ATOM_NS})  # type: ignore[dict-item]
    local_part = reader.email.rpartition("@")[0] or reader.email
    if search is None:
        _add(feed, "id", feed_id(reader))
        _add(feed, "title", f"handpicked for {local_part}")
    else:
        _add(feed, "id", f"{feed_id(reader)}/search/{int(search[0])}")
        _add(feed, "title", f"handpicked search “{_line(search[1])}” for {local_part}")
    _add(feed, "updated", _timestamp(updated))
    self_url = links.feed(reader.feed_token) if search is None else search[2]
    _link(feed, "self", self_url, "application/atom+xml")
    author = _add(feed, "author")
    _add(author, "name", "handpicked")
    _add(feed, "generator", "handpicked")

    seen: set[int] = set()
    for item in items:
        if item.article.id not in seen:
            seen.add(item.article.id)
            feed.append(_entry(item, links))
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _entry(item: DigestItem, links: FeedLinks) -> etree._Element:
    article = item.article
    entry = etree.Element(f"{_A}entry")
    language = article.detected_language or article.language
    if language and _LANGUAGE.fullmatch(language):
        entry.set(XML_LANG, language)
    _add(entry, "id", entry_id(article.id))
    _add(entry, "title", _line(article.title) or "(untitled)")
    _link(entry, "alternate", links.article(article.id), "text/html")
    original = links.original(article)
    if _web_url(original):
        _link(entry, "related", original, "text/html")

    published = article.published or article.fetched_at
    updated = max(article.updated or published, published, key=_utc)
    _add(entry, "published", _timestamp(published))
    _add(entry, "updated", _timestamp(updated))
    for name in article.authors:
        if clean := _line(name):
            _add(_add(entry, "author"), "name", clean)
    for term in _terms(article):
        etree.SubElement(entry, f"{_A}category", term=term)
    if lead := _text(article.lead):
        _add(entry, "summary", lead).set("type", "text")
    content = _add(entry, "content", _content_html(item, links))
    content.set("type", "html")
    return entry


def _content_html(item: DigestItem, links: FeedLinks) -> str:
    """The HTML of an entry, as a string for ``type="html"`` (lxml escapes it in the feed):
    the clean article (its lead, paragraphs and pull quotes), its pictures from our own
    address with caption and credit, then why it was picked and who else covered it.

    Every piece is built as an element from plain text, so nothing an article holds can
    become markup; the result then goes through nh3 (a well-kept HTML sanitiser) with only
    the few tags and attributes used here allowed, as a second line of defence."""
    article = item.article
    div = lxml_html.Element("div")
    images = [image for image in article.images if _web_url(image.url)]
    if images:
        _figure(div, images[0], links.image(article.id, images[0].url))
    lead = _text(article.lead)
    paragraphs = list(article.paragraphs)
    if paragraphs and lead and _line(paragraphs[0]) == _line(lead):
        paragraphs = paragraphs[1:]
    if lead:
        _html(_html(div, "p"), "strong", lead)
    for block in body_blocks(paragraphs, article.pull_quotes):
        if block.kind == "quote":
            _html(_html(div, "blockquote"), "p", block.text)
        else:
            _html(div, "p", block.text)
    for image in images[1:]:
        _figure(div, image, links.image(article.id, image.url))
    why = [why for why in _why(item) if why]
    if why:
        _html(div, "hr")
        for text in why:
            _html(div, "p", text)
    fragment = str(lxml_html.tostring(div, encoding="unicode"))
    return nh3.clean(
        fragment,
        tags=_CONTENT_TAGS,
        attributes={"img": {"src", "alt"}},
        url_schemes={"http", "https"},
        link_rel=None,
    )


def _why(item: DigestItem) -> tuple[str, str]:
    """Why it was picked, and who else covered it (either may be empty)."""
    reasons = sentence([_line(reason) for reason in item.reasons])
    others = [name for name in (_line(outlet) for outlet in item.outlets[1:]) if name]
    if not others:
        return reasons, ""
    shown = others[:_OUTLETS_SHOWN]
    more = len(others) - len(shown)
    names = ", ".join(shown) + (f" and {more} more" if more else "")
    count = len(others)
    return reasons, f"Also covered by {count} outlet{'s' if count != 1 else ''}: {names}."


def _figure(parent: etree._Element, image: Image, src: str) -> None:
    figure = _html(parent, "figure")
    img = _html(figure, "img")
    img.set("src", src)
    img.set("alt", _line(image.alt or image.caption))
    caption, credit = _line(image.caption), _line(image.credit)
    if caption or credit:
        figcaption = _html(figure, "figcaption", f"{caption} " if caption and credit else caption)
        if credit:
            _html(figcaption, "small", credit)


# --- helpers -----------------------------------------------------------------------------------


def _add(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{_A}{name}")
    if text is not None:
        element.text = _xml(text)
    return element


def _link(parent: etree._Element, rel: str, href: str, media_type: str) -> None:
    etree.SubElement(parent, f"{_A}link", rel=rel, href=_xml(href), type=media_type)


def _html(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if text:
        element.text = _xml(text)
    return element


def _terms(article: StoredArticle) -> Iterable[str]:
    seen: set[str] = set()
    for raw in (article.section, *article.tags):
        term = _line(raw)
        if term and term.casefold() not in seen:
            seen.add(term.casefold())
            yield term


def _xml(text: str) -> str:
    """``text`` without the characters that XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


def _text(text: str | None) -> str:
    return _xml(text or "").strip()


def _line(text: str | None) -> str:
    """One line of text: whitespace runs (newlines too) become one space."""
    return _SPACE.sub(" ", _xml(text or "")).strip()


def _web_url(url: str | None) -> bool:
    """A web URL (see :func:`is_web_url`) that is also legal XML as it stands."""
    return is_web_url(url) and not _NOT_XML.search(url or "")


def _utc(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC, to the second: ``2026-03-01T07:00:00Z``."""
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")
