"""A desk with two subscribed feeds, articles in them, and a reader whose picks come from
them: what a sync app sees through the Google Reader API."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from newsroom import Newsroom, vector
from starlette.testclient import TestClient

from handpicked.article import Article, Image
from handpicked.desk import accounts
from handpicked.desk import readers as reader_service
from handpicked.store import ReaderRecord
from handpicked.store.model import Findings
from handpicked.understand.aliases import canonical_key
from handpicked.web.app import create_app

from ..conftest import web_settings

EMAIL = "app@example.com"
PASSWORD = "correct horse battery"
PREFIX = "/api/greader.php"
BODY_SENTENCE = "The second meeting is set for the spring, the envoy told reporters."
CAPTION = "The envoy arrives at the Kremlin."


@dataclass(frozen=True)
class Desk:
    """The ids an app test checks against."""

    ledger: int
    """The Daily Ledger's feed (source id)."""
    wire: int
    """The Wire Service's feed."""
    pick: int
    """An article in the Ledger's feed that is the reader's pick (they follow Putin)."""
    other: int
    """An article in the Wire's feed that is not a pick."""
    unlisted: int
    """An article in no feed the reader has, nor a pick."""
    reader: ReaderRecord


def _store(
    newsroom: Newsroom,
    source_id: int | None,
    n: int,
    title: str,
    entities: list[tuple[str, str]],
    paragraphs: list[str],
) -> int:
    when = newsroom.now - timedelta(hours=n)
    article = Article(
        url=f"https://news{n}.example/story/{n}",
        canonical_url=f"https://news{n}.example/story/{n}",
        title=title,
        authors=["Ann Author"],
        site_name=f"News {n}",
        published=when,
        language="en",
        lead=f"The lead of {title}.",
        paragraphs=paragraphs,
        images=[Image(url=f"https://news{n}.example/pic.jpg", caption=CAPTION, credit="AFP")],
        is_article=True,
    )
    article_id, _new = newsroom.store.articles.save(article, source_id=source_id, now=when)
    story = newsroom.store.stories.new(title, when)
    findings = Findings(
        entities=[
            {"name": name, "kind": kind, "key": canonical_key(name, kind), "mentions": 2}
            for name, kind in entities
        ],
        topics=[{"key": "politics", "label": "Politics", "score": 1.0}],
        language="en",
        duplicate_of=None,
        story_id=story,
        fingerprint=b"",
        embedding=vector(article_id + 2000).tobytes(),
    )
    newsroom.store.stories.save_findings(article_id, findings, when)
    newsroom.store.stories.refresh(story)
    return article_id


def seed_app_desk(newsroom: Newsroom) -> Desk:
    newsroom.now = datetime.now(UTC).replace(microsecond=0)
    store = newsroom.store
    ledger, _ = store.sources.add("https://ledger.example/feed.xml", "feed", title="Daily Ledger",
                                  site_url="https://ledger.example/")  # fmt: skip
    wire, _ = store.sources.add("https://wire.example/rss", "feed", title="Wire Service")
    putin = [("Vladimir Putin", "person")]
    body = ["The meeting lasted two hours, officials said.", BODY_SENTENCE]
    pick = _store(newsroom, ledger.id, 2, "Putin meets envoy", putin, body)
    harbour = ["Ships came back on Monday.", "The port had been shut for a week."]
    other = _store(newsroom, wire.id, 3, "Harbour reopens after storm", [], harbour)
    unlisted = _store(newsroom, None, 4, "Market day in the square", [], ["Stalls and crowds."])
    reader = accounts.sign_up(store, EMAIL, PASSWORD, datetime.now(UTC), "UTC")
    for source in (ledger, wire):
        store.subscriptions.add(reader.id, source.id, newsroom.now)
    reader_service.set_interest(store, reader, "Vladimir Putin", "follow", newsroom.now)
    return Desk(ledger.id, wire.id, pick, other, unlisted, reader)


@pytest.fixture
def app_desk(newsroom: Newsroom) -> Desk:
    return seed_app_desk(newsroom)


@pytest.fixture
def app(newsroom: Newsroom, app_desk: Desk, tmp_path: Path) -> FastAPI:
    return create_app(web_settings(tmp_path, "http://testserver"), newsroom.store)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def login(client: TestClient, email: str = EMAIL, password: str = PASSWORD) -> str:
    response = client.post(
        f"{PREFIX}/accounts/ClientLogin", data={"Email": email, "Passwd": password}
    )
    assert response.status_code == 200, response.text
    fields = dict(line.split("=", 1) for line in response.text.splitlines() if "=" in line)
    return fields["Auth"]


@pytest.fixture
def auth(client: TestClient) -> dict[str, str]:
    """The header a signed-in app sends."""
    return {"Authorization": f"GoogleLogin auth={login(client)}"}
