"""Sync for apps (the Google Reader API): a reader's subscriptions, their picks as a label,
item streams a page at a time, and read and starred state both ways.

Everything is the signed-in reader's: a stream or item outside what they subscribe to (their
sources, and their picks) is answered as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from typing import Literal

from handpicked.desk.context import DeskContext
from handpicked.desk.digests import Digests
from handpicked.store import ReaderRecord, SourceRecord, Store, StoredArticle
from handpicked.store.streams import StreamPage, StreamRef, StreamScope

PICKS_LABEL = "Picks"
StreamKind = Literal["all", "source", "picks", "read", "starred"]
MAX_PAGE = 1000
"""Items in one page at most, whatever an app asks for."""
_BATCH = 200


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


def reader_sources(store: Store, reader: ReaderRecord) -> list[SourceRecord]:
    """The sources a reader's apps subscribe to. Sources are the desk's for now, so every
    reader has all of them; the one place to change when readers subscribe on their own."""
    del reader
    return store.sources.list()


class AppSync:
    """``desk.apps``: what the Google Reader API serves; :meth:`for_reader` per request."""

    def __init__(self, desk: DeskContext) -> None:
        self._desk = desk

    def for_reader(self, reader: ReaderRecord) -> ReaderSync:
        return ReaderSync(self._desk, reader)


class ReaderSync:
    """One reader's streams and state, for one request: their sources, picks and states are
    read once and kept for the request's length."""

    def __init__(self, desk: DeskContext, reader: ReaderRecord) -> None:
        self._desk = desk
        self._store = desk.store
        self.reader = reader

    # --- subscriptions and picks -------------------------------------------------------------

    @cached_property
    def subscriptions(self) -> list[SourceRecord]:
        return reader_sources(self._store, self.reader)

    @cached_property
    def picks(self) -> list[int]:
        """The article ids of the reader's picks today, in the digest's order."""
        digest = Digests(self._desk).todays_picks(self.reader)
        return [item.article.id for item in digest.items]

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
        if stream.kind == "read":
            return StreamScope(article_ids=frozenset(self._read_ids))
        if stream.kind == "starred":
            return StreamScope(article_ids=frozenset(self._starred_ids))
        return StreamScope(
            source_ids=frozenset(s.id for s in self.subscriptions),
            article_ids=frozenset(self.picks),
        )

    def owned(self, article_ids: Iterable[int]) -> list[int]:
        """Those of ``article_ids`` that are the reader's: in their streams or their state."""
        wanted = set(article_ids)
        if not wanted:
            return []
        sources = {s.id for s in self.subscriptions}
        found = {a.id for a in self._store.streams.articles(wanted) if a.source_id in sources}
        found |= wanted & (set(self.picks) | self._read_ids | self._starred_ids)
        return sorted(found, reverse=True)

    # --- items -------------------------------------------------------------------------------

    def page(
        self, stream: Stream, where: StreamPage, states: StateFilter, limit: int
    ) -> ItemPage | None:
        """Up to ``limit`` items of the stream (None when it is not the reader's)."""
        scope = self.scope(stream)
        if scope is None:
            return None
        limit = max(1, min(limit, MAX_PAGE))
        kept: list[StreamRef] = []
        after = where.after_id
        while len(kept) < limit:
            step = replace(where, after_id=after)
            batch = self._store.streams.refs(scope, step, _BATCH)
            if not batch:
                return ItemPage(kept, None)
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

    def state(self, article_id: int) -> ItemState:
        return ItemState(
            read=article_id in self._read_ids,
            starred=article_id in self._starred_ids,
            pick=article_id in self._pick_set,
        )

    @cached_property
    def _pick_set(self) -> frozenset[int]:
        return frozenset(self.picks)

    # --- state -------------------------------------------------------------------------------

    def mark(
        self, article_ids: Iterable[int], *, read: bool | None = None, starred: bool | None = None
    ) -> int:
        """Mark the reader's items among ``article_ids``; returns how many were theirs."""
        owned = self.owned(article_ids)
        if read is not None:
            self._set_read(owned, read)
        if starred is not None:
            self._set_starred(owned, starred)
        return len(owned)

    def mark_all_read(self, stream: Stream, found_before: datetime | None) -> bool:
        """Mark every item of the stream read (those found before ``found_before`` only, when
        given); False when the stream is not the reader's."""
        scope = self.scope(stream)
        if scope is None:
            return False
        after: int | None = None
        while True:
            page = StreamPage(after_id=after, found_before=found_before)
            batch = self._store.streams.refs(scope, page, _BATCH * 5)
            if not batch:
                return True
            self._set_read([r.id for r in batch], True)
            after = batch[-1].id

    def unread_counts(self) -> tuple[dict[int, tuple[int, datetime]], int]:
        """Per source id: its unread items and when the newest was found; and unread picks."""
        scope = self.scope(Stream("all"))
        assert scope is not None
        read = self._read_ids
        counts: dict[int, tuple[int, datetime]] = {}
        after: int | None = None
        while True:
            batch = self._store.streams.refs(scope, StreamPage(after_id=after), _BATCH * 5)
            if not batch:
                break
            for ref in batch:
                if ref.id in read or ref.source_id is None or ref.source_id not in scope.source_ids:
                    continue
                count, newest = counts.get(ref.source_id, (0, ref.fetched_at))
                counts[ref.source_id] = (count + 1, max(newest, ref.fetched_at))
            after = batch[-1].id
        return counts, len(scope.article_ids - read)

    # --- read and starred state, kept by the reading service ---------------------------------

    @cached_property
    def _read_ids(self) -> set[int]:
        return set()

    @cached_property
    def _starred_ids(self) -> set[int]:
        return set()

    def _set_read(self, article_ids: list[int], read: bool) -> None:
        self.__dict__.pop("_read_ids", None)

    def _set_starred(self, article_ids: list[int], starred: bool) -> None:
        self.__dict__.pop("_starred_ids", None)


def _keeps(states: StateFilter, state: ItemState) -> bool:
    if states.exclude_read and state.read:
        return False
    if states.only_read and not state.read:
        return False
    return not (states.only_starred and not state.starred)
