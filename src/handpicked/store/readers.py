"""Readers, what they follow or mute, their feedback, and the digests sent to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class ReaderRecord:
    """A reader: where and when their digest goes, and how long it is."""

    id: int
    email: str
    time_zone: str
    schedule: str
    """A schedule spec as :func:`handpicked.deliver.schedule.parse_schedule` reads it."""
    max_items: int
    language: str | None
    """Preferred language (ISO 639-1) or None for any."""
    feed_token: str
    """The secret in the reader's Atom feed URL."""
    created_at: datetime
    unsubscribed_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.unsubscribed_at is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "email": self.email,
            "time_zone": self.time_zone,
            "schedule": self.schedule,
            "max_items": self.max_items,
            "language": self.language,
            "created_at": self.created_at.isoformat(),
            "unsubscribed": self.unsubscribed_at is not None,
        }


@dataclass(frozen=True, slots=True)
class InterestRecord:
    """A follow or a mute: ``kind`` and ``key`` say what it matches, ``label`` how to show it."""

    id: int
    reader_id: int
    mode: str
    kind: str
    key: str
    label: str
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "kind": self.kind, "key": self.key, "label": self.label}


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    article_id: int
    kind: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One digest for one slot, and how far its sending got."""

    id: int
    reader_id: int
    period: str
    state: str
    attempts: int
    message_id: str | None
    story_ids: tuple[int, ...]
    article_ids: tuple[int, ...]
    error: str | None
    since: datetime | None
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None = None
    items: tuple[dict[str, Any], ...] = ()
    """The picks as sent (see ``DigestItem.to_dict``)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "reader_id": self.reader_id,
            "period": self.period,
            "state": self.state,
            "attempts": self.attempts,
            "message_id": self.message_id,
            "story_ids": list(self.story_ids),
            "article_ids": list(self.article_ids),
            "error": self.error,
            "sent_at": self.sent_at.isoformat() if self.sent_at else None,
        }
