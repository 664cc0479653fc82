"""What a digest is: the picked stories for one reader, each with its reasons in words.

These records are what every delivery channel renders (email, Atom, the web page, the API);
:mod:`handpicked.pick.ranking` finds the picks and their reasons, and
:mod:`handpicked.pick.reasons` words them once for every channel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from handpicked.pick.reasons import Reason
from handpicked.store import ReaderRecord, StoredArticle
from handpicked.understand.developments import Development
from handpicked.understand.provenance import Provenance


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One story, shown once: its best article for this reader and who else covered it."""

    story_id: int | None
    article: StoredArticle
    reasons: tuple[str, ...]
    """Why it was picked, as the reader is shown it: at most three reasons, most important
    first ("because you follow Vladimir Putin"), then how many more ("2 more")."""
    outlets: tuple[str, ...]
    """Every outlet that published the story, the shown article's first."""
    score: float
    article_ids: tuple[int, ...] = ()
    """Every stored article of the story (syndicated copies included)."""
    why: tuple[Reason, ...] = ()
    """Every reason, as records, strongest first (empty for a pick read back from a sent
    digest, which keeps only the words)."""
    provenance: Provenance | None = None
    """How many independent reports the story has and how many copies of whom."""
    development: Development | None = None
    """For a story sent before that developed since: what is new (a follow-up)."""
    seen_at: datetime | None = None
    """For a follow-up: when the reader was last sent the story."""

    @property
    def reason(self) -> str:
        return self.reasons[0] if self.reasons else ""

    @property
    def also_covered_by(self) -> int:
        """How many other outlets covered the story ("also covered by 6 outlets")."""
        return max(0, len(self.outlets) - 1)

    def to_dict(self) -> dict[str, Any]:
        article = self.article
        return {
            "story_id": self.story_id,
            "article_id": article.id,
            "title": article.title,
            "url": article.url or article.canonical_url,
            "site_name": article.site_name,
            "published": article.published.isoformat() if article.published else None,
            "lead": article.lead,
            "reasons": list(self.reasons),
            "why": [reason.to_dict() for reason in self.why],
            "outlets": list(self.outlets),
            "also_covered_by": self.also_covered_by,
            "score": round(self.score, 4),
            **({"development": self.development.to_dict()} if self.development else {}),
        }


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Something a reader could follow, offered when they follow little or nothing."""

    label: str
    thing: str
    """What to pass to ``handpicked follow`` ("person:Vladimir Putin", "topic:politics")."""
    stories: int
    """How many recent stories it would have picked."""


@dataclass(frozen=True, slots=True)
class Digest:
    """A reader's picks since ``since``: empty with ``empty_reason`` when nothing matched."""

    reader: ReaderRecord
    items: tuple[DigestItem, ...]
    since: datetime
    generated_at: datetime
    suggestions: tuple[Suggestion, ...] = ()
    empty_reason: str | None = None
    candidates: int = 0
    """How many new stories were looked at."""
    period: str | None = field(default=None)
    """The schedule slot this digest is for (its UTC instant, ISO 8601); None when ad hoc."""

    @property
    def subject(self) -> str:
        """The email subject: it names the top story."""
        if not self.items:
            return "Nothing new for you today"
        top = self.items[0].article.title or "Your handpicked news"
        more = len(self.items) - 1
        return f"{top} (+{more} more)" if more else top

    def to_dict(self) -> dict[str, Any]:
        return {
            "reader": self.reader.email,
            "since": self.since.isoformat(),
            "generated_at": self.generated_at.isoformat(),
            "period": self.period,
            "subject": self.subject,
            "items": [item.to_dict() for item in self.items],
            "suggestions": [
                {"label": s.label, "thing": s.thing, "stories": s.stories} for s in self.suggestions
            ],
            "empty_reason": self.empty_reason,
            "candidates": self.candidates,
        }
