"""Bulk extraction: every HTML page in web archives (WARC) to one JSON Lines or Parquet file,
spread over a Dask cluster so that a crawl's worth of pages scales with the workers.

Names load on first use, so that the CLI does not import Dask for a single page.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from handpicked.bulk.job import JobSummary, SchedulerError, run_warc_extraction
    from handpicked.bulk.warc import WarcOpenError, WarcPage, WarcStats, iter_html_responses
    from handpicked.bulk.writers import OutputFormatError, open_writer

__all__ = [
    "JobSummary",
    "OutputFormatError",
    "SchedulerError",
    "WarcOpenError",
    "WarcPage",
    "WarcStats",
    "iter_html_responses",
    "open_writer",
    "run_warc_extraction",
]

_HOMES = {
    "JobSummary": "job",
    "run_warc_extraction": "job",
    "SchedulerError": "job",
    "WarcOpenError": "warc",
    "WarcPage": "warc",
    "WarcStats": "warc",
    "iter_html_responses": "warc",
    "OutputFormatError": "writers",
    "open_writer": "writers",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"handpicked.bulk.{_HOMES[name]}"), name)
