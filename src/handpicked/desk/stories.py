"""One story as its page and the API show it: its articles, who reported it and who copied,
what each article added, what each outlet adds that no other has, and the thread it is part
of when the matter went on past the grouping window."""

from __future__ import annotations

from dataclasses import dataclass

from handpicked.desk.context import DeskContext
from handpicked.store.model import StoryRecord, ThreadEntry
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


class Stories:
    """``desk.stories``: a story with what understanding says about it."""

    def __init__(self, context: DeskContext) -> None:
        self._context = context

    def detail(self, story_id: int) -> StoryDetail | None:
        """The story and what its page shows, or None when there is no such story (or it
        has no articles left)."""
        store = self._context.store
        story = store.stories.get(story_id)
        if story is None or not story.articles:
            return None
        provenance = story_provenance(story.articles)
        origins = {
            a.id: origin
            for a in story.articles
            if a.id in provenance.copy_ids and (origin := credited_origin(a))
        }
        return StoryDetail(
            story=story,
            provenance=provenance,
            added=timeline(story.articles),
            outlets=outlet_additions(story.articles, provenance.copy_ids, origins),
            thread=tuple(store.threads.of(story_id)),
        )
