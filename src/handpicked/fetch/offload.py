"""Parsing off the event loop: small documents in a worker thread, big ones in a worker process.

A thread frees the event loop but not the interpreter. Parsing a feed of tens of thousands of
items allocates millions of objects, and the garbage collector's full passes over them hold the
GIL for hundreds of milliseconds at a time, so every request the web app serves meanwhile would
wait. Documents over :data:`BIG_DOCUMENT` bytes are therefore parsed in a separate process
(one, started on first use and kept; the first big document pays its start-up) and only a small
answer comes back: a title, or the few newest entries a poll will take. Smaller documents parse
in a thread, where starting a process would cost more than it saves.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

__all__ = ["BIG_DOCUMENT", "parse_off_loop"]

BIG_DOCUMENT = 1_000_000
"""Bytes over which a document is parsed in the worker process rather than a thread."""

P = ParamSpec("P")
T = TypeVar("T")

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _worker_pool() -> ProcessPoolExecutor:
    """The worker process, started on first use. Spawned, not forked: forking a process that
    runs threads (the server's, httpx's) can deadlock the child."""
    global _pool
    with _pool_lock:
        if _pool is None:
            context = multiprocessing.get_context("spawn")
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        return _pool


def _forget_pool(broken: ProcessPoolExecutor) -> None:
    global _pool
    with _pool_lock:
        if _pool is broken:
            _pool = None
    broken.shutdown(wait=False, cancel_futures=True)


async def parse_off_loop(size: int, parse: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``parse(*args, **kwargs)`` in a thread, or in the worker process when the document is
    over :data:`BIG_DOCUMENT` bytes (``parse``, its arguments and its answer must pickle).
    Exceptions come back as raised; a worker that died (killed, out of memory) is replaced
    for the next call and this one is tried once more in a thread."""
    if size <= BIG_DOCUMENT:
        return await asyncio.to_thread(parse, *args, **kwargs)
    pool = _worker_pool()
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(pool, functools.partial(parse, *args, **kwargs))
    except BrokenProcessPool:
        _forget_pool(pool)
        return await asyncio.to_thread(parse, *args, **kwargs)
