"""The web app over a fresh SQLite store seeded with a small newsroom, and clients for it:
one signed out, one signed in (both keep cookies, so the CSRF token travels as browsers
send it: its cookie, echoed in the form)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx2
import pytest
from fastapi import FastAPI
from newsroom import Newsroom, vector
from starlette.testclient import TestClient

from handpicked.article import Article, Image
from handpicked.desk import accounts
from handpicked.settings import Settings
from handpicked.store import ReaderRecord
from handpicked.store.model import Findings
from handpicked.understand.aliases import canonical_key
from handpicked.web.app import create_app
from handpicked.web.security import CSRF_COOKIE

EMAIL = "reader@example.com"
PASSWORD = "correct horse battery"
HOSTILE_TITLE = "<script>alert(1)</script>"
CAPTION = "A man waves the Russian national flag in Rostov-on-Don."
CREDIT = "STRINGER/AFP/GETTY IMAGES"
_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Seeded:
    """The ids of the seeded articles and stories."""

    putin: int
    """The original of the Putin story (JNS), with every field an article page shows."""
    putin_copy: int
    """The Daily Ledger's syndicated copy of ``putin``."""
    putin_wire: int
    """Another outlet's own article in the same story."""
    putin_story: int
    vote: int
    vote_irgc: int
    hostile: int


def store_article(
    newsroom: Newsroom,
    article: Article,
    *,
    story: str,
    entities: Sequence[tuple[str, str]] = (),
    topics: Sequence[str] = (),
    duplicate_of: int | None = None,
) -> int:
    """Store one understood article with every field set (``Newsroom.article`` sets few)."""
    when = article.published or newsroom.now
    article_id, _new = newsroom.store.articles.save(article, source_id=None, now=when)
    if story not in newsroom.stories:
        newsroom.stories[story] = newsroom.store.stories.new(article.title, when)
    findings = Findings(
        entities=[
            {"name": name, "kind": kind, "key": canonical_key(name, kind), "mentions": 2}
            for name, kind in entities
        ],
        topics=[{"key": t, "label": t.title(), "score": 1.0} for t in topics],
        language=article.language,
        duplicate_of=duplicate_of,
        story_id=newsroom.stories[story],
        fingerprint=b"",
        embedding=vector(article_id + 1000).tobytes(),
    )
    newsroom.store.stories.save_findings(article_id, findings, when)
    newsroom.store.stories.refresh(newsroom.stories[story])
    return article_id


def _putin_article(site: str, host: str, hours_ago: float, now: datetime) -> Article:
    return Article(
        url=f"https://{host}/world/putin-meets-envoy",
        canonical_url=f"https://{host}/world/putin-meets-envoy",
        title="Putin meets envoy in the Kremlin",
        authors=["Ann Author", "Ben Writer"],
        published=now - timedelta(hours=hours_ago),
        site_name=site,
        language="en",
        section="World",
        tags=["Russia", "Vladimir Putin"],
        lead="The Russian president met an envoy on Tuesday.",
        paragraphs=[
            "The meeting lasted two hours, officials said.",
            "Both sides called the talks useful but gave no details.",
            "A second meeting is planned for next month.",
        ],
        pull_quotes=["We will prevent the fall of Putin"],
        images=[
            Image(url=f"https://{host}/img/rostov.jpg", caption=CAPTION, credit=CREDIT),
            Image(url="javascript:alert(2)", caption="not shown", credit="nobody"),
        ],
        syndicated_from="Jewish News Syndicate" if host != "jns.example" else None,
        editors=["Bilal Zafar Ranjha"] if host != "jns.example" else [],
        is_article=True,
    )


def seed(newsroom: Newsroom) -> Seeded:
    """The newsroom for the web tests, dated now (the picks look back from the real clock)."""
    newsroom.now = datetime.now(UTC).replace(microsecond=0)
    putin_entity = [("Vladimir Putin", "person")]
    putin = store_article(
        newsroom,
        _putin_article("Jewish News Syndicate", "jns.example", 3, newsroom.now),
        story="putin",
        entities=putin_entity,
        topics=["politics"],
    )
    putin_copy = store_article(
        newsroom,
        _putin_article("The Daily Ledger", "ledger.example", 2, newsroom.now),
        story="putin",
        entities=putin_entity,
        topics=["politics"],
        duplicate_of=putin,
    )
    putin_wire = newsroom.article(
        "Kremlin talks go on", "Wire Service", entities=putin_entity, story="putin", hours_ago=1
    )
    vote = newsroom.article("Vote count in the capital", "Capital Times", topics=["politics"])
    vote_irgc = newsroom.article(
        "Vote and the IRGC",
        "Capital Times",
        topics=["politics"],
        entities=[("IRGC", "organisation")],
    )
    hostile = newsroom.article(
        HOSTILE_TITLE,
        "Evil Gazette",
        host="evil.example",
        images=[Image(url="javascript:alert(3)", caption="<img src=x onerror=alert(4)>")],
    )
    return Seeded(
        putin=putin,
        putin_copy=putin_copy,
        putin_wire=putin_wire,
        putin_story=newsroom.stories["putin"],
        vote=vote,
        vote_irgc=vote_irgc,
        hostile=hostile,
    )


@pytest.fixture
def seeded(newsroom: Newsroom) -> Seeded:
    return seed(newsroom)


def web_settings(tmp_path: Path, base_url: str, allow_private_networks: bool = True) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'news.db'}",
        allow_private_networks=allow_private_networks,
        base_url=base_url,
        secret_key_value="test",
    )


@pytest.fixture
def allow_private_networks() -> bool:
    """Override (parametrize indirectly or redefine) to build the app with it off."""
    return True


@pytest.fixture
def app(
    newsroom: Newsroom, seeded: Seeded, tmp_path: Path, allow_private_networks: bool
) -> FastAPI:
    settings = web_settings(tmp_path, "http://testserver", allow_private_networks)
    return create_app(settings, newsroom.store)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A signed-out browser."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def account(newsroom: Newsroom) -> ReaderRecord:
    return accounts.sign_up(newsroom.store, EMAIL, PASSWORD, datetime.now(UTC), "Europe/Berlin")


@pytest.fixture
def reader_client(client: TestClient, account: ReaderRecord) -> TestClient:
    """A browser signed in as ``account``."""
    response = post_form(client, "/signin", {"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 200 and response.url.path == "/", response.text
    return client


def csrf_token(client: TestClient) -> str:
    """The token the pages put in their forms (the cookie's value; fetched once if new)."""
    token = client.cookies.get(CSRF_COOKIE)
    if token is None:
        page = client.get("/signin")
        match = _CSRF_FIELD.search(page.text)
        assert match is not None, page.text
        token = match[1]
    return token


def post_form(
    client: TestClient,
    path: str,
    data: dict[str, str],
    *,
    headers: dict[str, str] | None = None,
    follow_redirects: bool = True,
) -> httpx2.Response:
    """POST a form the way a page's form does: with the CSRF token field."""
    return client.post(
        path,
        data={"csrf_token": csrf_token(client), **data},
        headers=headers,
        follow_redirects=follow_redirects,
    )
