"""Finding the element that holds the article: prose scores, links and chrome names count against.

Every block of prose (a paragraph, or a div that holds text directly) gives points to the
containers above it, most to its parent. The container with the best score, corrected for the
share of its text that sits in links, is where the article lives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, cast

from lxml.html import HtmlElement

from handpicked.extract.prune import chrome_words
from handpicked.extract.textsize import reading_length

PROSE_TAGS = frozenset({"p", "pre", "blockquote", "td", "dd", "li", "h2", "h3", "h4"})
_MIN_BLOCK_CHARS = 25
_COMMA = re.compile(r"[,，、،]")
_GOOD_NAMES = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose", re.I
)
_BAD_NAMES = re.compile(
    r"comment|com-|contact|footer|foot|masthead|media|meta|outbrain|promo|related|scroll|"
    r"share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|nav|menu|banner|ad-|"
    r"recommend|popular|trending|newsletter|cookie",
    re.I,
)
_TAG_WEIGHT = {
    "article": 10, "main": 8, "div": 5, "section": 3, "td": 3, "pre": 3, "blockquote": 3,
    "form": -3, "ul": -3, "ol": -3, "li": -3, "dl": -3, "address": -3, "th": -5,
    "header": -5, "footer": -8, "nav": -10, "aside": -8,
}  # fmt: skip


LinkLengths = dict[HtmlElement, int]
"""The :func:`text_length` of links already measured, by element."""


@dataclass(slots=True)
class Candidate:
    element: HtmlElement
    score: float


def text_of(element: HtmlElement) -> str:
    """``element.text_content()``, without its XPath call for an element with no children
    (most links and many paragraphs), whose text is its only text."""
    if len(element):
        return cast(str, element.text_content())
    return element.text or ""


def text_length(element: HtmlElement) -> int:
    """Characters of visible text, whitespace runs counted once, in Latin-equivalent units
    (see :mod:`handpicked.extract.textsize`)."""
    return reading_length(" ".join(text_of(element).split()))


def link_density(
    element: HtmlElement, length: int | None = None, links: LinkLengths | None = None
) -> float:
    """Share of an element's text that sits inside links. ``links``: the lengths of links
    measured so far, for callers that measure nested elements of a tree that does not change
    meanwhile (each link is then measured once, not once per container around it)."""
    total = text_length(element) if length is None else length
    if not total:
        return 0.0
    if links is None:
        linked = sum(map(text_length, element.iter("a")))
    else:
        linked = 0
        for a in element.iter("a"):
            known = links.get(a)
            if known is None:
                known = links[a] = text_length(a)
            linked += known
    return min(1.0, linked / total)


INLINE_TAGS = frozenset(
    {"a", "b", "strong", "em", "i", "u", "span", "font", "small", "sup", "sub", "mark", "abbr",
     "cite", "code", "q", "s", "time", "br", "img"}
)  # fmt: skip


def own_text(element: HtmlElement) -> str:
    """The text an element holds itself: its runs and inline children, not nested blocks."""
    parts = [element.text or ""]
    for child in element:
        if child.tag in INLINE_TAGS:
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def name_weight(element: HtmlElement) -> float:
    """Points for what a site calls a container: "article-body" up, "sidebar" down."""
    return _words_weight(chrome_words(element))


@lru_cache(maxsize=4096)
def _words_weight(words: str) -> float:
    """Cached: the candidates of a page share a few class names, and sites reuse them."""
    if len(words) < 3:
        return 0.0
    weight = 0.0
    if _GOOD_NAMES.search(words):
        weight += 15
    if _BAD_NAMES.search(words):
        weight -= 15
    return weight


class MeasuredBlocks(Protocol):
    """The page's prose measured so far (:class:`handpicked.extract.prose.ProseMeter`)."""

    def block_text(self, block: HtmlElement) -> tuple[int, str]:
        """A ``<p>``'s or ``<div>``'s prose and its text: for a div its own text, when it
        is 80 characters or more, else (0, "")."""
        ...


def _prose_blocks(
    root: HtmlElement, links: LinkLengths, measured: MeasuredBlocks | None
) -> list[tuple[HtmlElement, int, float]]:
    """Prose blocks as (element, text length, score). A span never is one: its text counts
    in the block around it."""
    blocks: list[tuple[HtmlElement, int, float]] = []
    for element in root.iter(*PROSE_TAGS, "div", "section"):
        tag = element.tag
        if measured is not None and tag in ("p", "div"):
            # Measured already, the same way (commas do not change with the whitespace).
            length, text = measured.block_text(element)
            if not length:
                continue
        elif tag in ("div", "section"):
            # A div only counts for the text it holds itself, as sites that skip <p> do.
            own = own_text(element)
            length = reading_length(" ".join(own.split()))
            if length < 80:
                continue
            text = own
        else:
            text = text_of(element)
            length = reading_length(" ".join(text.split()))
        if length < _MIN_BLOCK_CHARS:
            continue
        density = link_density(element, length, links) if tag not in ("div", "section") else 0.0
        if density > 0.5:
            continue
        commas = len(_COMMA.findall(text))
        score = (1 + commas + min(length / 100, 3)) * (1 - density)
        if tag == "li":
            score *= 0.5
        blocks.append((element, length, score))
    return blocks


_CHROME_PLACES = frozenset({"footer", "aside", "nav"})
_CHROME_PLACE_ROLES = frozenset({"contentinfo", "complementary", "navigation"})
_CHROME_PLACE_FACTOR = 0.3


def _placement_factor(element: HtmlElement) -> float:
    """Prose inside a page footer or a sidebar (disclaimers, blurbs) is rarely the article."""
    for node in (element, *element.iterancestors()):
        if node.tag in _CHROME_PLACES or node.get("role") in _CHROME_PLACE_ROLES:
            return _CHROME_PLACE_FACTOR
    return 1.0


def score_candidates(
    root: HtmlElement, links: LinkLengths | None = None, measured: MeasuredBlocks | None = None
) -> list[Candidate]:
    """Containers ranked best first. ``links``: see :func:`link_density`. ``measured``: the
    page's prose measures, where known, so that no block is read twice."""
    links = {} if links is None else links
    scores: dict[HtmlElement, float] = {}
    for element, _length, score in _prose_blocks(root, links, measured):
        ancestor = element.getparent()
        level = 0
        while ancestor is not None and level < 4:
            if ancestor not in scores:
                scores[ancestor] = _TAG_WEIGHT.get(ancestor.tag, 0) + name_weight(ancestor)
            divider = 1 if level == 0 else 2 if level == 1 else level * 3
            scores[ancestor] += score / divider
            ancestor = ancestor.getparent()
            level += 1
    candidates = [
        Candidate(
            element, score * (1 - link_density(element, links=links)) * _placement_factor(element)
        )
        for element, score in sorted(scores.items(), key=lambda item: -item[1])[:8]
    ]
    candidates.sort(key=lambda c: -c.score)
    return candidates
