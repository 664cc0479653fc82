"""Which look-alike events the story grouping merges on ECB+ dev, held out, one by one.

    python -m bench.ecbplus_merges

Precision is lost in a few places, and each calls for another fix: a stray article (one
report of the look-alike event joins, often one with a junk first sentence) or a whole event
following its look-alike in once the first of its reports got in (the story's mean then holds
one of its own). For each half, the settings are tuned on the other half exactly as in
:mod:`bench.ecbplus`; every story that mixes events is listed with how many of its articles
each event holds, and the titles (in time order) of the articles of every event but its
largest. Written to ``bench/results/ecbplus_merges.md``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from bench.ecbplus import DATA, OURS_GRID, Row, _show, f1, fitted, load, ours
from handpicked.understand.embeddings import Embedder

RESULTS = Path(__file__).parent / "results" / "ecbplus_merges.md"


def halves(rows: list[Row]) -> dict[str, list[Row]]:
    """The topics dealt alternately into halves A and B, as :func:`bench.ecbplus.held_out`."""
    topics = sorted({r.topic for r in rows})
    half_a = {t for i, t in enumerate(topics) if i % 2 == 0}
    return {
        "A": [r for r in rows if r.topic in half_a],
        "B": [r for r in rows if r.topic not in half_a],
    }


def merges(rows: list[Row], labels: list[int]) -> list[str]:
    """One markdown block per story that holds more than one event."""
    members: dict[int, list[Row]] = defaultdict(list)
    for row, label in zip(rows, labels, strict=True):
        members[label].append(row)
    blocks = []
    for story in members.values():
        events = Counter(r.event for r in story)
        if len(events) < 2:
            continue
        (leader, _), *others = events.most_common()
        kind = "stray article" if sum(n for _, n in others) == 1 else "events merged"
        counts = ", ".join(f"{event} x{n}" for event, n in events.most_common())
        lines = [f"- **{kind}**: {counts}"]
        lines += [
            f"  - {r.published:%m-%d %H}h {r.event}: {(r.item.title or '')[:90]}"
            for r in story
            if r.event != leader
        ]
        blocks.append("\n".join(lines))
    return blocks


def report(headline_only: bool, embedder: Embedder) -> str:
    rows = load(headline_only, embedder)
    split = halves(rows)
    make = fitted(OURS_GRID["headline" if headline_only else "full"])
    out = []
    for scored, tuned in (("A", "B"), ("B", "A")):
        grid = make(split[tuned])
        best = max(grid, key=lambda s: f1(split[tuned], ours(split[tuned], s))[2])
        labels = ours(split[scored], best)
        p, r, f = f1(split[scored], labels)
        out.append(f"### {scored} (tuned on {tuned}: {_show(best)}): {p:.3f} / {r:.3f} / {f:.3f}\n")
        out += merges(split[scored], labels) or ["No story mixes events."]
        out.append("")
    return "\n".join(out)


def main() -> str:
    if not (DATA / "articles.jsonl").is_file():
        return f"ECB+ dev set not found at {DATA}; skipped.\n"
    embedder = Embedder()
    text = (
        "# Look-alike events merged on ECB+ dev (held out)\n\n"
        "Written by `python -m bench.ecbplus_merges`; B-cubed precision / recall / F1.\n\n"
        f"## Full text\n\n{report(False, embedder)}\n"
        f"## Headline only\n\n{report(True, embedder)}"
    )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text)
    return text


if __name__ == "__main__":
    print(main())
