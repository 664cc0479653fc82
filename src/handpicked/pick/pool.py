"""The stories new since a point in time, indexed once so that thousands of readers can be
ranked against them cheaply.

Every story becomes a row with its features (the entities, topics, sources, sections and
followed phrases of all its articles), its freshness, how many outlets covered it and an
embedding; each article keeps its own features, which say why it is shown. A posting list
per feature lets a reader's follows be scored with a few numpy additions instead of a loop
over every story. Phrases are found in one Aho-Corasick pass over the articles' text for all
phrases any reader follows or mutes, so a thousand readers who follow "Florida Man" cost one
scan, not a thousand.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import ahocorasick
import numpy as np
import numpy.typing as npt

from handpicked.pick.interests import source_of
from handpicked.store import Store, StoredArticle
from handpicked.store.search import SearchFilters
from handpicked.store.search_query import SearchQueryError, parse_query
from handpicked.understand import aliases
from handpicked.understand.embeddings import DIMENSIONS
from handpicked.understand.provenance import CopyGroup, Provenance, reports_among

Vector = npt.NDArray[np.float32]
_WORD = re.compile(r"\w+")
FRESHNESS_HALF_LIFE_H = 36.0
_BATCH = 2000


@dataclass(frozen=True, slots=True)
class Member:
    """One stored article of a story, with what choosing the one to show needs."""

    article_id: int
    source: str | None
    section: str | None
    outlet: str
    language: str | None
    is_copy: bool
    when: datetime
    features: tuple[int, ...] = ()
    """The pool features of this article alone: what it is picked for is said from these."""
    source_id: int | None = None
    """The source the desk fetched it from (None: added by hand, or its source removed)."""


@dataclass
class Pool:
    """Candidate stories for a digest run, in arrays indexed by story row."""

    since: datetime
    now: datetime
    story_ids: list[int | None] = field(default_factory=list)
    members: list[tuple[Member, ...]] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    representative: list[int] = field(default_factory=list)
    features: dict[str, int] = field(default_factory=dict)
    feature_labels: list[str] = field(default_factory=list)
    feature_kinds: list[str] = field(default_factory=list)
    """"entity", "topic", "source", "section", "phrase" or "search" per feature."""
    postings: list[npt.NDArray[np.int32]] = field(default_factory=list)
    story_features: list[tuple[int, ...]] = field(default_factory=list)
    prior: npt.NDArray[np.float32] = field(default_factory=lambda: np.zeros(0, np.float32))
    """Freshness times coverage: how much a story deserves a place, before relevance."""
    embeddings: Vector = field(default_factory=lambda: np.zeros((0, DIMENSIONS), np.float32))
    first_seen_ts: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    """When each story first reached the store (POSIX seconds): a reader's window starts there."""
    rows_of_source: dict[int, npt.NDArray[np.int32]] = field(default_factory=dict)
    """The story rows with an article from each source (by source id)."""
    unsourced: npt.NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, np.int32))
    """The story rows with an article from no source (stored by hand): everyone's."""
    stored_provenance: dict[int, dict[str, Any]] = field(default_factory=dict)
    """Story id → the provenance understanding stored for it (reports, copies of whom)."""
    _top: dict[tuple[tuple[str, ...], int], list[tuple[str, str, int]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _provenance: dict[int, Provenance] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __len__(self) -> int:
        return len(self.story_ids)

    def provenance(self, row: int) -> Provenance:
        """A story's reports and copies: as understanding stored it, else counted from the
        pooled articles (copies then named after the first original's outlet). Worked out
        once per story, however many readers get it."""
        found = self._provenance.get(row)
        if found is None:
            found = self._provenance[row] = self._work_out_provenance(row)
        return found

    def _work_out_provenance(self, row: int) -> Provenance:
        story_id = self.story_ids[row]
        stored = Provenance.from_dict(self.stored_provenance.get(story_id or 0))
        if stored is not None:
            return stored
        members = self.members[row]
        copies = [m for m in members if m.is_copy]
        reports = reports_among((m.outlet, m.is_copy) for m in members)
        if not copies:
            return Provenance(reports)
        origin = next(
            (m.outlet for m in members if not m.is_copy and m.outlet), "an earlier report"
        )
        ids = frozenset(m.article_id for m in copies)
        return Provenance(reports, (CopyGroup(origin, len(copies)),), ids)

    def feature(self, name: str) -> int | None:
        return self.features.get(name)

    def top_features(self, prefixes: tuple[str, ...], limit: int) -> list[tuple[str, str, int]]:
        """The features in the most stories: (feature, label, stories), most first.

        Counted once per (prefixes, limit): a built pool does not change, and every reader
        with an empty digest asks the same question of tens of thousands of features."""
        key = (prefixes, limit)
        top = self._top.get(key)
        if top is None:
            counts = [
                (name, self.feature_labels[index], len(self.postings[index]))
                for name, index in self.features.items()
                if name.startswith(prefixes)
            ]
            counts.sort(key=lambda item: (-item[2], item[0]))
            top = self._top[key] = counts[:limit]
        return list(top)


def section_feature(section: str) -> str:
    return f"section:{aliases.normalise(section)}"


def entity_feature(key: str) -> str:
    return f"entity:{key}"


def article_features(
    entities: Iterable[Any] | None,
    topics: Iterable[Any] | None,
    url: str | None,
    section: str | None,
) -> Iterator[tuple[str, str]]:
    """(feature, label) pairs of one article: what follows and feedback are matched on."""
    return _features(entities, topics, source_of(url), section)


def _features(
    entities: Iterable[Any] | None,
    topics: Iterable[Any] | None,
    source: str | None,
    section: str | None,
) -> Iterator[tuple[str, str]]:
    """:func:`article_features` with the URL's source already worked out."""
    for entity in entities or ():
        if isinstance(entity, dict) and entity.get("key") and entity.get("kind") != "other":
            yield entity_feature(str(entity["key"])), str(entity.get("name") or entity["key"])
    for topic in topics or ():
        if isinstance(topic, dict) and topic.get("key"):
            yield f"topic:{topic['key']}", str(topic.get("label") or topic["key"])
    if source:
        yield f"source:{source}", source
    if section:
        yield section_feature(section), section


def search_matches(
    store: Store, since: datetime, searches: Collection[str]
) -> dict[int, list[str]]:
    """The followed searches each article fetched since ``since`` matches (article id →
    search keys); a search that no longer parses matches nothing."""
    found: dict[int, list[str]] = defaultdict(list)
    for key in sorted(searches):
        try:
            query = parse_query(key)
            ids = store.search.matching_ids(query, SearchFilters(fetched_since=since))
        except SearchQueryError:
            continue
        for article_id in ids:
            found[article_id].append(key)
    return found


def phrase_matcher(phrases: Collection[str]) -> ahocorasick.Automaton | None:
    """One automaton for every phrase key (see :func:`interests.phrase_key`)."""
    if not phrases:
        return None
    automaton = ahocorasick.Automaton()
    for phrase in phrases:
        automaton.add_word(f" {phrase} ", phrase)
    automaton.make_automaton()
    return automaton


def phrases_in(automaton: ahocorasick.Automaton, *texts: str | None) -> set[str]:
    """The phrases that occur in the texts as whole words, case-insensitively."""
    found: set[str] = set()
    for text in texts:
        if text:
            # The words joined by single spaces: what replacing each run of non-word
            # characters with one space gives, less a space at either end, and faster.
            padded = f" {' '.join(_WORD.findall(text.casefold()))} "
            found.update(phrase for _end, phrase in automaton.iter(padded))
    return found


def build_pool(
    store: Store,
    since: datetime,
    now: datetime,
    phrases: Collection[str] = (),
    searches: Collection[str] = (),
) -> Pool:
    """Index the articles stored since ``since`` (the understood, article-like ones) by story.

    ``phrases`` are the phrase keys that some reader follows or mutes; only then is the
    articles' text read at all. ``searches`` are followed or muted searches: each is one
    query of the search index over the articles fetched since ``since``.
    """
    automaton = phrase_matcher(phrases)
    searched = search_matches(store, since, searches)
    pool = Pool(since=since, now=now)
    rows_of: dict[int, int] = {}
    member_lists: list[list[Member]] = []
    feature_sets: list[set[int]] = []
    newest: list[datetime] = []
    first_seen: list[datetime] = []
    vectors: list[bytes | None] = []
    postings: dict[int, list[int]] = defaultdict(list)
    source_rows: dict[int | None, set[int]] = defaultdict(set)

    for batch in store.articles.pool(since, with_text=automaton is not None):
        for row in batch:
            key = row.story_id if row.story_id is not None else -row.id
            index = rows_of.get(key)
            when = min(row.published or row.fetched_at, row.fetched_at)
            if index is None:
                index = rows_of[key] = len(pool.story_ids)
                pool.story_ids.append(row.story_id)
                pool.titles.append(row.title or "")
                pool.representative.append(row.id)
                first_seen.append(row.fetched_at)
                member_lists.append([])
                feature_sets.append(set())
                newest.append(when)
                vectors.append(None)
            source = source_of(row.canonical_url or row.url)
            newest[index] = max(newest[index], when)
            first_seen[index] = min(first_seen[index], row.fetched_at)
            if vectors[index] is None and row.embedding and row.duplicate_of is None:
                vectors[index] = row.embedding
                pool.representative[index] = row.id
                pool.titles[index] = row.title or pool.titles[index]
            # article_features(..., row.canonical_url, ...) without a second URL parse.
            url_source = source if row.canonical_url else None
            pairs = list(_features(row.entities, row.topics, url_source, row.section))
            if automaton is not None:
                text = getattr(row, "text", None)
                found = phrases_in(automaton, row.title, row.lead, text)
                pairs += [(f"phrase:{phrase}", phrase) for phrase in found]
            pairs += [(f"search:{query}", query) for query in searched.get(row.id, ())]
            own: list[int] = []
            for name, label in pairs:
                feature = pool.features.get(name)
                if feature is None:
                    feature = pool.features[name] = len(pool.feature_labels)
                    pool.feature_labels.append(label)
                    pool.feature_kinds.append(name.split(":", 1)[0])
                own.append(feature)
                if feature not in feature_sets[index]:
                    feature_sets[index].add(feature)
                    postings[feature].append(index)
            member_lists[index].append(
                Member(
                    article_id=row.id,
                    source=source,
                    section=row.section,
                    outlet=row.site_name or source or "",
                    language=row.detected_language or row.language,
                    is_copy=row.duplicate_of is not None,
                    when=when,
                    features=tuple(dict.fromkeys(own)),
                    source_id=row.source_id,
                )
            )
            source_rows[row.source_id].add(index)
    pool.members = [tuple(members) for members in member_lists]
    pool.story_features = [tuple(sorted(features)) for features in feature_sets]
    pool.postings = [
        np.asarray(postings.get(feature, ()), dtype=np.int32)
        for feature in range(len(pool.feature_labels))
    ]
    pool.prior = np.asarray(
        [_prior(newest[i], now, pool.members[i]) for i in range(len(pool.story_ids))],
        dtype=np.float32,
    )
    pool.embeddings = _matrix(vectors)
    pool.first_seen_ts = np.asarray([when.timestamp() for when in first_seen], np.float64)
    for source_id, rows in source_rows.items():
        array = np.fromiter(sorted(rows), dtype=np.int32, count=len(rows))
        if source_id is None:
            pool.unsourced = array
        else:
            pool.rows_of_source[source_id] = array
    pool.stored_provenance = store.stories.provenances([s for s in pool.story_ids if s])
    return pool


def outside_rows(pool: Pool, source_ids: Iterable[int]) -> npt.NDArray[np.bool_]:
    """True for each story row with no article from these sources (nor one stored by hand)."""
    outside = np.ones(len(pool), dtype=np.bool_)
    outside[pool.unsourced] = False
    for source_id in source_ids:
        rows = pool.rows_of_source.get(source_id)
        if rows is not None:
            outside[rows] = False
    return outside


def freshness(when: datetime, now: datetime) -> float:
    """1 for a story from now, halving every ``FRESHNESS_HALF_LIFE_H`` hours."""
    age_h = max(0.0, (now - when).total_seconds() / 3600)
    return float(0.5 ** (age_h / FRESHNESS_HALF_LIFE_H))


def _prior(newest: datetime, now: datetime, members: tuple[Member, ...]) -> float:
    """Freshness times coverage, where coverage counts outlets with their own report: nine
    outlets running one agency's text are one report, not nine."""
    reports = reports_among((member.outlet, member.is_copy) for member in members)
    return max(freshness(newest, now), 0.02) * (1.0 + 0.25 * math.log2(reports))


def _matrix(vectors: list[bytes | None]) -> Vector:
    matrix = np.zeros((len(vectors), DIMENSIONS), dtype=np.float32)
    for index, blob in enumerate(vectors):
        if blob and len(blob) == DIMENSIONS * 4:
            vector = np.frombuffer(blob, dtype=np.float32)
            norm = float(np.linalg.norm(vector))
            if norm > 0:
                matrix[index] = vector / norm
    return matrix


def load_articles(store: Store, article_ids: Collection[int]) -> dict[int, StoredArticle]:
    """The stored articles with these ids (those that still exist)."""
    return store.articles.by_ids(article_ids)


def feedback_articles(
    store: Store, article_ids: Collection[int]
) -> dict[int, tuple[tuple[tuple[str, str], ...], Vector | None, str | None]]:
    """For articles a reader reacted to: their features, unit embedding and title."""
    found: dict[int, tuple[tuple[tuple[str, str], ...], Vector | None, str | None]] = {}
    for row in store.articles.reacted(article_ids):
        pairs = tuple(
            dict.fromkeys(
                article_features(row.entities, row.topics, row.canonical_url, row.section)
            )
        )
        found[row.id] = (pairs, _matrix([row.embedding])[0] if row.embedding else None, row.title)
    return found
