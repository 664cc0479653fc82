"""Story-grouping throughput: 100,000 synthetic articles around synthetic events over 30 days.

Embeddings are drawn around random unit centroids (one per event), events start uniformly over
30 days and their articles follow within about a day (exponential), as real coverage does.
Quality: B-cubed precision/recall/F1 on the hand-written set in tests/fixtures/stories, with
MiniLM embeddings of title + body and capitalised title words as entity keys. Defaults were
picked by a small sweep on this whole set (no held-out half yet: the set is too small to split),
so these scores are optimistic.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from handpicked.understand.embeddings import Embedder, story_text
from handpicked.understand.stories import StoryItem, group_stories

FIXTURE = Path(__file__).parent.parent / "tests" / "fixtures" / "stories" / "stories.jsonl"
RESULTS = Path(__file__).parent / "results" / "stories.md"


def synthetic(n: int, events: int, seed: int = 7) -> list[StoryItem]:
    """``n`` articles spread over ``events`` events; noise keeps members at cosine ~0.8."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(events, 384)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    start = rng.uniform(0, 30 * 86400, size=events)
    which = rng.integers(0, events, size=n)
    offsets = rng.exponential(8 * 3600, size=n)
    vectors = centres[which] + rng.normal(scale=0.75 / np.sqrt(384), size=(n, 384))
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        StoryItem(
            str(i),
            vectors[i].astype(np.float32),
            None,
            (),
            t0 + timedelta(seconds=float(start[which[i]] + offsets[i])),
            f"site{i % 50}",
        )
        for i in range(n)
    ]


def bcubed(gold: list[str], found: list[int]) -> tuple[float, float, float]:
    """Mean per-article precision and recall of the predicted cluster against the true one."""
    precision = recall = 0.0
    for g, f in zip(gold, found, strict=True):
        same_found = [i for i, x in enumerate(found) if x == f]
        same_gold = [i for i, x in enumerate(gold) if x == g]
        both = sum(1 for i in same_found if gold[i] == g)
        precision += both / len(same_found)
        recall += both / len(same_gold)
    p, r = precision / len(gold), recall / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def quality() -> str:
    rows = [json.loads(line) for line in FIXTURE.read_text().splitlines() if line.strip()]
    vectors = Embedder().embed([story_text(r["title"], r["text"]) for r in rows])
    items = [
        StoryItem(
            r["id"],
            vectors[i],
            r["title"],
            [w for w in r["title"].split()[1:] if w[:1].isupper()],
            datetime.fromisoformat(r["published"]),
            r["site"],
        )
        for i, r in enumerate(rows)
    ]
    story = {a.article_id: a.story_id for a in group_stories(items)}
    p, r, f = bcubed([row["event"] for row in rows], [story[row["id"]] for row in rows])
    return (
        "| articles | events | B-cubed precision | recall | F1 |\n|---|---|---|---|---|\n"
        f"| {len(rows)} | {len({row['event'] for row in rows})} | {p:.3f} | {r:.3f} | {f:.3f} |\n"
    )


def main(n: int = 100_000, events: int = 20_000) -> str:
    items = synthetic(n, events)
    begin = time.perf_counter()
    result = group_stories(items)
    seconds = time.perf_counter() - begin
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stories = len({r.story_id for r in result})
    table = (
        "| articles | true events | stories found | seconds | articles/s | peak RSS MB |\n"
        "|---|---|---|---|---|---|\n"
        f"| {n} | {events} | {stories} | {seconds:.1f} | {n / seconds:.0f} | {peak:.0f} |\n"
    )
    text = f"# Stories\n\n## Quality (labelled set)\n\n{quality()}\n## Throughput\n\n{table}"
    RESULTS.write_text(text)
    return text


if __name__ == "__main__":
    print(main(*(int(a) for a in sys.argv[1:])))
