"""The Google Reader API as an app sees it: sign-in (password or API token as an app
password, limited like the sign-in page), subscriptions, the picks label, item streams with
the clean article as content, item ids in Google's formats, and nothing of anyone else's."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.testclient import TestClient

from handpicked.desk import accounts
from handpicked.web.greader.ids import long_item_id, parse_item_id

from .conftest import BODY_SENTENCE, CAPTION, EMAIL, PASSWORD, PREFIX, Desk, login

API = f"{PREFIX}/reader/api/0"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
EVERYTHING = "user/-/state/com.google/reading-list"


def test_client_login_answers_an_auth_token_that_signs_in_the_app(client: TestClient) -> None:
    response = client.post(
        f"{PREFIX}/accounts/ClientLogin", data={"Email": EMAIL, "Passwd": PASSWORD}
    )
    assert response.status_code == 200
    lines = response.text.splitlines()
    assert lines[0].startswith("SID=") and lines[-1].startswith("Auth=")
    token = lines[-1].removeprefix("Auth=")
    info = client.get(f"{API}/user-info", headers={"Authorization": f"GoogleLogin auth={token}"})
    assert info.status_code == 200
    assert info.json()["userEmail"] == EMAIL


def test_wrong_password_and_no_token_are_refused(client: TestClient) -> None:
    wrong = client.post(
        f"{PREFIX}/accounts/ClientLogin", data={"Email": EMAIL, "Passwd": "wrong password!"}
    )
    assert wrong.status_code == 401 and "BadAuthentication" in wrong.text
    in_the_url = {"Email": EMAIL, "Passwd": PASSWORD}  # would be written to access logs
    assert client.post(f"{PREFIX}/accounts/ClientLogin", params=in_the_url).status_code == 401
    assert client.get(f"{PREFIX}/accounts/ClientLogin", params=in_the_url).status_code == 405
    assert client.get(f"{API}/subscription/list").status_code == 401
    forged = {"Authorization": "GoogleLogin auth=not-a-real-token"}
    assert client.get(f"{API}/subscription/list", headers=forged).status_code == 401


def test_client_login_cannot_be_used_to_guess_passwords(client: TestClient) -> None:
    for _ in range(accounts.ACCOUNT_LIMIT):
        guess = client.post(
            f"{PREFIX}/accounts/ClientLogin", data={"Email": EMAIL, "Passwd": "a wrong guess"}
        )
        assert guess.status_code == 401
    limited = client.post(
        f"{PREFIX}/accounts/ClientLogin", data={"Email": EMAIL, "Passwd": PASSWORD}
    )
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0


def test_an_api_token_works_as_an_app_password_until_revoked(
    client: TestClient, app_desk: Desk, newsroom: object
) -> None:
    store = newsroom.store  # type: ignore[attr-defined]
    token_id, token = store.accounts.create_api_token(
        app_desk.reader.id, "phone", datetime.now(UTC)
    )
    assert login(client, EMAIL, token) == token
    headers = {"Authorization": f"GoogleLogin auth={token}"}
    assert client.get(f"{API}/subscription/list", headers=headers).status_code == 200
    someone_else = client.post(
        f"{PREFIX}/accounts/ClientLogin", data={"Email": "other@example.com", "Passwd": token}
    )
    assert someone_else.status_code == 401
    store.accounts.revoke_api_token(app_desk.reader.id, token_id)
    assert client.get(f"{API}/subscription/list", headers=headers).status_code == 401


def test_subscriptions_are_the_readers_sources_and_the_picks_a_label(
    client: TestClient, auth: dict[str, str], app_desk: Desk
) -> None:
    subscriptions = client.get(f"{API}/subscription/list", headers=auth).json()["subscriptions"]
    assert {(s["id"], s["title"]) for s in subscriptions} == {
        (f"feed/{app_desk.ledger}", "Daily Ledger"),
        (f"feed/{app_desk.wire}", "Wire Service"),
    }
    tags = [t["id"] for t in client.get(f"{API}/tag/list", headers=auth).json()["tags"]]
    assert "user/-/label/Picks" in tags and "user/-/state/com.google/starred" in tags


def _ids(items: list[dict[str, object]]) -> list[int | None]:
    return [parse_item_id(str(item["id"])) for item in items]


def test_a_feeds_stream_carries_the_clean_article_and_marks_the_pick(
    client: TestClient, auth: dict[str, str], app_desk: Desk
) -> None:
    response = client.get(f"{API}/stream/contents/feed/{app_desk.ledger}", headers=auth)
    assert response.status_code == 200
    items = response.json()["items"]
    assert _ids(items) == [app_desk.pick]
    item = items[0]
    assert item["id"] == long_item_id(app_desk.pick)
    assert item["title"] == "Putin meets envoy"
    assert item["origin"]["streamId"] == f"feed/{app_desk.ledger}"
    assert "user/-/label/Picks" in item["categories"]
    content = item["summary"]["content"]
    assert BODY_SENTENCE in content and CAPTION in content and "<p>" in content
    assert "Picked because you follow Vladimir Putin" in content
    assert item["alternate"][0]["href"].startswith("https://")


def test_streams_hold_only_the_readers_items(
    client: TestClient, auth: dict[str, str], app_desk: Desk
) -> None:
    everything = client.get(f"{API}/stream/contents/user/-/state/com.google/reading-list",
                            headers=auth).json()["items"]  # fmt: skip
    assert set(_ids(everything)) == {app_desk.pick, app_desk.other}
    picks = client.get(f"{API}/stream/contents/user/-/label/Picks", headers=auth).json()
    assert _ids(picks["items"]) == [app_desk.pick]
    assert client.get(f"{API}/stream/contents/feed/999999", headers=auth).status_code == 404
    asked = [long_item_id(app_desk.unlisted), str(app_desk.other)]
    contents = client.post(f"{API}/stream/items/contents", data={"i": asked}, headers=auth)
    assert _ids(contents.json()["items"]) == [app_desk.other]


def test_item_ids_page_by_continuation_in_any_id_format(
    client: TestClient, auth: dict[str, str], app_desk: Desk
) -> None:
    everything = {"s": "user/-/state/com.google/reading-list", "n": "1"}
    first = client.get(f"{API}/stream/items/ids", params=everything, headers=auth).json()
    assert [r["id"] for r in first["itemRefs"]] == [str(app_desk.other)]  # newest found first
    more = {**everything, "c": first["continuation"]}
    rest = client.get(f"{API}/stream/items/ids", params=more, headers=auth).json()
    assert [r["id"] for r in rest["itemRefs"]] == [str(app_desk.pick)]
    assert "continuation" not in rest
    hex_form = f"{app_desk.other:016x}"
    contents = client.get(f"{API}/stream/items/contents", params={"i": hex_form}, headers=auth)
    assert _ids(contents.json()["items"]) == [app_desk.other]


def test_the_atom_stream_is_what_newsboat_reads(
    client: TestClient, auth: dict[str, str], app_desk: Desk
) -> None:
    response = client.get(f"{PREFIX}/reader/atom/feed%2F{app_desk.ledger}?n=20", headers=auth)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert long_item_id(app_desk.pick).encode() in response.content
    assert b'label="Picks"' in response.content
    assert BODY_SENTENCE.encode() in response.content


def test_item_ids_in_googles_three_spellings() -> None:
    assert long_item_id(255) == "tag:google.com,2005:reader/item/00000000000000ff"
    assert parse_item_id("tag:google.com,2005:reader/item/00000000000000ff") == 255
    assert parse_item_id("255") == 255
    assert parse_item_id("00000000000000ff") == 255
    assert parse_item_id("-1") is None  # 2**64 - 1: past what an id column holds
    assert parse_item_id("tag:google.com,2005:reader/item/xyz") is None
    assert parse_item_id("feed/1") is None


def test_request_bodies_are_capped(client: TestClient, auth: dict[str, str]) -> None:
    huge = "i=" + "1" * (2 * 1024 * 1024)
    response = client.post(f"{API}/edit-tag", content=huge, headers={
        **auth, "Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert response.status_code == 413


def _categories(client: TestClient, auth: dict[str, str], article_id: int) -> list[str]:
    response = client.get(f"{API}/stream/items/contents", params={"i": str(article_id)},
                          headers=auth)  # fmt: skip
    categories: list[str] = response.json()["items"][0]["categories"]
    return categories


def test_read_and_starred_marks_reach_the_readers_state_and_come_back(
    client: TestClient, auth: dict[str, str], app_desk: Desk, newsroom: object
) -> None:
    store = newsroom.store  # type: ignore[attr-defined]
    reader_id = app_desk.reader.id
    token = client.get(f"{API}/token", headers=auth).text
    mark = {"i": long_item_id(app_desk.pick), "a": READ, "T": token}
    marked = client.post(f"{API}/edit-tag", headers=auth, data=mark)
    assert marked.status_code == 200 and marked.text == "OK"
    assert store.reading.read_ids(reader_id, [app_desk.pick]) == {app_desk.pick}
    starred = client.post(f"{API}/edit-tag", headers=auth, data={
        "i": str(app_desk.other), "a": "user/-/state/com.google/starred"})  # fmt: skip
    assert starred.status_code == 200
    assert store.reading.saved_ids(reader_id, [app_desk.other]) == {app_desk.other}
    assert "user/-/state/com.google/read" in _categories(client, auth, app_desk.pick)
    assert "user/-/state/com.google/starred" in _categories(client, auth, app_desk.other)
    unread_only = {"s": EVERYTHING, "xt": READ}
    unread = client.get(f"{API}/stream/items/ids", headers=auth, params=unread_only)
    assert [r["id"] for r in unread.json()["itemRefs"]] == [str(app_desk.other)]
    saved = client.get(f"{API}/stream/contents/user/-/state/com.google/starred", headers=auth)
    assert _ids(saved.json()["items"]) == [app_desk.other]
    # Marked unread in the web app (the reading service): the app sees it unread again.
    store.reading.mark_unread(reader_id, [app_desk.pick], datetime.now(UTC))
    assert "user/-/state/com.google/read" not in _categories(client, auth, app_desk.pick)


def test_a_wrong_action_token_or_someone_elses_item_changes_nothing(
    client: TestClient, auth: dict[str, str], app_desk: Desk, newsroom: object
) -> None:
    store = newsroom.store  # type: ignore[attr-defined]
    forged = client.post(f"{API}/edit-tag", headers=auth, data={
        "i": str(app_desk.pick), "a": "user/-/state/com.google/read", "T": "forged"})  # fmt: skip
    assert forged.status_code == 401
    client.post(f"{API}/edit-tag", headers=auth, data={
        "i": str(app_desk.unlisted), "a": "user/-/state/com.google/read"})  # fmt: skip
    read = store.reading.read_ids(app_desk.reader.id, [app_desk.pick, app_desk.unlisted])
    assert read == set()


def test_mark_all_as_read_and_unread_counts(
    client: TestClient, auth: dict[str, str], app_desk: Desk
) -> None:
    counts = client.get(f"{API}/unread-count", headers=auth).json()["unreadcounts"]
    by_id = {row["id"]: row["count"] for row in counts}
    assert by_id[f"feed/{app_desk.ledger}"] == 1 and by_id[f"feed/{app_desk.wire}"] == 1
    assert by_id["user/-/label/Picks"] == 1
    assert by_id["user/-/state/com.google/reading-list"] == 2
    done = client.post(f"{API}/mark-all-as-read", headers=auth,
                       data={"s": f"feed/{app_desk.wire}"})  # fmt: skip
    assert done.text == "OK"
    counts = client.get(f"{API}/unread-count", headers=auth).json()["unreadcounts"]
    by_id = {row["id"]: row["count"] for row in counts}
    assert f"feed/{app_desk.wire}" not in by_id
    assert by_id["user/-/state/com.google/reading-list"] == 1
    client.post(f"{API}/mark-all-as-read", headers=auth,
                data={"s": "user/-/state/com.google/reading-list"})  # fmt: skip
    counts = client.get(f"{API}/unread-count", headers=auth).json()["unreadcounts"]
    assert {row["id"]: row["count"] for row in counts}["user/-/state/com.google/reading-list"] == 0
