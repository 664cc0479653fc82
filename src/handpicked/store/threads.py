"""Threads: which story continues which past the grouping window (``understand.threads``
finds the links; this keeps them)."""

from __future__ import annotations

import builtins
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, or_, select, update

from handpicked.store.model import ThreadEntry
from handpicked.store.sessions import Repository, chunks
from handpicked.store.tables import ArticleRow, StoryRow


class ThreadRepository(Repository):
    """``store.threads``: links between stories, and the threads they make."""

    def link(self, story_id: int, continues_id: int, thread_id: int) -> None:
        """Record that ``story_id`` continues ``continues_id``; both, and any story that
        already continued ``story_id``, are in the thread of ``thread_id`` (its first story)."""
        with self._sessions.write() as session:
            session.execute(
                update(StoryRow)
                .where(StoryRow.id == story_id)
                .values(continues_id=continues_id, thread_id=thread_id)
            )
            session.execute(
                update(StoryRow)
                .where(or_(StoryRow.id == thread_id, StoryRow.thread_id == story_id))
                .values(thread_id=thread_id)
            )

    def links(self) -> dict[int, tuple[int, int]]:
        """Every story that continues another: its (older story, thread), for restarting."""
        stmt = select(StoryRow.id, StoryRow.continues_id, StoryRow.thread_id).where(
            StoryRow.continues_id.is_not(None)
        )
        with self._sessions.read() as session:
            found: dict[int, tuple[int, int]] = {}
            for story_id, continues, thread in session.execute(stmt):
                if continues is not None:
                    found[story_id] = (continues, thread if thread is not None else continues)
            return found

    def leads(self, since: datetime, chars: int = 600) -> dict[int, str]:
        """The first ``chars`` characters of each understood article from ``since`` on (by
        its time): what thread profiles are rebuilt from on restart."""
        when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
        stmt = select(ArticleRow.id, func.substr(ArticleRow.text, 1, chars)).where(
            ArticleRow.understood_at.is_not(None), when >= since
        )
        with self._sessions.read() as session:
            return {row[0]: row[1] or "" for row in session.execute(stmt)}

    def later(self, story_ids: Collection[int]) -> dict[int, tuple[int, ...]]:
        """For each of these stories that is in a thread, the stories after it in the thread
        (by first article, oldest first); two queries however many stories."""
        threads: dict[int, int] = {}
        with self._sessions.read() as session:
            for chunk in chunks(sorted(set(story_ids))):
                rows = session.execute(
                    select(StoryRow.id, StoryRow.thread_id).where(
                        StoryRow.id.in_(chunk), StoryRow.thread_id.is_not(None)
                    )
                )
                threads.update({row[0]: row[1] for row in rows if row[1] is not None})
            members: dict[int, builtins.list[int]] = {}
            for chunk in chunks(sorted(set(threads.values()))):
                rows = session.execute(
                    select(StoryRow.id, StoryRow.thread_id)
                    .where(StoryRow.thread_id.in_(chunk))
                    .order_by(StoryRow.first_seen, StoryRow.id)
                )
                for story_id, thread_id in rows:
                    if thread_id is not None:
                        members.setdefault(thread_id, []).append(story_id)
        found: dict[int, tuple[int, ...]] = {}
        for story_id, thread_id in threads.items():
            order = members.get(thread_id, [])
            if story_id in order:
                found[story_id] = tuple(order[order.index(story_id) + 1 :])
        return found

    def of(self, story_id: int) -> builtins.list[ThreadEntry]:
        """The stories of ``story_id``'s thread, oldest first (empty when it has none)."""
        with self._sessions.read() as session:
            story = session.get(StoryRow, story_id)
            if story is None or story.thread_id is None:
                return []
            rows = session.scalars(
                select(StoryRow)
                .where(StoryRow.thread_id == story.thread_id)
                .order_by(StoryRow.first_seen, StoryRow.id)
            )
            return [
                ThreadEntry(
                    story_id=row.id,
                    title=row.title,
                    first_seen=row.first_seen,
                    last_seen=row.last_seen,
                    article_count=row.article_count,
                    continues_id=row.continues_id,
                )
                for row in rows
            ]
