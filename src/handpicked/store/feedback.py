"""Feedback: "more like this", "less like this", and which picks were opened."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import delete, select

from handpicked.store.model import FeedbackKind, FeedbackRecord
from handpicked.store.sessions import Repository, chunks
from handpicked.store.tables import FeedbackRow


class FeedbackRepository(Repository):
    """``store.feedback``: readers' reactions to what they were sent."""

    def add(self, reader_id: int, article_id: int, kind: FeedbackKind, now: datetime) -> None:
        """Record a reaction; "more" and "less" on one article replace each other."""
        with self._sessions.write() as session:
            if kind in ("more", "less"):
                session.execute(
                    delete(FeedbackRow).where(
                        FeedbackRow.reader_id == reader_id,
                        FeedbackRow.article_id == article_id,
                        FeedbackRow.kind.in_(("more", "less")),
                    )
                )
            session.add(
                FeedbackRow(reader_id=reader_id, article_id=article_id, kind=kind, created_at=now)
            )

    def of_readers(
        self, reader_ids: Sequence[int], limit_per_reader: int = 200
    ) -> dict[int, builtins.list[FeedbackRecord]]:
        """Each reader's latest feedback, newest first."""
        found: dict[int, builtins.list[FeedbackRecord]] = {
            reader_id: [] for reader_id in reader_ids
        }
        if not found:
            return found
        with self._sessions.read() as session:
            for chunk in chunks(builtins.list(found)):
                rows = session.scalars(
                    select(FeedbackRow)
                    .where(FeedbackRow.reader_id.in_(chunk))
                    .order_by(FeedbackRow.created_at.desc(), FeedbackRow.id.desc())
                )
                for row in rows:
                    bucket = found[row.reader_id]
                    if len(bucket) < limit_per_reader:
                        bucket.append(
                            FeedbackRecord(
                                row.article_id, cast(FeedbackKind, row.kind), row.created_at
                            )
                        )
        return found
