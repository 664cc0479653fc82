"""Metadata that only the visible page carries: bylines, datelines, tag lists.

Each kind has one XPath query over attribute nodes (cheaper in libxml2 than testing every
element), run only when the structured sources and the headline zone left the field empty.
"""

from __future__ import annotations

from datetime import datetime

from lxml import etree
from lxml.html import HtmlElement

from handpicked.extract.meta.dates import parse_date
from handpicked.extract.meta.head import element_text
from handpicked.extract.meta.zone import find_date

_BYLINE_CUES = etree.XPath(
    ".//@class[contains(., 'author') or contains(., 'byline') or contains(., 'Author')"
    " or contains(., 'writer') or contains(., 'Byline')]"
    " | .//@rel[. = 'author'] | .//@itemprop[. = 'author' or . = 'creator']"
    " | .//@id[contains(., 'author') or contains(., 'byline')]"
    " | .//a/@href[contains(., '/author/') or contains(., '/authors/') or contains(., '/profile/')"
    " or contains(., '/people/') or contains(., '/staff/') or contains(., '/team/')]"
)
_DATE_CUES = etree.XPath(
    ".//@class[contains(., 'date') or contains(., 'Date') or contains(., 'publish')"
    " or contains(., 'timestamp') or contains(., 'posted') or contains(., 'ublication')]"
    " | .//@itemprop[. = 'datePublished' or . = 'dateCreated']"
)
_TAG_LINKS = etree.XPath(
    ".//a[@rel = 'tag' or contains(@href, '/tag/') or contains(@href, '/tags/')"
    " or contains(@href, '/topic/') or contains(@href, '/topics/')]"
    " | .//*[contains(@class, 'tags')]//a"
)
_SKIP = ("comment", "avatar", "bio", "description", "about", "related", "widget", "reply")
_MAX_BYLINE_CHARS = 120
_MAX_DATE_CHARS = 80
_MAX_TAG_CHARS = 50
_MAX_TAGS = 30
_MAX_CUES = 200
_MAX_BYLINE_ANCHORS = 3
_MAX_NEAR_CHARS = 200


def _elements(query: etree.XPath, scope: HtmlElement) -> list[HtmlElement]:
    """The elements owning the attributes a cue query matched, once each, in page order."""
    result = query(scope)
    seen: set[HtmlElement] = set()
    out: list[HtmlElement] = []
    for attribute in result[:_MAX_CUES] if isinstance(result, list) else ():
        if not isinstance(attribute, etree._ElementUnicodeResult):
            continue
        parent = attribute.getparent()
        if isinstance(parent, HtmlElement) and parent not in seen:
            seen.add(parent)
            out.append(parent)
    return out


def _hints(element: HtmlElement) -> str:
    """The lower-cased class and id an element is named by."""
    return f"{element.get('class') or ''} {element.get('id') or ''}".lower()


def read_bylines(scope: HtmlElement) -> list[str]:
    """Short texts of author-named elements; a long one is a bio box whose inner name element
    matched too."""
    out: list[str] = []
    for element in _elements(_BYLINE_CUES, scope):
        hints = _hints(element)
        if "date" in hints or any(word in hints for word in _SKIP):
            continue
        text = element.get("content") or element_text(element)
        if text and len(text) <= _MAX_BYLINE_CHARS:
            out.append(text)
    return out


def read_byline_dates(scope: HtmlElement) -> list[datetime]:
    """Dates printed beside an author element ("Luke Kim · December 17, 2025"), read from
    the text of the element's parent and grandparent."""
    out: list[datetime] = []
    for element in _elements(_BYLINE_CUES, scope)[:_MAX_BYLINE_ANCHORS]:
        parent = element.getparent()
        holder = parent.getparent() if parent is not None else None
        for box in (parent, holder):
            if box is None:
                continue
            found = find_date(element_text(box)[:_MAX_NEAR_CHARS])
            if found is not None:
                out.append(found[0])
                break
    return out


def read_datelines(scope: HtmlElement) -> list[datetime]:
    """Dates of date-named elements: their machine-readable value, else a date written at the
    start of their text ("Posted on April 13, 2023", then perhaps a tag list)."""
    out: list[datetime] = []
    for element in _elements(_DATE_CUES, scope):
        hints = _hints(element)
        if "update" in hints or "modif" in hints or any(word in hints for word in _SKIP[:3]):
            continue
        machine = element.get("content") or element.get("datetime")
        if machine:
            value = parse_date(machine)
        else:
            found = find_date(element_text(element)[:_MAX_DATE_CHARS])
            value = found[0] if found else None
        if value is not None:
            out.append(value)
    return out


def read_tags(scope: HtmlElement) -> list[str]:
    """Texts of links to tag pages and of links in tag lists."""
    result = _TAG_LINKS(scope)
    out: list[str] = []
    for link in result if isinstance(result, list) else ():
        if not isinstance(link, HtmlElement):
            continue
        text = element_text(link).lstrip("#")
        if text and len(text) <= _MAX_TAG_CHARS and len(out) < _MAX_TAGS:
            out.append(text)
    return out
