"""Stories, and what understanding writes of each article: its findings, which article it
copies, and which story it belongs to; and the rows its indexes are rebuilt from."""

from __future__ import annotations

import builtins
from datetime import datetime

from sqlalchemy import func, select, update

from handpicked.store.articles import stored_article
from handpicked.store.model import Findings, IndexedArticle, StoredArticle, StoryRecord
from handpicked.store.sessions import Repository
from handpicked.store.tables import ArticleRow, StoryRow


class StoryRepository(Repository):
    """``store.stories``: understanding's findings and the stories they make."""

    def texts(self, since: datetime) -> dict[int, str]:
        """The text of each understood article from ``since`` on (by its time): what the story
        index reads its marks from, for the stories still open after a restart."""
        when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
        stmt = select(ArticleRow.id, ArticleRow.text).where(
            ArticleRow.understood_at.is_not(None), when >= since
        )
        with self._sessions.read() as session:
            return {row[0]: row[1] for row in session.execute(stmt)}

    def indexed(self, since: datetime | None = None) -> builtins.list[IndexedArticle]:
        """Understood articles (from ``since`` on, by their time), for rebuilding the indexes."""
        when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
        stmt = (
            select(
                ArticleRow.id,
                ArticleRow.fingerprint,
                ArticleRow.embedding,
                when,
                ArticleRow.site_name,
                ArticleRow.title,
                ArticleRow.entities,
                ArticleRow.story_id,
            )
            .where(ArticleRow.understood_at.is_not(None))
            .order_by(when, ArticleRow.id)
        )
        if since is not None:
            stmt = stmt.where(when >= since)
        with self._sessions.read() as session:
            return [
                IndexedArticle(
                    id=row[0],
                    fingerprint=row[1],
                    embedding=row[2],
                    when=row[3],
                    site_name=row[4],
                    title=row[5],
                    entity_keys=tuple(
                        str(e.get("key")) for e in row[6] or () if isinstance(e, dict)
                    ),
                    story_id=row[7],
                )
                for row in session.execute(stmt)
            ]

    def save_findings(self, article_id: int, findings: Findings, now: datetime) -> None:
        with self._sessions.write() as session:
            session.execute(
                update(ArticleRow)
                .where(ArticleRow.id == article_id)
                .values(
                    entities=findings.entities,
                    topics=findings.topics,
                    detected_language=findings.language,
                    duplicate_of=findings.duplicate_of,
                    story_id=findings.story_id,
                    fingerprint=findings.fingerprint,
                    embedding=findings.embedding,
                    understood_at=now,
                )
            )

    def mark_duplicate(self, copy_id: int, original_id: int) -> None:
        """Mark ``copy_id`` as a copy of ``original_id`` (found to be the original afterwards)."""
        with self._sessions.write() as session:
            session.execute(
                update(ArticleRow).where(ArticleRow.id == copy_id).values(duplicate_of=original_id)
            )

    def new(self, title: str | None, when: datetime | None) -> int:
        """A story row for an article that starts one; its numbers are kept by ``refresh_story``."""
        with self._sessions.write() as session:
            row = StoryRow(
                title=title, first_seen=when, last_seen=when, article_count=0, outlets=[]
            )
            session.add(row)
            session.flush()
            return row.id

    def refresh(self, story_id: int) -> None:
        """Recount a story from its articles: size, outlets, time span and the article to show
        (the earliest original, not a syndicated copy)."""
        when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
        with self._sessions.write() as session:
            rows = session.execute(
                select(
                    ArticleRow.id,
                    ArticleRow.site_name,
                    when,
                    ArticleRow.title,
                    ArticleRow.duplicate_of,
                )
                .where(ArticleRow.story_id == story_id)
                .order_by(when, ArticleRow.id)
            ).all()
            if not rows:
                return
            outlets = list(dict.fromkeys(r[1] for r in rows if r[1]))
            originals = [r for r in rows if r[4] is None] or list(rows)
            session.execute(
                update(StoryRow)
                .where(StoryRow.id == story_id)
                .values(
                    article_count=len(rows),
                    outlets=outlets,
                    first_seen=rows[0][2],
                    last_seen=rows[-1][2],
                    representative_id=originals[0][0],
                    title=originals[0][3],
                )
            )

    def list(
        self,
        since: datetime | None = None,
        limit: int | None = None,
        *,
        found_since: datetime | None = None,
    ) -> builtins.list[StoryRecord]:
        """Stories newest first, each with its articles (oldest first); ``since`` keeps those
        with an article published at or after it, ``found_since`` those with an article the
        desk fetched at or after it (whatever its publication date)."""
        stmt = select(StoryRow).order_by(StoryRow.last_seen.desc(), StoryRow.id.desc())
        if since is not None:
            stmt = stmt.where(StoryRow.last_seen >= since)
        if found_since is not None:
            found = select(ArticleRow.id).where(
                ArticleRow.story_id == StoryRow.id, ArticleRow.fetched_at >= found_since
            )
            stmt = stmt.where(found.exists())
        if limit is not None:
            stmt = stmt.limit(limit)
        when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
        with self._sessions.read() as session:
            stories = list(session.scalars(stmt))
            members: dict[int, list[StoredArticle]] = {story.id: [] for story in stories}
            if members:
                rows = session.scalars(
                    select(ArticleRow)
                    .where(ArticleRow.story_id.in_(list(members)))
                    .order_by(when, ArticleRow.id)
                )
                for row in rows:
                    members[row.story_id or 0].append(stored_article(row))
            return [_story(story, members.get(story.id, [])) for story in stories]

    def get(self, story_id: int) -> StoryRecord | None:
        """One story with its articles (oldest first), or None."""
        when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
        with self._sessions.read() as session:
            story = session.get(StoryRow, story_id)
            if story is None:
                return None
            rows = session.scalars(
                select(ArticleRow)
                .where(ArticleRow.story_id == story_id)
                .order_by(when, ArticleRow.id)
            )
            return _story(story, [stored_article(row) for row in rows])


def _story(story: StoryRow, articles: list[StoredArticle]) -> StoryRecord:
    return StoryRecord(
        id=story.id,
        title=story.title,
        representative_id=story.representative_id,
        first_seen=story.first_seen,
        last_seen=story.last_seen,
        article_count=story.article_count,
        outlets=tuple(story.outlets or ()),
        articles=tuple(articles),
    )
