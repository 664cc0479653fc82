"""What each outlet adds: the numbers, quotes and people only it has, whom it quotes, and
copies shown as copies of their origin."""

from __future__ import annotations

from typing import Any

from handpicked.understand.outlet_additions import outlet_additions, speakers

from .pieces import Piece


def person(name: str) -> dict[str, Any]:
    return {"name": name, "kind": "person", "mentions": 1}


WIRE = Piece(
    1,
    "Quake kills 12 in Nepal",
    (
        "A magnitude 7.8 earthquake struck western Nepal on Tuesday, killing at least 12 people "
        "in Jajarkot district.",
        "“We are still searching for people under the rubble,” said district official Harish "
        "Sharma.",
    ),
    "Wire Desk",
    entities=[person("Harish Sharma")],
)
HERALD = Piece(
    2,
    "Nepal quake: villages cut off",
    (
        "The magnitude 7.8 earthquake in western Nepal injured 140 people in Jajarkot, "
        "hospital staff said.",
        "“Entire villages are gone, and we cannot reach them by road,” Prime Minister Pushpa "
        "Dahal told reporters.",
        "Harish Sharma said rescue teams were still searching under the rubble.",
    ),
    "Daily Herald",
    entities=[person("Pushpa Dahal"), person("Harish Sharma")],
)
COPY = Piece(3, "Quake kills 12 in Nepal", WIRE.paragraphs, "Copier Times", duplicate_of=1)


def test_each_outlet_gets_the_numbers_quotes_and_people_only_it_has() -> None:
    wire, herald, _copy = outlet_additions([WIRE, HERALD, COPY], copy_ids={3})
    assert wire.outlet == "Wire Desk" and herald.outlet == "Daily Herald"
    assert [f.kind for f in wire.facts] == ["number"] and "12 people" in wire.facts[0].text
    assert {f.kind for f in herald.facts} == {"number", "quote"}
    assert any("140" in f.text for f in herald.facts)
    assert any("Entire villages" in f.text and f.article_id == 2 for f in herald.facts)
    assert herald.people == ("Pushpa Dahal",)  # Harish Sharma is in the wire's report too
    assert wire.people == ()


def test_a_copy_adds_nothing_and_is_shown_as_a_copy_of_its_origin() -> None:
    *_, copy = outlet_additions([WIRE, HERALD, COPY], copy_ids={3})
    assert copy.is_copy and copy.copy_of == "Wire Desk" and copy.copy_of_article == 1
    assert not copy.adds_anything and copy.speakers == ()


def test_a_copy_does_not_make_its_origins_facts_look_shared() -> None:
    wire, _copy = outlet_additions([WIRE, COPY], copy_ids={3})
    assert wire.facts == ()  # nobody else reported: nothing to compare with, nothing claimed
    alone = outlet_additions([WIRE, HERALD])[0]
    copied = outlet_additions([WIRE, HERALD, COPY], copy_ids={3})[0]
    assert alone.facts == copied.facts


def test_whom_an_outlet_quotes_comes_from_the_attribution_beside_each_quote() -> None:
    assert outlet_additions([WIRE, HERALD])[0].speakers == ("Harish Sharma",)
    assert outlet_additions([WIRE, HERALD])[1].speakers == ("Pushpa Dahal",)


def test_a_surname_or_a_name_beside_a_speech_verb_names_the_speaker() -> None:
    piece = Piece(
        9,
        "Trial",
        (
            "“The evidence will show he knew,” Lee told the jury.",
            "“We will appeal this verdict at once.” said defence lawyer Maria Gomez.",
            "“Nobody saw anything,” a neighbour said.",
            "“This has been a complex case,” he told The Daily Ledger.",
            "The Harbour Trust said it had “always acted within the rules of the port”.",
            "Its website calls the firm “the oldest trading house of the coast”.",
        ),
        entities=[person("Ann Lee"), {"name": "Harbour Trust", "kind": "organisation"}],
    )
    assert speakers(piece) == ["Ann Lee", "Maria Gomez"]  # not the listener, a body, or text
