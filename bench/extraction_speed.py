"""Extraction speed alone: handpicked beside trafilatura, page by page in turn, in CPU time.

A quicker, steadier speed check than ``bench/extraction.py`` (which also scores quality): each
page goes to every extractor in turn, so a machine whose speed drifts slows them alike, and
the ratio holds. ``--baseline DIR`` adds a second copy of handpicked, for A/B: DIR holds the
package renamed ``handpicked_old`` (every ``handpicked`` import rewritten), e.g. main's.

    python bench/extraction_speed.py [--dataset NAME|PATH ...] [--limit N] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dataset import DATASETS_DIR, load_pages, read_html
from bench.peers import EXTRACTORS

DEFAULT_SETS = ("wcxb-dev", "fundus-dev")
WARM_UP_PAGES = 5
Extract = Callable[[str, str | None], Any]


def extractors(baseline: Path | None) -> dict[str, Extract]:
    found: dict[str, Extract] = {}
    if baseline is not None:
        sys.path.insert(0, str(baseline))
        found["handpicked (baseline)"] = importlib.import_module("handpicked_old").extract
    found["handpicked"] = importlib.import_module("handpicked").extract
    found["trafilatura"] = EXTRACTORS["trafilatura"].load()
    return found


def cpu_seconds(extract: Extract, html: str, url: str | None) -> float:
    start = time.process_time()
    with contextlib.suppress(Exception):  # a failed page still costs its time
        extract(html, url)
    return time.process_time() - start


def run_set(name: str, runs: dict[str, Extract], limit: int | None) -> list[str]:
    root = Path(name) if "/" in name else DATASETS_DIR / name
    pages = [(read_html(page.html_path).text, page.url) for page in load_pages(root, limit)]
    for html, url in pages[:WARM_UP_PAGES]:
        for extract in runs.values():
            cpu_seconds(extract, html, url)
    times: dict[str, list[float]] = {label: [] for label in runs}
    for html, url in pages:
        for label, extract in runs.items():
            times[label].append(cpu_seconds(extract, html, url))
    peer = sum(times["trafilatura"])
    lines = [
        f"\n{root.name}: {len(pages)} pages",
        "| extractor | pages/CPU-s | vs trafilatura | p50 ms | p95 ms |",
        "|---|--:|--:|--:|--:|",
    ]
    for label, seconds in times.items():
        total = sum(seconds)
        cuts = statistics.quantiles(seconds, n=20)
        lines.append(
            f"| {label} | {len(pages) / total:.1f} | {peer / total:.2f}× | "
            f"{statistics.median(seconds) * 1000:.1f} | {cuts[18] * 1000:.0f} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", action="append")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--baseline", type=Path)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):  # one core, as bench/extraction.py measures
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    logging.disable(logging.CRITICAL)  # peers log freely
    runs = extractors(args.baseline)
    for name in args.dataset or DEFAULT_SETS:
        print("\n".join(run_set(name, runs, args.limit)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
