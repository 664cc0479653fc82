"""Interests: what each reader follows or mutes."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import delete, select

from handpicked.store.model import InterestKind, InterestMode, InterestRecord
from handpicked.store.sessions import Repository, chunks
from handpicked.store.tables import InterestRow


class InterestRepository(Repository):
    """``store.interests``: follows and mutes."""

    def set(
        self,
        reader_id: int,
        *,
        mode: InterestMode,
        kind: InterestKind,
        key: str,
        label: str,
        now: datetime,
    ) -> tuple[InterestRecord, InterestMode | None]:
        """Follow or mute a thing; returns the interest and the mode it had before (None if new).
        Muting something followed turns the follow into a mute, and the other way round."""
        with self._sessions.write() as session:
            row = session.scalars(
                select(InterestRow).where(
                    InterestRow.reader_id == reader_id,
                    InterestRow.kind == kind,
                    InterestRow.key == key,
                )
            ).first()
            before = cast(InterestMode, row.mode) if row is not None else None
            if row is None:
                row = InterestRow(reader_id=reader_id, kind=kind, key=key, created_at=now)
                session.add(row)
            row.mode = mode
            row.label = label
            session.flush()
            return _interest(row), before

    def remove(self, reader_id: int, kind: str, key: str) -> bool:
        with self._sessions.write() as session:
            done = session.execute(
                delete(InterestRow).where(
                    InterestRow.reader_id == reader_id,
                    InterestRow.kind == kind,
                    InterestRow.key == key,
                )
            )
            return bool(getattr(done, "rowcount", 0))

    def of_readers(self, reader_ids: Sequence[int]) -> dict[int, builtins.list[InterestRecord]]:
        """Each reader's interests, oldest first (readers with none map to an empty list)."""
        found: dict[int, list[InterestRecord]] = {reader_id: [] for reader_id in reader_ids}
        if not found:
            return found
        with self._sessions.read() as session:
            for chunk in chunks(builtins.list(found)):
                rows = session.scalars(
                    select(InterestRow)
                    .where(InterestRow.reader_id.in_(chunk))
                    .order_by(InterestRow.id)
                )
                for row in rows:
                    found[row.reader_id].append(_interest(row))
        return found


def _interest(row: InterestRow) -> InterestRecord:
    return InterestRecord(
        id=row.id,
        reader_id=row.reader_id,
        mode=cast(InterestMode, row.mode),
        kind=cast(InterestKind, row.kind),
        key=row.key,
        label=row.label,
        created_at=row.created_at,
    )
