"""The fetch queue: page URLs found by polling, waiting to be fetched and stored.

A claimed URL is leased to one worker, named by its ``host:pid`` claim (:mod:`handpicked.claims`),
so that a restart can take back a dead worker's URLs at once and leave a live one's alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import func, select

from handpicked.claims import claim_is_dead
from handpicked.store.model import PendingState, PendingUrl
from handpicked.store.sessions import Repository, http_url, insert
from handpicked.store.tables import ArticleRow, PendingUrlRow

#: Fetches of one URL before it is given up as failed.
MAX_FETCH_ATTEMPTS = 5
MAX_BACKOFF = timedelta(hours=24)
DEFAULT_LEASE_S = 600
_ERROR_CHARS = 4000
_CHUNK = 500


class FetchQueue(Repository):
    """``store.queue``: queueing URLs, leasing them to workers, and their failures."""

    def add(self, urls: Iterable[str], source_id: int | None, now: datetime) -> int:
        """Queue the http(s) URLs not yet queued (in any state) nor stored; how many were new."""
        keys = list(dict.fromkeys(k for u in urls if (k := http_url(u)) is not None))
        added = 0
        with self._sessions.write() as session:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                stored = set(
                    session.scalars(
                        select(ArticleRow.canonical_url).where(ArticleRow.canonical_url.in_(chunk))
                    )
                )
                rows = [
                    {
                        "source_id": source_id,
                        "url": key,
                        "discovered_at": now,
                        "attempts": 0,
                        "next_attempt_at": now,
                        "state": "pending",
                    }
                    for key in chunk
                    if key not in stored
                ]
                if not rows:
                    continue
                stmt = (
                    insert(session, PendingUrlRow)
                    .values(rows)
                    .on_conflict_do_nothing(index_elements=["url"])
                    .returning(PendingUrlRow.id)
                )
                added += len(session.execute(stmt).all())
        return added

    def claim(
        self,
        limit: int,
        now: datetime,
        *,
        lease_s: float = DEFAULT_LEASE_S,
        claimant: str | None = None,
    ) -> list[PendingUrl]:
        """Up to ``limit`` due URLs, oldest due first. Each is leased for ``lease_s`` seconds:
        no other claim gets it meanwhile, and if the worker dies it comes round again after
        (or at once, when ``release_dead_claims`` sees that its ``claimant`` is gone)."""
        # Among equally due URLs, take each source's in turn: a feed's pages are queued
        # together, and a batch of one host's pages would leave the fetcher's other hosts idle.
        turn = (
            func.row_number()
            .over(partition_by=PendingUrlRow.source_id, order_by=PendingUrlRow.id)
            .label("turn")
        )
        due = (
            select(PendingUrlRow.id, PendingUrlRow.next_attempt_at, turn)
            .where(PendingUrlRow.state == "pending", PendingUrlRow.next_attempt_at <= now)
            .subquery()
        )
        order = select(due.c.id).order_by(due.c.next_attempt_at, due.c.turn, due.c.id)
        with self._sessions.write() as session:
            wanted = list(session.scalars(order.limit(limit)))
            if not wanted:
                return []
            locked = session.scalars(
                select(PendingUrlRow)
                .where(
                    PendingUrlRow.id.in_(wanted),
                    PendingUrlRow.state == "pending",
                    PendingUrlRow.next_attempt_at <= now,  # re-checked: another claim may win
                )
                .with_for_update(skip_locked=True)
            )
            by_id = {row.id: row for row in locked}
            rows = [by_id[i] for i in wanted if i in by_id]
            for row in rows:
                row.next_attempt_at = now + timedelta(seconds=lease_s)
                row.claimed_by = claimant
            session.flush()
            return [_pending(r) for r in rows]

    def release_dead_claims(self, host: str, now: datetime, is_alive: Callable[[int], bool]) -> int:
        """Make due again the URLs leased by processes of ``host`` that have died (a poll
        killed with ``kill -9``), so a restart finishes their work at once. Returns how many."""
        stmt = select(PendingUrlRow).where(
            PendingUrlRow.state == "pending",
            PendingUrlRow.next_attempt_at > now,
            PendingUrlRow.claimed_by.like(f"{host}:%"),
        )
        released = 0
        with self._sessions.write() as session:
            for row in session.scalars(stmt):
                if claim_is_dead(row.claimed_by, host, is_alive):
                    row.next_attempt_at = now
                    row.claimed_by = None
                    released += 1
            session.flush()
        return released

    def fail(self, pending_id: int, error: str, now: datetime, retry: bool) -> PendingUrl:
        """Count a failed fetch: retry later with back-off, or give up (``retry`` false, or the
        ``MAX_FETCH_ATTEMPTS``-th failure) and mark it failed."""
        with self._sessions.write() as session:
            row = session.get(PendingUrlRow, pending_id)
            if row is None:
                raise LookupError(f"no pending URL with id {pending_id}")
            row.attempts += 1
            row.claimed_by = None
            row.last_error = error[:_ERROR_CHARS]
            if retry and row.attempts < MAX_FETCH_ATTEMPTS:
                row.next_attempt_at = now + fetch_backoff(row.attempts)
            else:
                row.state = "failed"
            session.flush()
            return _pending(row)

    def counts(self) -> dict[str, int]:
        """How many queued URLs are in each state."""
        stmt = select(PendingUrlRow.state, func.count()).group_by(PendingUrlRow.state)
        with self._sessions.read() as session:
            counts = {"pending": 0, "done": 0, "failed": 0}
            counts.update({state: n for state, n in session.execute(stmt)})
            return counts


def fetch_backoff(attempts: int) -> timedelta:
    """Wait before refetching a URL after its ``attempts``-th failure: 1, 4, 16, 64 minutes…"""
    return min(timedelta(minutes=4 ** (min(attempts, 10) - 1)), MAX_BACKOFF)


def _pending(row: PendingUrlRow) -> PendingUrl:
    return PendingUrl(
        id=row.id,
        source_id=row.source_id,
        url=row.url,
        discovered_at=row.discovered_at,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        state=cast(PendingState, row.state),
    )
