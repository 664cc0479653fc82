"""The reader's outbox: the digests the desk delivered to the local outbox because no SMTP
server is set (see :mod:`handpicked.deliver.outbox`), to read here as they would have been
emailed. Only the signed-in reader's own digests are shown; any other is a 404."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from lxml import html as lxml_html

from handpicked.deliver.outbox import Outbox, OutboxMessage
from handpicked.deliver.wording import clean
from handpicked.images import image_path
from handpicked.store import DeliveryRecord, ReaderRecord
from handpicked.web.context import WebContext, page
from handpicked.web.pages.views import Reader, Web, When, not_found, when, zone_of

router = APIRouter(include_in_schema=False)
OUTBOX_SHOWN = 50
#: The email's HTML in a frame: its own styles, pictures, and nothing that runs.
EMAIL_FRAME_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src 'self' http: https: data:; "
    "style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox allow-popups "
    "allow-popups-to-escape-sandbox",
    "X-Frame-Options": "SAMEORIGIN",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True, slots=True)
class OutboxView:
    delivery_id: int
    subject: str
    sent: When | None
    stories: int


def in_outbox(
    context: WebContext, reader: ReaderRecord, limit: int = OUTBOX_SHOWN
) -> list[tuple[DeliveryRecord, OutboxMessage]]:
    """The reader's delivered digests that are in the outbox, newest first."""
    box = Outbox.for_settings(context.settings)
    found = []
    for delivery in context.store.deliveries.list(reader.id, limit=limit):
        message = box.find(delivery.message_id) if delivery.state == "sent" else None
        if message is not None:
            found.append((delivery, message))
    return found


def _view(delivery: DeliveryRecord, message: OutboxMessage, reader: ReaderRecord) -> OutboxView:
    stories = len(delivery.story_ids) or len(delivery.items)
    return OutboxView(delivery.id, clean(message.subject), when(delivery.sent_at, zone_of(reader)),
                      stories)  # fmt: skip


def _find(
    context: WebContext, reader: ReaderRecord, delivery_id: int
) -> tuple[DeliveryRecord, OutboxMessage] | None:
    return next(((d, m) for d, m in in_outbox(context, reader) if d.id == delivery_id), None)


@router.get("/outbox", response_class=HTMLResponse)
def outbox_page(request: Request, context: Web, reader: Reader) -> HTMLResponse:
    entries = [_view(d, m, reader) for d, m in in_outbox(context, reader)]
    return page(request, "outbox.html", title="Outbox", reader=reader, entries=entries,
                mail_server=bool(context.settings.smtp_url))  # fmt: skip


@router.get("/outbox/{delivery_id:id}", response_class=HTMLResponse)
def outbox_message_page(
    request: Request, delivery_id: int, context: Web, reader: Reader
) -> HTMLResponse:
    found = _find(context, reader, delivery_id)
    if found is None:
        return not_found(request, reader, "digest")
    entry = _view(*found, reader)
    return page(request, "outbox_message.html", title=entry.subject or "Your digest",
                reader=reader, entry=entry)  # fmt: skip


@router.get("/outbox/{delivery_id:id}/email", response_class=HTMLResponse)
def outbox_message_email(delivery_id: int, context: Web, reader: Reader) -> HTMLResponse:
    """The digest's HTML part, to show in a sandboxed frame, its pictures from our address."""
    found = _find(context, reader, delivery_id)
    body = found[1].part("html") if found else None
    if found is None or body is None:
        return HTMLResponse("No such digest.", status_code=404, headers=EMAIL_FRAME_HEADERS)
    return HTMLResponse(_served_pictures(context, found[0], body), headers=EMAIL_FRAME_HEADERS)


def _served_pictures(context: WebContext, delivery: DeliveryRecord, body: str) -> str:
    """The email with its articles' pictures from our own address (the email itself keeps
    the outlets' addresses: a mail client has no way to reach this server)."""
    ours: dict[str, str] = {}
    for article in context.store.articles.by_ids(delivery.article_ids).values():
        for image in article.images:
            ours.setdefault(image.url, image_path(article.id, image.url))
    document = lxml_html.document_fromstring(body)
    for img in document.iter("img"):
        src = img.get("src")
        if src in ours:
            img.set("src", ours[src])
    return "<!DOCTYPE html>\n" + str(lxml_html.tostring(document, encoding="unicode"))
