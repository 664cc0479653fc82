"""OPML subscription lists in and out, so readers can bring and take their sources.

Feed readers nest subscriptions in folders; we flatten them and keep the folder name as
the category. Writing goes through lxml so every title and URL is escaped correctly, and
characters XML cannot carry at all (control codes) are dropped rather than failing.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from lxml import etree

from handpicked.fetch.errors import FetchError
from handpicked.fetch.safety import AddressPolicy, Resolver, check_url_async, resolve_async
from handpicked.fetch.xmlsafety import FeedError, attribute, local_name, parse_xml_safely

__all__ = ["OpmlOutline", "ScreenedOutlines", "parse_opml", "screen_outlines", "write_opml"]

LOOKUPS_AT_ONCE = 16

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class OpmlOutline:
    """One subscription: the feed URL (xmlUrl), its name, its site and its folder."""

    url: str
    title: str | None
    html_url: str | None
    category: str | None


def _attr(element: etree._Element, *names: str) -> str | None:
    """The first non-blank attribute among ``names``, matched case-insensitively."""
    for name in names:
        value = attribute(element, name)
        if value and value.strip():
            return value.strip()
    return None


def _walk(element: etree._Element, category: str | None) -> Iterator[OpmlOutline]:
    """Outlines under ``element``, depth first, each with its nearest folder's name."""
    for child in element:
        if local_name(child) != "outline":
            continue
        url = _attr(child, "xmlUrl")
        name = _attr(child, "text", "title")
        if url:
            yield OpmlOutline(
                url=url,
                title=name,
                html_url=_attr(child, "htmlUrl"),
                category=category or _attr(child, "category"),
            )
        yield from _walk(child, name if not url else category)


def parse_opml(content: bytes) -> list[OpmlOutline]:
    """Every outline with an xmlUrl, nested folders flattened into ``category``.

    Raises FeedError when the document is not OPML or is unsafe XML.
    """
    root = parse_xml_safely(content, "an OPML file")
    if local_name(root) != "opml":
        raise FeedError(f"not an OPML file: root element is <{local_name(root)}>")
    body = next((child for child in root if local_name(child) == "body"), None)
    if body is None:
        raise FeedError("not an OPML file: it has no <body>")
    return list(_walk(body, None))


@dataclass(frozen=True)
class ScreenedOutlines:
    """An import split by the fetcher's safety rules: what may be stored, and what was refused
    with the reason (in the file's order)."""

    usable: list[OpmlOutline]
    refused: list[tuple[OpmlOutline, str]]


async def screen_outlines(
    outlines: Iterable[OpmlOutline],
    *,
    allow_private_networks: bool | None = None,
    allowed_networks: Iterable[str] = (),
    resolver: Resolver = resolve_async,
) -> ScreenedOutlines:
    """Check every outline's URL as the fetcher would (scheme, metadata, private addresses)
    before it is stored, so an import cannot plant a private URL in the desk's shared sources.

    ``allow_private_networks=None`` takes the setting. Look-ups run a few at once, off the
    event loop.
    """
    policy = AddressPolicy.create(allow_private_networks, allowed_networks)
    slots = asyncio.Semaphore(LOOKUPS_AT_ONCE)

    async def refusal(outline: OpmlOutline) -> str | None:
        async with slots:
            try:
                await check_url_async(outline.url, policy, resolver=resolver)
            except FetchError as error:
                return error.reason
            return None

    items = list(outlines)
    reasons = await asyncio.gather(*(refusal(outline) for outline in items))
    screened = ScreenedOutlines(usable=[], refused=[])
    for item, reason in zip(items, reasons, strict=True):
        if reason is None:
            screened.usable.append(item)
        else:
            screened.refused.append((item, reason))
    return screened


def _clean(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot represent."""
    return _NOT_XML.sub("", value)


def _outline(parent: etree._Element, item: OpmlOutline) -> None:
    """Append one subscription outline to ``parent``."""
    title = _clean(item.title or "")
    element = etree.SubElement(parent, "outline", type="rss", text=title)
    if title:
        element.set("title", title)
    element.set("xmlUrl", _clean(item.url))
    if item.html_url:
        element.set("htmlUrl", _clean(item.html_url))


def write_opml(outlines: Sequence[OpmlOutline], title: str = "handpicked sources") -> str:
    """An OPML 2.0 document; outlines with a category are grouped in a folder of that name."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = _clean(title)
    body = etree.SubElement(root, "body")
    folders: dict[str, etree._Element] = {}
    for item in outlines:
        parent = body
        if item.category:
            name = _clean(item.category)
            if name not in folders:
                folders[name] = etree.SubElement(body, "outline", text=name, title=name)
            parent = folders[name]
        _outline(parent, item)
    text = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text
