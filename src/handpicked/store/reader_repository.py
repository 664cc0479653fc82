"""Reading and writing readers, interests, feedback and deliveries.

Deliveries are the exactly-once ledger. A digest moves ``claimed`` → ``sending`` → ``sent``
(or ``failed``, ``skipped``, ``uncertain``). ``claimed`` is written before any work, with the
claiming process as ``host:pid`` and a lease; ``sending`` is committed just before the
message body goes to the SMTP server. After a crash, a dead process's ``claimed`` rows are
taken up again (nothing left the machine), while its ``sending`` rows become ``uncertain``
and are never sent again: the server may already have the message, and a digest sent twice
is worse than one reported as possibly lost.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from handpicked.store.models import DeliveryRow, FeedbackRow, InterestRow, ReaderRow
from handpicked.store.readers import (
    DeliveryRecord,
    FeedbackRecord,
    InterestRecord,
    ReaderRecord,
)
from handpicked.store.repository import Store

CLAIM_LEASE = timedelta(minutes=15)
_ERROR_CHARS = 2000


class ReaderExists(ValueError):
    """A reader with that email address is already there."""


# --- readers -------------------------------------------------------------------------------


def add_reader(
    store: Store,
    email: str,
    *,
    time_zone: str,
    schedule: str,
    now: datetime,
    max_items: int = 10,
    language: str | None = None,
) -> ReaderRecord:
    """A new reader; ``ReaderExists`` if the address is taken. Inputs are checked by callers."""
    row = ReaderRow(
        email=email,
        time_zone=time_zone,
        schedule=schedule,
        max_items=max_items,
        language=language,
        feed_token=secrets.token_urlsafe(24),
        created_at=now,
    )
    try:
        with store._write() as session:
            session.add(row)
            session.flush()
            return _reader(row)
    except IntegrityError as error:
        raise ReaderExists(f"{email} is already a reader") from error


def get_reader(
    store: Store, email: str | None = None, reader_id: int | None = None
) -> ReaderRecord | None:
    stmt = select(ReaderRow)
    if reader_id is not None:
        stmt = stmt.where(ReaderRow.id == reader_id)
    elif email is not None:
        stmt = stmt.where(func.lower(ReaderRow.email) == email.strip().lower())
    else:
        raise ValueError("give an email or an id")
    with store._read() as session:
        row = session.scalars(stmt).first()
        return _reader(row) if row is not None else None


def reader_by_feed_token(store: Store, token: str) -> ReaderRecord | None:
    with store._read() as session:
        row = session.scalars(select(ReaderRow).where(ReaderRow.feed_token == token)).first()
        return _reader(row) if row is not None else None


def list_readers(store: Store, active_only: bool = False) -> list[ReaderRecord]:
    stmt = select(ReaderRow).order_by(ReaderRow.id)
    if active_only:
        stmt = stmt.where(ReaderRow.unsubscribed_at.is_(None))
    with store._read() as session:
        return [_reader(row) for row in session.scalars(stmt)]


def update_reader(store: Store, reader_id: int, **values: Any) -> ReaderRecord:
    """Change a reader's settings (time_zone, schedule, max_items, language, unsubscribed_at,
    password_hash)."""
    allowed = {"time_zone", "schedule", "max_items", "language", "unsubscribed_at",
               "password_hash"}  # fmt: skip
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    with store._write() as session:
        row = session.get(ReaderRow, reader_id)
        if row is None:
            raise LookupError(f"no reader with id {reader_id}")
        for name, value in values.items():
            setattr(row, name, value)
        session.flush()
        return _reader(row)


def password_hash(store: Store, reader_id: int) -> str | None:
    with store._read() as session:
        row = session.get(ReaderRow, reader_id)
        return row.password_hash if row is not None else None


def remove_reader(store: Store, reader_id: int) -> None:
    """Forget a reader with everything they follow, their feedback and delivery history."""
    with store._write() as session:
        for table in (DeliveryRow, FeedbackRow, InterestRow):
            session.execute(delete(table).where(table.reader_id == reader_id))
        session.execute(delete(ReaderRow).where(ReaderRow.id == reader_id))


# --- interests -----------------------------------------------------------------------------


def set_interest(
    store: Store, reader_id: int, *, mode: str, kind: str, key: str, label: str, now: datetime
) -> tuple[InterestRecord, str | None]:
    """Follow or mute a thing; returns the interest and the mode it had before (None if new).
    Muting something followed turns the follow into a mute, and the other way round."""
    with store._write() as session:
        row = session.scalars(
            select(InterestRow).where(
                InterestRow.reader_id == reader_id, InterestRow.kind == kind, InterestRow.key == key
            )
        ).first()
        before = row.mode if row is not None else None
        if row is None:
            row = InterestRow(reader_id=reader_id, kind=kind, key=key, created_at=now)
            session.add(row)
        row.mode = mode
        row.label = label
        session.flush()
        return _interest(row), before


def remove_interest(store: Store, reader_id: int, kind: str, key: str) -> bool:
    with store._write() as session:
        done = session.execute(
            delete(InterestRow).where(
                InterestRow.reader_id == reader_id, InterestRow.kind == kind, InterestRow.key == key
            )
        )
        return bool(getattr(done, "rowcount", 0))


def list_interests(store: Store, reader_ids: Sequence[int]) -> dict[int, list[InterestRecord]]:
    """Each reader's interests, oldest first (readers with none map to an empty list)."""
    found: dict[int, list[InterestRecord]] = {reader_id: [] for reader_id in reader_ids}
    if not found:
        return found
    with store._read() as session:
        for chunk in _chunks(list(found), 500):
            rows = session.scalars(
                select(InterestRow).where(InterestRow.reader_id.in_(chunk)).order_by(InterestRow.id)
            )
            for row in rows:
                found[row.reader_id].append(_interest(row))
    return found


# --- feedback ------------------------------------------------------------------------------


def add_feedback(store: Store, reader_id: int, article_id: int, kind: str, now: datetime) -> None:
    """Record a reaction; "more" and "less" on one article replace each other."""
    with store._write() as session:
        if kind in ("more", "less"):
            session.execute(
                delete(FeedbackRow).where(
                    FeedbackRow.reader_id == reader_id,
                    FeedbackRow.article_id == article_id,
                    FeedbackRow.kind.in_(("more", "less")),
                )
            )
        session.add(FeedbackRow(reader_id=reader_id, article_id=article_id, kind=kind,
                                created_at=now))  # fmt: skip


def list_feedback(
    store: Store, reader_ids: Sequence[int], limit_per_reader: int = 200
) -> dict[int, list[FeedbackRecord]]:
    """Each reader's latest feedback, newest first."""
    found: dict[int, list[FeedbackRecord]] = {reader_id: [] for reader_id in reader_ids}
    if not found:
        return found
    with store._read() as session:
        for chunk in _chunks(list(found), 500):
            rows = session.scalars(
                select(FeedbackRow)
                .where(FeedbackRow.reader_id.in_(chunk))
                .order_by(FeedbackRow.created_at.desc(), FeedbackRow.id.desc())
            )
            for row in rows:
                bucket = found[row.reader_id]
                if len(bucket) < limit_per_reader:
                    bucket.append(FeedbackRecord(row.article_id, row.kind, row.created_at))
    return found


# --- deliveries ----------------------------------------------------------------------------


def claim_delivery(
    store: Store, reader_id: int, period: str, claimant: str, now: datetime
) -> DeliveryRecord | None:
    """Take the digest of ``reader_id`` for ``period`` to work on, or None when it is done or
    another live process holds it. A claimed row whose lease ran out (or whose retry is due)
    can be taken over; the compare-and-set update makes only one taker win."""
    lease_end = now + CLAIM_LEASE
    try:
        with store._write() as session:
            row = DeliveryRow(
                reader_id=reader_id, period=period, state="claimed", claimed_by=claimant,
                attempts=0, next_attempt_at=lease_end, story_ids=[], article_ids=[], items=[],
                created_at=now, updated_at=now,
            )  # fmt: skip
            session.add(row)
            session.flush()
            return _delivery(row)
    except IntegrityError:
        pass
    with store._write() as session:
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
    store: Store,
    delivery_id: int,
    *,
    message_id: str,
    story_ids: Iterable[int],
    article_ids: Iterable[int],
    items: list[dict[str, Any]],
    since: datetime,
    now: datetime,
) -> None:
    """Commit, just before the message body goes out, that it is about to."""
    _set(
        store,
        delivery_id,
        now,
        state="sending",
        message_id=message_id,
        story_ids=list(story_ids),
        article_ids=list(article_ids),
        items=items,
        since=since,
    )


def mark_sent(store: Store, delivery_id: int, now: datetime) -> None:
    _set(store, delivery_id, now, state="sent", sent_at=now, claimed_by=None, error=None,
         next_attempt_at=None)  # fmt: skip


def mark_skipped(
    store: Store, delivery_id: int, reason: str, now: datetime, since: datetime | None = None
) -> None:
    _set(store, delivery_id, now, state="skipped", error=reason[:_ERROR_CHARS], claimed_by=None,
         next_attempt_at=None, since=since)  # fmt: skip


def mark_failed(store: Store, delivery_id: int, reason: str, now: datetime) -> None:
    _set(store, delivery_id, now, state="failed", error=reason[:_ERROR_CHARS], claimed_by=None,
         next_attempt_at=None)  # fmt: skip


def mark_uncertain(store: Store, delivery_id: int, reason: str, now: datetime) -> None:
    _set(store, delivery_id, now, state="uncertain", error=reason[:_ERROR_CHARS],
         claimed_by=None, next_attempt_at=None)  # fmt: skip


def mark_retry(
    store: Store, delivery_id: int, reason: str, retry_at: datetime, now: datetime
) -> None:
    """A temporary failure before the message was sent: back to ``claimed``, due again at
    ``retry_at`` for whichever process runs then."""
    with store._write() as session:
        row = session.get(DeliveryRow, delivery_id)
        if row is None:
            raise LookupError(f"no delivery with id {delivery_id}")
        row.state = "claimed"
        row.claimed_by = None
        row.attempts += 1
        row.error = reason[:_ERROR_CHARS]
        row.next_attempt_at = retry_at
        row.updated_at = now


def release_dead_deliveries(
    store: Store, host: str, is_alive: Callable[[int], bool], now: datetime
) -> tuple[int, int]:
    """After a crash: a dead process's ``claimed`` digests are due again, its ``sending``
    digests become ``uncertain``. Returns (released, uncertain)."""
    released = uncertain = 0
    with store._write() as session:
        rows = session.scalars(
            select(DeliveryRow).where(
                DeliveryRow.state.in_(("claimed", "sending")),
                DeliveryRow.claimed_by.like(f"{host}:%"),
            )
        )
        for row in rows:
            pid = (row.claimed_by or "").rsplit(":", 1)[-1]
            if not pid.isdigit() or is_alive(int(pid)):
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
    store: Store, pairs: Sequence[tuple[int, str]], now: datetime
) -> set[tuple[int, str]]:
    """Which (reader, period) pairs need no work now: done, or held by a live claim."""
    settled: set[tuple[int, str]] = set()
    periods = sorted({period for _reader, period in pairs})
    wanted = set(pairs)
    with store._read() as session:
        for start in range(0, len(periods), 200):
            rows = session.execute(
                select(DeliveryRow.reader_id, DeliveryRow.period, DeliveryRow.state,
                       DeliveryRow.next_attempt_at)
                .where(DeliveryRow.period.in_(periods[start : start + 200]))
            )  # fmt: skip
            for reader_id, period, state, next_attempt_at in rows:
                claimable = state == "claimed" and (
                    next_attempt_at is None or next_attempt_at <= now
                )
                if (reader_id, period) in wanted and not claimable:
                    settled.add((reader_id, period))
    return settled


def list_deliveries(
    store: Store, reader_id: int | None = None, limit: int = 100
) -> list[DeliveryRecord]:
    """Deliveries newest first."""
    stmt = select(DeliveryRow).order_by(DeliveryRow.created_at.desc(), DeliveryRow.id.desc())
    if reader_id is not None:
        stmt = stmt.where(DeliveryRow.reader_id == reader_id)
    with store._read() as session:
        return [_delivery(row) for row in session.scalars(stmt.limit(limit))]


def delivery_history(
    store: Store, reader_ids: Sequence[int], since: datetime
) -> dict[int, tuple[set[int], datetime | None]]:
    """For each reader: the stories already sent to them since ``since`` (one story once) and
    when their last digest was sent."""
    history: dict[int, tuple[set[int], datetime | None]] = {r: (set(), None) for r in reader_ids}
    if not history:
        return history
    with store._read() as session:
        for chunk in _chunks(list(history), 500):
            rows = session.execute(
                select(DeliveryRow.reader_id, DeliveryRow.story_ids, DeliveryRow.sent_at)
                .where(
                    DeliveryRow.reader_id.in_(chunk),
                    DeliveryRow.state.in_(("sent", "sending", "uncertain")),
                    DeliveryRow.updated_at >= since,
                )
            )  # fmt: skip
            for reader_id, story_ids, sent_at in rows:
                seen, last = history[reader_id]
                seen.update(int(s) for s in story_ids or ())
                if sent_at is not None and (last is None or sent_at > last):
                    last = sent_at
                history[reader_id] = (seen, last)
    return history


# --- helpers -------------------------------------------------------------------------------


def _set(store: Store, delivery_id: int, now: datetime, **values: Any) -> None:
    with store._write() as session:
        session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id == delivery_id)
            .values(updated_at=now, **values)
        )


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _reader(row: ReaderRow) -> ReaderRecord:
    return ReaderRecord(
        id=row.id,
        email=row.email,
        time_zone=row.time_zone,
        schedule=row.schedule,
        max_items=row.max_items,
        language=row.language,
        feed_token=row.feed_token,
        created_at=row.created_at,
        unsubscribed_at=row.unsubscribed_at,
    )


def _interest(row: InterestRow) -> InterestRecord:
    return InterestRecord(row.id, row.reader_id, row.mode, row.kind, row.key, row.label,
                          row.created_at)  # fmt: skip


def _delivery(row: DeliveryRow) -> DeliveryRecord:
    return DeliveryRecord(
        id=row.id,
        reader_id=row.reader_id,
        period=row.period,
        state=row.state,
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
