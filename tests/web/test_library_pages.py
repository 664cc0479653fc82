"""All stories and Saved, without JavaScript: opening marks read (and the page shows it),
forms mark read or unread and save, "mark all as read" spares what came after the page was
shown, and a reader only ever sees and changes their own state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import lxml.html
from newsroom import Newsroom
from starlette.testclient import TestClient

from .conftest import Seeded, post_form


def _having(page: lxml.html.HtmlElement, attribute: str) -> list[lxml.html.HtmlElement]:
    return [element for element in page.iter() if element.get(attribute) is not None]


def _rows(client: TestClient, path: str) -> dict[int, set[str]]:
    """Each listed story's article id and the classes of its card."""
    response = client.get(path)
    assert response.status_code == 200, response.text
    page = lxml.html.fromstring(response.text)
    return {
        int(card.get("data-article-id")): set((card.get("class") or "").split())
        for card in _having(page, "data-card")
    }


def _unread(client: TestClient) -> int:
    page = lxml.html.fromstring(client.get("/all").text)
    return int(_having(page, "data-unread-count")[0].text_content())


def test_opening_an_article_marks_it_read_and_dims_it(
    reader_client: TestClient, seeded: Seeded
) -> None:
    before = _rows(reader_client, "/all")
    assert seeded.putin_copy not in before
    assert all("is-read" not in classes for classes in before.values())
    assert _unread(reader_client) == 5
    assert reader_client.get(f"/articles/{seeded.vote}").status_code == 200
    after = _rows(reader_client, "/all")
    assert "is-read" in after[seeded.vote]
    assert list(after) == list(before), "reading does not reorder the list"
    assert _unread(reader_client) == 4
    assert list(_rows(reader_client, "/all?show=unread")) == [i for i in before if i != seeded.vote]
    assert list(_rows(reader_client, "/all?show=read")) == [seeded.vote]


def test_forms_mark_unread_and_save(reader_client: TestClient, seeded: Seeded) -> None:
    reader_client.get(f"/articles/{seeded.vote}")
    unread = post_form(
        reader_client, f"/articles/{seeded.vote}/read", {"read": "0", "next": "/all"}
    )
    assert unread.status_code == 200 and "Marked unread." in unread.text
    assert "is-read" not in _rows(reader_client, "/all")[seeded.vote]
    saved = post_form(
        reader_client, f"/articles/{seeded.putin}/saved", {"saved": "1", "next": "/saved"}
    )
    assert saved.status_code == 200 and "Saved for later." in saved.text
    assert list(_rows(reader_client, "/saved")) == [seeded.putin]
    post_form(reader_client, f"/articles/{seeded.putin}/saved", {"saved": "0", "next": "/saved"})
    assert _rows(reader_client, "/saved") == {}


def test_mark_unread_from_the_article_page_stays_unread(
    reader_client: TestClient, seeded: Seeded
) -> None:
    reader_client.get(f"/articles/{seeded.vote}")
    back = post_form(
        reader_client,
        f"/articles/{seeded.vote}/read",
        {"read": "0", "next": f"/articles/{seeded.vote}"},
    )
    assert back.status_code == 200 and back.url.path == f"/articles/{seeded.vote}"
    assert "is-read" not in _rows(reader_client, "/all")[seeded.vote]


def test_mark_all_read_spares_what_came_after_the_page(
    reader_client: TestClient, seeded: Seeded, newsroom: Newsroom
) -> None:
    page = lxml.html.fromstring(reader_client.get("/all").text)
    [up_to] = [
        field.get("value") or "" for field in _having(page, "name") if field.get("name") == "up_to"
    ]
    newsroom.now = datetime.fromisoformat(up_to) + timedelta(milliseconds=1)
    later = newsroom.article("Found after the page was shown", hours_ago=0)
    done = post_form(reader_client, "/mark-all-read", {"up_to": up_to, "next": "/all"})
    assert done.status_code == 200 and "Marked all as read." in done.text
    rows = _rows(reader_client, "/all")
    assert "is-read" not in rows[later]
    assert all("is-read" in classes for article, classes in rows.items() if article != later)
    assert _unread(reader_client) == 1


def test_state_is_private_and_pages_need_a_reader(
    client: TestClient, reader_client: TestClient, seeded: Seeded, newsroom: Newsroom
) -> None:
    missing = seeded.hostile + 1000
    response = post_form(reader_client, f"/articles/{missing}/saved", {"saved": "1"})
    assert response.status_code == 404
    post_form(reader_client, f"/articles/{seeded.putin}/saved", {"saved": "1"})
    other = newsroom.store.readers.add(
        "other@example.com", time_zone="UTC", schedule="daily 07:00", now=datetime.now(UTC)
    )
    assert newsroom.store.reading.saved_ids(other.id, [seeded.putin]) == set()
    reader_client.cookies.clear()
    for path in ("/all", "/saved"):
        assert client.get(path, follow_redirects=False).status_code == 303


def test_todays_picks_show_what_was_read(reader_client: TestClient, seeded: Seeded) -> None:
    followed = post_form(reader_client, "/follows", {"thing": "topic:politics", "mode": "follow"})
    assert followed.status_code == 200
    picks = _rows(reader_client, "/")
    assert seeded.vote in picks and "is-read" not in picks[seeded.vote]
    reader_client.get(f"/articles/{seeded.vote}")
    after = _rows(reader_client, "/")
    assert list(after) == list(picks) and "is-read" in after[seeded.vote]
