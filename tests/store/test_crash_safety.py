"""A worker killed with SIGKILL at any moment loses nothing and stores nothing twice.

The test runs this file as a worker process (see ``work``) that queues N URLs and then claims
and saves them one by one; it is killed mid-run a few times, at random points, and finally run
to completion. Each restart's clock is an hour later, so the leases that the killed workers
held on URLs they had claimed but not saved have run out, as they would in real life.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from handpicked.article import Article
from handpicked.store import open_store
from handpicked.store.tables import ArticleRow

N = 60
KILLS = 3


def _urls(n: int) -> list[str]:
    return [f"https://news.example/story/{i}?utm_source=crash-test" for i in range(n)]


def work(url: str, n: int, delay_s: float, clock_offset_s: float) -> None:
    """Queue the N URLs (again), then claim and save them until none are left."""

    def now() -> datetime:
        return datetime.now(UTC) + timedelta(seconds=clock_offset_s)

    with open_store(url) as store:
        store.queue.add(_urls(n), None, now())
        print("queued", flush=True)
        while batch := store.queue.claim(2, now()):
            for pending in batch:
                article = Article(url=pending.url, title=pending.url, paragraphs=[pending.url])
                store.articles.save(
                    article,
                    source_id=None,
                    pending_id=pending.id,
                    fetched_url=pending.url,
                    now=now(),
                )
                print("saved", flush=True)
                time.sleep(delay_s)
        print("finished", flush=True)


def _worker(url: str, clock_offset_s: float) -> subprocess.Popen[str]:
    command = [sys.executable, "-W", "error", __file__, url, str(N), "0.004", str(clock_offset_s)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def _kill_after(process: subprocess.Popen[str], saves: int, rng: random.Random) -> None:
    assert process.stdout is not None
    seen = 0
    while seen < saves:
        line = process.stdout.readline()
        if not line:
            break
        seen += line == "saved\n"
    time.sleep(rng.uniform(0, 0.004))  # land anywhere: between saves or inside one
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the worker ended before it could be killed"


@pytest.mark.timeout(120)
def test_killed_worker_loses_and_duplicates_nothing(database_url: str) -> None:
    rng = random.Random(20261125)
    for round_ in range(KILLS):
        _kill_after(
            _worker(database_url, clock_offset_s=round_ * 3600), rng.randint(3, N // 5), rng
        )
    with open_store(database_url) as store:
        stored_before = store.articles.count()
    assert 0 < stored_before < N, "the kills should land mid-run"

    final = _worker(database_url, clock_offset_s=KILLS * 3600)
    out, err = final.communicate(timeout=60)
    assert final.returncode == 0, err
    assert out.endswith("finished\n")

    with open_store(database_url) as store:
        assert store.articles.count() == N
        assert store.queue.counts() == {"pending": 0, "done": N, "failed": 0}
        stored = store.articles.list()
        expected = {f"https://news.example/story/{i}" for i in range(N)}
        assert sorted(a.canonical_url for a in stored) == sorted(expected)
        with store.engine.connect() as connection:
            per_url = select(ArticleRow.canonical_url).group_by(ArticleRow.canonical_url)
            twice = per_url.having(func.count() > 1)
            assert connection.execute(twice).all() == []
        assert all(a.text == a.url for a in stored)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="crash-safety worker (run by the test)")
    parser.add_argument("url")
    parser.add_argument("n", type=int)
    parser.add_argument("delay_s", type=float)
    parser.add_argument("clock_offset_s", type=float)
    args = parser.parse_args()
    work(args.url, args.n, args.delay_s, args.clock_offset_s)
