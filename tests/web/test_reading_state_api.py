"""Reading state through the JSON API: read and unread, saved for later, "mark all as read"
up to a moment, the list of all stories with unread counts, each reader's own."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from newsroom import Newsroom
from starlette.testclient import TestClient

from handpicked.desk import accounts

from .conftest import Seeded

API = "/api/v1"


class Api:
    """A client with one reader's bearer token."""

    def __init__(self, client: TestClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def __call__(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.client.request(method, API + path, headers=self.headers, **kwargs)
        assert response.status_code == status, response.text
        return response.json()


def _api(client: TestClient, newsroom: Newsroom, email: str) -> Api:
    reader = accounts.sign_up(newsroom.store, email, "correct horse battery", newsroom.now)
    _id, token = newsroom.store.accounts.create_api_token(reader.id, "test", newsroom.now)
    return Api(client, token)


@pytest.fixture
def ann(app: FastAPI, newsroom: Newsroom) -> Api:
    return _api(TestClient(app), newsroom, "ann@example.com")


@pytest.fixture
def bob(app: FastAPI, newsroom: Newsroom) -> Api:
    return _api(TestClient(app), newsroom, "bob@example.com")


def test_read_and_saved_are_each_readers_own(ann: Api, bob: Api, seeded: Seeded) -> None:
    assert ann("GET", f"/articles/{seeded.vote}/state") == {
        "article_id": seeded.vote,
        "read": False,
        "saved": False,
        "saved_at": None,
    }
    assert ann("POST", f"/articles/{seeded.vote}/read")["read"] is True
    saved = ann("PUT", f"/articles/{seeded.putin}/saved")
    assert saved["saved"] is True and saved["read"] is False
    assert bob("GET", f"/articles/{seeded.vote}/state")["read"] is False
    assert bob("GET", "/saved")["items"] == []
    assert [item["id"] for item in ann("GET", "/saved")["items"]] == [seeded.putin]
    assert ann("DELETE", f"/articles/{seeded.vote}/read")["read"] is False
    assert ann("DELETE", f"/articles/{seeded.putin}/saved")["saved"] is False
    assert ann("GET", "/saved")["total"] == 0


def test_all_stories_lists_newest_first_with_unread_counts(ann: Api, seeded: Seeded) -> None:
    everything = ann("GET", "/reading")
    ids = [item["id"] for item in everything["items"]]
    assert seeded.putin_copy not in ids, "syndicated copies are not listed twice"
    assert set(ids) == {
        seeded.putin,
        seeded.putin_wire,
        seeded.vote,
        seeded.vote_irgc,
        seeded.hostile,
    }
    found = [item["published"] for item in everything["items"]]
    assert found == sorted(found, reverse=True)
    assert everything["unread"] == everything["total"] == 5
    ann("POST", f"/articles/{seeded.putin}/read")
    unread = ann("GET", "/reading", params={"show": "unread", "per_page": 2})
    assert (unread["total"], unread["unread"], unread["pages"], len(unread["items"])) == (
        4,
        4,
        2,
        2,
    )
    assert all(not item["read"] for item in unread["items"])
    read = ann("GET", "/reading", params={"show": "read"})
    assert [item["id"] for item in read["items"]] == [seeded.putin]
    assert ann("GET", "/unread-counts") == {
        "total": 4,
        "sources": [{"source_id": None, "unread": 4}],
    }


def test_mark_all_read_spares_what_came_after(ann: Api, seeded: Seeded, newsroom: Newsroom) -> None:
    listed = ann("GET", "/reading")
    newsroom.now = datetime.fromisoformat(listed["as_of"]) + timedelta(milliseconds=1)
    later = newsroom.article("Found after the list was made", hours_ago=0)
    marked = ann("POST", "/mark-all-read", json={"up_to": listed["as_of"]})
    assert datetime.fromisoformat(marked["up_to"]) == datetime.fromisoformat(listed["as_of"])
    unread = ann("GET", "/reading", params={"show": "unread"})
    assert [item["id"] for item in unread["items"]] == [later]
    assert ann("GET", f"/articles/{seeded.vote}/state")["read"] is True
    time.sleep(0.01)
    ann("POST", "/mark-all-read", json={})
    assert ann("GET", "/unread-counts")["total"] == 0


def test_other_articles_and_bad_requests_are_refused(ann: Api, seeded: Seeded) -> None:
    missing = seeded.hostile + 1000
    for method, path in (
        ("GET", "state"),
        ("POST", "read"),
        ("DELETE", "read"),
        ("PUT", "saved"),
        ("DELETE", "saved"),
    ):
        ann(method, f"/articles/{missing}/{path}", status=404)
    ann("GET", "/reading", status=422, params={"show": "everything"})
    ann("GET", "/reading", status=422, params={"per_page": 1000})
    ann("POST", "/mark-all-read", status=422, json={"until": "yesterday"})
    response = ann.client.get(API + "/reading")
    assert response.status_code == 401
