"""What the pages and the API both do, in one place: today's picks, the digest preview,
suggestions, sources and OPML, feedback. Handlers stay thin and the two surfaces agree."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

from handpicked.deliver.email import render_digest_html, render_digest_text
from handpicked.deliver.runner import Deliverer
from handpicked.fetch.client import Fetcher
from handpicked.fetch.errors import FetchError
from handpicked.fetch.opml import OpmlOutline, parse_opml, write_opml
from handpicked.fetch.safety import ALLOW_HINT
from handpicked.fetch.subscribe import resolve_source
from handpicked.fetch.xmlsafety import FeedError
from handpicked.pick.digest import Digest, Suggestion
from handpicked.pick.digests import DigestBuilder
from handpicked.store.model import FeedbackKind
from handpicked.store.readers import ReaderRecord
from handpicked.store.repository import SourceRecord
from handpicked.web.context import WebContext

SUGGESTION_WINDOW = timedelta(days=3)
MAX_OPML_BYTES = 2_000_000


class DeskError(ValueError):
    """An action that cannot be done; the message is for the reader."""


def _now() -> datetime:
    return datetime.now(UTC)


TODAY = timedelta(days=1)


def todays_picks(context: WebContext, reader: ReaderRecord) -> Digest:
    """The reader's picks among the stories of the last 24 hours, those already emailed
    included (nothing is recorded or sent)."""
    now = _now()
    builder = DigestBuilder(context.store, [reader], {reader.id: now - TODAY}, now)
    return builder.build(reader, exclude_sent=False)


def next_digest(context: WebContext, reader: ReaderRecord) -> Digest:
    """What the reader's next email would hold now: only stories not emailed yet."""
    return Deliverer(context.store, context.settings, links=context.links).preview(reader, _now())


def digest_preview(context: WebContext, reader: ReaderRecord) -> tuple[Digest, str, str]:
    """The next digest as the email's HTML and plain-text parts."""
    digest = next_digest(context, reader)
    return (
        digest,
        render_digest_html(digest, context.links),
        render_digest_text(digest, context.links),
    )


def suggestions(context: WebContext, reader: ReaderRecord) -> tuple[Suggestion, ...]:
    """Things in recent stories that the reader neither follows nor mutes."""
    now = _now()
    builder = DigestBuilder(context.store, [reader], {reader.id: now - SUGGESTION_WINDOW}, now)
    return builder.suggestions(builder.interests.get(reader.id, []))


def record_feedback(context: WebContext, reader: ReaderRecord, article_id: int, kind: str) -> None:
    if kind not in ("more", "less", "opened"):
        raise DeskError("feedback is 'more', 'less' or 'opened'")
    if context.store.get_article(article_id) is None:
        raise DeskError(f"there is no article {article_id}")
    context.store.feedback.add(reader.id, article_id, cast(FeedbackKind, kind), _now())


async def add_source(context: WebContext, url: str) -> tuple[SourceRecord, bool]:
    """Follow a feed, sitemap, site or article by URL, fetched through the guarded fetcher
    (no private addresses unless the server allows them)."""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise DeskError("Give a web address starting with http:// or https://.")
    try:
        async with Fetcher(
            allow_private_networks=context.settings.allow_private_networks
        ) as fetcher:
            resolved = await resolve_source(fetcher, url)
    except (FetchError, FeedError) as error:
        reason = str(getattr(error, "reason", None) or error)
        # The hint to set an environment variable is for whoever runs the server.
        reason = reason.replace(f" ({ALLOW_HINT})", ": this server does not fetch those")
        raise DeskError(f"{url}: {reason}") from error
    return context.store.add_source(
        resolved.url, resolved.kind, title=resolved.title, site_url=resolved.site_url
    )


def import_opml(context: WebContext, content: bytes) -> tuple[int, int]:
    """Follow every feed of an OPML file; returns (new, total)."""
    if len(content) > MAX_OPML_BYTES:
        raise DeskError("That OPML file is too big (2 MB at most).")
    try:
        outlines = parse_opml(content)
    except FeedError as error:
        raise DeskError(f"That is not an OPML file we can read: {error}") from error
    added = 0
    for outline in outlines:
        try:
            _record, created = context.store.add_source(
                outline.url, "feed", title=outline.title, site_url=outline.html_url
            )
        except ValueError:
            continue  # not an http(s) URL: skipped
        added += created
    return added, len(outlines)


def export_opml(context: WebContext) -> str:
    outlines = [
        OpmlOutline(url=s.url, title=s.title, html_url=s.site_url, category=None)
        for s in context.store.list_sources()
        if s.kind in ("feed", "sitemap")
    ]
    return write_opml(outlines)
