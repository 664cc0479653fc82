"""All stories and Saved: every article beside today's picks, newest first, with what the
reader has read (dimmed) and saved; the forms that mark read or unread, save or unsave, and
"mark all as read" up to the moment the page was shown.

Each form works without JavaScript (POST, then back to the page with a notice). The keys
script sends the same forms with ``Accept: application/json`` and gets the new state back,
so that the page changes in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from handpicked.deliver.links import original_url
from handpicked.deliver.wording import clean, excerpt
from handpicked.desk.errors import DeskError
from handpicked.desk.reading import ReadingPage
from handpicked.store import ReaderRecord
from handpicked.store.model import ReadingEntry
from handpicked.web.context import page
from handpicked.web.pages.views import (
    Csrf,
    Reader,
    Web,
    When,
    article_language,
    done_message,
    latest_feedback,
    not_found,
    see_other,
    site_name,
    when,
    zone_of,
)
from handpicked.web.security import safe_next

router = APIRouter(include_in_schema=False)

FILTERS = (("all", "All"), ("unread", "Unread"), ("read", "Read"))
NOTICES = {
    "read": "Marked read.",
    "unread": "Marked unread.",
    "saved": "Saved for later.",
    "unsaved": "No longer saved.",
    "all-read": "Marked all as read.",
}


@dataclass(frozen=True, slots=True)
class StoryRowView:
    """One article in All stories or Saved."""

    article_id: int
    title: str
    lang: str | None
    site: str
    when: When | None
    lead: str
    original_url: str | None
    read: bool
    saved: bool
    noted: str


def story_row(entry: ReadingEntry, zone: tzinfo, noted: str | None) -> StoryRowView:
    article = entry.article
    return StoryRowView(
        article_id=article.id,
        title=clean(article.title) or "Untitled",
        lang=article_language(article),
        site=site_name(article),
        when=when(article.published or article.fetched_at, zone),
        lead=excerpt(article.lead or article.text or " ".join(article.paragraphs)),
        original_url=original_url(article),
        read=entry.state.read,
        saved=entry.state.saved,
        noted={"more": "Noted: more like this.", "less": "Noted: less like this."}.get(
            noted or "", ""
        ),
    )


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 10 and int(raw) > 0 else 1


def _listing(
    request: Request, context: Web, reader: ReaderRecord, found: ReadingPage, path: str
) -> HTMLResponse:
    zone = zone_of(reader)
    noted = latest_feedback(context, reader)
    rows = [story_row(entry, zone, noted.get(entry.article.id)) for entry in found.entries]
    here = f"{path}?show={found.show}&page={found.page}" if path == "/all" else path
    return page(
        request,
        "library.html",
        title="Saved" if found.show == "saved" else "All stories",
        reader=reader,
        listing=found,
        rows=rows,
        path=path,
        here=here,
        filters=FILTERS,
        as_of=found.as_of.astimezone(UTC).isoformat(),
        done=done_message(request) or NOTICES.get(request.query_params.get("done", "")),
    )


@router.get("/all", response_class=HTMLResponse)
def all_stories(request: Request, context: Web, reader: Reader) -> HTMLResponse:
    show = request.query_params.get("show", "all")
    if show not in {key for key, _label in FILTERS}:
        show = "all"
    found = context.desk.reading.page(reader, show, _page_number(request))
    return _listing(request, context, reader, found, "/all")


@router.get("/saved", response_class=HTMLResponse)
def saved(request: Request, context: Web, reader: Reader) -> HTMLResponse:
    found = context.desk.reading.saved(reader, _page_number(request))
    return _listing(request, context, reader, found, "/saved")


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _changed(
    request: Request,
    context: Web,
    reader: ReaderRecord,
    article_id: int,
    done: str,
    next_path: str,
) -> Response:
    try:
        if done == "read":
            context.desk.reading.mark_read(reader, [article_id])
        elif done == "unread":
            context.desk.reading.mark_unread(reader, [article_id])
        elif done == "saved":
            context.desk.reading.save(reader, [article_id])
        else:
            context.desk.reading.unsave(reader, [article_id])
    except DeskError:
        if _wants_json(request):
            return JSONResponse({"detail": "There is no such article."}, status_code=404)
        return not_found(request, reader, "article")
    if _wants_json(request):
        state = context.desk.reading.state(reader, article_id)
        return JSONResponse({"read": state.read, "saved": state.saved, "said": NOTICES[done]})
    target = safe_next(next_path).partition("#")[0]
    return see_other(f"{target}#story-{article_id}", done=done)


@router.post("/articles/{article_id:id}/read", response_model=None, dependencies=Csrf)
def mark_read(
    request: Request,
    article_id: int,
    context: Web,
    reader: Reader,
    read: Annotated[str, Form()] = "1",
    next: Annotated[str, Form()] = "/all",
) -> Response:
    """Mark read (``read=1``) or unread (``read=0``)."""
    done = "unread" if read == "0" else "read"
    return _changed(request, context, reader, article_id, done, next)


@router.post("/articles/{article_id:id}/saved", response_model=None, dependencies=Csrf)
def mark_saved(
    request: Request,
    article_id: int,
    context: Web,
    reader: Reader,
    saved: Annotated[str, Form()] = "1",
    next: Annotated[str, Form()] = "/saved",
) -> Response:
    """Save for later (``saved=1``) or no longer (``saved=0``)."""
    done = "unsaved" if saved == "0" else "saved"
    return _changed(request, context, reader, article_id, done, next)


@router.post("/mark-all-read", response_model=None, dependencies=Csrf)
def mark_all_read(
    context: Web,
    reader: Reader,
    up_to: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/all",
) -> Response:
    """Mark read all that the desk had found when the page was shown (``up_to``), not what
    came in since."""
    try:
        moment: datetime | None = datetime.fromisoformat(up_to) if up_to else None
    except ValueError:
        moment = None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    context.desk.reading.mark_all_read(reader, moment)
    return see_other(safe_next(next).partition("#")[0], done="all-read")
