"""The bulk job: pages from WARC files, extracted on a Dask cluster, written to one file.

The driver reads the archives (fastwarc is fast; extraction is what costs) and ships batches
of pages to the workers, so the work scales with the workers whether the archives are one big
file or many, and whether or not the workers can see the driver's disk. At most a few batches
per worker are in flight, and results are written as they come back, so memory stays bounded.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import distributed
from tqdm import tqdm

from handpicked.bulk.warc import WarcPage, WarcStats, check_warc, iter_html_responses
from handpicked.bulk.writers import RowWriter, check_output, open_writer
from handpicked.errors import ExtractionError, HandpickedError
from handpicked.extract import extract

__all__ = [
    "Batch",
    "BatchResult",
    "JobSummary",
    "SchedulerError",
    "extract_batch",
    "local_cluster",
    "run_warc_extraction",
]

#: distributed ships py.typed yet leaves most of its API unannotated; going through Any keeps
#: strict mypy on our code instead of flagging every call into theirs.
_dask: Any = distributed
_IN_FLIGHT_PER_WORKER = 2
_CONNECT_TIMEOUT = "10s"
_MAX_BATCH_BYTES = 32 << 20  # keeps one batch's pages (and its pickle) a sane size


class SchedulerError(HandpickedError):
    """The Dask scheduler given by address could not be reached."""


@dataclass(frozen=True, slots=True)
class Batch:
    """Pages from one WARC file, shipped to a worker together (plain data, so it pickles)."""

    warc_file: str
    pages: list[WarcPage]


@dataclass(slots=True)
class BatchResult:
    """What a worker made of a batch: rows to write, and the pages it could not extract."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    pages: int = 0
    articles: int = 0
    errors: int = 0
    error_reasons: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class JobSummary:
    """The outcome of a bulk run; bad records are the archive's fault, errors the page's.
    ``seconds`` is the whole run, ``startup_seconds`` the part spent starting the cluster."""

    out: Path
    pages: int = 0
    articles: int = 0
    errors: int = 0
    bad_records: int = 0
    seconds: float = 0.0
    startup_seconds: float = 0.0
    bad_reasons: Counter[str] = field(default_factory=Counter)
    error_reasons: Counter[str] = field(default_factory=Counter)
    truncated_files: list[Path] = field(default_factory=list)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        """One line for a person: what was done, how fast, and where it went."""
        return (
            f"{self.pages:,} pages, {self.articles:,} articles, "
            f"{self.bad_records:,} bad record{'s' if self.bad_records != 1 else ''}, "
            f"{self.errors:,} error{'s' if self.errors != 1 else ''} in {self.seconds:.1f} s "
            f"({self.pages_per_second:.1f} pages/s) → {self.out}"
        )


def extract_batch(batch: Batch) -> BatchResult:
    """Runs on a worker: extract every page; one bad page never sinks the batch."""
    result = BatchResult(pages=len(batch.pages))
    for page in batch.pages:
        try:
            article = extract(page.content, page.url, content_type=page.content_type)
        except ExtractionError as error:
            result.errors += 1
            result.error_reasons[str(error)] += 1
            continue
        except Exception as error:  # an engine bug must cost one page, not a crawl
            result.errors += 1
            result.error_reasons[f"internal error ({type(error).__name__})"] += 1
            continue
        row = article.to_dict()
        row["warc_file"] = batch.warc_file
        row["warc_date"] = page.date.isoformat() if page.date else None
        result.rows.append(row)
        result.articles += article.is_article
    return result


def _batches(paths: Sequence[Path], batch_size: int, summary: JobSummary) -> Iterator[Batch]:
    """Batches of pages, file after file; each file's stats land in ``summary`` as read."""
    for path in paths:
        stats = WarcStats()
        pages = iter_html_responses(path, stats)
        while True:
            batch: list[WarcPage] = []
            size = 0
            for page in islice(pages, batch_size):
                batch.append(page)
                size += len(page.content)
                if size >= _MAX_BATCH_BYTES:
                    break
            if not batch:
                break
            yield Batch(str(path), batch)
        summary.bad_records += stats.bad_records
        summary.bad_reasons.update(stats.bad_reasons)
        if stats.truncated:
            summary.truncated_files.append(path)


@contextmanager
def dask_client(scheduler: str | None, workers: int | None) -> Iterator[Any]:
    """A client on an existing cluster, or on a local one that lives as long as the job."""
    if scheduler is not None:
        try:
            client = _dask.Client(scheduler, timeout=_CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as error:
            raise SchedulerError(
                f"could not reach the Dask scheduler at {scheduler} ({error}); "
                "check the address and that the scheduler is running"
            ) from error
        with client:
            yield client
        return
    with local_cluster(workers or os.cpu_count() or 1) as cluster, _dask.Client(cluster) as client:
        yield client


def local_cluster(workers: int) -> Any:
    """A LocalCluster of single-threaded worker processes, dashboard off.

    The scheduler serves a few HTTP routes (health, metrics) even with the dashboard off, by
    default on port 8787; a second cluster on the machine then warns and moves. A free
    loopback port from the start avoids both the clash and the warning.
    """
    return _dask.LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
    )


def _worker_threads(client: Any) -> int:
    threads: dict[str, int] = client.nthreads()
    return max(1, sum(threads.values()))


def _run(
    client: Any,
    batches: Iterator[Batch],
    writer: RowWriter,
    summary: JobSummary,
    bar: tqdm[Any],
) -> None:
    """Keep a few batches per worker in flight; write each result as it lands."""
    limit = _IN_FLIGHT_PER_WORKER * _worker_threads(client)
    done = _dask.as_completed()
    running: dict[Any, int] = {}  # future -> pages in its batch

    def submit() -> bool:
        batch = next(batches, None)
        if batch is None:
            return False
        # Scattered, not embedded: a batch is megabytes, too big to travel in the task graph.
        data = client.scatter(batch, hash=False)
        future = client.submit(extract_batch, data, pure=False)
        running[future] = len(batch.pages)
        done.add(future)
        return True

    try:
        while len(running) < limit and submit():
            pass
        for future in done:
            pages = running.pop(future)
            try:
                result: BatchResult = future.result()
            except Exception as error:  # a worker died on it, even after Dask's retries
                result = BatchResult(pages=pages, errors=pages)
                result.error_reasons[f"worker failed ({type(error).__name__})"] = pages
            future.release()
            writer.write(result.rows)
            summary.pages += result.pages
            summary.articles += result.articles
            summary.errors += result.errors
            summary.error_reasons.update(result.error_reasons)
            bar.update(result.pages)
            submit()
    finally:
        if running:
            client.cancel(list(running))


def run_warc_extraction(
    paths: Sequence[Path],
    out: Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    batch_size: int = 200,
    progress: bool = True,
) -> JobSummary:
    """Extract every HTML page in ``paths`` into ``out`` (.jsonl, .json or .parquet).

    Runs on a local cluster of ``workers`` processes (default: one per core), or on the
    cluster whose scheduler is at ``scheduler`` (``tcp://host:port``; its workers need
    handpicked installed). Raises :class:`~handpicked.bulk.WarcOpenError` before any work
    when a file cannot be read, :class:`~handpicked.bulk.OutputFormatError` for an unknown
    output suffix, and :class:`SchedulerError` when the scheduler cannot be reached.
    Rows are written as batches finish, so their order is not the archives' order.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    check_output(out)
    for path in paths:
        check_warc(path)
    started = time.perf_counter()
    summary = JobSummary(out=out)
    with (
        open_writer(out) as writer,
        dask_client(scheduler, workers) as client,
        tqdm(unit="page", file=sys.stderr, disable=not progress, leave=False) as bar,
    ):
        summary.startup_seconds = time.perf_counter() - started
        _run(client, _batches(paths, batch_size, summary), writer, summary, bar)
    summary.seconds = time.perf_counter() - started
    return summary
