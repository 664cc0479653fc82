"""The store's operations. Each method is one transaction and returns frozen records, never live
ORM objects, so callers cannot touch the database behind the store's back.

Crash safety rests on ``save_article``: the article and the "done" mark on its pending URL are
written in one transaction, so a process killed at any moment leaves both or neither.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, Engine, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from handpicked.article import Article, Image
from handpicked.store.models import (
    SOURCE_KINDS,
    ArticleRow,
    PendingUrlRow,
    SourceRow,
)
from handpicked.store.urls import canonical_url

#: Execution option that makes SQLite open the transaction with ``BEGIN IMMEDIATE``.
WRITE_OPTION = "handpicked_write"
MAX_ATTEMPTS = 5
MAX_BACKOFF = timedelta(hours=24)
DEFAULT_LEASE_S = 600
_ERROR_CHARS = 4000
_CHUNK = 500
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """A source as stored, with its polling state."""

    id: int
    url: str
    kind: str
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
    state: str


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
        """A fresh, independent ``Article`` with the stored values."""
        return Article(
            url=self.url,
            canonical_url=self.canonical_url,
            title=self.title,
            authors=list(self.authors),
            published=self.published,
            updated=self.updated,
            site_name=self.site_name,
            language=self.language,
            section=self.section,
            tags=list(self.tags),
            lead=self.lead,
            paragraphs=list(self.paragraphs),
            pull_quotes=list(self.pull_quotes),
            images=list(self.images),
            syndicated_from=self.syndicated_from,
            editors=list(self.editors),
            is_article=self.is_article,
        )


def content_hash(text: str) -> str:
    """sha256 of the text with Unicode forms, case and whitespace evened out, so that copies of
    one story that differ only in such details share a hash."""
    normalised = _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def utcnow() -> datetime:
    return datetime.now(UTC)


class Store:
    """The news desk's database: sources, the fetch queue and the articles."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reads = sessionmaker(engine, expire_on_commit=False)
        self._writes = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    def close(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._reads() as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with self._writes.begin() as session:
            yield session

    # --- sources ---------------------------------------------------------------------------

    def add_source(
        self,
        url: str,
        kind: str,
        title: str | None = None,
        site_url: str | None = None,
        poll_interval_s: int = 1800,
    ) -> tuple[SourceRecord, bool]:
        """The source for ``url`` and whether it was created; adding it again changes nothing."""
        if kind not in SOURCE_KINDS:
            raise ValueError(f"source kind must be one of {', '.join(SOURCE_KINDS)}, not {kind!r}")
        if poll_interval_s < 1:
            raise ValueError(f"poll interval must be at least 1 s, not {poll_interval_s}")
        key = _http_url(url)
        if key is None:
            raise ValueError(f"not an http(s) URL: {url!r}")
        with self._write() as session:
            stmt = (
                _insert(session, SourceRow)
                .values(
                    url=key,
                    kind=kind,
                    title=title,
                    site_url=canonical_url(site_url) if site_url else None,
                    poll_interval_s=poll_interval_s,
                    error_count=0,
                    created_at=utcnow(),
                )
                .on_conflict_do_nothing(index_elements=["url"])
                .returning(SourceRow.id)
            )
            new_id = session.execute(stmt).scalar_one_or_none()
            row = session.scalars(select(SourceRow).where(SourceRow.url == key)).one()
            return _source(row), new_id is not None

    def list_sources(self) -> list[SourceRecord]:
        with self._read() as session:
            return [_source(r) for r in session.scalars(select(SourceRow).order_by(SourceRow.id))]

    def get_source(self, id_or_url: int | str) -> SourceRecord | None:
        with self._read() as session:
            row = _find_source(session, id_or_url)
            return None if row is None else _source(row)

    def remove_source(self, id_or_url: int | str) -> bool:
        """Forget a source and its still-pending URLs; its articles stay, without a source."""
        with self._write() as session:
            row = _find_source(session, id_or_url)
            if row is None:
                return False
            source_id = row.id
            session.expunge(row)
            session.execute(
                delete(PendingUrlRow).where(
                    PendingUrlRow.source_id == source_id, PendingUrlRow.state == "pending"
                )
            )
            # The foreign keys set articles.source_id and the rest of the queue's to NULL.
            session.execute(delete(SourceRow).where(SourceRow.id == source_id))
            return True

    def due_sources(self, now: datetime) -> list[SourceRecord]:
        """Sources to poll now: never polled ones first, then by how overdue they are."""
        stmt = (
            select(SourceRow)
            .where(or_(SourceRow.next_poll_at.is_(None), SourceRow.next_poll_at <= now))
            .order_by(SourceRow.next_poll_at.asc().nulls_first(), SourceRow.id)
        )
        with self._read() as session:
            return [_source(r) for r in session.scalars(stmt)]

    def record_poll(
        self,
        source_id: int,
        *,
        now: datetime,
        ok: bool,
        status: int | None = None,
        error: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> SourceRecord:
        """Note a poll's outcome and schedule the next one: after the interval when it worked,
        after a back-off that doubles with each failure in a row (at most a day) when not. The
        error text is kept so the user can be told why a source is quiet."""
        with self._write() as session:
            row = session.get(SourceRow, source_id)
            if row is None:
                raise LookupError(f"no source with id {source_id}")
            row.last_polled_at = now
            row.last_status = status
            if etag is not None:
                row.etag = etag
            if last_modified is not None:
                row.last_modified = last_modified
            if ok:
                row.error_count = 0
                row.last_error = None
                row.next_poll_at = now + timedelta(seconds=row.poll_interval_s)
            else:
                row.error_count += 1
                message = error or (f"HTTP {status}" if status is not None else "poll failed")
                row.last_error = message[:_ERROR_CHARS]
                row.next_poll_at = now + poll_backoff(row.poll_interval_s, row.error_count)
            session.flush()
            return _source(row)

    # --- the fetch queue -------------------------------------------------------------------

    def enqueue(self, urls: Iterable[str], source_id: int | None, now: datetime) -> int:
        """Queue the http(s) URLs not yet queued (in any state) nor stored; how many were new."""
        keys = list(dict.fromkeys(k for u in urls if (k := _http_url(u)) is not None))
        added = 0
        with self._write() as session:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                stored = set(
                    session.scalars(
                        select(ArticleRow.canonical_url).where(ArticleRow.canonical_url.in_(chunk))
                    )
                )
                rows = [
                    {
                        "source_id": source_id,
                        "url": key,
                        "discovered_at": now,
                        "attempts": 0,
                        "next_attempt_at": now,
                        "state": "pending",
                    }
                    for key in chunk
                    if key not in stored
                ]
                if not rows:
                    continue
                stmt = (
                    _insert(session, PendingUrlRow)
                    .values(rows)
                    .on_conflict_do_nothing(index_elements=["url"])
                    .returning(PendingUrlRow.id)
                )
                added += len(session.execute(stmt).all())
        return added

    def claim_pending(
        self,
        limit: int,
        now: datetime,
        *,
        lease_s: float = DEFAULT_LEASE_S,
        claimant: str | None = None,
    ) -> list[PendingUrl]:
        """Up to ``limit`` due URLs, oldest due first. Each is leased for ``lease_s`` seconds:
        no other claim gets it meanwhile, and if the worker dies it comes round again after
        (or at once, when ``release_dead_claims`` sees that its ``claimant`` is gone)."""
        # Among equally due URLs, take each source's in turn: a feed's pages are queued
        # together, and a batch of one host's pages would leave the fetcher's other hosts idle.
        turn = (
            func.row_number()
            .over(partition_by=PendingUrlRow.source_id, order_by=PendingUrlRow.id)
            .label("turn")
        )
        due = (
            select(PendingUrlRow.id, PendingUrlRow.next_attempt_at, turn)
            .where(PendingUrlRow.state == "pending", PendingUrlRow.next_attempt_at <= now)
            .subquery()
        )
        order = select(due.c.id).order_by(due.c.next_attempt_at, due.c.turn, due.c.id)
        with self._write() as session:
            wanted = list(session.scalars(order.limit(limit)))
            if not wanted:
                return []
            locked = session.scalars(
                select(PendingUrlRow)
                .where(
                    PendingUrlRow.id.in_(wanted),
                    PendingUrlRow.state == "pending",
                    PendingUrlRow.next_attempt_at <= now,  # re-checked: another claim may win
                )
                .with_for_update(skip_locked=True)
            )
            by_id = {row.id: row for row in locked}
            rows = [by_id[i] for i in wanted if i in by_id]
            for row in rows:
                row.next_attempt_at = now + timedelta(seconds=lease_s)
                row.claimed_by = claimant
            session.flush()
            return [_pending(r) for r in rows]

    def release_dead_claims(self, host: str, now: datetime, is_alive: Callable[[int], bool]) -> int:
        """Make due again the URLs leased by processes of ``host`` that have died (a poll
        killed with ``kill -9``), so a restart finishes their work at once. Returns how many."""
        stmt = select(PendingUrlRow).where(
            PendingUrlRow.state == "pending",
            PendingUrlRow.next_attempt_at > now,
            PendingUrlRow.claimed_by.like(f"{host}:%"),
        )
        released = 0
        with self._write() as session:
            for row in session.scalars(stmt):
                pid = (row.claimed_by or "").rsplit(":", 1)[-1]
                if pid.isdigit() and not is_alive(int(pid)):
                    row.next_attempt_at = now
                    row.claimed_by = None
                    released += 1
            session.flush()
        return released

    def fail_pending(self, pending_id: int, error: str, now: datetime, retry: bool) -> PendingUrl:
        """Count a failed fetch: retry later with back-off, or give up (``retry`` false, or the
        ``MAX_ATTEMPTS``-th failure) and mark it failed."""
        with self._write() as session:
            row = session.get(PendingUrlRow, pending_id)
            if row is None:
                raise LookupError(f"no pending URL with id {pending_id}")
            row.attempts += 1
            row.claimed_by = None
            row.last_error = error[:_ERROR_CHARS]
            if retry and row.attempts < MAX_ATTEMPTS:
                row.next_attempt_at = now + fetch_backoff(row.attempts)
            else:
                row.state = "failed"
            session.flush()
            return _pending(row)

    def pending_counts(self) -> dict[str, int]:
        """How many queued URLs are in each state."""
        stmt = select(PendingUrlRow.state, func.count()).group_by(PendingUrlRow.state)
        with self._read() as session:
            counts = {"pending": 0, "done": 0, "failed": 0}
            counts.update({state: n for state, n in session.execute(stmt)})
            return counts

    # --- articles --------------------------------------------------------------------------

    def save_article(
        self,
        article: Article,
        *,
        source_id: int | None,
        pending_id: int | None = None,
        fetched_url: str | None = None,
        now: datetime,
    ) -> tuple[int, bool]:
        """Store ``article`` unless its canonical URL is stored already, and mark its queue
        entry done, in one transaction. Returns the article's id and whether it was new."""
        raw = article.canonical_url or article.url or fetched_url
        if not raw:
            raise ValueError("an article needs a URL to be stored")
        key = canonical_url(raw)
        text = article.text
        values: dict[str, Any] = {
            "canonical_url": key,
            "url": fetched_url or article.url,
            "source_id": source_id,
            "fetched_at": now,
            "title": article.title,
            "authors": list(article.authors),
            "published": article.published,
            "updated": article.updated,
            "site_name": article.site_name,
            "language": article.language,
            "section": article.section,
            "tags": list(article.tags),
            "lead": article.lead,
            "text": text,
            "paragraphs": list(article.paragraphs),
            "pull_quotes": list(article.pull_quotes),
            "images": [image.to_dict() for image in article.images],
            "syndicated_from": article.syndicated_from,
            "editors": list(article.editors),
            "is_article": article.is_article,
            "word_count": article.word_count,
            "content_hash": content_hash(text),
        }
        done = {key} | {canonical_url(u) for u in (article.url, fetched_url) if u}
        with self._write() as session:
            stmt = (
                _insert(session, ArticleRow)
                .values(**values)
                .on_conflict_do_nothing(index_elements=["canonical_url"])
                .returning(ArticleRow.id)
            )
            new_id = session.execute(stmt).scalar_one_or_none()
            article_id = new_id
            if article_id is None:
                article_id = session.scalars(
                    select(ArticleRow.id).where(ArticleRow.canonical_url == key)
                ).one()
            match: ColumnElement[bool] = PendingUrlRow.url.in_(done)
            if pending_id is not None:
                match = or_(PendingUrlRow.id == pending_id, match)
            session.execute(
                update(PendingUrlRow)
                .where(match, PendingUrlRow.state != "done")
                .values(state="done", last_error=None)
            )
            return article_id, new_id is not None

    def list_articles(
        self, since: datetime | None = None, limit: int | None = None
    ) -> list[StoredArticle]:
        """Articles newest first by publication time (fetch time when unknown); ``since`` keeps
        those whose time by the same rule is at or after it."""
        when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
        stmt = select(ArticleRow).order_by(when.desc(), ArticleRow.id.desc())
        if since is not None:
            stmt = stmt.where(when >= since)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._read() as session:
            return [_article(r) for r in session.scalars(stmt)]

    def count_articles(self) -> int:
        with self._read() as session:
            return session.scalar(select(func.count()).select_from(ArticleRow)) or 0

    def get_article(self, article_id: int) -> StoredArticle | None:
        with self._read() as session:
            row = session.get(ArticleRow, article_id)
            return None if row is None else _article(row)


def poll_backoff(interval_s: int, failures: int) -> timedelta:
    """Wait before polling a failing source again: the interval doubled per failure, ≤ a day
    (or the interval itself, if that is longer)."""
    delay = interval_s * 2 ** min(failures, 20)
    return timedelta(seconds=min(delay, max(MAX_BACKOFF.total_seconds(), interval_s)))


def fetch_backoff(attempts: int) -> timedelta:
    """Wait before refetching a URL after its ``attempts``-th failure: 1, 4, 16, 64 minutes…"""
    return min(timedelta(minutes=4 ** (min(attempts, 10) - 1)), MAX_BACKOFF)


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def _http_url(url: str) -> str | None:
    key = canonical_url(url)
    parts = urlsplit(key)
    return key if parts.scheme in ("http", "https") and parts.netloc else None


def _insert(session: Session, model: type[Any]) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that knows ON CONFLICT, in the session's dialect."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"the store supports SQLite and PostgreSQL, not {name}")


def _find_source(session: Session, id_or_url: int | str) -> SourceRow | None:
    if isinstance(id_or_url, int):
        return session.get(SourceRow, id_or_url)
    key = canonical_url(id_or_url)
    return session.scalars(select(SourceRow).where(SourceRow.url == key)).one_or_none()


def _source(row: SourceRow) -> SourceRecord:
    return SourceRecord(
        id=row.id,
        url=row.url,
        kind=row.kind,
        title=row.title,
        site_url=row.site_url,
        poll_interval_s=row.poll_interval_s,
        next_poll_at=row.next_poll_at,
        last_polled_at=row.last_polled_at,
        etag=row.etag,
        last_modified=row.last_modified,
        last_status=row.last_status,
        last_error=row.last_error,
        error_count=row.error_count,
        created_at=row.created_at,
    )


def _pending(row: PendingUrlRow) -> PendingUrl:
    return PendingUrl(
        id=row.id,
        source_id=row.source_id,
        url=row.url,
        discovered_at=row.discovered_at,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        state=row.state,
    )


def _strings(values: Sequence[Any] | None) -> tuple[str, ...]:
    return tuple(str(v) for v in values or ())


def _image(data: Any) -> Image:
    if isinstance(data, dict):
        return Image(
            url=str(data.get("url") or ""),
            caption=data.get("caption"),
            credit=data.get("credit"),
            alt=data.get("alt"),
        )
    return Image(url=str(data))


def _article(row: ArticleRow) -> StoredArticle:
    return StoredArticle(
        id=row.id,
        canonical_url=row.canonical_url,
        url=row.url,
        source_id=row.source_id,
        fetched_at=row.fetched_at,
        content_hash=row.content_hash,
        word_count=row.word_count,
        text=row.text,
        title=row.title,
        authors=_strings(row.authors),
        published=row.published,
        updated=row.updated,
        site_name=row.site_name,
        language=row.language,
        section=row.section,
        tags=_strings(row.tags),
        lead=row.lead,
        paragraphs=_strings(row.paragraphs),
        pull_quotes=_strings(row.pull_quotes),
        images=tuple(_image(i) for i in row.images or ()),
        syndicated_from=row.syndicated_from,
        editors=_strings(row.editors),
        is_article=row.is_article,
        entities=tuple(e for e in row.entities or () if isinstance(e, dict)),
        topics=tuple(t for t in row.topics or () if isinstance(t, dict)),
        detected_language=row.detected_language,
        duplicate_of=row.duplicate_of,
        story_id=row.story_id,
        understood=row.understood_at is not None,
    )
