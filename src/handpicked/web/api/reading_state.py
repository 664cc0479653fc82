"""The reader's reading state: read or unread, saved for later, "mark all as read", and the
list of all stories (or the unread, the read, the saved) with unread counts.

Each reader sees and changes only their own state; an article that is not there is a 404.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from handpicked.desk.errors import DeskError
from handpicked.desk.reading import MAX_PAGE_SIZE, PAGE_SIZE, ReadingPage
from handpicked.store import ReaderRecord
from handpicked.store.model import ReadingEntry, ReadingState
from handpicked.web.api.common import (
    INVALID,
    NOT_FOUND,
    UNAUTHORIZED,
    ApiRoute,
    ArticleId,
    Reader,
    Web,
    desk_refusal,
    utc,
)
from handpicked.web.api_models import MAX_ID
from handpicked.web.context import WebContext

router = APIRouter(route_class=ApiRoute)

ShowParam = Literal["all", "unread", "read", "saved"]


class ReadingStateOut(BaseModel):
    article_id: int = Field(description="The article.")
    read: bool = Field(description="Whether the reader has read it.")
    saved: bool = Field(description="Whether the reader saved it for later.")
    saved_at: datetime | None = Field(description="When it was saved, if it is.")


class ReadingItemOut(BaseModel):
    id: int = Field(description="The article's id.")
    title: str | None = Field(description="Its headline.")
    site_name: str | None = Field(description="The outlet.")
    url: str = Field(description="Where it was published (the original).")
    reader_url: str = Field(description="The clean view of it here.")
    published: datetime | None = Field(description="When it was published.")
    found_at: datetime = Field(description="When the desk found it.")
    lead: str | None = Field(description="Its lead paragraph or summary.")
    language: str | None = Field(description="Its language (the detected one when known).")
    story_id: int | None = Field(description="The story it belongs to.")
    source_id: int | None = Field(description="The source it came from.")
    read: bool = Field(description="Whether the reader has read it.")
    saved: bool = Field(description="Whether the reader saved it for later.")
    saved_at: datetime | None = Field(description="When it was saved, if it is.")


class ReadingPageOut(BaseModel):
    show: ShowParam = Field(description="Which articles the list holds.")
    page: int = Field(description="This page's number, from 1.")
    per_page: int = Field(description="How many a page holds at most.")
    pages: int = Field(description="How many pages the list has (at least 1).")
    total: int = Field(description="How many articles the whole list holds.")
    unread: int = Field(description="How many articles the reader has not read, in all.")
    as_of: datetime = Field(
        description="When the list was made: send it as `up_to` to POST /api/v1/mark-all-read "
        "to mark read what was listed, not what came in since."
    )
    items: list[ReadingItemOut] = Field(
        description="The articles, newest found first (saved ones: newest saved first)."
    )


class SourceUnreadOut(BaseModel):
    source_id: int | None = Field(description="The source (null: articles of no source).")
    unread: int = Field(description="How many of its articles the reader has not read.")


class UnreadCountsOut(BaseModel):
    total: int = Field(description="Unread articles in all (syndicated copies not counted).")
    sources: list[SourceUnreadOut] = Field(description="Unread articles per source.")


_RFC3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")


def _moment(value: object) -> object:
    """Only a full RFC 3339 time with its offset, as a string (as ``as_of`` is given)."""
    if not isinstance(value, str) or not _RFC3339.fullmatch(value):
        raise ValueError("give a time as in 2026-11-25T07:00:00Z or 2026-11-25T08:00:00+01:00")
    return value


Moment = Annotated[datetime, BeforeValidator(_moment)]


class MarkAllReadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    up_to: Moment | None = Field(
        default=None,
        description="Mark read what the desk found up to this moment (default: now; a "
        "later time counts as now). Articles found after it stay unread.",
    )


class MarkedAllRead(BaseModel):
    up_to: datetime = Field(description="The moment up to which articles are now read.")


Show = Annotated[
    ShowParam,
    Query(description="all readable articles, the unread, the read, or the saved ones."),
]
Page = Annotated[int, Query(ge=1, le=MAX_ID, description="Which page, from 1.")]
PerPage = Annotated[
    int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"How many a page holds (1 to {MAX_PAGE_SIZE}).")
]


def _state(state: ReadingState) -> ReadingStateOut:
    return ReadingStateOut(
        article_id=state.article_id, read=state.read, saved=state.saved, saved_at=state.saved_at
    )


def _item(context: WebContext, entry: ReadingEntry) -> ReadingItemOut:
    article = entry.article
    return ReadingItemOut(
        id=article.id,
        title=article.title,
        site_name=article.site_name,
        url=context.links.original(article),
        reader_url=context.links.article(article.id),
        published=article.published,
        found_at=article.fetched_at,
        lead=article.lead,
        language=article.detected_language or article.language,
        story_id=article.story_id,
        source_id=article.source_id,
        read=entry.state.read,
        saved=entry.state.saved,
        saved_at=entry.state.saved_at,
    )


def _page(context: WebContext, found: ReadingPage) -> ReadingPageOut:
    return ReadingPageOut(
        show=found.show,
        page=found.page,
        per_page=found.per_page,
        pages=found.pages,
        total=found.total,
        unread=found.unread,
        as_of=found.as_of,
        items=[_item(context, entry) for entry in found.entries],
    )


@router.get(
    "/reading",
    tags=["reading"],
    summary="All stories, with what is read",
    description="A page of every article (not syndicated copies), newest found first, each with "
    "whether the reader read or saved it; `show` keeps the unread, the read or the saved.",
    response_model=ReadingPageOut,
    responses={**UNAUTHORIZED, **INVALID},
)
def reading(
    reader: Reader, context: Web, show: Show = "all", page: Page = 1, per_page: PerPage = PAGE_SIZE
) -> ReadingPageOut:
    try:
        return _page(context, context.desk.reading.page(reader, show, page, per_page))
    except DeskError as error:
        raise desk_refusal(error) from error


@router.get(
    "/saved",
    tags=["reading"],
    summary="Saved for later",
    description="A page of the articles the reader saved, newest saved first.",
    response_model=ReadingPageOut,
    responses={**UNAUTHORIZED, **INVALID},
)
def saved(
    reader: Reader, context: Web, page: Page = 1, per_page: PerPage = PAGE_SIZE
) -> ReadingPageOut:
    try:
        return _page(context, context.desk.reading.saved(reader, page, per_page))
    except DeskError as error:
        raise desk_refusal(error) from error


@router.get(
    "/unread-counts",
    tags=["reading"],
    summary="Unread counts",
    description="How many articles the reader has not read, in all and per source.",
    response_model=UnreadCountsOut,
    responses={**UNAUTHORIZED},
)
def unread_counts(reader: Reader, context: Web) -> UnreadCountsOut:
    counts = context.desk.reading.unread_counts(reader)
    ordered = sorted(counts.by_source.items(), key=lambda pair: (pair[0] is None, pair[0] or 0))
    return UnreadCountsOut(
        total=counts.total,
        sources=[SourceUnreadOut(source_id=s, unread=n) for s, n in ordered],
    )


@router.post(
    "/mark-all-read",
    tags=["reading"],
    summary="Mark all as read",
    description="Mark read every article found up to `up_to`; those found after it stay unread.",
    response_model=MarkedAllRead,
    responses={**UNAUTHORIZED, **INVALID},
)
def mark_all_read(body: MarkAllReadIn, reader: Reader, context: Web) -> MarkedAllRead:
    up_to = context.desk.reading.mark_all_read(reader, utc(body.up_to))
    return MarkedAllRead(up_to=up_to)


@router.get(
    "/articles/{article_id:id}/state",
    tags=["reading"],
    summary="Read and saved",
    description="Whether the reader has read the article, and saved it for later.",
    response_model=ReadingStateOut,
    responses={**UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def state(article_id: ArticleId, reader: Reader, context: Web) -> ReadingStateOut:
    try:
        return _state(context.desk.reading.state(reader, article_id))
    except DeskError as error:
        raise desk_refusal(error) from error


def _changed(
    context: WebContext, reader: ReaderRecord, article_id: int, action: str
) -> ReadingStateOut:
    reading_desk = context.desk.reading
    change = {
        "read": reading_desk.mark_read,
        "unread": reading_desk.mark_unread,
        "save": reading_desk.save,
        "unsave": reading_desk.unsave,
    }[action]
    try:
        change(reader, [article_id])
        return _state(reading_desk.state(reader, article_id))
    except DeskError as error:
        raise desk_refusal(error) from error


CHANGED = {**UNAUTHORIZED, **NOT_FOUND, **INVALID}


@router.post(
    "/articles/{article_id:id}/read",
    summary="Mark read",
    description="Mark the article read; answers its state.",
    tags=["reading"],
    response_model=ReadingStateOut,
    responses=CHANGED,
)
def mark_read(article_id: ArticleId, reader: Reader, context: Web) -> ReadingStateOut:
    return _changed(context, reader, article_id, "read")


@router.delete(
    "/articles/{article_id:id}/read",
    summary="Mark unread",
    description='Mark the article unread (even when "mark all as read" covered it).',
    tags=["reading"],
    response_model=ReadingStateOut,
    responses=CHANGED,
)
def mark_unread(article_id: ArticleId, reader: Reader, context: Web) -> ReadingStateOut:
    return _changed(context, reader, article_id, "unread")


@router.put(
    "/articles/{article_id:id}/saved",
    summary="Save for later",
    description="Save the article for later (saving it again keeps when it was first saved).",
    tags=["reading"],
    response_model=ReadingStateOut,
    responses=CHANGED,
)
def save(article_id: ArticleId, reader: Reader, context: Web) -> ReadingStateOut:
    return _changed(context, reader, article_id, "save")


@router.delete(
    "/articles/{article_id:id}/saved",
    summary="Unsave",
    description="No longer saved for later (whether it is read stays as it is).",
    tags=["reading"],
    response_model=ReadingStateOut,
    responses=CHANGED,
)
def unsave(article_id: ArticleId, reader: Reader, context: Web) -> ReadingStateOut:
    return _changed(context, reader, article_id, "unsave")
