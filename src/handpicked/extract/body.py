"""Main-content extraction (placeholder: every <p>)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml.html import HtmlElement

from handpicked.article import Image
from handpicked.extract.metadata import PageMetadata


@dataclass(slots=True)
class Body:
    paragraphs: list[str] = field(default_factory=list)
    lead: str | None = None
    pull_quotes: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    syndicated_from: str | None = None
    editors: list[str] = field(default_factory=list)


def extract_body(root: HtmlElement, metadata: PageMetadata) -> Body:
    paragraphs = [" ".join(p.text_content().split()) for p in root.iter("p")]
    return Body(paragraphs=[p for p in paragraphs if p])
