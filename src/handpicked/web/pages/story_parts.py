"""The story page's views of what each outlet adds and of the story's thread."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo

from handpicked.deliver.wording import clean
from handpicked.store.model import ThreadEntry
from handpicked.understand.outlet_additions import OutletAddition
from handpicked.web.pages.views import When, when


@dataclass(frozen=True, slots=True)
class FactView:
    kind: str
    text: str
    article_id: int


@dataclass(frozen=True, slots=True)
class OutletView:
    """One outlet on the story page: its own facts, people and speakers, or the origin it
    copies."""

    outlet: str
    article_id: int
    facts: tuple[FactView, ...]
    people: tuple[str, ...]
    speakers: tuple[str, ...]
    copy_of: str | None
    copy_of_article: int | None


@dataclass(frozen=True, slots=True)
class ThreadView:
    story_id: int
    title: str
    first: When | None
    articles: int


def outlet_views(additions: Sequence[OutletAddition]) -> list[OutletView]:
    """Every outlet of a story that has more than one (with one, there is nothing to
    compare)."""
    if len(additions) < 2:
        return []
    views = []
    for added in additions:
        views.append(
            OutletView(
                outlet=clean(added.outlet),
                article_id=added.article_ids[0],
                facts=tuple(FactView(f.kind, clean(f.text), f.article_id) for f in added.facts),
                people=tuple(clean(p) for p in added.people),
                speakers=tuple(clean(s) for s in added.speakers),
                copy_of=clean(added.copy_of) if added.copy_of else None,
                copy_of_article=added.copy_of_article,
            )
        )
    return views


def thread_views(entries: Sequence[ThreadEntry], zone: tzinfo) -> list[ThreadView]:
    return [
        ThreadView(
            e.story_id, clean(e.title) or "A story", when(e.first_seen, zone), e.article_count
        )
        for e in entries
    ]
