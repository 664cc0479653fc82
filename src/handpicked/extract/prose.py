"""How much prose an element holds: the measure that says where the article is.

Prose is paragraph text (``<p>``), and the text a ``<div>`` holds itself when it is long
enough to be a paragraph (sites that write paragraphs without ``<p>``). Lengths are in
Latin-equivalent characters (:mod:`handpicked.extract.textsize`), so a Japanese page measures
like an English one.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from handpicked.extract.scoring import own_text, text_of
from handpicked.extract.textsize import reading_length

MIN_DIV_PROSE_CHARS = 80


def _block_prose(block: HtmlElement) -> int:
    return _block_text(block)[0]


def _block_text(block: HtmlElement) -> tuple[int, str]:
    """A block's prose and its text, whitespace runs as one space ("" when it holds none)."""
    if block.tag == "p":
        text = " ".join(text_of(block).split())
        return reading_length(text), text
    text = " ".join(own_text(block).split())
    own = reading_length(text)
    return (own, text) if own >= MIN_DIV_PROSE_CHARS else (0, "")


def prose_length(element: HtmlElement) -> int:
    """Characters of paragraph text within ``element``."""
    return sum(_block_prose(block) for block in element.iter("p", "div"))


def prose_lengths(root: HtmlElement) -> dict[HtmlElement, int]:
    """``prose_length`` of every element that holds prose, in one pass: each block's prose
    is added to all its ancestors."""
    return ProseMeter().lengths(root)


class ProseMeter:
    """Prose measured once per block while a page is worked on: pruning, choosing the
    container and the page-or-article check measure the same paragraphs again and again.

    A block's prose depends only on its own subtree, so when the tree changes only the
    ancestors of a removed element need measuring again: :meth:`forget_above` before each
    removal keeps every answer equal to a fresh :func:`prose_length`."""

    def __init__(self) -> None:
        self._blocks: dict[HtmlElement, tuple[int, str]] = {}

    def block(self, block: HtmlElement) -> int:
        """The prose a ``<p>`` or ``<div>`` holds as a block (see :func:`prose_length`)."""
        return self.block_text(block)[0]

    def block_text(self, block: HtmlElement) -> tuple[int, str]:
        """The prose a ``<p>`` or ``<div>`` holds as a block, and that prose's text with its
        whitespace runs as one space ("" when it holds none)."""
        measured = self._blocks.get(block)
        if measured is None:
            measured = self._blocks[block] = _block_text(block)
        return measured

    def forget_above(self, element: HtmlElement) -> None:
        """Forget the measures that removing ``element`` from the tree changes."""
        for ancestor in element.iterancestors():
            self._blocks.pop(ancestor, None)

    def length(self, element: HtmlElement) -> int:
        """:func:`prose_length`, from the blocks measured so far."""
        return sum(map(self.block, element.iter("p", "div")))

    def lengths(self, root: HtmlElement) -> dict[HtmlElement, int]:
        """:func:`prose_lengths`, from the blocks measured so far."""
        lengths: dict[HtmlElement, int] = {}
        for block in root.iter("p", "div"):
            own = self.block(block)
            if not own:
                continue
            lengths[block] = lengths.get(block, 0) + own
            for ancestor in block.iterancestors():
                lengths[ancestor] = lengths.get(ancestor, 0) + own
        return lengths


__all__ = ["MIN_DIV_PROSE_CHARS", "ProseMeter", "prose_length", "prose_lengths"]
