"""Sync for apps (the Google Reader API): a reader's subscriptions, their picks as a label,
item streams a page at a time, and read and starred state both ways.

Everything is the signed-in reader's: a stream or item outside what they subscribe to (their
sources, and their picks) is answered as if it did not exist.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cached_property
from typing import Literal

from handpicked.deliver.wording import reasons_sentence
from handpicked.desk.context import DeskContext
from handpicked.desk.digests import Digests
from handpicked.desk.sources import Sources
from handpicked.pick.digest import Digest
from handpicked.store import ReaderRecord, SourceRecord, StoredArticle
from handpicked.store.streams import StreamPage, StreamRef, StreamScope

PICKS_LABEL = "Picks"
StreamKind = Literal["all", "source", "picks", "read", "starred"]
MAX_PAGE = 1000
"""Items in one page at most, whatever an app asks for."""
_BATCH = 200
PICKS_KEPT = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Stream:
    """A stream of items: everything, one source (by id or by URL), the picks, or a state."""

    kind: StreamKind
    source_id: int | None = None
    source_url: str | None = None


@dataclass(frozen=True, slots=True)
class StateFilter:
    """Which items a page keeps by their state (Google's ``xt`` and ``it`` parameters)."""

    exclude_read: bool = False
    only_read: bool = False
    only_starred: bool = False


@dataclass(frozen=True, slots=True)
class ItemPage:
    """A page of item refs, and where the next begins (None on the last page)."""

    refs: list[StreamRef]
    continuation: int | None


@dataclass(frozen=True, slots=True)
class ItemState:
    """What an app shows on an item besides its content."""

    read: bool
    starred: bool
    pick: bool


class AppSync:
    """``desk.apps``: what the Google Reader API serves; :meth:`for_reader` per request.

    A reader's picks are worked out once a minute at most: an app syncing fifty feeds asks
    for fifty streams in a row, and each needs to know which items are picks."""

    def __init__(self, desk: DeskContext) -> None:
        self._desk = desk
        self._digests: dict[int, tuple[datetime, Digest]] = {}
        self._lock = threading.Lock()

    def for_reader(self, reader: ReaderRecord) -> ReaderSync:
        return ReaderSync(self._desk, reader, self.todays_picks)

    def todays_picks(self, reader: ReaderRecord) -> Digest:
        now = self._desk.now()
        with self._lock:
            kept = self._digests.get(reader.id)
        if kept is not None and timedelta(0) <= now - kept[0] < PICKS_KEPT:
            return kept[1]
        digest = Digests(self._desk).todays_picks(reader)
        with self._lock:
            self._digests = {
                reader_id: (when, found)
                for reader_id, (when, found) in self._digests.items()
                if now - when < PICKS_KEPT
            }
            self._digests[reader.id] = (now, digest)
        return digest


class ReaderSync:
    """One reader's streams and state, for one request: their sources, picks and states are
    read once and kept for the request's length."""

    def __init__(
        self,
        desk: DeskContext,
        reader: ReaderRecord,
        todays_picks: Callable[[ReaderRecord], Digest] | None = None,
    ) -> None:
        self._desk = desk
        self._todays_picks = todays_picks or Digests(desk).todays_picks
        self._store = desk.store
        self.reader = reader
        self._states: dict[int, ItemState] = {}

    # --- subscriptions and picks -------------------------------------------------------------

    @cached_property
    def subscriptions(self) -> list[SourceRecord]:
        return Sources(self._desk).picked_from(self.reader)

    @cached_property
    def _digest(self) -> Digest:
        return self._todays_picks(self.reader)

    @cached_property
    def picks(self) -> list[int]:
        """The article ids of the reader's picks today, in the digest's order."""
        return [item.article.id for item in self._digest.items]

    @cached_property
    def reasons(self) -> dict[int, str]:
        """Why each of today's picks was picked, in the sentence every channel shows."""
        return {item.article.id: reasons_sentence(item.reasons) for item in self._digest.items}

    def scope(self, stream: Stream) -> StreamScope | None:
        """The articles ``stream`` holds for the reader; None when it is not theirs."""
        if stream.kind == "source":
            for source in self.subscriptions:
                if source.id == stream.source_id or (
                    stream.source_id is None and source.url == stream.source_url
                ):
                    return StreamScope(source_ids=frozenset({source.id}))
            return None
        if stream.kind == "picks":
            return StreamScope(article_ids=frozenset(self.picks))
        if stream.kind == "starred":
            return StreamScope(article_ids=frozenset(self._saved_ids))
        return StreamScope(
            source_ids=frozenset(s.id for s in self.subscriptions),
            article_ids=frozenset(self.picks),
        )

    def owned(self, article_ids: Iterable[int]) -> list[int]:
        """Those of ``article_ids`` that are the reader's: in their streams, or saved."""
        wanted = set(article_ids)
        if not wanted:
            return []
        sources = {s.id for s in self.subscriptions}
        found = {a.id for a in self._store.streams.articles(wanted) if a.source_id in sources}
        found |= wanted & (set(self.picks) | self._saved_ids)
        return sorted(found, reverse=True)

    # --- items -------------------------------------------------------------------------------

    def page(
        self, stream: Stream, where: StreamPage, states: StateFilter, limit: int
    ) -> ItemPage | None:
        """Up to ``limit`` items of the stream (None when it is not the reader's)."""
        scope = self.scope(stream)
        if scope is None:
            return None
        if stream.kind == "read":
            states = replace(states, only_read=True)
        limit = max(1, min(limit, MAX_PAGE))
        kept: list[StreamRef] = []
        after = where.after_id
        while len(kept) < limit:
            step = replace(where, after_id=after)
            batch = self._store.streams.refs(scope, step, _BATCH)
            if not batch:
                return ItemPage(kept, None)
            self.load_states([ref.id for ref in batch])
            for ref in batch:
                if _keeps(states, self.state(ref.id)):
                    kept.append(ref)
                    if len(kept) == limit:
                        break
            after = kept[-1].id if len(kept) == limit else batch[-1].id
        more = self._store.streams.refs(scope, replace(where, after_id=after), 1)
        return ItemPage(kept, after if more else None)

    def articles(self, article_ids: Collection[int]) -> list[StoredArticle]:
        """The reader's articles among ``article_ids``, highest id first."""
        return self._store.streams.articles(self.owned(article_ids))

    def load_states(self, article_ids: Collection[int]) -> None:
        """Read the reader's state of these items at once (:meth:`state` answers from it)."""
        wanted = [i for i in article_ids if i not in self._states]
        found = self._store.reading.states(self.reader.id, wanted)
        for article_id in wanted:
            known = found.get(article_id)
            self._states[article_id] = ItemState(
                read=known.read if known else False,
                starred=known.saved if known else False,
                pick=article_id in self._pick_set,
            )

    def state(self, article_id: int) -> ItemState:
        if article_id not in self._states:
            self.load_states([article_id])
        return self._states[article_id]

    @cached_property
    def _pick_set(self) -> frozenset[int]:
        return frozenset(self.picks)

    # --- state -------------------------------------------------------------------------------

    def mark(
        self, article_ids: Iterable[int], *, read: bool | None = None, starred: bool | None = None
    ) -> int:
        """Mark the reader's items among ``article_ids`` read or unread, starred (saved for
        later) or not; returns how many were theirs (the others are left alone)."""
        owned = self.owned(article_ids)
        reading, reader_id, now = self._store.reading, self.reader.id, self._desk.now()
        if owned and read is True:
            reading.mark_read(reader_id, owned, now)
        elif owned and read is False:
            reading.mark_unread(reader_id, owned, now)
        if owned and starred is True:
            reading.save(reader_id, owned, now)
        elif owned and starred is False:
            reading.unsave(reader_id, owned)
        self._states.clear()
        self.__dict__.pop("_saved_ids", None)
        return len(owned)

    def mark_all_read(self, stream: Stream, found_before: datetime | None) -> bool:
        """Mark every item of the stream read (up to ``found_before`` when given, else now);
        False when the stream is not the reader's."""
        scope = self.scope(stream)
        if scope is None:
            return False
        now = self._desk.now()
        up_to = min(found_before, now) if found_before is not None else now
        reading, reader_id = self._store.reading, self.reader.id
        if stream.kind in ("all", "read"):
            reading.mark_all_read(reader_id, up_to, now)
        elif stream.kind == "source":
            reading.mark_all_read(reader_id, up_to, now, source_ids=scope.source_ids)
        if scope.article_ids:  # picks, saved items: by id, those found by then
            found = self._store.streams.refs(
                StreamScope(article_ids=scope.article_ids), StreamPage(found_before=up_to),
                len(scope.article_ids),
            )  # fmt: skip
            reading.mark_read(reader_id, [ref.id for ref in found], now)
        self._states.clear()
        return True

    def unread_counts(self) -> tuple[dict[int, tuple[int, datetime]], int, int]:
        """Per source: its unread items and when it last gave one; the unread picks; and
        the unread items in all."""
        sources = [s.id for s in self.subscriptions]
        by_source = self._store.reading.unread_counts(self.reader.id).by_source
        newest = self._store.streams.newest(sources)
        counts = {
            source_id: (by_source[source_id], newest[source_id])
            for source_id in sources
            if by_source.get(source_id) and source_id in newest
        }
        self.load_states(self.picks)
        unread_picks = [i for i in self.picks if not self.state(i).read]
        outside = self._store.streams.articles(unread_picks)
        extra = sum(1 for a in outside if a.source_id not in set(sources))
        total = sum(count for count, _newest in counts.values()) + extra
        return counts, len(unread_picks), total

    @cached_property
    def _saved_ids(self) -> set[int]:
        return set(self._store.reading.ids(self.reader.id, "saved"))


def _keeps(states: StateFilter, state: ItemState) -> bool:
    if states.exclude_read and state.read:
        return False
    if states.only_read and not state.read:
        return False
    return not (states.only_starred and not state.starred)
