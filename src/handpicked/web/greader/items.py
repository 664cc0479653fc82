"""Items as the Google Reader API shows them: JSON objects, and Atom entries (FeedHQ's
``/reader/atom/`` feeds, which newsboat reads)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from handpicked.deliver.links import Links, is_web_url
from handpicked.deliver.wording import clean
from handpicked.desk.greader import PICKS_LABEL, ItemState
from handpicked.store import ReaderRecord, SourceRecord, StoredArticle
from handpicked.web.greader import ids
from handpicked.web.greader.content import article_html
from handpicked.web.pages.views import people

ATOM_NS = "http://www.w3.org/2005/Atom"
GR_NS = "http://www.google.com/schemas/reader/atom/"
GOOGLE_SCHEME = "http://www.google.com/reader/"
_A = f"{{{ATOM_NS}}}"
_GR = f"{{{GR_NS}}}"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def usec(value: datetime) -> int:
    return int(_utc(value).timestamp() * 1_000_000)


def categories(state: ItemState) -> list[str]:
    """The streams an item is in, as Google lists them on the item."""
    found = [ids.READING_LIST]
    if state.pick:
        found.append(ids.PICKS)
    if state.read:
        found.append(ids.READ)
    if state.starred:
        found.append(ids.STARRED)
    return found


def title(article: StoredArticle) -> str:
    return clean(article.title) or "Untitled"


def origin_of(article: StoredArticle, sources: dict[int, SourceRecord]) -> dict[str, str]:
    source = sources.get(article.source_id) if article.source_id is not None else None
    if source is None:
        return {"streamId": ids.PICKS, "title": PICKS_LABEL, "htmlUrl": ""}
    return {
        "streamId": ids.source_stream(source.id),
        "title": source_title(source),
        "htmlUrl": source.site_url or source.url,
    }


def source_title(source: SourceRecord) -> str:
    return clean(source.title) or source.url


def item_json(
    article: StoredArticle,
    state: ItemState,
    sources: dict[int, SourceRecord],
    links: Links,
    reasons: str = "",
) -> dict[str, Any]:
    """One item as FreshRSS's API shows it."""
    found = usec(article.fetched_at)
    published = article.published or article.fetched_at
    url = links.original(article)
    item: dict[str, Any] = {
        "id": ids.long_item_id(article.id),
        "crawlTimeMsec": str(found // 1000),
        "timestampUsec": str(found),
        "published": int(_utc(published).timestamp()),
        "title": title(article),
        "canonical": [{"href": url}] if is_web_url(url) else [],
        "alternate": [{"href": url, "type": "text/html"}] if is_web_url(url) else [],
        "categories": categories(state),
        "origin": origin_of(article, sources),
        "summary": {"content": article_html(article, links, reasons)},
    }
    if article.updated is not None:
        item["updated"] = int(_utc(article.updated).timestamp())
    if article.authors:
        item["author"] = people(article.authors)
    return item


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _user_term(reader: ReaderRecord, stream_id: str) -> str:
    return stream_id.replace("user/-/", f"user/{reader.id}/", 1)


def atom_feed(
    reader: ReaderRecord,
    feed_title: str,
    stream_id: str,
    entries: Sequence[tuple[StoredArticle, ItemState, str]],
    sources: dict[int, SourceRecord],
    links: Links,
    continuation: str | None,
) -> bytes:
    """The stream as an Atom document in Google Reader's dialect: each entry's state is a
    ``category`` in Google's scheme (``label="read"``, ``"starred"``, ``"Picks"``)."""
    nsmap: Any = {None: ATOM_NS, "gr": GR_NS}
    feed = etree.Element(f"{_A}feed", nsmap=nsmap)
    etree.SubElement(feed, f"{_A}id").text = f"tag:google.com,2005:reader/{_xml(stream_id)}"
    etree.SubElement(feed, f"{_A}title").text = _xml(feed_title)
    etree.SubElement(feed, f"{_A}updated").text = datetime.now(UTC).isoformat()
    if continuation is not None:
        etree.SubElement(feed, f"{_GR}continuation").text = continuation
    for article, state, reasons in entries:
        entry = etree.SubElement(feed, f"{_A}entry")
        entry.set(f"{_GR}crawl-timestamp-msec", str(usec(article.fetched_at) // 1000))
        etree.SubElement(entry, f"{_A}id").text = ids.long_item_id(article.id)
        for term in categories(state):
            label = PICKS_LABEL if term == ids.PICKS else term.rsplit("/", 1)[-1]
            etree.SubElement(
                entry,
                f"{_A}category",
                term=_user_term(reader, term),
                scheme=GOOGLE_SCHEME,
                label=label,
            )
        etree.SubElement(entry, f"{_A}title", type="html").text = _xml(title(article))
        published = _utc(article.published or article.fetched_at).isoformat()
        etree.SubElement(entry, f"{_A}published").text = published
        updated = _utc(article.updated or article.published or article.fetched_at)
        etree.SubElement(entry, f"{_A}updated").text = updated.isoformat()
        url = links.original(article)
        if is_web_url(url):
            etree.SubElement(entry, f"{_A}link", rel="alternate", href=url, type="text/html")
        content = etree.SubElement(entry, f"{_A}content", type="html")
        content.text = _xml(article_html(article, links, reasons))
        if article.authors:
            author = etree.SubElement(entry, f"{_A}author")
            etree.SubElement(author, f"{_A}name").text = _xml(people(article.authors))
        origin = origin_of(article, sources)
        source = etree.SubElement(entry, f"{_A}source")
        source.set(f"{_GR}stream-id", origin["streamId"])
        etree.SubElement(source, f"{_A}title").text = _xml(origin["title"])
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8")
