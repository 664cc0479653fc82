"""What the understanding stage reads and writes: articles still to understand, the rows its
indexes are rebuilt from, its findings per article, and stories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from handpicked.store.models import ArticleRow, StoryRow
from handpicked.store.repository import Store, StoredArticle, _article


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


def articles_to_understand(store: Store, limit: int) -> list[StoredArticle]:
    """Stored articles understanding has not seen yet, oldest first."""
    stmt = (
        select(ArticleRow)
        .where(ArticleRow.understood_at.is_(None))
        .order_by(ArticleRow.id)
        .limit(limit)
    )
    with store._read() as session:
        return [_article(row) for row in session.scalars(stmt)]


def indexed_articles(store: Store, since: datetime | None = None) -> list[IndexedArticle]:
    """Understood articles (from ``since`` on, by their time), for rebuilding the indexes."""
    when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
    stmt = (
        select(
            ArticleRow.id, ArticleRow.fingerprint, ArticleRow.embedding, when,
            ArticleRow.site_name, ArticleRow.title, ArticleRow.entities, ArticleRow.story_id,
        )
        .where(ArticleRow.understood_at.is_not(None))
        .order_by(when, ArticleRow.id)
    )  # fmt: skip
    if since is not None:
        stmt = stmt.where(when >= since)
    with store._read() as session:
        return [
            IndexedArticle(
                id=row[0],
                fingerprint=row[1],
                embedding=row[2],
                when=row[3],
                site_name=row[4],
                title=row[5],
                entity_keys=tuple(str(e.get("key")) for e in row[6] or () if isinstance(e, dict)),
                story_id=row[7],
            )
            for row in session.execute(stmt)
        ]


def save_findings(store: Store, article_id: int, findings: Findings, now: datetime) -> None:
    with store._write() as session:
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


def mark_duplicate(store: Store, copy_id: int, original_id: int) -> None:
    """Mark ``copy_id`` as a copy of ``original_id`` (found to be the original afterwards)."""
    with store._write() as session:
        session.execute(
            update(ArticleRow).where(ArticleRow.id == copy_id).values(duplicate_of=original_id)
        )


def new_story(store: Store, title: str | None, when: datetime | None) -> int:
    """A story row for an article that starts one; its numbers are kept by ``refresh_story``."""
    with store._write() as session:
        row = StoryRow(title=title, first_seen=when, last_seen=when, article_count=0, outlets=[])
        session.add(row)
        session.flush()
        return row.id


def refresh_story(store: Store, story_id: int) -> None:
    """Recount a story from its articles: size, outlets, time span and the article to show
    (the earliest original, not a syndicated copy)."""
    when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
    with store._write() as session:
        rows = session.execute(
            select(ArticleRow.id, ArticleRow.site_name, when, ArticleRow.title,
                   ArticleRow.duplicate_of)
            .where(ArticleRow.story_id == story_id)
            .order_by(when, ArticleRow.id)
        ).all()  # fmt: skip
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


def list_stories(
    store: Store, since: datetime | None = None, limit: int | None = None
) -> list[StoryRecord]:
    """Stories newest first, each with its articles (oldest first)."""
    stmt = select(StoryRow).order_by(StoryRow.last_seen.desc(), StoryRow.id.desc())
    if since is not None:
        stmt = stmt.where(StoryRow.last_seen >= since)
    if limit is not None:
        stmt = stmt.limit(limit)
    when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
    with store._read() as session:
        stories = list(session.scalars(stmt))
        members: dict[int, list[StoredArticle]] = {story.id: [] for story in stories}
        if members:
            rows = session.scalars(
                select(ArticleRow)
                .where(ArticleRow.story_id.in_(list(members)))
                .order_by(when, ArticleRow.id)
            )
            for row in rows:
                members[row.story_id or 0].append(_article(row))
        return [_story(story, members.get(story.id, [])) for story in stories]


def get_story(store: Store, story_id: int) -> StoryRecord | None:
    """One story with its articles (oldest first), or None."""
    when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
    with store._read() as session:
        story = session.get(StoryRow, story_id)
        if story is None:
            return None
        rows = session.scalars(
            select(ArticleRow).where(ArticleRow.story_id == story_id).order_by(when, ArticleRow.id)
        )
        return _story(story, [_article(row) for row in rows])


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
