"""Every article page whose title, author or date handpicked gets wrong, beside trafilatura.

The extraction benchmark counts metadata hits; this lists the misses, so their causes can be
read page by page: ours, the ground truth's and trafilatura's value, with the same matchers
(``bench.scoring``) on the same article pages, and the tallies per set and, for fundus-dev,
per language.

    python bench/metadata_misses.py [--dataset NAME|PATH ...] [--json FILE]

Both extractors are called as ``bench/extraction.py`` calls them (``bench.peers``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Runnable as `python bench/metadata_misses.py`: the repository root must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dataset import DATASETS_DIR, Page, load_pages, read_html
from bench.peers import EXTRACTORS, ExtractFn, Extraction
from bench.scoring import author_matches, date_matches, title_matches

FIELDS = ("title", "author", "date")
PEERS = ("handpicked", "trafilatura")


def verdicts(page: Page, out: Extraction) -> dict[str, bool | None]:
    """Each field's verdict on one page; None where the ground truth does not score it."""
    return {
        "title": title_matches(out.title, page.title) if page.title else None,
        "author": author_matches(out.authors, page.author) if page.author is not None else None,
        "date": date_matches(out.published, page.published) if page.published else None,
    }


def shown(out: Extraction, key: str) -> object:
    """A field's value as the listing prints it."""
    if key == "title":
        return out.title
    if key == "author":
        return list(out.authors)
    return str(out.published) if out.published is not None else None


def truth(page: Page, key: str) -> object:
    """The ground truth's value of a field."""
    return {"title": page.title, "author": page.author, "date": page.published}[key]


def _call(run: ExtractFn, html: str, url: str | None) -> Extraction:
    """One extraction; a page an extractor refuses scores as nothing found, as in the
    benchmark."""
    try:
        return run(html, url)
    except Exception:
        return Extraction()


def run_set(root: Path) -> dict[str, Any]:
    """Both extractors on a set's article pages: tallies and the pages handpicked misses."""
    runs = {name: EXTRACTORS[name].load() for name in PEERS}
    tally: Counter[tuple[str, str, str]] = Counter()
    misses: list[dict[str, Any]] = []
    for page in load_pages(root):
        if page.page_type != "article":
            continue
        html = read_html(page.html_path).text
        outs = {name: _call(run, html, page.url) for name, run in runs.items()}
        marks = {name: verdicts(page, out) for name, out in outs.items()}
        group = page.language or "all"
        for key in FIELDS:
            if marks["handpicked"][key] is None:
                continue
            for where in {"all", group}:
                tally[where, key, "pages"] += 1
                for name in PEERS:
                    tally[where, key, name] += bool(marks[name][key])
            if not marks["handpicked"][key]:
                misses.append(
                    {
                        "page": page.page_id,
                        "language": page.language,
                        "field": key,
                        "ours": shown(outs["handpicked"], key),
                        "truth": truth(page, key),
                        "trafilatura": shown(outs["trafilatura"], key),
                        "trafilatura_right": bool(marks["trafilatura"][key]),
                    }
                )
    return {"tally": tally, "misses": misses}


def table(name: str, tally: Counter[tuple[str, str, str]]) -> str:
    """Hits per field, ours / trafilatura / pages, overall and per language."""
    groups = sorted({where for where, _, _ in tally}, key=lambda g: (g != "all", g))
    lines = [
        f"### {name}",
        "",
        "| group | pages | title ours / traf | author ours / traf | date ours / traf |",
        "|---|--:|--:|--:|--:|",
    ]
    for group in groups:
        cells = [
            f"{tally[group, key, 'handpicked']} / {tally[group, key, 'trafilatura']}"
            for key in FIELDS
        ]
        pages = max(tally[group, key, "pages"] for key in FIELDS)
        lines.append(f"| {group} | {pages} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", action="append", default=None, help="name or folder")
    parser.add_argument("--json", type=Path, default=None, help="write every miss here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    names = args.dataset or ["wcxb-dev", "fundus-dev"]
    report: dict[str, Any] = {}
    for value in names:
        root = Path(value) if Path(value).exists() else DATASETS_DIR / value
        result = run_set(root)
        print(table(root.name, result["tally"]) + "\n")
        for miss in result["misses"]:
            print(json.dumps(miss, ensure_ascii=False, default=str))
        print()
        report[root.name] = result["misses"]
    if args.json is not None:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
