"""Sources: following a feed, sitemap, site or article by its address, and OPML files.

A source is shared: one row per URL, fetched once whoever follows it. A reader follows it by a
subscription of their own (``reader=``); the admin's sources (no reader, ``desk_wide``) are
every reader's. A reader sees, removes and exports only their own subscriptions."""

from __future__ import annotations

from dataclasses import dataclass, field

from handpicked.desk.context import DeskContext
from handpicked.desk.errors import DeskError
from handpicked.fetch.client import Fetcher
from handpicked.fetch.errors import FetchError
from handpicked.fetch.opml import OpmlOutline, parse_opml, screen_outlines, write_opml
from handpicked.fetch.safety import ALLOW_HINT
from handpicked.fetch.subscribe import address_candidates, resolve_address
from handpicked.fetch.xmlsafety import FeedError
from handpicked.store import ReaderRecord, SourceRecord
from handpicked.store.model import SourceKind

MAX_OPML_BYTES = 2_000_000


@dataclass(frozen=True)
class OpmlImport:
    """What an OPML import did: feeds new to the desk, feeds in the file, and the ones refused
    with the reason (a private address, a metadata endpoint, not http(s))."""

    added: int
    total: int
    refused: list[tuple[str, str]] = field(default_factory=list)


class Sources:
    """``desk.sources``."""

    def __init__(self, desk: DeskContext) -> None:
        self._desk = desk

    async def add(self, url: str, reader: ReaderRecord | None = None) -> tuple[SourceRecord, bool]:
        """Follow a feed, sitemap, site or article by URL or bare domain (``bbc.co.uk``, tried
        as https first), fetched through the guarded fetcher (no private addresses unless the
        server allows them). With a ``reader`` it becomes one of their subscriptions (and
        "created" says whether the subscription is new); without, a desk-wide source."""
        url = url.strip()
        try:
            address_candidates(url)
        except ValueError as error:
            raise DeskError(str(error)) from error
        allow_private = self._desk.settings.allow_private_networks
        try:
            async with Fetcher(allow_private_networks=allow_private) as fetcher:
                resolved = await resolve_address(fetcher, url)
        except (FetchError, FeedError) as error:
            reason = str(getattr(error, "reason", None) or error)
            # The hint to set an environment variable is for whoever runs the server.
            reason = reason.replace(f" ({ALLOW_HINT})", ": this server does not fetch those")
            raise DeskError(f"{url}: {reason}", code="unreachable") from error
        return self._store(resolved.url, resolved.kind, resolved.title, resolved.site_url, reader)

    def _store(
        self,
        url: str,
        kind: SourceKind,
        title: str | None,
        site_url: str | None,
        reader: ReaderRecord | None,
    ) -> tuple[SourceRecord, bool]:
        store = self._desk.store
        try:
            with store.transaction():
                record, created = store.sources.add(
                    url, kind, title=title, site_url=site_url, desk_wide=reader is None
                )
                if reader is not None:
                    created = store.subscriptions.add(reader.id, record.id, self._desk.now())
        except ValueError as error:
            raise DeskError(str(error)) from error
        return record, created

    def of_reader(self, reader: ReaderRecord) -> list[SourceRecord]:
        """The reader's own sources (not the desk-wide ones, unless they subscribed too)."""
        return self._desk.store.subscriptions.sources_of(reader.id)

    def desk_wide(self) -> list[SourceRecord]:
        return self._desk.store.sources.list(desk_wide=True)

    def picked_from(self, reader: ReaderRecord) -> list[SourceRecord]:
        """The sources a reader's picks come from: their own and the desk-wide ones, each once,
        in the order they were added (what their apps see as subscriptions)."""
        found = {s.id: s for s in self.desk_wide()}
        found.update((s.id, s) for s in self.of_reader(reader))
        return sorted(found.values(), key=lambda s: s.id)

    def remove(self, reader: ReaderRecord, source_id: int) -> SourceRecord:
        """End the reader's subscription; a source that is not desk-wide stops being polled
        with its last subscriber. ``not_found`` when the reader does not subscribe to it (the
        same whether the source exists or not)."""
        store = self._desk.store
        with store.transaction():
            source = store.sources.get(source_id)
            if source is None or not store.subscriptions.remove(reader.id, source_id):
                raise DeskError(f"You do not follow a source {source_id}.", code="not_found")
            if not source.desk_wide and store.subscriptions.subscribers(source_id) == 0:
                store.sources.remove(source_id)
        return source

    def remove_desk_wide(self, source_id: int) -> SourceRecord:
        """Take a source off the desk-wide list (the admin's); readers who subscribe to it keep
        it, and it is forgotten when none does."""
        store = self._desk.store
        with store.transaction():
            source = store.sources.get(source_id)
            if source is None or not source.desk_wide:
                raise DeskError(f"There is no desk-wide source {source_id}.", code="not_found")
            if store.subscriptions.subscribers(source_id):
                store.sources.set_desk_wide(source_id, False)
            else:
                store.sources.remove(source_id)
        return source

    async def import_opml(self, content: bytes, reader: ReaderRecord | None = None) -> OpmlImport:
        """Follow every feed of an OPML file: as the reader's subscriptions, or desk-wide
        without one. Each URL is checked as the fetcher would check it before it is stored, so
        a file cannot plant a private address in the desk's sources."""
        if len(content) > MAX_OPML_BYTES:
            raise DeskError("That OPML file is too big (2 MB at most).", code="too_big")
        try:
            outlines = parse_opml(content)
        except FeedError as error:
            raise DeskError(f"That is not an OPML file we can read: {error}") from error
        screened = await screen_outlines(
            outlines, allow_private_networks=self._desk.settings.allow_private_networks
        )
        refused = [(outline.url, reason) for outline, reason in screened.refused]
        added = 0
        for outline in screened.usable:
            try:
                _record, created = self._store(
                    outline.url, "feed", outline.title, outline.html_url, reader
                )
            except DeskError as error:
                refused.append((outline.url, str(error)))
                continue
            added += created
        return OpmlImport(added=added, total=len(outlines), refused=refused)

    def export_opml(self, reader: ReaderRecord | None = None) -> str:
        """The reader's own feeds and sitemaps as OPML; every source's without a reader."""
        sources = self.of_reader(reader) if reader is not None else self._desk.store.sources.list()
        outlines = [
            OpmlOutline(url=s.url, title=s.title, html_url=s.site_url, category=None)
            for s in sources
            if s.kind in ("feed", "sitemap")
        ]
        return write_opml(outlines)
