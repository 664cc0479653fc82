"""One story as its page and the API show it: its articles, who reported it and who copied,
what each article added, what each outlet adds that no other has, and the thread it is part
of when the matter went on past the grouping window."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from handpicked.desk.context import DeskContext
from handpicked.store.model import StoredArticle, StoryRecord, ThreadEntry
from handpicked.understand.developments import Fact, timeline
from handpicked.understand.outlet_additions import OutletAddition, outlet_additions
from handpicked.understand.provenance import Provenance, credited_origin, story_provenance


@dataclass(frozen=True, slots=True)
class StoryDetail:
    """Everything the story page shows beyond the stored story."""

    story: StoryRecord
    provenance: Provenance
    added: dict[int, tuple[Fact, ...]]
    """What each article (by id) added to those before it."""
    outlets: tuple[OutletAddition, ...]
    """What each outlet adds, in the order of their first article; copies as copies."""
    thread: tuple[ThreadEntry, ...]
    """The stories of its thread, oldest first, this one included (empty when none)."""

    @property
    def earlier(self) -> tuple[ThreadEntry, ...]:
        return tuple(self.thread[: self._position])

    @property
    def later(self) -> tuple[ThreadEntry, ...]:
        return tuple(self.thread[self._position + 1 :])

    @property
    def _position(self) -> int:
        return next((i for i, e in enumerate(self.thread) if e.story_id == self.story.id), 0)


CACHED_STORIES = 256
"""How many stories' readings (timeline, outlets) are kept: reading a big story costs about a
second of CPU, and a story page is opened by many readers while its articles stay the same."""

_Reading = tuple[Provenance, dict[int, tuple[Fact, ...]], tuple[OutletAddition, ...]]


class Stories:
    """``desk.stories``: a story with what understanding says about it."""

    def __init__(self, context: DeskContext) -> None:
        self._context = context
        self._readings: OrderedDict[tuple[object, ...], _Reading] = OrderedDict()
        self._lock = threading.Lock()

    def detail(self, story_id: int) -> StoryDetail | None:
        """The story and what its page shows, or None when there is no such story (or it
        has no articles left)."""
        store = self._context.store
        story = store.stories.get(story_id)
        if story is None or not story.articles:
            return None
        provenance, added, outlets = self._reading(story.articles)
        return StoryDetail(
            story=story,
            provenance=provenance,
            added=added,
            outlets=outlets,
            thread=tuple(store.threads.of(story_id)),
        )

    def _reading(self, articles: tuple[StoredArticle, ...]) -> _Reading:
        """Provenance, timeline and outlets of these articles as they are now (kept while
        none of them changes)."""
        key = tuple((a.id, a.content_hash, a.title, a.duplicate_of) for a in articles)
        with self._lock:
            if key in self._readings:
                self._readings.move_to_end(key)
                return self._readings[key]
        provenance = story_provenance(articles)
        origins = {
            a.id: origin
            for a in articles
            if a.id in provenance.copy_ids and (origin := credited_origin(a))
        }
        found = (provenance, timeline(articles),
                 outlet_additions(articles, provenance.copy_ids, origins))  # fmt: skip
        with self._lock:
            self._readings[key] = found
            while len(self._readings) > CACHED_STORIES:
                self._readings.popitem(last=False)
        return found
