"""Page metadata from every source a page offers, reconciled into one record.

Reads the tree without changing it: body extraction runs afterwards and prunes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from lxml.html import HtmlElement


@dataclass(slots=True)
class PageMetadata:
    """What the page says about itself, before the body is looked at."""

    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    updated: datetime | None = None
    site_name: str | None = None
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    description: str | None = None
    image_url: str | None = None
    page_types: list[str] = field(default_factory=list)
    """Declared types, lower-cased: og:type values and JSON-LD @type values ("newsarticle")."""
    article_body: str | None = None
    """JSON-LD articleBody, when the page publishes one: a strong hint for the body."""


def extract_metadata(root: HtmlElement, url: str | None = None) -> PageMetadata:
    """Read the page's metadata (placeholder: <title> and <html lang> only)."""
    titles = root.xpath("//title/text()")
    title = " ".join(str(titles[0]).split()) if titles else None
    lang = root.get("lang")
    return PageMetadata(url=url, title=title or None, language=lang or None)
