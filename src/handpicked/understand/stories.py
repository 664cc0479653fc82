"""Stories: articles from different outlets about one event, grouped online as they arrive.

An article joins the best story whose time span (widened by ``window``) covers it and whose
centroid is similar enough, with title-word and shared-entity overlap as bonuses; otherwise it
starts a story. Centroids live in one numpy matrix, so one article costs one masked
matrix-vector product over the stories active around its time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_STOP = frozenset(
    "the and for with from that this after over into about says said will new its are was has "
    "der die das und mit von für den dem ein eine les des une pour avec dans sur los las una "
    "por con para del".split()
)


ArticleId = int | str
"""Articles are named by the caller's id: the store's integer key or any string."""


def title_tokens(title: str | None) -> frozenset[str]:
    """Lower-cased title words of three letters or more, minus common function words."""
    return frozenset(w for w in _WORD.findall((title or "").lower()) if w not in _STOP)


@dataclass(frozen=True, slots=True)
class StoryAssignment:
    """Where an article went; ``similarity`` is the cosine to that story's centroid (1 if new)."""

    article_id: ArticleId
    story_id: int
    is_new: bool
    similarity: float


@dataclass(slots=True)
class Story:
    """One event. ``representative`` is the member that joined closest to the centroid.

    The founder counts as central as the first article that joined it, and wins ties, so a
    two-article story is represented by its earlier article.
    """

    id: int
    article_ids: list[ArticleId] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    first: datetime | None = None
    last: datetime | None = None
    representative: ArticleId | None = None
    centrality: float = -1.0
    titles: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)


def _unit(embedding: Sequence[float] | npt.NDArray[np.floating[Any]]) -> npt.NDArray[np.float32]:
    vector = np.asarray(embedding, dtype=np.float32)
    result: npt.NDArray[np.float32] = vector / max(float(np.linalg.norm(vector)), 1e-12)
    return result


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


class StoryIndex:
    """Online, incremental story grouping; see the module docstring for the rule."""

    def __init__(
        self,
        *,
        window: timedelta = timedelta(hours=72),
        threshold: float = 0.5,
        min_cosine: float = 0.35,
        title_weight: float = 0.05,
        entity_weight: float = 0.2,
        dimensions: int = 384,
    ) -> None:
        self.window = window.total_seconds()
        self.threshold = threshold
        self.min_cosine = min_cosine
        self.title_weight = title_weight
        self.entity_weight = entity_weight
        self.stories: list[Story] = []
        self._sums = np.zeros((64, dimensions), dtype=np.float32)
        self._centroids = np.zeros((64, dimensions), dtype=np.float32)
        self._first = np.zeros(64, dtype=np.float64)
        self._last = np.zeros(64, dtype=np.float64)
        self._clock = 0.0
        self._row_of: dict[int, int] = {}
        self._story_of: dict[ArticleId, int] = {}

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._story_of

    def story_of(self, article_id: ArticleId) -> int | None:
        """The story an article was put in, if any."""
        return self._story_of.get(article_id)

    def _new_row(self, story_id: int, t: float) -> Story:
        n = len(self.stories)
        if n == len(self._first):
            self._grow()
        story = Story(id=story_id)
        self.stories.append(story)
        self._row_of[story_id] = n
        self._sums[n] = 0.0
        self._first[n] = self._last[n] = t
        return story

    def _time(self, published: datetime | None) -> float:
        t = _utc(published).timestamp() if published else self._clock
        self._clock = max(self._clock, t)
        return t

    def restore(
        self,
        article_id: ArticleId,
        *,
        story_id: int,
        embedding: Sequence[float] | npt.NDArray[np.floating[Any]],
        title: str | None = None,
        entities: Sequence[str] = (),
        published: datetime | None = None,
        site: str | None = None,
    ) -> None:
        """Put an article back into the story it was given earlier (rebuilding from a store)."""
        vector = _unit(embedding)
        t = self._time(published)
        story = self.stories[self._row_of[story_id]] if story_id in self._row_of else None
        story = story or self._new_row(story_id, t)
        self._update(story, article_id, vector, t, title_tokens(title), set(entities), site, 0.0)

    def join(
        self,
        article_id: ArticleId,
        same_as: ArticleId,
        *,
        embedding: Sequence[float] | npt.NDArray[np.floating[Any]],
        published: datetime | None = None,
        site: str | None = None,
    ) -> int:
        """Put a known duplicate in the story of the article it copies; returns the story id."""
        story = self.stories[self._row_of[self._story_of[same_as]]]
        vector = _unit(embedding)
        cosine = float(self._centroids[self._row_of[story.id]] @ vector)
        self._update(
            story, article_id, vector, self._time(published), frozenset(), set(), site, cosine
        )
        return story.id

    def _grow(self) -> None:
        n = len(self._first) * 2
        self._sums = np.resize(self._sums, (n, self._sums.shape[1]))
        self._centroids = np.resize(self._centroids, (n, self._centroids.shape[1]))
        self._first = np.resize(self._first, n)
        self._last = np.resize(self._last, n)

    def _score(self, story: Story, cosine: float, tokens: frozenset[str], ents: set[str]) -> float:
        title = len(tokens & story.titles) / len(tokens) if tokens else 0.0
        shared = min(len(ents & story.entities), 2) / 2
        return cosine + self.title_weight * title + self.entity_weight * shared

    def add(
        self,
        article_id: ArticleId,
        *,
        embedding: Sequence[float] | npt.NDArray[np.floating[Any]],
        title: str | None = None,
        entities: Sequence[str] = (),
        published: datetime | None = None,
        site: str | None = None,
        new_story_id: Callable[[], int] | None = None,
    ) -> StoryAssignment:
        """Put one article in a story, starting one when none is close enough."""
        vector = _unit(embedding)
        t = self._time(published)
        tokens, ents = title_tokens(title), set(entities)
        n = len(self.stories)
        best, best_score, best_cos = -1, -np.inf, 0.0
        if n:
            active = np.flatnonzero(
                (self._first[:n] - self.window <= t) & (self._last[:n] + self.window >= t)
            )
            if len(active):
                sims = self._centroids[active] @ vector
                top = np.argsort(-sims)[:10]
                for k in top:
                    cos = float(sims[k])
                    if cos < self.min_cosine:
                        break
                    score = self._score(self.stories[int(active[k])], cos, tokens, ents)
                    if score > best_score:
                        best, best_score, best_cos = int(active[k]), score, cos
        is_new = best < 0 or best_score < self.threshold
        if is_new:
            story_id = new_story_id() if new_story_id else n
            story, best_cos = self._new_row(story_id, t), 1.0
        else:
            story = self.stories[best]
        self._update(story, article_id, vector, t, tokens, ents, site, best_cos)
        return StoryAssignment(article_id, story.id, is_new, best_cos)

    def _update(
        self,
        story: Story,
        article_id: ArticleId,
        vector: npt.NDArray[np.float32],
        t: float,
        tokens: frozenset[str],
        ents: set[str],
        site: str | None,
        cosine: float,
    ) -> None:
        i = self._row_of[story.id]
        self._story_of[article_id] = story.id
        self._sums[i] += vector
        self._centroids[i] = self._sums[i] / max(float(np.linalg.norm(self._sums[i])), 1e-12)
        self._first[i] = min(self._first[i], t)
        self._last[i] = max(self._last[i], t)
        story.first = datetime.fromtimestamp(self._first[i], UTC)
        story.last = datetime.fromtimestamp(self._last[i], UTC)
        story.article_ids.append(article_id)
        if site and site not in story.sites:
            story.sites.append(site)
        story.titles |= tokens
        story.entities |= ents
        centrality = cosine if len(story.article_ids) > 1 else -1.0
        if len(story.article_ids) == 2 and story.centrality < 0:
            story.centrality = centrality  # the founder is as central as its first joiner
        elif centrality > story.centrality:
            story.representative, story.centrality = article_id, centrality
        if story.representative is None:
            story.representative = article_id

    def to_rows(self) -> list[dict[str, Any]]:
        """One JSON-safe dict per story, centroid sum included, for :meth:`from_rows`."""
        return [
            {
                "id": s.id,
                "article_ids": list(s.article_ids),
                "sites": list(s.sites),
                "first": self._first[self._row_of[s.id]],
                "last": self._last[self._row_of[s.id]],
                "representative": s.representative,
                "centrality": s.centrality,
                "titles": sorted(s.titles),
                "entities": sorted(s.entities),
                "sum": [float(x) for x in self._sums[self._row_of[s.id]]],
            }
            for s in self.stories
        ]

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, Any]], **settings: Any) -> StoryIndex:
        """Rebuild an index saved by :meth:`to_rows` so grouping can go on where it stopped."""
        index = cls(**settings)
        for row in rows:
            i = len(index.stories)
            if i == len(index._first):
                index._grow()
            index._row_of[int(row["id"])] = i
            index._story_of.update({a: int(row["id"]) for a in row["article_ids"]})
            index._sums[i] = np.asarray(row["sum"], dtype=np.float32)
            norm = max(float(np.linalg.norm(index._sums[i])), 1e-12)
            index._centroids[i] = index._sums[i] / norm
            index._first[i], index._last[i] = float(row["first"]), float(row["last"])
            index._clock = max(index._clock, float(row["last"]))
            index.stories.append(
                Story(
                    id=int(row["id"]),
                    article_ids=list(row["article_ids"]),
                    sites=list(row["sites"]),
                    first=datetime.fromtimestamp(float(row["first"]), UTC),
                    last=datetime.fromtimestamp(float(row["last"]), UTC),
                    representative=row["representative"],
                    centrality=float(row["centrality"]),
                    titles=set(row["titles"]),
                    entities=set(row["entities"]),
                )
            )
        return index


@dataclass(frozen=True, slots=True)
class StoryItem:
    """What :func:`group_stories` needs of one article."""

    article_id: ArticleId
    embedding: Sequence[float] | npt.NDArray[np.floating[Any]]
    title: str | None = None
    entities: Sequence[str] = ()
    published: datetime | None = None
    site: str | None = None


def group_stories(items: Iterable[StoryItem], **settings: Any) -> list[StoryAssignment]:
    """Run the online rule over articles in time order (undated ones last); one result each."""
    ordered = sorted(
        items, key=lambda it: (it.published is None, it.published and _utc(it.published))
    )
    index = StoryIndex(**settings)
    return [
        index.add(
            it.article_id,
            embedding=it.embedding,
            title=it.title,
            entities=it.entities,
            published=it.published,
            site=it.site,
        )
        for it in ordered
    ]
