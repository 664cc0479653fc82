"""Subscribing from an app through the Google Reader API: a feed on a real loopback server is
added as the reader's own subscription and appears in their list, unsubscribing ends only the
reader's own subscription, and nothing reaches another reader or the desk-wide sources."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx2
from newsroom import Newsroom
from starlette.testclient import TestClient

from handpicked.desk import accounts

from .conftest import PREFIX, Desk, login

API = f"{PREFIX}/reader/api/0"


def _subscription_urls(client: TestClient, auth: dict[str, str]) -> list[str]:
    listed = client.get(f"{API}/subscription/list", headers=auth)
    assert listed.status_code == 200
    return [s["url"] for s in listed.json()["subscriptions"]]


def _post(client: TestClient, auth: dict[str, str], action: str, **form: str) -> httpx2.Response:
    return client.post(f"{API}/subscription/{action}", headers=auth, data=form)


def test_quickadd_follows_a_feed_and_unsubscribe_ends_it(
    client: TestClient, auth: dict[str, str], site: str
) -> None:
    added = _post(client, auth, "quickadd", quickadd=f"{site}/feed.xml")
    assert added.status_code == 200, added.text
    answer = added.json()
    assert answer["numResults"] == 1 and answer["streamName"] == "Loopback News"
    assert f"{site}/feed.xml" in _subscription_urls(client, auth)
    gone = _post(client, auth, "edit", ac="unsubscribe", s=answer["streamId"])
    assert gone.status_code == 200 and gone.text == "OK"
    assert f"{site}/feed.xml" not in _subscription_urls(client, auth)


def test_edit_subscribes_by_feed_address_and_a_rename_keeps_nothing(
    client: TestClient, auth: dict[str, str], site: str
) -> None:
    feed = f"feed/{site}/feed.xml"
    subscribed = _post(client, auth, "edit", ac="subscribe", s=feed, t="My name for it")
    assert subscribed.status_code == 200 and subscribed.text == "OK"
    renamed = _post(client, auth, "edit", ac="edit", s=feed, t="Another name")
    assert renamed.status_code == 200
    listed = client.get(f"{API}/subscription/list", headers=auth).json()["subscriptions"]
    titles = {s["url"]: s["title"] for s in listed}
    assert titles[f"{site}/feed.xml"] == "Loopback News"
    by_address = _post(client, auth, "edit", ac="unsubscribe", s=feed)
    assert by_address.status_code == 200
    assert f"{site}/feed.xml" not in _subscription_urls(client, auth)


def test_a_dead_or_private_address_is_refused_with_the_reason(
    client: TestClient, auth: dict[str, str]
) -> None:
    for address in ("ftp://files.example/feed", "not a url at all"):
        refused = _post(client, auth, "quickadd", quickadd=address)
        assert refused.status_code == 400
        assert refused.json()["detail"]
    bad_action = _post(client, auth, "edit", ac="delete-everything", s="feed/1")
    assert bad_action.status_code == 400 and "ac must be" in bad_action.json()["detail"]


def test_one_reader_cannot_unsubscribe_another_or_the_desk(
    client: TestClient, auth: dict[str, str], app_desk: Desk, newsroom: Newsroom
) -> None:
    store = newsroom.store
    email, password = "other@example.com", "another long password"
    accounts.sign_up(store, email, password, datetime.now(UTC), "UTC")
    other = {"Authorization": f"GoogleLogin auth={login(client, email, password)}"}
    for source_id in (app_desk.ledger, app_desk.wire):
        refused = _post(client, other, "edit", ac="unsubscribe", s=f"feed/{source_id}")
        assert refused.status_code == 404
    mine = _subscription_urls(client, auth)
    assert "https://ledger.example/feed.xml" in mine and "https://wire.example/rss" in mine
    forged = _post(client, auth, "edit", ac="unsubscribe", s=f"feed/{app_desk.ledger}", T="forged")
    assert forged.status_code == 401
    assert "https://ledger.example/feed.xml" in _subscription_urls(client, auth)
