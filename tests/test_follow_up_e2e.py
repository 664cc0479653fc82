"""A story that develops, end to end on loopback: a real feed server publishes a wire story;
the reader gets it in a digest over real SMTP; the feed then adds a wire copy and an outlet's
own report with a new death toll and a new quote, and the first article gets a correction
(re-fetched conditionally); the next digest brings the story back once, under "New since you
read it on Tue:", with exactly the new toll, the new quote and the correction, and the copy
counted as a copy. A story that then gains only another copy does not come back."""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from served import handler_on_loopback
from smtp_sink import SmtpTestServer

from handpicked.deliver.runner import Deliverer
from handpicked.desk import readers as service
from handpicked.fetch.client import Fetcher
from handpicked.fetch.poller import poll_once
from handpicked.settings import Settings
from handpicked.store import Store, open_store
from handpicked.understand.pipeline import Understander

TUESDAY = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
WEDNESDAY = TUESDAY + timedelta(days=1)
THURSDAY = TUESDAY + timedelta(days=2)

WIRE = (
    "KATHMANDU, Nepal (AP) — A magnitude 7.8 earthquake struck the Jajarkot district of "
    "western Nepal late on Monday, killing at least 12 people and flattening mud-brick homes "
    "across the hills, officials said.",
    "“We are still searching for people under the rubble,” said Harish Chandra Sharma, the "
    "chief district officer of Jajarkot.",
    "Soldiers and police were sent from Kathmandu to help with the rescue, and helicopters "
    "were flying the injured to hospitals in Nepalgunj.",
    "The quake was felt as far away as New Delhi, the Indian capital, where people ran out of "
    "their homes into the streets.",
    "Nepal lies on a major geological fault line where the Indian plate pushes into the "
    "Eurasian plate, and earthquakes are common in the Himalayan country.",
)
CORRECTION = (
    "Correction: An earlier version of this story misstated the day of the quake. It struck "
    "late on Monday, not on Sunday."
)
TOLL = (
    "The death toll from the magnitude 7.8 earthquake that struck the Jajarkot district of "
    "western Nepal late on Monday has risen to 157, officials said."
)
QUOTE = (
    "“Whole villages have been flattened and we cannot reach them by road yet,” Prime "
    "Minister Pushpa Kamal Dahal told reporters after landing in Jajarkot."
)
REPORT = (
    TOLL,
    QUOTE,
    "Soldiers and police from Kathmandu were helping with the rescue, and helicopters were "
    "flying the injured to hospitals in Nepalgunj.",
    "Harish Chandra Sharma, the chief district officer of Jajarkot, said the search for "
    "people under the rubble was going on.",
    "Nepal lies on a major geological fault line, and earthquakes are common in the country.",
)


def _page(site: str, title: str, paragraphs: tuple[str, ...], published: datetime,
          byline: str) -> bytes:  # fmt: skip
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title} | {site}</title>"
        f'<meta property="og:site_name" content="{site}"><meta property="og:type" '
        f'content="article"><meta property="og:title" content="{title}">'
        f'<meta property="article:published_time" content="{published.isoformat()}"></head>'
        '<body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>'
        f'<main><article><h1>{title}</h1><p class="byline">By {byline}</p>{body}</article>'
        f"</main><footer>© {site}</footer></body></html>"
    ).encode()


@dataclass
class Newswire:
    """What the loopback site serves: a feed of its pages, each with an ETag."""

    pages: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    listed: list[str] = field(default_factory=list)
    conditional_hits: int = 0
    """Conditional GETs answered 304."""
    base: str = ""

    def publish(self, path: str, page: bytes, version: int = 1) -> None:
        self.pages[path] = (page, f'"{path}-v{version}"')
        if path not in self.listed:
            self.listed.append(path)

    def feed(self) -> bytes:
        items = "".join(f"<item><title>{p}</title><link>{self.base}{p}</link></item>"
                        for p in self.listed)  # fmt: skip
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Newswire</title><link>{self.base}/</link>{items}</channel></rss>"
        ).encode()


def _handler(wire: Newswire) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/feed.xml":
                self._send(wire.feed(), "application/rss+xml", None)
            elif self.path in wire.pages:
                body, etag = wire.pages[self.path]
                if self.headers.get("If-None-Match") == etag:
                    wire.conditional_hits += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self._send(body, "text/html; charset=utf-8", etag)
            else:
                self.send_error(404)

        def _send(self, body: bytes, content_type: str, etag: str | None) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test output is for the test."""

    return Handler


@pytest.fixture
def newswire() -> Iterator[Newswire]:
    wire = Newswire()
    with handler_on_loopback(_handler(wire)) as base:
        wire.base = base
        yield wire


def _gather(store: Store, now: datetime) -> None:
    async def poll() -> None:
        async with Fetcher(allow_private_networks=True, per_host_interval=0.0, retries=0,
                           timeout=5.0) as fetcher:  # fmt: skip
            await poll_once(store, fetcher, now=now)

    asyncio.run(poll())
    Understander(store).run()


def _parts(smtp: SmtpTestServer, index: int) -> dict[str, str]:
    message = email.message_from_bytes(smtp.received[index].content, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


def test_a_developing_story_comes_back_once_with_exactly_what_is_new(
    newswire: Newswire, smtp_server: SmtpTestServer, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'news.db'}",
        allow_private_networks=True,
        smtp_url=f"smtp://{smtp_server.host}:{smtp_server.port}",
        mail_from="handpicked <digest@news.example>",
        base_url="https://news.example",
        secret_key_value="test-secret",
    )
    store = open_store(settings.database_url)
    deliverer = Deliverer(store, settings, sleep=lambda _s: None)
    try:
        # Tuesday: the wire story; Ann, who follows Nepal, gets it at 07:00.
        wire_title = "Quake kills 12 in western Nepal"
        first_page = _page("Valley Times", wire_title, WIRE, TUESDAY - timedelta(hours=3),
                           "The Associated Press")  # fmt: skip
        newswire.publish("/a.html", first_page)
        store.sources.add(f"{newswire.base}/feed.xml", "feed", poll_interval_s=1800, desk_wide=True)
        _gather(store, TUESDAY)
        reader = service.add_reader(store, "ann@example.com", TUESDAY - timedelta(days=30))
        service.set_interest(store, reader, "place:Nepal", "follow", TUESDAY)
        first = deliverer.run_once(now=TUESDAY + timedelta(hours=1, minutes=30))
        assert first.sent == 1, first.outcomes
        sent = _parts(smtp_server, 0)["text/plain"]
        assert wire_title in sent and "New since you read it" not in sent

        # By Wednesday: a wire copy, an outlet's own report, and a correction to the first.
        newswire.publish("/b.html", _page("Mountain Herald", "Earthquake in western Nepal "
                                          "kills at least 12", WIRE, TUESDAY - timedelta(hours=2),
                                          "Associated Press"))  # fmt: skip
        newswire.publish("/c.html", _page("Himalayan Daily", "Nepal quake death toll rises to "
                                          "157", REPORT, WEDNESDAY - timedelta(hours=2),
                                          "Bina Thapa"))  # fmt: skip
        newswire.publish("/a.html", _page("Valley Times", wire_title, (*WIRE, CORRECTION),
                                          TUESDAY - timedelta(hours=3), "The Associated Press"),
                         version=2)  # fmt: skip
        _gather(store, WEDNESDAY)
        story = store.stories.list()[0]
        assert len(story.articles) == 3, "the copy and the new report joined the story"
        second = deliverer.run_once(now=WEDNESDAY + timedelta(hours=1, minutes=30))
        assert second.sent == 1, second.outcomes
        parts = _parts(smtp_server, 1)
        text, html = parts["text/plain"], parts["text/html"].split("</head>", 1)[1]
        for body in (text, html):
            assert body.count("New since you read it on Tue:") == 1
        facts = re.findall(r"<li[^>]*>(.*?)</li>", html.split('class="facts"', 1)[1], re.S)
        assert len(facts) == 3, facts
        assert "has risen to 157" in facts[0] and "Himalayan Daily" in facts[0]
        assert "Whole villages have been flattened" in facts[1]
        assert "Correction: An earlier version of this story" in facts[2]
        assert "Valley Times" in facts[2]
        assert "Since then: 1 new report (Himalayan Daily) and 1 copy of what you had." in text
        assert "1 copy of AP" in text

        # Thursday: only another copy. The story does not come back.
        newswire.publish("/d.html", _page("Lake Gazette", "Nepal earthquake kills 12", WIRE,
                                          TUESDAY, "The Associated Press"))  # fmt: skip
        _gather(store, THURSDAY)
        assert len(store.stories.list()[0].articles) == 4
        third = deliverer.run_once(now=THURSDAY + timedelta(hours=1, minutes=30))
        assert third.sent == 0 and len(smtp_server.received) == 2
        assert newswire.conditional_hits >= 1, "unchanged pages were re-fetched conditionally"
    finally:
        store.close()
