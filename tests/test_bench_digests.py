"""The digest benchmark measures every reader and sends exactly the non-empty digests.

A tiny run of ``bench/digests.py`` (300 articles, 50 readers, 20 sent), so that a change to
the picking or delivery code that breaks the benchmark shows up in the normal suite.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.digests import Results, Size, render, run, to_json


@pytest.fixture(scope="module")
def results() -> Results:
    return run(Size(articles=300, readers=50, send_readers=20), trace=True)


def test_the_digest_benchmark_builds_a_digest_for_every_reader(results: Results) -> None:
    corpus, build = results.corpus, results.build
    assert (corpus.articles, corpus.readers) == (300, 50)
    assert 0 < corpus.stories < corpus.articles
    assert corpus.copies > 0 and corpus.single_outlet_stories > 0
    assert build.readers == 50 and build.batches == 1
    assert build.empty == 50 - len(build.non_empty)
    assert len(build.non_empty) > 25, "most readers follow something that is in the news"
    assert len(build.non_empty) <= build.items <= 50 * 20
    assert build.seconds > 0 and build.steps["pool"] > 0 and build.steps["ranking"] > 0
    assert build.tracemalloc_peak_mb > 0 and build.traced_readers == 50


def test_the_digest_benchmark_sends_exactly_the_non_empty_digests(results: Results) -> None:
    send = results.send
    assert send.readers == send.due == 20
    assert send.expected == sum(1 for reader in results.build.non_empty if reader <= 20)
    assert send.sent == send.expected == send.sink_messages > 0
    assert send.sent + send.skipped == send.due and send.failed == 0
    assert send.sink_bytes > 1000 * send.sink_messages, "a digest is a few kilobytes at least"
    assert send.ok


def test_the_digest_benchmark_reports_its_numbers(results: Results) -> None:
    table = render(results)
    assert "| **build**" in table and "| **send**" in table and "MISMATCH" not in table
    numbers = to_json(results)
    assert numbers["send"]["ok"] is True
    assert numbers["build"]["readers"] == 50 and "non_empty" not in numbers["build"]
