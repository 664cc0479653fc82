"""Where handpicked's extraction time goes: CPU time per stage over the dev sets.

Each stage's function is wrapped, where the engine calls it, by a timer that charges CPU time
(``time.process_time``) to the innermost stage running, so nested stages (prose measuring
inside chrome pruning) are not counted twice. "other" is what no stage claims: the calls
between stages, building the Article. Timers cost a little; read the shares, not the speed.

    python bench/extraction_stages.py [--dataset NAME|PATH ...] [--limit N] [--repeat N]
                                      [--baseline DIR]

``--baseline DIR`` profiles DIR's ``handpicked_old`` beside it (see extraction_speed.py),
page by page in turn, in one table.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dataset import DATASETS_DIR, load_pages, read_html

DEFAULT_SETS = ("fundus-dev",)

# (module where the engine looks the name up, name, stage)
STAGES = (
    ("handpicked.extract", "parse_html", "parse"),
    ("handpicked.extract", "extract_metadata", "metadata"),
    ("handpicked.extract", "is_article", "classifier"),
    ("handpicked.extract", "is_shop", "classifier"),
    ("handpicked.extract.body", "collect_payloads", "script payloads"),
    ("handpicked.extract.body", "remove_junk", "junk removal"),
    ("handpicked.extract.body", "link_density", "page link density"),
    ("handpicked.extract.body", "count_shop_markers", "shop markers"),
    ("handpicked.extract.body", "take_images", "images"),
    ("handpicked.extract.body", "take_pull_quotes", "pull quotes"),
    ("handpicked.extract.body", "take_syndication", "credit lines"),
    ("handpicked.extract.body", "take_credit_lines", "credit lines"),
    ("handpicked.extract.body", "take_editors", "credit lines"),
    ("handpicked.extract.body", "find_standfirst", "standfirst"),
    ("handpicked.extract.body", "prune_chrome", "chrome pruning: dropping"),
    ("handpicked.extract.body", "chrome_candidates", "chrome pruning: judging names"),
    ("handpicked.extract.body", "chrome_to_remove", "chrome pruning: judging names"),
    ("handpicked.extract.body", "prose_chrome_words", "chrome pruning: words of the prose"),
    ("handpicked.extract.body", "prose_lengths", "prose measuring"),
    ("handpicked.extract.body", "prose_length", "prose measuring"),
    ("handpicked.extract.container", "prose_length", "prose measuring"),
    ("handpicked.extract.prose", "ProseMeter.lengths", "prose measuring"),
    ("handpicked.extract.prose", "ProseMeter.length", "prose measuring"),
    ("handpicked.extract.metadata", "read_head", "metadata: head tags"),
    ("handpicked.extract.metadata", "parse_jsonld", "metadata: JSON-LD"),
    ("handpicked.extract.metadata", "read_zone", "metadata: around the headline"),
    ("handpicked.extract.metadata", "read_cues", "metadata: bylines and datelines"),
    ("handpicked.extract.metadata", "read_tags", "metadata: tag lists"),
    ("handpicked.extract.metadata", "printed_headings", "metadata: headings"),
    ("handpicked.extract.metadata", "script_date", "metadata: dates in scripts"),
    ("handpicked.extract.metadata", "labelled_date", "metadata: dates in scripts"),
    ("handpicked.extract.body", "choose_container", "container: widening"),
    ("handpicked.extract.container", "score_candidates", "container: scoring"),
    ("handpicked.extract.body", "article_parts", "container: look-alike parts"),
    ("handpicked.extract.body", "linearise", "blocks (linearise)"),
    ("handpicked.extract.body", "_article_blocks", "block filters (edges)"),
    ("handpicked.extract.body", "_agree_with_declared_body", "block filters (edges)"),
    ("handpicked.extract.body", "_page_blocks", "block filters (edges)"),
    ("handpicked.extract.body", "images_within", "images"),
)


class StageClock:
    """CPU time per stage, charged to the innermost stage that is running."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._stack: list[str] = []
        self._since = 0.0

    def _charge(self) -> None:
        now = time.process_time()
        if self._stack:
            stage = self._stack[-1]
            self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._since
        self._since = now

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._charge()
            self._stack.append(stage)
            try:
                return function(*args, **kwargs)
            finally:
                self._charge()
                self._stack.pop()

        return timed


def install(clock: StageClock, package: str) -> None:
    """Wrap every stage's function that this version of the engine has."""
    for module_name, name, stage in STAGES:
        owner: Any = importlib.import_module(module_name.replace("handpicked", package, 1))
        *path, attribute = name.split(".")  # "Class.method" wraps a method
        for part in path:
            owner = getattr(owner, part, None)
        function = getattr(owner, attribute, None)
        if function is not None:
            setattr(owner, attribute, clock.wrap(stage, function))


def run(sets: list[str], limit: int | None, repeat: int, packages: list[str]) -> list[str]:
    """Each page through every package in turn, so that a machine whose speed drifts
    slows them alike; one column of CPU ms per page for each."""
    clocks = {package: StageClock() for package in packages}
    runs: dict[str, Callable[..., Any]] = {}
    for package, clock in clocks.items():
        install(clock, package)
        runs[package] = clock.wrap("other", importlib.import_module(package).extract)
    pages: list[tuple[str, str | None]] = []
    for name in sets:
        root = Path(name) if "/" in name else DATASETS_DIR / name
        pages += [(read_html(page.html_path).text, page.url) for page in load_pages(root, limit)]
    for html, url in pages[:5]:  # warm-up: caches and lazily built patterns
        for extract in runs.values():
            extract(html, url)
    for clock in clocks.values():
        clock.seconds.clear()
    for _ in range(repeat):
        for html, url in pages:
            for extract in runs.values():
                with contextlib.suppress(Exception):  # a refused page still costs its time
                    extract(html, url)
    count = len(pages) * repeat
    totals = {package: sum(clock.seconds.values()) for package, clock in clocks.items()}
    stages = sorted(
        {stage for clock in clocks.values() for stage in clock.seconds},
        key=lambda stage: -clocks[packages[-1]].seconds.get(stage, 0.0),
    )
    lines = [
        f"\n{', '.join(sets)}: {len(pages)} pages × {repeat}",
        "| stage | " + " | ".join(f"{p} CPU ms/page | share" for p in packages) + " |",
        "|---|" + "--:|--:|" * len(packages),
    ]
    for stage in [*stages, "total"]:
        cells = []
        for package, clock in clocks.items():
            seconds = totals[package] if stage == "total" else clock.seconds.get(stage, 0.0)
            cells.append(f"{seconds / count * 1000:.2f} | {seconds / totals[package]:.0%}")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", action="append")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--baseline", type=Path, help="also profile DIR/handpicked_old (see extraction_speed)"
    )
    args = parser.parse_args(argv)
    packages = ["handpicked"]
    if args.baseline is not None:
        sys.path.insert(0, str(args.baseline))
        packages.insert(0, "handpicked_old")
    if hasattr(os, "sched_setaffinity"):  # one core, as bench/extraction.py measures
        os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})
    print("\n".join(run(args.dataset or list(DEFAULT_SETS), args.limit, args.repeat, packages)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
