"""The view builders the page modules share: records turned into what the templates show
(times in the reader's zone, only absolute http(s) links and images, clean text), and the
helpers every page handler uses (redirects, "done" messages, the not-found page)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from handpicked.deliver.links import is_web_url, original_url
from handpicked.deliver.wording import (
    Block,
    FactView,
    ImageView,
    also_covered,
    body_blocks,
    clean,
    day_text,
    excerpt,
    fact_views,
    first_image,
    follow_up_heading,
    growth,
    image_view,
    language_tag,
    reasons_sentence,
)
from handpicked.images import image_path
from handpicked.pick.digest import DigestItem, Suggestion
from handpicked.pick.interests import Thing, source_of
from handpicked.store import (
    DeliveryRecord,
    InterestRecord,
    ReaderRecord,
    SourceRecord,
    StoredArticle,
)
from handpicked.web.context import WebContext, page, web
from handpicked.web.security import (
    check_csrf,
    optional_reader,
    page_reader,
    safe_next,
)

Web = Annotated[WebContext, Depends(web)]
Reader = Annotated[ReaderRecord, Depends(page_reader)]
MaybeReader = Annotated[ReaderRecord | None, Depends(optional_reader)]
Csrf = [Depends(check_csrf)]

DELIVERIES_SHOWN = 10
WHAT_CHARS = 200
FEEDBACK_WORDS = {"more": "Noted: more like this.", "less": "Noted: less like this."}

# What a redirect's ``?done=`` says on the next page; ``{what}`` is the ``what`` parameter.
DONE = {
    "followed": "Now following {what}.",
    "muted": "Muted {what}: stories about it will not be picked.",
    "unchanged": "You already {what}.",
    "removed": "Removed {what}.",
    "not-followed": "{what} was not followed or muted.",
    "source-added": "Added the source {what}.",
    "source-known": "You already follow the source {what}.",
    "source-removed": "Removed the source {what}.",
    "imported": "Imported the OPML file: {what}.",
    "settings": "Settings saved.",
    "password": "Password changed: your other sessions were signed out and your API "
    "tokens revoked.",
    "more": "Noted: more like this.",
    "less": "Noted: less like this.",
    "token-revoked": "Revoked the API token {what}: it no longer works.",
    "feed-url": "Your feed has a new address, below: the old one no longer works. Give the "
    "new one to your feed reader.",
}


# -- the facts the templates show -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class When:
    """A moment for people ("Wed 25 Nov 2026, 06:00") and for machines (ISO 8601)."""

    text: str
    iso: str


@dataclass(frozen=True, slots=True)
class PickView:
    article_id: int
    title: str
    lang: str | None
    site: str
    when: When | None
    lead: str
    image: ImageView | None
    reasons: str
    also_covered: str
    story_url: str | None
    original_url: str | None
    noted: str
    follow_up: str = ""
    """ "New since you read it on Tue:" for a story the reader was sent that developed."""
    facts: tuple[FactView, ...] = ()
    growth: str = ""


@dataclass(frozen=True, slots=True)
class CopyView:
    article_id: int
    site: str
    original_url: str | None


@dataclass(frozen=True, slots=True)
class StoryArticleView:
    article_id: int
    title: str
    lang: str | None
    site: str
    when: When | None
    original_url: str | None
    copies: tuple[CopyView, ...] = ()
    copy_of: int | None = None
    """For a copy whose original is not in this story: the original's id."""


@dataclass(frozen=True, slots=True)
class ArticleView:
    id: int
    title: str
    lang: str | None
    authors: str
    site: str
    when: When | None
    updated: When | None
    section: str
    tags: tuple[str, ...]
    lead: str
    blocks: tuple[Block, ...]
    images: tuple[ImageView, ...]
    syndicated_from: str
    editors: str
    original_url: str | None
    story_url: str | None
    story_others: int
    copy_of: int | None
    noted: str


@dataclass(frozen=True, slots=True)
class InterestView:
    kind: str
    key: str
    text: str
    what: str
    """What kind of thing it is, for people: "person", "topic", "source", "phrase"."""


@dataclass(frozen=True, slots=True)
class SuggestionView:
    thing: str
    label: str
    stories: int


@dataclass(frozen=True, slots=True)
class SourceView:
    id: int
    name: str
    url: str
    link: str | None
    kind: str
    last_polled: When | None
    last_error: str
    error_count: int


@dataclass(frozen=True, slots=True)
class DeliveryView:
    period: When | None
    state: str
    sent: When | None
    stories: int
    error: str
    outbox_url: str | None = None
    """Where to read it, when it was delivered to the local outbox."""


@dataclass
class SettingsForm:
    schedule: str
    time_zone: str
    max_items: str
    language: str
    errors: dict[str, str] = field(default_factory=dict)


def zone_of(reader: ReaderRecord | None) -> tzinfo:
    if reader is None:
        return UTC
    try:
        return ZoneInfo(reader.time_zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC


def when(moment: datetime | None, zone: tzinfo, *, with_time: bool = True) -> When | None:
    """ "Wed 25 Nov 2026, 06:00" in ``zone`` (English whatever the server's locale)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(zone)
    text = day_text(local)
    if with_time:
        text += f", {local.hour:02d}:{local.minute:02d}"
        if zone is UTC:
            text += " UTC"
    return When(text=text, iso=moment.astimezone(UTC).isoformat())


def article_language(article: StoredArticle) -> str | None:
    return language_tag(article.detected_language or article.language)


def web_url(url: str | None) -> str | None:
    return url if is_web_url(url) else None


def site_name(article: StoredArticle) -> str:
    return clean(article.site_name) or source_of(original_url(article)) or "the source"


def latest_feedback(context: WebContext, reader: ReaderRecord) -> dict[int, str]:
    """The reader's standing "more" or "less" per article."""
    found: dict[int, str] = {}
    for record in context.store.feedback.of_readers([reader.id])[reader.id]:
        if record.kind in FEEDBACK_WORDS:
            found.setdefault(record.article_id, record.kind)
    return found


def served_image(article_id: int, view: ImageView) -> ImageView:
    """The image from our own address (see :mod:`handpicked.images`): pages never hot-link
    an outlet, which would tell it who reads what."""
    return replace(view, url=image_path(article_id, view.url))


def pick_view(item: DigestItem, zone: tzinfo, noted: str | None) -> PickView:
    article = item.article
    image = first_image(article.images)
    return PickView(
        article_id=article.id,
        title=clean(article.title) or "Untitled",
        lang=article_language(article),
        site=site_name(article),
        when=when(article.published, zone),
        lead=excerpt(article.lead or article.text or " ".join(article.paragraphs)),
        image=served_image(article.id, image) if image else None,
        reasons=reasons_sentence(item.reasons),
        also_covered=also_covered(item),
        story_url=f"/stories/{item.story_id}" if item.story_id is not None else None,
        original_url=original_url(article),
        noted=FEEDBACK_WORDS.get(noted or "", ""),
        **_follow_up(item, zone),
    )


def _follow_up(item: DigestItem, zone: tzinfo) -> dict[str, Any]:
    """A follow-up's heading, new facts and growth (nothing for a story new to the reader)."""
    if item.development is None or item.seen_at is None:
        return {}
    seen = item.seen_at.astimezone(zone)
    return {"follow_up": follow_up_heading(seen), "facts": tuple(fact_views(item)),
            "growth": growth(item)}  # fmt: skip


def suggestion_views(suggestions: Sequence[Suggestion]) -> list[SuggestionView]:
    return [
        SuggestionView(thing=s.thing, label=clean(s.label) or clean(s.thing), stories=s.stories)
        for s in suggestions
    ]


def people(names: Sequence[str]) -> str:
    named = [n for n in (clean(n) for n in names) if n]
    if len(named) <= 2:
        return " and ".join(named)
    return ", ".join(named[:-1]) + f" and {named[-1]}"


def article_view(
    context: WebContext, article: StoredArticle, zone: tzinfo, noted: str | None
) -> ArticleView:
    story = context.store.stories.get(article.story_id) if article.story_id is not None else None
    others = [o for o in story.outlets if o != article.site_name] if story else []
    images = tuple(
        served_image(article.id, v) for v in map(image_view, article.images) if v is not None
    )
    paragraphs = list(article.paragraphs)
    lead = clean(article.lead)
    if paragraphs and lead and clean(paragraphs[0]) == lead:
        paragraphs = paragraphs[1:]
    return ArticleView(
        id=article.id,
        title=clean(article.title) or "Untitled",
        lang=article_language(article),
        authors=people(article.authors),
        site=site_name(article),
        when=when(article.published, zone),
        updated=when(article.updated, zone) if article.updated != article.published else None,
        section=clean(article.section),
        tags=tuple(t for t in (clean(t) for t in article.tags) if t),
        lead=lead,
        blocks=body_blocks(paragraphs, article.pull_quotes),
        images=images,
        syndicated_from=clean(article.syndicated_from),
        editors=people(article.editors),
        original_url=original_url(article),
        story_url=f"/stories/{story.id}" if story and len(story.articles) > 1 else None,
        story_others=len(others),
        copy_of=article.duplicate_of,
        noted=FEEDBACK_WORDS.get(noted or "", ""),
    )


def story_views(articles: Sequence[StoredArticle], zone: tzinfo) -> list[StoryArticleView]:
    """The story's articles, oldest first, with syndicated copies folded under the original
    they copy (a copy whose original is elsewhere stands alone, saying so)."""
    ids = {a.id for a in articles}
    copies: dict[int, list[CopyView]] = {}
    for article in articles:
        if article.duplicate_of is not None and article.duplicate_of in ids:
            copies.setdefault(article.duplicate_of, []).append(
                CopyView(article.id, site_name(article), original_url(article))
            )
    views: list[StoryArticleView] = []
    for article in articles:
        if article.duplicate_of is not None and article.duplicate_of in ids:
            continue
        views.append(
            StoryArticleView(
                article_id=article.id,
                title=clean(article.title) or "Untitled",
                lang=article_language(article),
                site=site_name(article),
                when=when(article.published, zone),
                original_url=original_url(article),
                copies=tuple(copies.get(article.id, ())),
                copy_of=article.duplicate_of,
            )
        )
    return views


KIND_WORDS = {"person": "person", "organisation": "organisation", "place": "place"}


def interest_view(interest: InterestRecord) -> InterestView:
    thing = Thing(interest.kind, interest.key, interest.label)
    if interest.kind == "entity":
        what = KIND_WORDS.get(interest.key.split(":", 1)[0], "name")
    else:
        what = interest.kind
    return InterestView(interest.kind, interest.key, clean(thing.describe()), what)


def source_view(source: SourceRecord, zone: tzinfo) -> SourceView:
    return SourceView(
        id=source.id,
        name=clean(source.title) or source_of(source.url) or source.url,
        url=source.url,
        link=web_url(source.site_url) or web_url(source.url),
        kind=source.kind,
        last_polled=when(source.last_polled_at, zone),
        last_error=clean(source.last_error),
        error_count=source.error_count,
    )


def delivery_view(delivery: DeliveryRecord, zone: tzinfo, in_outbox: bool = False) -> DeliveryView:
    try:
        period = datetime.strptime(delivery.period, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    except ValueError:
        period = None
    return DeliveryView(
        period=when(period, zone),
        state=delivery.state,
        sent=when(delivery.sent_at, zone),
        stories=len(delivery.story_ids) or len(delivery.items),
        error=clean(delivery.error),
        outbox_url=f"/outbox/{delivery.id}" if in_outbox else None,
    )


# -- helpers for handlers -------------------------------------------------------------------


def now() -> datetime:
    return datetime.now(UTC)


def done_message(request: Request) -> str | None:
    """The message a redirect asked for: only the fixed wordings of ``DONE``, and the free text
    they quote only when this app signed it (a link from elsewhere cannot put words here)."""
    done = request.query_params.get("done", "")
    wording = DONE.get(done)
    if wording is None or "{what}" not in wording:
        return wording
    what = request.query_params.get("what", "")
    context: WebContext = request.app.state.web
    expected = _notice_signature(context.settings.secret_key(), done, what)
    if not what or not hmac.compare_digest(request.query_params.get("sig", ""), expected):
        return None
    return wording.format(what=clean(what)[:WHAT_CHARS] or "that")


def _notice_signature(key: str, done: str, what: str) -> str:
    message = f"notice\0{done}\0{what}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:32]


def see_other(
    path: str, done: str | None = None, what: str | None = None, *, key: str = ""
) -> RedirectResponse:
    """Back to a page (POST/redirect/GET), saying what was done there; the ``what`` it quotes
    is signed with ``key`` (the desk's secret key), so that only this app's notices show."""
    query = {k: v for k, v in (("done", done), ("what", what)) if v}
    if done and what:
        if not key:
            raise ValueError("a notice that quotes text needs the key to sign it")
        query["sig"] = _notice_signature(key, done, what)
    path, _hash, fragment = safe_next(path).partition("#")
    target = path + ("&" if "?" in path else "?") + urlencode(query) if query else path
    return RedirectResponse(target + (f"#{fragment}" if fragment else ""), status_code=303)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def not_found(request: Request, reader: ReaderRecord | None, what: str) -> HTMLResponse:
    return page(request, "message.html", status_code=404, title=f"No such {what}",
                message=f"There is no such {what} here: it may have been removed, or the "
                        "link was cut short.", reader=reader)  # fmt: skip


# -- today ----------------------------------------------------------------------------------
