"""Articles: stored once per canonical URL, with what understanding found in them.

This is the one place where an :class:`~handpicked.Article` becomes a row and a row becomes a
:class:`~handpicked.store.model.StoredArticle`: both follow ``Article``'s own fields, so a field
added there is stored without being copied by hand here.
"""

from __future__ import annotations

import builtins
import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, update

from handpicked.article import Article, Image
from handpicked.store.model import (
    ARTICLE_FIELDS,
    PoolArticle,
    ReactedArticle,
    StoredArticle,
)
from handpicked.store.sessions import Repository, chunks, insert
from handpicked.store.tables import ArticleRow, PendingUrlRow
from handpicked.store.urls import canonical_url

_SPACE = re.compile(r"\s+")
_POOL_BATCH = 2000
_LIST_FIELDS = frozenset(("authors", "tags", "paragraphs", "pull_quotes", "editors"))


class ArticleRepository(Repository):
    """``store.articles``: saving what was extracted, and reading it back."""

    def save(
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
        values = article_columns(article, key, fetched_url or article.url, source_id, now)
        done = {key} | {canonical_url(u) for u in (article.url, fetched_url) if u}
        with self._sessions.write() as session:
            stmt = (
                insert(session, ArticleRow)
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

    def list(
        self,
        since: datetime | None = None,
        limit: int | None = None,
        *,
        found_since: datetime | None = None,
    ) -> builtins.list[StoredArticle]:
        """Articles newest first by publication time (fetch time when unknown); ``since`` keeps
        those whose time by the same rule is at or after it, ``found_since`` those the desk
        fetched at or after it (whatever their publication date)."""
        when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
        stmt = select(ArticleRow).order_by(when.desc(), ArticleRow.id.desc())
        if since is not None:
            stmt = stmt.where(when >= since)
        if found_since is not None:
            stmt = stmt.where(ArticleRow.fetched_at >= found_since)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._sessions.read() as session:
            return [stored_article(r) for r in session.scalars(stmt)]

    def count(self) -> int:
        with self._sessions.read() as session:
            return session.scalar(select(func.count()).select_from(ArticleRow)) or 0

    def get(self, article_id: int) -> StoredArticle | None:
        with self._sessions.read() as session:
            row = session.get(ArticleRow, article_id)
            return None if row is None else stored_article(row)

    def by_ids(self, article_ids: Collection[int]) -> dict[int, StoredArticle]:
        """The stored articles with these ids (those that still exist)."""
        found: dict[int, StoredArticle] = {}
        with self._sessions.read() as session:
            for chunk in chunks(sorted(set(article_ids))):
                for row in session.scalars(select(ArticleRow).where(ArticleRow.id.in_(chunk))):
                    found[row.id] = stored_article(row)
        return found

    def to_understand(self, limit: int) -> builtins.list[StoredArticle]:
        """Stored articles understanding has not seen yet, oldest first."""
        stmt = (
            select(ArticleRow)
            .where(ArticleRow.understood_at.is_(None))
            .order_by(ArticleRow.id)
            .limit(limit)
        )
        with self._sessions.read() as session:
            return [stored_article(row) for row in session.scalars(stmt)]

    def pool(self, since: datetime, with_text: bool) -> Iterator[builtins.list[PoolArticle]]:
        """Understood articles fetched since ``since``, oldest first, in batches: what the
        digests of every reader are picked from."""
        columns = [getattr(ArticleRow, name) for name in PoolArticle._fields[:-1]]
        if with_text:
            columns.append(ArticleRow.text)
        stmt = (
            select(*columns)
            .where(
                ArticleRow.fetched_at >= since,
                ArticleRow.understood_at.is_not(None),
                ArticleRow.is_article.is_(True),
            )
            .order_by(ArticleRow.fetched_at, ArticleRow.id)
            .execution_options(yield_per=_POOL_BATCH)
        )
        with self._sessions.read() as session:
            for partition in session.execute(stmt).partitions(_POOL_BATCH):
                yield [PoolArticle(*row) for row in partition]

    def reacted(self, article_ids: Collection[int]) -> builtins.list[ReactedArticle]:
        """The features of articles readers reacted to."""
        columns = [getattr(ArticleRow, name) for name in ReactedArticle._fields]
        found: builtins.list[ReactedArticle] = []
        with self._sessions.read() as session:
            for chunk in chunks(sorted(set(article_ids))):
                rows = session.execute(select(*columns).where(ArticleRow.id.in_(chunk)))
                found.extend(ReactedArticle._make(row) for row in rows)
        return found

    def canonical_urls(self, limit: int) -> builtins.list[str]:
        """Up to ``limit`` stored canonical URLs (in no particular order)."""
        with self._sessions.read() as session:
            return builtins.list(session.scalars(select(ArticleRow.canonical_url).limit(limit)))

    def refetched(self, canonical_urls: Collection[str], now: datetime) -> int:
        """Mark these articles as fetched ``now`` (those fetched earlier); how many moved."""
        with self._sessions.write() as session:
            result = session.execute(
                update(ArticleRow)
                .where(
                    ArticleRow.canonical_url.in_(sorted(canonical_urls)),
                    ArticleRow.fetched_at < now,
                )
                .values(fetched_at=now)
            )
            return int(getattr(result, "rowcount", 0) or 0)


def content_hash(text: str) -> str:
    """sha256 of the text with Unicode forms, case and whitespace evened out, so that copies of
    one story that differ only in such details share a hash."""
    normalised = _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def article_columns(
    article: Article, key: str, url: str | None, source_id: int | None, now: datetime
) -> dict[str, Any]:
    """The row values of a newly stored article: its fields, then where and when it came."""
    values: dict[str, Any] = {}
    for name in ARTICLE_FIELDS:
        value = getattr(article, name)
        if name == "images":
            value = [image.to_dict() for image in value]
        elif name in _LIST_FIELDS:
            value = builtins.list(value)
        values[name] = value
    text = article.text
    values.update(
        canonical_url=key,
        url=url,
        source_id=source_id,
        fetched_at=now,
        text=text,
        word_count=article.word_count,
        content_hash=content_hash(text),
    )
    return values


def stored_article(row: ArticleRow) -> StoredArticle:
    """The record of a row: the article's fields (lists as tuples), then the store's own."""
    fields: dict[str, Any] = {}
    for name in ARTICLE_FIELDS:
        value = getattr(row, name)
        if name == "images":
            value = tuple(_image(item) for item in value or ())
        elif name in _LIST_FIELDS:
            value = _strings(value)
        fields[name] = value
    return StoredArticle(
        **fields,
        id=row.id,
        source_id=row.source_id,
        fetched_at=row.fetched_at,
        content_hash=row.content_hash,
        word_count=row.word_count,
        text=row.text,
        entities=tuple(e for e in row.entities or () if isinstance(e, dict)),
        topics=tuple(t for t in row.topics or () if isinstance(t, dict)),
        detected_language=row.detected_language,
        duplicate_of=row.duplicate_of,
        story_id=row.story_id,
        understood=row.understood_at is not None,
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
