"""The tables. Only the store's repositories touch these classes; callers get the frozen records
of :mod:`handpicked.store.model` instead.

The schema itself is created by the Alembic migrations in ``migrations/versions``; these
classes must describe the same tables (``tests/store/test_migrations.py`` checks that).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from handpicked.store.model import (
    DELIVERY_STATES,
    FEEDBACK_KINDS,
    INTEREST_KINDS,
    INTEREST_MODES,
    PENDING_STATES,
    SOURCE_KINDS,
)

# Named constraints, so that migrations can refer to them on every dialect.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every dialect.

    PostgreSQL keeps ``timestamptz``; SQLite has no time zones, so values are stored as naive
    UTC (which also keeps its text sortable) and come back with UTC attached. A naive value
    given to the store is taken to be UTC already.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = to_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else to_utc(value)


def to_utc(value: datetime) -> datetime:
    """``value`` in UTC; naive datetimes are read as UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class SourceRow(Base):
    """A feed, sitemap, page or site that the poller visits every ``poll_interval_s``."""

    __tablename__ = "sources"
    __table_args__ = (CheckConstraint(_in("kind", SOURCE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    site_url: Mapped[str | None] = mapped_column(Text)
    poll_interval_s: Mapped[int] = mapped_column(Integer, default=1800)
    next_poll_at: Mapped[datetime | None] = mapped_column(index=True)
    last_polled_at: Mapped[datetime | None]
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    desk_wide: Mapped[bool] = mapped_column(Boolean, default=False)
    """Added by the admin for every reader; otherwise polled for its subscribers only."""


class PendingUrlRow(Base):
    """A URL waiting to be fetched, with its retry state; kept once done so it is not re-queued."""

    __tablename__ = "pending_urls"
    __table_args__ = (
        CheckConstraint(_in("state", PENDING_STATES), name="state"),
        Index("ix_pending_urls_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    url: Mapped[str] = mapped_column(Text, unique=True)
    discovered_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_by: Mapped[str | None] = mapped_column(Text)
    """"host:pid" of the poll holding the URL's lease, so a restart can take back a dead one's."""


class ArticleRow(Base):
    """A stored article: every ``Article`` field, keyed by its canonical URL."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    canonical_url: Mapped[str] = mapped_column(Text, unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    fetched_at: Mapped[datetime] = mapped_column(index=True)
    title: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[Any]]
    published: Mapped[datetime | None] = mapped_column(index=True)
    updated: Mapped[datetime | None]
    site_name: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[Any]]
    lead: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    paragraphs: Mapped[list[Any]]
    pull_quotes: Mapped[list[Any]]
    images: Mapped[list[Any]]
    syndicated_from: Mapped[str | None] = mapped_column(Text)
    editors: Mapped[list[Any]]
    is_article: Mapped[bool]
    word_count: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    # What the understanding stage found (None until it has run on the article).
    entities: Mapped[list[Any] | None]
    topics: Mapped[list[Any] | None]
    detected_language: Mapped[str | None] = mapped_column(String(16))
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="SET NULL"), index=True
    )
    fingerprint: Mapped[bytes | None] = mapped_column(LargeBinary)
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    understood_at: Mapped[datetime | None] = mapped_column(index=True)


class StoryRow(Base):
    """Articles from several outlets about one event, shown once with "also covered by"."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)
    representative_id: Mapped[int | None] = mapped_column(Integer)
    first_seen: Mapped[datetime | None]
    last_seen: Mapped[datetime | None] = mapped_column(index=True)
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    outlets: Mapped[list[Any]]
    provenance: Mapped[dict[str, Any] | None]
    """Reports and copies (``understand.provenance.Provenance.to_dict``), kept by ``refresh``."""
    continues_id: Mapped[int | None] = mapped_column(Integer)
    """The older story this one continues past the grouping window (``understand.threads``)."""
    thread_id: Mapped[int | None] = mapped_column(Integer, index=True)
    """The earliest story of its thread (None for a story nothing continues and that
    continues nothing)."""


class ArticleRevisionRow(Base):
    """An earlier version of an article that was re-fetched and found changed: what a reader
    sent it before ``replaced_at`` read."""

    __tablename__ = "article_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str | None] = mapped_column(Text)
    paragraphs: Mapped[list[Any]]
    replaced_at: Mapped[datetime]


class ArticleCheckRow(Base):
    """An article's validators for conditional re-fetches, when it was last checked and when
    it last changed."""

    __tablename__ = "article_checks"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime]
    revised_at: Mapped[datetime | None]


class ReaderRow(Base):
    """Someone who gets a digest: where, when (their schedule in their time zone), how long."""

    __tablename__ = "readers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(Text, unique=True)
    time_zone: Mapped[str] = mapped_column(Text)
    schedule: Mapped[str] = mapped_column(Text)
    max_items: Mapped[int] = mapped_column(Integer, default=10)
    language: Mapped[str | None] = mapped_column(String(16))
    feed_token: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    unsubscribed_at: Mapped[datetime | None]
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_at: Mapped[datetime | None] = mapped_column(default=lambda: datetime.now(UTC))
    """When the reader proved the address is theirs (None: cannot sign in or get digests).
    Rows written without it (bulk loads) count as verified: only open sign-up leaves it out."""


class InterestRow(Base):
    """One thing a reader follows or mutes; ``key`` is what articles are matched on."""

    __tablename__ = "interests"
    __table_args__ = (
        CheckConstraint(_in("kind", INTEREST_KINDS), name="kind"),
        CheckConstraint(_in("mode", INTEREST_MODES), name="mode"),
        Index("uq_interests_reader_id_kind_key", "reader_id", "kind", "key", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id", ondelete="CASCADE"))
    mode: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class FeedbackRow(Base):
    """A reader's "more like this", "less like this" or an opened item."""

    __tablename__ = "feedback"
    __table_args__ = (CheckConstraint(_in("kind", FEEDBACK_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime]


class ReadingMarkRow(Base):
    """One reader's own state of one article: read or unread when set by hand (else the
    reader's read horizon decides) and when it was saved for later."""

    __tablename__ = "reading_marks"
    __table_args__ = (Index("ix_reading_marks_reader_id_saved_at", "reader_id", "saved_at"),)

    reader_id: Mapped[int] = mapped_column(
        ForeignKey("readers.id", ondelete="CASCADE"), primary_key=True
    )
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    read: Mapped[bool | None]
    """True or False when marked by hand; None when the horizon decides."""
    read_changed_at: Mapped[datetime | None]
    saved_at: Mapped[datetime | None]


class ReadHorizonRow(Base):
    """ "Mark all as read": articles found by ``up_to`` are read unless marked unread since, so
    one row does for any number of articles."""

    __tablename__ = "read_horizons"

    reader_id: Mapped[int] = mapped_column(
        ForeignKey("readers.id", ondelete="CASCADE"), primary_key=True
    )
    up_to: Mapped[datetime]
    changed_at: Mapped[datetime]


class DeliveryRow(Base):
    """One digest for one reader and one schedule slot; the unique pair is what makes a digest
    go out once per period even when several processes or a restart race for it."""

    __tablename__ = "deliveries"
    __table_args__ = (
        CheckConstraint(_in("state", DELIVERY_STATES), name="state"),
        Index("uq_deliveries_reader_id_period", "reader_id", "period", unique=True),
        Index("ix_deliveries_state", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    claimed_by: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    message_id: Mapped[str | None] = mapped_column(Text)
    story_ids: Mapped[list[Any]]
    article_ids: Mapped[list[Any]]
    items: Mapped[list[Any]]
    """The picks as sent: article, story, reasons and outlets of each (the Atom feed's)."""
    error: Mapped[str | None] = mapped_column(Text)
    since: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class SessionRow(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ApiTokenRow(Base):
    """A bearer token for ``/api/v1``; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]


class SignInLinkRow(Base):
    """An emailed sign-in link: single use, short-lived; only its SHA-256 is stored."""

    __tablename__ = "sign_in_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class LoginFailureRow(Base):
    """A failed sign-in, by account and by client address: what rate limiting counts."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]


class SubscriptionRow(Base):
    """A reader's own subscription to a source; the source itself is shared and fetched once."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        Index("uq_subscriptions_reader_id_source_id", "reader_id", "source_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("readers.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]


class InviteRow(Base):
    """A sign-up invite link made by the admin: single use; only its SHA-256 is stored."""

    __tablename__ = "invites"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("readers.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class DeskSettingRow(Base):
    """One of the desk's own settings, changed by the admin (the sign-up mode, say)."""

    __tablename__ = "desk_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
