"""One pass over the tags that carry page metadata: <meta>, <link>, <title>, <h1>, <time>.

Iterating with a tag filter runs in C and touches each element once, which is far cheaper than
one XPath query per meta name.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from lxml.html import HtmlElement

_TAGS = ("meta", "link", "title", "h1", "time")
_BREAKING = frozenset(("br", "div", "p", "h2", "h3", "h4", "li", "ul", "ol", "table", "tr", "td"))
_MAX_H1 = 5
_SVG = frozenset({"svg", "symbol", "g", "a", "use"})
_MAX_TIMES = 10
_TEASER_TAGS = frozenset(("aside", "nav"))
_TEASER_NAMES = re.compile(
    r"related|teaser|recommend|more-stories|morestories|also-read|read-more|readmore|"
    r"trending|popular|most-read|mostread|carousel|verwandt|weitere|empfehl|"
    r"lire-aussi|a-lire|meme-sujet|relacionad|tambien|correlat|leggi-anche|gerelateerd|"
    r"lees-ook|relaterat|relatert|laes-ogsaa|powiazan|zobacz-tez|leia-tambem"
)
"""Box names of teasers for other stories, in English, German, French, Spanish, Italian,
Dutch, Scandinavian, Polish and Portuguese ("related", "weitere", "lire-aussi",
"leggi-anche", "lees-ook", "relaterat", "zobacz-tez", "leia-tambem")."""
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))
"""Soft hyphens and zero-width spaces: break hints no reader sees ("Ver\u00adfas\u00adsung")."""


@dataclass(slots=True)
class HeadInfo:
    """Raw values from the metadata-bearing tags, keyed by lower-cased meta name."""

    meta: dict[str, list[str]] = field(default_factory=dict)
    canonical: str | None = None
    title: str | None = None
    h1: list[str] = field(default_factory=list)
    h1_elements: list[HtmlElement] = field(default_factory=list)
    times: list[tuple[str, bool]] = field(default_factory=list)
    """(datetime attribute or text, marked as the publication time) of <time> elements."""

    def first(self, *names: str) -> str | None:
        """The first non-empty value among meta names, in the order asked."""
        for name in names:
            for value in self.meta.get(name, ()):
                if value:
                    return value
        return None

    def all(self, *names: str) -> list[str]:
        """Every non-empty value of the given meta names, in the order asked."""
        return [value for name in names for value in self.meta.get(name, ()) if value]


def squash(text: str | None) -> str:
    """Collapse runs of whitespace; decode entities a CMS escaped twice ("&amp;#8211;")."""
    if not text:
        return ""
    if "&" in text and ";" in text:
        text = html.unescape(text)
    return " ".join(text.translate(_INVISIBLE).split())


def element_text(element: HtmlElement) -> str:
    """An element's text with its children's text spaced apart, whitespace collapsed: bylines
    and datelines are often built of separate elements with no space between."""
    return squash(" ".join(element.itertext()))


def _inline_parts(element: HtmlElement, out: list[str]) -> None:
    """Text of an element in order, a space around line breaks and block children only."""
    if element.text:
        out.append(element.text)
    for child in element:
        spaced = child.tag in _BREAKING
        if spaced:
            out.append(" ")
        if isinstance(child.tag, str):
            _inline_parts(child, out)
        if spaced:
            out.append(" ")
        if child.tail:
            out.append(child.tail)


def inline_text(element: HtmlElement) -> str:
    """A headline's text as a reader sees it: "Planning C<span>ycle</span>" is one word, while
    a <br>, a block child, or a capital starting a new element after a lower-case letter
    ("Alternatives<span>Top") separates words."""
    out: list[str] = []
    _inline_parts(element, out)
    for index in range(1, len(out)):
        if out[index - 1][-1:].islower() and out[index][:1].isupper() and out[index][1:2].islower():
            out[index] = " " + out[index]
    return squash("".join(out))


def _meta(element: HtmlElement, info: HeadInfo) -> None:
    """File a <meta> value under each of its name, property, itemprop and http-equiv."""
    content = element.get("content")
    if content is None:
        content = element.get("value") or element.get("datetime")
    if content is None:
        return
    content = squash(content)
    for attribute in ("property", "name", "itemprop", "http-equiv"):
        key = element.get(attribute)
        if key:
            for name in key.lower().split():
                info.meta.setdefault(name, []).append(content)


def _link(element: HtmlElement, info: HeadInfo) -> None:
    """Keep the first canonical link."""
    if info.canonical is None and "canonical" in (element.get("rel") or "").lower().split():
        href = (element.get("href") or "").strip()
        info.canonical = href or None


def is_teaser_box(element: HtmlElement) -> bool:
    """An aside, a navigation bar, a story embedded in the article (an <article> inside
    another), or a box named for related, recommended or more stories: what it dates is
    another story."""
    if element.tag in _TEASER_TAGS:
        return True
    if element.tag == "article" and next(element.iterancestors("article"), None) is not None:
        return True
    classes = element.get("class")
    ident = element.get("id")
    return (classes is not None or ident is not None) and _names_teaser(classes, ident)


@lru_cache(maxsize=1024)
def _names_teaser(classes: str | None, ident: str | None) -> bool:
    """Cached: a page's <time> elements sit under the same few named boxes."""
    names = f"{classes or ''} {ident or ''}".lower()
    return bool(names.strip()) and bool(_TEASER_NAMES.search(names))


def _in_teaser(element: HtmlElement) -> bool:
    """A <time> that dates another story, inside a teaser box."""
    return any(is_teaser_box(node) for node in element.iterancestors())


def _time(element: HtmlElement, info: HeadInfo) -> None:
    """Keep a <time>'s machine-readable value, or its text when it has none; not one that
    dates a teaser for another story."""
    if len(info.times) >= _MAX_TIMES or _in_teaser(element):
        return
    value = element.get("datetime") or element_text(element)
    if value:
        marked = (
            element.get("pubdate") is not None
            or "publish" in ((element.get("itemprop") or "") + (element.get("class") or "")).lower()
        )
        info.times.append((value.strip(), marked))


def _h1(element: HtmlElement, info: HeadInfo) -> None:
    """Keep an <h1>'s text; libxml2 closes an <h1> at a <p> inside it, so an empty one takes
    the text of the paragraph that was split off it."""
    text = inline_text(element)
    if not text and len(element) == 0:
        following = element.getnext()
        if following is not None and following.tag == "p":
            text = element_text(following)
    if text:
        info.h1.append(text)
        info.h1_elements.append(element)


def read_head(root: HtmlElement) -> HeadInfo:
    """Collect every metadata-bearing tag's value in one pass over the tree."""
    info = HeadInfo()
    for element in root.iter(*_TAGS):
        tag = element.tag
        if tag == "meta":
            _meta(element, info)
        elif tag == "link":
            _link(element, info)
        elif tag == "title":
            parent = element.getparent()
            if info.title is None and parent is not None and parent.tag not in _SVG:
                info.title = element_text(element) or None
        elif tag == "h1":
            if len(info.h1) < _MAX_H1:
                _h1(element, info)
        else:
            _time(element, info)
    return info
