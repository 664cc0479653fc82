"""New-fact candidates on real follow-ups, for checking by hand.

    python bench/followup_facts.py [--dataset ../shared/datasets/ecbplus-dev] [--events N]

ECB+ groups real articles by event. For each event (in the dataset's order) the earliest
article by ``published`` is taken as what the reader was sent, and the next one, and the one
after, as two follow-ups: each its own follow-up of the first alone. Entities come from the
understanding stage, as on the desk. Every new fact that :func:`develop` shows is written to
``bench/followups/facts.jsonl`` (one line each: event, sent and new article ids, the fact,
and a ``correct`` label to fill by hand); ``bench/followups/README.md`` says how the labels
were given and what they measure.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handpicked.article import Article
from handpicked.understand.developments import SeenVersion, develop
from handpicked.understand.entities import extract_entities

REPO = Path(__file__).resolve().parent.parent
DATASET = REPO.parent / "shared" / "datasets" / "ecbplus-dev"
OUT = REPO / "bench" / "followups" / "facts.jsonl"


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--events", type=int, default=46)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = [json.loads(line) for line in (args.dataset / "articles.jsonl").open()]
    events: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        events[row["event_id"]].append(row)
    lines = []
    follow_ups = real = 0
    for event, members in list(events.items())[: args.events]:
        members.sort(key=lambda r: (datetime.fromisoformat(r["published"]), r["id"]))
        sent = Piece(0, members[0])
        seen = [SeenVersion(0, sent.title, sent.paragraphs)]
        for number, row in enumerate(members[1:3], 1):
            new = Piece(number, row)
            found = develop(seen, [sent, new])
            follow_ups += 1
            real += found.is_real
            for fact in found.shown:
                lines.append({"event": event, "sent": sent.key, "new": new.key,
                              "kind": fact.kind, "fact": fact.text, "correct": None})  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    old = {}
    if args.out.exists():  # keep labels already given
        for line in args.out.read_text().splitlines():
            item = json.loads(line)
            old[(item["new"], item["fact"])] = item
    with args.out.open("w") as out:
        for item in lines:
            before = old.get((item["new"], item["fact"]), {})
            item["correct"] = before.get("correct")
            if "round" in before:
                item["round"] = before["round"]
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    labelled = [i for i in lines if i["correct"] is not None]
    right = sum(1 for i in labelled if i["correct"])
    print(
        f"{follow_ups} follow-ups, {real} with a development, {len(lines)} facts shown; "
        f"{len(labelled)} labelled, {right} correct"
        + (f" (precision {right / len(labelled):.3f})" if labelled else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
