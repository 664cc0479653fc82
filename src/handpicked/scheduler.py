"""The background work of a running server: poll the sources that are due, understand what
came in, and send the digests that are due, every minute, until told to stop.

It runs in a thread beside the web app so that one ``handpicked serve`` is a whole news desk.
Each step is the desk's, as its CLI command's is, with the same crash safety: the server can be
killed at any moment and the next start finishes the work.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import UTC, datetime

from handpicked.desk import Desk
from handpicked.settings import Settings
from handpicked.store import Store

log = logging.getLogger("handpicked.scheduler")


class Scheduler:
    """Runs :meth:`tick` every ``interval_s`` seconds in a daemon thread."""

    def __init__(self, store: Store, settings: Settings, interval_s: float = 60.0) -> None:
        self.store = store
        self.settings = settings
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="handpicked-scheduler", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # one bad round must not end the server's background work
                log.exception("scheduled work failed; trying again in %.0f s", self.interval_s)
            self._stop.wait(self.interval_s)

    def tick(self) -> None:
        """One round: poll, understand (what came in, and any backlog), deliver."""
        desk = Desk(self.store, self.settings)
        gathered = asyncio.run(desk.gathering.poll_and_understand(catch_up=True))
        if gathered.polled.articles_added:
            log.info("polled: %d new articles", gathered.polled.articles_added)
        if gathered.understood and gathered.understood.articles:
            log.info("understood %d articles", gathered.understood.articles)
        # Without an SMTP server the digests go to the local outbox (see deliver.outbox).
        delivered = desk.deliverer().run_once(datetime.now(UTC))
        if delivered.due:
            log.info("digests: %s", delivered.summary())
