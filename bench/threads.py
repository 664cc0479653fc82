"""Threads on real look-alike events (ECB+ dev): does linking a new story to an older, closed
one join parts of one event, or look-alike events?

    python -m bench.threads

ECB+ dev has 23 topics of two different real events of one kind (two quakes in one country);
the set's assigned times put every article within 24 hours of its event's start and the
look-alike event 1-3 days later. Stories are grouped with the shipped rule but the window
shrunk (2, 4 and 8 hours instead of 72), so that each event splits into several stories, and
the stories are then linked in time order by :class:`~handpicked.understand.threads.ThreadIndex`
(its shipped settings; horizon 42 days, so every earlier topic is a candidate too). A story is
labelled with the event most of its articles belong to. Reported:

- *continuable*: stories with an earlier, closed story of the same event among their
  candidates (what a perfect linker links);
- *recall*: the share of those linked to an earlier story of the same event;
- *look-alike exposed*: stories with an earlier, closed story of the look-alike event among
  their candidates; *joined a look-alike*: the share of those linked to it;
- *false link rate*: links to another event (look-alike or other topic) over all links.

The shipped threshold was chosen on this set; a second table holds it out: topics dealt
alternately into halves, the threshold tuned on one half (the highest recall with at most 5%
of exposed stories joined to a look-alike) and scored on the other, both ways.

Beside it, the topic-only baseline: the same candidates, linked on the cosine of the stories'
mean MiniLM embeddings alone (at thresholds giving similar recall), and ours without the
rare-names check, to show what the distinguishing names buy.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np

from bench.ecbplus import DATA, Row, load
from handpicked.understand.embeddings import Embedder
from handpicked.understand.stories import group_stories
from handpicked.understand.threads import ThreadIndex, ThreadStory, names_of

RESULTS = Path(__file__).parent / "results" / "threads.md"
WINDOWS = (timedelta(hours=2), timedelta(hours=4), timedelta(hours=8))

Linker = Callable[[Sequence[Row], dict[Any, int], timedelta], dict[int, int]]
"""Rows in time order, each article's story, the window -> {story: the story it continues}."""


@dataclass(frozen=True, slots=True)
class Scores:
    stories: int
    continuable: int
    recall: float
    exposed: int
    joined_lookalike: float
    links: int
    false_rate: float


def ours(**settings: Any) -> Linker:
    def link(rows: Sequence[Row], story_of: dict[Any, int], window: timedelta) -> dict[int, int]:
        index = ThreadIndex(window=window, **settings)
        links: dict[int, int] = {}
        for row in rows:
            names = names_of(row.item.title, row.item.text, row.item.entities)
            found = index.add(story_of[row.item.article_id], names, row.published)
            if found is not None:
                links[found.story_id] = found.continues
        return links

    return link


def topic_only(threshold: float) -> Linker:
    """Link a young story to the closed candidate with the best mean-embedding cosine."""

    def link(rows: Sequence[Row], story_of: dict[Any, int], window: timedelta) -> dict[int, int]:
        index = ThreadIndex(window=window)  # for its candidate rule and story times only
        sums: dict[int, np.ndarray] = {}
        links: dict[int, int] = {}
        for row in rows:
            story_id = story_of[row.item.article_id]
            vector = np.asarray(row.item.embedding, dtype=np.float32)
            sums[story_id] = sums.get(story_id, np.zeros_like(vector)) + vector
            index.restore(story_id, (), row.published)
            story = index.stories[story_id]
            if story_id in links or story.articles > index.young:
                continue
            mine = sums[story_id] / np.linalg.norm(sums[story_id])
            best, best_score = None, threshold
            for other in index.candidates(story):
                score = float(mine @ (sums[other.id] / np.linalg.norm(sums[other.id])))
                if score >= best_score:
                    best, best_score = other.id, score
            if best is not None:
                links[story_id] = best
        return links

    return link


def score(rows: Sequence[Row], story_of: dict[Any, int], window: timedelta,
          links: dict[int, int]) -> Scores:  # fmt: skip
    events: dict[int, Counter[str]] = {}
    topic_of = {r.event: r.topic for r in rows}
    for row in rows:
        events.setdefault(story_of[row.item.article_id], Counter())[row.event] += 1
    label = {s: c.most_common(1)[0][0] for s, c in events.items()}
    index = ThreadIndex(window=window)
    starts: dict[int, ThreadStory] = {}
    for row in rows:
        index.restore(story_of[row.item.article_id], (), row.published)
    for story in index.stories.values():
        starts[story.id] = story
    continuable = hits = exposed = joined = wrong = 0
    for story in starts.values():
        candidates = index.candidates(story)
        same = {c.id for c in candidates if label[c.id] == label[story.id]}
        alike = {
            c.id for c in candidates
            if label[c.id] != label[story.id] and topic_of[label[c.id]] == topic_of[label[story.id]]
        }  # fmt: skip
        target = links.get(story.id)
        if same:
            continuable += 1
            hits += target in same
        if alike:
            exposed += 1
            joined += target in alike
        if target is not None and label[target] != label[story.id]:
            wrong += 1
    return Scores(
        stories=len(starts),
        continuable=continuable,
        recall=hits / continuable if continuable else 0.0,
        exposed=exposed,
        joined_lookalike=joined / exposed if exposed else 0.0,
        links=len(links),
        false_rate=wrong / len(links) if links else 0.0,
    )


def table(rows: list[Row]) -> str:
    methods: list[tuple[str, Linker]] = [
        ("**ours** (shipped settings)", ours()),
        ("ours without the rare-names check", ours(min_shared=0)),
        ("topic only: MiniLM cosine ≥ 0.6", topic_only(0.6)),
        ("topic only: MiniLM cosine ≥ 0.7", topic_only(0.7)),
        ("topic only: MiniLM cosine ≥ 0.8", topic_only(0.8)),
    ]
    lines = [
        "| window | method | stories | continuable | recall | look-alike exposed "
        "| joined a look-alike | links | false link rate |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for window in WINDOWS:
        hours = window.total_seconds() / 3600
        found = group_stories([r.item for r in rows], window=window)
        story_of = {a.article_id: a.story_id for a in found}
        for name, linker in methods:
            s = score(rows, story_of, window, linker(rows, story_of, window))
            lines.append(
                f"| {hours:g} h | {name} | {s.stories} | {s.continuable} | {s.recall:.3f} | "
                f"{s.exposed} | {s.joined_lookalike:.3f} | {s.links} | {s.false_rate:.3f} |"
            )
            print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines) + "\n"


THRESHOLDS = [round(0.3 + 0.05 * i, 2) for i in range(9)]
HELD_OUT_WINDOW = timedelta(hours=4)


def held_out(rows: list[Row]) -> str:
    """The threshold tuned on one half of the topics, scored on the other (both ways)."""
    topics = sorted({r.topic for r in rows})
    first = {t for i, t in enumerate(topics) if i % 2 == 0}
    halves = {"A": [r for r in rows if r.topic in first],
              "B": [r for r in rows if r.topic not in first]}  # fmt: skip
    grouped = {}
    for name, half in halves.items():
        found = group_stories([r.item for r in half], window=HELD_OUT_WINDOW)
        grouped[name] = {a.article_id: a.story_id for a in found}

    def run(name: str, threshold: float) -> Scores:
        half, story_of = halves[name], grouped[name]
        links = ours(threshold=threshold)(half, story_of, HELD_OUT_WINDOW)
        return score(half, story_of, HELD_OUT_WINDOW, links)

    lines = [
        "| scored half | threshold (tuned on the other) | continuable | recall "
        "| look-alike exposed | joined a look-alike | links | false link rate |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for scored, tuned in (("A", "B"), ("B", "A")):
        tried = {t: run(tuned, t) for t in THRESHOLDS}
        allowed = [t for t, s in tried.items() if s.joined_lookalike <= 0.05] or [THRESHOLDS[-1]]
        best = max(allowed, key=lambda t: (tried[t].recall, t))
        s = run(scored, best)
        lines.append(
            f"| {scored} | {best:g} | {s.continuable} | {s.recall:.3f} | {s.exposed} | "
            f"{s.joined_lookalike:.3f} | {s.links} | {s.false_rate:.3f} |"
        )
        print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines) + "\n"


def main() -> str:
    if not (DATA / "articles.jsonl").is_file():
        return f"ECB+ dev set not found at {DATA}; skipped.\n"
    rows = load(False, Embedder())
    text = (
        "# Threads on real look-alike events (ECB+ dev)\n\n"
        "Written by `python -m bench.threads`; see its docstring for the method. 515 "
        "articles, 46 events in 23 look-alike pairs; grouping window shrunk so events split.\n\n"
        f"{table(rows)}\n"
        "## The threshold held out (4 h window)\n\n"
        f"{held_out(rows)}"
    )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text)
    return text


if __name__ == "__main__":
    print(main())
