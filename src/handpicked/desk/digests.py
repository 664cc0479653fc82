"""A reader's picks: today's, the next email's (and its preview), and suggestions."""

from __future__ import annotations

from datetime import timedelta

from handpicked.deliver.email import render_digest_html, render_digest_text
from handpicked.deliver.runner import Deliverer
from handpicked.desk.context import DeskContext
from handpicked.pick.digest import Digest, Suggestion
from handpicked.pick.digests import DigestBuilder
from handpicked.store import ReaderRecord

TODAY = timedelta(days=1)
SUGGESTION_WINDOW = timedelta(days=3)


class Digests:
    """``desk.digests``: what is picked for a reader, without recording or sending anything."""

    def __init__(self, desk: DeskContext) -> None:
        self._desk = desk

    def todays_picks(self, reader: ReaderRecord) -> Digest:
        """The reader's picks among the stories of the last 24 hours, those already emailed
        included."""
        now = self._desk.now()
        builder = DigestBuilder(self._desk.store, [reader], {reader.id: now - TODAY}, now)
        return builder.build(reader, exclude_sent=False)

    def next_digest(self, reader: ReaderRecord) -> Digest:
        """What the reader's next email would hold now: only stories not emailed yet."""
        desk = self._desk
        deliverer = Deliverer(desk.store, desk.settings, links=desk.links)
        return deliverer.preview(reader, desk.now())

    def preview(self, reader: ReaderRecord) -> tuple[Digest, str, str]:
        """The next digest as the email's HTML and plain-text parts."""
        digest = self.next_digest(reader)
        links = self._desk.links
        return digest, render_digest_html(digest, links), render_digest_text(digest, links)

    def suggestions(self, reader: ReaderRecord) -> tuple[Suggestion, ...]:
        """Things in recent stories that the reader neither follows nor mutes."""
        now = self._desk.now()
        since = {reader.id: now - SUGGESTION_WINDOW}
        builder = DigestBuilder(self._desk.store, [reader], since, now)
        return builder.suggestions(builder.interests.get(reader.id, []))
