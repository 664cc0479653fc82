"""Metadata that only the visible page carries: bylines, datelines, tag lists.

One XPath query over attribute nodes (cheaper in libxml2 than testing every element's
attributes) finds every element whose class, id, rel, itemprop or link hints at an author or a
date; it runs only when the structured sources and the headline zone left a field empty, and
its elements are then sorted into kinds in Python, reading only their own small text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from lxml import etree
from lxml.html import HtmlElement

from handpicked.extract.meta.dates import parse_date
from handpicked.extract.meta.head import element_text
from handpicked.extract.meta.titles import host_of
from handpicked.extract.meta.zone import find_date, leading_text

_CUES = etree.XPath(
    ".//@class[contains(., 'author') or contains(., 'Author') or contains(., 'byline')"
    " or contains(., 'Byline') or contains(., 'writer') or contains(., 'date')"
    " or contains(., 'Date') or contains(., 'publish') or contains(., 'ublication')"
    " or contains(., 'timestamp') or contains(., 'posted')]"
    " | .//@rel[. = 'author']"
    " | .//@itemprop[. = 'author' or . = 'creator' or . = 'datePublished' or . = 'dateCreated']"
    " | .//@id[contains(., 'author') or contains(., 'byline')]"
    " | .//a/@href[contains(., '/author/') or contains(., '/authors/') or contains(., '/profile/')"
    " or contains(., '/people/')]"
)
_TAG_LINKS = etree.XPath(
    ".//a[@rel = 'tag' or contains(@href, '/tag/') or contains(@href, '/tags/')"
    " or contains(@href, '/topic/') or contains(@href, '/topics/')]"
    " | .//*[contains(@class, 'tags')]//a"
)
_AUTHOR_HINT = re.compile(r"author(?!i[sz]|it)|byline|writer|/people/|creator")
_DATE_HINT = re.compile(r"date|publish|publication|timestamp|posted")
_SKIP = ("comment", "avatar", "bio", "description", "about", "related", "widget", "reply")
_MAX_BYLINE_CHARS = 120
_MAX_DATE_CHARS = 80
_MAX_NEAR_CHARS = 200
_MAX_BYLINE_ANCHORS = 3
_MAX_TAG_CHARS = 50
_MAX_TAGS = 30
_MAX_CUES = 300


@dataclass(frozen=True, slots=True)
class Cue:
    """An element that names itself an author or a date, and which of the two it hints at."""

    element: HtmlElement
    author: bool
    date: bool


def _hint(element: HtmlElement, attribute: str | None) -> str:
    """What an element is named by: the matched attribute's value, lower-cased."""
    return (element.get(attribute) or "").lower() if attribute else ""


def _foreign(href: str, host: str | None) -> bool:
    """A link to another site: /profile/ there is a social network's, not an author page."""
    if not href.startswith(("http://", "https://", "//")):
        return False
    other = (host_of(href) or "").removeprefix("www.")
    return not host or other != host.removeprefix("www.")


def read_cues(scope: HtmlElement, host: str | None = None) -> list[Cue]:
    """Every author- or date-named element in ``scope``, once each, in page order; author
    links count only when they point within the page's own ``host``."""
    result = _CUES(scope)
    cues: dict[HtmlElement, Cue] = {}
    for attribute in result[:_MAX_CUES] if isinstance(result, list) else ():
        if not isinstance(attribute, etree._ElementUnicodeResult):
            continue
        owner = attribute.getparent()
        if not isinstance(owner, HtmlElement):
            continue
        hint = str(attribute).lower()
        if attribute.attrname == "href":
            if _foreign(hint, host):
                continue
            hint = "/people/"
        author = bool(_AUTHOR_HINT.search(hint)) and "date" not in hint
        date = bool(_DATE_HINT.search(hint))
        known = cues.get(owner)
        if known is not None:
            author, date = author or known.author, date or known.date
        cues[owner] = Cue(owner, author, date)
    return list(cues.values())


def _names(element: HtmlElement) -> str:
    """The lower-cased class and id an element is named by."""
    return f"{element.get('class') or ''} {element.get('id') or ''}".lower()


def bylines(cues: list[Cue]) -> list[str]:
    """Short texts of author-named elements; a long one is a bio box whose inner name element
    was found too."""
    out: list[str] = []
    for cue in cues:
        if not cue.author or any(word in _names(cue.element) for word in _SKIP):
            continue
        text = cue.element.get("content") or leading_text(cue.element, _MAX_BYLINE_CHARS + 1)
        if text and len(text) <= _MAX_BYLINE_CHARS:
            out.append(text)
    return out


def datelines(cues: list[Cue]) -> list[datetime]:
    """Dates of date-named elements: their machine-readable value (a microformats
    ``<abbr class="published" title="...">`` keeps it in its title), else a date written at the
    start of their text ("Posted on April 13, 2023", then perhaps a tag list)."""
    out: list[datetime] = []
    for cue in cues:
        names = _names(cue.element)
        if not cue.date or "update" in names or "modif" in names:
            continue
        if any(word in names for word in _SKIP[:3]):
            continue
        machine = cue.element.get("content") or cue.element.get("datetime")
        if not machine and cue.element.tag == "abbr":
            machine = cue.element.get("title")
        if machine:
            value = parse_date(machine)
        else:
            found = find_date(leading_text(cue.element, _MAX_DATE_CHARS)[:_MAX_DATE_CHARS])
            value = found[0] if found else None
        if value is not None:
            out.append(value)
    return out


def byline_dates(cues: list[Cue]) -> list[datetime]:
    """Dates printed beside an author element ("Luke Kim · December 17, 2025"), read from
    the text of the element's parent, else its grandparent."""
    out: list[datetime] = []
    for cue in [cue for cue in cues if cue.author][:_MAX_BYLINE_ANCHORS]:
        parent = cue.element.getparent()
        holder = parent.getparent() if parent is not None else None
        for box in (parent, holder):
            if box is None:
                continue
            found = find_date(leading_text(box, _MAX_NEAR_CHARS)[:_MAX_NEAR_CHARS])
            if found is not None:
                out.append(found[0])
                break
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
