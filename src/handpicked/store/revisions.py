"""Article revisions: an article re-fetched while its story is alive may have changed (a
correction, an update, a new headline). The version it replaces is kept, so that what a reader
was sent can still be told from what is new, and its validators make re-fetches conditional."""

from __future__ import annotations

import builtins
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from handpicked.article import Article
from handpicked.store.articles import content_hash
from handpicked.store.model import ArticleCheck
from handpicked.store.sessions import Repository, chunks, insert
from handpicked.store.tables import ArticleCheckRow, ArticleRevisionRow, ArticleRow


class RevisionRepository(Repository):
    """``store.revisions``: validators, checks and earlier versions of articles."""

    def remember(
        self, article_id: int, etag: str | None, last_modified: str | None, now: datetime
    ) -> None:
        """Record the validators an article was fetched with (kept if already recorded)."""
        with self._sessions.write() as session:
            session.execute(
                insert(session, ArticleCheckRow)
                .values(
                    article_id=article_id, etag=etag, last_modified=last_modified, checked_at=now
                )
                .on_conflict_do_nothing(index_elements=["article_id"])
            )

    def due(self, story_ids: Collection[int], checked_before: datetime) -> list[ArticleCheck]:
        """The articles of these stories not checked since ``checked_before``, with their
        validators (articles never checked have none)."""
        found: list[ArticleCheck] = []
        with self._sessions.read() as session:
            for chunk in chunks(sorted(set(story_ids))):
                rows = session.execute(
                    select(ArticleRow.id, ArticleRow.url, ArticleRow.canonical_url,
                           ArticleCheckRow.etag, ArticleCheckRow.last_modified)
                    .outerjoin(ArticleCheckRow, ArticleCheckRow.article_id == ArticleRow.id)
                    .where(ArticleRow.story_id.in_(chunk),
                           or_(ArticleCheckRow.checked_at.is_(None),
                               ArticleCheckRow.checked_at < checked_before))
                    .order_by(ArticleRow.id)
                )  # fmt: skip
                found += [ArticleCheck(r[0], r[1] or r[2], r[3], r[4]) for r in rows]
        return found

    def checked(
        self, article_id: int, now: datetime, etag: str | None, last_modified: str | None
    ) -> None:
        """Note a re-fetch (answered 304 or unchanged) and its new validators."""
        with self._sessions.write() as session:
            self._touch(session, article_id, now, etag, last_modified, revised=False)

    def revise(
        self,
        article_id: int,
        article: Article,
        now: datetime,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> bool:
        """Store a re-fetched version of an article when its headline or body changed,
        keeping the version it replaces; whether it changed."""
        with self._sessions.write() as session:
            row = session.get(ArticleRow, article_id)
            if row is None:
                return False
            paragraphs = builtins.list(article.paragraphs)
            if (row.title or "") == (article.title or "") and row.paragraphs == paragraphs:
                self._touch(session, article_id, now, etag, last_modified, revised=False)
                return False
            session.add(ArticleRevisionRow(article_id=article_id, title=row.title,
                                           paragraphs=builtins.list(row.paragraphs or ()),
                                           replaced_at=now))  # fmt: skip
            text = article.text
            session.execute(
                update(ArticleRow).where(ArticleRow.id == article_id).values(
                    title=article.title or row.title, paragraphs=paragraphs, text=text,
                    lead=article.lead or row.lead, updated=article.updated or row.updated,
                    word_count=article.word_count, content_hash=content_hash(text),
                )
            )  # fmt: skip
            self._touch(session, article_id, now, etag, last_modified, revised=True)
            return True

    def revised_at(self, article_ids: Collection[int]) -> dict[int, datetime]:
        """When each of these articles last changed (those that ever did)."""
        found: dict[int, datetime] = {}
        with self._sessions.read() as session:
            for chunk in chunks(sorted(set(article_ids))):
                rows = session.execute(
                    select(ArticleCheckRow.article_id, ArticleCheckRow.revised_at).where(
                        ArticleCheckRow.article_id.in_(chunk),
                        ArticleCheckRow.revised_at.is_not(None),
                    )
                )
                found.update({r[0]: r[1] for r in rows if r[1] is not None})
        return found

    def as_of(
        self, article_ids: Collection[int], moment: datetime
    ) -> dict[int, tuple[str | None, tuple[str, ...]]]:
        """(title, paragraphs) of these articles as they read at ``moment``, for those that
        changed since (the others read as they do now)."""
        found: dict[int, tuple[str | None, tuple[str, ...]]] = {}
        with self._sessions.read() as session:
            for chunk in chunks(sorted(set(article_ids))):
                rows = session.execute(
                    select(ArticleRevisionRow.article_id, ArticleRevisionRow.title,
                           ArticleRevisionRow.paragraphs)
                    .where(ArticleRevisionRow.article_id.in_(chunk),
                           ArticleRevisionRow.replaced_at > moment)
                    .order_by(ArticleRevisionRow.replaced_at.desc())
                )  # fmt: skip
                for article_id, title, paragraphs in rows:  # the earliest one after wins
                    found[article_id] = (title, tuple(str(p) for p in paragraphs or ()))
        return found

    @staticmethod
    def _touch(
        session: Session,
        article_id: int,
        now: datetime,
        etag: str | None,
        last_modified: str | None,
        *,
        revised: bool,
    ) -> None:
        values: dict[str, object] = {"checked_at": now}
        if etag or last_modified:
            values.update(etag=etag, last_modified=last_modified)
        if revised:
            values["revised_at"] = now
        stmt = (
            insert(session, ArticleCheckRow)
            .values(article_id=article_id, **values)
            .on_conflict_do_update(index_elements=["article_id"], set_=values)
        )
        session.execute(stmt)
