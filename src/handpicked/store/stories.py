"""Stories, and what understanding writes of each article: its findings, which article it
copies, and which story it belongs to; and the rows its indexes are rebuilt from."""

from __future__ import annotations

import builtins
from collections.abc import Collection
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import func, select, update

from handpicked.article import Image
from handpicked.store.articles import stored_article
from handpicked.store.model import Findings, IndexedArticle, StoredArticle, StoryRecord
from handpicked.store.sessions import Repository, chunks
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
        """Recount a story from its articles: size, outlets, time span, the article to show
        (the earliest original, not a syndicated copy) and its provenance (reports, copies)."""
        from handpicked.understand.provenance import story_provenance  # understand imports us

        when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
        with self._sessions.write() as session:
            rows = session.execute(
                select(
                    ArticleRow.id,
                    ArticleRow.site_name,
                    when,
                    ArticleRow.title,
                    ArticleRow.duplicate_of,
                    *(getattr(ArticleRow, name) for name in _SourcedArticle._fields[3:]),
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
                    provenance=story_provenance([_sourced(r) for r in rows]).to_dict(),
                )
            )

    def provenances(self, story_ids: Collection[int]) -> dict[int, dict[str, Any]]:
        """The stored provenance of these stories (those that have one)."""
        found: dict[int, dict[str, Any]] = {}
        with self._sessions.read() as session:
            for chunk in chunks(sorted(set(story_ids))):
                rows = session.execute(
                    select(StoryRow.id, StoryRow.provenance).where(
                        StoryRow.id.in_(chunk), StoryRow.provenance.is_not(None)
                    )
                )
                found.update({row[0]: row[1] for row in rows if isinstance(row[1], dict)})
        return found

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


class _SourcedArticle(NamedTuple):
    """The columns provenance reads of an article (``refresh`` selects them)."""

    id: int
    site_name: str | None
    duplicate_of: int | None
    url: str | None
    canonical_url: str
    syndicated_from: str | None
    authors: tuple[str, ...]
    editors: tuple[str, ...]
    paragraphs: tuple[str, ...]
    images: tuple[Image, ...]


def _sourced(row: Any) -> _SourcedArticle:
    """A ``refresh`` row (id, site, when, title, duplicate_of, then the columns above)."""
    url, canonical, syndicated, authors, editors, paragraphs, images = row[5:]
    return _SourcedArticle(
        id=row[0],
        site_name=row[1],
        duplicate_of=row[4],
        url=url,
        canonical_url=canonical,
        syndicated_from=syndicated,
        authors=tuple(str(a) for a in authors or ()),
        editors=tuple(str(e) for e in editors or ()),
        paragraphs=tuple(str(p) for p in (paragraphs or ())[:1]),
        images=tuple(Image.from_dict(i) for i in images or () if isinstance(i, dict)),
    )


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
        provenance=story.provenance,
    )
