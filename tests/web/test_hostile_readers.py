"""Hostile readers against the real server on loopback: reader B, signed in (a session for the
pages, an API token for ``/api/v1``), tries every route of the app on reader A's objects and
on the desk's own state.

The routes are not listed here: they are read from the app (every page route, and every
operation of ``/openapi.json``), so a route added later is attacked too. What each path
parameter, form field, JSON field or required query parameter is filled with comes from the
tables below; a route that asks for something the tables do not know fails the test, so a
new route cannot slip through unattacked.

For each route, B's request must not fail with 5xx; a path parameter that names one of A's
objects must get 403 or 404; admin routes must get 403; and afterwards A's state and the
desk-wide state are exactly as before, and nothing of A's private data (their email, their
own source's address, their follows, their token names, their feed token) is in the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from newsroom import Newsroom
from pydantic import BaseModel
from served import free_port, serving

from handpicked.deliver.outbox import Outbox
from handpicked.desk import accounts
from handpicked.store import ReaderRecord, Store
from handpicked.web.app import create_app
from handpicked.web.security import CSRF_COOKIE, SESSION_COOKIE

from .conftest import Seeded, web_settings

PASSWORD = "correct horse battery"
CSRF = "hostile-readers-csrf-token-0123456789abcdef"
A_EMAIL = "alice-private@example.com"
A_SOURCE = "https://alice-private-feed.example/rss.xml"
A_PHRASE = "alice secret phrase"
A_TOKEN_NAME = "alice laptop token"


@dataclass
class Actor:
    reader: ReaderRecord
    bearer: str
    token_id: int
    session: str = ""


@dataclass
class Desk:
    """The server, its store and the three readers."""

    base: str
    store: Store
    app: FastAPI
    admin: Actor
    alice: Actor
    bob: Actor
    alice_source: int
    desk_source: int
    seeded: Seeded
    alice_search: int
    alice_delivery: int


def _actor(store: Store, email: str, token_name: str) -> Actor:
    now = datetime.now(UTC)
    reader = accounts.sign_up(store, email, PASSWORD, now)
    token_id, bearer = store.accounts.create_api_token(reader.id, token_name, now)
    return Actor(reader, bearer, token_id)


@pytest.fixture
def desk(newsroom: Newsroom, seeded: Seeded, tmp_path: Path) -> Iterator[Desk]:
    store = newsroom.store
    admin = _actor(store, "admin@example.com", "admin token")  # the first account: admin
    alice = _actor(store, A_EMAIL, A_TOKEN_NAME)
    bob = _actor(store, "bob@example.com", "bob token")
    assert admin.reader.is_admin and not alice.reader.is_admin and not bob.reader.is_admin
    now = datetime.now(UTC)
    source, _new = store.sources.add(A_SOURCE, "feed", title="Alice's own feed")
    store.subscriptions.add(alice.reader.id, source.id, now)
    desk_source, _new = store.sources.add(
        "https://desk-wide.example/feed.xml", "feed", desk_wide=True
    )
    store.interests.set(alice.reader.id, mode="follow", kind="phrase", key=A_PHRASE,
                        label=A_PHRASE, now=now)  # fmt: skip
    store.feedback.add(alice.reader.id, seeded.putin, "more", now)
    search, _before = store.interests.set(alice.reader.id, mode="follow", kind="search",
                                          key="putin", label="Putin", now=now)  # fmt: skip

    port = free_port()
    settings = web_settings(tmp_path, f"http://127.0.0.1:{port}")
    delivery = _alices_digest_in_the_outbox(store, alice.reader, Outbox.for_settings(settings))
    app = create_app(settings, store)
    with serving(app, port) as base:
        yield Desk(base, store, app, admin, alice, bob, source.id, desk_source.id, seeded,
                   search.id, delivery)  # fmt: skip


def _alices_digest_in_the_outbox(store: Store, alice: ReaderRecord, outbox: Outbox) -> int:
    now = datetime.now(UTC)
    delivery = store.deliveries.claim(alice.id, "hostile", "test:alice", now)
    assert delivery is not None
    message = EmailMessage()
    message["Subject"] = "Your news"
    message["Message-ID"] = "<digest-1@hostile.test>"
    message.set_content("Your news.")
    message.add_alternative("<p>Your news.</p>", subtype="html")
    outbox.write(message)
    store.deliveries.mark_sending(delivery.id, message_id=message["Message-ID"], story_ids=[],
                                  article_ids=[], items=[], since=now - timedelta(days=1),
                                  now=now)  # fmt: skip
    store.deliveries.mark_sent(delivery.id, now)
    return delivery.id


# --- the routes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    """As declared, e.g. ``/api/v1/sources/{source_id:id}``."""
    route: APIRoute

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def is_admin(self) -> bool:
        return self.path.startswith(("/admin", "/api/v1/admin"))

    @property
    def params(self) -> list[str]:
        return [param.name for param in self.route.dependant.path_params]


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):  # FastAPI's included routers
            yield from _walk(route.original_router.routes, prefix + route.include_context.prefix)


def app_routes(app: FastAPI) -> list[Route]:
    return [
        Route(method, path, route)
        for path, route in _walk(app.routes)
        for method in sorted(route.methods or ())
        if method != "HEAD"
    ]


def _plain(path: str) -> str:
    """``/sources/{source_id:id}`` as OpenAPI writes it: ``/sources/{source_id}``."""
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", path)


# --- the tables: how B fills each route --------------------------------------------------------

OWNED = "owned"
"""A path parameter naming one of A's objects: B must get 403 or 404."""
SHARED = "shared"
"""A path parameter naming something every signed-in reader may read (articles, stories)."""
CAPABILITY = "capability"
"""A secret token from an email or a feed URL: B guesses, and must get 4xx."""

PATH_PARAMS: dict[str, tuple[str, Callable[[Desk], str]]] = {
    "source_id": (OWNED, lambda d: str(d.alice_source)),
    "token_id": (OWNED, lambda d: str(d.alice.token_id)),
    "reader_id": (OWNED, lambda d: str(d.alice.reader.id)),
    "article_id": (SHARED, lambda d: str(d.seeded.putin)),
    "story_id": (SHARED, lambda d: str(d.seeded.putin_story)),
    "token": (CAPABILITY, lambda d: "WzEsMiwibW9yZSJd.forged-by-bob"),
    "delivery_id": (OWNED, lambda d: str(d.alice_delivery)),
    "interest_id": (OWNED, lambda d: str(d.alice_search)),
    "stream_id": (OWNED, lambda d: f"feed/{d.alice_source}"),
    "key": (SHARED, lambda d: "0" * 32),
}
"""Path parameter → (what it is, B's value). Another helper's new parameter goes here."""

FIELDS: dict[str, Callable[[Desk], object]] = {
    "email": lambda d: A_EMAIL,
    "password": lambda d: "not alice's password",
    "new_password": lambda d: "bob takes over alice",
    "current_password": lambda d: "not the password",
    "name": lambda d: "bob's token",
    "next": lambda d: "/",
    "time_zone": lambda d: "Pacific/Auckland",
    "schedule": lambda d: "daily 05:00",
    "max_items": lambda d: 3,
    "language": lambda d: "de",
    "thing": lambda d: "phrase:bob's own words",
    "mode": lambda d: "mute",
    "kind": lambda d: "phrase",
    "key": lambda d: "bob's own words",
    "article_id": lambda d: d.seeded.putin,
    "url": lambda d: "http://127.0.0.1:9/bob-feed.xml",  # refused at once: nothing listens
    "opml": lambda d: b"<opml version='2.0'><body/></opml>",
    "invite": lambda d: "inv_forged-by-bob",
    "signup_mode": lambda d: "open",
    "shared_pool": lambda d: True,
    "since": lambda d: "2020-01-01T00:00:00Z",
    "limit": lambda d: 5,
    "q": lambda d: "Putin",
}
"""Form field, JSON field or query parameter → B's value (A's things where it can matter)."""


def _fill(desk: Desk, route: Route, name: str, *, required: bool) -> object | None:
    if name in FIELDS:
        return FIELDS[name](desk)
    if required:
        pytest.fail(f"{route.method} {route.path}: the hostile-reader tables cannot fill {name!r}")
    return None


def _body(desk: Desk, route: Route) -> dict[str, Any]:
    """The request's body and query as httpx keyword arguments."""
    dependant = route.route.dependant
    query = {}
    for param in dependant.query_params:
        value = _fill(desk, route, param.name, required=param.field_info.is_required())
        if value is not None:
            query[param.name] = value
    options: dict[str, Any] = {"params": query}
    bodies = dependant.body_params
    if not bodies:
        return options
    model = bodies[0].field_info.annotation
    if len(bodies) == 1 and isinstance(model, type) and issubclass(model, BaseModel):
        options["json"] = {
            name: _fill(desk, route, name, required=field.is_required())
            for name, field in model.model_fields.items()
            if name in FIELDS or field.is_required()
        }
        return options
    form: dict[str, str] = {"csrf_token": CSRF}
    files = {}
    for param in bodies:
        value = _fill(desk, route, param.name, required=param.field_info.is_required())
        if isinstance(value, bytes):
            files[param.name] = ("file.opml", value, "text/x-opml")
        elif value is not None:
            form[param.name] = str(value).lower() if isinstance(value, bool) else str(value)
    if form.get("shared_pool") == "true":
        form["shared_pool"] = "on"
    options["data"] = form
    if files:
        options["files"] = files
    return options


def _path(desk: Desk, route: Route) -> str:
    path = route.path
    for name in route.params:
        if name not in PATH_PARAMS:
            pytest.fail(f"{route.method} {route.path}: no value for the path parameter {name!r}")
        value = PATH_PARAMS[name][1](desk)
        path = re.sub(rf"\{{{name}(?::\w+)?\}}", value.replace("\\", "\\\\"), path)
    return path


def _app_auth(path: str, actor: Actor) -> dict[str, str]:
    """Apps' routes (the Google Reader API) take the token in their own header."""
    if path.startswith("/api/greader.php"):
        return {"Authorization": f"GoogleLogin auth={actor.bearer}"}
    return {}


def _client(desk: Desk, actor: Actor) -> httpx2.Client:
    """A client signed in as ``actor``: a fresh session cookie and CSRF token for the pages,
    the bearer token for the API."""
    actor.session = desk.store.accounts.create_session(
        actor.reader.id, datetime.now(UTC), timedelta(hours=1)
    )
    return httpx2.Client(
        base_url=desk.base,
        cookies={SESSION_COOKIE: actor.session, CSRF_COOKIE: CSRF},
        headers={"Authorization": f"Bearer {actor.bearer}", "X-CSRF-Token": CSRF},
        follow_redirects=False,
        timeout=30,
    )


# --- what must not change ------------------------------------------------------------------------


def alice_state(desk: Desk) -> dict[str, object]:
    store, alice = desk.store, desk.alice.reader.id
    reader = store.readers.get(reader_id=alice)
    return {
        "reader": reader,
        "password": store.readers.password_hash(alice),
        "sources": [s.id for s in store.subscriptions.sources_of(alice)],
        "source": store.sources.get(desk.alice_source) is not None,
        "interests": store.interests.of_readers([alice]),
        "feedback": store.feedback.of_readers([alice]),
        "tokens": store.accounts.api_tokens(alice),
        "token works": store.accounts.api_token_reader(desk.alice.bearer, datetime.now(UTC))
        is not None,
        "deliveries": store.deliveries.list(alice),
    }


def desk_state(desk: Desk) -> dict[str, object]:
    store = desk.store
    return {
        "desk-wide": [(s.id, s.url) for s in store.sources.list(desk_wide=True)],
        "readers": [(r.id, r.email, r.is_admin, r.verified_at) for r in store.readers.list()],
        "settings": store.desk_settings.all(),
        "invites": store.invites.live_count(datetime.now(UTC)),
    }


def _comparable(state: dict[str, object]) -> dict[str, object]:
    """``last_used_at`` of tokens moves when A's own token is checked: not B's doing."""
    tokens = state.get("tokens")
    if isinstance(tokens, list):
        state = {**state, "tokens": [{**t, "last_used_at": None} for t in tokens]}
    return state


SECRETS = (A_EMAIL, A_SOURCE, "alice-private-feed", A_PHRASE, A_TOKEN_NAME)


def test_every_route_is_attacked(desk: Desk) -> None:
    """The routes read from the app include every operation of /openapi.json."""
    routes = {(r.method, _plain(r.path)) for r in app_routes(desk.app)}
    with httpx2.Client(base_url=desk.base) as client:
        spec = client.get("/openapi.json").json()
    operations = {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert operations and operations <= routes, operations - routes
    assert len(routes) > len(operations)  # and the pages


def test_reader_b_cannot_reach_a_or_change_the_desk(desk: Desk) -> None:
    failures: list[str] = []
    feed_token = desk.alice.reader.feed_token
    for route in app_routes(desk.app):
        before_alice, before_desk = _comparable(alice_state(desk)), desk_state(desk)
        path = _path(desk, route)
        options = _body(desk, route)
        with _client(desk, desk.bob) as bob:
            answer = bob.request(route.method, path, headers=_app_auth(path, desk.bob), **options)
        where = f"{route.method} {path}"
        kinds = {PATH_PARAMS[name][0] for name in route.params}
        if answer.status_code >= 500:
            failures.append(f"{where}: {answer.status_code}")
        if OWNED in kinds and answer.status_code not in (403, 404):
            failures.append(f"{where}: B got {answer.status_code} on A's object")
        if CAPABILITY in kinds and not 400 <= answer.status_code < 500:
            failures.append(f"{where}: a forged link got {answer.status_code}")
        if route.is_admin and answer.status_code != 403:
            failures.append(f"{where}: B (not admin) got {answer.status_code}")
        leaked = [s for s in (*SECRETS, feed_token) if s in answer.text]
        if leaked and route.path not in ("/signin", "/signin/link", "/signup"):
            failures.append(f"{where}: the answer shows A's {leaked}")
        if _comparable(alice_state(desk)) != before_alice:
            failures.append(f"{where}: A's state changed")
        if desk_state(desk) != before_desk:
            failures.append(f"{where}: the desk-wide state changed")
    assert failures == []


def test_the_owner_and_the_admin_reach_what_b_could_not(desk: Desk) -> None:
    """The tables fill routes with real objects: A reads them, the admin uses admin routes."""
    for route in app_routes(desk.app):
        kinds = {PATH_PARAMS[name][0] for name in route.params if name in PATH_PARAMS}
        if route.method != "GET" or not (OWNED in kinds or route.is_admin):
            continue
        if CAPABILITY in kinds:  # opened by a secret, not a session (tests/web/test_search.py)
            continue
        actor = desk.admin if route.is_admin else desk.alice
        with _client(desk, actor) as client:
            path = _path(desk, route)
            answer = client.get(path, headers=_app_auth(path, actor), **_body(desk, route))
        assert answer.status_code == 200, (route.path, answer.text[:200])
    with _client(desk, desk.admin) as admin:
        changed = admin.patch("/api/v1/admin/desk", json={"signup_mode": "closed"})
        assert changed.status_code == 200 and changed.json()["signup_mode"] == "closed"
        removed = admin.delete(f"/api/v1/admin/readers/{desk.alice.reader.id}")
        assert removed.status_code == 204
    assert desk.store.readers.get(reader_id=desk.alice.reader.id) is None
    assert desk.store.sources.get(desk.alice_source) is None  # nobody else followed it
    assert desk.store.sources.get(desk.desk_source) is not None
