"""Search benchmark: query latency over 100,000 stored articles, on SQLite (and PostgreSQL).

    python bench/search.py [--articles N] [--queries N] [--database-url URL] [--rebuild]

The corpus is synthesised from real news text: the articles of the WCXB and ECB+ dev sets
(``../shared/datasets``) and the bundled sample. Each stored article takes a real article's
title, author and site, a run of its paragraphs and a few paragraphs of two other real
articles, a language (that of the base article) and a date in the 60 days before a fixed
"now"; so words keep their real frequencies and co-occurrences, and no two stored articles
are the same text. It is written once through the store (so the search triggers index it)
into ``/tmp/handpicked-bench-search/articles-N.db`` and reused by later runs (``--rebuild``
makes it anew); a PostgreSQL database named by ``--database-url`` is filled when empty.

The queries are drawn from the corpus with a fixed seed, so runs compare: single words that
are rare (under 0.1% of the articles), middling (0.1-2%) and common (over 2%), two words,
quoted phrases from titles, prefixes, ``OR`` and ``-`` queries, and single words with
filters (a language, the last 7 days, one site). Each query is one call of the desk's
search (parse, the engine's ranked query for the first 20 hits, loading those articles and
cutting their snippets), timed by CPU time of this process (SQLite runs in it) and by wall
time; every query is run once to warm the caches first. The table is printed and written to
``bench/results/search.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy

from handpicked.desk.context import DeskContext
from handpicked.desk.search import Search, SearchRequest
from handpicked.settings import load_settings
from handpicked.store import Store, open_store
from handpicked.store.articles import content_hash
from handpicked.store.tables import ArticleRow

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"
SAMPLE = Path(__file__).resolve().parents[1] / "src" / "handpicked" / "data" / "sample"
CACHE = Path("/tmp/handpicked-bench-search")
RESULTS = Path(__file__).parent / "results" / "search.md"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
GOAL_P95_MS = 50.0
_WORD = re.compile(r"[^\W\d_]{3,}")
_BATCH = 2000


@dataclass(frozen=True, slots=True)
class Source:
    """A real article the synthetic ones are made from."""

    title: str
    author: str | None
    host: str
    language: str
    paragraphs: tuple[str, ...]


def real_articles() -> list[Source]:
    """The dev sets' and the sample's articles with a title and some text."""
    found: list[Source] = []
    for path in sorted((SHARED / "wcxb-dev" / "ground-truth").glob("*.json")):
        data = json.loads(path.read_text())
        truth = data.get("ground_truth") or {}
        _add(
            found,
            truth.get("title"),
            truth.get("author"),
            data.get("url"),
            truth.get("language") or data.get("language") or "en",
            str(truth.get("main_content") or "").split("\n"),
        )
    ecb = SHARED / "ecbplus-dev" / "articles.jsonl"
    if ecb.exists():
        for line in ecb.read_text().splitlines():
            data = json.loads(line)
            _add(
                found,
                data.get("title"),
                None,
                f"https://ecb.example/{data.get('id')}",
                data.get("lang") or "en",
                str(data.get("text") or "").split("\n"),
            )
    for line in (SAMPLE / "articles.jsonl").read_text().splitlines():
        data = json.loads(line)
        authors = data.get("authors") or [None]
        _add(
            found,
            data.get("title"),
            authors[0],
            data.get("url"),
            data.get("language") or "en",
            data.get("paragraphs") or [],
        )
    if not found:
        raise SystemExit("no real articles found: run from a checkout beside ../shared")
    return found


def _add(
    found: list[Source], title: Any, author: Any, url: Any, language: str, paragraphs: list[Any]
) -> None:
    kept = tuple(p.strip() for p in paragraphs if isinstance(p, str) and len(p.split()) >= 5)
    if isinstance(title, str) and title.strip() and kept:
        host = (urlsplit(str(url)).hostname or "site.example").removeprefix("www.")
        name = author if isinstance(author, str) and author.strip() else None
        found.append(Source(title.strip(), name, host, language[:2].lower(), kept[:60]))


def synthetic_rows(sources: list[Source], n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """The rows of ``n`` synthetic articles (see the module docstring)."""
    rng = random.Random(seed)
    for number in range(n):
        base = rng.choice(sources)
        start = rng.randrange(len(base.paragraphs))
        own = list(base.paragraphs[start : start + rng.randint(3, 12)])
        for other in rng.sample(sources, 2):
            own.insert(rng.randint(0, len(own)), rng.choice(other.paragraphs))
        text = "\n\n".join(own)
        fetched = NOW - timedelta(minutes=rng.randrange(60 * 24 * 60))
        yield {
            "canonical_url": f"https://{base.host}/a/{number}",
            "url": f"https://{base.host}/a/{number}",
            "fetched_at": fetched,
            "published": fetched - timedelta(minutes=rng.randrange(120)),
            "title": base.title,
            "authors": [base.author] if base.author else [],
            "site_name": base.host,
            "language": base.language,
            "lead": own[0][:300],
            "text": text,
            "paragraphs": own,
            "tags": [],
            "pull_quotes": [],
            "images": [],
            "editors": [],
            "is_article": True,
            "word_count": len(text.split()),
            "content_hash": content_hash(text),
        }


def corpus(store: Store, sources: list[Source], n: int) -> float:
    """Fill the store with ``n`` articles unless it has them; seconds it took (0 if cached)."""
    if store.articles.count() >= n:
        return 0.0
    begin = time.perf_counter()
    rows = synthetic_rows(sources, n)
    with store.engine.begin() as connection:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == _BATCH:
                connection.execute(sqlalchemy.insert(ArticleRow), batch)
                batch = []
        if batch:
            connection.execute(sqlalchemy.insert(ArticleRow), batch)
    return time.perf_counter() - begin


Query = tuple[str, str, dict[str, str]]
"""A query's kind, its text and its filters."""


def query_set(sources: list[Source], n: int, seed: int = 11) -> list[Query]:
    """``n`` varied queries, the same kinds in equal numbers."""
    rng = random.Random(seed)
    frequency: Counter[str] = Counter()
    for source in sources:
        frequency.update({w.casefold() for p in source.paragraphs for w in _WORD.findall(p)})
    share = {word: count / len(sources) for word, count in frequency.items()}
    rare = sorted(w for w, count in frequency.items() if count <= 2)
    middling = sorted(w for w, s in share.items() if 0.005 <= s < 0.03)
    common = sorted(w for w, s in share.items() if s >= 0.05)
    hosts = sorted({s.host for s in sources})
    titles = [s.title for s in sources if len(s.title.split()) >= 3]
    kinds: list[tuple[str, Callable[[], tuple[str, dict[str, str]]]]] = [
        ("rare word", lambda: (rng.choice(rare), {})),
        ("middling word", lambda: (rng.choice(middling), {})),
        ("common word", lambda: (rng.choice(common), {})),
        ("two words", lambda: (f"{rng.choice(middling)} {rng.choice(common)}", {})),
        ("phrase", lambda: (_phrase(rng, titles), {})),
        ("prefix", lambda: (rng.choice(middling)[:4] + "*", {})),
        (
            "or / not",
            lambda: (f"{rng.choice(middling)} OR {rng.choice(middling)} -{rng.choice(common)}", {}),
        ),
        ("word + language", lambda: (rng.choice(common), {"language": "en"})),
        (
            "word + last 7 days",
            lambda: (rng.choice(middling), {"since": (NOW - timedelta(days=7)).date().isoformat()}),
        ),
        ("word + site", lambda: (rng.choice(common), {"source": rng.choice(hosts)})),
    ]
    per_kind = max(1, n // len(kinds))
    return [(kind, *make()) for kind, make in kinds for _ in range(per_kind)]


def _phrase(rng: random.Random, titles: list[str]) -> str:
    words = rng.choice(titles).split()
    start = rng.randrange(len(words) - 1)
    return '"' + " ".join(words[start : start + 2]).replace('"', "") + '"'


def measure(search: Search, queries: list[Query]) -> list[dict[str, Any]]:
    """Per query: kind, CPU and wall milliseconds, hits on the first page."""
    timings = []
    for _kind, query, filters in queries:  # warm the caches once
        search.find(_request(query, filters))
    for kind, query, filters in queries:
        cpu, wall = time.process_time(), time.perf_counter()
        page = search.find(_request(query, filters))
        timings.append(
            {
                "kind": kind,
                "query": query,
                "cpu_ms": (time.process_time() - cpu) * 1000,
                "wall_ms": (time.perf_counter() - wall) * 1000,
                "hits": len(page.found),
            }
        )
    return timings


def _request(query: str, filters: dict[str, str]) -> SearchRequest:
    return SearchRequest(
        query=query,
        source=filters.get("source"),
        language=filters.get("language"),
        since=filters.get("since"),
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def table(engine: str, timings: list[dict[str, Any]]) -> str:
    lines = [
        f"| {engine}: query kind | queries | CPU p50 ms | CPU p95 ms | wall p50 ms | "
        "wall p95 ms | mean hits shown |",
        "|---|---|---|---|---|---|---|",
    ]
    kinds = list(dict.fromkeys(t["kind"] for t in timings))
    for kind in [*kinds, "all"]:
        rows = [t for t in timings if kind in ("all", t["kind"])]
        cpu = [t["cpu_ms"] for t in rows]
        wall = [t["wall_ms"] for t in rows]
        name = f"**{kind}**" if kind == "all" else kind
        lines.append(
            f"| {name} | {len(rows)} | {percentile(cpu, 0.5):.1f} | {percentile(cpu, 0.95):.1f} "
            f"| {percentile(wall, 0.5):.1f} | {percentile(wall, 0.95):.1f} "
            f"| {statistics.mean(t['hits'] for t in rows):.1f} |"
        )
    return "\n".join(lines) + "\n"


def run(url: str, sources: list[Source], n: int, queries: list[Query]) -> tuple[str, float, int]:
    with open_store(url) as store:
        built = corpus(store, sources, n)
        count = store.articles.count()
        search = Search(DeskContext(store, load_settings()))
        return table(store.engine.dialect.name, measure(search, queries)), built, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--database-url", help="also measure on this PostgreSQL database")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    sources = real_articles()
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"articles-{args.articles}.db"
    if args.rebuild and path.exists():
        path.unlink()
    queries = query_set(sources, args.queries)
    sqlite_table, built, count = run(f"sqlite:///{path}", sources, args.articles, queries)
    tables = [sqlite_table]
    if args.database_url:
        tables.append(run(args.database_url, sources, args.articles, queries)[0])
    size = sum(f.stat().st_size for f in CACHE.glob(f"articles-{args.articles}.db*")) / 2**20
    text = (
        "# Search\n\n"
        f"Written by `python bench/search.py` on {datetime.now(UTC):%Y-%m-%d}; see its "
        "docstring for the method.\n\n"
        f"{count:,} stored articles synthesised from {len(sources):,} real ones; "
        f"SQLite file {size:,.0f} MiB"
        + (f", written and indexed in {built:.0f} s" if built else "")
        + f". {len(queries)} queries, each the first page of 20 hits with snippets. "
        f"Goal: p95 under {GOAL_P95_MS:.0f} ms on SQLite.\n\n" + "\n".join(tables)
    )
    if args.articles == 100_000:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
