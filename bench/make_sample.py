"""Rebuild the offline sample that ``handpicked try`` loads: the seed pair and a few dozen news
articles from the WCXB dev set, extracted by handpicked.

    python bench/make_sample.py [--dataset PATH] [--candidates]

Writes ``src/handpicked/data/sample/articles.jsonl`` (one ``Article.to_dict()`` a line, plus
``source_page``: the page it was extracted from) and ``README.md`` beside it, with the
attribution the dataset's licence asks for. It is run by hand when the extractor or the choice
of articles changes, never at install time; the files it writes are committed.

The dev set is mostly guides, product reviews and blog posts; the pages in ``PICKS`` were
chosen, by hand, among those that ``handpicked.extract`` finds to be articles with a title, a
date and at least 150 words, for being news or reporting from an outlet, with pictures where
possible, and in small groups on one subject (AI and work, meditation, tutoring, year-end
culture lists), so that the sample has something for common follows (technology, politics,
health). Only the seed pair mentions Vladimir Putin. ``--candidates`` lists every page that
passes the checks, to choose again.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Runnable as `python bench/make_sample.py`: the repository root must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dataset import DEFAULT_DATASET, REPO_ROOT, DatasetError, Page, load_pages, read_html
from handpicked.article import Article
from handpicked.extract import extract
from handpicked.understand.entities import extract_entities
from handpicked.understand.topics import extract_topics

SEED = REPO_ROOT / "tests" / "fixtures" / "seed-article"
SEED_PAGES = ("page.html", "syndicated-copy.html")
OUT = REPO_ROOT / "src" / "handpicked" / "data" / "sample"
MIN_WORDS = 150
MAX_BYTES = 1_500_000
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
DATASET_NAME = "WCXB: Web Content Extraction Benchmark"
DATASET_AUTHOR = "Murrough Foley"

#: WCXB dev pages, by file id, grouped by what they are about.
PICKS = (
    # AI and work, all published on 19 December 2025 (and one a few days earlier)
    "0396", "0473", "0456", "0480", "0385", "0387", "0462", "0386", "0416",
    # technology news and announcements
    "0451", "0410", "0448", "0454", "0078",
    # politics and policy
    "0420", "0471", "4519", "4151", "0161",
    # health and science: meditation and the brain, fasting, coffee, fitness, phones, cells
    "0120", "0119", "4530", "0475", "0034", "0345", "0478",
    # education: tutoring after the pandemic
    "0174", "0279",
    # business and local news
    "0153", "4135", "0031", "0395", "0140",
    # culture: the year in film, music, art, maths, type and games; the garden
    "0401", "0106", "0417", "0402", "0408", "0428", "0413", "4684", "0399",
)  # fmt: skip


def problems(article: Article) -> list[str]:
    """Why an extraction does not belong in the sample (nothing when it does)."""
    found = []
    if not article.is_article:
        found.append("not an article")
    if not article.title:
        found.append("no title")
    if article.published is None:
        found.append("no date")
    if article.word_count < MIN_WORDS:
        found.append(f"{article.word_count} words")
    return found


def seed_articles() -> list[tuple[Article, str]]:
    """The seed page and its syndicated copy, at the URLs their fixture gives them (the
    package ships the first as ``data/seed-article.html``)."""
    expected: dict[str, Any] = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))
    pairs = []
    for name in SEED_PAGES:
        article = extract((SEED / name).read_bytes(), expected[name]["url"],
                          content_type="text/html; charset=utf-8")  # fmt: skip
        pairs.append((article, f"seed-article/{name}"))
    return pairs


def dataset_article(page: Page) -> Article:
    return extract(read_html(page.html_path).text, page.url)


def build(dataset: Path) -> list[tuple[Article, str]]:
    """The sample's articles in order, each with where it came from; ``DatasetError`` naming
    every pick that is missing or no longer passes the checks."""
    pages = {page.page_id: page for page in load_pages(dataset)}
    chosen = seed_articles()
    failures = [f"{where}: {', '.join(problems(a))}" for a, where in chosen if problems(a)]
    for page_id in PICKS:
        page = pages.get(page_id)
        if page is None:
            failures.append(f"{page_id}: not in {dataset}")
            continue
        article = dataset_article(page)
        if problems(article):
            failures.append(f"{page_id} ({page.url}): {', '.join(problems(article))}")
        chosen.append((article, f"wcxb-dev/{page_id}"))
    if failures:
        raise DatasetError("picks that do not fit the sample:\n  " + "\n  ".join(failures))
    return chosen


def record(article: Article, source_page: str) -> str:
    return json.dumps({**article.to_dict(), "source_page": source_page}, ensure_ascii=False)


def site_of(article: Article) -> str:
    url = article.canonical_url or article.url or ""
    host = url.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.")
    return article.site_name or host


def readme(chosen: Sequence[tuple[Article, str]]) -> str:
    lines = [
        "# The offline sample",
        "",
        "`articles.jsonl` is what `handpicked try` (and so `make run`) loads into an empty",
        "database, so that a new user sees picks at once without fetching anything: one",
        "`Article.to_dict()` a line, plus `source_page`, the page it was extracted from. It is",
        "rebuilt by `python bench/make_sample.py` (see there for how the articles were chosen).",
        "",
        "## Where the articles come from",
        "",
        "- `seed-article/page.html` and `seed-article/syndicated-copy.html`: the two pages in",
        "  `tests/fixtures/seed-article/`, built for this project around the article it started",
        "  from (fictional sites `ledger.example` and `jns.example`). They are one story: the",
        "  second is the syndicating outlet's own copy.",
        f"- `wcxb-dev/NNNN`: pages of the dev split of **{DATASET_NAME}** by",
        f"  **{DATASET_AUTHOR}**, licensed under",
        f"  [Creative Commons Attribution 4.0 International (CC BY 4.0)]({LICENCE_URL})",
        "  (`html/NNNN.html.gz` in that dataset). Each record keeps the article's original",
        "  address in `url` and `canonical_url`, and its authors, site and date as the page",
        "  gave them; the text, titles and captions belong to their publishers.",
        "",
        "Changes: the articles were extracted by handpicked from the pages; their text is",
        "unchanged apart from extraction (site chrome left out, paragraphs, captions and credits",
        "split into their own fields). Nothing here is endorsed by the dataset's author or by",
        "the publishers.",
        "",
        "## The pictures",
        "",
        "The publishers' pictures are not included. `images/` holds a stand-in for each",
        "picture an article names, drawn for this project by `python bench/make_sample_images.py`",
        '(a colour field, the outlet\'s name and the words "stand-in picture, not the original"),',
        "one `<key>.png` per picture URL. `handpicked try` puts them in the image cache under",
        "their original addresses, so the demo shows every picture offline; the captions and",
        "credits shown beside them are the originals'.",
        "",
        "## The articles",
        "",
    ]
    for article, where in chosen:
        day = article.published.date().isoformat() if article.published else "undated"
        title = (article.title or "").replace("|", "/")
        lines.append(f"- `{where}` {site_of(article)}, {day}: {title}  ")
        lines.append(f"  <{article.canonical_url or article.url}>")
    return "\n".join(lines) + "\n"


def list_candidates(dataset: Path) -> None:
    """Every dev page that passes the checks, with what a chooser looks at."""
    for page in load_pages(dataset):
        if not page.is_article:
            continue
        article = dataset_article(page)
        if problems(article):
            continue
        captions = sum(1 for image in article.images if image.caption)
        topics = ",".join(t.key for t in extract_topics(article)[:2])
        names = "; ".join(e.name for e in extract_entities(article)[:4])
        day = article.published.date().isoformat() if article.published else ""
        print(f"{page.page_id} {day} {article.word_count:5d}w {len(article.images):2d}img "
              f"{captions:2d}cap {site_of(article)[:24]:24} {(article.title or '')[:60]:60} "
              f"[{topics}] {names}")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET,
                        help=f"the WCXB dev split (default: {DEFAULT_DATASET})")  # fmt: skip
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write (default: {OUT})")
    parser.add_argument("--candidates", action="store_true",
                        help="list the dev pages that could go in, and write nothing")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        if args.candidates:
            list_candidates(args.dataset)
            return 0
        chosen = build(args.dataset)
    except DatasetError as error:
        print(f"make_sample: {error}", file=sys.stderr)
        return 1
    lines = "".join(record(article, where) + "\n" for article, where in chosen)
    size = len(lines.encode("utf-8"))
    if size > MAX_BYTES:
        print(f"make_sample: {size:,} bytes is over {MAX_BYTES:,}: choose fewer or shorter "
              "articles", file=sys.stderr)  # fmt: skip
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "articles.jsonl").write_text(lines, encoding="utf-8")
    (args.out / "README.md").write_text(readme(chosen), encoding="utf-8")
    sites = sorted({site_of(article) for article, _where in chosen})
    print(f"wrote {len(chosen)} articles from {len(sites)} sites ({size:,} bytes) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
