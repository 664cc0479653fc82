"""Pull quotes, syndication lines, editor credits and the standfirst: parts of a story that
are worth keeping, but never as body text."""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from handpicked.extract.prefilter import may_contain
from handpicked.extract.prune import chrome_words

_PULL_QUOTE = re.compile(r"pull[-_]?quote|quote[-_]?pull|pullout|pull-out|big-quote", re.I)
# Every match of _PULL_QUOTE holds one of these (see prefilter).
_PULL_QUOTE_WORDS = ("pull", "quote")
_STANDFIRST = re.compile(
    r"(?:^|[\s_-])(?:standfirst|dek|deck|subtitle|sub-?headline|subhead|lede|lead|strapline|"
    r"summary|excerpt|intro|teaser|description)(?:$|[\s_-])",
    re.I,
)
_QUOTES = "\"'“”‘’«»„‟"

_SYNDICATION = re.compile(
    r"(?:produced in (?:association|partnership|collaboration) with|"
    r"(?:this (?:story|article|piece|post)(?: was)? (?:originally |first )?"
    r"(?:appeared|published|ran|was published|was produced|is republished)"
    r"(?: (?:in|on|by|at|from|with))?)|"
    r"originally (?:published|appeared) (?:in|on|by|at)|"
    r"republished (?:with permission )?(?:from|of|by)|"
    r"reprinted (?:with permission )?(?:from|of|by)|"
    r"(?:appeared|published) first (?:in|on|at)|"
    r"(?:in (?:association|partnership) with))\s*:?\s*",
    re.I,
)
# Every match of _SYNDICATION holds one of these (see prefilter).
_SYNDICATION_WORDS = (
    "produced", "this story", "this article", "this piece", "this post", "originally",
    "republished", "reprinted", "appeared first", "published first", "in association",
    "in partnership",
)  # fmt: skip
_EDITED_BY = re.compile(r"^\s*(?:edited|copy[- ]edited|editing)\s+by\s*:?\s*", re.I)
_NAME_SPLIT = re.compile(r"\s*(?:,|&|\band\b|;)\s*", re.I)
_ROLE_WORDS = re.compile(
    r"\b(?:desk|manager|editor|editors|staff|team|newsroom|newsdesk|reporter|correspondent|"
    r"contributor|writer|department|bureau|agency|wire|services?)\b",
    re.I,
)
_MAX_CREDIT_CHARS = 300


def _clean(text: str) -> str:
    return " ".join(text.split())


def strip_quotes(text: str) -> str:
    return _clean(text).strip(_QUOTES + " ")


def _named_pull_quotes(root: HtmlElement) -> list[HtmlElement]:
    """Elements whose class or id names a pull quote, in document order, found before any is
    removed. The pattern never spans the class and the id, so each is tested alone, a class
    once (sites repeat them) and behind a C-level test for "pull" or "quote": an XPath doing
    this with translate() cost a tenth of all extraction time."""
    found: list[HtmlElement] = []
    for element in root.iter(etree.Element):
        classes = element.get("class")
        ident = element.get("id")
        if (classes and _names_pull_quote(classes)) or (
            ident and may_contain(ident, _PULL_QUOTE_WORDS) and _PULL_QUOTE.search(ident)
        ):
            found.append(element)
    return found


@lru_cache(maxsize=4096)
def _names_pull_quote(classes: str) -> bool:
    return may_contain(classes, _PULL_QUOTE_WORDS) and bool(_PULL_QUOTE.search(classes))


def take_pull_quotes(root: HtmlElement) -> list[str]:
    """Elements a site names as pull quotes: recorded, then removed from the flow."""
    quotes: list[str] = []
    for element in _named_pull_quotes(root):
        if element.getparent() is None:
            continue
        text = strip_quotes(element.text_content())
        if text and text not in quotes:
            quotes.append(text)
        element.drop_tree()
    return quotes


_CREDIT_TAGS = ("p", "span", "div", "em", "i", "small", "footer", "section", "li")


def _credit_elements(
    root: HtmlElement, pattern: re.Pattern[str], words: tuple[str, ...] | None = None
) -> list[HtmlElement]:
    """The smallest elements whose own text starts a credit line. ``words``: literal words of
    which every match of ``pattern`` holds one, to skip the regex on other text."""
    return _credit_lines(root, ((pattern, words),))[0]


def _credit_lines(
    root: HtmlElement, kinds: tuple[tuple[re.Pattern[str], tuple[str, ...] | None], ...]
) -> list[list[HtmlElement]]:
    """:func:`_credit_elements` for several kinds of credit line in one pass over the tree."""
    found: list[list[HtmlElement]] = [[] for _ in kinds]
    for element in root.iter(*_CREDIT_TAGS):
        text = element.text
        if not text or text.isspace():
            continue
        head = text[:200]
        for (pattern, words), elements in zip(kinds, found, strict=True):
            if words is not None and not may_contain(head, words):
                continue
            if pattern.search(head):
                whole = _clean(element.text_content())
                if len(whole) <= _MAX_CREDIT_CHARS:
                    elements.append(element)
    return found


def take_syndication(root: HtmlElement) -> str | None:
    """The outlet named by "Produced in association with X" or "This story originally
    appeared in X"; the credit line is removed from the flow."""
    return _take_syndication(_credit_elements(root, _SYNDICATION, _SYNDICATION_WORDS))[0]


def _take_syndication(elements: list[HtmlElement]) -> tuple[str | None, bool]:
    """:func:`take_syndication` over its credit lines; also whether any element went."""
    removed = False
    for element in elements:
        text = _clean(element.text_content())
        match = _SYNDICATION.search(text)
        if match is None:
            continue
        links = [_clean(a.text_content()) for a in element.iter("a")]
        outlet = next((link for link in links if link), None)
        if outlet is None:
            rest = text[match.end() :]
            outlet = re.split(r"[.;|(]\s|\s[-–—]\s|,\s(?:and|which|a|an|the)\s", rest)[0]
            outlet = outlet.strip(" .,:;") or None
        element.drop_tree()
        removed = True
        if outlet:
            return outlet, removed
    return None, removed


def take_credit_lines(root: HtmlElement) -> tuple[str | None, list[str]]:
    """:func:`take_syndication`, then :func:`take_editors`, finding both kinds of credit line
    in one pass; the tree is searched again for editors only where a syndication line went
    (its removal can change the text around it)."""
    syndication, editing = _credit_lines(
        root, ((_SYNDICATION, _SYNDICATION_WORDS), (_EDITED_BY, None))
    )
    outlet, removed = _take_syndication(syndication)
    if removed:
        editing = _credit_elements(root, _EDITED_BY)
    return outlet, _take_editors(editing)


def looks_like_name(text: str) -> bool:
    """Two to five words, capitalised, none of them a job title."""
    words = text.split()
    if not 2 <= len(words) <= 5 or _ROLE_WORDS.search(text):
        return False
    return all(word[:1].isupper() or word.lower() in {"de", "van", "von", "da", "bin", "al"}
               for word in words)  # fmt: skip


def take_editors(root: HtmlElement) -> list[str]:
    """Names from "Edited by A and B" credit lines; roles ("Newsdesk Manager") are dropped."""
    return _take_editors(_credit_elements(root, _EDITED_BY))


def _take_editors(elements: list[HtmlElement]) -> list[str]:
    """:func:`take_editors` over its credit lines."""
    editors: list[str] = []
    for element in elements:
        text = _EDITED_BY.sub("", _clean(element.text_content()), count=1)
        for name in _NAME_SPLIT.split(text.rstrip(". ")):
            name = name.strip()
            if looks_like_name(name) and name not in editors:
                editors.append(name)
        element.drop_tree()
    return editors


def find_standfirst(root: HtmlElement, headline: HtmlElement | None) -> str | None:
    """A standfirst the site marks as such, near the headline when there is one."""
    scope = headline.getparent() if headline is not None else None
    for element in (scope if scope is not None else root).iter("p", "div", "h2", "span"):
        if _STANDFIRST.search(chrome_words(element)):
            text = _clean(element.text_content())
            if 40 <= len(text) <= 600:
                return text
    return None
