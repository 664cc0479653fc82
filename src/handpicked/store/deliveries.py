"""Deliveries: the digests sent, one per reader and slot.

Deliveries are the exactly-once ledger. A digest moves ``claimed`` → ``sending`` → ``sent``
(or ``failed``, ``skipped``, ``uncertain``). ``claimed`` is written before any work, with the
claiming process as ``host:pid`` and a lease; ``sending`` is committed just before the
message body goes to the SMTP server. After a crash, a dead process's ``claimed`` rows are
taken up again (nothing left the machine), while its ``sending`` rows become ``uncertain``
and are never sent again: the server may already have the message, and a digest sent twice
is worse than one reported as possibly lost.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from handpicked.claims import claim_is_dead
from handpicked.store.model import DeliveryRecord, DeliveryState, SentStory
from handpicked.store.sessions import Repository, chunks
from handpicked.store.tables import DeliveryRow

CLAIM_LEASE = timedelta(minutes=15)
_ERROR_CHARS = 2000


class DeliveryRepository(Repository):
    """``store.deliveries``: the exactly-once ledger of digests."""

    def claim(
        self, reader_id: int, period: str, claimant: str, now: datetime
    ) -> DeliveryRecord | None:
        """Take the digest of ``reader_id`` for ``period`` to work on, or None when it is done or
        another live process holds it. A claimed row whose lease ran out (or whose retry is due)
        can be taken over; the compare-and-set update makes only one taker win."""
        lease_end = now + CLAIM_LEASE
        try:
            with self._sessions.write() as session:
                row = DeliveryRow(
                    reader_id=reader_id,
                    period=period,
                    state="claimed",
                    claimed_by=claimant,
                    attempts=0,
                    next_attempt_at=lease_end,
                    story_ids=[],
                    article_ids=[],
                    items=[],
                    created_at=now,
                    updated_at=now,
                )
                session.add(row)
                session.flush()
                return _delivery(row)
        except IntegrityError:
            pass
        with self._sessions.write() as session:
            taken = session.execute(
                update(DeliveryRow)
                .where(
                    DeliveryRow.reader_id == reader_id,
                    DeliveryRow.period == period,
                    DeliveryRow.state == "claimed",
                    DeliveryRow.next_attempt_at <= now,
                )
                .values(claimed_by=claimant, next_attempt_at=lease_end, updated_at=now)
            )
            if not getattr(taken, "rowcount", 0):
                return None
            row = session.scalars(
                select(DeliveryRow).where(
                    DeliveryRow.reader_id == reader_id, DeliveryRow.period == period
                )
            ).one()
            return _delivery(row)

    def mark_sending(
        self,
        delivery_id: int,
        *,
        message_id: str,
        story_ids: Iterable[int],
        article_ids: Iterable[int],
        items: builtins.list[dict[str, Any]],
        since: datetime,
        now: datetime,
    ) -> None:
        """Commit, just before the message body goes out, that it is about to."""
        self._set(
            delivery_id,
            now,
            state="sending",
            message_id=message_id,
            story_ids=list(story_ids),
            article_ids=list(article_ids),
            items=items,
            since=since,
        )

    def mark_sent(self, delivery_id: int, now: datetime) -> None:
        self._set(
            delivery_id,
            now,
            state="sent",
            sent_at=now,
            claimed_by=None,
            error=None,
            next_attempt_at=None,
        )

    def mark_skipped(
        self, delivery_id: int, reason: str, now: datetime, since: datetime | None = None
    ) -> None:
        self._set(
            delivery_id,
            now,
            state="skipped",
            error=reason[:_ERROR_CHARS],
            claimed_by=None,
            next_attempt_at=None,
            since=since,
        )

    def mark_failed(self, delivery_id: int, reason: str, now: datetime) -> None:
        self._set(
            delivery_id,
            now,
            state="failed",
            error=reason[:_ERROR_CHARS],
            claimed_by=None,
            next_attempt_at=None,
        )

    def mark_uncertain(self, delivery_id: int, reason: str, now: datetime) -> None:
        self._set(
            delivery_id,
            now,
            state="uncertain",
            error=reason[:_ERROR_CHARS],
            claimed_by=None,
            next_attempt_at=None,
        )

    def mark_retry(self, delivery_id: int, reason: str, retry_at: datetime, now: datetime) -> None:
        """A temporary failure before the message was sent: back to ``claimed``, due again at
        ``retry_at`` for whichever process runs then."""
        with self._sessions.write() as session:
            row = session.get(DeliveryRow, delivery_id)
            if row is None:
                raise LookupError(f"no delivery with id {delivery_id}")
            row.state = "claimed"
            row.claimed_by = None
            row.attempts += 1
            row.error = reason[:_ERROR_CHARS]
            row.next_attempt_at = retry_at
            row.updated_at = now

    def release_dead_claims(
        self, host: str, is_alive: Callable[[int], bool], now: datetime
    ) -> tuple[int, int]:
        """After a crash: a dead process's ``claimed`` digests are due again, its ``sending``
        digests become ``uncertain``. Returns (released, uncertain)."""
        released = uncertain = 0
        with self._sessions.write() as session:
            rows = session.scalars(
                select(DeliveryRow).where(
                    DeliveryRow.state.in_(("claimed", "sending")),
                    DeliveryRow.claimed_by.like(f"{host}:%"),
                )
            )
            for row in rows:
                if not claim_is_dead(row.claimed_by, host, is_alive):
                    continue
                row.claimed_by = None
                row.updated_at = now
                if row.state == "claimed":
                    row.next_attempt_at = now
                    released += 1
                else:
                    row.state = "uncertain"
                    row.error = "the sending process died after handing the message to the server"
                    row.next_attempt_at = None
                    uncertain += 1
        return released, uncertain

    def settled_periods(
        self, pairs: Sequence[tuple[int, str]], now: datetime
    ) -> set[tuple[int, str]]:
        """Which (reader, period) pairs need no work now: done, or held by a live claim."""
        settled: set[tuple[int, str]] = set()
        periods = sorted({period for _reader, period in pairs})
        wanted = set(pairs)
        with self._sessions.read() as session:
            for start in range(0, len(periods), 200):
                rows = session.execute(
                    select(
                        DeliveryRow.reader_id,
                        DeliveryRow.period,
                        DeliveryRow.state,
                        DeliveryRow.next_attempt_at,
                    ).where(DeliveryRow.period.in_(periods[start : start + 200]))
                )
                for reader_id, period, state, next_attempt_at in rows:
                    claimable = state == "claimed" and (
                        next_attempt_at is None or next_attempt_at <= now
                    )
                    if (reader_id, period) in wanted and not claimable:
                        settled.add((reader_id, period))
        return settled

    def list(self, reader_id: int | None = None, limit: int = 100) -> builtins.list[DeliveryRecord]:
        """Deliveries newest first."""
        stmt = select(DeliveryRow).order_by(DeliveryRow.created_at.desc(), DeliveryRow.id.desc())
        if reader_id is not None:
            stmt = stmt.where(DeliveryRow.reader_id == reader_id)
        with self._sessions.read() as session:
            return [_delivery(row) for row in session.scalars(stmt.limit(limit))]

    def history(
        self, reader_ids: Sequence[int], since: datetime
    ) -> dict[int, tuple[set[int], datetime | None]]:
        """For each reader: the stories already sent to them since ``since`` (one story once) and
        when their last digest was sent."""
        history: dict[int, tuple[set[int], datetime | None]] = {
            r: (set(), None) for r in reader_ids
        }
        if not history:
            return history
        with self._sessions.read() as session:
            for chunk in chunks(builtins.list(history)):
                rows = session.execute(
                    select(DeliveryRow.reader_id, DeliveryRow.story_ids, DeliveryRow.sent_at).where(
                        DeliveryRow.reader_id.in_(chunk),
                        DeliveryRow.state.in_(("sent", "sending", "uncertain")),
                        DeliveryRow.updated_at >= since,
                    )
                )
                for reader_id, story_ids, sent_at in rows:
                    seen, last = history[reader_id]
                    seen.update(int(s) for s in story_ids or ())
                    if sent_at is not None and (last is None or sent_at > last):
                        last = sent_at
                    history[reader_id] = (seen, last)
        return history

    def sent_story_ids(self, since: datetime) -> set[int]:
        """Every story sent to any reader since ``since``: the stories that are followed."""
        found: set[int] = set()
        with self._sessions.read() as session:
            rows = session.scalars(
                select(DeliveryRow.story_ids).where(
                    DeliveryRow.state.in_(("sent", "sending", "uncertain")),
                    DeliveryRow.updated_at >= since,
                )
            )
            for story_ids in rows:
                found.update(int(s) for s in story_ids or ())
        return found

    def followed(
        self, reader_ids: Sequence[int], since: datetime
    ) -> dict[int, dict[int, SentStory]]:
        """For each reader: the stories sent to them since ``since``, each with when it was
        last sent and every article of it they had been sent by then (all digests together),
        for telling what is new in it since."""
        found: dict[int, dict[int, SentStory]] = {}
        if not reader_ids:
            return found
        with self._sessions.read() as session:
            for chunk in chunks(builtins.list(reader_ids)):
                rows = session.execute(
                    select(DeliveryRow.reader_id, DeliveryRow.items, DeliveryRow.sent_at,
                           DeliveryRow.updated_at)
                    .where(DeliveryRow.reader_id.in_(chunk),
                           DeliveryRow.state.in_(("sent", "sending", "uncertain")),
                           DeliveryRow.updated_at >= since)
                )  # fmt: skip
                for reader_id, items, sent_at, updated_at in rows:
                    when = sent_at or updated_at
                    stories = found.setdefault(reader_id, {})
                    for item in items or ():
                        story_id = item.get("story_id") if isinstance(item, dict) else None
                        if not isinstance(story_id, int):
                            continue
                        ids = {int(a) for a in item.get("story_article_ids") or ()}
                        ids.add(int(item.get("article_id") or 0))
                        ids.discard(0)
                        before = stories.get(story_id)
                        if before is not None:
                            ids |= before.article_ids
                            when = max(when, before.sent_at)
                        stories[story_id] = SentStory(story_id, when, frozenset(ids))
        return found

    def _set(self, delivery_id: int, now: datetime, **values: Any) -> None:
        with self._sessions.write() as session:
            session.execute(
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id)
                .values(updated_at=now, **values)
            )


def _delivery(row: DeliveryRow) -> DeliveryRecord:
    return DeliveryRecord(
        id=row.id,
        reader_id=row.reader_id,
        period=row.period,
        state=cast(DeliveryState, row.state),
        attempts=row.attempts,
        message_id=row.message_id,
        story_ids=tuple(int(s) for s in row.story_ids or ()),
        article_ids=tuple(int(a) for a in row.article_ids or ()),
        items=tuple(row.items or ()),
        error=row.error,
        since=row.since,
        created_at=row.created_at,
        updated_at=row.updated_at,
        sent_at=row.sent_at,
        next_attempt_at=row.next_attempt_at,
    )
