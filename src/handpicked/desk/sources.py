"""Sources: following a feed, sitemap, site or article by its address, and OPML files."""

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
from handpicked.store import SourceRecord

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

    async def add(self, url: str) -> tuple[SourceRecord, bool]:
        """Follow a feed, sitemap, site or article by URL or bare domain (``bbc.co.uk``, tried
        as https first), fetched through the guarded fetcher (no private addresses unless the
        server allows them)."""
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
        try:
            return self._desk.store.sources.add(
                resolved.url, resolved.kind, title=resolved.title, site_url=resolved.site_url
            )
        except ValueError as error:
            raise DeskError(str(error)) from error

    async def import_opml(self, content: bytes) -> OpmlImport:
        """Follow every feed of an OPML file. Each URL is checked as the fetcher would check it
        before it is stored, so a file cannot plant a private address in the desk's sources."""
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
                _record, created = self._desk.store.sources.add(
                    outline.url, "feed", title=outline.title, site_url=outline.html_url
                )
            except ValueError as error:
                refused.append((outline.url, str(error)))
                continue
            added += created
        return OpmlImport(added=added, total=len(outlines), refused=refused)

    def export_opml(self) -> str:
        outlines = [
            OpmlOutline(url=s.url, title=s.title, html_url=s.site_url, category=None)
            for s in self._desk.store.sources.list()
            if s.kind in ("feed", "sitemap")
        ]
        return write_opml(outlines)
