"""A reader's credentials and data as they meet them in Settings and the API: API tokens made,
named, listed and revoked (the secret shown once); a password change that signs out every
other session and kills every token; a feed URL replaced, the old one dead at once; the data
export; and deleting the account, after which nothing of theirs is left."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from newsroom import Newsroom
from sqlalchemy import func, select
from starlette.testclient import TestClient

from handpicked.desk import accounts
from handpicked.store import ReaderRecord
from handpicked.store.reader_data import reader_columns, tables_of_readers
from handpicked.store.tables import ApiTokenRow, LoginFailureRow
from handpicked.web.security import SESSION_COOKIE

from .conftest import EMAIL, PASSWORD, Seeded, post_form

API = "/api/v1"
SECRET = re.compile(r'id="new-token"[^>]*value="(hp_[A-Za-z0-9_-]+)"')


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def make_token(client: TestClient, name: str) -> str:
    """Make a token on the Settings page; the secret as the page shows it."""
    made = post_form(client, "/settings/tokens", {"name": name})
    assert made.status_code == 201, made.text
    assert made.headers["cache-control"] == "no-store"
    assert "it is shown only this once" in made.text
    match = SECRET.search(made.text)
    assert match is not None, made.text
    return match[1]


def token_list(html: str) -> str:
    """The listed tokens of the Settings page."""
    return html.split('aria-label="Your API tokens"', 1)[1].split("</ul>", 1)[0]


@pytest.fixture
def second_browser(app: FastAPI, account: ReaderRecord) -> Iterator[TestClient]:
    """The same reader signed in on another device."""
    with TestClient(app) as other:
        signed_in = post_form(other, "/signin", {"email": EMAIL, "password": PASSWORD})
        assert signed_in.url.path == "/"
        yield other


@pytest.fixture
def bob(newsroom: Newsroom) -> ReaderRecord:
    return accounts.sign_up(newsroom.store, "bob@example.com", "bob's long password",
                            datetime.now(UTC))  # fmt: skip


# -- API tokens -----------------------------------------------------------------------------


def test_a_token_made_in_settings_is_shown_once_listed_and_opens_the_api(
    reader_client: TestClient,
) -> None:
    settings = reader_client.get("/settings").text
    assert 'id="tokens"' in settings and "You have no API tokens." in settings
    assert '<a href="/api/docs">the API documentation</a>' in settings

    secret = make_token(reader_client, "  my   phone ")
    me = reader_client.get(f"{API}/me", headers=bearer(secret))
    assert me.status_code == 200 and me.json()["email"] == EMAIL

    again = reader_client.get("/settings").text
    assert secret not in again  # shown once only
    listed = token_list(again)
    assert "<strong>my phone</strong>" in listed
    assert "made <time" in listed and "last used <time" in listed
    assert [
        t["name"] for t in reader_client.get(f"{API}/tokens", headers=bearer(secret)).json()
    ] == ["my phone"]


def test_a_token_without_a_name_is_called_api_and_never_used(reader_client: TestClient) -> None:
    make_token(reader_client, "")
    listed = token_list(reader_client.get("/settings").text)
    assert "<strong>API</strong>" in listed and "never used" in listed


def test_revoking_a_token_in_settings_stops_it_at_once(reader_client: TestClient) -> None:
    keep = make_token(reader_client, "laptop")
    drop = make_token(reader_client, "old script")
    [dropped] = [t for t in reader_client.get(f"{API}/tokens", headers=bearer(keep)).json()
                 if t["name"] == "old script"]  # fmt: skip
    done = post_form(reader_client, f"/settings/tokens/{dropped['id']}/revoke", {})
    assert done.url.path == "/settings"
    assert "Revoked the API token old script: it no longer works." in done.text
    assert "old script" not in token_list(done.text) and "laptop" in token_list(done.text)
    assert reader_client.get(f"{API}/me", headers=bearer(drop)).status_code == 401
    assert reader_client.get(f"{API}/me", headers=bearer(keep)).status_code == 200
    twice = post_form(reader_client, f"/settings/tokens/{dropped['id']}/revoke", {})
    assert twice.status_code == 404 and "No such token" in twice.text


def test_a_reader_cannot_see_or_revoke_another_readers_token(
    reader_client: TestClient, newsroom: Newsroom, bob: ReaderRecord
) -> None:
    bobs_id, bobs_token = newsroom.store.accounts.create_api_token(bob.id, "bob's", newsroom.now)
    mine = make_token(reader_client, "mine")
    page = post_form(reader_client, f"/settings/tokens/{bobs_id}/revoke", {})
    assert page.status_code == 404
    assert reader_client.delete(f"{API}/tokens/{bobs_id}", headers=bearer(mine)).status_code == 404
    assert "bob's" not in reader_client.get("/settings").text
    assert [t["name"] for t in reader_client.get(f"{API}/tokens", headers=bearer(mine)).json()] == [
        "mine"
    ]
    assert reader_client.get(f"{API}/me", headers=bearer(bobs_token)).status_code == 200


def test_revoking_needs_the_csrf_token(reader_client: TestClient) -> None:
    secret = make_token(reader_client, "kept")
    [token] = reader_client.get(f"{API}/tokens", headers=bearer(secret)).json()
    forged = reader_client.post(f"/settings/tokens/{token['id']}/revoke", data={})
    assert forged.status_code == 403
    assert reader_client.get(f"{API}/me", headers=bearer(secret)).status_code == 200


def test_the_401_points_to_a_settings_section_that_exists(reader_client: TestClient) -> None:
    refused = reader_client.get(f"{API}/me")
    assert refused.status_code == 401
    detail = refused.json()["detail"]
    assert "Settings, under API tokens (/settings#tokens)" in detail
    settings = reader_client.get("/settings").text
    assert 'id="tokens"' in settings and ">API tokens</h2>" in settings


# -- password change --------------------------------------------------------------------------


def test_a_new_password_signs_out_other_sessions_and_revokes_tokens(
    reader_client: TestClient, second_browser: TestClient
) -> None:
    secret = make_token(reader_client, "phone")
    form = reader_client.get("/settings").text
    assert "Your other sessions will be signed out and your API tokens revoked." in form
    new = {"current_password": PASSWORD, "new_password": "another long password"}
    done = post_form(reader_client, "/settings/password", new)
    assert done.url.path == "/settings"  # this browser stays signed in
    said = "Password changed: your other sessions were signed out and your API tokens revoked."
    assert said in done.text
    assert "You have no API tokens." in done.text
    assert reader_client.get(f"{API}/me", headers=bearer(secret)).status_code == 401
    other = second_browser.get("/settings", follow_redirects=False)
    assert other.status_code == 303 and other.headers["location"].startswith("/signin")


# -- the feed URL ---------------------------------------------------------------------------


def feed_path(html: str) -> str:
    match = re.search(r'id="feed-url" class="wide" value="http://testserver(/feeds/[^"]+)"', html)
    assert match is not None, html
    return match[1]


def test_a_new_feed_url_from_settings_kills_the_old_one(reader_client: TestClient) -> None:
    old = feed_path(reader_client.get("/settings").text)
    assert reader_client.get(old).status_code == 200
    done = post_form(reader_client, "/settings/feed-url", {})
    assert done.url.path == "/settings"
    assert "Your feed has a new address" in done.text
    new = feed_path(done.text)
    assert new != old
    assert reader_client.get(old).status_code == 404
    assert reader_client.get(new).status_code == 200
    assert reader_client.post("/settings/feed-url", data={}).status_code == 403  # CSRF


def test_a_new_feed_url_from_the_api(reader_client: TestClient) -> None:
    secret = make_token(reader_client, "script")
    old = reader_client.get(f"{API}/me", headers=bearer(secret)).json()["feed_url"]
    rotated = reader_client.post(f"{API}/me/feed-url", headers=bearer(secret))
    assert rotated.status_code == 200
    new = rotated.json()["feed_url"]
    assert new != old and new.startswith("http://testserver/feeds/")
    assert reader_client.get(old.removeprefix("http://testserver")).status_code == 404
    assert reader_client.get(new.removeprefix("http://testserver")).status_code == 200
    assert reader_client.get(f"{API}/me", headers=bearer(secret)).json()["feed_url"] == new


# -- the export -----------------------------------------------------------------------------


def seed_history(newsroom: Newsroom, reader: ReaderRecord, seeded: Seeded) -> None:
    newsroom.follow(reader, "Putin")
    newsroom.follow(reader, "IRGC", mode="mute")
    newsroom.store.feedback.add(reader.id, seeded.putin, "more", newsroom.now)
    delivery = newsroom.store.deliveries.claim(reader.id, "manual:test", "x:1", newsroom.now)
    assert delivery is not None
    newsroom.store.deliveries.mark_failed(delivery.id, "SMTP said no", newsroom.now)


def check_export(document: dict[str, Any], raw: str, secrets: list[str]) -> None:
    assert document["format"] == "handpicked-export/1"
    assert document["profile"]["email"] == EMAIL
    assert document["profile"]["time_zone"] == "Europe/Berlin"
    assert document["profile"]["has_password"] is True
    follows = {(i["mode"], i["label"]) for i in document["interests"]}
    assert follows == {("follow", "Vladimir Putin"),
                       ("mute", "Islamic Revolutionary Guard Corps")}  # fmt: skip
    [feedback] = document["feedback"]
    assert feedback["kind"] == "more"
    assert feedback["article_url"] == "https://jns.example/world/putin-meets-envoy"
    [delivery] = document["deliveries"]
    assert delivery["state"] == "failed" and delivery["error"] == "SMTP said no"
    assert [t["name"] for t in document["api_tokens"]] == ["export script"]
    assert document["sessions"] and "expires_at" in document["sessions"][0]
    for secret in secrets:
        assert secret not in raw
    assert "argon2" not in raw and "token_hash" not in raw and "feed_token" not in raw


def test_the_export_from_settings_and_the_api_holds_everything_but_secrets(
    reader_client: TestClient, newsroom: Newsroom, account: ReaderRecord, seeded: Seeded
) -> None:
    seed_history(newsroom, account, seeded)
    secret = make_token(reader_client, "export script")
    settings = reader_client.get("/settings").text
    assert '<a href="/settings/export" download>Download your data</a>' in settings

    download = reader_client.get("/settings/export")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/json"
    assert re.fullmatch(r'attachment; filename="handpicked-export-\d{4}-\d\d-\d\d\.json"',
                        download.headers["content-disposition"])  # fmt: skip
    feed_token = account.feed_token
    check_export(download.json(), download.text, [secret, feed_token])

    by_api = reader_client.get(f"{API}/me/export", headers=bearer(secret))
    assert by_api.status_code == 200
    check_export(json.loads(by_api.text), by_api.text, [secret, feed_token])


def test_the_export_holds_nothing_of_other_readers(
    reader_client: TestClient, newsroom: Newsroom, bob: ReaderRecord, seeded: Seeded
) -> None:
    seed_history(newsroom, bob, seeded)
    document = reader_client.get("/settings/export").json()
    assert "bob@example.com" not in json.dumps(document)
    assert document["interests"] == [] and document["feedback"] == []


# -- deleting the account ---------------------------------------------------------------------


def rows_of(newsroom: Newsroom, reader_id: int) -> dict[str, int]:
    """How many rows of each table point at the reader (the readers table included)."""
    counts = {}
    with newsroom.store.engine.connect() as connection:
        for table in tables_of_readers():
            for column in reader_columns(table):
                counts[f"{table.name}.{column.name}"] = (
                    connection.scalar(
                        select(func.count()).select_from(table).where(column == reader_id)
                    )
                    or 0
                )
        readers = tables_of_readers()[0].metadata.tables["readers"]
        counts["readers"] = (
            connection.scalar(
                select(func.count()).select_from(readers).where(readers.c.id == reader_id)
            )
            or 0
        )
    return counts


def test_deleting_the_account_needs_the_password_and_the_csrf_token(
    reader_client: TestClient, newsroom: Newsroom, account: ReaderRecord
) -> None:
    settings = reader_client.get("/settings").text
    assert 'action="/settings/delete"' in settings and "Your password, to confirm" in settings
    wrong = post_form(reader_client, "/settings/delete", {"password": "not my password"})
    assert wrong.status_code == 403
    assert "That is not your password." in wrong.text
    forged = reader_client.post("/settings/delete", data={"password": PASSWORD})
    assert forged.status_code == 403
    assert newsroom.store.readers.get(reader_id=account.id) is not None
    assert reader_client.get("/settings").status_code == 200


def test_deleting_the_account_leaves_nothing_of_theirs(
    reader_client: TestClient,
    second_browser: TestClient,
    newsroom: Newsroom,
    account: ReaderRecord,
    bob: ReaderRecord,
    seeded: Seeded,
) -> None:
    seed_history(newsroom, account, seeded)
    seed_history(newsroom, bob, seeded)
    secret = make_token(reader_client, "phone")
    newsroom.store.accounts.create_sign_in_link(account.id, newsroom.now, accounts.LINK_LIFETIME)
    post_form(reader_client, "/settings/delete", {"password": "one wrong try"})
    feed = feed_path(reader_client.get("/settings").text)
    before = rows_of(newsroom, account.id)
    assert all(before[name] for name in ("readers", "interests.reader_id", "feedback.reader_id",
               "deliveries.reader_id", "sessions.reader_id", "api_tokens.reader_id",
               "sign_in_links.reader_id"))  # fmt: skip
    bobs_before = rows_of(newsroom, bob.id)

    done = post_form(reader_client, "/settings/delete", {"password": PASSWORD})
    assert done.status_code == 200
    assert "Your account is deleted" in done.text
    assert 'aria-label="Main"' not in done.text  # signed out: no nav
    assert SESSION_COOKIE not in reader_client.cookies

    assert set(rows_of(newsroom, account.id).values()) == {0}
    with newsroom.store.engine.connect() as connection:
        failures = connection.scalar(
            select(func.count()).select_from(LoginFailureRow).where(
                LoginFailureRow.key.contains(EMAIL))
        )  # fmt: skip
    assert failures == 0
    assert rows_of(newsroom, bob.id) == bobs_before  # another reader keeps everything
    assert newsroom.store.articles.get(seeded.putin) is not None  # shared articles stay

    assert reader_client.get("/settings", follow_redirects=False).status_code == 303
    other = second_browser.get("/settings", follow_redirects=False)
    assert other.status_code == 303  # signed out everywhere
    assert reader_client.get(f"{API}/me", headers=bearer(secret)).status_code == 401
    assert reader_client.get(feed).status_code == 404
    again = post_form(reader_client, "/signin", {"email": EMAIL, "password": PASSWORD})
    assert again.status_code == 401


def test_an_account_without_a_password_confirms_with_its_email(
    client: TestClient, newsroom: Newsroom
) -> None:
    reader = newsroom.reader("link@example.com")
    link = newsroom.store.accounts.create_sign_in_link(reader.id, newsroom.now,
                                                       accounts.LINK_LIFETIME)  # fmt: skip
    signed_in = post_form(client, f"/signin/link/{link}", {})
    assert signed_in.url.path == "/"
    settings = client.get("/settings").text
    assert "Your email address, to confirm" in settings
    wrong = post_form(client, "/settings/delete", {"email": "someone@example.com"})
    assert wrong.status_code == 403 and "Type your email address" in wrong.text
    done = post_form(client, "/settings/delete", {"email": "LINK@example.com"})
    assert "Your account is deleted" in done.text
    assert newsroom.store.readers.get(email="link@example.com") is None


def test_deleting_the_account_by_the_api(
    reader_client: TestClient, newsroom: Newsroom, account: ReaderRecord, seeded: Seeded
) -> None:
    signer = reader_client.app.state.web.links.signer  # type: ignore[attr-defined]
    emailed = f"/feedback/{signer.feedback_token(account.id, seeded.putin, 'more')}"
    secret = make_token(reader_client, "script")
    auth = bearer(secret)
    unconfirmed = reader_client.request("DELETE", f"{API}/me", headers=auth, json={})
    assert unconfirmed.status_code == 403
    assert unconfirmed.json()["detail"] == "Give your password to delete your account."
    wrong = reader_client.request("DELETE", f"{API}/me", headers=auth, json={"password": "no"})
    assert wrong.status_code == 403 and wrong.json()["detail"] == "That is not your password."
    typo = reader_client.request("DELETE", f"{API}/me", headers=auth, json={"pasword": "x"})
    assert typo.status_code == 422
    done = reader_client.request("DELETE", f"{API}/me", headers=auth, json={"password": PASSWORD})
    assert done.status_code == 204
    assert set(rows_of(newsroom, account.id).values()) == {0}
    assert reader_client.get(f"{API}/me", headers=auth).status_code == 401
    assert reader_client.get("/settings", follow_redirects=False).status_code == 303
    with newsroom.store.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ApiTokenRow)) == 0
    # A "more like this" link from an old digest email now says it does not work.
    old_link = reader_client.post(emailed)
    assert old_link.status_code == 400 and "This feedback link is not valid" in old_link.text
