"""Search on the pages, in the API and from the command line: ranked hits with the matches
marked (and escaped), filters, paging, clear answers to unusable queries, and followed
searches with their own Atom feed that only their reader can read."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from lxml import etree
from newsroom import Newsroom
from starlette.testclient import TestClient

from handpicked.cli import cli
from handpicked.desk import accounts
from handpicked.store import ReaderRecord

from .conftest import HOSTILE_TITLE, Seeded, post_form

API = "/api/v1"
ATOM = "{http://www.w3.org/2005/Atom}"


def _hit_titles(html: str) -> list[str]:
    titles = re.findall(r'<h3 id="hit-\d+-title"[^>]*><a href="/articles/\d+">(.*?)</a></h3>', html)
    return [re.sub(r"</?mark>", "", title) for title in titles]


def test_signed_out_search_asks_to_sign_in(client: TestClient, seeded: Seeded) -> None:
    response = client.get("/search?q=putin", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")
    assert client.get(f"{API}/search", params={"q": "putin"}).status_code == 401


def test_every_page_has_the_search_box(reader_client: TestClient, seeded: Seeded) -> None:
    html = reader_client.get("/follows").text
    assert 'action="/search" role="search"' in html


def test_results_are_ranked_and_the_matches_marked(
    reader_client: TestClient, seeded: Seeded
) -> None:
    html = reader_client.get("/search", params={"q": "kremlin"}).text
    titles = _hit_titles(html)
    # Two articles say "Kremlin" in the title, the wire story's text does not at all.
    assert titles[:2] == ["Putin meets envoy in the Kremlin"] * 2
    assert "<mark>Kremlin</mark>" in html
    assert 'name="thing" value="search:kremlin"' in html  # follow this search


def test_article_text_is_escaped_in_titles_and_snippets(
    reader_client: TestClient, seeded: Seeded
) -> None:
    html = reader_client.get("/search", params={"q": "alert"}).text
    assert HOSTILE_TITLE not in html
    assert "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;" in html


def test_filters_and_paging(reader_client: TestClient, seeded: Seeded) -> None:
    everything = _hit_titles(reader_client.get("/search", params={"q": "news"}).text)
    assert len(everything) >= 4
    only = reader_client.get("/search", params={"q": "news", "source": "evil.example"}).text
    assert _hit_titles(only) == [HOSTILE_TITLE.replace("<", "&lt;").replace(">", "&gt;")]
    named = reader_client.get("/search", params={"q": "kremlin OR vote", "entity": "Putin"})
    assert set(_hit_titles(named.text)) == {
        "Putin meets envoy in the Kremlin",
        "Kremlin talks go on",
    }
    none = reader_client.get("/search", params={"q": "putin", "until": "2000-01-01"}).text
    assert _hit_titles(none) == [] and "Nothing matches." in none


def test_unusable_queries_get_a_400_that_says_why(
    reader_client: TestClient, seeded: Seeded
) -> None:
    for query, message in (("-putin", "not only what to leave out"), ("x" * 10_000, "characters"),
                           ('"', "Type a word")):  # fmt: skip
        response = reader_client.get("/search", params={"q": query})
        assert response.status_code == 400
        assert message in response.text
    bad_date = reader_client.get("/search", params={"q": "putin", "since": "yesterday"})
    assert bad_date.status_code == 400 and "must be a date" in bad_date.text
    for query in ("NEAR(", "*", "a -", "OR"):
        assert reader_client.get("/search", params={"q": query}).status_code in (200, 400)


def test_a_followed_search_has_its_own_feed_for_its_reader_only(
    reader_client: TestClient, seeded: Seeded, newsroom: Newsroom, account: ReaderRecord
) -> None:
    followed = post_form(
        reader_client,
        "/follows",
        {"thing": "search:kremlin envoy", "next": "/search?q=kremlin+envoy"},
    )
    assert followed.status_code == 200
    assert "Now following the search “kremlin envoy”" in followed.text
    match = re.search(r'href="(/feeds/[^"]+/searches/(\d+)\.atom)"', followed.text)
    assert match is not None, followed.text
    feed = reader_client.get(match[1])
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = etree.fromstring(feed.content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Putin meets envoy in the Kremlin"] * 2
    assert "matches your search" in (entries[0].findtext(f"{ATOM}content") or "")
    assert root.findtext(f"{ATOM}title") == "handpicked search “kremlin envoy” for reader"

    # Another reader's feed token does not open this reader's followed search.
    other = accounts.sign_up(newsroom.store, "other@example.com", "another good passphrase",
                             datetime.now(UTC))  # fmt: skip
    stolen = f"/feeds/{other.feed_token}/searches/{match[2]}.atom"
    assert reader_client.get(stolen).status_code == 404
    assert reader_client.get(f"/feeds/nonsense/searches/{match[2]}.atom").status_code == 404


def test_the_api_searches_with_filters_and_offsets(
    reader_client: TestClient, seeded: Seeded, newsroom: Newsroom, account: ReaderRecord
) -> None:
    _id, token = newsroom.store.accounts.create_api_token(account.id, "t", datetime.now(UTC))
    auth = {"Authorization": f"Bearer {token}"}
    body = reader_client.get(f"{API}/search", params={"q": "kremlin", "limit": 1},
                             headers=auth).json()  # fmt: skip
    assert [hit["title"] for hit in body["hits"]] == ["Putin meets envoy in the Kremlin"]
    assert body["next_offset"] == 1 and body["engine"] == "fts5"
    hit = body["hits"][0]
    in_body = reader_client.get(f"{API}/search", params={"q": "lasted"}, headers=auth).json()
    marked = in_body["hits"][0]
    assert [marked["snippet"][start:end] for start, end in marked["matches"]] == ["lasted"]
    second = reader_client.get(f"{API}/search", params={"q": "kremlin", "limit": 1, "offset": 1},
                               headers=auth).json()  # fmt: skip
    assert second["hits"][0]["article_id"] != hit["article_id"]
    wire = reader_client.get(f"{API}/search", params={"q": "kremlin", "source": "jns.example"},
                             headers=auth).json()  # fmt: skip
    assert [h["site"] for h in wire["hits"]] == ["Jewish News Syndicate"]
    bad = reader_client.get(f"{API}/search", params={"q": '" - * ('}, headers=auth)
    assert bad.status_code == 400 and "Type a word" in bad.json()["detail"]
    hostile = reader_client.get(f"{API}/search", params={"q": '" NEAR( * -x'}, headers=auth)
    assert hostile.status_code == 200, hostile.text


def test_the_api_documents_search(reader_client: TestClient, seeded: Seeded) -> None:
    schema = reader_client.get("/openapi.json").json()
    operation = schema["paths"][f"{API}/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {
        "q", "source", "language", "since", "until", "entity", "limit", "offset"
    }  # fmt: skip
    assert "400" in operation["responses"]


def test_the_command_line_searches(
    seeded: Seeded, newsroom: Newsroom, tmp_path: Path, monkeypatch: object
) -> None:
    url = str(newsroom.store.engine.url)
    runner = CliRunner()
    env = {"HANDPICKED_DATABASE_URL": url, "HANDPICKED_DATA_DIR": str(tmp_path)}
    text = runner.invoke(cli, ["search", "kremlin"], env=env)
    assert text.exit_code == 0, text.output
    assert "Putin meets envoy in the Kremlin" in text.output and "[Kremlin]" in text.output
    as_json = runner.invoke(cli, ["search", "kremlin", "--json", "--limit", "1"], env=env)
    assert [row["title"] for row in json.loads(as_json.output)] == [
        "Putin meets envoy in the Kremlin"
    ]
    refused = runner.invoke(cli, ["search", "-x"], env=env)
    assert refused.exit_code != 0
