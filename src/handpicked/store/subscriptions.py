"""Subscriptions: which reader follows which source. The source is shared (one row per URL,
fetched once whoever subscribes); a subscription is the reader's own."""

from __future__ import annotations

import builtins
from datetime import datetime

from sqlalchemy import delete, func, select

from handpicked.store.model import SourceRecord
from handpicked.store.sessions import Repository, chunks, insert
from handpicked.store.sources import source_record
from handpicked.store.tables import SourceRow, SubscriptionRow


class SubscriptionRepository(Repository):
    """``store.subscriptions``."""

    def add(self, reader_id: int, source_id: int, now: datetime) -> bool:
        """Subscribe the reader; whether the subscription is new."""
        with self._sessions.write() as session:
            stmt = (
                insert(session, SubscriptionRow)
                .values(reader_id=reader_id, source_id=source_id, created_at=now)
                .on_conflict_do_nothing(index_elements=["reader_id", "source_id"])
                .returning(SubscriptionRow.id)
            )
            return session.execute(stmt).scalar_one_or_none() is not None

    def remove(self, reader_id: int, source_id: int) -> bool:
        """Unsubscribe the reader; whether they were subscribed."""
        with self._sessions.write() as session:
            done = session.execute(
                delete(SubscriptionRow).where(
                    SubscriptionRow.reader_id == reader_id, SubscriptionRow.source_id == source_id
                )
            )
            return bool(getattr(done, "rowcount", 0))

    def sources_of(self, reader_id: int) -> builtins.list[SourceRecord]:
        """The reader's own sources, oldest subscription first."""
        stmt = (
            select(SourceRow)
            .join(SubscriptionRow, SubscriptionRow.source_id == SourceRow.id)
            .where(SubscriptionRow.reader_id == reader_id)
            .order_by(SubscriptionRow.id)
        )
        with self._sessions.read() as session:
            return [source_record(row) for row in session.scalars(stmt)]

    def is_subscribed(self, reader_id: int, source_id: int) -> bool:
        stmt = select(SubscriptionRow.id).where(
            SubscriptionRow.reader_id == reader_id, SubscriptionRow.source_id == source_id
        )
        with self._sessions.read() as session:
            return session.scalar(stmt) is not None

    def subscribers(self, source_id: int) -> int:
        stmt = select(func.count()).where(SubscriptionRow.source_id == source_id)
        with self._sessions.read() as session:
            return session.scalar(stmt) or 0

    def of_readers(self, reader_ids: builtins.list[int]) -> dict[int, set[int]]:
        """Per reader, the ids of the sources they subscribe to."""
        found: dict[int, set[int]] = {reader_id: set() for reader_id in reader_ids}
        with self._sessions.read() as session:
            for chunk in chunks(reader_ids):
                rows = session.execute(
                    select(SubscriptionRow.reader_id, SubscriptionRow.source_id).where(
                        SubscriptionRow.reader_id.in_(chunk)
                    )
                )
                for reader_id, source_id in rows:
                    found[reader_id].add(source_id)
        return found
