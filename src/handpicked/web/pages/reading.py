"""A story, and an article in the reader-friendly view: for signed-in readers, or for anyone
holding a signed link from an email or the reader's feed (``?k=``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from handpicked.deliver.wording import clean
from handpicked.store import ReaderRecord
from handpicked.web.context import WebContext, page
from handpicked.web.pages.story_parts import outlet_views, thread_views
from handpicked.web.pages.views import (
    MaybeReader,
    Web,
    article_view,
    done_message,
    latest_feedback,
    not_found,
    story_views,
    when,
    zone_of,
)
from handpicked.web.security import SignInRequired

router = APIRouter(include_in_schema=False)


def _check_access(
    request: Request, context: WebContext, reader: ReaderRecord | None, kind: str, item_id: int
) -> None:
    """Signed-out visitors need the link's signature; otherwise sign in first."""
    if reader is None and not context.links.signer.can_read(
        request.query_params.get("k", ""), kind, item_id
    ):
        raise SignInRequired(request.url.path)


@router.get("/stories/{story_id:id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: int, context: Web, reader: MaybeReader) -> HTMLResponse:
    _check_access(request, context, reader, "story", story_id)
    detail = context.desk.stories.detail(story_id)
    if detail is None:
        return not_found(request, reader, "story")
    story, zone = detail.story, zone_of(reader)
    articles = story_views(story.articles, zone)
    title = clean(story.title) or (articles[0].title if articles else "A story")
    outlets = [o for o in (clean(o) for o in story.outlets) if o]
    return page(request, "story.html", title=title, reader=reader, story=story,
                articles=articles, outlets=outlets, first=when(story.first_seen, zone),
                last=when(story.last_seen, zone), provenance=detail.provenance.words(),
                added={i: [clean(f.text) for f in facts] for i, facts in detail.added.items()},
                additions=outlet_views(detail.outlets),
                earlier=thread_views(detail.earlier, zone),
                later=thread_views(detail.later, zone))  # fmt: skip


@router.get("/articles/{article_id:id}", response_class=HTMLResponse)
def article_page(
    request: Request, article_id: int, context: Web, reader: MaybeReader
) -> HTMLResponse:
    """The clean reader view; opening it while signed in counts as "opened" and marks it
    read (neither is a like, nor changes today's picks)."""
    _check_access(request, context, reader, "article", article_id)
    article = context.store.articles.get(article_id)
    if article is None:
        return not_found(request, reader, "article")
    noted = None
    state = None
    if reader is not None:
        context.desk.feedback.record(reader, article.id, "opened")
        if request.query_params.get("done") != "unread":  # back here from "Mark unread"
            context.desk.reading.opened(reader, article.id)
        state = context.desk.reading.state(reader, article.id)
        noted = latest_feedback(context, reader).get(article.id)
    view = article_view(context, article, zone_of(reader), noted)
    return page(request, "article.html", title=view.title, reader=reader, article=view,
                state=state, done=done_message(request))  # fmt: skip


# -- follows --------------------------------------------------------------------------------
