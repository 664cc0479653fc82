"""Extraction benchmark: handpicked beside trafilatura, readability-lxml and newspaper4k.

Runs every extractor on the WCXB dev pages in one process, pinned to one core, and reports
body-text quality per page type, metadata accuracy on articles, the ``is_article`` call, speed
and peak memory, as Markdown on stdout and as Markdown and JSON under ``bench/results/``.

    python bench/extraction.py [--dataset PATH] [--limit N] [--only NAME,NAME] [--no-memory]

The memory numbers come from a fresh interpreter per extractor (``--memory-probe NAME FILE``),
because the peak RSS of a process that has already run everything says nothing about any one
extractor.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import time
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

# Runnable as `python bench/extraction.py`: the repository root must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dataset import (
    DEFAULT_DATASET,
    PAGE_TYPES,
    REPO_ROOT,
    DatasetError,
    Page,
    largest_page,
    load_pages,
    read_html,
    uncompressed_size,
)
from bench.memory import peak_rss_mb
from bench.peers import EXTRACTORS, ExtractFn, Extraction, Extractor
from bench.scoring import (
    PageScore,
    author_matches,
    body_score,
    date_matches,
    summarise,
    title_matches,
)

RESULTS_DIR = REPO_ROOT / "bench" / "results"
PEAK_RSS_BAR_MB = 300.0
NON_ARTICLE = "non-article"
ALL_PAGES = "all"


@dataclass(frozen=True, slots=True)
class PageResult:
    """One extractor on one page: scores, the verdicts on metadata (None: not scored on this
    page), how long the call took and the exception it raised, if any."""

    page_id: str
    page_type: str
    precision: float
    recall: float
    title_ok: bool | None
    author_ok: bool | None
    date_ok: bool | None
    is_article: bool | None
    seconds: float
    error: str | None


@dataclass(slots=True)
class Run:
    """An extractor's results so far in this benchmark run."""

    extractor: Extractor
    extract: ExtractFn
    results: list[PageResult] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.extractor.name

    def errors(self) -> Counter[str]:
        return Counter(r.error for r in self.results if r.error)


# ---------------------------------------------------------------------------------------------
# Running


def pin_to_one_core() -> None:
    """Speed is reported per core: keep this process, and any threads a library starts, on
    one CPU so that no extractor gets more than one."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def quiet_libraries() -> None:
    """Peers log and warn freely; that noise would tear up the progress bar."""
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")


def timed_extract(
    extract: ExtractFn, html: str, url: str | None
) -> tuple[Extraction, float, str | None]:
    """Call one extractor, surviving anything it raises; only the call itself is timed.

    A raise (handpicked's ExtractionError included) scores as empty text and is counted by
    exception type, so a crash shows up in the report instead of ending the run."""
    start = time.perf_counter()
    try:
        out = extract(html, url)
        error = None
    except Exception as exc:
        out, error = Extraction(), type(exc).__name__
    return out, time.perf_counter() - start, error


def score_page(page: Page, out: Extraction, seconds: float, error: str | None) -> PageResult:
    """Body on every page; metadata on article pages whose ground truth has the field."""
    body = body_score(out.text, page.body)
    meta = page.is_article
    return PageResult(
        page_id=page.page_id,
        page_type=page.page_type,
        precision=body.precision,
        recall=body.recall,
        title_ok=title_matches(out.title, page.title) if meta and page.title else None,
        author_ok=author_matches(out.authors, page.author) if meta and page.author else None,
        date_ok=date_matches(out.published, page.published) if meta and page.published else None,
        is_article=out.is_article,
        seconds=seconds,
        error=error,
    )


def load_runs(names: Sequence[str]) -> tuple[list[Run], list[str]]:
    """Import each extractor up front, so no import lands in a timed call. One that will not
    import is left out with a note, rather than sinking the whole run."""
    runs: list[Run] = []
    skipped: list[str] = []
    for name in names:
        extractor = EXTRACTORS[name]
        try:
            runs.append(Run(extractor, extractor.load()))
        except ImportError as exc:
            skipped.append(f"{name} (not importable: {exc})")
            print(f"warning: skipping {skipped[-1]}", file=sys.stderr)
    return runs, skipped


def run_benchmark(pages: Sequence[Page], runs: Sequence[Run]) -> list[str]:
    """Each page is read once and handed, as the same ``str``, to every extractor in turn;
    returns the ids of pages that were not valid UTF-8."""
    from tqdm import tqdm

    bad_encoding: list[str] = []
    for page in tqdm(pages, desc="extracting", unit="page", file=sys.stderr):
        html = read_html(page.html_path)
        if not html.clean:
            bad_encoding.append(page.page_id)
        for run in runs:
            out, seconds, error = timed_extract(run.extract, html.text, page.url)
            run.results.append(score_page(page, out, seconds, error))
    return bad_encoding


# ---------------------------------------------------------------------------------------------
# Summaries


def page_groups(pages: Sequence[Page]) -> list[str]:
    """Report rows: articles, every other type present, the non-articles together, all."""
    present = {page.page_type for page in pages}
    known = [t for t in PAGE_TYPES if t in present]
    other = sorted(present - set(PAGE_TYPES))
    return [*known, *other, NON_ARTICLE, ALL_PAGES]


def in_group(result: PageResult, group: str) -> bool:
    if group == ALL_PAGES:
        return True
    if group == NON_ARTICLE:
        return result.page_type != "article"
    return result.page_type == group


def body_summary(runs: Sequence[Run], groups: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per extractor and page group: pages, F1, precision, recall."""
    summary: dict[str, dict[str, Any]] = {}
    for run in runs:
        summary[run.name] = {}
        for group in groups:
            scores = [PageScore(r.precision, r.recall) for r in run.results if in_group(r, group)]
            body = summarise(scores)
            summary[run.name][group] = {
                "pages": body.pages,
                "f1": body.f1,
                "precision": body.precision,
                "recall": body.recall,
            }
    return summary


def accuracy(verdicts: Iterable[bool | None]) -> dict[str, Any]:
    """Share of scored pages that matched; pages without the field (None) are not counted."""
    scored = [v for v in verdicts if v is not None]
    hits = sum(scored)
    return {
        "correct": hits,
        "pages": len(scored),
        "accuracy": hits / len(scored) if scored else None,
    }


def metadata_summary(runs: Sequence[Run]) -> dict[str, dict[str, Any]]:
    """Title, author and date accuracy on article pages."""
    return {
        run.name: {
            "title": accuracy(r.title_ok for r in run.results),
            "author": accuracy(r.author_ok for r in run.results),
            "date": accuracy(r.date_ok for r in run.results),
        }
        for run in runs
    }


def classification(predicted: Sequence[bool], actual: Sequence[bool]) -> dict[str, Any]:
    """Precision and recall of the "this is an article" call, articles the positive class."""
    pairs = list(zip(predicted, actual, strict=True))
    tp = sum(p and a for p, a in pairs)
    fp = sum(p and not a for p, a in pairs)
    fn = sum(a and not p for p, a in pairs)
    tn = len(pairs) - tp - fp - fn
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
        "accuracy": (tp + tn) / len(pairs) if pairs else None,
    }


def is_article_summary(runs: Sequence[Run]) -> dict[str, dict[str, Any]]:
    """Only for extractors that make the call; a failed page counts as "not an article"."""
    return {
        run.name: classification(
            [bool(r.is_article) for r in run.results],
            [r.page_type == "article" for r in run.results],
        )
        for run in runs
        if run.extractor.reports_is_article
    }


def speed_summary(runs: Sequence[Run]) -> dict[str, dict[str, Any]]:
    """Throughput over the summed call times, with the per-page spread and the errors."""
    summary: dict[str, dict[str, Any]] = {}
    for run in runs:
        times = [r.seconds for r in run.results]
        total = sum(times)
        summary[run.name] = {
            "pages": len(times),
            "seconds": total,
            "pages_per_second": len(times) / total if total else None,
            "median_ms": statistics.median(times) * 1000 if times else None,
            "p95_ms": _percentile(times, 0.95) * 1000 if times else None,
            "max_ms": max(times) * 1000 if times else None,
            "errors": sum(run.errors().values()),
            "error_types": dict(run.errors().most_common()),
        }
    return summary


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# ---------------------------------------------------------------------------------------------
# Memory


def memory_probe(name: str, path: Path) -> dict[str, Any]:
    """In this (fresh) process: read the page, import the extractor, then extract once."""
    quiet_libraries()
    html = read_html(path).text
    start_mb = peak_rss_mb()
    extract = EXTRACTORS[name].load()
    before_mb = peak_rss_mb()
    out, seconds, error = timed_extract(extract, html, None)
    after_mb = peak_rss_mb()
    return {
        "extractor": name,
        "start_mb": start_mb,
        "after_import_mb": before_mb,
        "peak_mb": after_mb,
        "increase_mb": after_mb - before_mb,
        "seconds": seconds,
        "error": error,
        "words": len(out.text.split()),
    }


def measure_memory(names: Sequence[str], dataset: Path) -> dict[str, Any]:
    """Probe each extractor in its own interpreter on the largest dev page."""
    page = largest_page(dataset)
    probes: dict[str, Any] = {}
    for name in names:
        probes[name] = _probe_subprocess(name, page.html_path)
    return {
        "page_id": page.page_id,
        "page_bytes": uncompressed_size(page.html_path),
        "page_type": page.page_type,
        "extractors": probes,
    }


def _probe_subprocess(name: str, path: Path) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--memory-probe", name, str(path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except subprocess.TimeoutExpired:
        return {"extractor": name, "error": "probe timed out"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        return {"extractor": name, "error": f"probe failed: {tail[0]}"}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


# ---------------------------------------------------------------------------------------------
# Report


def md_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table, numbers right-aligned."""
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join(["---"] + ["--:"] * (len(headers) - 1)) + "|",
    ]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _num(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _pct(entry: dict[str, Any]) -> str:
    if entry["accuracy"] is None:
        return "n/a"
    return f"{100 * entry['accuracy']:.1f}% ({entry['correct']}/{entry['pages']})"


def body_section(body: dict[str, dict[str, Any]], groups: Sequence[str]) -> str:
    """An F1-at-a-glance table, then every number."""
    names = list(body)
    glance = md_table(
        ["page type", "pages", *[f"{n} F1" for n in names]],
        (
            [
                group,
                next(iter(body.values()))[group]["pages"],
                *[_num(body[n][group]["f1"]) for n in names],
            ]
            for group in groups
        ),
    )
    detail = md_table(
        ["page type", "extractor", "pages", "F1", "precision", "recall"],
        (
            [group, n, s["pages"], _num(s["f1"]), _num(s["precision"]), _num(s["recall"])]
            for group in groups
            for n in names
            for s in [body[n][group]]
        ),
    )
    return f"## 1. Body text per page type (4-gram shingles)\n\n{glance}\n\n{detail}"


def metadata_section(meta: dict[str, dict[str, Any]]) -> str:
    rows = (
        [name, _pct(m["title"]), _pct(m["author"]), _pct(m["date"])] for name, m in meta.items()
    )
    table = md_table(["extractor", "title", "author", "date"], rows)
    return (
        "## 2. Metadata on article pages\n\n"
        "Accuracy over the article pages whose ground truth has the field.\n\n" + table
    )


def is_article_section(calls: dict[str, dict[str, Any]], notes: dict[str, str]) -> str:
    rows = (
        [
            name + (f" ({notes[name]})" if notes.get(name) else ""),
            c["tp"],
            c["fp"],
            c["fn"],
            c["tn"],
            _num(c["precision"]),
            _num(c["recall"]),
            _num(c["accuracy"]),
        ]
        for name, c in calls.items()
    )
    table = md_table(["extractor", "TP", "FP", "FN", "TN", "precision", "recall", "accuracy"], rows)
    return "## 3. `is_article` (positive class: page type article), all pages\n\n" + table


def speed_section(speed: dict[str, dict[str, Any]]) -> str:
    rows = (
        [
            name,
            s["pages"],
            _num(s["seconds"], 1),
            _num(s["pages_per_second"], 1),
            _num(s["median_ms"], 1),
            _num(s["p95_ms"], 1),
            _num(s["max_ms"], 0),
            s["errors"],
            ", ".join(f"{k}: {v}" for k, v in s["error_types"].items()) or "-",
        ]
        for name, s in speed.items()
    )
    headers = [
        "extractor",
        "pages",
        "seconds",
        "pages/s",
        "median ms",
        "p95 ms",
        "max ms",
        "errors",
        "error types",
    ]
    return "## 4. Speed, one core, extraction calls only\n\n" + md_table(headers, rows)


def memory_section(memory: dict[str, Any]) -> str:
    rows = [_memory_row(name, probe) for name, probe in memory["extractors"].items()]
    headers = ["extractor", "before import MB", "after import MB", "peak MB", "increase MB", "note"]
    return (
        "## 5. Peak memory, fresh process per extractor\n\n"
        f"Largest dev page: {memory['page_id']} ({memory['page_type']}, "
        f"{memory['page_bytes'] / 1e6:.2f} MB of HTML). Peak RSS (VmHWM) in a new interpreter "
        "that has read the page; the increase is the extraction call alone.\n\n"
        + md_table(headers, rows)
    )


def _memory_row(name: str, probe: dict[str, Any]) -> list[object]:
    """One probe's row; the 300 MB bar is handpicked's own target, so only it is judged."""
    if "peak_mb" not in probe:
        return [name, "n/a", "n/a", "n/a", "n/a", probe.get("error", "?")]
    notes = []
    if name == "handpicked":
        verdict = "under" if probe["peak_mb"] < PEAK_RSS_BAR_MB else "OVER"
        notes.append(f"{verdict} the {PEAK_RSS_BAR_MB:.0f} MB bar")
    if probe["error"]:
        notes.append(f"error: {probe['error']}")
    return [
        name,
        _num(probe["start_mb"], 1),
        _num(probe["after_import_mb"], 1),
        _num(probe["peak_mb"], 1),
        _num(probe["increase_mb"], 1),
        "; ".join(notes) or "-",
    ]


def header_section(info: dict[str, Any]) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    limit = f", --limit {info['limit']}" if info["limit"] else ""
    lines = [
        "# Extraction benchmark (WCXB dev)",
        "",
        f"- run: {info['started']}, {info['duration_s']:.0f} s in all",
        f"- dataset: {info['dataset']} ({info['pages']} pages{limit})",
        f"- versions: {versions}",
        f"- pages that were not valid UTF-8 (decoded with replacement): {len(info['bad_encoding'])}"
        + (f" ({', '.join(info['bad_encoding'][:10])})" if info["bad_encoding"] else ""),
    ]
    lines += [f"- skipped: {s}" for s in info["skipped"]]
    return "\n".join(lines)


def versions(runs: Sequence[Run]) -> dict[str, str]:
    found: dict[str, str] = {}
    for run in runs:
        try:
            found[run.name] = importlib_metadata.version(run.extractor.distribution)
        except importlib_metadata.PackageNotFoundError:
            found[run.name] = "?"
    return found


def render(report: dict[str, Any], groups: Sequence[str]) -> str:
    sections = [
        header_section(report["info"]),
        body_section(report["body"], groups),
        metadata_section(report["metadata"]),
        is_article_section(
            report["is_article"], {n: EXTRACTORS[n].note for n in report["is_article"]}
        ),
        speed_section(report["speed"]),
    ]
    if report.get("memory"):
        sections.append(memory_section(report["memory"]))
    return "\n\n".join(sections) + "\n"


def per_page(runs: Sequence[Run]) -> dict[str, dict[str, Any]]:
    """Every score of every page, so a regression can be traced to the pages behind it."""
    pages: dict[str, dict[str, Any]] = {}
    for run in runs:
        for r in run.results:
            entry = pages.setdefault(r.page_id, {"page_type": r.page_type, "extractors": {}})
            fields = asdict(r)
            del fields["page_id"], fields["page_type"]
            entry["extractors"][run.name] = fields
    return pages


def write_results(report: dict[str, Any], markdown: str, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "extraction.md").write_text(markdown, encoding="utf-8")
    (directory / "extraction.json").write_text(
        json.dumps(report, indent=1, default=str), encoding="utf-8"
    )


# ---------------------------------------------------------------------------------------------
# Command line


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET, help="WCXB dev folder")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument(
        "--only",
        type=_names,
        default=list(EXTRACTORS),
        help="NAME,NAME of: " + ", ".join(EXTRACTORS),
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory probes")
    parser.add_argument(
        "--results", type=Path, default=RESULTS_DIR, help="where to write .md and .json"
    )
    parser.add_argument("--memory-probe", nargs=2, metavar=("NAME", "FILE"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _names(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in EXTRACTORS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown extractor {unknown}; choose from {', '.join(EXTRACTORS)}"
        )
    return names


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """The whole run: quality and speed in this process, then memory in fresh ones."""
    started, started_at = time.monotonic(), datetime.now(UTC).isoformat(timespec="seconds")
    pages = load_pages(args.dataset, args.limit)
    pin_to_one_core()
    quiet_libraries()
    runs, skipped = load_runs(args.only)
    bad_encoding = run_benchmark(pages, runs)
    groups = page_groups(pages)
    report: dict[str, Any] = {
        "body": body_summary(runs, groups),
        "metadata": metadata_summary(runs),
        "is_article": is_article_summary(runs),
        "speed": speed_summary(runs),
    }
    if not args.no_memory:
        print("measuring peak memory, one fresh process per extractor ...", file=sys.stderr)
        report["memory"] = measure_memory([run.name for run in runs], args.dataset)
    report["info"] = {
        "started": started_at,
        "duration_s": time.monotonic() - started,
        "dataset": str(args.dataset),
        "pages": len(pages),
        "limit": args.limit,
        "versions": versions(runs),
        "bad_encoding": bad_encoding,
        "skipped": skipped,
        "groups": groups,
    }
    report["pages"] = per_page(runs)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.memory_probe:
        name, file = args.memory_probe
        pin_to_one_core()
        print(json.dumps(memory_probe(name, Path(file))))
        return 0
    try:
        report = benchmark(args)
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    markdown = render(report, report["info"]["groups"])
    print(markdown)
    write_results(report, markdown, args.results)
    print(f"written: {args.results / 'extraction.md'} and .json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
