"""Every benchmark in turn: extraction, WARC, polling, syndicated copies, stories, digests,
the web app under load.

    python bench/all.py [--dataset PATH] [--limit N]

Each runs as its own process with this interpreter, its tables printed as it goes; the exit
status is non-zero when any of them failed (all are still run).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BENCHMARKS = (
    "extraction.py",
    "warc.py",
    "poll.py",
    "syndication.py",
    "stories.py",
    "digests.py",
    "web_load.py",
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, default=None, help="passed to every benchmark")
    parser.add_argument("--limit", type=int, default=None, help="passed to every benchmark")
    args = parser.parse_args(argv)
    passed: list[str] = []
    if args.dataset is not None:
        passed += ["--dataset", str(args.dataset)]
    if args.limit is not None:
        passed += ["--limit", str(args.limit)]
    failed: list[str] = []
    for name in BENCHMARKS:
        print(f"== bench/{name}", file=sys.stderr, flush=True)
        done = subprocess.run([sys.executable, str(BENCH / name), *passed], check=False)
        if done.returncode != 0:
            print(f"bench/{name} failed (exit {done.returncode})", file=sys.stderr)
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
