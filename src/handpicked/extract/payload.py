"""Article text that only a page's scripts carry.

Single-page-application frameworks can serve an empty HTML shell and the story as data:
Next.js in ``__NEXT_DATA__`` or in ``self.__next_f.push([...])`` chunks, Nuxt in
``window.__NUXT__``, Apollo and Redux in their state objects. The text sits there as JSON
string literals, often HTML inside a string, sometimes escaped twice.

The scripts are set aside before the tree is cleaned (:func:`collect_payloads`, a cheap scan),
and read only when the HTML gave a thin body (:func:`payload_paragraphs`): the longest run of
prose found in those strings, as paragraphs.
"""

from __future__ import annotations

import json
import re

from lxml import etree
from lxml.html import HtmlElement, fragment_fromstring

from handpicked.extract.linearise import linearise
from handpicked.extract.prune import looks_like_chrome
from handpicked.extract.textsize import count_words, reading_length

_MARKERS = (
    "__NEXT_DATA__",
    "self.__next_f.push",
    "__NUXT__",
    "__APOLLO_STATE__",
    "__INITIAL_STATE__",
    "__PRELOADED_STATE__",
)
_MAX_PAYLOAD_CHARS = 4_000_000
# A JSON string literal long enough to hold a paragraph (escapes kept as they are).
_STRING = re.compile(r'"((?:[^"\\]|\\.){120,})"', re.S)
_TAG = re.compile(r"<(?:p|br|div|h[2-6]|li|blockquote)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?。！？」』\"”]\s")
_MIN_PARAGRAPH_CHARS = 60
_DATA = re.compile(r"^\s*(?:\w{1,8}:)?\s*[\[{]")
# A template slot left in the text: one token wrapped in symbols ("$$AD$$", "{{embed}}").
_PLACEHOLDER = re.compile(r"^[^\w\s]+\w+[^\w\s]+$")
_MAX_DEPTH = 2


def collect_payloads(root: HtmlElement) -> list[str]:
    """The texts of the scripts that may carry a framework's page data, before they go."""
    payloads: list[str] = []
    total = 0
    for script in root.iter("script"):
        text = script.text or ""
        if not text or total + len(text) > _MAX_PAYLOAD_CHARS:
            continue
        if script.get("id") == "__NEXT_DATA__" or any(mark in text for mark in _MARKERS):
            payloads.append(text)
            total += len(text)
    return payloads


def payload_paragraphs(payloads: list[str]) -> list[str]:
    """The paragraphs of the longest prose text in the payloads; empty when there is none."""
    best: list[str] = []
    best_length = 0
    for payload in payloads:
        for text in _strings(payload, 0):
            paragraphs = _paragraphs(text)
            length = sum(reading_length(p) for p in paragraphs)
            if length > best_length:
                best, best_length = paragraphs, length
    return best


def _strings(source: str, depth: int) -> list[str]:
    """Decoded long string literals of ``source``, and those inside them (escaped twice)."""
    found: list[str] = []
    for match in _STRING.finditer(source):
        try:
            text = json.loads(f'"{match.group(1)}"')
        except ValueError:
            continue
        if not isinstance(text, str):
            continue
        found.append(text)
        if depth < _MAX_DEPTH and '\\"' in match.group(1):
            found.extend(_strings(text, depth + 1))
    return found


def _paragraphs(text: str) -> list[str]:
    """Prose paragraphs of one string: HTML read block by block, plain text by lines."""
    if _DATA.search(text[:200]) or text.count('":') >= 3:
        return []  # a serialised record (an RSC line, a JSON blob), not text
    if _TAG.search(text):
        try:
            fragment = fragment_fromstring(text, create_parent="div")
        except (etree.ParserError, ValueError):
            return []
        etree.strip_elements(fragment, "script", "style", "figure", "figcaption", with_tail=False)
        for element in list(fragment.iter()):
            attached = element is not fragment and element.getparent() is not None
            if attached and looks_like_chrome(element):  # captions, adverts, share boxes
                element.drop_tree()
        lines = [block.text for block in linearise(fragment) if block.link_density < 0.5]
    else:
        lines = [" ".join(line.split()) for line in text.splitlines()]
    paragraphs = [line for line in lines if line and not _PLACEHOLDER.match(line)]
    prose = [p for p in paragraphs if reading_length(p) >= _MIN_PARAGRAPH_CHARS]
    if not prose or not any(_SENTENCE_END.search(p + " ") for p in prose):
        return []
    if " " not in "".join(prose) and count_words("".join(prose)) < 20:
        return []  # an identifier, a token or a data blob, not text
    return paragraphs


__all__ = ["collect_payloads", "payload_paragraphs"]
