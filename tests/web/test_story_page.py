"""The story page shows what each outlet adds that no other has (copies as copies of their
origin), and the thread of stories a matter that went on past the grouping window made."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from newsroom import Newsroom

from handpicked.store import ReaderRecord


def _api(newsroom: Newsroom, client: TestClient, reader: ReaderRecord, path: str) -> Any:
    _id, token = newsroom.store.accounts.create_api_token(reader.id, "test", newsroom.now)
    answer = client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    return answer.json()


WIRE = (
    "A magnitude 7.8 earthquake struck western Nepal on Tuesday, killing at least 12 people in "
    "Jajarkot district.\n\n“We are still searching for people under the rubble,” said district "
    "official Harish Sharma."
)
HERALD = (
    "The magnitude 7.8 earthquake in western Nepal injured 140 people in Jajarkot, hospital "
    "staff said.\n\n“Entire villages are gone, and we cannot reach them by road,” Prime "
    "Minister Pushpa Dahal told reporters."
)


def test_the_story_page_says_what_each_outlet_adds_and_shows_a_copy_as_a_copy(
    newsroom: Newsroom, account: ReaderRecord, reader_client: TestClient
) -> None:
    newsroom.now = datetime.now(UTC).replace(microsecond=0)
    wire = newsroom.article("Quake kills 12 in Nepal", "Wire Desk", story="quake", hours_ago=5,
                           text=WIRE, entities=[("Harish Sharma", "person")])  # fmt: skip
    herald = newsroom.article("Nepal quake: villages cut off", "Daily Herald", story="quake",
                              hours_ago=3, text=HERALD,
                              entities=[("Pushpa Dahal", "person")])  # fmt: skip
    newsroom.article("Quake kills 12 in Nepal", "Copier Times", story="quake", hours_ago=2,
                     text=WIRE, duplicate_of=wire)  # fmt: skip
    page = reader_client.get(f"/stories/{newsroom.stories['quake']}")
    assert page.status_code == 200
    section = page.text[page.text.index("What each outlet adds") :]
    assert (
        "injured 140 people in Jajarkot, hospital staff said. "
        f'<a href="/articles/{herald}">Daily Herald</a>'
    ) in section
    assert "Entire villages are gone" in section
    assert "People only it names: Pushpa Dahal" in section
    assert "Quotes: Harish Sharma" in section and "Quotes: Pushpa Dahal" in section
    copier = section[section.index("<h3>Copier Times</h3>") :]
    assert f'A copy of <a href="/articles/{wire}">Wire Desk</a>: nothing of its own.' in copier
    assert "Only here" not in copier.split("</li>")[0]

    api = _api(newsroom, reader_client, account, f"/stories/{newsroom.stories['quake']}")
    outlets = {o["outlet"]: o for o in api["outlet_additions"]}
    assert outlets["Copier Times"]["copy_of"] == "Wire Desk"
    assert outlets["Daily Herald"]["speakers"] == ["Pushpa Dahal"]


def test_a_story_of_one_report_and_its_copies_says_so_and_not_what_others_lack(
    newsroom: Newsroom, reader_client: TestClient
) -> None:
    newsroom.now = datetime.now(UTC).replace(microsecond=0)
    wire = newsroom.article("Quake kills 12 in Nepal", "Wire Desk", story="quake", hours_ago=5,
                           text=WIRE, entities=[("Harish Sharma", "person")])  # fmt: skip
    newsroom.article("Quake kills 12 in Nepal", "Copier Times", story="quake", hours_ago=2,
                     text=WIRE, duplicate_of=wire)  # fmt: skip
    page = reader_client.get(f"/stories/{newsroom.stories['quake']}")
    section = page.text[page.text.index("What each outlet adds") :]
    origin = section[section.index("<h3>Wire Desk</h3>") : section.index("<h3>Copier Times</h3>")]
    assert "The story's only report: the other outlets carry copies of it." in origin
    assert "the other reports lack" not in section


def test_the_story_page_links_the_earlier_and_later_stories_of_its_thread(
    newsroom: Newsroom, account: ReaderRecord, reader_client: TestClient
) -> None:
    newsroom.article("Halloran trial opens", "Daily Ledger", story="trial", hours_ago=24 * 30)
    newsroom.article("Halloran takes the stand", "Daily Ledger", story="stand", hours_ago=24 * 15)
    newsroom.article("Halloran found guilty", "Daily Ledger", story="verdict", hours_ago=2)
    newsroom.article("Unrelated match report", "Daily Ledger", story="match", hours_ago=3)
    trial, stand, verdict = (newsroom.stories[k] for k in ("trial", "stand", "verdict"))
    newsroom.store.threads.link(stand, trial, trial)
    newsroom.store.threads.link(verdict, stand, trial)

    middle = reader_client.get(f"/stories/{stand}").text
    start = middle.index("Part of a thread")
    thread = middle[start : middle.index("</nav>", start)]
    assert (
        thread.index(f'Earlier: <a href="/stories/{trial}">Halloran trial opens</a>')
        < (thread.index("This story"))
        < thread.index(f'Later: <a href="/stories/{verdict}">Halloran found guilty</a>')
    )
    assert "Unrelated match report" not in thread
    alone = reader_client.get(f"/stories/{newsroom.stories['match']}").text
    assert "Part of a thread" not in alone
    api = _api(newsroom, reader_client, account, f"/stories/{verdict}")
    assert [s["id"] for s in api["thread"]] == [trial, stand, verdict]
