"""Developments: what is new in a story since the reader was sent it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from handpicked.understand.developments import SeenVersion, develop, is_correction, numbers_in

SENT = (
    "KATHMANDU, Nepal (AP) — A magnitude 7.8 earthquake struck western Nepal on Tuesday, "
    "killing at least 12 people and flattening homes in Jajarkot district.",
    "“We are still searching for people under the rubble,” said district official Harish "
    "Chandra Sharma.",
    "Rescue teams were sent from Kathmandu on Tuesday morning.",
)


@dataclass(frozen=True)
class Piece:
    id: int
    title: str | None
    paragraphs: tuple[str, ...]
    site_name: str | None = "Paper"
    duplicate_of: int | None = None
    entities: Sequence[Mapping[str, Any]] = ()
    url: str | None = None
    canonical_url: str = ""


SEEN = [SeenVersion(1, "Quake kills 12 in Nepal", SENT)]
FIRST = Piece(1, "Quake kills 12 in Nepal", SENT, "Wire Desk")


def test_a_new_toll_and_a_new_quote_are_new_facts_linked_to_their_article() -> None:
    report = Piece(
        2,
        "Nepal quake toll rises",
        (
            "The death toll from Tuesday's magnitude 7.8 earthquake in western Nepal rose to "
            "157 on Wednesday, officials said.",
            "“Entire villages are gone, and we cannot reach them by road,” said Prime Minister "
            "Pushpa Kamal Dahal after visiting Jajarkot.",
            "Rescue teams were sent from Kathmandu on Tuesday morning.",
        ),
        "Daily Herald",
        entities=[{"name": "Pushpa Kamal Dahal", "kind": "person"}],
    )
    found = develop(SEEN, [FIRST, report])
    assert found.is_real
    assert [(f.kind, f.article_id) for f in found.facts] == [("number", 2), ("quote", 2)]
    assert "157" in found.facts[0].text and "Entire villages" in found.facts[1].text
    assert found.new_reports == ("Daily Herald",) and found.new_copies == 0


def test_copies_and_rewrites_of_what_was_sent_are_not_a_development() -> None:
    copy = Piece(3, "Quake kills 12 in Nepal", SENT, "Copier", duplicate_of=1)
    rewrite = Piece(
        4,
        "Earthquake hits Nepal",
        ("At least twelve people were killed when a magnitude 7.8 quake struck Jajarkot on "
         "Tuesday, officials said.",),
        "Rewriter",
    )  # fmt: skip
    found = develop(SEEN, [FIRST, copy, rewrite])
    assert not found.is_real
    assert found.new_copies == 1 and found.new_reports == ("Rewriter",)


def test_a_correction_and_a_changed_headline_of_a_sent_article_are_developments() -> None:
    corrected = Piece(
        1,
        "Quake kills 12 in Nepal",
        (*SENT, "Correction: An earlier version of this story misspelled the district official’s "
         "name."),
        "Wire Desk",
    )  # fmt: skip
    found = develop(SEEN, [corrected])
    assert [f.kind for f in found.shown] == ["correction"]
    retitled = Piece(1, "Nepal earthquake survivors pulled from rubble", SENT, "Wire Desk")
    assert [f.kind for f in develop(SEEN, [retitled]).shown] == ["headline"]


def test_numbers_leave_out_years_dates_and_times_and_read_thousands_and_words() -> None:
    assert numbers_in("On March 3, 2024 at 10:30 a.m. some 1,500 fled") == ["1500"]
    assert numbers_in("twelve dead") == ["12"]
    assert is_correction("Update (Wednesday): officials raised the toll.")
    assert not is_correction("The update to the app was released.")


def test_a_timeline_says_what_each_article_added_and_copies_add_nothing() -> None:
    from handpicked.understand.developments import timeline

    report = Piece(2, "Toll rises", ("The death toll in Jajarkot has risen to 157 on Wednesday.",),
                   "Herald")  # fmt: skip
    copy = Piece(3, "Quake kills 12 in Nepal", SENT, "Copier", duplicate_of=1)
    added = timeline([FIRST, report, copy])
    assert list(added) == [2] and "157" in added[2][0].text
