"""Reading-state benchmark: what All stories, Saved and the sync API ask of the store for a
reader with a big backlog.

    python bench/reading.py [--articles N] [--repeat N] [--database-url URL]

A fresh store (SQLite in a temporary folder, or the empty database ``--database-url`` names)
gets ``--articles`` articles (default 100,000; one in twenty a syndicated copy, one in fifty
not an article) found over 30 days from 300 sources, and one reader who has read 5,000 of
them by hand, marked 500 unread, saved 300 and used "mark all as read" up to the middle of
the month. Each operation then runs ``--repeat`` times; the table gives the median CPU time
(``time.process_time``) of one call, in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from handpicked.store import Store, open_store
from handpicked.store.tables import ArticleRow, SourceRow

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SOURCES = 300
BATCH = 5000


def _fill(store: Store, articles: int, rng: random.Random) -> list[int]:
    with store.engine.begin() as connection:
        connection.execute(
            insert(SourceRow),
            [
                {"url": f"https://s{n}.example/feed", "kind": "feed", "poll_interval_s": 1800,
                 "error_count": 0, "created_at": NOW}
                for n in range(1, SOURCES + 1)
            ],
        )  # fmt: skip
        for start in range(0, articles, BATCH):
            rows = []
            for n in range(start, min(start + BATCH, articles)):
                found = NOW - timedelta(seconds=rng.uniform(0, 30 * 86400))
                rows.append(
                    {"canonical_url": f"https://s{n % SOURCES + 1}.example/{n}",
                     "source_id": n % SOURCES + 1, "fetched_at": found, "published": found,
                     "title": f"Story {n}", "authors": [], "tags": [], "text": "Words. " * 50,
                     "lead": "A lead.", "paragraphs": ["Words. " * 50], "pull_quotes": [],
                     "images": [], "editors": [], "is_article": n % 50 != 0, "word_count": 50,
                     "content_hash": f"{n:064x}",
                     "duplicate_of": 1 if n % 20 == 0 and n > 0 else None}
                )  # fmt: skip
            connection.execute(insert(ArticleRow), rows)
    return list(range(1, articles + 1))


def _median_ms(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        call()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'reading.db'}"
        with open_store(url) as store:
            ids = _fill(store, args.articles, rng)
            reader = store.readers.add(
                "bench@example.com", time_zone="UTC", schedule="daily 07:00", now=NOW
            ).id
            reading = store.reading
            reading.mark_read(reader, rng.sample(ids, 5000), NOW)
            reading.mark_all_read(reader, NOW - timedelta(days=15), NOW)
            reading.mark_unread(reader, rng.sample(ids, 500), NOW)
            reading.save(reader, rng.sample(ids, 300), NOW)
            page_ids = [entry.article.id for entry in reading.entries(reader, limit=30)]
            some = rng.sample(ids, 1000)
            operations: list[tuple[str, Callable[[], object]]] = [
                ("unread count", lambda: reading.count(reader, "unread")),
                ("unread counts per source", lambda: reading.unread_counts(reader)),
                ("All stories, page 1 (30)", lambda: reading.entries(reader, limit=30)),
                ("Unread, page 1 (30)", lambda: reading.entries(reader, "unread", limit=30)),
                ("All stories, page 1000 (30)",
                 lambda: reading.entries(reader, limit=30, offset=29_970)),
                ("Saved, page 1 (30)", lambda: reading.saved(reader, limit=30)),
                ("states of a page (30)", lambda: reading.states(reader, page_ids)),
                ("unread ids, newest 1,000", lambda: reading.ids(reader, "unread", limit=1000)),
                ("mark 1,000 read", lambda: reading.mark_read(reader, some, NOW)),
                ("mark all as read", lambda: reading.mark_all_read(reader, NOW, NOW)),
            ]  # fmt: skip
            dialect = store.engine.dialect.name
            today = f"{datetime.now(UTC):%Y-%m-%d}"
            print(f"Reading state on {dialect}, {args.articles:,} articles, one reader "
                  f"(median CPU ms of {args.repeat} calls, {today})\n")  # fmt: skip
            print("| operation | CPU ms |\n|---|---:|")
            for name, call in operations:
                print(f"| {name} | {_median_ms(call, args.repeat):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
