"""Reader calls as free functions, forwarding to ``store.readers``, ``store.interests``,
``store.feedback`` and ``store.deliveries``; kept for the picking modules until they call
those repositories (new code calls them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from handpicked.store.facade import Store
from handpicked.store.model import (
    FeedbackKind,
    FeedbackRecord,
    InterestKind,
    InterestMode,
    InterestRecord,
    ReaderRecord,
)
from handpicked.store.readers import ReaderExists

__all__ = ["ReaderExists"]


def add_reader(store: Store, email: str, **settings: Any) -> ReaderRecord:
    return store.readers.add(email, **settings)


def get_reader(
    store: Store, email: str | None = None, reader_id: int | None = None
) -> ReaderRecord | None:
    return store.readers.get(email, reader_id)


def update_reader(store: Store, reader_id: int, **values: Any) -> ReaderRecord:
    return store.readers.update(reader_id, **values)


def set_interest(
    store: Store, reader_id: int, *, mode: str, kind: str, key: str, label: str, now: datetime
) -> tuple[InterestRecord, str | None]:
    return store.interests.set(
        reader_id,
        mode=cast(InterestMode, mode),
        kind=cast(InterestKind, kind),
        key=key,
        label=label,
        now=now,
    )


def remove_interest(store: Store, reader_id: int, kind: str, key: str) -> bool:
    return store.interests.remove(reader_id, kind, key)


def list_interests(store: Store, reader_ids: Sequence[int]) -> dict[int, list[InterestRecord]]:
    return store.interests.of_readers(reader_ids)


def add_feedback(store: Store, reader_id: int, article_id: int, kind: str, now: datetime) -> None:
    store.feedback.add(reader_id, article_id, cast(FeedbackKind, kind), now)


def list_feedback(
    store: Store, reader_ids: Sequence[int], limit_per_reader: int = 200
) -> dict[int, list[FeedbackRecord]]:
    return store.feedback.of_readers(reader_ids, limit_per_reader)


def delivery_history(
    store: Store, reader_ids: Sequence[int], since: datetime
) -> dict[int, tuple[set[int], datetime | None]]:
    return store.deliveries.history(reader_ids, since)
