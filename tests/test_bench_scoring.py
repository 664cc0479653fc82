"""The benchmark's scoring rules, pinned down so that a change to them is a deliberate one.

These need neither the dataset nor the peer extractors, so they run in the normal suite.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.peers import html_to_text, split_authors
from bench.scoring import (
    PageScore,
    author_matches,
    body_score,
    date_matches,
    shingles,
    summarise,
    title_matches,
    words,
)

BODY = (
    "The council voted on Tuesday to close the old library for repairs.\n\n"
    "Work will start in March and take about six months, officials said."
)


def test_identical_texts_score_one() -> None:
    assert body_score(BODY, BODY) == PageScore(1.0, 1.0)


def test_layout_and_case_do_not_matter() -> None:
    """Shingles are word tokens, so paragraph breaks, case and punctuation are ignored."""
    flattened = BODY.replace("\n\n", " ").upper().replace(",", "")
    assert body_score(flattened, BODY) == PageScore(1.0, 1.0)


def test_disjoint_texts_score_zero() -> None:
    other = "Subscribe to our newsletter for the latest deals and offers every week."
    assert body_score(other, BODY) == PageScore(0.0, 0.0)


def test_boilerplate_lowers_precision_not_recall() -> None:
    noisy = "Home | News | Sport | Weather\n\n" + BODY + "\n\nShare this article on Facebook"
    score = body_score(noisy, BODY)
    assert score.recall == 1.0
    assert 0.5 < score.precision < 1.0


def test_missing_paragraph_lowers_recall_not_precision() -> None:
    first = BODY.split("\n\n")[0]
    score = body_score(first, BODY)
    assert score.precision == 1.0
    assert 0.0 < score.recall < 1.0


def test_empty_prediction_scores_zero_on_a_page_with_content() -> None:
    assert body_score("", BODY) == PageScore(0.0, 0.0)


def test_empty_beside_empty_is_perfect() -> None:
    assert body_score("", "") == PageScore(1.0, 1.0)


def test_text_for_an_empty_page_has_zero_precision_full_recall() -> None:
    assert body_score("Some menu text here", "") == PageScore(0.0, 1.0)


def test_short_texts_are_one_shingle() -> None:
    assert shingles("Hello world") == {("hello", "world")}
    assert body_score("Hello, world!", "hello world") == PageScore(1.0, 1.0)
    assert body_score("Hello there", "hello world") == PageScore(0.0, 0.0)


def test_unicode_compatibility_forms_are_folded() -> None:
    """NFKC: a ligature and a full-width digit read as the plain letters and digit."""
    assert shingles("ﬁnal ３ points") == shingles("final 3 points")


def test_unspaced_scripts_count_each_character_as_a_token() -> None:
    """Japanese, Chinese and Thai have no spaces: one sentence must not be one "word", or a
    page in those scripts scores nothing however well it was extracted."""
    assert words("東京は晴れ") == ["東", "京", "は", "晴", "れ"]
    assert words("ภาษาไทย") == list("ภาษาไทย")
    assert words("Tokyo 東京 2025") == ["tokyo", "東", "京", "2025"]
    assert words("서울 날씨") == ["서울", "날씨"]  # Korean is written with spaces


def test_a_half_extracted_japanese_page_scores_half_recall() -> None:
    truth = "東京都は新しい図書館を来年春に開くと発表した。\n\n工事は三月に始まる予定だ。"
    first = truth.split("\n\n")[0]
    score = body_score(first, truth)
    assert score.precision == 1.0
    assert 0.5 < score.recall < 1.0


def test_summarise_averages_per_page_then_takes_f1() -> None:
    summary = summarise([PageScore(1.0, 0.5), PageScore(0.5, 0.5)])
    assert summary.pages == 2
    assert summary.precision == pytest.approx(0.75)
    assert summary.recall == pytest.approx(0.5)
    assert summary.f1 == pytest.approx(2 * 0.75 * 0.5 / 1.25)


def test_summarise_of_nothing_is_zero() -> None:
    summary = summarise([])
    assert (summary.pages, summary.f1) == (0, 0.0)


@pytest.mark.parametrize(
    ("predicted", "truth"),
    [
        ("Council to close old library", "Council to close old library"),
        ("council to close OLD library!", "Council to close old library"),
        (
            "Council votes to close the old library for repairs next spring | Herald",
            "Council votes to close the old library for repairs next spring",
        ),
    ],
)
def test_title_matches(predicted: str, truth: str) -> None:
    assert title_matches(predicted, truth)


@pytest.mark.parametrize(
    ("predicted", "truth"),
    [
        (None, "Council to close old library"),
        ("", "Council to close old library"),
        (
            "Council to close old library - The Springfield Daily Herald",
            "Council to close old library",
        ),
        ("Weather forecast for Tuesday", "Council to close old library"),
    ],
)
def test_title_mismatches(predicted: str | None, truth: str) -> None:
    """A long site suffix on a short title is past the tolerance; so is a different title."""
    assert not title_matches(predicted, truth)


@pytest.mark.parametrize(
    ("predicted", "truth"),
    [
        ("By Jane Doe", "Jane Doe"),
        (["Jane Doe"], "Jane Doe"),
        ("jane doe", "Jane Doe"),
        (["Jane Doe", "John Smith"], "Jane Doe and John Smith"),
        (["John Smith", "Jane Doe"], "Jane Doe, John Smith"),
        ("Written by Jane Doe", "Jane Doe"),
    ],
)
def test_author_matches(predicted: str | list[str], truth: str) -> None:
    assert author_matches(predicted, truth)


@pytest.mark.parametrize(
    ("predicted", "truth"),
    [
        (None, "Jane Doe"),
        ([], "Jane Doe"),
        ("John Smith", "Jane Doe"),
        (["Jane Doe"], "Jane Doe and John Smith"),
        (["Jane Doe", "Staff Reporter", "Herald Newsroom"], "Jane Doe"),
    ],
)
def test_author_mismatches(predicted: str | list[str] | None, truth: str) -> None:
    assert not author_matches(predicted, truth)


def test_a_reviewed_empty_byline_matches_only_no_author() -> None:
    """fundus-dev says "no byline" with an empty list: naming the outlet there is wrong."""
    assert author_matches([], "")
    assert author_matches(None, "")
    assert not author_matches(["Herald Newsroom"], "")


@pytest.mark.parametrize(
    "predicted",
    [
        "2025-09-04",
        "2025-09-04T18:30:00+02:00",
        date(2025, 9, 4),
        datetime(2025, 9, 4, 23, 59, tzinfo=UTC),
    ],
)
def test_date_matches_the_same_day(predicted: date | datetime | str) -> None:
    assert date_matches(predicted, "2025-09-04")


@pytest.mark.parametrize("predicted", [None, "", "2025-09-05", date(2025, 9, 3), "2025-09"])
def test_date_mismatches(predicted: date | str | None) -> None:
    assert not date_matches(predicted, "2025-09-04")


def test_the_same_moment_matches_in_either_offset() -> None:
    """A ground truth in UTC and a page in its own offset name the same moment."""
    assert date_matches("2024-05-03T01:30:00+02:00", "2024-05-02 23:30:00+00:00")
    assert date_matches(datetime(2024, 5, 3, 1, 30, tzinfo=UTC), "2024-05-03 03:30:00+02:00")
    assert not date_matches("2024-05-04T01:30:00+02:00", "2024-05-02 23:30:00+00:00")


def test_month_only_truth_is_matched_at_month_precision() -> None:
    assert date_matches("2025-08-14", "2025-08")
    assert not date_matches("2025-07-14", "2025-08")


def test_empty_truth_date_never_matches() -> None:
    assert not date_matches("2025-08-14", "")


def test_html_to_text_splits_blocks_and_drops_scripts() -> None:
    fragment = (
        "<div><h1>Title</h1><p>One <b>bold</b> word<!-- note -->s.</p>"
        "<script>var x = 1;</script><ul><li>a</li><li>b</li></ul>tail</div>"
    )
    assert html_to_text(fragment) == "Title\n\nOne bold words.\n\na\n\nb\n\ntail"


def test_html_to_text_of_nothing_is_empty() -> None:
    assert html_to_text("") == ""
    assert html_to_text("   ") == ""


def test_split_authors_on_semicolons() -> None:
    assert split_authors("Jane Doe; John Smith") == ["Jane Doe", "John Smith"]
    assert split_authors(None) == []
