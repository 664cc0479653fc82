"""The reader's pages as a reader meets them: signing up, following and muting, today's
picks with their reasons, feedback with and without htmx, stories, the clean article view,
sources and OPML, settings; and the guards: sign-in, CSRF, escaping, private networks."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from newsroom import Newsroom
from starlette.testclient import TestClient

from handpicked.fetch.opml import parse_opml
from handpicked.images import image_path
from handpicked.store import ReaderRecord

from .conftest import CAPTION, CREDIT, EMAIL, HOSTILE_TITLE, PASSWORD, Seeded, csrf_token, post_form

PUTIN_TITLE = "Putin meets envoy in the Kremlin"


def follow(client: TestClient, thing: str, mode: str = "follow") -> str:
    response = post_form(client, "/follows", {"thing": thing, "mode": mode})
    assert response.status_code == 200, response.text
    return response.text


def feedback_kinds(newsroom: Newsroom, reader: ReaderRecord) -> list[tuple[int, str]]:
    records = newsroom.store.feedback.of_readers([reader.id])[reader.id]
    return [(record.article_id, record.kind) for record in records]


def h1s(html: str) -> list[str]:
    return re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)


# -- signing in and up ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/follows", "/sources", "/settings", "/settings/preview"])
def test_signed_out_readers_are_sent_to_sign_in(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/signin?next={path}"


def test_signing_up_lands_on_follows(client: TestClient, newsroom: Newsroom) -> None:
    response = post_form(
        client,
        "/signup",
        {"email": "new@example.com", "password": "a long enough password", "time_zone": "UTC"},
    )
    assert response.status_code == 200
    assert response.url.path == "/follows"
    assert h1s(response.text) == ["Follows"]
    assert 'aria-label="Main"' in response.text  # signed in: the nav shows
    assert newsroom.store.readers.get(email="new@example.com") is not None


def test_signing_out_ends_the_session(reader_client: TestClient) -> None:
    response = post_form(reader_client, "/signout", {})
    assert response.url.path == "/signin"
    assert reader_client.get("/", follow_redirects=False).status_code == 303


# -- follows and today's picks --------------------------------------------------------------


def test_following_putin_picks_his_story_with_the_reason(
    reader_client: TestClient, seeded: Seeded
) -> None:
    page = follow(reader_client, "Putin")
    assert "Now following Vladimir Putin." in page
    assert 'Vladimir Putin <span class="meta">(person)</span>' in page

    today = reader_client.get("/")
    assert today.status_code == 200
    html = today.text
    assert h1s(html) == ["Today’s picks"]
    assert f'<a href="/articles/{seeded.putin}">{PUTIN_TITLE}</a>' in html
    assert "because you follow Vladimir Putin" in html
    assert re.search(
        rf'<a href="/stories/{seeded.putin_story}">Also covered by 2 outlets: '
        r"(The Daily Ledger, Wire Service|Wire Service, The Daily Ledger)"
        r" — 2 reports, 1 copy of Jewish News Syndicate</a>",
        html,
    )
    assert "Jewish News Syndicate" in html
    assert 'href="https://jns.example/world/putin-meets-envoy"' in html
    assert "Read at Jewish News Syndicate" in html
    assert f'{CAPTION} <span class="credit">Photo: {CREDIT}</span>' in html
    # The picture comes from our own address, never hot-linked from the outlet.
    picture = image_path(seeded.putin, "https://jns.example/img/rostov.jpg")
    assert f'src="{picture}"' in html
    assert "jns.example/img/" not in html
    assert "javascript:" not in html
    assert "The Russian president met an envoy on Tuesday." in html
    # Feedback buttons that work with and without htmx.
    assert f'action="/picks/{seeded.putin}/feedback"' in html
    assert f'hx-post="/picks/{seeded.putin}/feedback"' in html
    assert 'role="status"' in html and "htmx.min.js" in html
    # The syndicated copy is not picked again, and nothing else matched.
    assert f'href="/articles/{seeded.putin_copy}"' not in html
    assert "Vote count" not in html


def test_a_mute_wins_over_a_follow(reader_client: TestClient) -> None:
    follow(reader_client, "topic:politics")
    page = follow(reader_client, "IRGC", mode="mute")
    assert "Muted Islamic Revolutionary Guard Corps" in page
    mutes = page.split('id="mutes-heading"', 1)[1]
    assert "Islamic Revolutionary Guard Corps" in mutes

    html = reader_client.get("/").text
    assert "Vote count in the capital" in html
    assert "Vote and the IRGC" not in html


def test_following_again_says_so_and_removing_works(
    reader_client: TestClient, newsroom: Newsroom, account: ReaderRecord
) -> None:
    follow(reader_client, "Putin")
    assert "You already follow Vladimir Putin." in follow(reader_client, "Vladimir Putin")
    [interest] = newsroom.store.interests.of_readers([account.id])[account.id]

    page = post_form(
        reader_client, "/follows/remove", {"kind": interest.kind, "key": interest.key}
    ).text
    assert "Removed Vladimir Putin." in page
    assert newsroom.store.interests.of_readers([account.id])[account.id] == []

    follow(reader_client, "bbc.co.uk", mode="mute")
    page = post_form(reader_client, "/follows/remove", {"thing": "bbc.co.uk"}).text
    assert "Removed bbc.co.uk." in page
    assert "was not followed" in post_form(reader_client, "/follows/remove", {"thing": "x"}).text


@pytest.mark.parametrize(
    ("thing", "message"),
    [("", "Say what to follow"), ("topic:knitting", "No topic &#39;knitting&#39;; the topics are")],
)
def test_what_cannot_be_followed_is_explained_beside_the_field(
    reader_client: TestClient, thing: str, message: str
) -> None:
    response = post_form(reader_client, "/follows", {"thing": thing, "mode": "follow"})
    assert response.status_code == 400
    html = response.text
    assert re.search(rf'<p class="error" id="thing-error" role="alert">{message}', html)
    assert 'aria-describedby="thing-error thing-hint"' in html
    assert 'aria-invalid="true"' in html
    assert 'Vladimir Putin, topic:politics, bbc.co.uk or "Florida Man"' in html


def test_follows_page_offers_suggestions_and_examples(reader_client: TestClient) -> None:
    html = reader_client.get("/follows").text
    assert h1s(html) == ["Follows"]
    assert '<label for="thing">' in html
    assert 'name="mode" value="mute"' in html
    suggestions = html.split('id="suggestions-heading"', 1)[1]
    assert "Vladimir Putin" in suggestions
    assert 'value="person:Vladimir Putin"' in suggestions


def test_an_empty_today_explains_and_follows_in_one_click(reader_client: TestClient) -> None:
    html = reader_client.get("/").text
    assert "You don&#39;t follow anything yet" in html
    assert 'value="person:Vladimir Putin"' in html

    response = post_form(reader_client, "/follows", {"thing": "person:Vladimir Putin", "next": "/"})
    assert response.url.path == "/"
    assert "Now following Vladimir Putin." in response.text
    assert PUTIN_TITLE in response.text


def test_a_follow_cannot_redirect_off_site(reader_client: TestClient) -> None:
    response = post_form(
        reader_client,
        "/follows",
        {"thing": "Putin", "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/follows?")


# -- feedback -------------------------------------------------------------------------------


def test_feedback_without_javascript_goes_back_to_the_pick(
    reader_client: TestClient, seeded: Seeded, newsroom: Newsroom, account: ReaderRecord
) -> None:
    follow(reader_client, "Putin")
    response = post_form(
        reader_client,
        f"/picks/{seeded.putin}/feedback",
        {"kind": "more", "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/?done=more#pick-{seeded.putin}-feedback"
    assert feedback_kinds(newsroom, account) == [(seeded.putin, "more")]

    html = reader_client.get(response.headers["location"]).text
    assert re.search(rf'id="noted-{seeded.putin}" role="status"[^>]*>Noted: more like this', html)


def test_feedback_with_htmx_answers_in_place(
    reader_client: TestClient, seeded: Seeded, newsroom: Newsroom, account: ReaderRecord
) -> None:
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_token(reader_client)}
    for kind in ("more", "less"):
        response = reader_client.post(
            f"/picks/{seeded.putin}/feedback", data={"kind": kind}, headers=headers
        )
        assert response.status_code == 200
        assert response.text == f"Noted: {kind} like this."
    # "less" replaced "more".
    assert feedback_kinds(newsroom, account) == [(seeded.putin, "less")]


def test_feedback_signed_out_asks_to_sign_in_even_with_htmx(
    client: TestClient, seeded: Seeded
) -> None:
    path = f"/picks/{seeded.putin}/feedback"
    plain = post_form(client, path, {"kind": "more", "next": "/"}, follow_redirects=False)
    assert (plain.status_code, plain.headers["location"]) == (303, "/signin?next=/")
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_token(client)}
    htmx = client.post(path, data={"kind": "more", "next": "/"}, headers=headers)
    assert htmx.status_code == 200 and htmx.text == ""
    assert htmx.headers["hx-redirect"] == "/signin?next=/"


def test_feedback_on_a_missing_article_or_of_a_wrong_kind_is_refused(
    reader_client: TestClient, seeded: Seeded
) -> None:
    assert post_form(reader_client, "/picks/99999/feedback", {"kind": "more"}).status_code == 404
    wrong = post_form(reader_client, f"/picks/{seeded.putin}/feedback", {"kind": "opened"})
    assert wrong.status_code == 400


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/follows", {"thing": "Putin"}),
        ("/picks/1/feedback", {"kind": "more"}),
        ("/settings", {"schedule": "daily 9:00"}),
        ("/sources", {"url": "https://example.com/feed"}),
    ],
)
def test_a_post_without_the_csrf_token_is_refused(
    reader_client: TestClient,
    newsroom: Newsroom,
    account: ReaderRecord,
    path: str,
    data: dict[str, str],
) -> None:
    assert reader_client.post(path, data=data).status_code == 403
    forged = reader_client.post(path, data={**data, "csrf_token": "x" * 43})
    assert forged.status_code == 403
    assert newsroom.store.interests.of_readers([account.id])[account.id] == []
    assert feedback_kinds(newsroom, account) == []
    assert newsroom.store.sources.list() == []


# -- stories and articles -------------------------------------------------------------------


def signed_link(client: TestClient, kind: str, item_id: int) -> str:
    """The link an email gives: it opens the page without signing in."""
    links = client.app.state.web.links  # type: ignore[attr-defined]
    url: str = links.article(item_id) if kind == "article" else links.story(item_id)
    return url.removeprefix("http://testserver")


def test_the_story_page_folds_a_syndicated_copy_under_its_original(
    client: TestClient, seeded: Seeded
) -> None:
    response = client.get(signed_link(client, "story", seeded.putin_story))
    assert response.status_code == 200
    html = response.text
    assert h1s(html) == [PUTIN_TITLE]
    titles = re.findall(r'<h2[^>]*><a href="/articles/(\d+)">', html)
    assert [int(t) for t in titles] == [seeded.putin, seeded.putin_wire]
    original, wire = html.split('<li class="card">')[1:3]
    assert "Also published by The Daily Ledger (syndicated)" in original
    assert f'href="/articles/{seeded.putin_copy}"' in original
    assert "Also published by" not in wire
    assert "3 outlets: Jewish News Syndicate, The Daily Ledger, Wire Service" in html


def test_the_article_page_is_a_clean_reader_view(client: TestClient, seeded: Seeded) -> None:
    response = client.get(signed_link(client, "article", seeded.putin_copy))
    assert response.status_code == 200
    html = response.text
    assert h1s(html) == [PUTIN_TITLE]
    assert '<article class="reader-view" lang="en"' in html
    assert "By Ann Author and Ben Writer" in html
    assert "The Daily Ledger" in html and "<time datetime=" in html
    assert "World · Russia, Vladimir Putin" in html
    assert '<p class="lead">The Russian president met an envoy on Tuesday.</p>' in html
    assert "<p>Both sides called the talks useful but gave no details.</p>" in html
    assert "<blockquote><p>We will prevent the fall of Putin</p></blockquote>" in html
    assert f'<figcaption>{CAPTION} <span class="credit">Photo: {CREDIT}</span>' in html
    assert html.count("<figure>") == 1  # the javascript: image is left out
    assert "javascript:" not in html
    assert "Produced in association with Jewish News Syndicate." in html
    assert "Edited by Bilal Zafar Ranjha." in html
    assert 'href="https://ledger.example/world/putin-meets-envoy"' in html
    assert f'href="/stories/{seeded.putin_story}">Also in this story: 2 other outlets' in html
    assert f'href="/articles/{seeded.putin}">The article this copies' in html
    assert "More like this" not in html  # signed out: no feedback, no htmx
    assert "htmx.min.js" not in html


def test_a_hostile_title_is_escaped(client: TestClient, seeded: Seeded) -> None:
    html = client.get(signed_link(client, "article", seeded.hostile)).text
    assert HOSTILE_TITLE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; · handpicked</title>" in html
    assert "onerror" not in html and "javascript:" not in html


def test_a_hostile_title_is_escaped_among_the_picks(
    reader_client: TestClient, seeded: Seeded
) -> None:
    follow(reader_client, "evil.example")
    html = reader_client.get("/").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert HOSTILE_TITLE not in html
    assert "javascript:" not in html


def test_opening_an_article_signed_in_counts_and_offers_feedback(
    reader_client: TestClient, seeded: Seeded, newsroom: Newsroom, account: ReaderRecord
) -> None:
    html = reader_client.get(f"/articles/{seeded.putin}").text
    assert feedback_kinds(newsroom, account) == [(seeded.putin, "opened")]
    assert "More like this" in html and "htmx.min.js" in html
    assert f'name="next" value="/articles/{seeded.putin}"' in html
    response = post_form(
        reader_client,
        f"/picks/{seeded.putin}/feedback",
        {"kind": "less", "next": f"/articles/{seeded.putin}"},
    )
    assert response.url.path == f"/articles/{seeded.putin}"
    assert "Noted: less like this." in response.text


@pytest.mark.parametrize("path", ["/articles/99999", "/stories/99999"])
def test_missing_articles_and_stories_are_404(reader_client: TestClient, path: str) -> None:
    response = reader_client.get(path)
    assert response.status_code == 404
    assert "No such" in response.text


# -- sources and OPML -----------------------------------------------------------------------

OPML = b"""<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0"><head><title>Mine</title></head><body>
  <outline text="News">
    <outline type="rss" text="Alpha News" xmlUrl="https://alpha.example/feed.xml"
             htmlUrl="https://alpha.example/"/>
    <outline type="rss" text="Beta &amp; Co" xmlUrl="https://beta.example/rss"/>
  </outline>
</body></opml>"""


def import_opml(client: TestClient, content: bytes) -> tuple[int, str]:
    response = client.post(
        "/sources/import",
        data={"csrf_token": csrf_token(client)},
        files={"opml": ("subscriptions.opml", content, "text/x-opml")},
    )
    return response.status_code, response.text


def test_opml_import_and_export_round_trip(reader_client: TestClient, newsroom: Newsroom) -> None:
    status, html = import_opml(reader_client, OPML)
    assert status == 200
    assert "Imported the OPML file: 2 new of 2 feeds." in html
    assert "Alpha News" in html and "Beta &amp; Co" in html
    assert "https://beta.example/rss" in html

    exported = reader_client.get("/sources/export.opml")
    assert exported.status_code == 200
    assert exported.headers["content-disposition"].startswith("attachment;")
    assert exported.headers["content-type"].startswith("text/x-opml")
    outlines = parse_opml(exported.content)
    assert {(o.url, o.title) for o in outlines} == {
        ("https://alpha.example/feed.xml", "Alpha News"),
        ("https://beta.example/rss", "Beta & Co"),
    }

    status, html = import_opml(reader_client, exported.content)
    assert "Imported the OPML file: 0 new of 2 feeds." in html
    assert len(newsroom.store.sources.list()) == 2


def test_a_file_that_is_not_opml_is_explained(reader_client: TestClient) -> None:
    status, html = import_opml(reader_client, b"hello, not xml")
    assert status == 400
    assert 'id="opml-error" role="alert">That is not an OPML file we can read' in html


def test_export_needs_sign_in(client: TestClient) -> None:
    assert client.get("/sources/export.opml", follow_redirects=False).status_code == 303


def test_adding_a_source_by_url_fetches_it(
    reader_client: TestClient, newsroom: Newsroom, site: str
) -> None:
    response = post_form(reader_client, "/sources", {"url": f"{site}/feed.xml"})
    assert response.status_code == 200, response.text
    assert "Added the source Loopback News." in response.text
    [source] = newsroom.store.sources.list()
    assert (source.url, source.kind, source.title) == (f"{site}/feed.xml", "feed", "Loopback News")
    assert "You already follow the source Loopback News." in (
        post_form(reader_client, "/sources", {"url": f"{site}/feed.xml"}).text
    )

    removed = post_form(reader_client, f"/sources/{source.id}/remove", {})
    assert "Removed the source Loopback News." in removed.text
    assert newsroom.store.sources.list() == []


@pytest.mark.parametrize("allow_private_networks", [False])
def test_a_private_address_is_refused_with_a_clear_message(
    reader_client: TestClient, newsroom: Newsroom, site: str
) -> None:
    response = post_form(reader_client, "/sources", {"url": f"{site}/feed.xml"})
    assert response.status_code == 400
    match = re.search(r'<p class="error" id="url-error" role="alert">([^<]*)</p>', response.text)
    assert match is not None, response.text
    assert "127.0.0.1 is a loopback address" in match[1], match[1]
    assert "HANDPICKED_ALLOW_PRIVATE_NETWORKS" not in match[1]  # an admin setting, not for readers
    assert "this server does not fetch those" in match[1]
    assert f'value="{site}/feed.xml"' in response.text
    assert newsroom.store.sources.list() == []


def test_a_source_must_be_a_web_address(reader_client: TestClient) -> None:
    response = post_form(reader_client, "/sources", {"url": "ftp://example.com/feed"})
    assert response.status_code == 400
    assert "starting with http:// or https://" in response.text


# -- settings -------------------------------------------------------------------------------


def test_settings_show_the_schedule_feed_and_preview(
    reader_client: TestClient, account: ReaderRecord
) -> None:
    follow(reader_client, "Putin")
    html = reader_client.get("/settings").text
    assert h1s(html) == ["Settings"]
    assert "Your digest comes daily at 07:00 (Europe/Berlin)." in html
    assert "The next one is due <time datetime=" in html
    assert f"http://testserver/feeds/{account.feed_token}.atom" in html
    assert '<iframe class="preview" src="/settings/preview" sandbox=' in html
    assert "No digests yet." in html

    preview = reader_client.get("/settings/preview")
    assert preview.status_code == 200
    assert PUTIN_TITLE in preview.text
    assert "sandbox" in preview.headers["content-security-policy"]


def test_settings_errors_are_shown_beside_their_fields(
    reader_client: TestClient, newsroom: Newsroom, account: ReaderRecord
) -> None:
    response = post_form(
        reader_client,
        "/settings",
        {"schedule": "sometimes", "time_zone": "Mars/Olympus", "max_items": "99",
         "language": "english"},
    )  # fmt: skip
    assert response.status_code == 400
    html = response.text
    for name in ("schedule", "time_zone", "max_items", "language"):
        assert f'<p class="error" id="{name}-error">' in html, name
        assert f'aria-describedby="{name}-error {name}-hint" aria-invalid="true"' in html
    assert "Could not read &#39;sometimes&#39;" in html
    assert "Unknown time zone &#39;Mars/Olympus&#39;" in html
    assert "A digest holds 1 to 50 items, not 99" in html
    assert 'value="Mars/Olympus"' in html  # what was typed stays
    unchanged = newsroom.store.readers.get(reader_id=account.id)
    assert unchanged == account


def test_settings_are_saved(
    reader_client: TestClient, newsroom: Newsroom, account: ReaderRecord
) -> None:
    response = post_form(
        reader_client,
        "/settings",
        {"schedule": "weekdays 7am", "time_zone": "america/new_york", "max_items": "5",
         "language": "DE"},
    )  # fmt: skip
    assert response.url.path == "/settings"
    assert "Settings saved." in response.text
    assert "Your digest comes on weekdays at 07:00 (America/New_York)." in response.text
    saved = newsroom.store.readers.get(reader_id=account.id)
    assert saved is not None
    assert (saved.schedule, saved.time_zone, saved.max_items, saved.language) == (
        "weekdays 07:00", "America/New_York", 5, "de"
    )  # fmt: skip


def test_changing_the_password(reader_client: TestClient) -> None:
    wrong = post_form(
        reader_client,
        "/settings/password",
        {"current_password": "not it at all", "new_password": "a new long password"},
    )
    assert wrong.status_code == 400
    assert "That is not your current password." in wrong.text

    short = post_form(
        reader_client,
        "/settings/password",
        {"current_password": PASSWORD, "new_password": "short"},
    )
    assert short.status_code == 400 and "at least 10 characters" in short.text

    done = post_form(
        reader_client,
        "/settings/password",
        {"current_password": PASSWORD, "new_password": "a new long password"},
    )
    assert done.url.path == "/settings"
    assert "Password changed" in done.text
    post_form(reader_client, "/signout", {})
    again = post_form(reader_client, "/signin", {"email": EMAIL, "password": "a new long password"})
    assert again.url.path == "/"


def test_today_still_shows_what_was_emailed_but_the_next_digest_does_not(
    reader_client: TestClient, seeded: Seeded, newsroom: Newsroom, account: ReaderRecord
) -> None:
    follow(reader_client, "Putin")
    delivery = newsroom.store.deliveries.claim(account.id, "manual:test", "x:1", newsroom.now)
    assert delivery is not None
    newsroom.store.deliveries.mark_sending(delivery.id, message_id="<m@x>",
                      story_ids=[seeded.putin_story], article_ids=[seeded.putin], items=[],
                      since=newsroom.now - timedelta(days=1), now=newsroom.now)  # fmt: skip
    newsroom.store.deliveries.mark_sent(delivery.id, newsroom.now)
    assert PUTIN_TITLE in reader_client.get("/").text
    assert PUTIN_TITLE not in reader_client.get("/settings/preview").text
