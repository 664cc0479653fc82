"""Threads: stories that continue past the grouping window (a trial over weeks), linked as one.

Grouping (:mod:`handpicked.understand.stories`) only compares an article with stories whose
time span, widened by the window, covers it; a matter that goes on for weeks therefore starts a
new story each time it comes back after a quiet spell. A thread links such a new story to the
older one it continues, when they share the *distinguishing* names, not just the topic:

- each story keeps the names of its articles (people, places, organisations from
  understanding's entities, and the capitalised words and numbers of the headline and lead),
  each weighted by the share of the story's articles that carry it times how rare it is among
  the threads seen (IDF over threads, online; a story alone is a thread of one, so a matter
  that goes on for weeks does not make its own names common);
- a young story (its first :data:`YOUNG` articles) is compared with the stories that began
  before it, up to :data:`HORIZON` earlier: it continues the one it is most similar to (cosine
  of the weighted names) when that one's window had closed before it began (if the closest is
  still open, grouping chose not to join it: no link), the similarity reaches ``threshold``
  *and* they share at least ``min_shared`` rare names (ones in at most ``rare_share`` of the
  threads): a country and "earthquake" are a topic, a town, a magnitude and a rescuer's name
  an event;
- a link, once made, stays; a thread is named by its earliest story.

Two different quakes in one country share the country and the kind of event but not the towns
and names, so they are not linked (measured on ECB+ dev: ``bench/threads.py``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

HORIZON = timedelta(days=42)
"""How long after an older story ended a new one may still continue it."""
YOUNG = 5
"""A story is matched against older ones while it has at most this many articles."""

_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d(?:[\d,.]*\d)?", re.UNICODE)
_STOP = frozenset(
    "the a an and or of in on at to for with from by as is are was were be been it its his her "
    "their this that these those after over into about says said will new more than how why "
    "what who when where der die das und mit von für den dem ein eine les des une pour avec "
    "dans sur los las una por con para del".split()
)


LEAD_CHARS = 600
"""How much of an article's text, from its start, its names are read from (the lead is where
an article says who, what and where; the rest adds mostly the same names)."""


def names_of(title: str | None, text: str | None, entity_keys: Iterable[str]) -> frozenset[str]:
    """The names a story is told apart by, from one article: its entities' words, and the
    capitalised words and numbers of its headline and lead, lower-cased."""
    found: set[str] = set()
    for key in entity_keys:
        kind, _, name = key.partition(":")
        if kind in ("topic", "other") or not name:
            continue
        found.update(w for w in name.split() if len(w) >= 3 and w not in _STOP)
    for token in _TITLE_WORD.findall(f"{title or ''} {(text or '')[:LEAD_CHARS]}"):
        if (token[0].isupper() or token[0].isdigit()) and token.lower() not in _STOP:
            found.add(token.lower())
    return frozenset(found)


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


@dataclass(slots=True)
class ThreadStory:
    """What the thread index keeps of one story."""

    id: int
    first: datetime
    last: datetime
    names: Counter[str] = field(default_factory=Counter)
    articles: int = 0
    continues: int | None = None
    """The older story this one continues (None if it starts its thread)."""
    thread: int = 0
    """The thread's earliest story."""


@dataclass(frozen=True, slots=True)
class ThreadLink:
    """A new story found to continue an older one."""

    story_id: int
    continues: int
    thread: int
    similarity: float


class ThreadIndex:
    """Online thread linking; see the module docstring for the rule.

    ``window`` is the story grouping's window: an older story is a candidate only once its
    window had closed when the new story began.
    """

    def __init__(
        self,
        *,
        window: timedelta = timedelta(hours=72),
        horizon: timedelta = HORIZON,
        threshold: float = 0.5,
        min_shared: int = 3,
        rare_share: float = 0.05,
        young: int = YOUNG,
    ) -> None:
        self.window = window
        self.horizon = horizon
        self.threshold = threshold
        self.min_shared = min_shared
        self.rare_share = rare_share
        self.young = young
        self.stories: dict[int, ThreadStory] = {}
        self._frequency: Counter[str] = Counter()
        """How many threads carry each name (a story alone is a thread of one): a matter
        that went on for weeks does not make its own names common."""
        self._thread_names: dict[int, set[str]] = {}
        self._newest: datetime | None = None
        self._since_forgetting = 0

    def restore(
        self, story_id: int, names: Iterable[str], when: datetime, continues: int | None = None,
        thread: int | None = None,
    ) -> None:  # fmt: skip
        """Count an article of a story back in, with the link the store holds (on restart)."""
        story = self._count(story_id, frozenset(names), _utc(when), thread or continues)
        if continues is not None:
            story.continues = continues

    def add(self, story_id: int, names: Iterable[str], when: datetime) -> ThreadLink | None:
        """Count a new article of a story in; the link when its story is found to continue an
        older one (only once per story)."""
        when = _utc(when)
        self._forget_old(when)
        story = self._count(story_id, frozenset(names), when)
        if story.continues is not None or story.articles > self.young:
            return None
        best, score = self._best(story)
        if best is None:
            return None
        story.continues = best.id
        self._merge(story.thread, best.thread)
        return ThreadLink(story.id, best.id, best.thread, score)

    def _forget_old(self, when: datetime, every: int = 256) -> None:
        """Now and then, drop the stories that ended too long ago to be continued (and their
        threads' names from the frequencies, once no story of theirs is left): the index
        holds the horizon, however long the process runs."""
        self._newest = max(self._newest or when, when)
        self._since_forgetting += 1
        if self._since_forgetting < every:
            return
        self._since_forgetting = 0
        cutoff = self._newest - self.horizon - self.window
        for story_id in [s.id for s in self.stories.values() if s.last < cutoff]:
            del self.stories[story_id]
        alive = {s.thread for s in self.stories.values()}
        for thread in [t for t in self._thread_names if t not in alive]:
            self._frequency.subtract(self._thread_names.pop(thread))
        self._frequency = +self._frequency

    def _merge(self, thread: int, into: int) -> None:
        """Put every story of ``thread`` in ``into``; their shared names count once now."""
        for other in self.stories.values():
            if other.thread == thread:
                other.thread = into
        names = self._thread_names.pop(thread, set())
        target = self._thread_names.setdefault(into, set())
        self._frequency.subtract(names & target)
        target |= names

    def _count(
        self, story_id: int, names: frozenset[str], when: datetime, thread: int | None = None
    ) -> ThreadStory:
        story = self.stories.get(story_id)
        if story is None:
            story = ThreadStory(story_id, when, when, thread=thread or story_id)
            self.stories[story_id] = story
        story.first, story.last = min(story.first, when), max(story.last, when)
        story.names.update(names)
        story.articles += 1
        known = self._thread_names.setdefault(story.thread, set())
        self._frequency.update(names - known)
        known |= names
        return story

    def _weights(self, story: ThreadStory) -> dict[str, float]:
        n = len(self._thread_names)
        weights = {
            name: (count / story.articles) * math.log((1 + n) / (1 + self._frequency[name]))
            for name, count in story.names.items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {name: w / norm for name, w in weights.items()}

    def _rare(self, name: str) -> bool:
        return self._frequency[name] <= max(2.0, self.rare_share * len(self._thread_names))

    def _best(self, story: ThreadStory) -> tuple[ThreadStory | None, float]:
        """The older, closed story this one matches best, if it matches well enough."""
        mine = self._weights(story)
        best: ThreadStory | None = None
        best_score = 0.0
        for other in self._earlier(story):
            shared = [n for n in story.names.keys() & other.names.keys() if self._rare(n)]
            if len(shared) < self.min_shared:
                continue
            theirs = self._weights(other)
            score = sum(w * theirs.get(name, 0.0) for name, w in mine.items())
            if score > best_score:
                best, best_score = other, score
        if best is None or best_score < self.threshold or not self._closed(best, story):
            return None, 0.0  # or the closest is still open: grouping chose not to join it
        return best, best_score

    def _closed(self, other: ThreadStory, story: ThreadStory) -> bool:
        return other.last + self.window < story.first

    def _earlier(self, story: ThreadStory) -> Sequence[ThreadStory]:
        """Every other story that began before ``story`` and ended within the horizon."""
        return [
            other
            for other in self.stories.values()
            if other.id != story.id
            and other.first <= story.first
            and story.first - other.last <= self.horizon
        ]

    def candidates(self, story: ThreadStory) -> Sequence[ThreadStory]:
        """The older stories whose window had closed before ``story`` began, within the
        horizon."""
        return [
            other
            for other in self.stories.values()
            if other.id != story.id
            and self._closed(other, story)
            and story.first - other.last <= self.horizon
        ]
