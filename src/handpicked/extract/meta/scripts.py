"""Dates that only a page's scripts carry, and dates labelled anywhere in its text.

Single-page-application frameworks (Next.js ``__NEXT_DATA__``, Nuxt, Apollo state, inline
state objects) often ship the article record as plain JSON with no JSON-LD beside it: the
publication date is then a ``"publishedAt": "..."`` pair somewhere in a script. Reading it
takes one bounded regex search per script, stopping at the first date that parses.

As a last resort, a page with no other date may still print one in a labelled line far from
its headline ("Last updated: November 13, 2025" above the footer).
"""

from __future__ import annotations

import re
from datetime import datetime

from lxml.html import HtmlElement

from handpicked.extract.meta.dates import parse_date
from handpicked.extract.meta.zone import find_date

_MAX_SCRIPT_CHARS = 2_000_000
_MAX_SCRIPTS = 200
_MAX_TOTAL_CHARS = 4_000_000
_PUBLISHED_KEY = re.compile(
    r"""(?:datePublished|publishedAt|published_at|publishDate|publishedDate|"""
    r"""publish_date|publicationDate|firstPublishedDate|firstPublishedAt|first_published_at|"""
    r"""date_gmt|pubDate)\\?["']?\s*[:=]\s*\\?["']([^"'\\<>]{6,40})"""
)
"""A publication-date key and its quoted value, in JSON, escaped JSON or a JS object. The
pattern opens with the keys themselves, so scanning megabytes of script stays fast."""
_NAME_CHARS = frozenset("_$-")
"""Characters that would make a matched key the tail of a longer name ("republishedAt")."""
_QUICK = re.compile(r"[Pp]ublish|date_gmt|pubDate|publicationDate")
_LABELLED = re.compile(
    r"^\W*(?:last\s+)?(?:published|posted|updated|modified|reviewed)(?:\s+(?:on|at))?\s*:?\s*\W*",
    re.IGNORECASE,
)
_MAX_LABELLED_CHARS = 80
_MAX_TEXTS = 5000
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg"})


def _script_kind(script: HtmlElement) -> str:
    """A script's declared type, lower-cased; empty for plain JavaScript."""
    return (script.get("type") or "").lower()


def script_date(root: HtmlElement) -> datetime | None:
    """The first publication date a non-JSON-LD script states as a JSON or object key.

    Scripts over 2 MB are skipped, and scanning stops after 4 MB in all or at the first
    value that parses.
    """
    budget = _MAX_TOTAL_CHARS
    for count, script in enumerate(root.iter("script")):
        if count >= _MAX_SCRIPTS or budget <= 0:
            break
        text = script.text
        if not text or len(text) > _MAX_SCRIPT_CHARS or "ld+json" in _script_kind(script):
            continue
        budget -= len(text)
        if not _QUICK.search(text):
            continue
        for match in _PUBLISHED_KEY.finditer(text):
            before = text[match.start() - 1 : match.start()]
            if before.isalnum() or before in _NAME_CHARS:
                continue
            value = parse_date(match[1])
            if value is not None:
                return value
    return None


def _after_label(element: HtmlElement) -> str:
    """The text that follows a label standing on its own: its first child's, its tail, or
    its next sibling's."""
    first: HtmlElement | None = element[0] if len(element) else None
    if first is not None and isinstance(first.tag, str):
        return str(first.text or "")
    tail = str(element.tail or "").strip()
    if tail:
        return tail
    following = element.getnext()
    return str(following.text or "") if following is not None else ""


def labelled_date(root: HtmlElement) -> datetime | None:
    """A date printed anywhere in the body right after a "Published", "Posted" or "Last
    updated" label, in a short text of its own: the page's date when nothing else gives one."""
    body = root.find("body")
    if body is None:
        return None
    seen = 0
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag in _SKIP_TAGS:
            continue
        seen += 1
        if seen > _MAX_TEXTS:
            break
        text = element.text
        if not text or len(text) > _MAX_LABELLED_CHARS:
            continue
        label = _LABELLED.match(text.strip())
        if label is None:
            continue
        rest = text.strip()[label.end() :]
        if not rest:
            rest = _after_label(element)
        found = find_date(rest[:_MAX_LABELLED_CHARS])
        if found is not None and found[1] == 0:
            return found[0]
    return None
