"""Bounded mutation fuzzing of the extraction engine.

Real pages (the seed article and a sample of the WCXB dev set) are mutated the ways broken
pages on the web are broken: flipped bytes, truncation, deleted and duplicated tags, spliced
pages, junk markup, lying charsets. Every mutant must come back as an ``Article`` or an
``ExtractionError`` within ``--slow`` seconds; anything else is a bug. Inputs that fail are
saved under ``bench/results/fuzz/`` so they can be replayed.

    .venv/bin/python bench/fuzz.py                     # 60 s
    .venv/bin/python bench/fuzz.py --seconds 20 --seed 7
    .venv/bin/python bench/fuzz.py --iterations 500 --pages 100

Exit status: 0 when every input was handled in time, 1 otherwise.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import signal
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from handpicked import ExtractionError, extract

ROOT = Path(__file__).resolve().parent.parent
SEED_PAGE = ROOT / "tests" / "fixtures" / "seed-article" / "page.html"
DATASET = ROOT.parent / "shared" / "datasets" / "wcxb-dev" / "html"
RESULTS = ROOT / "bench" / "results" / "fuzz"
SLOW_SECONDS = 10.0
HARD_SECONDS = 60.0
"""A mutant still running after this long is stopped and counted as a hang."""

Corpus = Sequence[tuple[str, bytes]]
Mutator = Callable[[bytes, random.Random, Corpus], bytes]

_TAG = re.compile(rb"<[^<>]{0,300}>")
_META_CHARSET = re.compile(rb"charset\s*=\s*[\"']?[\w.:-]+", re.IGNORECASE)
_JUNK = (
    b"<![CDATA[",
    b"]]>",
    b"</html>",
    b"</body><body>",
    b"<html>",
    b"<!--",
    b"-->",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"<script>",
    b"<style>",
    b"<title>",
    b"<table><tr><td>",
    b"<p",
    b'"',
    b"&#0;",
    b"&#xD800;",
    b"&#99999999999;",
    b"&amp",
    b'<meta charset="shift_jis">',
    b'<meta charset="utf-16">',
    b'<meta charset="no-such-charset">',
    b'<?xml version="1.0" encoding="ISO-8859-1"?>',
    b'<link rel="canonical" href="http://[::1">',
    b'<img src="http://[bad]/x.jpg">',
    b'<a href="javascript:void(0)">',
    b'<meta property="article:published_time" content="99999-99-99T99:99">',
    b'<time datetime="0000-00-00">',
    b'<script type="application/ld+json">{"@type":"NewsArticle","author":[null,{"name":3}],'
    b'"datePublished":[],"headline":{"x":1}}</script>',
    b'<script type="application/ld+json">[[[{</script>',
)
_CHARSETS = (b"utf-8", b"windows-1252", b"shift_jis", b"utf-16", b"koi8-r", b"bogus", b"")


def flip_bytes(data: bytes, rng: random.Random, corpus: Corpus) -> bytes:
    """Overwrite a few bytes with random values: transmission damage, bad disks."""
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.randint(1, 32)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random, corpus: Corpus) -> bytes:
    """Cut the page short, as an interrupted download does (sometimes mid-character)."""
    return data[: rng.randrange(len(data) + 1)]


def delete_tags(data: bytes, rng: random.Random, corpus: Corpus) -> bytes:
    """Remove some tags, leaving elements unclosed or closers without openers."""
    tags = list(_TAG.finditer(data))
    if not tags:
        return data
    doomed = sorted(rng.sample(tags, min(len(tags), rng.randint(1, 20))), key=lambda m: m.start())
    out, last = bytearray(), 0
    for match in doomed:
        out += data[last : match.start()]
        last = match.end()
    return bytes(out + data[last:])


def duplicate(data: bytes, rng: random.Random, corpus: Corpus) -> bytes:
    """Copy a slice elsewhere, sometimes many times over: repeated blocks, runaway nesting."""
    if not data:
        return data
    start = rng.randrange(len(data))
    chunk = data[start : start + rng.choice((16, 256, 4096, 65_536))]
    times = rng.choice((1, 2, 10, 200)) if len(chunk) < 4096 else 1
    at = rng.randrange(len(data) + 1)
    return data[:at] + chunk * times + data[at:]


def insert_junk(data: bytes, rng: random.Random, corpus: Corpus) -> bytes:
    """Insert markup that parsers and extractors find awkward."""
    junk = rng.choice(_JUNK)
    if rng.random() < 0.1:
        junk = junk * rng.randint(2, 5_000)
    at = rng.randrange(len(data) + 1)
    return data[:at] + junk + data[at:]


def splice(data: bytes, rng: random.Random, corpus: Corpus) -> bytes:
    """The start of one page glued to the end of another (two documents in one response)."""
    _, other = rng.choice(corpus)
    return data[: rng.randrange(len(data) + 1)] + other[rng.randrange(len(other) + 1) :]


def lie_about_charset(data: bytes, rng: random.Random, corpus: Corpus) -> bytes:
    """Make the page's declared charset wrong, or re-encode it into another one."""
    if rng.random() < 0.5:
        return _META_CHARSET.sub(b"charset=" + rng.choice(_CHARSETS), data, count=1)
    text = data.decode("utf-8", "replace")
    return text.encode(rng.choice(("utf-16", "cp1252", "shift_jis", "gb18030")), "replace")


MUTATORS: tuple[Mutator, ...] = (
    flip_bytes,
    truncate,
    delete_tags,
    duplicate,
    insert_junk,
    splice,
    lie_about_charset,
)
_CONTENT_TYPES = (
    None,
    None,
    None,
    "text/html",
    "text/html; charset=utf-8",
    "text/html; charset=shift_jis",
    "text/html; charset=bogus",
    "text/plain",
)
_URLS = (None, None, "https://fuzz.example/news/2024/story.html", "not a url", "http://[::1")


def load_corpus(rng: random.Random, pages: int, dataset: Path = DATASET) -> list[tuple[str, bytes]]:
    """The seed page plus ``pages`` dev-set pages picked at random (all of them if fewer)."""
    corpus = [("seed-article/page.html", SEED_PAGE.read_bytes())]
    files = sorted(dataset.glob("*.html.gz")) if dataset.is_dir() else []
    for path in rng.sample(files, min(pages, len(files))):
        corpus.append((path.name, gzip.decompress(path.read_bytes())))
    return corpus


class Hang(BaseException):
    """Raised by the watchdog; a BaseException so no ``except Exception`` can swallow it."""


@contextmanager
def watchdog(seconds: float) -> Iterator[None]:
    """Interrupt the engine after ``seconds`` (POSIX only; elsewhere, only timing is kept)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def _alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Failure:
    """One kind of failure: its first input, where it happened, how often."""

    summary: str
    where: str
    example: Path | None
    count: int = 1


@dataclass
class Report:
    """What a fuzz run saw."""

    seed: int
    bases: int
    counts: Counter[str] = field(default_factory=Counter)
    failures: dict[str, Failure] = field(default_factory=dict)
    slowest: float = 0.0
    slowest_input: str = ""
    slowest_example: Path | None = None
    elapsed: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def ok(self) -> bool:
        return not self.failures and self.slowest <= SLOW_SECONDS

    def describe(self) -> str:
        lines = [
            f"fuzz: {self.total} inputs in {self.elapsed:.1f} s "
            f"(seed {self.seed}, {self.bases} base pages)",
            f"  Article          {self.counts['article']}",
            f"  ExtractionError  {self.counts['extraction_error']}",
            f"  other exception  {self.counts['other']}",
            f"  hang (> {HARD_SECONDS:g} s)   {self.counts['hang']}",
            f"slowest input: {self.slowest:.2f} s ({self.slowest_input})"
            + (f", saved as {self.slowest_example}" if self.slowest_example else ""),
        ]
        for failure in self.failures.values():
            lines.append(f"FAIL x{failure.count}: {failure.summary}\n      at {failure.where}")
            if failure.example:
                lines.append(f"      replay: {failure.example}")
        lines.append("OK" if self.ok else "FAILED")
        return "\n".join(lines)


def _where(error: BaseException) -> str:
    """The innermost frame of our own code, which is where a fix belongs."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "handpicked" in f.filename] or frames
    if not ours:
        return "?"
    frame = ours[-1]
    return f"{Path(frame.filename).name}:{frame.lineno} ({frame.name})"


def _save(data: bytes | str, label: str, save_dir: Path | None) -> Path | None:
    if save_dir is None:
        return None
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    save_dir.mkdir(parents=True, exist_ok=True)
    path = save_dir / f"{label}-{hashlib.sha1(raw).hexdigest()[:12]}.html"
    path.write_bytes(raw)
    return path


def fuzz(
    *,
    seconds: float | None,
    iterations: int | None,
    seed: int,
    pages: int,
    dataset: Path = DATASET,
    save_dir: Path | None = RESULTS,
) -> Report:
    """Mutate and extract until the time or the iteration budget runs out."""
    rng = random.Random(seed)
    corpus = load_corpus(rng, pages, dataset)
    report = Report(seed=seed, bases=len(corpus))
    started = time.monotonic()
    deadline = started + seconds if seconds is not None else None
    done = 0
    while (iterations is None or done < iterations) and (
        deadline is None or time.monotonic() < deadline
    ):
        done += 1
        name, data = rng.choice(corpus)
        applied = [rng.choice(MUTATORS) for _ in range(rng.randint(1, 4))]
        for mutate in applied:
            data = mutate(data, rng, corpus)
        page: bytes | str = data
        if rng.random() < 0.2:
            page = data.decode("utf-8", "replace")
        url, content_type = rng.choice(_URLS), rng.choice(_CONTENT_TYPES)
        label = f"{name}: {', '.join(m.__name__ for m in applied)}"

        clock = time.perf_counter()
        try:
            with watchdog(HARD_SECONDS):
                article = extract(page, url, content_type=content_type)
                json.dumps(article.to_dict())
            report.counts["article"] += 1
        except ExtractionError:
            report.counts["extraction_error"] += 1
        except (Exception, Hang) as error:
            kind = "hang" if isinstance(error, Hang) else "other"
            report.counts[kind] += 1
            summary = f"{type(error).__name__}: {str(error)[:160]}"
            where = _where(error)
            key = f"{type(error).__name__} {where}"
            if key in report.failures:
                report.failures[key].count += 1
            else:
                report.failures[key] = Failure(summary, where, _save(page, "crash", save_dir))
        elapsed = time.perf_counter() - clock
        if elapsed > report.slowest:
            report.slowest, report.slowest_input = elapsed, label
            if elapsed > SLOW_SECONDS:
                report.slowest_example = _save(page, "slow", save_dir)
    report.elapsed = time.monotonic() - started
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=None, help="time budget (default 60)")
    parser.add_argument("--iterations", type=int, default=None, help="stop after N inputs")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    parser.add_argument("--pages", type=int, default=40, help="dev-set pages to mutate")
    parser.add_argument("--dataset", type=Path, default=DATASET, help="folder of *.html.gz")
    parser.add_argument("--no-save", action="store_true", help="do not save failing inputs")
    args = parser.parse_args(argv)
    seconds = args.seconds
    if seconds is None and args.iterations is None:
        seconds = 60.0
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    report = fuzz(
        seconds=seconds,
        iterations=args.iterations,
        seed=seed,
        pages=args.pages,
        dataset=args.dataset,
        save_dir=None if args.no_save else RESULTS,
    )
    print(report.describe())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
