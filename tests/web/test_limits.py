"""Limits that hold under abuse, against the real app: request body caps (on the TestClient
and on a real uvicorn server on loopback, with the server's memory measured)."""

from __future__ import annotations

import json
import select
import socket
import threading
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from newsroom import Newsroom
from served import free_port, serving
from starlette.testclient import TestClient

from handpicked.desk import accounts
from handpicked.store import ReaderRecord
from handpicked.web.app import create_app
from handpicked.web.security import CSRF_COOKIE

from .conftest import EMAIL, PASSWORD, Seeded, csrf_token, post_form, web_settings

MB = 1024 * 1024


@pytest.fixture
def server(newsroom: Newsroom, seeded: Seeded, tmp_path: Path) -> Iterator[tuple[str, int]]:
    """The app on a real uvicorn server in a thread: (host, port)."""
    port = free_port()
    app = create_app(web_settings(tmp_path, f"http://127.0.0.1:{port}"), newsroom.store)
    with serving(app, port):
        yield "127.0.0.1", port


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def _send_big_body(address: tuple[str, int], *, chunked: bool, total: int = 50 * MB) -> bytes:
    """POST ``total`` bytes of JSON to /api/v1/tokens from one reused 64 KB buffer, stopping
    when the server answers; returns what the server said."""
    piece = b" " * (64 * 1024)
    framing = b"Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}".encode()
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(b"POST /api/v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\n" + framing + b"\r\n\r\n")  # fmt: skip
        sent = 0
        try:
            while sent < total and not select.select([sock], [], [], 0)[0]:
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
                sent += len(piece)
            if chunked and sent >= total:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the server stopped reading: its answer is waiting
        answer = b""
        while not answer.endswith(b"}"):
            more = sock.recv(4096)
            if not more:
                break
            answer += more
        return answer


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_50_mb_json_body_is_refused_without_being_buffered(
    server: tuple[str, int], chunked: bool
) -> None:
    tracemalloc.start()
    try:
        answer = _send_big_body(server, chunked=chunked)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * MB, f"the server held {peak / MB:.1f} MB"
    assert _status(answer) == 413, answer[:300]
    assert b"too large" in answer


def test_json_and_form_bodies_over_1_mb_are_refused(client: TestClient) -> None:
    big = json.dumps({"email": EMAIL, "password": "x" * (2 * MB)})
    response = client.post(
        "/api/v1/tokens", content=big, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    form = post_form(client, "/signin", {"email": EMAIL, "password": "x" * (2 * MB)})
    assert form.status_code == 413


def test_a_chunked_form_over_the_cap_is_refused(client: TestClient) -> None:
    def pieces() -> Iterator[bytes]:
        yield b"email=a%40example.com&password="
        for _ in range(40):
            yield b"x" * 64 * 1024

    response = client.post(
        "/signin", content=pieces(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413


def test_an_opml_upload_may_be_bigger_than_a_form(
    client: TestClient, account: ReaderRecord
) -> None:
    token = client.post("/api/v1/tokens", json={"email": EMAIL, "password": PASSWORD})
    assert token.status_code == 201, token.text
    padding = "<!--" + "x" * (int(1.5 * MB)) + "-->"
    opml = f'<?xml version="1.0"?><opml version="2.0">{padding}<body/></opml>'
    response = client.post(
        "/api/v1/sources/opml",
        content=opml,
        headers={
            "content-type": "text/x-opml",
            "authorization": f"Bearer {token.json()['token']}",
        },
    )
    assert response.status_code != 413, response.text
    too_big = "x" * (3 * MB)
    refused = client.post(
        "/api/v1/sources/opml",
        content=too_big,
        headers={
            "content-type": "text/x-opml",
            "authorization": f"Bearer {token.json()['token']}",
        },
    )
    assert refused.status_code == 413


@pytest.mark.parametrize("path", ["/signin", "/api/v1/me", "/static/site.css", "/nowhere"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_the_digest_preview_may_be_framed_by_our_settings_page(reader_client: TestClient) -> None:
    response = reader_client.get("/settings/preview")
    assert response.status_code == 200
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]


def test_a_refused_body_is_answered_with_the_security_headers(client: TestClient) -> None:
    response = client.post("/api/v1/tokens", content=b"{" * (2 * MB))
    assert response.status_code == 413
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/articles/99999999999999999999",
        "/stories/99999999999999999999",
        "/articles/9223372036854775808",
    ],
)
def test_page_ids_past_64_bits_are_not_found(reader_client: TestClient, path: str) -> None:
    assert reader_client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/articles/99999999999999999999"),
        ("GET", "/api/v1/stories/99999999999999999999"),
        ("DELETE", "/api/v1/sources/99999999999999999999"),
        ("DELETE", "/api/v1/tokens/99999999999999999999"),
    ],
)
def test_api_ids_past_64_bits_are_not_found(
    client: TestClient, account: ReaderRecord, method: str, path: str
) -> None:
    token = client.post("/api/v1/tokens", json={"email": EMAIL, "password": PASSWORD})
    headers = {"authorization": f"Bearer {token.json()['token']}"}
    assert client.request(method, path, headers=headers).status_code == 404


def test_forms_with_ids_past_64_bits_are_not_found(reader_client: TestClient) -> None:
    removed = post_form(reader_client, "/sources/99999999999999999999/remove", {})
    assert removed.status_code == 404
    noted = post_form(reader_client, "/picks/99999999999999999999/feedback", {"kind": "more"})
    assert noted.status_code == 404


def test_a_notice_quotes_only_text_the_app_signed(reader_client: TestClient) -> None:
    followed = post_form(reader_client, "/follows", {"thing": "Putin", "mode": "follow"})
    assert "Now following Vladimir Putin." in followed.text
    forged = reader_client.get("/follows?done=followed&what=Call+0800+to+claim+your+prize")
    assert forged.status_code == 200
    assert "prize" not in forged.text
    tampered = followed.url.copy_set_param("what", "Call 0800 to claim your prize")
    assert "prize" not in reader_client.get(tampered).text
    fixed = reader_client.get("/settings?done=settings")
    assert "Settings saved." in fixed.text


@pytest.mark.parametrize(
    "variant", ["reader@example.com.", "Reader@Example.COM", " reader@EXAMPLE.com. "]
)
def test_one_address_is_one_account_however_it_is_written(
    client: TestClient, account: ReaderRecord, variant: str
) -> None:
    client.app.state.web.desk.admin.set_policy(account, signup_mode="open")  # type: ignore[attr-defined]
    signed_up = post_form(
        client, "/signup", {"email": variant, "password": "another long password"}
    )
    assert "already has an account" in signed_up.text
    signed_in = post_form(client, "/signin", {"email": variant, "password": PASSWORD})
    assert signed_in.status_code == 200 and signed_in.url.path == "/", signed_in.text


def test_signing_in_gives_a_new_csrf_token(client: TestClient, account: ReaderRecord) -> None:
    before = csrf_token(client)
    signed_in = post_form(client, "/signin", {"email": EMAIL, "password": PASSWORD})
    assert signed_in.url.path == "/"
    after = client.cookies.get(CSRF_COOKIE)
    assert after and after != before
    assert f'value="{after}"' in signed_in.text


def test_a_password_change_revokes_api_tokens_and_other_sessions(
    app: FastAPI, reader_client: TestClient
) -> None:
    token = reader_client.post("/api/v1/tokens", json={"email": EMAIL, "password": PASSWORD})
    bearer = {"authorization": f"Bearer {token.json()['token']}"}
    assert reader_client.get("/api/v1/me", headers=bearer).status_code == 200
    with TestClient(app) as other_device:
        post_form(other_device, "/signin", {"email": EMAIL, "password": PASSWORD})
        assert other_device.get("/settings", follow_redirects=False).status_code == 200
        new = {"current_password": PASSWORD, "new_password": "a brand new password"}
        changed = post_form(reader_client, "/settings/password", new)
        assert "API tokens revoked" in changed.text
        assert other_device.get("/settings", follow_redirects=False).status_code == 303
    assert reader_client.get("/api/v1/me", headers=bearer).status_code == 401
    assert reader_client.get("/settings", follow_redirects=False).status_code == 200


def test_concurrent_wrong_passwords_get_no_more_tries_than_the_limit(
    newsroom: Newsroom, account: ReaderRecord
) -> None:
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            accounts.authenticate(newsroom.store, EMAIL, "wrong guess", "203.0.113.9", now())
        except accounts.TooManyAttempts:
            outcomes.append("limited")
        except accounts.AccountError:
            outcomes.append("checked")

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 40
    assert outcomes.count("checked") <= accounts.ACCOUNT_LIMIT


def test_wrong_passwords_do_not_lock_the_owner_out_of_sign_in_links(
    client: TestClient, account: ReaderRecord
) -> None:
    for _ in range(accounts.ACCOUNT_LIMIT + 2):
        post_form(client, "/signin", {"email": EMAIL, "password": "wrong guess"})
    limited = post_form(client, "/signin", {"email": EMAIL, "password": PASSWORD})
    assert limited.status_code == 429
    links = [post_form(client, "/signin/link", {"email": EMAIL}) for _ in range(4)]
    assert [link.status_code for link in links[:3]] == [200, 200, 200]
    assert links[3].status_code == 429  # and sign-in-link emails have their own cap


def now() -> datetime:
    return datetime.now(UTC)
