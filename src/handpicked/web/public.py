"""Links that work without signing in: one-click unsubscribe (RFC 8058), feedback from an
email, and the reader's secret Atom feed.

GET never changes anything: mail scanners open every link in a message. The GET pages show a
button that POSTs; mail providers' one-click unsubscribe POSTs directly. The signed token is
the capability, so these forms need no session or CSRF token.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from handpicked.deliver.atom import digest_feed
from handpicked.deliver.tokens import BadToken
from handpicked.pick.digest import DigestItem
from handpicked.pick.pool import load_articles
from handpicked.store import DeliveryRecord, ReaderRecord
from handpicked.store.model import FeedbackKind
from handpicked.web.context import WebContext, page, web

router = APIRouter(include_in_schema=False)
Web = Annotated[WebContext, Depends(web)]
FEED_ITEMS = 50
FEED_DAYS = 30


def _reader_for_unsubscribe(context: WebContext, token: str) -> ReaderRecord | None:
    try:
        reader_id = context.links.signer.read_unsubscribe(token)
    except BadToken:
        return None
    return context.store.readers.get(reader_id=reader_id)


def _bad_link(request: Request, what: str) -> HTMLResponse:
    return page(
        request,
        "message.html",
        status_code=400,
        title="This link does not work",
        message=f"This {what} link is not valid: it was changed or cut short. "
        "Copy the whole link from the email, or sign in to change your "
        "settings.",
    )


@router.get("/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe_page(request: Request, token: str, context: Web) -> HTMLResponse:
    """Ask before unsubscribing: a GET must not change anything."""
    reader = _reader_for_unsubscribe(context, token)
    if reader is None:
        return _bad_link(request, "unsubscribe")
    return page(request, "unsubscribe.html", reader=reader, done=not reader.active)


@router.post("/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe(request: Request, token: str, context: Web) -> HTMLResponse:
    """Unsubscribe at once (the one-click POST of RFC 8058, or the page's button)."""
    reader = _reader_for_unsubscribe(context, token)
    if reader is None:
        return _bad_link(request, "unsubscribe")
    if reader.active:
        reader = context.store.readers.update(reader.id, unsubscribed_at=datetime.now(UTC))
    return page(request, "unsubscribe.html", reader=reader, done=True)


@router.post("/resubscribe/{token}", response_class=HTMLResponse)
def resubscribe(request: Request, token: str, context: Web) -> HTMLResponse:
    """Undo an unsubscribe from the same link."""
    reader = _reader_for_unsubscribe(context, token)
    if reader is None:
        return _bad_link(request, "unsubscribe")
    reader = context.store.readers.update(reader.id, unsubscribed_at=None)
    return page(request, "unsubscribe.html", reader=reader, done=False, resubscribed=True)


@router.get("/feedback/{token}", response_class=HTMLResponse)
def feedback_page(request: Request, token: str, context: Web) -> HTMLResponse:
    try:
        _reader_id, article_id, kind = context.links.signer.read_feedback(token)
    except BadToken:
        return _bad_link(request, "feedback")
    article = context.store.articles.get(article_id)
    return page(request, "feedback.html", article=article, kind=kind, token=token, done=False)


@router.post("/feedback/{token}", response_model=None)
def feedback(request: Request, token: str, context: Web) -> Response:
    try:
        reader_id, article_id, kind = context.links.signer.read_feedback(token)
    except BadToken:
        return _bad_link(request, "feedback")
    if context.store.readers.get(reader_id=reader_id) is None:  # the account was deleted
        return _bad_link(request, "feedback")
    if context.store.articles.get(article_id) is None:
        return page(
            request,
            "message.html",
            status_code=404,
            title="Article gone",
            message="That article is no longer stored.",
        )
    context.store.feedback.add(reader_id, article_id, cast(FeedbackKind, kind), datetime.now(UTC))
    article = context.store.articles.get(article_id)
    return page(request, "feedback.html", article=article, kind=kind, token=token, done=True)


@router.get("/feeds/{token}.atom")
def reader_feed(token: str, context: Web) -> Response:
    """The reader's picks as Atom, from the digests sent to them in the last 30 days."""
    reader = context.store.readers.by_feed_token(token)
    if reader is None:
        return Response("No such feed.\n", status_code=404, media_type="text/plain")
    deliveries = context.store.deliveries.list(reader.id)
    items = recent_picks(context, deliveries)
    updated = max((d.sent_at for d in deliveries if d.sent_at), default=reader.created_at)
    body = digest_feed(reader, items, context.links, updated)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


def recent_picks(context: WebContext, deliveries: Sequence[DeliveryRecord]) -> list[DigestItem]:
    """The items of the digests sent in the last 30 days (newest first), each story once."""
    cutoff = datetime.now(UTC) - timedelta(days=FEED_DAYS)
    sent = [d for d in deliveries if d.state == "sent" and d.sent_at and d.sent_at >= cutoff]
    wanted = [item for d in sent for item in d.items][: FEED_ITEMS * 2]
    articles = load_articles(context.store, [int(item["article_id"]) for item in wanted])
    picks: list[DigestItem] = []
    seen: set[object] = set()
    for item in wanted:
        article = articles.get(int(item["article_id"]))
        key = item.get("story_id") or ("article", item["article_id"])
        if article is None or key in seen:
            continue
        seen.add(key)
        picks.append(
            DigestItem(
                story_id=item.get("story_id"),
                article=article,
                reasons=tuple(item.get("reasons") or ()),
                outlets=tuple(item.get("outlets") or ()),
                score=float(item.get("score") or 0.0),
            )
        )
    return picks[:FEED_ITEMS]
