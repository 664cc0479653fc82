"""The picks page shows a story the reader was emailed, when it developed, under "New since
you read it on …:" with the new fact linked to its article."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from newsroom import Newsroom

from handpicked.store import ReaderRecord

SENT = "A magnitude 7.8 earthquake struck Jajarkot in Nepal, killing at least 12 people."
NEW = "The death toll from the magnitude 7.8 earthquake in Jajarkot has risen to 157."


def test_the_picks_page_shows_what_is_new_since_the_reader_was_sent_the_story(
    newsroom: Newsroom, account: ReaderRecord, reader_client: TestClient
) -> None:
    newsroom.now = datetime.now(UTC).replace(microsecond=0)
    first = newsroom.article("Quake kills 12 in Nepal", "Wire Desk", story="quake", hours_ago=5,
                             text=SENT, entities=[("Nepal", "place")])  # fmt: skip
    store, sent_at = newsroom.store, newsroom.now - timedelta(hours=4)
    delivery = store.deliveries.claim(account.id, "p", "test:1", sent_at)
    assert delivery is not None
    store.deliveries.mark_sending(
        delivery.id, message_id="<p@test>", story_ids=[newsroom.stories["quake"]],
        article_ids=[first], since=sent_at - timedelta(days=1), now=sent_at,
        items=[{"story_id": newsroom.stories["quake"], "article_id": first,
                "story_article_ids": [first]}],
    )  # fmt: skip
    store.deliveries.mark_sent(delivery.id, sent_at)
    report = newsroom.article("Nepal quake toll rises to 157", "Daily Herald", story="quake",
                              hours_ago=1, text=NEW, entities=[("Nepal", "place")])  # fmt: skip
    page = reader_client.get("/")
    assert page.status_code == 200
    weekday = sent_at.astimezone(ZoneInfo(account.time_zone)).strftime("%a")
    assert page.text.count(f"New since you read it on {weekday}:") == 1
    assert f'has risen to 157. <a href="/articles/{report}">Daily Herald</a>' in page.text


def test_the_story_page_says_what_each_article_added(
    newsroom: Newsroom, reader_client: TestClient
) -> None:
    newsroom.now = datetime.now(UTC).replace(microsecond=0)
    newsroom.article("Quake kills 12 in Nepal", "Wire Desk", story="quake", hours_ago=5, text=SENT)
    newsroom.article("Nepal quake toll rises to 157", "Daily Herald", story="quake", hours_ago=1,
                     text=NEW)  # fmt: skip
    page = reader_client.get(f"/stories/{newsroom.stories['quake']}")  # stories need a reader
    assert page.status_code == 200
    assert page.text.count("What it added:") == 1
    assert "<li>The death toll from the magnitude 7.8 earthquake in Jajarkot has risen to 157." in (
        page.text
    )
    assert "2 reports" in page.text
