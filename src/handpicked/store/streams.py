"""Item streams for sync apps: a reader's articles in the order the desk found them.

A stream is the articles of some sources plus some articles named by id (a reader's picks),
read a page at a time by article id (ids grow as the desk finds articles, so "newest first" is
"highest id first", and a page ends where the next begins, however many arrive meanwhile).
"""

from __future__ import annotations

import builtins
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, func, or_, select

from handpicked.store.articles import stored_article
from handpicked.store.model import StoredArticle
from handpicked.store.reading import READABLE
from handpicked.store.sessions import Repository
from handpicked.store.tables import ArticleRow


@dataclass(frozen=True, slots=True)
class StreamScope:
    """Which articles a stream holds: the readable ones of ``source_ids`` (as the reading
    lists count them: no copies of another article) and those in ``article_ids``."""

    source_ids: frozenset[int] = frozenset()
    article_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class StreamPage:
    """Where a page starts and what it keeps (all optional)."""

    after_id: int | None = None
    """Continue past this article id (exclusive), in the page's direction."""
    oldest_first: bool = False
    found_since: datetime | None = None
    found_before: datetime | None = None


@dataclass(frozen=True, slots=True)
class StreamRef:
    """An article's id and when the desk found it: all a list of item ids needs."""

    id: int
    fetched_at: datetime
    source_id: int | None


class StreamRepository(Repository):
    """``store.streams``: pages of a scope's articles, whole or as ids only."""

    def refs(self, scope: StreamScope, page: StreamPage, limit: int) -> builtins.list[StreamRef]:
        """Up to ``limit`` of the scope's article ids, in the page's order."""
        stmt = select(ArticleRow.id, ArticleRow.fetched_at, ArticleRow.source_id)
        stmt = stmt.where(*_conditions(scope, page))
        order = ArticleRow.id.asc() if page.oldest_first else ArticleRow.id.desc()
        stmt = stmt.order_by(order).limit(limit)
        with self._sessions.read() as session:
            return [StreamRef(r.id, r.fetched_at, r.source_id) for r in session.execute(stmt)]

    def newest(self, source_ids: Collection[int]) -> dict[int, datetime]:
        """When each of these sources last gave the desk an article."""
        stmt = (
            select(ArticleRow.source_id, func.max(ArticleRow.fetched_at))
            .where(ArticleRow.source_id.in_(sorted(set(source_ids))))
            .group_by(ArticleRow.source_id)
        )
        with self._sessions.read() as session:
            return {source_id: when for source_id, when in session.execute(stmt) if source_id}

    def articles(self, article_ids: Collection[int]) -> builtins.list[StoredArticle]:
        """These articles (those that exist), highest id first."""
        ids = sorted(set(article_ids), reverse=True)
        if not ids:
            return []
        stmt = select(ArticleRow).where(ArticleRow.id.in_(ids)).order_by(ArticleRow.id.desc())
        with self._sessions.read() as session:
            return [stored_article(row) for row in session.scalars(stmt)]


def _conditions(scope: StreamScope, page: StreamPage) -> list[ColumnElement[bool]]:
    members: list[ColumnElement[bool]] = []
    if scope.source_ids:
        members.append(and_(ArticleRow.source_id.in_(sorted(scope.source_ids)), READABLE))
    if scope.article_ids:
        members.append(ArticleRow.id.in_(sorted(scope.article_ids)))
    conditions = [or_(*members) if members else false()]
    if page.after_id is not None:
        newer = ArticleRow.id > page.after_id
        conditions.append(newer if page.oldest_first else ArticleRow.id < page.after_id)
    if page.found_since is not None:
        conditions.append(ArticleRow.fetched_at >= page.found_since)
    if page.found_before is not None:
        conditions.append(ArticleRow.fetched_at < page.found_before)
    return conditions
