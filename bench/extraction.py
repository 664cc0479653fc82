"""Extraction benchmark: handpicked beside trafilatura, readability-lxml and newspaper4k.

Runs every extractor on both dev sets in one process, pinned to one core: WCXB dev (pages of
every type, reported per page type) and fundus-dev (real news from ~90 publishers in ~20
languages, reported per language). For each set it reports body-text quality, title, author
and date accuracy, the ``is_article`` call, speed in pages per CPU-second and peak memory, as
Markdown on stdout and as Markdown and JSON under ``bench/results/``.

    python bench/extraction.py [--dataset NAME|PATH ...] [--limit N] [--only NAME,NAME]
                               [--no-memory]

``--dataset`` may be given more than once (default: wcxb-dev and fundus-dev); ``--only
handpicked,trafilatura`` makes a quick run. Every extractor gets the same decoded ``str``;
trafilatura runs as ``bare_extraction`` with metadata, as handpicked always reads its title,
author and date. Times are CPU time (``time.process_time``) of the extraction call alone.

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
    DATASETS_DIR,
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
DEFAULT_SETS = ("wcxb-dev", "fundus-dev")
PEAK_RSS_BAR_MB = 300.0
NON_ARTICLE = "non-article"
ALL_PAGES = "all"
BASELINE = "trafilatura"


@dataclass(frozen=True, slots=True)
class PageResult:
    """One extractor on one page: scores, the verdicts on metadata (None: not scored on this
    page), the CPU time the call took and the exception it raised, if any. ``group`` is the
    row the page reports under: its page type (WCXB) or its language (fundus-dev)."""

    page_id: str
    page_type: str
    group: str
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
    """An extractor's results so far on one dev set."""

    extractor: Extractor
    extract: ExtractFn
    results: list[PageResult] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.extractor.name

    def errors(self) -> Counter[str]:
        return Counter(r.error for r in self.results if r.error)


@dataclass(frozen=True, slots=True)
class DevSet:
    """A dev set by name and folder, with how its report rows are grouped."""

    name: str
    root: Path

    def groups(self, pages: Sequence[Page]) -> list[str]:
        return language_groups(pages) if is_by_language(pages) else page_groups(pages)


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
    """Call one extractor, surviving anything it raises; only the call itself is timed, in CPU
    seconds of this process (a busy machine slows the wall clock, not the CPU count).

    A raise (handpicked's ExtractionError included) scores as empty text and is counted by
    exception type, so a crash shows up in the report instead of ending the run."""
    start = time.process_time()
    try:
        out = extract(html, url)
        error = None
    except Exception as exc:
        out, error = Extraction(), type(exc).__name__
    return out, time.process_time() - start, error


def scored_text(page: Page, out: Extraction) -> str:
    """The body text to score. Where the expected body opens with the standfirst (fundus-dev),
    an extractor that keeps its lead apart has it put in front, unless the text already
    starts with it."""
    if not (page.lead_in_body and out.lead):
        return out.text
    lead = out.lead.strip()
    if not lead or " ".join(out.text[: len(lead) + 40].split()).startswith(" ".join(lead.split())):
        return out.text
    return f"{lead}\n\n{out.text}" if out.text else lead


def score_page(page: Page, out: Extraction, seconds: float, error: str | None) -> PageResult:
    """Body on every page; metadata on article pages whose ground truth has the field."""
    body = body_score(scored_text(page, out), page.body)
    meta = page.is_article
    return PageResult(
        page_id=page.page_id,
        page_type=page.page_type,
        group=page.language or page.page_type,
        precision=body.precision,
        recall=body.recall,
        title_ok=title_matches(out.title, page.title) if meta and page.title else None,
        author_ok=(
            author_matches(out.authors, page.author) if meta and page.author is not None else None
        ),
        date_ok=date_matches(out.published, page.published) if meta and page.published else None,
        is_article=out.is_article,
        seconds=seconds,
        error=error,
    )


def load_extractors(names: Sequence[str]) -> tuple[list[tuple[Extractor, ExtractFn]], list[str]]:
    """Import each extractor up front, so no import lands in a timed call. One that will not
    import is left out with a note, rather than sinking the whole run."""
    loaded: list[tuple[Extractor, ExtractFn]] = []
    skipped: list[str] = []
    for name in names:
        extractor = EXTRACTORS[name]
        try:
            loaded.append((extractor, extractor.load()))
        except ImportError as exc:
            skipped.append(f"{name} (not importable: {exc})")
            print(f"warning: skipping {skipped[-1]}", file=sys.stderr)
    return loaded, skipped


def run_benchmark(pages: Sequence[Page], runs: Sequence[Run], label: str = "") -> list[str]:
    """Each page is read once and handed, as the same ``str``, to every extractor in turn;
    returns the ids of pages that were not valid UTF-8."""
    from tqdm import tqdm

    bad_encoding: list[str] = []
    warm_up(pages, runs)
    for page in tqdm(pages, desc=label or "extracting", unit="page", file=sys.stderr):
        html = read_html(page.html_path)
        if not html.clean:
            bad_encoding.append(page.page_id)
        for run in runs:
            out, seconds, error = timed_extract(run.extract, html.text, page.url)
            run.results.append(score_page(page, out, seconds, error))
    return bad_encoding


def warm_up(pages: Sequence[Page], runs: Sequence[Run]) -> None:
    """One untimed call each on the first page: lazy imports and compiled patterns that a
    library sets up on its first call are a start-up cost, not a per-page one."""
    if pages:
        html = read_html(pages[0].html_path).text
        for run in runs:
            timed_extract(run.extract, html, pages[0].url)


# ---------------------------------------------------------------------------------------------
# Summaries


def is_by_language(pages: Sequence[Page]) -> bool:
    return any(page.language for page in pages)


def page_groups(pages: Sequence[Page]) -> list[str]:
    """Report rows: articles, every other type present, the non-articles together, all."""
    present = {page.page_type for page in pages}
    known = [t for t in PAGE_TYPES if t in present]
    other = sorted(present - set(PAGE_TYPES))
    return [*known, *other, NON_ARTICLE, ALL_PAGES]


def language_groups(pages: Sequence[Page]) -> list[str]:
    """Report rows: all pages first, then each language, the most pages first."""
    counts = Counter(page.language or "unknown" for page in pages)
    return [ALL_PAGES, *sorted(counts, key=lambda lang: (-counts[lang], lang))]


def in_group(result: PageResult, group: str) -> bool:
    if group == ALL_PAGES:
        return True
    if group == NON_ARTICLE:
        return result.page_type != "article"
    return result.group == group


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


def metadata_summary(
    runs: Sequence[Run], groups: Sequence[str] = (ALL_PAGES,)
) -> dict[str, dict[str, Any]]:
    """Title, author and date accuracy on article pages, per group."""
    return {
        run.name: {
            group: {
                key: accuracy(getattr(r, f"{key}_ok") for r in run.results if in_group(r, group))
                for key in ("title", "author", "date")
            }
            for group in groups
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
    """Throughput over the summed CPU times, with the per-page spread and the errors."""
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
    """Probe each extractor in its own interpreter on the largest page of the set."""
    page = largest_page(dataset)
    probes: dict[str, Any] = {}
    for name in names:
        probes[name] = _probe_subprocess(name, page.html_path)
    return {
        "page_id": page.page_id,
        "page_bytes": uncompressed_size(page.html_path),
        "page_type": page.language or page.page_type,
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


def _short_pct(entry: dict[str, Any]) -> str:
    return "n/a" if entry["accuracy"] is None else f"{entry['accuracy']:.3f}"


def summary_section(report: dict[str, Any]) -> str:
    """One table per set, every extractor on one line: the numbers that matter at a glance."""
    parts = ["## Summary: both dev sets, same run"]
    for name, result in report["sets"].items():
        speed = result["speed"]
        base = (speed.get(BASELINE) or {}).get("pages_per_second")
        rows = []
        for extractor, body in result["body"].items():
            overall = body[ALL_PAGES]
            meta = result["metadata"][extractor][ALL_PAGES]
            rate = speed[extractor]["pages_per_second"]
            rows.append(
                [
                    extractor,
                    overall["pages"],
                    _num(overall["f1"]),
                    _num(overall["precision"]),
                    _num(overall["recall"]),
                    _short_pct(meta["title"]),
                    _short_pct(meta["author"]),
                    _short_pct(meta["date"]),
                    _num(rate, 1),
                    f"{rate / base:.2f}×" if rate and base else "n/a",
                ]
            )
        headers = [
            "extractor",
            "pages",
            "body F1",
            "P",
            "R",
            "title",
            "author",
            "date",
            "pages/CPU-s",
            f"vs {BASELINE}",
        ]
        parts.append(f"### {name}\n\n" + md_table(headers, rows))
    return "\n\n".join(parts)


def body_section(
    body: dict[str, dict[str, Any]], groups: Sequence[str], label: str, number: str
) -> str:
    """An F1-at-a-glance table, then every number."""
    names = list(body)
    glance = md_table(
        [label, "pages", *[f"{n} F1" for n in names]],
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
        [label, "extractor", "pages", "F1", "precision", "recall"],
        (
            [group, n, s["pages"], _num(s["f1"]), _num(s["precision"]), _num(s["recall"])]
            for group in groups
            for n in names
            for s in [body[n][group]]
        ),
    )
    return f"### {number}. Body text per {label} (4-gram shingles)\n\n{glance}\n\n{detail}"


def metadata_section(
    meta: dict[str, dict[str, Any]], groups: Sequence[str], label: str, number: str
) -> str:
    rows = (
        [group, name, _pct(m["title"]), _pct(m["author"]), _pct(m["date"])]
        for group in groups
        for name, per_group in meta.items()
        for m in [per_group[group]]
        if any(m[key]["pages"] for key in ("title", "author", "date"))
    )
    table = md_table([label, "extractor", "title", "author", "date"], rows)
    return (
        f"### {number}. Metadata on article pages\n\n"
        "Accuracy over the article pages whose ground truth has the field (fundus-dev: a "
        'reviewed "no byline" counts, and only an empty author list matches it).\n\n' + table
    )


def is_article_section(calls: dict[str, dict[str, Any]], notes: dict[str, str], number: str) -> str:
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
    return f"### {number}. `is_article` (positive class: page type article), all pages\n\n" + table


def speed_section(speed: dict[str, dict[str, Any]], number: str) -> str:
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
        "CPU s",
        "pages/CPU-s",
        "median ms",
        "p95 ms",
        "max ms",
        "errors",
        "error types",
    ]
    return f"### {number}. Speed, one core, CPU time of the extraction calls only\n\n" + md_table(
        headers, rows
    )


def memory_section(memory: dict[str, Any], number: str) -> str:
    rows = [_memory_row(name, probe) for name, probe in memory["extractors"].items()]
    headers = ["extractor", "before import MB", "after import MB", "peak MB", "increase MB", "note"]
    return (
        f"### {number}. Peak memory, fresh process per extractor\n\n"
        f"Largest page of the set: {memory['page_id']} ({memory['page_type']}, "
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
        "# Extraction benchmark (" + ", ".join(info["sets"]) + ")",
        "",
        f"- run: {info['started']}, {info['duration_s']:.0f} s in all",
    ]
    for name, about in info["sets"].items():
        bad = about["bad_encoding"]
        lines.append(
            f"- {name}: {about['path']} ({about['pages']} pages{limit}); not valid UTF-8 "
            f"(decoded with replacement): {len(bad)}" + (f" ({', '.join(bad[:10])})" if bad else "")
        )
    lines.append(f"- versions: {versions}")
    lines += [f"- skipped: {s}" for s in info["skipped"]]
    return "\n".join(lines)


def set_sections(name: str, result: dict[str, Any]) -> str:
    groups = result["groups"]
    label = "language" if result["by_language"] else "page type"
    meta_groups = groups if result["by_language"] else [ALL_PAGES]
    sections = [
        f"## {name}",
        body_section(result["body"], groups, label, "1"),
        metadata_section(result["metadata"], meta_groups, label, "2"),
        is_article_section(
            result["is_article"], {n: EXTRACTORS[n].note for n in result["is_article"]}, "3"
        ),
        speed_section(result["speed"], "4"),
    ]
    if result.get("memory"):
        sections.append(memory_section(result["memory"], "5"))
    return "\n\n".join(sections)


def versions(extractors: Sequence[Extractor]) -> dict[str, str]:
    found: dict[str, str] = {}
    for extractor in extractors:
        try:
            found[extractor.name] = importlib_metadata.version(extractor.distribution)
        except importlib_metadata.PackageNotFoundError:
            found[extractor.name] = "?"
    return found


def render(report: dict[str, Any]) -> str:
    sections = [header_section(report["info"]), summary_section(report)]
    sections += [set_sections(name, result) for name, result in report["sets"].items()]
    return "\n\n".join(sections) + "\n"


def per_page(runs: Sequence[Run]) -> dict[str, dict[str, Any]]:
    """Every score of every page, so a regression can be traced to the pages behind it."""
    pages: dict[str, dict[str, Any]] = {}
    for run in runs:
        for r in run.results:
            entry = pages.setdefault(
                r.page_id, {"page_type": r.page_type, "group": r.group, "extractors": {}}
            )
            fields = asdict(r)
            del fields["page_id"], fields["page_type"], fields["group"]
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
    parser.add_argument(
        "--dataset",
        type=_dev_set,
        action="append",
        default=None,
        help="a dev set by name (" + ", ".join(DEFAULT_SETS) + ") or folder; repeat for more "
        "(default: both)",
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages per set")
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
    args = parser.parse_args(argv)
    if args.dataset is None:
        args.dataset = [_dev_set(name) for name in DEFAULT_SETS]
    return args


def _dev_set(value: str) -> DevSet:
    """A known set's name, or a folder (named after its last part)."""
    path = Path(value)
    if not path.exists() and (DATASETS_DIR / value).exists():
        path = DATASETS_DIR / value
    return DevSet(path.name or value, path)


def _names(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in EXTRACTORS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown extractor {unknown}; choose from {', '.join(EXTRACTORS)}"
        )
    return names


def benchmark_set(
    dev_set: DevSet, extractors: Sequence[tuple[Extractor, ExtractFn]], args: argparse.Namespace
) -> dict[str, Any]:
    """Quality and speed on one set in this process, then memory in fresh ones."""
    pages = load_pages(dev_set.root, args.limit)
    runs = [Run(extractor, extract) for extractor, extract in extractors]
    bad_encoding = run_benchmark(pages, runs, dev_set.name)
    groups = dev_set.groups(pages)
    by_language = is_by_language(pages)
    result: dict[str, Any] = {
        "groups": groups,
        "by_language": by_language,
        "body": body_summary(runs, groups),
        "metadata": metadata_summary(runs, groups if by_language else [ALL_PAGES]),
        "is_article": is_article_summary(runs),
        "speed": speed_summary(runs),
        "about": {
            "path": str(dev_set.root),
            "pages": len(pages),
            "bad_encoding": bad_encoding,
        },
    }
    if not args.no_memory:
        print(f"{dev_set.name}: peak memory, one fresh process per extractor ...", file=sys.stderr)
        result["memory"] = measure_memory([run.name for run in runs], dev_set.root)
    result["pages"] = per_page(runs)
    return result


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """The whole run, one set after the other with the same extractors."""
    started, started_at = time.monotonic(), datetime.now(UTC).isoformat(timespec="seconds")
    pin_to_one_core()
    quiet_libraries()
    extractors, skipped = load_extractors(args.only)
    sets = {dev_set.name: benchmark_set(dev_set, extractors, args) for dev_set in args.dataset}
    return {
        "sets": sets,
        "info": {
            "started": started_at,
            "duration_s": time.monotonic() - started,
            "sets": {name: result["about"] for name, result in sets.items()},
            "limit": args.limit,
            "versions": versions([extractor for extractor, _ in extractors]),
            "skipped": skipped,
        },
    }


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
    markdown = render(report)
    print(markdown)
    write_results(report, markdown, args.results)
    print(f"written: {args.results / 'extraction.md'} and .json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
