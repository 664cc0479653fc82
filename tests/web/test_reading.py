"""Reading is not liking: a signed-in reader who opens articles from today's picks finds
the same picks, in the same order, with the same reasons, when they come back to the page.
Only HTTP, as a browser would."""

from __future__ import annotations

import lxml.html
from lxml import etree
from starlette.testclient import TestClient

from .conftest import Seeded, post_form


def todays_picks(client: TestClient) -> list[tuple[str, str]]:
    """Each pick on today's page: the article it links to and the reasons it gives."""
    response = client.get("/")
    assert response.status_code == 200
    page = lxml.html.fromstring(response.text)
    picks = []
    for card in page.iter("article"):
        if "pick" not in (card.get("class") or "").split():
            continue
        link = card.find(".//h2/a")
        assert link is not None
        said = [p for p in card.iter("p") if p.get("class") == "reasons"]
        reasons = " ".join(
            etree.tostring(p, method="text", encoding="unicode", with_tail=False) for p in said
        )
        picks.append((link.get("href") or "", reasons))
    return picks


def test_opening_two_articles_changes_neither_picks_nor_reasons(
    reader_client: TestClient, seeded: Seeded
) -> None:
    followed = post_form(reader_client, "/follows", {"thing": "topic:politics", "mode": "follow"})
    assert followed.status_code == 200
    before = todays_picks(reader_client)
    assert (f"/articles/{seeded.putin}", "Picked because you follow the topic Politics.") in before
    assert len(before) == 3
    # Two articles about Putin: the story's original and another outlet's own account.
    for article in (seeded.putin, seeded.putin_wire):
        assert reader_client.get(f"/articles/{article}").status_code == 200
    assert todays_picks(reader_client) == before
