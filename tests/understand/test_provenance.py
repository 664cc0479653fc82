"""Provenance: a story's independent reports versus copies of one origin, from duplicate
fingerprints, syndication lines, wire bylines and datelines, photo and editor credits."""

from __future__ import annotations

from dataclasses import dataclass, field

from handpicked.article import Image
from handpicked.understand.provenance import Provenance, agency, story_provenance


@dataclass(frozen=True)
class Piece:
    id: int
    site_name: str
    duplicate_of: int | None = None
    syndicated_from: str | None = None
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ("Officials said on Tuesday that the rescue went on.",)
    images: tuple[Image, ...] = ()
    url: str | None = None
    canonical_url: str = field(default="")


def test_twelve_outlets_can_be_three_reports_and_nine_copies_of_ap() -> None:
    wire = Piece(1, "Daily Ledger", paragraphs=("KATHMANDU, Nepal (AP) — A strong quake hit.",))
    copies = [Piece(10 + n, f"Paper {n}", duplicate_of=1) for n in range(9)]
    own = [Piece(2, "BBC"), Piece(3, "The Guardian")]
    found = story_provenance([wire, *copies, *own])
    assert found.reports == 3
    assert found.words() == "3 reports, 9 copies of AP"
    assert found.copy_ids == {10 + n for n in range(9)}


def test_a_wire_byline_or_dateline_makes_rewritten_versions_one_report() -> None:
    early = Piece(1, "Herald", authors=("By The Associated Press",))
    later = Piece(2, "Courier", paragraphs=("WASHINGTON (AP) — The Senate voted on Monday.",))
    reuters = Piece(3, "Times", paragraphs=("LONDON, March 3 (Reuters) - Prices rose.",))
    found = story_provenance([early, later, reuters])
    assert found.reports == 2
    assert found.words() == "2 reports, 1 copy of AP"


def test_a_syndication_line_names_the_origin_of_its_copies() -> None:
    original = Piece(1, "Jewish News Syndicate")
    copy = Piece(2, "The Ledger", duplicate_of=1, syndicated_from="Jewish News Syndicate")
    assert story_provenance([original, copy]).words() == "1 report, 1 copy of Jewish News Syndicate"


def test_copies_without_a_credit_are_named_after_a_shared_agency_photo_or_the_original() -> None:
    photo = (Image("https://img.example/q.jpg", credit="AP Photo/Niranjan Shrestha"),)
    original = Piece(1, "Kathmandu Post", images=photo)
    copy = Piece(2, "Himalayan Times", duplicate_of=1, images=photo)
    assert story_provenance([original, copy]).words() == "1 report, 1 copy of AP"
    plain = story_provenance([Piece(1, "Kathmandu Post"), Piece(2, "Other", duplicate_of=1)])
    assert plain.words() == "1 report, 1 copy of Kathmandu Post"


def test_shared_editor_credits_join_articles_that_are_not_fingerprint_copies() -> None:
    a = Piece(1, "One", editors=("Jane Doe", "Max Mustermann"))
    b = Piece(2, "Two", editors=("Max Mustermann", "Jane Doe"))
    c = Piece(3, "Three", editors=("Someone Else",))
    assert story_provenance([a, b, c]).reports == 2


def test_independent_reports_have_no_copies_and_the_record_round_trips() -> None:
    found = story_provenance([Piece(1, "A"), Piece(2, "B")])
    assert found.words() == "2 reports" and found.copy_count == 0
    again = story_provenance([Piece(1, "A"), Piece(2, "B", duplicate_of=1)])
    assert Provenance.from_dict(again.to_dict()) == again
    assert Provenance.from_dict(None) is None and Provenance.from_dict({"x": 1}) is None


def test_agency_names_are_read_from_credits_not_from_words_inside_names() -> None:
    assert agency("AP Photo/Evan Vucci") == "AP"
    assert agency("dpa/AFP") == "dpa"
    assert agency("Reuters Staff") == "Reuters"
    assert agency("Agence France-Presse") == "AFP"
    assert agency("Getty Images via AFP") == "AFP"
    assert agency("Apple Press") is None
    assert agency("Jane Papadopoulos") is None


def test_the_digest_line_counts_copies_as_copies() -> None:
    from datetime import UTC, datetime

    from handpicked.deliver.wording import also_covered
    from handpicked.pick.digest import DigestItem
    from handpicked.store import StoredArticle

    article = StoredArticle(
        id=1, canonical_url="https://a.example/1", url=None, source_id=None,
        fetched_at=datetime(2026, 1, 1, tzinfo=UTC), content_hash="", word_count=0, text="",
        title="Quake", authors=(), published=None, updated=None, site_name="Wire Desk",
        language="en", section=None, tags=(), lead=None, paragraphs=(), pull_quotes=(),
        images=(), syndicated_from=None, editors=(), is_article=True,
    )  # fmt: skip
    found = story_provenance([Piece(1, "Wire Desk"), Piece(2, "BBC"),
                              Piece(3, "Copier", duplicate_of=1)])  # fmt: skip
    item = DigestItem(None, article, (), ("Wire Desk", "BBC", "Copier"), 1.0, provenance=found)
    assert also_covered(item) == (
        "Also covered by 2 outlets: BBC, Copier — 2 reports, 1 copy of Wire Desk"
    )
    plain = DigestItem(None, article, (), ("Wire Desk", "BBC"), 1.0)
    assert also_covered(plain) == "Also covered by 1 outlet: BBC"
