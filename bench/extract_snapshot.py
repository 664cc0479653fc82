"""Snapshot of handpicked's whole extraction output over the dev sets, to prove a speed-up
changed nothing.

Writes every page's full :class:`~handpicked.Article` (body, lead, title, authors, dates,
images, pull quotes, credits, ``is_article``) and the classifier's signals as one JSON line
per page; ``--compare`` reads an earlier snapshot and lists the pages whose output differs.

    python bench/extract_snapshot.py OUT.jsonl [--dataset NAME|PATH ...] [--limit N]
    python bench/extract_snapshot.py NEW.jsonl --compare OLD.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dataset import DATASETS_DIR, load_pages, read_html
from handpicked.errors import ExtractionError
from handpicked.extract import extract_with_signals

DEFAULT_SETS = ("wcxb-dev", "fundus-dev")


def page_output(html: str, url: str | None) -> dict[str, Any]:
    """Everything extraction returns for one page, JSON-safe; an error by its message."""
    try:
        article, signals = extract_with_signals(html, url)
    except ExtractionError as error:
        return {"error": str(error)}
    return {"article": article.to_dict(), "signals": asdict(signals)}


def snapshot(sets: list[str], limit: int | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in sets:
        root = Path(name) if "/" in name else DATASETS_DIR / name
        for page in load_pages(root, limit):
            output = page_output(read_html(page.html_path).text, page.url)
            rows.append({"set": root.name, "page": page.page_id, **output})
    return rows


def differences(new: list[dict[str, Any]], old: list[dict[str, Any]]) -> list[str]:
    """One line per page whose output differs, naming the fields that changed."""
    old_by_key = {(row["set"], row["page"]): row for row in old}
    lines: list[str] = []
    for row in new:
        key = (row["set"], row["page"])
        before = old_by_key.pop(key, None)
        if before is None:
            lines.append(f"{key}: new page")
            continue
        if before == row:
            continue
        fields = sorted(
            f"{part}.{name}"
            for part in ("article", "signals")
            for name in set(row.get(part) or {}) | set(before.get(part) or {})
            if (row.get(part) or {}).get(name) != (before.get(part) or {}).get(name)
        )
        lines.append(f"{key}: {', '.join(fields) or 'error'}")
    lines.extend(f"{key}: missing" for key in old_by_key)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--dataset", action="append")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--compare", type=Path, help="an earlier snapshot to diff against")
    args = parser.parse_args(argv)
    rows = snapshot(args.dataset or list(DEFAULT_SETS), args.limit)
    args.out.write_text(
        "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows),
        encoding="utf-8",
    )
    print(f"{len(rows)} pages written to {args.out}")
    if args.compare is None:
        return 0
    old = [json.loads(line) for line in args.compare.read_text(encoding="utf-8").splitlines()]
    changed = differences(json.loads(json.dumps(rows)), old)
    print("\n".join(changed) if changed else "no differences")
    print(f"{len(changed)} of {len(rows)} pages differ")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
