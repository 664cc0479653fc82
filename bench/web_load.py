"""Load test of the web app: ``handpicked serve`` (uvicorn, one process) under concurrent
readers, latency percentiles per page and API call.

Sets up a fresh SQLite store with the bundled sample (the seed pair and the dev-set
articles), ``--readers`` readers who each follow a few things and have a session cookie and an
API token, then starts the real server in its own process and sends a mix of requests from
``--concurrency`` clients for ``--seconds``: today's picks as a page and through the API, the
article reader view, the story page and the reader's Atom feed. Prints a Markdown table (also
written to ``bench/results/web_load.md``):

    python bench/web_load.py [--seconds 20] [--concurrency 16] [--readers 50]

The load generator runs on the same machine (two shared cores here), so the numbers are a
floor for what the server does alone.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

# Runnable as `python bench/web_load.py`: the repository root must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from handpicked.desk import readers as service
from handpicked.desk.accounts import SESSION_LIFETIME
from handpicked.sample import load_sample
from handpicked.store import open_store
from handpicked.web.security import SESSION_COOKIE

RESULTS = Path(__file__).resolve().parent / "results"
FOLLOWS = ("Putin", "topic:politics", "topic:business", "topic:technology", "Donald Trump",
           "topic:world", "topic:sport", "Ukraine", "China")  # fmt: skip
MIX = (("GET / (page)", 15), ("GET /api/v1/picks", 35), ("GET /articles/{id}", 25),
       ("GET /stories/{id}", 15), ("GET /feeds/{token}.atom", 10))  # fmt: skip


@dataclass(frozen=True)
class Client:
    session: str
    token: str
    feed_token: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def prepare(folder: Path, readers: int) -> tuple[str, list[Client], list[int], list[int]]:
    """A store with the sample and ``readers`` readers; their credentials and the ids."""
    url = f"sqlite:///{folder / 'load.db'}"
    now = datetime.now(UTC)
    rng = random.Random(7)
    clients: list[Client] = []
    with open_store(url) as store:
        load_sample(store, now)
        for n in range(readers):
            reader = service.add_reader(store, f"reader{n}@example.com", now)
            for thing in rng.sample(FOLLOWS, 3):
                service.set_interest(store, reader, thing, "follow", now)
            session = store.accounts.create_session(reader.id, now, SESSION_LIFETIME)
            _id, token = store.accounts.create_api_token(reader.id, "load", now)
            clients.append(Client(session, token, reader.feed_token))
        articles = [a.id for a in store.articles.list()]
        stories = [s.id for s in store.stories.list()]
    return url, clients, articles, stories


def start_server(url: str, folder: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDPICKED_")}
    env |= {"HANDPICKED_DATABASE_URL": url, "HANDPICKED_DATA_DIR": str(folder),
            "HANDPICKED_BASE_URL": f"http://127.0.0.1:{port}"}  # fmt: skip
    command = [sys.executable, "-m", "handpicked", "serve", "--port", str(port), "--no-scheduler",
               "--workers", str(workers)]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/static/site.css", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start within 60 s")


async def drive(
    base: str,
    clients: Sequence[Client],
    articles: Sequence[int],
    stories: Sequence[int],
    seconds: float,
    concurrency: int,
) -> tuple[dict[str, list[float]], dict[str, int], float]:
    """Send the mix for ``seconds`` from ``concurrency`` clients: latencies and errors."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    names = [name for name, _weight in MIX]
    weights = [weight for _name, weight in MIX]
    stop = time.monotonic() + seconds

    async def worker(seed: int) -> None:
        rng = random.Random(seed)
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            while time.monotonic() < stop:
                client = rng.choice(clients)
                name = rng.choices(names, weights)[0]
                path, headers, cookies = _request(name, client, rng, articles, stories)
                http.cookies.clear()
                started = time.perf_counter()
                try:
                    response = await http.get(path, headers=headers, cookies=cookies)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies[name].append(time.perf_counter() - started)
                if not ok:
                    errors[name] += 1

    began = time.monotonic()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return latencies, errors, time.monotonic() - began


def _request(
    name: str, client: Client, rng: random.Random, articles: Sequence[int], stories: Sequence[int]
) -> tuple[str, dict[str, str], dict[str, str]]:
    if name == "GET / (page)":
        return "/", {}, {SESSION_COOKIE: client.session}
    if name == "GET /api/v1/picks":
        return "/api/v1/picks", {"Authorization": f"Bearer {client.token}"}, {}
    if name == "GET /articles/{id}":
        return f"/articles/{rng.choice(articles)}", {}, {}
    if name == "GET /stories/{id}":
        return f"/stories/{rng.choice(stories)}", {}, {}
    return f"/feeds/{client.feed_token}.atom", {}, {}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def table(
    latencies: dict[str, list[float]], errors: dict[str, int], elapsed: float, rss_mb: float,
    concurrency: int, workers: int,
) -> str:  # fmt: skip
    total = sum(len(v) for v in latencies.values())
    lines = [
        f"{total} requests in {elapsed:.1f} s from {concurrency} concurrent clients, "
        f"{workers} server process{'es' if workers > 1 else ''}: "
        f"{total / elapsed:.0f} requests/s; server peak RSS {rss_mb:.0f} MB",
        "",
        "| request | count | p50 ms | p90 ms | p99 ms | mean ms | errors |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    everything: list[float] = []
    for name, _weight in MIX:
        values = latencies.get(name, [])
        if not values:
            continue
        everything += values
        lines.append(
            f"| {name} | {len(values)} | {_percentile(values, 0.5) * 1000:.1f} | "
            f"{_percentile(values, 0.9) * 1000:.1f} | {_percentile(values, 0.99) * 1000:.1f} | "
            f"{statistics.fmean(values) * 1000:.1f} | {errors.get(name, 0)} |"
        )
    if everything:
        lines.append(
            f"| all | {len(everything)} | {_percentile(everything, 0.5) * 1000:.1f} | "
            f"{_percentile(everything, 0.9) * 1000:.1f} | "
            f"{_percentile(everything, 0.99) * 1000:.1f} | "
            f"{statistics.fmean(everything) * 1000:.1f} | {sum(errors.values())} |"
        )
    return "\n".join(lines)


def _children(pid: int) -> list[int]:
    """The server's worker processes (uvicorn with --workers)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _peak_rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--dataset", type=Path, help="ignored (the sample is bundled)")
    parser.add_argument("--limit", type=int, help="ignored")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        print(f"setting up {args.readers} readers over the sample…", file=sys.stderr)
        url, clients, articles, stories = prepare(folder, args.readers)
        port = _free_port()
        server = start_server(url, folder, port, args.workers)
        try:
            base = f"http://127.0.0.1:{port}"
            asyncio.run(drive(base, clients, articles, stories, 2.0, 4))  # warm up
            latencies, errors, elapsed = asyncio.run(
                drive(base, clients, articles, stories, args.seconds, args.concurrency)
            )
            rss = _peak_rss_mb(server.pid) + sum(_peak_rss_mb(pid) for pid in _children(server.pid))
        finally:
            server.terminate()
            server.wait(20)
    report = table(latencies, errors, elapsed, rss, args.concurrency, args.workers)
    print(report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "web_load.md").write_text(report + "\n", encoding="utf-8")
    return 1 if sum(errors.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
