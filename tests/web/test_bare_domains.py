"""A source can be added by a bare domain, as a follow can: ``bbc.co.uk`` is
``https://bbc.co.uk/`` (and plain http when https cannot be reached), whose feed discovery
then finds. Tested on a loopback site (plain http) given as ``127.0.0.1:PORT``, with the
private-network setting on, through the web form, the API and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from loopback import cli_env, run_cli
from newsroom import Newsroom
from starlette.testclient import TestClient

from handpicked.fetch.subscribe import address_candidates
from handpicked.store import ReaderRecord
from handpicked.web.security import SESSION_COOKIE

from .conftest import PASSWORD, post_form


@pytest.mark.parametrize(
    ("typed", "tried"),
    [
        ("bbc.co.uk", ("https://bbc.co.uk/", "http://bbc.co.uk/")),
        ("bbc.co.uk/news", ("https://bbc.co.uk/news", "http://bbc.co.uk/news")),
        (" 127.0.0.1:8080 ", ("https://127.0.0.1:8080/", "http://127.0.0.1:8080/")),
        ("https://example.com/feed.xml", ("https://example.com/feed.xml",)),
    ],
)
def test_a_typed_address_is_tried_as_https_then_http(typed: str, tried: tuple[str, ...]) -> None:
    assert address_candidates(typed) == tried


@pytest.mark.parametrize("typed", ["ftp://example.com/", "not a site", "localhost", "a@b.com", ""])
def test_what_is_not_a_web_address_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="web address"):
        address_candidates(typed)


def test_the_web_form_takes_a_bare_domain(
    reader_client: TestClient, newsroom: Newsroom, home_site: str
) -> None:
    form = reader_client.get("/sources").text
    assert 'type="url"' not in form  # the browser would refuse "bbc.co.uk" before sending it
    response = post_form(reader_client, "/sources", {"url": home_site})
    assert response.status_code == 200, response.text
    assert "Added the source Loopback News." in response.text
    [source] = newsroom.store.sources.list()
    assert (source.url, source.kind) == (f"http://{home_site}/feed.xml", "feed")


def test_the_api_takes_a_bare_domain(
    reader_client: TestClient, account: ReaderRecord, newsroom: Newsroom, home_site: str
) -> None:
    reader_client.cookies.delete(SESSION_COOKIE)
    token = reader_client.post(
        "/api/v1/tokens", json={"email": account.email, "password": PASSWORD, "name": "test"}
    )
    assert token.status_code == 201, token.text
    auth = {"Authorization": f"Bearer {token.json()['token']}"}
    added = reader_client.post("/api/v1/sources", json={"url": home_site}, headers=auth)
    assert added.status_code == 201, added.text
    assert added.json()["url"] == f"http://{home_site}/feed.xml"
    assert added.json()["kind"] == "feed"
    refused = reader_client.post("/api/v1/sources", json={"url": "a b"}, headers=auth)
    assert refused.status_code == 422 and "web address" in refused.json()["detail"]


def test_the_cli_takes_a_bare_domain(tmp_path: Path, home_site: str) -> None:
    env = cli_env(tmp_path, allow_private=True)
    added = run_cli(["sources", "add", home_site], env)
    assert added.returncode == 0, added.stderr
    assert f"added feed #1: http://{home_site}/feed.xml (Loopback News)" in added.stdout
    listed = run_cli(["sources", "list"], env)
    assert f"http://{home_site}/feed.xml" in listed.stdout
