"""The reader's pages (server-rendered, light htmx).

Every page works without JavaScript: forms POST, the server redirects (303) back to a page
that says what happened. With htmx loaded, the feedback buttons update in place instead.
Everything that comes from an article is untrusted: templates escape it (Jinja autoescape)
and only absolute http(s) URLs become links or images.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from handpicked.article import Image
from handpicked.deliver.links import is_web_url, original_url
from handpicked.deliver.wording import also_covered, clean, excerpt, reasons_sentence
from handpicked.desk import accounts as account_service
from handpicked.desk.errors import DeskError
from handpicked.desk.sources import MAX_OPML_BYTES
from handpicked.pick import readers as reader_service
from handpicked.pick.digest import DigestItem, Suggestion
from handpicked.pick.interests import Thing, source_of
from handpicked.schedule import ScheduleError, next_slot
from handpicked.store.readers import DeliveryRecord, InterestRecord, ReaderRecord
from handpicked.store.repository import SourceRecord, StoredArticle
from handpicked.web.auth_pages import signed_in
from handpicked.web.context import WebContext, page, web
from handpicked.web.security import (
    check_csrf,
    optional_reader,
    page_reader,
    safe_next,
    sign_in_url,
)

router = APIRouter(include_in_schema=False)
Web = Annotated[WebContext, Depends(web)]
Reader = Annotated[ReaderRecord, Depends(page_reader)]
MaybeReader = Annotated[ReaderRecord | None, Depends(optional_reader)]
Csrf = [Depends(check_csrf)]

DELIVERIES_SHOWN = 10
WHAT_CHARS = 200
FEEDBACK_WORDS = {"more": "Noted: more like this.", "less": "Noted: less like this."}
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_WEEKDAYS = "Mon Tue Wed Thu Fri Sat Sun".split()

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
    "password": "Password changed; other devices were signed out.",
    "more": "Noted: more like this.",
    "less": "Noted: less like this.",
}


# -- the facts the templates show -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImageView:
    url: str
    alt: str
    caption: str
    credit: str


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
class Block:
    """A piece of an article's body: a paragraph, or a pull quote set beside it."""

    kind: str
    text: str


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
    text = f"{_WEEKDAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} {local.year}"
    if with_time:
        text += f", {local.hour:02d}:{local.minute:02d}"
        if zone is UTC:
            text += " UTC"
    return When(text=text, iso=moment.astimezone(UTC).isoformat())


def language_tag(article: StoredArticle) -> str | None:
    language = article.detected_language or article.language
    return language if language and _LANGUAGE_TAG.fullmatch(language) else None


def web_url(url: str | None) -> str | None:
    return url if is_web_url(url) else None


def site_name(article: StoredArticle) -> str:
    return clean(article.site_name) or source_of(original_url(article)) or "the source"


def image_view(image: Image) -> ImageView | None:
    if not is_web_url(image.url):
        return None
    caption = clean(image.caption)
    return ImageView(image.url, clean(image.alt) or caption, caption, clean(image.credit))


def first_image(images: Sequence[Image]) -> ImageView | None:
    for image in images:
        view = image_view(image)
        if view is not None:
            return view
    return None


def latest_feedback(context: WebContext, reader: ReaderRecord) -> dict[int, str]:
    """The reader's standing "more" or "less" per article."""
    found: dict[int, str] = {}
    for record in context.store.feedback.of_readers([reader.id])[reader.id]:
        if record.kind in FEEDBACK_WORDS:
            found.setdefault(record.article_id, record.kind)
    return found


def pick_view(item: DigestItem, zone: tzinfo, noted: str | None) -> PickView:
    article = item.article
    return PickView(
        article_id=article.id,
        title=clean(article.title) or "Untitled",
        lang=language_tag(article),
        site=site_name(article),
        when=when(article.published, zone),
        lead=excerpt(article.lead or article.text or " ".join(article.paragraphs)),
        image=first_image(article.images),
        reasons=reasons_sentence(item.reasons),
        also_covered=also_covered(item),
        story_url=f"/stories/{item.story_id}" if item.story_id is not None else None,
        original_url=original_url(article),
        noted=FEEDBACK_WORDS.get(noted or "", ""),
    )


def suggestion_views(suggestions: Sequence[Suggestion]) -> list[SuggestionView]:
    return [
        SuggestionView(thing=s.thing, label=clean(s.label) or clean(s.thing), stories=s.stories)
        for s in suggestions
    ]


def body_blocks(paragraphs: Sequence[str], quotes: Sequence[str]) -> tuple[Block, ...]:
    """The paragraphs with the pull quotes spread between them."""
    texts = [t for t in (clean(p) for p in paragraphs) if t]
    pulled = [q for q in (clean(q) for q in quotes) if q]
    after: dict[int, list[str]] = {}
    for n, quote in enumerate(pulled, 1):
        spot = max(0, min(len(texts) - 1, n * len(texts) // (len(pulled) + 1)))
        after.setdefault(spot, []).append(quote)
    blocks: list[Block] = []
    for index, text in enumerate(texts):
        blocks.append(Block("p", text))
        blocks.extend(Block("quote", quote) for quote in after.get(index, ()))
    if not texts:
        blocks.extend(Block("quote", quote) for quote in pulled)
    return tuple(blocks)


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
    images = tuple(v for v in (image_view(i) for i in article.images) if v is not None)
    paragraphs = list(article.paragraphs)
    lead = clean(article.lead)
    if paragraphs and lead and clean(paragraphs[0]) == lead:
        paragraphs = paragraphs[1:]
    return ArticleView(
        id=article.id,
        title=clean(article.title) or "Untitled",
        lang=language_tag(article),
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
                lang=language_tag(article),
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


def delivery_view(delivery: DeliveryRecord, zone: tzinfo) -> DeliveryView:
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
    )


# -- helpers for handlers -------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def done_message(request: Request) -> str | None:
    """The message a redirect asked for (only the fixed wordings of ``DONE``)."""
    wording = DONE.get(request.query_params.get("done", ""))
    if wording is None:
        return None
    what = clean(request.query_params.get("what"))[:WHAT_CHARS] or "that"
    return wording.format(what=what)


def see_other(path: str, done: str | None = None, what: str | None = None) -> RedirectResponse:
    """Back to a page (POST/redirect/GET), saying what was done there."""
    query = {k: v for k, v in (("done", done), ("what", what)) if v}
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


@router.get("/", response_class=HTMLResponse)
def today(request: Request, context: Web, reader: Reader) -> HTMLResponse:
    digest = context.desk.digests.todays_picks(reader)
    zone = zone_of(reader)
    noted = latest_feedback(context, reader)
    picks = [pick_view(item, zone, noted.get(item.article.id)) for item in digest.items]
    interests = context.store.interests.of_readers([reader.id])[reader.id]
    return page(
        request,
        "today.html",
        title="Today",
        reader=reader,
        picks=picks,
        since=when(digest.since, zone),
        candidates=digest.candidates,
        empty_reason=clean(digest.empty_reason),
        suggestions=suggestion_views(digest.suggestions),
        follows=sum(1 for i in interests if i.mode == "follow"),
        done=done_message(request),
    )


@router.post("/picks/{article_id}/feedback", response_model=None, dependencies=Csrf)
def pick_feedback(
    request: Request,
    article_id: int,
    context: Web,
    reader: MaybeReader,
    kind: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """ "More like this" / "Less like this": in place with htmx, else back to the page.
    A signed-out htmx request is sent to sign in with ``HX-Redirect`` (a plain redirect
    would put the sign-in page inside the button's status line)."""
    target = safe_next(next).partition("#")[0]
    if reader is None:
        if is_htmx(request):
            return Response(status_code=200, headers={"HX-Redirect": sign_in_url(target)})
        return RedirectResponse(sign_in_url(target), status_code=303)
    if kind not in FEEDBACK_WORDS:
        return page(request, "message.html", status_code=400, title="Unknown feedback",
                    message="Feedback is “more” or “less” like this.", reader=reader)  # fmt: skip
    try:
        context.desk.feedback.record(reader, article_id, kind)
    except DeskError:
        return not_found(request, reader, "article")
    if is_htmx(request):
        return HTMLResponse(FEEDBACK_WORDS[kind])
    return see_other(f"{target}#pick-{article_id}-feedback", done=kind)


# -- stories and articles (public) ----------------------------------------------------------


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: int, context: Web, reader: MaybeReader) -> HTMLResponse:
    story = context.store.stories.get(story_id)
    if story is None or not story.articles:
        return not_found(request, reader, "story")
    zone = zone_of(reader)
    articles = story_views(story.articles, zone)
    title = clean(story.title) or (articles[0].title if articles else "A story")
    outlets = [o for o in (clean(o) for o in story.outlets) if o]
    return page(request, "story.html", title=title, reader=reader, story=story,
                articles=articles, outlets=outlets, first=when(story.first_seen, zone),
                last=when(story.last_seen, zone))  # fmt: skip


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request, article_id: int, context: Web, reader: MaybeReader
) -> HTMLResponse:
    """The clean reader view; opening it while signed in counts as "opened"."""
    article = context.store.get_article(article_id)
    if article is None:
        return not_found(request, reader, "article")
    noted = None
    if reader is not None:
        context.desk.feedback.record(reader, article.id, "opened")
        noted = latest_feedback(context, reader).get(article.id)
    view = article_view(context, article, zone_of(reader), noted)
    return page(request, "article.html", title=view.title, reader=reader, article=view,
                done=done_message(request))  # fmt: skip


# -- follows --------------------------------------------------------------------------------


def _follows_page(
    request: Request,
    context: WebContext,
    reader: ReaderRecord,
    *,
    status_code: int = 200,
    error: str | None = None,
    thing: str = "",
) -> HTMLResponse:
    interests = context.store.interests.of_readers([reader.id])[reader.id]
    follows = [interest_view(i) for i in interests if i.mode == "follow"]
    mutes = [interest_view(i) for i in interests if i.mode == "mute"]
    return page(request, "follows.html", status_code=status_code, title="Follows",
                reader=reader, follows=follows, mutes=mutes,
                suggestions=suggestion_views(context.desk.digests.suggestions(reader)), error=error,
                thing=thing, done=done_message(request))  # fmt: skip


@router.get("/follows", response_class=HTMLResponse)
def follows_page(request: Request, context: Web, reader: Reader) -> HTMLResponse:
    return _follows_page(request, context, reader)


@router.post("/follows", response_model=None, dependencies=Csrf)
def follow(
    request: Request,
    context: Web,
    reader: Reader,
    thing: Annotated[str, Form()] = "",
    mode: Annotated[str, Form()] = "follow",
    next: Annotated[str, Form()] = "/follows",
) -> Response:
    if mode not in ("follow", "mute"):
        return _follows_page(request, context, reader, status_code=400, thing=thing,
                             error="Choose to follow or to mute.")  # fmt: skip
    try:
        change = reader_service.set_interest(context.store, reader, thing, mode, _now())
    except reader_service.ReaderError as error:
        message = str(error)
        return _follows_page(request, context, reader, status_code=400, thing=thing,
                             error=message[:1].upper() + message[1:])  # fmt: skip
    described = change.thing.describe()
    back = next if safe_next(next) == next else "/follows"
    if change.before == mode:
        return see_other(back, "unchanged", f"{mode} {described}")
    return see_other(back, "followed" if mode == "follow" else "muted", described)


@router.post("/follows/remove", response_model=None, dependencies=Csrf)
def unfollow(
    request: Request,
    context: Web,
    reader: Reader,
    kind: Annotated[str, Form()] = "",
    key: Annotated[str, Form()] = "",
    thing: Annotated[str, Form()] = "",
) -> Response:
    """Stop following or muting: by ``kind`` and ``key`` (the page's buttons) or by what
    the reader types (``thing``)."""
    if kind and key:
        interests = context.store.interests.of_readers([reader.id])[reader.id]
        found = next((i for i in interests if i.kind == kind and i.key == key), None)
        if found is None or not context.store.interests.remove(reader.id, kind, key):
            return see_other("/follows", "not-followed", key)
        return see_other("/follows", "removed", interest_view(found).text)
    try:
        removed = reader_service.remove_interest(context.store, reader, thing)
    except reader_service.ReaderError as error:
        message = str(error)
        return _follows_page(request, context, reader, status_code=400, thing=thing,
                             error=message[:1].upper() + message[1:])  # fmt: skip
    if removed is None:
        return see_other("/follows", "not-followed", thing)
    return see_other("/follows", "removed", removed.describe())


# -- sources --------------------------------------------------------------------------------


def _sources_page(
    request: Request,
    context: WebContext,
    reader: ReaderRecord,
    *,
    status_code: int = 200,
    error: str | None = None,
    import_error: str | None = None,
    url: str = "",
) -> HTMLResponse:
    zone = zone_of(reader)
    sources = [source_view(s, zone) for s in context.store.list_sources()]
    return page(request, "sources.html", status_code=status_code, title="Sources",
                reader=reader, sources=sources, error=error, import_error=import_error,
                url=url, done=done_message(request))  # fmt: skip


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, context: Web, reader: Reader) -> HTMLResponse:
    return _sources_page(request, context, reader)


@router.post("/sources", response_model=None, dependencies=Csrf)
async def add_source(
    request: Request, context: Web, reader: Reader, url: Annotated[str, Form()] = ""
) -> Response:
    """Follow a feed, sitemap, site or article by URL (fetched once to see what it is)."""
    try:
        source, created = await context.desk.sources.add(url)
    except (DeskError, ValueError) as error:
        return _sources_page(request, context, reader, status_code=400, error=str(error),
                             url=url)  # fmt: skip
    name = clean(source.title) or source.url
    return see_other("/sources", "source-added" if created else "source-known", name)


@router.post("/sources/import", response_model=None, dependencies=Csrf)
async def import_sources(
    request: Request,
    context: Web,
    reader: Reader,
    opml: Annotated[UploadFile | None, File()] = None,
) -> Response:
    if opml is None:
        return _sources_page(request, context, reader, status_code=400,
                             import_error="Choose an OPML file to import.")  # fmt: skip
    content = await opml.read(MAX_OPML_BYTES + 1)
    await opml.close()
    try:
        added, total = context.desk.sources.import_opml(content)
    except DeskError as error:
        return _sources_page(request, context, reader, status_code=400,
                             import_error=str(error))  # fmt: skip
    feeds = "feed" if total == 1 else "feeds"
    return see_other("/sources", "imported", f"{added} new of {total} {feeds}")


@router.get("/sources/export.opml")
def export_sources(context: Web, reader: Reader) -> Response:
    return Response(
        context.desk.sources.export_opml(),
        media_type="text/x-opml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="handpicked-sources.opml"'},
    )


@router.post("/sources/{source_id}/remove", response_model=None, dependencies=Csrf)
def remove_source(source_id: int, context: Web, reader: Reader) -> Response:
    source = context.store.get_source(source_id)
    if source is None or not context.store.remove_source(source_id):
        return see_other("/sources")
    return see_other("/sources", "source-removed", clean(source.title) or source.url)


# -- settings -------------------------------------------------------------------------------


def _settings_page(
    request: Request,
    context: WebContext,
    reader: ReaderRecord,
    form: SettingsForm | None = None,
    *,
    status_code: int = 200,
    password_error: str | None = None,
) -> HTMLResponse:
    zone = zone_of(reader)
    form = form or SettingsForm(
        schedule=reader.schedule,
        time_zone=reader.time_zone,
        max_items=str(reader.max_items),
        language=reader.language or "any",
    )
    try:
        schedule = reader.parsed_schedule
        described = schedule.describe()
        upcoming = when(next_slot(schedule, reader.time_zone, _now()), zone)
    except (ScheduleError, ValueError):
        described, upcoming = reader.schedule, None
    deliveries = context.store.deliveries.list(reader.id, limit=DELIVERIES_SHOWN)
    return page(request, "settings.html", status_code=status_code, title="Settings",
                reader=reader, form=form, described=described, upcoming=upcoming,
                zone_name=reader.time_zone, feed_url=context.links.feed(reader.feed_token),
                deliveries=[delivery_view(d, zone) for d in deliveries],
                has_password=context.store.readers.password_hash(reader.id) is not None,
                password_error=password_error, done=done_message(request))  # fmt: skip


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, context: Web, reader: Reader) -> HTMLResponse:
    return _settings_page(request, context, reader)


@router.post("/settings", response_model=None, dependencies=Csrf)
def save_settings(
    request: Request,
    context: Web,
    reader: Reader,
    schedule: Annotated[str, Form()] = "",
    time_zone: Annotated[str, Form()] = "",
    max_items: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "",
) -> Response:
    """Check each field on its own so every mistake is shown beside its field."""
    form = SettingsForm(schedule, time_zone, max_items, language)
    values: dict[str, object] = {}
    wanted: dict[str, object] = {"schedule": schedule, "time_zone": time_zone,
                                 "language": language}  # fmt: skip
    try:
        wanted["max_items"] = int(max_items.strip())
    except ValueError:
        form.errors["max_items"] = f"Give a number of stories from 1 to {reader_service.MAX_ITEMS}."
    for name, value in wanted.items():
        try:
            values.update(reader_service.check_settings(**{name: value}))  # type: ignore[arg-type]
        except reader_service.ReaderError as error:
            message = str(error)
            form.errors[name] = message[:1].upper() + message[1:]
    if form.errors:
        return _settings_page(request, context, reader, form, status_code=400)
    reader_service.change_reader(context.store, reader, **wanted)
    return see_other("/settings", "settings")


@router.get("/settings/preview", response_class=HTMLResponse)
def digest_preview(context: Web, reader: Reader) -> HTMLResponse:
    """The next digest as its email's HTML, to show in a sandboxed frame."""
    _digest, html, _text = context.desk.digests.preview(reader)
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": "default-src 'none'; img-src http: https: data:; "
            "style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox allow-popups "
            "allow-popups-to-escape-sandbox",
            "Cache-Control": "no-store",
        },
    )


@router.post("/settings/password", response_model=None, dependencies=Csrf)
def change_password(
    request: Request,
    context: Web,
    reader: Reader,
    new_password: Annotated[str, Form()],
    current_password: Annotated[str, Form()] = "",
) -> Response:
    """A new password (the current one first, if there is one); other sessions end."""
    client = request.client.host if request.client else None
    try:
        if context.store.readers.password_hash(reader.id) is not None:
            account_service.authenticate(
                context.store, reader.email, current_password, client, _now()
            )
        account_service.set_password(context.store, reader, new_password)
    except account_service.AccountError as error:
        message = str(error)
        if error.code == "wrong_password":
            message = "That is not your current password."
        return _settings_page(request, context, reader, status_code=400,
                              password_error=message)  # fmt: skip
    return signed_in(context, reader, "/settings?done=password")
