"""New-fact candidates on real follow-ups, for checking by hand.

    python bench/followup_facts.py [--dataset ../shared/datasets/ecbplus-dev]

ECB+ groups real articles by event. Each *layout* says, by position in an event's articles
(sorted by ``published``), which articles the reader was sent and which later ones are
follow-ups; each follow-up is compared with the sent articles alone. Every layout uses
positions no earlier layout looked at, so each gives follow-ups never seen while tuning:

- ``A``: sent = the earliest article; follow-ups = the 2nd and 3rd (rounds *tuning*, *first*,
  *fresh*: events 1-5, 6-31 and 32-46 in the file's order);
- ``B``: sent = the first two articles; follow-ups = the 4th and 5th (round *fresh-2*);
- ``C``: sent = the first three articles; follow-ups = the 6th and 7th (round *fresh-3*);
- ``D``: sent = the first three articles; follow-ups = the 8th and 9th (round *fresh-4*);
- ``E``: sent = the first three articles; follow-ups = the 10th and 11th (round *fresh-5*);
- ``F``: sent = the first three articles; follow-ups = every article from the 12th on (round
  *fresh-6*: the 15 events that long, 55 follow-ups, the latest in each event).

Entities come from the understanding stage, as on the desk. Every new fact that
:func:`develop` shows is written to ``bench/followups/facts.jsonl`` (one line each: round,
event, sent and new article ids, the fact, a ``correct`` label to fill by hand and, from round
*fresh-2* on, ``why``: the reason for the label, as the labeller wrote it). A label
once given is kept when re-run: a labelled fact the rules no longer show stays, marked
``"shown": false``, so that no round's measurement is lost. ``bench/followups/README.md``
says how the labels were given and what they measure.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handpicked.article import Article
from handpicked.understand.developments import SeenVersion, develop
from handpicked.understand.entities import extract_entities

REPO = Path(__file__).resolve().parent.parent
DATASET = REPO.parent / "shared" / "datasets" / "ecbplus-dev"
OUT = REPO / "bench" / "followups" / "facts.jsonl"


@dataclass(frozen=True)
class Layout:
    """Which positions of an event's articles were sent, and which are follow-ups."""

    name: str
    sent: tuple[int, ...]
    follow_ups: tuple[int, ...]

    def round_of(self, event_number: int) -> str:
        """The round a follow-up of the event (1-based, in the file's order) belongs to."""
        if self.name != "A":
            return {"B": "fresh-2", "C": "fresh-3", "D": "fresh-4", "E": "fresh-5",
                    "F": "fresh-6"}[self.name]  # fmt: skip
        return "tuning" if event_number <= 5 else "first" if event_number <= 31 else "fresh"


LAYOUTS = (
    Layout("A", (0,), (1, 2)),
    Layout("B", (0, 1), (3, 4)),
    Layout("C", (0, 1, 2), (5, 6)),
    Layout("D", (0, 1, 2), (7, 8)),
    Layout("E", (0, 1, 2), (9, 10)),
    Layout("F", (0, 1, 2), tuple(range(11, 40))),
)


class Piece:
    """A dataset article as :func:`develop` reads it."""

    def __init__(self, number: int, row: dict[str, str]) -> None:
        self.id = number
        self.key = row["id"]
        self.title = row.get("title")
        self.paragraphs = tuple(p for p in row["text"].split("\n") if p.strip())
        self.site_name = row.get("site") or None
        self.url = row.get("url") or None
        self.canonical_url = row.get("url") or ""
        self.duplicate_of = None
        article = Article(title=self.title, paragraphs=list(self.paragraphs), language="en",
                          url=self.url, site_name=self.site_name)  # fmt: skip
        self.entities = [{"name": e.name, "kind": e.kind} for e in extract_entities(article)]


def _facts(events: dict[str, list[dict[str, str]]], layout: Layout) -> tuple[list[Any], int]:
    """Every fact the layout's follow-ups show, and how many follow-ups there were."""
    lines: list[dict[str, Any]] = []
    follow_ups = 0
    for event_number, (event, members) in enumerate(events.items(), 1):
        members = sorted(members, key=lambda r: (datetime.fromisoformat(r["published"]), r["id"]))
        if len(members) <= layout.follow_ups[0]:
            continue
        sent = [Piece(i, members[i]) for i in layout.sent]
        seen = [SeenVersion(p.id, p.title, p.paragraphs) for p in sent]
        for position in layout.follow_ups:
            if position >= len(members):
                break
            new = Piece(position, members[position])
            found = develop(seen, [*sent, new])
            follow_ups += 1
            for fact in found.shown:
                lines.append({"event": event, "sent": "+".join(p.key for p in sent),
                              "new": new.key, "kind": fact.kind, "fact": fact.text,
                              "correct": None, "round": layout.round_of(event_number)})  # fmt: skip
    return lines, follow_ups


def _merge(lines: list[dict[str, Any]], old_lines: list[dict[str, Any]]) -> list[Any]:
    """The facts shown now, with the labels already given; labelled facts no longer shown
    are kept, marked so."""

    def key(item: dict[str, Any]) -> tuple[str, str, str]:
        return (item["sent"], item["new"], item["fact"])

    old = {key(item): item for item in old_lines}
    now = {key(item) for item in lines}
    merged = []
    for item in lines:
        before = old.get(key(item), {})
        item["correct"] = before.get("correct")
        if "why" in before:
            item["why"] = before["why"]
        merged.append(item)
    for item in old_lines:
        if key(item) not in now and item.get("correct") is not None:
            merged.append({**item, "shown": False})
    return merged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--layouts", default="".join(layout.name for layout in LAYOUTS),
                        help="which layouts to run (letters)")  # fmt: skip
    args = parser.parse_args()
    events: dict[str, list[dict[str, str]]] = defaultdict(list)
    for line in (args.dataset / "articles.jsonl").open():
        row = json.loads(line)
        events[row["event_id"]].append(row)
    lines: list[dict[str, Any]] = []
    follow_ups: dict[str, int] = defaultdict(int)
    for layout in LAYOUTS:
        if layout.name in args.layouts:
            found, count = _facts(events, layout)
            lines += found
            follow_ups[layout.name] = count
    old_lines = []
    if args.out.exists():
        old_lines = [json.loads(line) for line in args.out.read_text().splitlines()]
    merged = _merge(lines, old_lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w") as out:
        for item in merged:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print("follow-ups by layout: " + ", ".join(f"{k} {v}" for k, v in follow_ups.items()))
    for name in dict.fromkeys(item["round"] for item in merged):
        print(_summary(name, [item for item in merged if item["round"] == name]))
    return 0


def _summary(name: str, items: list[dict[str, Any]]) -> str:
    """A round's precision as labelled, and over the facts the rules show now."""
    labelled = [i for i in items if i["correct"] is not None]
    shown = [i for i in labelled if i.get("shown", True)]
    showing = len({(i["sent"], i["new"]) for i in items if i.get("shown", True)})
    parts = [f"{name}: {showing} follow-ups show {len(items)} facts, {len(labelled)} labelled"]
    for what, group in (("as labelled", labelled), ("shown now", shown)):
        if group:
            right = sum(1 for i in group if i["correct"])
            parts.append(f"{what} {right}/{len(group)} = {right / len(group):.3f}")
    return "; ".join(parts)


if __name__ == "__main__":
    sys.exit(main())
