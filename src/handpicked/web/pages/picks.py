"""Today's picks, and the reader's feedback on them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from handpicked.deliver.wording import clean
from handpicked.desk.errors import DeskError
from handpicked.web.context import page
from handpicked.web.pages.views import (
    FEEDBACK_WORDS,
    Csrf,
    MaybeReader,
    Reader,
    Web,
    done_message,
    is_htmx,
    latest_feedback,
    not_found,
    pick_view,
    see_other,
    suggestion_views,
    when,
    zone_of,
)
from handpicked.web.security import (
    safe_next,
    sign_in_url,
)

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def today(request: Request, context: Web, reader: Reader) -> HTMLResponse:
    digest = context.desk.digests.todays_picks(reader)
    zone = zone_of(reader)
    noted = latest_feedback(context, reader)
    picks = [pick_view(item, zone, noted.get(item.article.id)) for item in digest.items]
    states = context.desk.reading.states(reader, [pick.article_id for pick in picks])
    interests = context.store.interests.of_readers([reader.id])[reader.id]
    return page(
        request,
        "today.html",
        title="Today",
        reader=reader,
        picks=picks,
        states=states,
        since=when(digest.since, zone),
        candidates=digest.candidates,
        empty_reason=clean(digest.empty_reason),
        suggestions=suggestion_views(digest.suggestions),
        follows=sum(1 for i in interests if i.mode == "follow"),
        done=done_message(request),
    )


@router.post("/picks/{article_id:id}/feedback", response_model=None, dependencies=Csrf)
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
