"""Follow-ups: stories a reader was sent that have really developed since.

For the readers of one digest run, the delivery ledger says which stories each was sent, when
last and with which articles. A story comes back when it has articles the reader was not
sent, or one of those they were sent changed since; and then only when what changed is a
real development (:func:`handpicked.understand.developments.develop`): new facts, a
correction, a changed headline. Copies never bring a story back. Developments are worked out
once per story and what was sent, however many readers were sent the same.

A story that continues the sent one past the grouping window (a later story of its thread,
:mod:`handpicked.understand.threads`) counts as part of it: the verdict, stored as a new story
weeks after the trial opened, comes back to the reader who was sent the trial as a development
of it, and is not picked again beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from handpicked.store import Store, StoredArticle
from handpicked.store.model import SentStory
from handpicked.understand.developments import Development, SeenVersion, develop

FOLLOW_UP_WINDOW = timedelta(days=7)
"""How long after it was sent a story may come back."""
FOLLOW_UPS = 3
"""The most follow-ups one digest holds (they count towards the reader's length)."""


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A story sent before that developed: the article to show and what is new."""

    story_id: int
    article: StoredArticle
    development: Development
    seen_at: datetime
    continued_in: tuple[int, ...] = ()
    """Later stories of its thread, shown as part of it (not to be picked beside it)."""


class FollowUps:
    """The follow-ups of a batch of readers, loaded lazily and shared between them."""

    def __init__(self, store: Store, reader_ids: Sequence[int], now: datetime) -> None:
        self.store = store
        self.sent: dict[int, dict[int, SentStory]] = store.deliveries.followed(
            reader_ids, since=now - FOLLOW_UP_WINDOW
        )
        self._stories: dict[int, tuple[StoredArticle, ...]] = {}
        self._continued_in: dict[int, tuple[int, ...]] = {}
        self._revised: dict[int, datetime] | None = None
        self._developments: dict[tuple[int, datetime, frozenset[int]], Development] = {}

    def followed_stories(self, reader_id: int) -> Mapping[int, SentStory]:
        """The stories sent to the reader in the follow-up window."""
        return self.sent.get(reader_id, {})

    def of(self, reader_id: int) -> list[FollowUp]:
        """The reader's stories that really developed since they were sent them, the most
        recently sent first."""
        sent = self.sent.get(reader_id)
        if not sent:
            return []
        self._load_stories()
        found: list[FollowUp] = []
        for story in sorted(sent.values(), key=lambda s: s.sent_at, reverse=True):
            articles = self._stories.get(story.story_id, ())
            if not self._grew(story, articles):
                continue
            development = self._development(story, articles)
            if not development.is_real:
                continue
            shown = development.shown[0].article_id
            article = next((a for a in articles if a.id == shown), articles[-1])
            found.append(FollowUp(story.story_id, article, development, story.sent_at,
                                  self._continued_in.get(story.story_id, ())))  # fmt: skip
        return found

    def _load_stories(self) -> None:
        """Every followed story's articles, and when any of them last changed (once)."""
        if self._revised is not None:
            return
        story_ids = {s for stories in self.sent.values() for s in stories}
        self._continued_in = self.store.threads.later(story_ids)
        for story_id in sorted(story_ids):
            record = self.store.stories.get(story_id)
            if record is None:
                continue
            articles = [a for a in record.articles if a.understood]
            for later in self._continued_in.get(story_id, ()):
                continued = self.store.stories.get(later)
                if continued is not None:
                    articles += [a for a in continued.articles if a.understood]
            self._stories[story_id] = tuple(articles)
        ids = [a.id for articles in self._stories.values() for a in articles]
        self._revised = self.store.revisions.revised_at(ids)

    def _grew(self, story: SentStory, articles: Sequence[StoredArticle]) -> bool:
        revised = self._revised or {}
        return any(
            not _known(a, story) or (a.id in revised and revised[a.id] > story.sent_at)
            for a in articles
        )

    def _development(self, story: SentStory, articles: Sequence[StoredArticle]) -> Development:
        key = (story.story_id, story.sent_at, story.article_ids)
        found = self._developments.get(key)
        if found is None:
            found = self._developments[key] = self._work_out(story, articles)
        return found

    def _work_out(self, story: SentStory, articles: Sequence[StoredArticle]) -> Development:
        known = [a for a in articles if _known(a, story)]
        then = self.store.revisions.as_of([a.id for a in known], story.sent_at)
        seen = [
            SeenVersion(a.id, *then[a.id]) if a.id in then else
            SeenVersion(a.id, a.title, tuple(a.paragraphs))
            for a in known
        ]  # fmt: skip
        return develop(seen, articles)


def _known(article: StoredArticle, story: SentStory) -> bool:
    """Whether the reader had the article: it was in a digest that sent the story, or the
    desk had it before the story was last sent (older news, not a development)."""
    return article.id in story.article_ids or article.fetched_at <= story.sent_at
