"""The bulk job end to end on a real (local, small) Dask cluster, to JSON Lines and Parquet."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from handpicked.bulk import (
    OutputFormatError,
    SchedulerError,
    WarcOpenError,
    job,
    open_writer,
    run_warc_extraction,
)
from handpicked.bulk.job import Batch, JobSummary, extract_batch, local_cluster
from handpicked.bulk.warc import WarcPage
from handpicked.bulk.writers import parquet_schema

from .make_warc import EMPTY_URL, SEED_TITLE, SEED_URL, Fixture, build_fixture, build_truncated


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """One two-worker cluster for the module: starting one takes seconds."""
    with local_cluster(2) as cluster:
        yield str(cluster.scheduler_address)


@pytest.fixture
def crawl(tmp_path: Path) -> Fixture:
    return build_fixture(tmp_path / "crawl.warc.gz")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_on_a_local_cluster_of_its_own(crawl: Fixture, tmp_path: Path) -> None:
    out = tmp_path / "articles.jsonl"
    summary = run_warc_extraction([crawl.path], out, workers=1, progress=False)
    rows = read_jsonl(out)
    assert [row["url"] for row in rows] == crawl.good_urls  # one batch: file order kept
    assert rows[0]["title"] == SEED_TITLE
    assert rows[0]["warc_file"] == str(crawl.path)
    assert rows[0]["warc_date"] == "2024-03-01T12:00:00+00:00"
    assert (summary.pages, summary.errors, summary.bad_records) == (5, 1, 2)
    assert summary.articles == sum(row["is_article"] for row in rows) >= 1
    assert summary.pages_per_second > 0
    assert summary.line().endswith(f"→ {out}")
    assert list(tmp_path.glob(".*.tmp")) == []


def test_parquet_on_an_existing_cluster(crawl: Fixture, tmp_path: Path, scheduler: str) -> None:
    cut = build_truncated(tmp_path / "cut.warc.gz")
    out = tmp_path / "articles.parquet"
    summary = run_warc_extraction(
        [crawl.path, cut.path], out, scheduler=scheduler, batch_size=1, progress=False
    )
    table = pq.read_table(out)
    assert table.schema.equals(parquet_schema())
    assert table.num_rows == summary.pages - summary.errors == 5
    urls = table.column("url").to_pylist()
    assert sorted(urls) == sorted([*crawl.good_urls, *cut.good_urls])
    assert EMPTY_URL not in urls
    seed = next(row for row in table.to_pylist() if row["url"] == SEED_URL)
    assert seed["title"] == SEED_TITLE
    assert seed["images"] and set(seed["images"][0]) == {"url", "caption", "credit", "alt"}
    assert summary.truncated_files == [cut.path]
    assert summary.bad_records == 3


def test_empty_result_still_writes_a_readable_file(tmp_path: Path, scheduler: str) -> None:
    cut = tmp_path / "cut.warc.gz"
    build_truncated(cut)
    cut.write_bytes(cut.read_bytes()[:30])
    out = tmp_path / "none.parquet"
    summary = run_warc_extraction([cut], out, scheduler=scheduler, progress=False)
    assert summary.pages == 0
    assert pq.read_table(out).num_rows == 0


def test_unusable_inputs_fail_before_any_work(tmp_path: Path, crawl: Fixture) -> None:
    with pytest.raises(WarcOpenError, match=r"missing\.warc\.gz: no such file"):
        run_warc_extraction([crawl.path, tmp_path / "missing.warc.gz"], tmp_path / "a.jsonl")
    with pytest.raises(OutputFormatError, match="unknown output format"):
        run_warc_extraction([crawl.path], tmp_path / "a.csv")
    assert list(tmp_path.glob("a.*")) == []


def test_extract_batch_counts_errors_and_keeps_going() -> None:
    pages = [
        WarcPage("https://x.example/empty", None, b"", "text/html"),
        WarcPage("https://x.example/a", None, b"<title>A</title><p>words here</p>", None),
    ]
    result = extract_batch(Batch("crawl.warc.gz", pages))
    assert (result.pages, result.errors, len(result.rows)) == (2, 1, 1)
    assert result.rows[0]["title"] == "A"
    assert result.rows[0]["warc_date"] is None


def test_a_failed_write_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "articles.parquet"
    with pytest.raises(RuntimeError), open_writer(out) as writer:
        writer.write([{"url": "https://x.example/", "is_article": False}])
        raise RuntimeError("crash mid-job")
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_closes_the_cluster_and_leaves_no_file(
    crawl: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_batches = job._batches

    def interrupted(paths: Sequence[Path], size: int, summary: JobSummary) -> Iterator[Batch]:
        yield next(real_batches(paths, size, summary))
        raise KeyboardInterrupt

    monkeypatch.setattr(job, "_batches", interrupted)
    out = tmp_path / "articles.parquet"
    before = set(multiprocessing.active_children())  # the module's cluster has some too
    with pytest.raises(KeyboardInterrupt):
        run_warc_extraction([crawl.path], out, workers=1, batch_size=1, progress=False)
    assert set(multiprocessing.active_children()) <= before  # our worker process is gone
    assert sorted(path.name for path in tmp_path.iterdir()) == ["crawl.warc.gz"]


def test_unreachable_scheduler(
    crawl: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(job, "_CONNECT_TIMEOUT", "0.5s")
    with pytest.raises(SchedulerError, match="could not reach the Dask scheduler"):
        run_warc_extraction([crawl.path], tmp_path / "a.jsonl", scheduler="tcp://127.0.0.1:9")
    assert not (tmp_path / "a.jsonl").exists()
