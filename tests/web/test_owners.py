"""Roles and sign-up in the web app: articles and stories need a reader or a signed link, the
sign-up page follows the desk's mode, and the admin's pages are the admin's only."""

from __future__ import annotations

from datetime import UTC, datetime

from newsroom import Newsroom
from starlette.testclient import TestClient

from handpicked.desk import accounts
from handpicked.store import ReaderRecord
from handpicked.web.context import WebContext

from .conftest import PASSWORD, Seeded, post_form


def _context(client: TestClient) -> WebContext:
    context: WebContext = client.app.state.web  # type: ignore[attr-defined]
    return context


def test_articles_and_stories_need_a_reader_or_a_signed_link(
    client: TestClient, seeded: Seeded
) -> None:
    for path in (f"/articles/{seeded.putin}", f"/stories/{seeded.putin_story}"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/signin")
    links = _context(client).links
    article = client.get(links.article(seeded.putin), follow_redirects=False)
    assert article.status_code == 200 and "Putin meets envoy" in article.text
    story = client.get(links.story(seeded.putin_story), follow_redirects=False)
    assert story.status_code == 200
    # A link signed for one article opens no other, nor a story with the same id.
    token = links.article(seeded.putin).split("?k=", 1)[1]
    for path in (f"/articles/{seeded.vote}?k={token}", f"/stories/{seeded.putin}?k={token}"):
        assert client.get(path, follow_redirects=False).status_code == 303


def test_the_sign_up_page_follows_the_desks_mode(
    client: TestClient, account: ReaderRecord, newsroom: Newsroom
) -> None:
    assert account.is_admin  # the first account
    closed = client.get("/signup")
    assert "invitation only" in closed.text and 'name="password"' not in closed.text
    refused = post_form(client, "/signup", {"email": "eve@example.com", "password": PASSWORD})
    assert refused.status_code == 403
    assert newsroom.store.readers.get(email="eve@example.com") is None

    invite = _context(client).desk.admin.make_invite(account).split("invite=", 1)[1]
    invited = client.get(f"/signup?invite={invite}")
    assert f'name="invite" value="{invite}"' in invited.text
    joined = post_form(client, "/signup", {"email": "eve@example.com", "password": PASSWORD,
                                           "invite": invite})  # fmt: skip
    assert joined.status_code == 200 and joined.url.path == "/follows"
    eve = newsroom.store.readers.get(email="eve@example.com")
    assert eve is not None and not eve.is_admin and eve.verified_at is not None


def test_open_sign_up_asks_to_confirm_the_address_first(
    client: TestClient, account: ReaderRecord, newsroom: Newsroom
) -> None:
    _context(client).desk.admin.set_policy(account, signup_mode="open")
    answer = post_form(client, "/signup", {"email": "eve@example.com", "password": PASSWORD})
    assert answer.status_code == 200 and "Check your email" in answer.text
    assert answer.url.path == "/signup"  # not signed in
    signin = post_form(client, "/signin", {"email": "eve@example.com", "password": PASSWORD})
    assert signin.status_code == 401 and "Confirm your address" in signin.text


def test_only_the_admin_opens_the_admin_page(
    reader_client: TestClient, account: ReaderRecord, newsroom: Newsroom
) -> None:
    page = reader_client.get("/admin")
    assert page.status_code == 200 and "Desk-wide sources" in page.text
    saved = post_form(reader_client, "/admin/desk", {"signup_mode": "open"})
    assert (
        saved.status_code == 200
        and _context(reader_client).desk.admin.policy().signup_mode == "open"
    )
    other = accounts.sign_up(newsroom.store, "bob@example.com", PASSWORD, datetime.now(UTC))
    newsroom.store.readers.update(account.id, is_admin=False)
    newsroom.store.readers.update(other.id, is_admin=True)
    assert reader_client.get("/admin").status_code == 403
    assert post_form(reader_client, "/admin/desk", {"signup_mode": "closed"}).status_code == 403
    assert _context(reader_client).desk.admin.policy().signup_mode == "open"
