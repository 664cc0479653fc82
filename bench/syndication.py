"""Syndication benchmark: are copies of one article merged, and distinct articles kept apart?

Each WCXB dev ARTICLE page is the original (its real HTML); two syndicated copies re-wrap its
ground-truth body in other page templates (nav, cookie banner, related links, footer, another
headline, an "originally appeared in" line) with light edits: a changed word in some
paragraphs, other quote and dash styles, maybe the last paragraph dropped or an editor's note
added. Everything goes through the real pipeline, shuffled: ``extract(html).text`` ->
``fingerprint`` -> ``DuplicateIndex.add``; each add links a page to its best earlier match and
the links make clusters. Distinct dev articles are the negatives.

    python bench/syndication.py [--dataset PATH] [--limit N] [--jobs N] [--seed N]

Bodies under 50 words are left out: by design they match exact copies only.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import sys
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

# Runnable as `python bench/syndication.py`: the repository root must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dataset import DEFAULT_DATASET, REPO_ROOT, DatasetError, Page, load_pages, read_html
from bench.memory import peak_rss_mb
from handpicked import extract
from handpicked.understand import duplicates
from handpicked.understand.duplicates import DuplicateIndex, Fingerprint, fingerprint

RESULTS = REPO_ROOT / "bench" / "results" / "syndication.md"
MIN_WORDS = 50
OUTLETS = ("The Metro Wire", "Northern Courier", "Daily Digest Online", "Coastline Times")
SWAPS = {
    "said": "stated",
    "says": "notes",
    "but": "yet",
    "also": "too",
    "very": "really",
    "many": "numerous",
    "big": "large",
    "help": "assist",
    "new": "fresh",
    "important": "key",
    "the": "this",
}


@dataclass(frozen=True, slots=True)
class Doc:
    """One page of the set: which dev article it carries and which version."""

    article: int
    version: int
    html: str


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def edit(body: str, rng: random.Random) -> list[str]:
    """Light edits an outlet makes: a word here and there, quote and dash style, the last
    paragraph dropped or an editor's note added."""
    paragraphs = _paragraphs(body)
    out = []
    for paragraph in paragraphs:
        words = paragraph.split(" ")
        if len(words) > 12 and rng.random() < 0.5:
            spots = [i for i, w in enumerate(words) if w.casefold() in SWAPS]
            if spots:
                i = rng.choice(spots)
                words[i] = SWAPS[words[i].casefold()]
        text = " ".join(words)
        if rng.random() < 0.5:
            text = text.replace("'", "’").replace('"', "“").replace(" - ", " — ")
        else:
            text = text.replace("’", "'").replace("“", '"').replace("”", '"').replace("—", "--")
        out.append(text)
    roll = rng.random()
    if roll < 0.25 and len(out) >= 4:
        out.pop()
    elif roll < 0.5:
        out.append("Editor's note: this article has been updated with additional reporting.")
    return out


def _chrome_links(rng: random.Random, count: int) -> str:
    topics = ["Politics", "Business", "Sport", "Culture", "Science", "Travel", "Opinion"]
    return "".join(f'<li><a href="/{t.lower()}">{t}</a></li>' for t in rng.sample(topics, count))


def _related(rng: random.Random) -> str:
    heads = [
        "Ten things to know before the weekend",
        "Markets close higher after a quiet session",
        "Our readers' favourite recipes this year",
        "Weather: storms expected along the coast",
        "How to save on energy bills this winter",
    ]
    items = "".join(
        f'<li><a href="/r/{i}">{h}</a></li>' for i, h in enumerate(rng.sample(heads, 3))
    )
    return f'<aside class="related"><h3>Related</h3><ul>{items}</ul></aside>'


def render(
    template: int,
    title: str,
    paragraphs: Sequence[str],
    source: str,
    outlet: str,
    rng: random.Random,
) -> str:
    """One of four page layouts around the body, each with its own chrome."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    title = html.escape(title)
    credit = f"<p class='credit'>This story originally appeared in {html.escape(source)}.</p>"
    nav = f"<nav><ul>{_chrome_links(rng, 5)}</ul></nav>"
    footer = f"<footer><p>© 2025 {outlet}. All rights reserved.</p>{_chrome_links(rng, 3)}</footer>"
    head = f"<head><meta charset='utf-8'><title>{title} | {outlet}</title></head>"
    if template == 0:
        main = (
            f"<header>{nav}</header><main><article><h1>{title}</h1>"
            f"<div class='byline'>By Staff</div><div class='article-body'>{body}</div>"
            f"{credit}</article>{_related(rng)}</main>{footer}"
        )
    elif template == 1:
        main = (
            "<div id='cookie-banner'>We use cookies to improve your experience. "
            "<button>Accept</button></div>"
            f"{nav}<div class='content'><h1 class='headline'>Syndicated: {title}</h1>"
            f"{credit}<section class='story'>{body}</section>"
            "<div class='share'>Share this story: Facebook Twitter Email</div></div>"
            f"<div class='sidebar'>{_related(rng)}</div>{footer}"
        )
    elif template == 2:
        main = (
            f"<div class='top'>{nav}<form><input name='q'></form></div>"
            f"<article class='post'><header><h2>{title}</h2><time>Today</time></header>"
            f"<div class='entry-content'>{body}<div class='newsletter'>Sign up for our "
            "newsletter to get the day's top stories.</div></div></article>"
            f"{credit}{_related(rng)}{footer}"
        )
    else:
        main = (
            f"<table><tr><td>{nav}</td></tr><tr><td><h1>{title}</h1><div id='text'>"
            f"{body}</div>{credit}</td><td>{_related(rng)}</td></tr></table>{footer}"
        )
    return f"<!doctype html><html>{head}<body>{main}</body></html>"


def build(pages: Sequence[Page], seed: int) -> list[Doc]:
    """The original page and two syndicated copies per article."""
    rng = random.Random(seed)
    docs: list[Doc] = []
    for number, page in enumerate(pages):
        docs.append(Doc(number, 0, read_html(page.html_path).text))
        templates = rng.sample(range(4), 2)
        for version, template in enumerate(templates, start=1):
            outlet = rng.choice(OUTLETS)
            title = page.title or "Untitled"
            if rng.random() < 0.5:
                title = f"{title.split(':')[0]} — what we know"
            source = page.url.split("/")[2] if page.url and "//" in page.url else "the original"
            docs.append(
                Doc(
                    number,
                    version,
                    render(template, title, edit(page.body, rng), source, outlet, rng),
                )
            )
    rng.shuffle(docs)
    return docs


def _extract_text(doc: Doc) -> str:
    return extract(doc.html).text


def clusters(links: dict[int, int], size: int) -> list[int]:
    """Union-find roots of every doc, from each doc's link to its best earlier match."""
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for child, target in links.items():
        parent[root(child)] = root(target)
    return [root(i) for i in range(size)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--limit", type=int, default=None, help="first N dev pages only")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=20251125)
    args = parser.parse_args(argv)
    try:
        all_pages = load_pages(args.dataset, args.limit)
    except DatasetError as error:
        print(error, file=sys.stderr)
        return 2
    pages = [p for p in all_pages if p.is_article and len(p.body.split()) >= MIN_WORDS]
    docs = build(pages, args.seed)
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
        texts = list(pool.map(_extract_text, docs, chunksize=8))
    extract_s = time.perf_counter() - start

    start = time.perf_counter()
    fps = [fingerprint(text) for text in texts]
    fp_s = time.perf_counter() - start
    index = DuplicateIndex()
    links: dict[int, int] = {}
    start = time.perf_counter()
    for i, fp in enumerate(fps):
        match = index.add(i, fp)
        if match is not None:
            links[i] = match.article_id
    add_s = time.perf_counter() - start
    index_bytes = _index_memory(fps)

    roots = clusters(links, len(docs))
    report = evaluate(docs, roots, texts, pages)
    table = render_report(report, pages, len(pages), len(docs), fp_s, add_s, extract_s, index_bytes)
    print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(table, encoding="utf-8")
    return 0


def _index_memory(fps: Sequence[Fingerprint]) -> int:
    tracemalloc.start()
    index = DuplicateIndex()
    for i, fp in enumerate(fps):
        index.add(i, fp)
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return size


@dataclass
class Report:
    true_pairs: int
    found_true: int
    predicted: int
    false_pairs: list[tuple[int, int]]
    distinct_pairs: int
    wrongly_merged: int
    missed: list[tuple[int, int, int]]


def evaluate(
    docs: Sequence[Doc], roots: Sequence[int], texts: Sequence[str], pages: Sequence[Page]
) -> Report:
    """Pairwise precision/recall over clusters; false merges counted per article pair."""
    members: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(roots):
        members[r].append(i)
    predicted = found_true = 0
    false_articles: set[tuple[int, int]] = set()
    for group in members.values():
        for x, y in combinations(group, 2):
            predicted += 1
            if docs[x].article == docs[y].article:
                found_true += 1
            else:
                pair = sorted((docs[x].article, docs[y].article))
                false_articles.add((pair[0], pair[1]))
    by_article: dict[int, list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        by_article[doc.article].append(i)
    missed = []
    for article, group in by_article.items():
        for x, y in combinations(group, 2):
            if roots[x] != roots[y]:
                pair = sorted((docs[x].version, docs[y].version))
                missed.append((article, pair[0], pair[1]))
    n = len(pages)
    wrong = {a for pair in false_articles for a in pair}
    return Report(
        3 * n, found_true, predicted, sorted(false_articles), n * (n - 1) // 2, len(wrong), missed
    )


def render_report(
    r: Report,
    pages: Sequence[Page],
    articles: int,
    docs: int,
    fp_s: float,
    add_s: float,
    extract_s: float,
    index_bytes: int,
) -> str:
    precision = r.found_true / r.predicted if r.predicted else 1.0
    recall = r.found_true / r.true_pairs if r.true_pairs else 1.0
    rate = len(r.false_pairs) / r.distinct_pairs if r.distinct_pairs else 0.0
    copies_missed = sum(1 for _, x, _ in r.missed if x > 0)
    peak_mb = peak_rss_mb()
    lines = [
        "# Syndication: near-duplicate detection on syndicated copies",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores; {articles} WCXB dev "
        f"articles (>= {MIN_WORDS} words) x 3 versions = {docs} pages, through extract -> "
        "fingerprint -> DuplicateIndex.add, shuffled.",
        f"Thresholds: Jaccard >= {duplicates.JACCARD}, or containment >= "
        f"{duplicates.CONTAINMENT} with length ratio >= {duplicates.LENGTH_RATIO}; "
        f"under {duplicates.SHORT_WORDS} words Jaccard >= {duplicates.SHORT_JACCARD}; "
        f"LSH {duplicates.BANDS} bands x {duplicates.ROWS} rows.",
        "",
        "| measure | value | goal |",
        "|---|---:|---:|",
        f"| same-article pair precision | {precision:.4f} | >= 0.99 |",
        f"| same-article pair recall | {recall:.4f} ({r.found_true}/{r.true_pairs}) | >= 0.98 |",
        f"| false merges, distinct article pairs | {len(r.false_pairs)} of "
        f"{r.distinct_pairs:,} ({rate:.5%}) | < 0.1% |",
        f"| recall, copy vs copy (extraction of the real page left out) | "
        f"{1 - copies_missed / max(r.true_pairs // 3, 1):.4f} | |",
        f"| distinct articles wrongly merged | {r.wrongly_merged} of {articles} "
        f"({r.wrongly_merged / max(articles, 1):.2%}) | |",
        f"| fingerprints/s | {docs / fp_s:,.0f} | |",
        f"| index adds/s | {docs / add_s:,.0f} | |",
        f"| index memory (tracemalloc) | {index_bytes / 1_048_576:.1f} MB "
        f"({index_bytes / docs / 1024:.1f} KB/page) | |",
        f"| peak RSS of this process | {peak_mb:.0f} MB | |",
        f"| extraction (parallel, for scale) | {extract_s:.1f} s | |",
        "",
    ]
    if r.missed:
        lines.append(
            "Missed same-article pairs (article, version, version; 0 = the real page, whose "
            "extraction differs from the ground truth in most of these): "
            + ", ".join(f"{a}:{x}-{y}" for a, x, y in r.missed[:30])
        )
        lines.append("")
    if r.false_pairs:
        lines.append("False merges (check whether they are true duplicates):")
        lines.extend(
            f"- {pages[a].page_id} {pages[a].url} = {pages[b].page_id} {pages[b].url}"
            for a, b in r.false_pairs[:30]
        )
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
