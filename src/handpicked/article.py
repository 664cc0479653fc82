"""The structured article that every stage after extraction works with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Image:
    """A picture that belongs to the article, with what the page says about it."""

    url: str
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"url": self.url, "caption": self.caption, "credit": self.credit, "alt": self.alt}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Image:
        return cls(
            url=str(data.get("url") or ""),
            caption=_text(data.get("caption")),
            credit=_text(data.get("credit")),
            alt=_text(data.get("alt")),
        )


@dataclass(slots=True)
class Article:
    """A news page reduced to what a reader wants: the body and its facts, no site chrome.

    ``text`` is the body as plain text with paragraphs split by a blank line; ``paragraphs``
    holds the same paragraphs as a list. Title, pull quotes, captions and credits live in their
    own fields and never in the body.
    """

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
    lead: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    pull_quotes: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    syndicated_from: str | None = None
    editors: list[str] = field(default_factory=list)
    is_article: bool = False

    @property
    def text(self) -> str:
        """The body as plain text, paragraphs split by a blank line."""
        return "\n\n".join(self.paragraphs)

    @property
    def word_count(self) -> int:
        """Words in the body, counted in every script (Japanese has no spaces to count)."""
        from handpicked.extract.textsize import count_words  # the package imports this module

        return sum(count_words(p) for p in self.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe values: datetimes as ISO 8601, images as plain dicts."""
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "title": self.title,
            "authors": list(self.authors),
            "published": self.published.isoformat() if self.published else None,
            "updated": self.updated.isoformat() if self.updated else None,
            "site_name": self.site_name,
            "language": self.language,
            "section": self.section,
            "tags": list(self.tags),
            "lead": self.lead,
            "text": self.text,
            "paragraphs": list(self.paragraphs),
            "pull_quotes": list(self.pull_quotes),
            "images": [image.to_dict() for image in self.images],
            "syndicated_from": self.syndicated_from,
            "editors": list(self.editors),
            "is_article": self.is_article,
            "word_count": self.word_count,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Article:
        """The inverse of :meth:`to_dict`, for articles read back from JSON Lines or Parquet
        (``handpicked extract crawl.warc.gz --out ...``). Unknown keys are ignored."""
        paragraphs = data.get("paragraphs")
        if not paragraphs and data.get("text"):
            paragraphs = [p for p in str(data["text"]).split("\n\n") if p.strip()]
        return cls(
            url=_text(data.get("url")),
            canonical_url=_text(data.get("canonical_url")),
            title=_text(data.get("title")),
            authors=_texts(data.get("authors")),
            published=_when(data.get("published")),
            updated=_when(data.get("updated")),
            site_name=_text(data.get("site_name")),
            language=_text(data.get("language")),
            section=_text(data.get("section")),
            tags=_texts(data.get("tags")),
            lead=_text(data.get("lead")),
            paragraphs=_texts(paragraphs),
            pull_quotes=_texts(data.get("pull_quotes")),
            images=[Image.from_dict(i) for i in data.get("images") or () if isinstance(i, Mapping)],
            syndicated_from=_text(data.get("syndicated_from")),
            editors=_texts(data.get("editors")),
            is_article=bool(data.get("is_article")),
        )


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _texts(value: Any) -> list[str]:
    return [str(v) for v in value or () if v not in (None, "")]


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
