"""The JSON API: bearer tokens (and never the session cookie), rate-limited token creation,
follows and mutes that change the picks with their reasons, feedback that reorders them,
settings refused with the reason, news, sources (fetched through the guarded fetcher), OPML
and the delivery ledger."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from newsroom import Newsroom
from starlette.testclient import TestClient

from handpicked.article import Image
from handpicked.desk.accounts import sign_up
from handpicked.settings import Settings
from handpicked.store import ReaderRecord
from handpicked.web.app import create_app
from handpicked.web.security import SESSION_COOKIE

PASSWORD = "correct horse battery staple"
API = "/api/v1"


def settings_for(tmp_path: Path, allow_private: bool = True) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'news.db'}",
        allow_private_networks=allow_private,
        base_url="http://testserver",
        secret_key_value="test",
    )


@dataclass
class Desk:
    """The app over the newsroom's store, and a reader with a token."""

    client: TestClient
    newsroom: Newsroom
    reader: ReaderRecord
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **kwargs: Any) -> Any:
        response = self.client.get(API + path, headers=self.auth, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    def call(self, method: str, path: str, headers: dict[str, str] | None = None,
             **kwargs: Any) -> Any:  # fmt: skip
        return self.client.request(method, API + path, headers={**self.auth, **(headers or {})},
                                   **kwargs)  # fmt: skip


def token_for(newsroom: Newsroom, reader: ReaderRecord, name: str = "test") -> str:
    _id, token = newsroom.store.accounts.create_api_token(reader.id, name, newsroom.now)
    return token


@pytest.fixture
def app_client(newsroom: Newsroom, tmp_path: Path) -> Iterator[TestClient]:
    newsroom.now = datetime.now(UTC)  # the API picks from the real clock
    with TestClient(create_app(settings_for(tmp_path), newsroom.store)) as client:
        yield client


@pytest.fixture
def desk(app_client: TestClient, newsroom: Newsroom) -> Desk:
    reader = newsroom.reader()
    return Desk(app_client, newsroom, reader, token_for(newsroom, reader))


def titles(picks: dict[str, Any]) -> list[str]:
    return [item["title"] for item in picks["items"]]


# --- tokens and authentication -------------------------------------------------------------


def test_a_token_from_email_and_password_opens_the_api(
    app_client: TestClient, newsroom: Newsroom
) -> None:
    sign_up(newsroom.store, "ann@example.com", PASSWORD, newsroom.now)
    created = app_client.post(
        f"{API}/tokens", json={"email": "Ann@Example.com", "password": PASSWORD, "name": "cli"}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["token"].startswith("hp_") and body["name"] == "cli"
    auth = {"Authorization": f"Bearer {body['token']}"}
    me = app_client.get(f"{API}/me", headers=auth)
    assert me.status_code == 200 and me.json()["email"] == "ann@example.com"
    listed = app_client.get(f"{API}/tokens", headers=auth).json()
    assert [t["id"] for t in listed] == [body["id"]]
    assert "token" not in listed[0] and listed[0]["name"] == "cli"
    assert listed[0]["last_used_at"] is not None


def test_bad_credentials_get_one_answer_whether_the_account_exists_or_not(
    app_client: TestClient, newsroom: Newsroom
) -> None:
    sign_up(newsroom.store, "ann@example.com", PASSWORD, newsroom.now)
    wrong = app_client.post(f"{API}/tokens", json={"email": "ann@example.com", "password": "x"})
    nobody = app_client.post(f"{API}/tokens", json={"email": "bob@example.com", "password": "x"})
    assert wrong.status_code == nobody.status_code == 401
    assert wrong.json() == nobody.json()
    assert wrong.json()["detail"] == "That email and password do not match an account."


def test_no_token_or_a_bad_one_is_401_with_www_authenticate(desk: Desk) -> None:
    for headers in ({}, {"Authorization": "Bearer hp_nope"}, {"Authorization": desk.token}):
        response = desk.client.get(f"{API}/picks", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert isinstance(response.json()["detail"], str)


def test_the_session_cookie_is_not_accepted(desk: Desk) -> None:
    session = desk.newsroom.store.accounts.create_session(
        desk.reader.id, desk.newsroom.now, timedelta(days=1)
    )
    desk.client.cookies.set(SESSION_COOKIE, session)
    try:
        assert desk.client.get(f"{API}/me").status_code == 401
        assert desk.client.patch(f"{API}/me", json={"max_items": 3}).status_code == 401
        # Bearer tokens are not sent by browsers on their own, so no CSRF token is asked for.
        with_token = desk.call("PATCH", "/me", json={"max_items": 3},
                               headers={"Origin": "https://elsewhere.example"})  # fmt: skip
        assert with_token.status_code == 200 and with_token.json()["max_items"] == 3
    finally:
        desk.client.cookies.clear()


def test_five_wrong_passwords_then_429_with_retry_after(
    app_client: TestClient, newsroom: Newsroom
) -> None:
    sign_up(newsroom.store, "ann@example.com", PASSWORD, newsroom.now)
    wrong = {"email": "ann@example.com", "password": "not the password"}
    for _attempt in range(5):
        assert app_client.post(f"{API}/tokens", json=wrong).status_code == 401
    limited = app_client.post(f"{API}/tokens", json={**wrong, "password": PASSWORD})
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 15 * 60
    assert "Too many failed sign-ins" in limited.json()["detail"]


def test_a_reader_revokes_their_own_tokens_only(desk: Desk) -> None:
    other = desk.newsroom.reader("bob@example.com")
    other_token = token_for(desk.newsroom, other)
    other_id = desk.newsroom.store.accounts.api_tokens(other.id)[0]["id"]
    refused = desk.call("DELETE", f"/tokens/{other_id}")
    assert refused.status_code == 404
    bob = {"Authorization": f"Bearer {other_token}"}
    assert desk.client.get(f"{API}/me", headers=bob).json()["email"] == "bob@example.com"
    spare = token_for(desk.newsroom, desk.reader, "spare")
    spare_id = desk.get("/tokens")[-1]["id"]
    assert desk.call("DELETE", f"/tokens/{spare_id}").status_code == 204
    spare_auth = {"Authorization": f"Bearer {spare}"}
    assert desk.client.get(f"{API}/me", headers=spare_auth).status_code == 401
    assert desk.call("DELETE", f"/tokens/{spare_id}").status_code == 404


# --- the reader's settings -----------------------------------------------------------------


def test_me_shows_the_settings_in_words(desk: Desk) -> None:
    me = desk.get("/me")
    assert me["schedule"] == "daily 07:00"
    assert me["schedule_description"] == "daily at 07:00"
    assert me["feed_url"] == f"http://testserver/feeds/{desk.reader.feed_token}.atom"
    next_at = datetime.fromisoformat(me["next_digest_at"])
    assert timedelta(0) < next_at - datetime.now(UTC) <= timedelta(days=1)
    assert me["unsubscribed"] is False


def test_a_bad_time_zone_is_refused_with_the_reason_and_nothing_changes(desk: Desk) -> None:
    refused = desk.call("PATCH", "/me", json={"time_zone": "Europe/Berln", "max_items": 3})
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert isinstance(detail, str)
    assert "unknown time zone 'Europe/Berln'" in detail and "'Europe/Berlin'" in detail
    assert desk.get("/me")["max_items"] == 10


def test_settings_change_and_unsubscribe(desk: Desk) -> None:
    changed = desk.call(
        "PATCH",
        "/me",
        json={"time_zone": "europe/berlin", "schedule": "weekdays 7:30", "max_items": 5,
              "language": "DE", "subscribed": False},
    )  # fmt: skip
    assert changed.status_code == 200, changed.text
    me = changed.json()
    assert me["time_zone"] == "Europe/Berlin" and me["schedule"] == "weekdays 07:30"
    assert me["schedule_description"] == "on weekdays at 07:30"
    assert me["max_items"] == 5 and me["language"] == "de"
    assert me["unsubscribed"] is True and me["next_digest_at"] is None
    again = desk.call("PATCH", "/me", json={"subscribed": True}).json()
    assert again["unsubscribed"] is False and again["next_digest_at"] is not None


def test_validation_errors_are_one_detail_string(desk: Desk) -> None:
    for body in ({"max_items": 0}, {"colour": "red"}, {"schedule": 7}):
        response = desk.call("PATCH", "/me", json=body)
        assert response.status_code == 422
        assert isinstance(response.json()["detail"], str)
    assert "body.max_items" in desk.call("PATCH", "/me", json={"max_items": 99}).json()["detail"]
    bad_schedule = desk.call("PATCH", "/me", json={"schedule": "sometimes"})
    assert bad_schedule.status_code == 422
    assert "daily 07:00" in bad_schedule.json()["detail"]  # the schedule parser's examples


def test_json_types_are_taken_as_documented(desk: Desk) -> None:
    article = desk.newsroom.article("Something")
    for body in ({"subscribed": "yes"}, {"subscribed": 1}, {"max_items": True},
                 {"max_items": "5"}, {"max_items": 5.5}, {"language": "e\x00n"}):  # fmt: skip
        assert desk.call("PATCH", "/me", json=body).status_code == 422, body
    assert desk.call("PATCH", "/me", json={"max_items": 5.0}).json()["max_items"] == 5
    refused = desk.call("POST", "/feedback", json={"article_id": True, "kind": "more"})
    assert refused.status_code == 422
    taken = desk.call("POST", "/feedback", json={"article_id": float(article), "kind": "more"})
    assert taken.status_code == 204


def test_bodies_that_cannot_be_read_are_422_with_one_detail(desk: Desk) -> None:
    as_json = {"Content-Type": "application/json"}
    for body in (b"{not json", b"\xff\xfe{}", b"[1, 2]"):
        response = desk.call("POST", "/interests", content=body, headers=as_json)
        assert response.status_code == 422, body
        assert isinstance(response.json()["detail"], str)


def test_a_method_the_path_does_not_take_is_405_naming_those_it_does(desk: Desk) -> None:
    for method, path, allowed in (
        ("PUT", "/me", "DELETE, GET, PATCH"),
        ("OPTIONS", "/sources/opml", "GET, POST"),
        ("PUT", "/tokens/1", "DELETE"),
        ("DELETE", "/tokens", "GET, POST"),
    ):
        response = desk.call(method, path)
        assert response.status_code == 405, (method, path)
        assert response.headers["allow"] == allowed
        assert response.json() == {"detail": "Method Not Allowed"}


# --- interests and picks -------------------------------------------------------------------


def test_following_putin_picks_his_story_with_the_reason(desk: Desk) -> None:
    picture = Image("https://dailyledger.example/putin.jpg", caption="In Moscow", credit="AP")
    putin = desk.newsroom.article(
        "Putin meets envoy", entities=[("Vladimir Putin", "person")], images=[picture]
    )
    desk.newsroom.article("Rain in Spain", entities=[("Spain", "place")])
    followed = desk.call("POST", "/interests", json={"thing": "Putin", "mode": "follow"})
    assert followed.status_code == 201, followed.text
    assert followed.json() == {
        "kind": "entity",
        "key": followed.json()["key"],
        "label": "Vladimir Putin",
        "mode": "follow",
        "before": None,
        "thing": "person:Vladimir Putin",
    }
    picks = desk.get("/picks")
    assert titles(picks) == ["Putin meets envoy"]
    item = picks["items"][0]
    assert item["reasons"] == ["because you follow Vladimir Putin"]
    assert item["article_id"] == putin
    assert item["reader_url"].startswith(f"http://testserver/articles/{putin}?k=")
    assert item["url"].startswith("https://dailyledger.example/news/")
    assert item["site"] == "Daily Ledger" and item["story_id"] is not None
    assert item["image"] == {"url": picture.url, "caption": "In Moscow", "credit": "AP",
                             "alt": None}  # fmt: skip
    assert item["also_covered_by"] == 0 and item["outlets"] == ["Daily Ledger"]
    follows = desk.get("/interests")["follows"]
    assert [f["label"] for f in follows] == ["Vladimir Putin"]


def test_mutes_win_and_interests_can_be_removed(desk: Desk) -> None:
    desk.newsroom.article("Vote count", topics=["politics"])
    desk.newsroom.article("Vote and IRGC", topics=["politics"], entities=[("IRGC", "organisation")])
    desk.call("POST", "/interests", json={"thing": "topic:politics"})
    assert sorted(titles(desk.get("/picks"))) == ["Vote and IRGC", "Vote count"]
    muted = desk.call("POST", "/interests", json={"thing": "IRGC", "mode": "mute"})
    assert muted.status_code == 201 and muted.json()["before"] is None
    assert titles(desk.get("/picks")) == ["Vote count"]
    interests = desk.get("/interests")
    assert [m["thing"] for m in interests["mutes"]] == [muted.json()["thing"]]
    again = desk.call("POST", "/interests", json={"thing": "IRGC", "mode": "follow"})
    assert again.json()["before"] == "mute"
    assert desk.call("DELETE", "/interests", params={"thing": "IRGC"}).status_code == 204
    assert desk.call("DELETE", "/interests", params={"thing": "IRGC"}).status_code == 404
    topic = interests["follows"][0]
    by_key = {"kind": topic["kind"], "key": topic["key"]}
    assert desk.call("DELETE", "/interests", params=by_key).status_code == 204
    assert desk.get("/interests") == {"follows": [], "mutes": []}
    assert desk.call("DELETE", "/interests").status_code == 422


def test_an_unusable_thing_is_refused_with_the_message(desk: Desk) -> None:
    response = desk.call("POST", "/interests", json={"thing": "   "})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("say what to follow")
    assert desk.call("POST", "/interests", json={"thing": "x", "mode": "love"}).status_code == 422


def test_feedback_changes_the_order(desk: Desk) -> None:
    newsroom = desk.newsroom
    newsroom.article("Budget vote", topics=["politics"], entities=[("Olaf Scholz", "person")],
                     hours_ago=1)  # fmt: skip
    newsroom.article("Senate race", topics=["politics"], entities=[("Kamala Harris", "person")],
                     hours_ago=6)  # fmt: skip
    liked = newsroom.article("Earlier Harris rally", topics=["politics"],
                             entities=[("Kamala Harris", "person")], hours_ago=60)  # fmt: skip
    desk.call("POST", "/interests", json={"thing": "topic:politics"})
    assert titles(desk.get("/picks"))[:2] == ["Budget vote", "Senate race"]
    more = desk.call("POST", "/feedback", json={"article_id": liked, "kind": "more"})
    assert more.status_code == 204 and more.content == b""
    after = desk.get("/picks")
    assert titles(after)[:2] == ["Senate race", "Budget vote"]
    assert "because you liked stories about Kamala Harris" in after["items"][0]["reasons"]
    desk.call("POST", "/feedback", json={"article_id": liked, "kind": "less"})
    assert titles(desk.get("/picks"))[:2] == ["Budget vote", "Senate race"]


def test_feedback_on_an_unknown_article_is_404(desk: Desk) -> None:
    response = desk.call("POST", "/feedback", json={"article_id": 999, "kind": "more"})
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no article 999."}
    article = desk.newsroom.article("Something")
    bad_kind = desk.call("POST", "/feedback", json={"article_id": article, "kind": "love"})
    assert bad_kind.status_code == 422


def test_empty_picks_say_why_and_suggest(desk: Desk) -> None:
    desk.newsroom.article("Putin meets envoy", entities=[("Vladimir Putin", "person")])
    desk.newsroom.article("Putin again", "Wire", entities=[("Vladimir Putin", "person")])
    picks = desk.get("/picks")
    assert picks["items"] == [] and picks["empty_reason"]
    suggested = desk.get("/suggestions")
    assert "person:Vladimir Putin" in [s["thing"] for s in suggested]
    assert picks["suggestions"] == suggested


def test_digest_preview_has_both_parts(desk: Desk) -> None:
    desk.newsroom.article("Putin meets envoy", entities=[("Vladimir Putin", "person")])
    desk.call("POST", "/interests", json={"thing": "Putin"})
    preview = desk.get("/digest/preview")
    assert preview["subject"] == "Putin meets envoy"
    assert "Putin meets envoy" in preview["html"] and "Putin meets envoy" in preview["text"]


# --- news ----------------------------------------------------------------------------------


def test_stories_and_articles_with_copies_flagged(desk: Desk) -> None:
    newsroom = desk.newsroom
    picture = Image("https://jns.example/leave.jpg", caption="A departure hall", credit="JNS")
    original = newsroom.article("Leave now", "JNS", host="jns.example", story="s",
                                hours_ago=3, images=[picture])  # fmt: skip
    copy = newsroom.article("Leave now", "The Ledger", story="s", hours_ago=2,
                            duplicate_of=original)  # fmt: skip
    newsroom.article("Older news", hours_ago=50)
    story_id = newsroom.stories["s"]

    listed = desk.get("/stories", params={"limit": 10})
    assert [s["title"] for s in listed] == ["Leave now", "Older news"]
    story = desk.get(f"/stories/{story_id}")
    assert story["outlets"] == ["JNS", "The Ledger"] and story["also_covered_by"] == 1
    flags = {a["id"]: (a["is_copy"], a["duplicate_of"]) for a in story["articles"]}
    assert flags == {original: (False, None), copy: (True, original)}
    since = (datetime.now(UTC) - timedelta(hours=24)).isoformat()
    assert [s["id"] for s in desk.get("/stories", params={"since": since})] == [story_id]

    assert [a["id"] for a in desk.get("/articles", params={"limit": 2})] == [copy, original]
    berlin = timezone(timedelta(hours=1))
    since_berlin = (datetime.now(UTC) - timedelta(hours=2, minutes=30)).astimezone(berlin)
    assert [a["id"] for a in desk.get("/articles", params={"since": since_berlin.isoformat()})] == [
        copy
    ]
    for unclear in (since_berlin.replace(tzinfo=None).isoformat(), "2026-11-25", "1764000000"):
        refused = desk.call("GET", "/articles", params={"since": unclear})
        assert refused.status_code == 422 and "since" in refused.json()["detail"]
    full = desk.get(f"/articles/{original}")
    assert full["title"] == "Leave now" and full["story_id"] == story_id
    assert full["images"] == [{"url": picture.url, "caption": "A departure hall",
                               "credit": "JNS", "alt": None}]  # fmt: skip
    assert full["paragraphs"] and full["text"].startswith("Leave now.")
    assert full["reader_url"].startswith(f"http://testserver/articles/{original}?k=")
    stored = newsroom.store.articles.get(original)
    assert stored is not None
    assert {k: v for k, v in full.items() if k != "reader_url"}.keys() == stored.to_dict().keys()


def test_missing_news_is_404_and_bad_limits_422(desk: Desk) -> None:
    for path in ("/stories/12345", "/articles/12345"):
        response = desk.call("GET", path)
        assert response.status_code == 404 and "12345" in response.json()["detail"]
    for limit in (0, 201, "many"):
        response = desk.call("GET", "/articles", params={"limit": limit})
        assert response.status_code == 422 and "limit" in response.json()["detail"]
    assert desk.call("GET", "/stories/0").status_code == 422
    for edge in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"):
        for path in ("/stories", "/articles"):
            assert desk.call("GET", path, params={"since": edge}).status_code == 200


# --- sources -------------------------------------------------------------------------------


def test_a_source_is_added_through_the_fetcher_and_removed(desk: Desk, site: str) -> None:
    added = desk.call("POST", "/sources", json={"url": f"{site}/feed.xml"})
    assert added.status_code == 201, added.text
    source = added.json()
    assert source["kind"] == "feed" and source["created"] is True
    assert source["title"] == "Loopback News"
    again = desk.call("POST", "/sources", json={"url": f"{site}/feed.xml"})
    assert again.status_code == 200 and again.json()["created"] is False
    assert [s["id"] for s in desk.get("/sources")] == [source["id"]]
    assert desk.call("DELETE", f"/sources/{source['id']}").status_code == 204
    assert desk.call("DELETE", f"/sources/{source['id']}").status_code == 404
    assert desk.get("/sources") == []


def test_private_addresses_are_refused_unless_allowed(
    newsroom: Newsroom, tmp_path: Path, site: str
) -> None:
    reader = newsroom.reader()
    auth = {"Authorization": f"Bearer {token_for(newsroom, reader)}"}
    app = create_app(settings_for(tmp_path, allow_private=False), newsroom.store)
    with TestClient(app) as client:
        response = client.post(f"{API}/sources", json={"url": f"{site}/feed.xml"}, headers=auth)
        assert response.status_code == 422
        detail = response.json()["detail"]
        assert detail.startswith(f"{site}/feed.xml: ") and "loopback address" in detail
        not_web = client.post(f"{API}/sources", json={"url": "ftp://x.example/"}, headers=auth)
        assert not_web.status_code == 422 and "http://" in not_web.json()["detail"]
    assert newsroom.store.sources.list() == []


def test_opml_round_trip(desk: Desk) -> None:
    store = desk.newsroom.store
    one, _new = store.sources.add("https://one.example/feed.xml", "feed", title="One & Co",
                                  site_url="https://one.example/")  # fmt: skip
    two, _new = store.sources.add("https://two.example/rss", "feed", title="Two")
    three, _new = store.sources.add("https://three.example/", "site", title="A site, not exported")
    store.sources.add("https://someone-elses.example/rss", "feed", title="Not the reader's")
    for source in (one, two, three):
        store.subscriptions.add(desk.reader.id, source.id, desk.newsroom.now)
    exported = desk.call("GET", "/sources/opml")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/x-opml")
    opml = exported.content
    assert b"one.example/feed.xml" in opml and b"three.example" not in opml
    assert b"someone-elses" not in opml
    for source in store.sources.list():
        store.sources.remove(source.id)
    imported = desk.call(
        "POST", "/sources/opml", content=opml, headers={"Content-Type": "text/x-opml"}
    )
    assert imported.status_code == 200, imported.text
    assert imported.json() == {"added": 2, "total": 2, "refused": []}
    titles_by_url = {s["url"]: s["title"] for s in desk.get("/sources")}
    assert titles_by_url == {"https://one.example/feed.xml": "One & Co",
                             "https://two.example/rss": "Two"}  # fmt: skip
    as_xml = {"Content-Type": "application/xml; charset=utf-8"}
    again = desk.call("POST", "/sources/opml", content=opml, headers=as_xml)
    assert again.json() == {"added": 0, "total": 2, "refused": []}
    garbage = desk.call("POST", "/sources/opml", content=b"<html/>", headers=as_xml)
    assert garbage.status_code == 422 and "OPML" in garbage.json()["detail"]
    as_json = desk.call("POST", "/sources/opml", json={"opml": "no"})
    assert as_json.status_code == 415


# --- deliveries ----------------------------------------------------------------------------


def test_the_delivery_ledger_is_the_readers_own(desk: Desk) -> None:
    store, now = desk.newsroom.store, desk.newsroom.now
    article = desk.newsroom.article("Sent story")
    story_id = desk.newsroom.stories["story-1"]
    sent = store.deliveries.claim(desk.reader.id, "2026-11-24T07:00Z", "host:1", now)
    assert sent is not None
    store.deliveries.mark_sending(sent.id, message_id="<m@x>", story_ids=[story_id],
                      article_ids=[article], items=[], since=now - timedelta(days=1),
                      now=now)  # fmt: skip
    store.deliveries.mark_sent(sent.id, now)
    later = now + timedelta(seconds=1)
    failed = store.deliveries.claim(desk.reader.id, "2026-11-25T07:00Z", "host:1", later)
    assert failed is not None
    store.deliveries.mark_failed(failed.id, "SMTP said no", later)
    other = desk.newsroom.reader("bob@example.com")
    store.deliveries.claim(other.id, "2026-11-25T07:00Z", "host:1", now)

    ledger = desk.get("/deliveries")
    assert [(d["period"], d["state"]) for d in ledger] == [
        ("2026-11-25T07:00Z", "failed"),
        ("2026-11-24T07:00Z", "sent"),
    ]
    assert ledger[0]["error"] == "SMTP said no" and ledger[0]["sent_at"] is None
    assert ledger[1]["story_ids"] == [story_id] and ledger[1]["article_ids"] == [article]
    assert ledger[1]["sent_at"] is not None
    assert len(desk.get("/deliveries", params={"limit": 1})) == 1
