"""A container's subtree as a list of paragraphs, the way a reader sees its blocks.

Each block's text and the part of it in links are measured in Latin-equivalent units
(:mod:`handpicked.extract.textsize`): "Facebookでシェアする" is mostly Japanese, not mostly
link, though its link text has more letters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlElement

from handpicked.extract.textsize import reading_length

BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote",
     "pre", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td",
     "th", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "address",
     "hr", "br", "form", "fieldset", "legend", "details", "summary", "center", "body", "html",
     "hgroup", "output", "noscript"}
)  # fmt: skip
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass(slots=True)
class Block:
    """One paragraph of text with what we know of where it came from."""

    text: str
    tag: str
    link_chars: int
    """Reading length (see :func:`reading_length`) of the text that sits in links."""
    element: HtmlElement | None
    links: int = 0
    """How many links the block holds: one for a headline, several for a list of names."""
    length: int = field(init=False)
    """Reading length of ``text``."""

    def __post_init__(self) -> None:
        self.length = reading_length(self.text)
        self.link_chars = min(self.link_chars, self.length)

    @property
    def link_density(self) -> float:
        return self.link_chars / self.length if self.length else 0.0

    @property
    def is_heading(self) -> bool:
        return self.tag in HEADING_TAGS


class _Builder:
    """Collects text runs into blocks; each block boundary flushes the current run."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._parts: list[str] = []
        self._link_chars = 0
        self._links = 0
        self._tags: list[str] = []
        self._elements: list[HtmlElement] = []

    def add(self, text: str | None, in_link: bool) -> None:
        if text:
            self._parts.append(text)
            if in_link:
                self._link_chars += reading_length(text.strip())

    def count_link(self) -> None:
        self._links += 1

    def open(self, element: HtmlElement) -> None:
        self.flush()
        self._tags.append(element.tag)
        self._elements.append(element)

    def close(self) -> None:
        self.flush()
        if self._tags:
            self._tags.pop()
            self._elements.pop()

    def flush(self) -> None:
        raw = "".join(self._parts)
        if "pre" in self._tags:
            lines = [line.rstrip() for line in raw.strip("\n").splitlines()]
            text = "\n".join(lines).strip()
        else:
            text = " ".join(raw.split())
        if text:
            tag = self._tags[-1] if self._tags else "div"
            element = self._elements[-1] if self._elements else None
            self.blocks.append(Block(text, tag, self._link_chars, element, self._links))
        self._parts.clear()
        self._link_chars = 0
        self._links = 0


def _is_navigation(anchor: HtmlElement) -> bool:
    """A link that leads away; a jump within the page ("#section-2") reads as plain text."""
    href = anchor.get("href")
    return href is not None and not href.startswith("#")


def linearise(container: HtmlElement) -> list[Block]:
    """Walk the subtree once (iteratively: no recursion limit on deep pages) into blocks."""
    builder = _Builder()
    link_depth = 0
    for event, element in etree.iterwalk(container, events=("start", "end")):
        tag = element.tag
        if not isinstance(tag, str):
            if event == "end" and element is not container:
                builder.add(element.tail, link_depth > 0)
            continue
        if event == "start":
            if tag in BLOCK_TAGS:
                builder.open(element)
            elif tag == "a" and _is_navigation(element):
                link_depth += 1
                builder.count_link()
            builder.add(element.text, link_depth > 0)
        else:
            if tag in BLOCK_TAGS:
                builder.close()
            elif tag == "a" and _is_navigation(element):
                link_depth -= 1
            if element is not container:
                builder.add(element.tail, link_depth > 0)
    builder.flush()
    return builder.blocks
