"""How much prose an element holds: the measure that says where the article is.

Prose is paragraph text (``<p>``), and the text a ``<div>`` holds itself when it is long
enough to be a paragraph (sites that write paragraphs without ``<p>``). Lengths are in
Latin-equivalent characters (:mod:`handpicked.extract.textsize`), so a Japanese page measures
like an English one.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from handpicked.extract.scoring import own_text, text_length
from handpicked.extract.textsize import reading_length

MIN_DIV_PROSE_CHARS = 80


def _block_prose(block: HtmlElement) -> int:
    if block.tag == "p":
        return text_length(block)
    own = reading_length(" ".join(own_text(block).split()))
    return own if own >= MIN_DIV_PROSE_CHARS else 0


def prose_length(element: HtmlElement) -> int:
    """Characters of paragraph text within ``element``."""
    return sum(_block_prose(block) for block in element.iter("p", "div"))


def prose_lengths(root: HtmlElement) -> dict[HtmlElement, int]:
    """``prose_length`` of every element that holds prose, in one pass: each block's prose
    is added to all its ancestors."""
    lengths: dict[HtmlElement, int] = {}
    for block in root.iter("p", "div"):
        own = _block_prose(block)
        if not own:
            continue
        lengths[block] = lengths.get(block, 0) + own
        for ancestor in block.iterancestors():
            lengths[ancestor] = lengths.get(ancestor, 0) + own
    return lengths


__all__ = ["MIN_DIV_PROSE_CHARS", "prose_length", "prose_lengths"]
