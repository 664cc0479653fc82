"""Topic precision on a small hand-labelled set of pages: news and non-news (shops, how-tos).

    python bench/topics.py                 # the working tree's code
    python bench/topics.py --baseline main # also a git ref's code, side by side

Pages and labels are in tests/fixtures/topics/ (see its README). Only taxonomy topics count
(editor tags pass through unchanged). Precision: the share of output topics that are the
page's main or an allowed topic. Recall: the share of pages with a main topic that get it.
False on non-news: pages with no main topic that get any topic not allowed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "topics"


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    text: str
    main: str | None
    allowed: frozenset[str]


def load_pages(folder: Path = FIXTURE) -> list[Page]:
    texts = {}
    for line in (folder / "pages.jsonl").read_text(encoding="utf-8").split("\n"):
        if not line:
            continue
        row = json.loads(line)
        texts[row["id"]] = row
    pages = []
    for line in (folder / "labels.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        source, number, main, *allowed = line.split()
        row = texts[f"{source}-{number}"]
        topic = None if main == "-" else main
        right = frozenset([*allowed, *([topic] if topic else [])])
        pages.append(Page(row["id"], row["title"], row["text"], topic, right))
    return pages


@dataclass
class Result:
    output: int = 0
    right: int = 0
    mains: int = 0
    found: int = 0
    non_news: int = 0
    non_news_false: int = 0


def score(pages: list[Page]) -> tuple[Result, list[str]]:
    from handpicked.article import Article
    from handpicked.understand.topics import extract_topics

    result, notes = Result(), []
    for page in pages:
        paragraphs = [p for p in page.text.split("\n") if p.strip()]
        article = Article(title=page.title, paragraphs=paragraphs)
        keys = [t.key for t in extract_topics(article) if not t.key.startswith("tag:")]
        wrong = [k for k in keys if k not in page.allowed]
        result.output += len(keys)
        result.right += len(keys) - len(wrong)
        if page.main:
            result.mains += 1
            result.found += page.main in keys
        else:
            result.non_news += 1
            result.non_news_false += bool(wrong)
        if wrong or (page.main and page.main not in keys):
            notes.append(f"{page.id} {page.title[:50]!r}: got {keys}, main {page.main}")
    return result, notes


def row(name: str, result: Result) -> str:
    precision = result.right / max(result.output, 1)
    recall = result.found / max(result.mains, 1)
    false = result.non_news_false / max(result.non_news, 1)
    return (
        f"| {name} | {result.mains + result.non_news} | {result.output} | {precision:.3f} "
        f"| {recall:.3f} | {result.non_news_false}/{result.non_news} ({false:.2f}) |"
    )


def _run_ref(ref: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", ref, "src"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        env = {**os.environ, "PYTHONPATH": str(Path(folder) / "src")}
        command = [sys.executable, __file__, "--name", ref, "--row"]
        return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="git ref whose code to score as well, e.g. main")
    parser.add_argument("--name", default="this branch")
    parser.add_argument("--row", action="store_true", help="print only the table row")
    parser.add_argument("--notes", action="store_true", help="list every page with an error")
    args = parser.parse_args()
    result, notes = score(load_pages())
    if args.row:
        print(row(args.name, result))
        return
    columns = ["code", "pages", "topics output", "precision", "recall of main topic"]
    columns.append("non-news pages given a false topic")
    print("| " + " | ".join(columns) + " |")
    print("|---|---:|---:|---:|---:|---:|")
    if args.baseline:
        print(_run_ref(args.baseline).strip())
    print(row(args.name, result))
    if args.notes:
        print("\n".join(notes))


if __name__ == "__main__":
    main()
