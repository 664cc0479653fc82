"""The API's OpenAPI document is true: schemathesis sends generated requests to every
``/api/v1`` operation (with a valid bearer token, and without one for the auth checks) and
checks that nothing fails with a 5xx, that every status code is documented and that every
answer matches its documented schema, headers and media type."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from newsroom import Newsroom
from starlette.testclient import TestClient

from handpicked.article import Image
from handpicked.desk.accounts import sign_up
from handpicked.settings import Settings
from handpicked.store import Store, open_store
from handpicked.web.app import create_app

Case = schemathesis.Case[Any]
PASSWORD = "correct horse battery staple"


@dataclass
class Served:
    """The app over a store with news, and a reader's API token."""

    app: FastAPI
    store: Store
    folder: Path
    reader_id: int
    token: str

    def live_token(self) -> str:
        """A working token: generated cases may revoke it (DELETE /tokens/{id}), so a new one
        is made when it was."""
        now = datetime.now(UTC)
        if self.store.accounts.api_token_reader(self.token, now) is None:
            _id, self.token = self.store.accounts.create_api_token(self.reader_id, "schema", now)
        return self.token

    def close(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def serve() -> Served:
    """A reader who follows and mutes, with feedback, a failed delivery and a token; a story
    with a syndicated copy, another article and a source."""
    folder = Path(tempfile.mkdtemp(prefix="handpicked-openapi-"))
    database_url = f"sqlite:///{folder / 'news.db'}"
    store = open_store(database_url)
    newsroom = Newsroom(store, now=datetime.now(UTC))
    picture = Image("https://jns.example/a.jpg", caption="A hall", credit="JNS")
    original = newsroom.article("Leave now", "JNS", entities=[("Vladimir Putin", "person")],
                                topics=["politics"], story="s", images=[picture])  # fmt: skip
    newsroom.article("Leave now", "The Ledger", story="s", duplicate_of=original)
    newsroom.article("Budget vote", topics=["politics"], entities=[("Olaf Scholz", "person")])
    store.sources.add("https://one.example/feed.xml", "feed", title="One")
    reader = sign_up(store, "ann@example.com", PASSWORD, newsroom.now)
    newsroom.follow(reader, "Putin")
    newsroom.follow(reader, "IRGC", mode="mute")
    store.feedback.add(reader.id, original, "more", newsroom.now)
    delivery = store.deliveries.claim(reader.id, "2026-01-01T07:00Z", "host:1", newsroom.now)
    assert delivery is not None
    store.deliveries.mark_failed(delivery.id, "SMTP said no", newsroom.now)
    _id, token = store.accounts.create_api_token(reader.id, "schema", newsroom.now)
    # No private networks: POST /sources refuses loopback and private addresses at once.
    # Generated bodies are rarely http(s) addresses (others are refused before any fetch);
    # one that is costs a DNS lookup that fails, the way generated host names do.
    settings_ = Settings(
        data_dir=folder,
        database_url=database_url,
        allow_private_networks=False,
        base_url="http://testserver",
        secret_key_value="test",
    )
    return Served(create_app(settings_, store), store, folder, reader.id, token)


# Made at import, not in a fixture: schemathesis builds its coverage cases (with their auth
# header) while pytest collects, so the app and the token must exist then. The module's
# fixture closes it; atexit cleans up when the module's tests were deselected.
SERVED = serve()
atexit.register(SERVED.close)
schema = schemathesis.openapi.from_asgi("/openapi.json", SERVED.app)


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    yield SERVED
    SERVED.close()


@schema.auth(refresh_interval=None)
class BearerToken:
    """The reader's token on every case, except where schemathesis leaves auth out or spoils
    it on purpose (negative cases, and its check that requests without a token are refused)."""

    def get(self, case: Case, context: schemathesis.AuthContext) -> str:
        return SERVED.live_token()

    def set(self, case: Case, data: str, context: schemathesis.AuthContext) -> None:
        case.headers["Authorization"] = f"Bearer {data}"


# Where a request can be schema-valid and still unusable, the API answers 422 with the reason
# (as it must: an unknown time zone, a schedule or a thing it cannot read, an address that
# does not serve a feed, a body that is not OPML), so schemathesis's "schema-valid data is
# accepted" check does not apply to these operations. Every other check still does.
MEANING_BEYOND_THE_SCHEMA = {
    "PATCH /api/v1/me",
    "POST /api/v1/interests",
    "DELETE /api/v1/interests",
    "POST /api/v1/sources",
    "POST /api/v1/sources/opml",
    "POST /api/v1/admin/sources",
    "GET /api/v1/search",  # a query with nothing to look for: 400, as the document says
}


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_to_the_document(case: Case, served: Served) -> None:
    if case.headers and case.headers.get("Authorization", "").startswith("Bearer hp_"):
        # Made at collection: the token may have been revoked by a generated DELETE since.
        case.headers["Authorization"] = f"Bearer {served.live_token()}"
    excluded = []
    if case.operation.label in MEANING_BEYOND_THE_SCHEMA:
        excluded.append(schemathesis.checks.positive_data_acceptance)
    case.call_and_validate(excluded_checks=excluded)


def test_every_api_path_is_documented_with_bearer_auth(served: Served) -> None:
    with TestClient(served.app) as client:
        document = client.get("/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "hp_…",
        "description": schemes["bearer"]["description"],
    }
    paths = document["paths"]
    expected = {
        ("post", "/api/v1/tokens"), ("get", "/api/v1/tokens"),
        ("delete", "/api/v1/tokens/{token_id}"), ("get", "/api/v1/me"),
        ("patch", "/api/v1/me"), ("get", "/api/v1/picks"), ("get", "/api/v1/digest/preview"),
        ("get", "/api/v1/interests"), ("post", "/api/v1/interests"),
        ("delete", "/api/v1/interests"), ("get", "/api/v1/suggestions"),
        ("post", "/api/v1/feedback"), ("get", "/api/v1/stories"),
        ("get", "/api/v1/stories/{story_id}"), ("get", "/api/v1/articles"),
        ("get", "/api/v1/articles/{article_id}"), ("get", "/api/v1/sources"),
        ("post", "/api/v1/sources"), ("delete", "/api/v1/sources/{source_id}"),
        ("get", "/api/v1/sources/opml"), ("post", "/api/v1/sources/opml"),
        ("get", "/api/v1/deliveries"), ("get", "/api/v1/admin/desk"),
        ("patch", "/api/v1/admin/desk"), ("post", "/api/v1/admin/invites"),
        ("get", "/api/v1/admin/readers"), ("delete", "/api/v1/admin/readers/{reader_id}"),
        ("get", "/api/v1/admin/sources"), ("post", "/api/v1/admin/sources"),
        ("delete", "/api/v1/admin/sources/{source_id}"),
        ("delete", "/api/v1/me"), ("get", "/api/v1/me/export"), ("post", "/api/v1/me/feed-url"),
        ("get", "/api/v1/deliveries"),
        # reading state
        ("get", "/api/v1/reading"), ("get", "/api/v1/saved"), ("get", "/api/v1/unread-counts"),
        ("post", "/api/v1/mark-all-read"), ("get", "/api/v1/articles/{article_id}/state"),
        ("post", "/api/v1/articles/{article_id}/read"),
        ("delete", "/api/v1/articles/{article_id}/read"),
        ("put", "/api/v1/articles/{article_id}/saved"),
        ("delete", "/api/v1/articles/{article_id}/saved"),
        ("get", "/api/v1/deliveries"), ("get", "/api/v1/search"),
    }  # fmt: skip
    documented = {
        (method, path)
        for path, item in paths.items()
        if path.startswith("/api/v1/")
        for method in item
    }
    assert documented == expected
    for method, path in expected:
        operation = paths[path][method]
        assert operation["tags"] and operation["summary"], (method, path)
        public = (method, path) == ("post", "/api/v1/tokens")
        assert operation.get("security") == (None if public else [{"bearer": []}]), path
        if not public:
            assert "401" in operation["responses"], path
        for code, response in operation["responses"].items():
            if code.startswith(("4", "5")):
                schema_ref = response["content"]["application/json"]["schema"]["$ref"]
                assert schema_ref == "#/components/schemas/ErrorOut", (method, path, code)
    for name, model in document["components"]["schemas"].items():
        for field, spec in model.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field} has no description"


def test_the_document_and_the_docs_page_are_served(served: Served) -> None:
    with TestClient(served.app) as client:
        assert client.get("/api/docs").status_code == 200
        assert client.get("/openapi.json").json()["info"]["title"] == "handpicked"
