"""The desk's records: frozen values that the store hands out and takes in, knowing nothing
of how they are stored (rows live in :mod:`handpicked.store.tables`, and only the store's
repositories touch them).

The kinds, modes and states are ``Literal`` types, so a typo is a type error rather than a
row the database's CHECK constraint refuses at run time; the tuples beside them are the same
values for the constraints and for validation.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal, NamedTuple, get_args

from handpicked.article import Article, Image
from handpicked.schedule import Schedule, ScheduleError, parse_schedule

SourceKind = Literal["feed", "sitemap", "page", "site"]
PendingState = Literal["pending", "done", "failed"]
InterestKind = Literal["entity", "topic", "source", "section", "phrase", "search"]
InterestMode = Literal["follow", "mute"]
FeedbackKind = Literal["more", "less", "opened"]
DeliveryState = Literal["claimed", "sending", "sent", "failed", "skipped", "uncertain"]

SOURCE_KINDS: tuple[SourceKind, ...] = get_args(SourceKind)
PENDING_STATES: tuple[PendingState, ...] = get_args(PendingState)
INTEREST_KINDS: tuple[InterestKind, ...] = get_args(InterestKind)
INTEREST_MODES: tuple[InterestMode, ...] = get_args(InterestMode)
FEEDBACK_KINDS: tuple[FeedbackKind, ...] = get_args(FeedbackKind)
DELIVERY_STATES: tuple[DeliveryState, ...] = get_args(DeliveryState)

#: The fields an :class:`Article` has; a stored article has each of them (lists as tuples).
ARTICLE_FIELDS: tuple[str, ...] = tuple(field.name for field in fields(Article))


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """A source as stored, with its polling state."""

    id: int
    url: str
    kind: SourceKind
    title: str | None
    site_url: str | None
    poll_interval_s: int
    next_poll_at: datetime | None
    last_polled_at: datetime | None
    etag: str | None
    last_modified: str | None
    last_status: int | None
    last_error: str | None
    error_count: int
    created_at: datetime
    desk_wide: bool = False
    """Added by the admin for every reader (else only its subscribers' picks use it)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe values: datetimes as ISO 8601."""
        return {name: _jsonable(getattr(self, name)) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class PendingUrl:
    """A URL in the fetch queue."""

    id: int
    source_id: int | None
    url: str
    discovered_at: datetime
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    state: PendingState


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """A stored article: the ``Article`` fields (lists as tuples) plus where and when it came."""

    id: int
    canonical_url: str
    url: str | None
    source_id: int | None
    fetched_at: datetime
    content_hash: str
    word_count: int
    text: str
    title: str | None
    authors: tuple[str, ...]
    published: datetime | None
    updated: datetime | None
    site_name: str | None
    language: str | None
    section: str | None
    tags: tuple[str, ...]
    lead: str | None
    paragraphs: tuple[str, ...]
    pull_quotes: tuple[str, ...]
    images: tuple[Image, ...]
    syndicated_from: str | None
    editors: tuple[str, ...]
    is_article: bool
    entities: tuple[dict[str, Any], ...] = ()
    """Entities found by the understanding stage: name, kind, key, aliases, mentions."""
    topics: tuple[dict[str, Any], ...] = ()
    detected_language: str | None = None
    duplicate_of: int | None = None
    story_id: int | None = None
    understood: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe values: the article's (as ``Article.to_dict`` gives them), the store's and
        what understanding found (language is the detected one when there is one)."""
        data = {
            "id": self.id,
            "source_id": self.source_id,
            "fetched_at": self.fetched_at.isoformat(),
            "content_hash": self.content_hash,
            **self.article.to_dict(),
            "entities": [dict(entity) for entity in self.entities],
            "topics": [dict(topic) for topic in self.topics],
            "duplicate_of": self.duplicate_of,
            "story_id": self.story_id,
        }
        if self.detected_language:
            data["language"] = self.detected_language
        return data

    @property
    def article(self) -> Article:
        """A fresh, independent ``Article`` with the stored values (tuples as lists)."""
        values: dict[str, Any] = {}
        for name in ARTICLE_FIELDS:
            value = getattr(self, name)
            values[name] = list(value) if isinstance(value, tuple) else value
        return Article(**values)


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


@dataclass(frozen=True, slots=True)
class ReaderRecord:
    """A reader: where and when their digest goes, and how long it is."""

    id: int
    email: str
    time_zone: str
    schedule: str
    """The schedule as stored: a spec that :func:`handpicked.schedule.parse_schedule` reads."""
    max_items: int
    language: str | None
    """Preferred language (ISO 639-1) or None for any."""
    feed_token: str
    """The secret in the reader's Atom feed URL."""
    created_at: datetime
    unsubscribed_at: datetime | None = None
    is_admin: bool = False
    verified_at: datetime | None = None
    """When the address was proven (None: cannot sign in or get digests)."""
    timetable: Schedule | None = field(init=False, repr=False, compare=False)
    """``schedule`` parsed once, when the record is made; None if it no longer reads."""
    schedule_problem: str | None = field(init=False, repr=False, compare=False)
    """Why ``schedule`` does not read (None when it does)."""

    def __post_init__(self) -> None:
        try:
            timetable, problem = parse_schedule(self.schedule), None
        except ScheduleError as error:
            timetable, problem = None, str(error)
        object.__setattr__(self, "timetable", timetable)
        object.__setattr__(self, "schedule_problem", problem)

    @property
    def parsed_schedule(self) -> Schedule:
        """The reader's schedule; ``ScheduleError`` (saying why) if the stored one no longer
        reads, which callers answer each in their own way."""
        if self.timetable is None:
            raise ScheduleError(self.schedule_problem or f"cannot read {self.schedule!r}")
        return self.timetable

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
    mode: InterestMode
    kind: InterestKind
    key: str
    label: str
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "kind": self.kind, "key": self.key, "label": self.label}


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    article_id: int
    kind: FeedbackKind
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ReadingState:
    """Where one reader stands with one article: read or not, saved for later or not."""

    article_id: int
    read: bool
    saved_at: datetime | None = None

    @property
    def saved(self) -> bool:
        return self.saved_at is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "read": self.read,
            "saved": self.saved,
            "saved_at": _jsonable(self.saved_at),
        }


@dataclass(frozen=True, slots=True)
class ReadingEntry:
    """An article in a reader's list of all stories or of saved ones, with their state."""

    article: StoredArticle
    state: ReadingState


@dataclass(frozen=True, slots=True)
class UnreadCounts:
    """How many readable articles (not copies, not non-articles) a reader has not read."""

    total: int
    by_source: dict[int | None, int] = field(default_factory=dict)
    """Per source id (None: articles that came without a source)."""


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One digest for one slot, and how far its sending got."""

    id: int
    reader_id: int
    period: str
    state: DeliveryState
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


@dataclass(frozen=True, slots=True)
class Findings:
    """Everything understanding learned of one article, stored in one transaction."""

    entities: list[dict[str, Any]]
    topics: list[dict[str, Any]]
    language: str | None
    duplicate_of: int | None
    story_id: int | None
    fingerprint: bytes
    embedding: bytes | None


@dataclass(frozen=True, slots=True)
class IndexedArticle:
    """The few fields the duplicate and story indexes are rebuilt from after a restart."""

    id: int
    fingerprint: bytes | None
    embedding: bytes | None
    when: datetime
    site_name: str | None
    title: str | None
    entity_keys: tuple[str, ...]
    story_id: int | None


@dataclass(frozen=True, slots=True)
class ArticleCheck:
    """An article due to be re-fetched, with the validators that make the fetch conditional."""

    article_id: int
    url: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True, slots=True)
class SentStory:
    """A story as a reader was sent it: when last, and which of its articles they had."""

    story_id: int
    sent_at: datetime
    article_ids: frozenset[int]


@dataclass(frozen=True, slots=True)
class StoryRecord:
    """A story: several outlets' articles about one event, shown once."""

    id: int
    title: str | None
    representative_id: int | None
    first_seen: datetime | None
    last_seen: datetime | None
    article_count: int
    outlets: tuple[str, ...]
    articles: tuple[StoredArticle, ...] = ()
    provenance: dict[str, Any] | None = None
    """Reports and copies as ``handpicked.understand.provenance.Provenance.to_dict`` gives
    them (None for a story not recounted since provenance was kept)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "representative_id": self.representative_id,
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "article_count": self.article_count,
            "outlets": list(self.outlets),
            "also_covered_by": max(0, len(self.outlets) - 1),
            "articles": [
                {
                    "id": a.id,
                    "title": a.title,
                    "url": a.canonical_url,
                    "site_name": a.site_name,
                    "published": a.published.isoformat() if a.published else None,
                    "duplicate_of": a.duplicate_of,
                }
                for a in self.articles
            ],
        }


class PoolArticle(NamedTuple):
    """The columns of an understood article that ranking reads for every reader at once (no
    body unless phrases are followed): a tuple, cheap for many thousands of rows."""

    id: int
    story_id: int | None
    duplicate_of: int | None
    canonical_url: str
    url: str | None
    site_name: str | None
    section: str | None
    title: str | None
    lead: str | None
    language: str | None
    detected_language: str | None
    published: datetime | None
    fetched_at: datetime
    entities: list[Any] | None
    topics: list[Any] | None
    embedding: bytes | None
    source_id: int | None = None
    text: str | None = None


class ReactedArticle(NamedTuple):
    """What ranking learns from an article a reader reacted to."""

    id: int
    entities: list[Any] | None
    topics: list[Any] | None
    canonical_url: str
    section: str | None
    embedding: bytes | None
    title: str | None


@dataclass(frozen=True, slots=True)
class ThreadEntry:
    """One story of a thread (a matter that went on past the grouping window)."""

    story_id: int
    title: str | None
    first_seen: datetime | None
    last_seen: datetime | None
    article_count: int
    continues_id: int | None
    """The older story it continues (None for the thread's first)."""
