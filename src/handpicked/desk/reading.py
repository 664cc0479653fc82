"""A reader's reading state: read or unread, saved for later, "mark all as read", and the list
of all stories beside today's picks.

Reading is not liking: nothing here records feedback or changes what is picked, so reading an
article never reshuffles today's page (issue 12).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from handpicked.desk.context import DeskContext
from handpicked.desk.errors import DeskError
from handpicked.store import ReaderRecord
from handpicked.store.model import ReadingEntry, ReadingState, UnreadCounts
from handpicked.store.reading import SHOWS, Show

#: The most article ids one call may change (an API body, a sync client's batch).
MAX_IDS = 1000
PAGE_SIZE = 30
MAX_PAGE_SIZE = 200


@dataclass(frozen=True, slots=True)
class ReadingPage:
    """One page of a reader's list: its entries, and where it sits in the whole."""

    show: Show
    entries: tuple[ReadingEntry, ...]
    page: int
    """1-based."""
    per_page: int
    total: int
    """How many the whole list holds."""
    unread: int
    """How many readable articles the reader has not read (whatever ``show`` is)."""
    as_of: datetime
    """When the page was made: "mark all as read" from it reaches up to here."""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


class Reading:
    """``desk.reading``."""

    def __init__(self, desk: DeskContext) -> None:
        self._desk = desk

    # -- changing state -------------------------------------------------------------------

    def mark_read(self, reader: ReaderRecord, article_ids: Collection[int]) -> None:
        """Mark articles read; ``DeskError("not_found")`` if one of them is not there."""
        ids = self._visible(reader, article_ids)
        self._desk.store.reading.mark_read(reader.id, ids, self._desk.now())

    def mark_unread(self, reader: ReaderRecord, article_ids: Collection[int]) -> None:
        ids = self._visible(reader, article_ids)
        self._desk.store.reading.mark_unread(reader.id, ids, self._desk.now())

    def save(self, reader: ReaderRecord, article_ids: Collection[int]) -> None:
        """Save for later (saving one twice keeps when it was first saved)."""
        ids = self._visible(reader, article_ids)
        self._desk.store.reading.save(reader.id, ids, self._desk.now())

    def unsave(self, reader: ReaderRecord, article_ids: Collection[int]) -> None:
        ids = self._visible(reader, article_ids)
        self._desk.store.reading.unsave(reader.id, ids)

    def opened(self, reader: ReaderRecord, article_id: int) -> None:
        """The reader opened the article: it is read now (and nothing else changes)."""
        self._desk.store.reading.mark_read(reader.id, [article_id], self._desk.now())

    def mark_all_read(
        self,
        reader: ReaderRecord,
        up_to: datetime | None = None,
        *,
        source_ids: Collection[int] | None = None,
    ) -> datetime:
        """Mark read everything found up to ``up_to`` (default: now; a time in the future
        counts as now), of ``source_ids`` only if given. Returns the time used."""
        now = self._desk.now()
        until = now if up_to is None else min(up_to, now)
        self._desk.store.reading.mark_all_read(reader.id, until, now, source_ids=source_ids)
        return until

    # -- reading state --------------------------------------------------------------------

    def state(self, reader: ReaderRecord, article_id: int) -> ReadingState:
        """Where the reader stands with one article; ``DeskError("not_found")`` if absent."""
        found = self._desk.store.reading.states(reader.id, [article_id]).get(article_id)
        if found is None:
            raise DeskError(f"there is no article {article_id}", code="not_found")
        return found

    def states(self, reader: ReaderRecord, article_ids: Collection[int]) -> dict[int, ReadingState]:
        """The state of each of these articles that is stored (missing ones are left out)."""
        return self._desk.store.reading.states(reader.id, article_ids)

    def unread_counts(self, reader: ReaderRecord) -> UnreadCounts:
        return self._desk.store.reading.unread_counts(reader.id)

    def page(
        self,
        reader: ReaderRecord,
        show: str = "all",
        page: int = 1,
        per_page: int = PAGE_SIZE,
        *,
        source_ids: Collection[int] | None = None,
    ) -> ReadingPage:
        """A page of the reader's stories: ``all`` readable articles, the ``unread`` or
        ``read`` ones, newest first, or the ``saved`` ones, newest saved first."""
        chosen = check_show(show)
        if page < 1 or not 1 <= per_page <= MAX_PAGE_SIZE:
            raise DeskError(f"a page is 1 or more, and holds 1 to {MAX_PAGE_SIZE} stories")
        now = self._desk.now()
        reading = self._desk.store.reading
        entries = reading.entries(
            reader.id, chosen, limit=per_page, offset=(page - 1) * per_page, source_ids=source_ids
        )
        total = reading.count(reader.id, chosen, source_ids=source_ids)
        unread = total if chosen == "unread" else reading.count(reader.id, "unread")
        return ReadingPage(chosen, tuple(entries), page, per_page, total, unread, now)

    def saved(self, reader: ReaderRecord, page: int = 1, per_page: int = PAGE_SIZE) -> ReadingPage:
        """The reader's saved stories, newest saved first."""
        return self.page(reader, "saved", page, per_page)

    def _visible(self, reader: ReaderRecord, article_ids: Collection[int]) -> Sequence[int]:
        """The ids, checked: not too many, and each an article this reader may see."""
        ids = sorted(set(article_ids))
        if len(ids) > MAX_IDS:
            raise DeskError(f"at most {MAX_IDS} articles at once")
        found = self._desk.store.articles.by_ids(ids)
        missing = [i for i in ids if i not in found]
        if missing:
            raise DeskError(f"there is no article {missing[0]}", code="not_found")
        _ = reader  # every signed-in reader sees every stored article today
        return ids


def check_show(show: str) -> Show:
    """``show`` as one of :data:`SHOWS`; ``DeskError`` otherwise."""
    for known in SHOWS:
        if show == known:
            return known
    raise DeskError(f"show is one of {', '.join(SHOWS)}, not {show!r}")
