"""Reading state: which articles each reader has read, and which they saved for later.

A reader's state of an article is one row (``reading_marks``) only where they did something to
it; "mark all as read" moves one per-reader horizon instead of writing a row per article, so
it costs the same on ten articles or a hundred thousand. An article is read when it was marked
read, or when it was found (``fetched_at``) at or before the horizon and not marked unread
since.

Lists and counts cover the *readable* articles: real articles (``is_article``) that are not a
syndicated copy of another (``duplicate_of``), which is what a reader browses.
"""

from __future__ import annotations

import builtins
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, Literal, TypeVar

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    false,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from handpicked.store.articles import stored_article
from handpicked.store.model import ReadingEntry, ReadingState, UnreadCounts
from handpicked.store.sessions import Repository, chunks, insert
from handpicked.store.tables import ArticleRow, ReadHorizonRow, ReadingMarkRow

S = TypeVar("S", bound=Select[*tuple[Any, ...]])

#: Which articles a list or a count covers: all readable ones, the unread, or the saved.
Show = Literal["all", "unread", "read", "saved"]
SHOWS: tuple[Show, ...] = ("all", "unread", "read", "saved")

READABLE: ColumnElement[bool] = and_(
    ArticleRow.is_article.is_(True), ArticleRow.duplicate_of.is_(None)
)
"""Real articles that are not a copy of another: what lists and unread counts cover."""


class ReadingRepository(Repository):
    """``store.reading``: per reader, read or unread and saved for later."""

    # -- changing state -------------------------------------------------------------------

    def mark_read(self, reader_id: int, article_ids: Collection[int], now: datetime) -> None:
        """Mark these articles read (ids that are not stored are skipped)."""
        self._set_read(reader_id, article_ids, True, now)

    def mark_unread(self, reader_id: int, article_ids: Collection[int], now: datetime) -> None:
        """Mark these articles unread, even where "mark all as read" covered them."""
        self._set_read(reader_id, article_ids, False, now)

    def save(self, reader_id: int, article_ids: Collection[int], now: datetime) -> None:
        """Save these articles for later; one saved already keeps its first ``saved_at``."""
        when = literal(now, ReadingMarkRow.saved_at.type)
        with self._sessions.write() as session:
            for chunk in chunks(sorted(set(article_ids))):
                stmt = insert(session, ReadingMarkRow).from_select(
                    ["reader_id", "article_id", "saved_at"],
                    select(literal(reader_id), ArticleRow.id, when)
                    .where(ArticleRow.id.in_(chunk)),
                )  # fmt: skip
                session.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["reader_id", "article_id"],
                        set_={"saved_at": func.coalesce(ReadingMarkRow.saved_at, when)},
                    )
                )

    def unsave(self, reader_id: int, article_ids: Collection[int]) -> None:
        """No longer saved for later (their read state stays)."""
        with self._sessions.write() as session:
            for chunk in chunks(sorted(set(article_ids))):
                session.execute(
                    update(ReadingMarkRow)
                    .where(
                        ReadingMarkRow.reader_id == reader_id,
                        ReadingMarkRow.article_id.in_(chunk),
                    )
                    .values(saved_at=None)
                )
                _drop_empty(session, reader_id)

    def mark_all_read(
        self,
        reader_id: int,
        up_to: datetime,
        now: datetime,
        *,
        source_ids: Collection[int] | None = None,
    ) -> None:
        """Mark read every article found at or before ``up_to`` (those found later stay
        unread), those marked unread by hand included; with ``source_ids``, only the articles
        of those sources. Without sources this moves the reader's horizon (never back)."""
        with self._sessions.write() as session:
            if source_ids is not None:
                self._mark_sources_read(session, reader_id, up_to, now, source_ids)
                return
            current = _horizon(session, reader_id)
            horizon = up_to if current is None else max(current, up_to)
            stmt = insert(session, ReadHorizonRow).values(
                reader_id=reader_id, up_to=horizon, changed_at=now
            )
            session.execute(
                stmt.on_conflict_do_update(
                    index_elements=["reader_id"], set_={"up_to": horizon, "changed_at": now}
                )
            )
            covered = select(ArticleRow.id).where(ArticleRow.fetched_at <= up_to)
            session.execute(
                update(ReadingMarkRow)
                .where(ReadingMarkRow.reader_id == reader_id, ReadingMarkRow.read.is_not(None),
                       ReadingMarkRow.article_id.in_(covered))
                .values(read=None, read_changed_at=now)
            )  # fmt: skip
            _drop_empty(session, reader_id)

    def _mark_sources_read(
        self,
        session: Session,
        reader_id: int,
        up_to: datetime,
        now: datetime,
        source_ids: Collection[int],
    ) -> None:
        for chunk in chunks(sorted(set(source_ids))):
            articles = select(ArticleRow.id).where(
                ArticleRow.source_id.in_(chunk), ArticleRow.fetched_at <= up_to
            )
            ids = builtins.list(session.scalars(articles))
            for part in chunks(ids):
                _upsert_read(session, reader_id, part, True, now)

    def _set_read(
        self, reader_id: int, article_ids: Collection[int], read: bool, now: datetime
    ) -> None:
        with self._sessions.write() as session:
            for chunk in chunks(sorted(set(article_ids))):
                _upsert_read(session, reader_id, chunk, read, now)

    # -- reading state --------------------------------------------------------------------

    def horizon(self, reader_id: int) -> datetime | None:
        """Up to when "mark all as read" reaches (None: never used)."""
        with self._sessions.read() as session:
            return _horizon(session, reader_id)

    def states(self, reader_id: int, article_ids: Collection[int]) -> dict[int, ReadingState]:
        """The state of each of these articles (stored ones only)."""
        found: dict[int, ReadingState] = {}
        with self._sessions.read() as session:
            read = _is_read(_horizon(session, reader_id))
            for chunk in chunks(sorted(set(article_ids))):
                stmt = (
                    select(ArticleRow.id, read, ReadingMarkRow.saved_at)
                    .select_from(ArticleRow)
                    .outerjoin(ReadingMarkRow, _mark_of(reader_id))
                    .where(ArticleRow.id.in_(chunk))
                )
                for article_id, is_read, saved_at in session.execute(stmt):
                    found[article_id] = ReadingState(article_id, bool(is_read), saved_at)
        return found

    def read_ids(self, reader_id: int, article_ids: Collection[int]) -> set[int]:
        """Which of these articles the reader has read."""
        return {i for i, state in self.states(reader_id, article_ids).items() if state.read}

    def saved_ids(self, reader_id: int, article_ids: Collection[int]) -> set[int]:
        """Which of these articles the reader saved for later."""
        return {i for i, state in self.states(reader_id, article_ids).items() if state.saved}

    def saved(
        self, reader_id: int, *, limit: int | None = None, offset: int = 0
    ) -> builtins.list[ReadingEntry]:
        """The articles the reader saved (copies and non-articles too), newest saved first."""
        return self.entries(reader_id, "saved", limit=limit, offset=offset)

    def entries(
        self,
        reader_id: int,
        show: Show = "all",
        *,
        limit: int | None = None,
        offset: int = 0,
        source_ids: Collection[int] | None = None,
    ) -> builtins.list[ReadingEntry]:
        """A page of the reader's articles with their state: readable ones newest first (by
        publication time, else the time found), or with ``show="saved"`` the saved ones,
        newest saved first."""
        with self._sessions.read() as session:
            horizon = _horizon(session, reader_id)
            read = _is_read(horizon)
            stmt = _listed(
                select(ArticleRow, read, ReadingMarkRow.saved_at), reader_id, show, horizon,
                source_ids,
            )  # fmt: skip
            if show == "saved":
                stmt = stmt.order_by(ReadingMarkRow.saved_at.desc(), ArticleRow.id.desc())
            else:
                when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
                stmt = stmt.order_by(when.desc(), ArticleRow.id.desc())
            stmt = stmt.offset(offset)
            if limit is not None:
                stmt = stmt.limit(limit)
            return [
                ReadingEntry(stored_article(row), ReadingState(row.id, bool(is_read), saved_at))
                for row, is_read, saved_at in session.execute(stmt)
            ]

    def ids(
        self,
        reader_id: int,
        show: Show = "all",
        *,
        found_since: datetime | None = None,
        found_until: datetime | None = None,
        source_ids: Collection[int] | None = None,
        limit: int | None = None,
        newest_first: bool = True,
    ) -> builtins.list[int]:
        """Just the ids of the reader's articles (as :meth:`entries` chooses them), by the time
        they were found: what sync clients page through."""
        with self._sessions.read() as session:
            horizon = _horizon(session, reader_id)
            stmt = _listed(select(ArticleRow.id), reader_id, show, horizon, source_ids)
            if found_since is not None:
                stmt = stmt.where(ArticleRow.fetched_at >= found_since)
            if found_until is not None:
                stmt = stmt.where(ArticleRow.fetched_at <= found_until)
            if newest_first:
                stmt = stmt.order_by(ArticleRow.fetched_at.desc(), ArticleRow.id.desc())
            else:
                stmt = stmt.order_by(ArticleRow.fetched_at, ArticleRow.id)
            if limit is not None:
                stmt = stmt.limit(limit)
            return builtins.list(session.scalars(stmt))

    def count(
        self, reader_id: int, show: Show = "all", *, source_ids: Collection[int] | None = None
    ) -> int:
        """How many articles :meth:`entries` would list without a limit."""
        with self._sessions.read() as session:
            horizon = _horizon(session, reader_id)
            stmt = _listed(select(func.count()), reader_id, show, horizon, source_ids)
            return int(session.scalar(stmt) or 0)

    def unread_counts(self, reader_id: int) -> UnreadCounts:
        """Unread readable articles, in all and per source."""
        with self._sessions.read() as session:
            horizon = _horizon(session, reader_id)
            stmt = _listed(
                select(ArticleRow.source_id, func.count()), reader_id, "unread", horizon, None
            ).group_by(ArticleRow.source_id)
            by_source = {source_id: int(n) for source_id, n in session.execute(stmt)}
        return UnreadCounts(total=sum(by_source.values()), by_source=by_source)


def _mark_of(reader_id: int) -> ColumnElement[bool]:
    return and_(ReadingMarkRow.article_id == ArticleRow.id, ReadingMarkRow.reader_id == reader_id)


def _is_read(horizon: datetime | None) -> ColumnElement[bool]:
    """Whether an article (outer-joined to the reader's mark) is read."""
    by_hand = ReadingMarkRow.read.is_(True)
    if horizon is None:
        return by_hand
    return or_(by_hand, and_(ReadingMarkRow.read.is_(None), ArticleRow.fetched_at <= horizon))


def _is_unread(horizon: datetime | None) -> ColumnElement[bool]:
    by_hand = ReadingMarkRow.read.is_(False)
    if horizon is None:
        return or_(by_hand, ReadingMarkRow.read.is_(None))
    return or_(by_hand, and_(ReadingMarkRow.read.is_(None), ArticleRow.fetched_at > horizon))


def _listed(
    stmt: S,
    reader_id: int,
    show: Show,
    horizon: datetime | None,
    source_ids: Collection[int] | None,
) -> S:
    """``stmt`` over the articles that ``show`` lists for the reader."""
    stmt = stmt.select_from(ArticleRow).outerjoin(ReadingMarkRow, _mark_of(reader_id))
    if show == "saved":
        stmt = stmt.where(ReadingMarkRow.saved_at.is_not(None))
    else:
        stmt = stmt.where(READABLE)
        if show == "unread":
            stmt = stmt.where(_is_unread(horizon))
        elif show == "read":
            stmt = stmt.where(_is_read(horizon))
    if source_ids is not None:
        ids = sorted(set(source_ids))
        stmt = stmt.where(ArticleRow.source_id.in_(ids) if ids else false())
    return stmt


def _horizon(session: Session, reader_id: int) -> datetime | None:
    return session.scalar(select(ReadHorizonRow.up_to).where(ReadHorizonRow.reader_id == reader_id))


def _upsert_read(
    session: Session, reader_id: int, article_ids: Sequence[int], read: bool, now: datetime
) -> None:
    when = literal(now, ReadingMarkRow.read_changed_at.type)
    stmt = insert(session, ReadingMarkRow).from_select(
        ["reader_id", "article_id", "read", "read_changed_at"],
        select(literal(reader_id), ArticleRow.id, literal(read), when)
        .where(ArticleRow.id.in_(article_ids)),
    )  # fmt: skip
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["reader_id", "article_id"],
            set_={"read": read, "read_changed_at": now},
        )
    )


def _drop_empty(session: Session, reader_id: int) -> None:
    """Forget marks that say nothing any more (neither read by hand nor saved)."""
    session.execute(
        delete(ReadingMarkRow).where(
            ReadingMarkRow.reader_id == reader_id,
            ReadingMarkRow.read.is_(None),
            ReadingMarkRow.saved_at.is_(None),
        )
    )
