"""The JSON API under ``/api/v1``: everything the pages do, for scripts and other clients.

Clients authenticate with ``Authorization: Bearer hp_…`` (a token from ``POST /api/v1/tokens``
or the settings page); the session cookie of the pages is never accepted here, so the API
needs no CSRF token. Every error is ``{"detail": "one sentence"}``, request validation
included. The handlers stay thin: the work is in :mod:`handpicked.desk`,
:mod:`handpicked.pick.readers` and the store, which the pages share.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, Security, status
from fastapi.exceptions import HTTPException, RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from handpicked.deliver.links import is_web_url
from handpicked.desk import accounts as account_service
from handpicked.desk.errors import DeskError
from handpicked.desk.sources import MAX_OPML_BYTES
from handpicked.pick import readers as service
from handpicked.pick.digest import Digest, DigestItem, Suggestion
from handpicked.pick.interests import Thing
from handpicked.schedule import ScheduleError, next_slot
from handpicked.store.model import StoryRecord
from handpicked.store.readers import InterestRecord, ReaderRecord
from handpicked.store.repository import SourceRecord, StoredArticle
from handpicked.web.api_models import (
    MAX_ID,
    ArticleOut,
    DeliveryOut,
    ErrorOut,
    FeedbackIn,
    ImageOut,
    InterestChanged,
    InterestCreate,
    InterestMode,
    InterestOut,
    InterestsOut,
    MeOut,
    MeUpdate,
    OpmlImported,
    PickOut,
    PicksOut,
    PreviewOut,
    SourceAdded,
    SourceCreate,
    SourceOut,
    StoryArticleOut,
    StoryOut,
    SuggestionOut,
    Text,
    TokenCreate,
    TokenCreated,
    TokenOut,
)
from handpicked.web.context import WebContext, web
from handpicked.web.security import api_reader

OPML_TYPES = ("text/x-opml", "application/xml", "text/xml")
DEFAULT_TOKEN_NAME = "API"
_MODES: dict[str | None, InterestMode] = {"follow": "follow", "mute": "mute"}


class ApiRoute(APIRoute):
    """A route whose request validation errors are ``{"detail": "..."}`` like every other
    error of the API (FastAPI's default is a list of error objects)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as error:
                return JSONResponse(
                    {"detail": describe_errors(error.errors())},
                    status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
                )
            except StarletteHTTPException as error:
                if error.status_code != status.HTTP_400_BAD_REQUEST:
                    raise
                # FastAPI's answer to a body it cannot decode (not UTF-8, say); no handler
                # here answers 400, and a body that cannot be read is as invalid as any.
                return JSONResponse(
                    {"detail": "The request body could not be read: send UTF-8 JSON."},
                    status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
                )

        return handle

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a method the path does not take with 405 and an ``Allow`` header naming
        every method of the path: FastAPI makes one route per method, and Starlette's answer
        would name only the first route's."""
        if scope["type"] == "http" and self.methods and scope["method"] not in self.methods:
            allowed = sorted(
                method
                for route in router.routes
                if isinstance(route, APIRoute) and route.path == self.path
                for method in route.methods or ()
            )
            raise HTTPException(
                status.HTTP_405_METHOD_NOT_ALLOWED, headers={"Allow": ", ".join(allowed)}
            )
        await super().handle(scope, receive, send)


def describe_errors(errors: Sequence[Any]) -> str:
    """Validation errors in one line: "query.limit: Input should be less than or equal to
    200; body.kind: ..."."""
    parts = []
    for error in errors:
        where = ".".join(str(part) for part in error.get("loc", ()))
        message = str(error.get("msg", "invalid value"))
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts) or "The request is not valid."


router = APIRouter(prefix="/api/v1", route_class=ApiRoute)

bearer = HTTPBearer(
    bearerFormat="hp_…",
    scheme_name="bearer",
    description="An API token, from POST /api/v1/tokens or the settings page.",
    auto_error=False,
)


def current_reader(
    request: Request,
    context: Annotated[WebContext, Depends(web)],
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> ReaderRecord:
    """The reader whose bearer token came with the request (401 otherwise). The session
    cookie does not count: ``api_reader`` reads the Authorization header only."""
    return api_reader(request, context)


Web = Annotated[WebContext, Depends(web)]
Reader = Annotated[ReaderRecord, Depends(current_reader)]
TokenId = Annotated[int, Path(ge=1, le=MAX_ID, description="The token's id, as listed.")]
StoryId = Annotated[int, Path(ge=1, le=MAX_ID, description="The story's id.")]
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID, description="The article's id.")]
SourceId = Annotated[int, Path(ge=1, le=MAX_ID, description="The source's id, as listed.")]
_RFC3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")


def _rfc3339(value: object) -> object:
    """Only a full RFC 3339 time with its offset, as the document says (pydantic alone would
    also take bare dates, times without an offset and Unix timestamps)."""
    if isinstance(value, str) and not _RFC3339.fullmatch(value):
        raise ValueError("give a time as in 2026-11-25T07:00:00Z or 2026-11-25T08:00:00+01:00")
    return value


Since = Annotated[
    datetime | None,
    BeforeValidator(_rfc3339),
    Query(description="Only what came out at or after this time (RFC 3339, with its offset)."),
]

_ERROR = {"model": ErrorOut}
UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {
        **_ERROR,
        "description": "No API token, or not a valid one.",
        "headers": {"WWW-Authenticate": {"description": "Bearer", "schema": {"type": "string"}}},
    }
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {**_ERROR, "description": "No such thing."}}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {**_ERROR, "description": "The request is not valid; `detail` says why."}
}


def _now() -> datetime:
    return datetime.now(UTC)


def _not_found(what: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, what)


def _invalid(message: str) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, message)


def _utc(value: datetime | None) -> datetime | None:
    """A client's time in UTC; times beyond what datetime can hold in UTC are clamped to its
    ends."""
    if value is None or value.tzinfo is None:
        return value.replace(tzinfo=UTC) if value is not None else None
    try:
        return value.astimezone(UTC)
    except OverflowError:
        edge = datetime.min if value.year < 2 else datetime.max
        return edge.replace(tzinfo=UTC)


# --- tokens --------------------------------------------------------------------------------


@router.post(
    "/tokens",
    tags=["tokens"],
    summary="Create an API token",
    description="Sign in with email and password and get a bearer token for the other "
    "endpoints. The token is shown only in this answer. Failed attempts are limited per "
    "account and per client address, as for the sign-in page.",
    status_code=status.HTTP_201_CREATED,
    response_model=TokenCreated,
    responses={
        401: {**_ERROR, "description": "The email and password do not match an account."},
        429: {
            **_ERROR,
            "description": "Too many failed attempts; try again later.",
            "headers": {
                "Retry-After": {
                    "description": "Seconds until another attempt is allowed.",
                    "schema": {"type": "integer"},
                }
            },
        },
        **INVALID,
    },
)
def create_token(body: TokenCreate, request: Request, context: Web) -> TokenCreated:
    address = request.client.host if request.client else None
    try:
        reader = account_service.authenticate(
            context.store, body.email, body.password, address, _now()
        )
    except account_service.TooManyAttempts as error:
        seconds = max(1, math.ceil(error.retry_after.total_seconds()))
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS, str(error), headers={"Retry-After": str(seconds)}
        ) from error
    except account_service.AccountError as error:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(error)) from error
    name = (body.name or "").strip() or DEFAULT_TOKEN_NAME
    token_id, token = context.store.accounts.create_api_token(reader.id, name, _now())
    return TokenCreated(id=token_id, token=token, name=name[:200])


@router.get(
    "/tokens",
    tags=["tokens"],
    summary="List your API tokens",
    description="Every token of the reader, without the secrets.",
    response_model=list[TokenOut],
    responses=UNAUTHORIZED,
)
def list_tokens(reader: Reader, context: Web) -> list[TokenOut]:
    return [TokenOut.model_validate(t) for t in context.store.accounts.api_tokens(reader.id)]


@router.delete(
    "/tokens/{token_id}",
    tags=["tokens"],
    summary="Revoke an API token",
    description="The token stops working at once. Only the reader's own tokens can be revoked.",
    status_code=status.HTTP_204_NO_CONTENT,
    response_model=None,
    responses={**UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def revoke_token(token_id: TokenId, reader: Reader, context: Web) -> Response:
    if not context.store.accounts.revoke_api_token(reader.id, token_id):
        raise _not_found(f"You have no API token {token_id}.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- the reader ----------------------------------------------------------------------------


def _me(context: WebContext, reader: ReaderRecord) -> MeOut:
    description = reader.schedule
    next_at = None
    try:
        schedule = reader.parsed_schedule
        description = schedule.describe()
        if reader.active:
            next_at = next_slot(schedule, reader.time_zone, _now())
    except (ScheduleError, ValueError):
        pass  # a stored schedule the parser no longer reads: shown as stored
    return MeOut(
        id=reader.id,
        email=reader.email,
        time_zone=reader.time_zone,
        schedule=reader.schedule,
        schedule_description=description,
        next_digest_at=next_at,
        max_items=reader.max_items,
        language=reader.language,
        feed_url=context.links.feed(reader.feed_token),
        unsubscribed=not reader.active,
        created_at=reader.created_at,
    )


@router.get(
    "/me",
    tags=["reader"],
    summary="Your settings",
    description="Where and when digests go, how long they are, and the private feed.",
    response_model=MeOut,
    responses=UNAUTHORIZED,
)
def get_me(reader: Reader, context: Web) -> MeOut:
    return _me(context, reader)


@router.patch(
    "/me",
    tags=["reader"],
    summary="Change your settings",
    description="Change any of time zone, schedule, digest length, language and subscription. "
    "Nothing changes when any value is refused (422, with the reason).",
    response_model=MeOut,
    responses={**UNAUTHORIZED, **INVALID},
)
def update_me(body: MeUpdate, reader: Reader, context: Web) -> MeOut:
    values = {
        name: value
        for name in ("time_zone", "schedule", "max_items", "language")
        if (value := getattr(body, name)) is not None
    }
    try:
        reader = service.change_reader(context.store, reader, **values)
    except service.ReaderError as error:
        raise _invalid(str(error)) from error
    if body.subscribed is not None and body.subscribed != reader.active:
        unsubscribed_at = None if body.subscribed else _now()
        reader = context.store.readers.update(reader.id, unsubscribed_at=unsubscribed_at)
    return _me(context, reader)


# --- picks ---------------------------------------------------------------------------------


def _image(article: StoredArticle) -> ImageOut | None:
    for image in article.images:
        if is_web_url(image.url):
            return ImageOut(url=image.url, caption=image.caption, credit=image.credit,
                            alt=image.alt)  # fmt: skip
    return None


def _pick(context: WebContext, item: DigestItem) -> PickOut:
    article = item.article
    return PickOut(
        article_id=article.id,
        story_id=item.story_id,
        title=article.title,
        url=context.links.original(article),
        reader_url=context.links.article(article.id),
        site=article.site_name,
        published=article.published,
        lead=article.lead,
        reasons=list(item.reasons),
        outlets=list(item.outlets),
        also_covered_by=item.also_covered_by,
        score=round(item.score, 4),
        image=_image(article),
    )


def _suggestions(suggestions: Sequence[Suggestion]) -> list[SuggestionOut]:
    return [SuggestionOut(label=s.label, thing=s.thing, stories=s.stories) for s in suggestions]


def _picks(context: WebContext, digest: Digest) -> PicksOut:
    return PicksOut(
        subject=digest.subject,
        items=[_pick(context, item) for item in digest.items],
        empty_reason=digest.empty_reason,
        suggestions=_suggestions(digest.suggestions),
        since=digest.since,
        generated_at=digest.generated_at,
        candidates=digest.candidates,
    )


@router.get(
    "/picks",
    tags=["picks"],
    summary="Today's picks",
    description="The stories the reader's next digest would hold now, each with the reasons "
    "it was picked. Nothing is recorded or sent.",
    response_model=PicksOut,
    responses=UNAUTHORIZED,
)
def todays_picks(reader: Reader, context: Web) -> PicksOut:
    return _picks(context, context.desk.digests.todays_picks(reader))


@router.get(
    "/digest/preview",
    tags=["picks"],
    summary="Preview the next digest",
    description="The next digest email as its subject, HTML and plain-text parts.",
    response_model=PreviewOut,
    responses=UNAUTHORIZED,
)
def digest_preview(reader: Reader, context: Web) -> PreviewOut:
    digest, html, text = context.desk.digests.preview(reader)
    return PreviewOut(subject=digest.subject, html=html, text=text)


# --- interests -----------------------------------------------------------------------------


def _interest(record: InterestRecord) -> InterestOut:
    return InterestOut(
        kind=record.kind,
        key=record.key,
        label=record.label,
        mode=_MODES.get(record.mode, "follow"),
        thing=Thing(record.kind, record.key, record.label).spec,
        created_at=record.created_at,
    )


@router.get(
    "/interests",
    tags=["interests"],
    summary="What you follow and mute",
    response_model=InterestsOut,
    responses=UNAUTHORIZED,
)
def list_interests(reader: Reader, context: Web) -> InterestsOut:
    records = context.store.interests.of_readers([reader.id])[reader.id]
    return InterestsOut(
        follows=[_interest(r) for r in records if r.mode != "mute"],
        mutes=[_interest(r) for r in records if r.mode == "mute"],
    )


@router.post(
    "/interests",
    tags=["interests"],
    summary="Follow or mute something",
    description='A person, organisation or place ("Putin" finds Vladimir Putin), a topic '
    '("topic:politics"), a source ("bbc.co.uk") or a phrase (\'"Florida Man"\'). Muting '
    "something followed turns the follow into a mute, and the other way round; mutes win "
    "over follows when picking.",
    status_code=status.HTTP_201_CREATED,
    response_model=InterestChanged,
    responses={**UNAUTHORIZED, **INVALID},
)
def add_interest(body: InterestCreate, reader: Reader, context: Web) -> InterestChanged:
    try:
        change = service.set_interest(context.store, reader, body.thing, body.mode, _now())
    except service.ReaderError as error:
        raise _invalid(str(error)) from error
    return InterestChanged(
        kind=change.thing.kind,
        key=change.thing.key,
        label=change.thing.label,
        mode=body.mode,
        before=_MODES.get(change.before),
        thing=change.thing.spec,
    )


@router.delete(
    "/interests",
    tags=["interests"],
    summary="Stop following or muting something",
    description="Name it as typed (`?thing=Putin`) or by `kind` and `key` as listed.",
    status_code=status.HTTP_204_NO_CONTENT,
    response_model=None,
    responses={**UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def remove_interest(
    reader: Reader,
    context: Web,
    thing: Annotated[
        Text | None, Query(max_length=1000, description="What to stop following, as typed.")
    ] = None,
    kind: Annotated[
        Text | None, Query(max_length=50, description="The interest's kind, as listed.")
    ] = None,
    key: Annotated[
        Text | None, Query(max_length=1000, description="The interest's key, as listed.")
    ] = None,
) -> Response:
    if thing is not None:
        try:
            removed = service.remove_interest(context.store, reader, thing) is not None
        except service.ReaderError as error:
            raise _invalid(str(error)) from error
    elif kind is not None and key is not None:
        removed = context.store.interests.remove(reader.id, kind, key)
    else:
        raise _invalid("Say what to stop following: ?thing=… or ?kind=…&key=….")
    if not removed:
        raise _not_found("You do not follow or mute that.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/suggestions",
    tags=["interests"],
    summary="Things you could follow",
    description="People, places, organisations and topics in recent stories that the reader "
    "neither follows nor mutes, most covered first.",
    response_model=list[SuggestionOut],
    responses=UNAUTHORIZED,
)
def suggestions(reader: Reader, context: Web) -> list[SuggestionOut]:
    return _suggestions(context.desk.digests.suggestions(reader))


# --- feedback ------------------------------------------------------------------------------


@router.post(
    "/feedback",
    tags=["picks"],
    summary="More or less like this",
    description="React to an article: `more` and `less` change what is picked next (they "
    "replace each other); `opened` notes that it was read.",
    status_code=status.HTTP_204_NO_CONTENT,
    response_model=None,
    responses={**UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def feedback(body: FeedbackIn, reader: Reader, context: Web) -> Response:
    if context.store.get_article(body.article_id) is None:
        raise _not_found(f"There is no article {body.article_id}.")
    try:
        context.desk.feedback.record(reader, body.article_id, body.kind)
    except DeskError as error:
        raise _invalid(str(error)) from error
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- stories and articles ------------------------------------------------------------------


def _story(context: WebContext, story: StoryRecord) -> StoryOut:
    return StoryOut(
        id=story.id,
        title=story.title,
        representative_id=story.representative_id,
        first_seen=story.first_seen,
        last_seen=story.last_seen,
        article_count=story.article_count,
        outlets=list(story.outlets),
        also_covered_by=max(0, len(story.outlets) - 1),
        articles=[
            StoryArticleOut(
                id=a.id,
                title=a.title,
                url=a.canonical_url,
                reader_url=context.links.article(a.id),
                site_name=a.site_name,
                published=a.published,
                duplicate_of=a.duplicate_of,
                is_copy=a.duplicate_of is not None,
            )
            for a in story.articles
        ],
    )


def _article(context: WebContext, article: StoredArticle) -> ArticleOut:
    return ArticleOut.model_validate(
        {**article.to_dict(), "reader_url": context.links.article(article.id)}
    )


Limit = Annotated[int, Query(ge=1, le=200, description="How many at most (1 to 200).")]


@router.get(
    "/stories",
    tags=["news"],
    summary="Recent stories",
    description="Stories newest first, each with its articles; syndicated copies are flagged.",
    response_model=list[StoryOut],
    responses={**UNAUTHORIZED, **INVALID},
)
def stories(
    _reader: Reader, context: Web, since: Since = None, limit: Limit = 50
) -> list[StoryOut]:
    found = context.store.stories.list(since=_utc(since), limit=limit)
    return [_story(context, story) for story in found]


@router.get(
    "/stories/{story_id}",
    tags=["news"],
    summary="One story",
    description="A story with all its articles, oldest first; syndicated copies are flagged.",
    response_model=StoryOut,
    responses={**UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def story(story_id: StoryId, _reader: Reader, context: Web) -> StoryOut:
    found = context.store.stories.get(story_id)
    if found is None:
        raise _not_found(f"There is no story {story_id}.")
    return _story(context, found)


@router.get(
    "/articles",
    tags=["news"],
    summary="Recent articles",
    description="Articles newest first (by publication time, else fetch time), in full.",
    response_model=list[ArticleOut],
    responses={**UNAUTHORIZED, **INVALID},
)
def articles(
    _reader: Reader, context: Web, since: Since = None, limit: Limit = 50
) -> list[ArticleOut]:
    found = context.store.list_articles(since=_utc(since), limit=limit)
    return [_article(context, article) for article in found]


@router.get(
    "/articles/{article_id}",
    tags=["news"],
    summary="One article",
    description="The clean article: body, facts, pictures with captions and credits, and "
    "what understanding found (entities, topics, story, duplicate).",
    response_model=ArticleOut,
    responses={**UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def article(article_id: ArticleId, _reader: Reader, context: Web) -> ArticleOut:
    found = context.store.get_article(article_id)
    if found is None:
        raise _not_found(f"There is no article {article_id}.")
    return _article(context, found)


# --- sources -------------------------------------------------------------------------------


def _source(record: SourceRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in SourceOut.model_fields}


@router.get(
    "/sources",
    tags=["sources"],
    summary="The sources followed",
    description="Every feed, sitemap, site and page the desk polls, with why it last failed.",
    response_model=list[SourceOut],
    responses=UNAUTHORIZED,
)
def sources(_reader: Reader, context: Web) -> list[SourceOut]:
    return [SourceOut.model_validate(_source(s)) for s in context.store.list_sources()]


@router.post(
    "/sources",
    tags=["sources"],
    summary="Follow a source",
    description="A feed, sitemap, site or article address. It is fetched to find what it is "
    "(through the guarded fetcher: private addresses are refused unless the server allows "
    "them). 201 when new, 200 when it was followed already.",
    status_code=status.HTTP_201_CREATED,
    response_model=SourceAdded,
    responses={
        200: {"model": SourceAdded, "description": "The source was followed already."},
        **UNAUTHORIZED,
        **INVALID,
    },
)
async def add_source(
    body: SourceCreate, response: Response, _reader: Reader, context: Web
) -> SourceAdded:
    try:
        record, created = await context.desk.sources.add(body.url)
    except (DeskError, ValueError) as error:
        raise _invalid(str(error)) from error
    if not created:
        response.status_code = status.HTTP_200_OK
    return SourceAdded.model_validate({**_source(record), "created": created})


# ``:int``: /sources/opml is not a source id (it would get DELETE's 405 answers otherwise).
@router.delete(
    "/sources/{source_id:int}",
    tags=["sources"],
    summary="Stop following a source",
    description="Its queued pages are dropped; its stored articles stay.",
    status_code=status.HTTP_204_NO_CONTENT,
    response_model=None,
    responses={**UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def remove_source(source_id: SourceId, _reader: Reader, context: Web) -> Response:
    if not context.store.remove_source(source_id):
        raise _not_found(f"There is no source {source_id}.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/sources/opml",
    tags=["sources"],
    summary="Export the feeds as OPML",
    description="Every feed and sitemap followed, as an OPML 2.0 file for other readers.",
    response_class=Response,
    response_model=None,
    responses={
        200: {
            "description": "The OPML file.",
            "content": {"text/x-opml": {"schema": {"type": "string"}}},
        },
        **UNAUTHORIZED,
    },
)
def export_opml(_reader: Reader, context: Web) -> Response:
    return Response(
        context.desk.sources.export_opml(),
        media_type="text/x-opml",
        headers={"Content-Disposition": 'attachment; filename="handpicked.opml"'},
    )


@router.post(
    "/sources/opml",
    tags=["sources"],
    summary="Import feeds from OPML",
    description="Follow every feed of an OPML file (the request body, as text/x-opml or "
    "application/xml; 2 MB at most). Feeds followed already are counted but not added again.",
    response_model=OpmlImported,
    responses={
        **UNAUTHORIZED,
        415: {**_ERROR, "description": "The body is not sent as OPML or XML."},
        **INVALID,
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {media: {"schema": {"type": "string"}} for media in OPML_TYPES},
        }
    },
)
async def import_opml(request: Request, _reader: Reader, context: Web) -> OpmlImported:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in OPML_TYPES:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            f"Send the OPML file as {' or '.join(OPML_TYPES)}.",
        )
    content = bytearray()
    async for chunk in request.stream():
        content.extend(chunk)
        if len(content) > MAX_OPML_BYTES:
            raise _invalid("That OPML file is too big (2 MB at most).")
    try:
        added, total = context.desk.sources.import_opml(bytes(content))
    except DeskError as error:
        raise _invalid(str(error)) from error
    return OpmlImported(added=added, total=total)


# --- deliveries ----------------------------------------------------------------------------


@router.get(
    "/deliveries",
    tags=["reader"],
    summary="Your digests so far",
    description="The reader's delivery ledger, newest first: each scheduled digest, how far "
    "its sending got and the stories it held.",
    response_model=list[DeliveryOut],
    responses={**UNAUTHORIZED, **INVALID},
)
def deliveries(reader: Reader, context: Web, limit: Limit = 50) -> list[DeliveryOut]:
    return [
        DeliveryOut(
            id=d.id,
            period=d.period,
            state=d.state,
            attempts=d.attempts,
            story_ids=list(d.story_ids),
            article_ids=list(d.article_ids),
            error=d.error,
            since=d.since,
            created_at=d.created_at,
            sent_at=d.sent_at,
        )
        for d in context.store.deliveries.list(reader.id, limit=limit)
    ]
