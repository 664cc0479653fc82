"""Readers' reactions to what they were sent: more or less like this, or opened."""

from __future__ import annotations

from handpicked.desk.context import DeskContext
from handpicked.desk.errors import DeskError
from handpicked.store import ReaderRecord
from handpicked.store.model import FEEDBACK_KINDS


class Feedback:
    """``desk.feedback``."""

    def __init__(self, desk: DeskContext) -> None:
        self._desk = desk

    def record(self, reader: ReaderRecord, article_id: int, kind: str) -> None:
        """Note a reaction; "more" and "less" on one article replace each other."""
        if kind not in FEEDBACK_KINDS:
            raise DeskError("feedback is 'more', 'less' or 'opened'")
        store = self._desk.store
        if store.articles.get(article_id) is None:
            raise DeskError(f"there is no article {article_id}", code="not_found")
        store.feedback.add(reader.id, article_id, kind, self._desk.now())
