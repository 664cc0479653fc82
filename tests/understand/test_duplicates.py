"""Duplicate detection as a reader sees it: one article under other chrome is seen once, while
distinct articles about the same event stay apart."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from handpicked import extract
from handpicked.understand.duplicates import (
    DuplicateIndex,
    Fingerprint,
    Match,
    containment,
    exact_key,
    fingerprint,
    is_duplicate,
    normalise_body,
    pick_original,
    similarity,
)

SEED = Path(__file__).parent.parent / "fixtures" / "seed-article"

_PARAGRAPHS = [
    "The city council voted on Tuesday evening to approve a new budget that raises spending on "
    "public transport by twelve percent, after a debate that lasted more than six hours and "
    "drew hundreds of residents to the chamber.",
    "Supporters said the money would pay for longer bus hours, new tram lines in the eastern "
    "districts and a discount for students, while opponents warned that the plan relied on "
    "optimistic forecasts of property tax income.",
    "The mayor, who had campaigned on the promise of cheaper fares, called the vote a turning "
    "point for the city and thanked the members who crossed party lines to back the measure in "
    "the final round of voting.",
    "Critics on the finance committee said they would ask the regional auditor to review the "
    "figures before the first payments are made next spring, and several business groups "
    "signalled that they might challenge the tax changes in court.",
    "Construction of the first tram extension is expected to begin in the autumn, according to "
    "the transport department, which said that detailed timetables would be published once the "
    "contracts with the builders had been signed.",
]
ORIGINAL = "\n\n".join(_PARAGRAPHS)

OTHER_OUTLET = "\n\n".join(
    [
        "Residents packed the council chamber on Tuesday as members debated the budget for next "
        "year, with transport spending at the centre of a long and often heated session.",
        "In the end the council backed the plan, which adds twelve percent to the transport "
        "budget. The mayor called the vote a turning point for the city, and the opposition "
        "leader said the forecasts behind it were optimistic at best.",
        "Business groups said they were studying the tax changes. Several of them have hinted at "
        "a legal challenge, and the finance committee wants the regional auditor to look at the "
        "numbers before any money is spent on the new tram lines.",
        "The transport department said building work on the first tram extension could start in "
        "the autumn, with timetables to follow once contracts are signed with the builders.",
    ]
)


def _edited() -> str:
    """A changed word in every paragraph, other quotes and dashes, a syndication line."""
    swaps = [("evening", "night"), ("warned", "cautioned"), ("thanked", "praised")]
    paragraphs = list(_PARAGRAPHS)
    for index, (old, new) in enumerate(swaps):
        paragraphs[index] = paragraphs[index].replace(old, new, 1)
    paragraphs[1] = paragraphs[1].replace("while", "— while")
    paragraphs.append("Produced in association with The Metro Wire.")
    return "\n\n".join(paragraphs)


def test_seed_pages_are_one_article_and_the_syndicator_is_the_original() -> None:
    page = extract((SEED / "page.html").read_bytes())
    copy = extract((SEED / "syndicated-copy.html").read_bytes())
    index = DuplicateIndex()
    assert index.add(1, fingerprint(page.text)) is None
    match = index.add(2, fingerprint(copy.text))
    assert match is not None and match.article_id == 1 and not match.exact
    assert pick_original(page, copy) is copy
    assert pick_original(copy, page) is copy
    # The credit decides even when the republication claims the earlier date.
    earlier = dataclasses.replace(page, published=datetime(2023, 1, 1, tzinfo=UTC))
    assert pick_original(earlier, copy) is copy


def test_pick_original_without_credit_uses_date_then_id() -> None:
    @dataclasses.dataclass
    class Stored:
        id: int
        published: datetime | None
        site_name: str | None = None
        syndicated_from: str | None = None
        url: str | None = None
        canonical_url: str | None = None

    early = Stored(7, datetime(2024, 5, 1, tzinfo=UTC))
    late = Stored(3, datetime(2024, 5, 2))  # naive reads as UTC
    assert pick_original(late, early) is early
    assert pick_original(Stored(9, None), Stored(4, None)).id == 4
    by_host = Stored(5, None, url="https://www.jns.example/x")
    crediting = Stored(1, None, syndicated_from="JNS")
    assert pick_original(crediting, by_host) is by_host


def test_exact_duplicates_differ_only_in_case_spacing_quotes_and_dashes() -> None:
    styled = ORIGINAL.replace("twelve percent,", "twelve percent —").replace("'", "’")
    styled = styled.replace("transport", "Transport").replace(" ", "  ")
    plain = ORIGINAL.replace("twelve percent,", "twelve percent -")
    assert exact_key(styled) == exact_key(plain)
    assert normalise_body("“Quote” – ‘x’") == "\"quote\" - 'x'"
    index = DuplicateIndex()
    index.add(1, fingerprint(plain))
    assert index.add(2, fingerprint(styled)) == Match(1, 1.0, True)


def test_light_edits_are_the_same_article() -> None:
    a, b = fingerprint(ORIGINAL), fingerprint(_edited())
    assert similarity(a, b) >= 0.6
    assert is_duplicate(a, b)


def test_a_dropped_paragraph_is_the_same_article() -> None:
    truncated = "\n\n".join(_PARAGRAPHS[:-1])
    a, b = fingerprint(ORIGINAL), fingerprint(truncated)
    assert containment(a, b) >= 0.9
    assert is_duplicate(a, b)


def test_distinct_articles_about_the_same_event_are_not_merged() -> None:
    a, b = fingerprint(ORIGINAL), fingerprint(OTHER_OUTLET)
    assert similarity(a, b) < 0.2
    assert not is_duplicate(a, b)
    index = DuplicateIndex()
    index.add(1, a)
    assert index.add(2, b) is None


def test_short_texts_match_only_when_nearly_identical() -> None:
    short = "The bridge reopens on Monday after two years of repairs, the city said."
    edited = short.replace("Monday", "Tuesday")
    assert fingerprint(short).words < 50
    assert not is_duplicate(fingerprint(short), fingerprint(edited))
    assert is_duplicate(fingerprint(short), fingerprint(short.upper()))
    empty = fingerprint("")
    assert not is_duplicate(empty, fingerprint("   "))


def test_index_add_returns_the_best_earlier_match_and_query_leaves_it_alone() -> None:
    index = DuplicateIndex()
    assert index.add(10, fingerprint(ORIGINAL)) is None
    assert index.add(11, fingerprint(OTHER_OUTLET)) is None
    near = index.add(12, fingerprint(_edited()))
    assert near is not None and near.article_id == 10 and not near.exact
    exact = index.add(13, fingerprint(ORIGINAL))
    assert exact == Match(10, 1.0, True)
    found = index.query(fingerprint(ORIGINAL))
    assert [m.article_id for m in found][:2] == [10, 13]
    assert {m.article_id for m in found} == {10, 12, 13}
    assert len(index) == 4
    index.discard(10)
    assert index.query(fingerprint(ORIGINAL))[0] == Match(13, 1.0, True)


def test_serialise_and_reload() -> None:
    index = DuplicateIndex()
    when = datetime(2024, 1, 2, tzinfo=UTC)
    index.add(1, fingerprint(ORIGINAL), published=when, site="metro.example")
    index.add(2, fingerprint(OTHER_OUTLET))
    rows = index.to_rows()
    assert rows[0].published == when and rows[0].site == "metro.example"
    assert len(rows[0].fingerprint) == 553
    again = DuplicateIndex.from_rows(rows)
    assert len(again) == 2 and again.ids() == [1, 2]
    assert again.query(fingerprint(_edited()))[0].article_id == 1
    fp = fingerprint(ORIGINAL)
    assert Fingerprint.from_bytes(fp.to_bytes()) == fp
    with pytest.raises(ValueError):
        Fingerprint.from_bytes(b"\x09" + fp.to_bytes()[1:])


def test_german_text() -> None:
    german = (
        "Der Stadtrat hat am Dienstagabend einen neuen Haushalt beschlossen, der die Ausgaben "
        "für den öffentlichen Nahverkehr um zwölf Prozent erhöht. Die Debatte dauerte mehr als "
        "sechs Stunden, und Hunderte Bürgerinnen und Bürger verfolgten sie im Saal. Befürworter "
        "sagten, das Geld werde längere Busfahrzeiten, neue Straßenbahnlinien im Osten der Stadt "
        "und Rabatte für Studierende ermöglichen; Gegner warnten vor zu optimistischen Prognosen."
    )
    edited = german.replace("Gegner warnten", "Kritiker warnten").replace("„", '"')
    assert is_duplicate(fingerprint(german), fingerprint(edited))
    assert exact_key(german.replace("ß", "ss")) == exact_key(german)  # casefold: ß is ss


def test_japanese_text_uses_characters() -> None:
    japanese = (
        "市議会は火曜日の夜、公共交通機関への支出を12パーセント増やす新しい予算案を可決した。"
        "審議は6時間以上続き、数百人の住民が議場に詰めかけた。賛成派は、この資金でバスの運行時間を"
        "延長し、東部地区に新しい路面電車の路線を建設し、学生向けの割引を導入できると述べた。"
        "一方、反対派は、計画が固定資産税収入の楽観的な予測に依存していると警告した。市長は"
        "この投票を市の転換点と呼び、党派を超えて賛成した議員に感謝した。"
    )
    edited = japanese.replace("警告した", "指摘した")
    other = (
        "東京都は水曜日、来年度から都営バスの運賃を引き下げると発表した。対象は高校生と大学生で、"
        "通学定期の価格は平均で二割安くなる。都の担当者は、物価高で家計の負担が増すなか、若い世代の"
        "移動を支えたいと説明した。財源には都税収入の増加分を充てるという。"
    )
    a = fingerprint(japanese)
    assert a.shingles > 100 and a.words >= 50
    assert is_duplicate(a, fingerprint(edited))
    assert not is_duplicate(a, fingerprint(other))
