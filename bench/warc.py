"""WARC bulk-extraction benchmark: how pages/s grows from one Dask worker to two.

Packs the WCXB dev pages into one .warc.gz (in a temporary folder), runs
:func:`handpicked.bulk.run_warc_extraction` on it with 1 and then 2 local workers, and prints a
Markdown table, also written to ``bench/results/warc.md``.

    python bench/warc.py [--dataset PATH] [--limit N] [--batch-size N]

Seconds are the whole job, cluster start included, since that is what a user waits for; the
"after start" column leaves the start out, since on a big crawl it would vanish.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

# Runnable as `python bench/warc.py`: the repository root must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from bench.dataset import DEFAULT_DATASET, REPO_ROOT, DatasetError, Page, load_pages
from handpicked.bulk.job import JobSummary, run_warc_extraction

RESULTS = REPO_ROOT / "bench" / "results" / "warc.md"
WORKER_COUNTS = (1, 2)


def build_warc(pages: Sequence[Page], path: Path) -> int:
    """One gzip member per response record, as crawlers write them; returns the byte size."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for page in pages:
            body = gzip.decompress(page.html_path.read_bytes())
            headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                page.url or f"https://wcxb.example/{page.page_id}",
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=headers,
            )
            writer.write_record(record)
    return path.stat().st_size


def after_start(summary: JobSummary) -> float:
    """Pages/s once the cluster is up: what a long crawl would see."""
    return summary.pages / max(summary.seconds - summary.startup_seconds, 1e-9)


def render(runs: Sequence[tuple[int, JobSummary]], warc_bytes: int, batch_size: int) -> str:
    """The table, plus the facts needed to read it."""
    lines = [
        "# WARC bulk extraction: scaling with Dask workers",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"one {warc_bytes / 1_048_576:.1f} MB .warc.gz, batch size {batch_size}.",
        "",
        "| workers | pages | seconds | pages/s | start s | pages/s after start |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for workers, summary in runs:
        after = after_start(summary)
        lines.append(
            f"| {workers} | {summary.pages:,} | {summary.seconds:.1f} | "
            f"{summary.pages_per_second:.1f} | {summary.startup_seconds:.1f} | {after:.1f} |"
        )
    (_, one), (_, two) = runs[0], runs[-1]
    ratio = two.pages_per_second / max(one.pages_per_second, 1e-9)
    ratio_after = after_start(two) / max(after_start(one), 1e-9)
    lines += [
        "",
        f"Scaling (2 workers / 1 worker): **{ratio:.2f}×** in pages/s, "
        f"{ratio_after:.2f}× after cluster start.",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--limit", type=int, default=None, help="first N pages (default all)")
    parser.add_argument("--batch-size", type=int, default=20, help="pages per Dask task")
    args = parser.parse_args(argv)
    try:
        pages = load_pages(args.dataset, args.limit)
    except DatasetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="handpicked-bench-warc-") as folder:
        warc = Path(folder) / "wcxb-dev.warc.gz"
        warc_bytes = build_warc(pages, warc)
        runs: list[tuple[int, JobSummary]] = []
        for workers in WORKER_COUNTS:
            summary = run_warc_extraction(
                [warc],
                Path(folder) / f"out-{workers}.parquet",
                workers=workers,
                batch_size=args.batch_size,
                progress=False,
            )
            print(f"{workers} worker(s): {summary.line()}", file=sys.stderr)
            runs.append((workers, summary))
    markdown = render(runs, warc_bytes, args.batch_size)
    print(markdown)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(markdown, encoding="utf-8")
    print(f"written: {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
