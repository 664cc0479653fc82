"""Threads: a story that comes back after the grouping window closed is linked to the older
story of the same matter, never to a look-alike event of the same kind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handpicked.understand.threads import ThreadIndex, names_of

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WINDOW = timedelta(hours=72)

TRIAL = (
    "Former mayor Viktor Halloran goes on trial in Brackwater",
    "The fraud trial of former Brackwater mayor Viktor Halloran opened at Ellsworth County Court "
    "before Judge Miriam Oduya, with prosecutor Dana Whitcombe describing $4.2 million in "
    "diverted harbour funds.",
)
VERDICT = (
    "Jury finds Viktor Halloran guilty",
    "A jury at Ellsworth County Court found former Brackwater mayor Viktor Halloran guilty of "
    "fraud; Judge Miriam Oduya set sentencing for May, prosecutor Dana Whitcombe said.",
)
OTHER_TRIAL = (
    "Former councillor goes on trial in Lindqvist",
    "The fraud trial of former Lindqvist councillor Petra Sandoval opened at Marlow District "
    "Court before Judge Tobias Renner, with prosecutor Ines Farrow describing diverted funds.",
)
FILLER = [
    (f"Market report {n}", f"Shares in Company{n} rose as Analyst{n} Smith{n} said Region{n} grew.")
    for n in range(40)
]


def _names(title: str, text: str) -> frozenset[str]:
    return names_of(title, text, ())


def _index_with_background() -> ThreadIndex:
    """An index that has seen unrelated news (so that names have frequencies to weigh by)."""
    index = ThreadIndex(window=WINDOW)
    for n, (title, text) in enumerate(FILLER):
        index.add(1000 + n, _names(title, text), START - timedelta(days=20, hours=n))
    return index


def test_a_story_back_after_the_window_closed_continues_the_older_one() -> None:
    index = _index_with_background()
    assert index.add(1, _names(*TRIAL), START) is None
    index.add(1, _names(*TRIAL), START + timedelta(hours=5))
    link = index.add(2, _names(*VERDICT), START + timedelta(days=18))
    assert link is not None and (link.story_id, link.continues, link.thread) == (2, 1, 1)
    third = index.add(3, _names(*VERDICT), START + timedelta(days=30))
    assert third is not None and third.thread == 1  # the thread keeps its first story's name


def test_a_look_alike_event_of_the_same_kind_is_not_linked() -> None:
    index = _index_with_background()
    index.add(1, _names(*TRIAL), START)
    assert index.add(2, _names(*OTHER_TRIAL), START + timedelta(days=10)) is None


def test_a_story_whose_older_match_is_still_in_its_window_is_not_threaded() -> None:
    index = _index_with_background()
    index.add(1, _names(*TRIAL), START)
    assert index.add(2, _names(*VERDICT), START + timedelta(hours=30)) is None  # grouping's call


def test_nothing_is_linked_past_the_horizon() -> None:
    index = _index_with_background()
    index.add(1, _names(*TRIAL), START)
    assert index.add(2, _names(*VERDICT), START + timedelta(days=90)) is None


def test_names_are_the_capitalised_words_numbers_and_entities_not_function_words() -> None:
    found = names_of("The verdict: Halloran guilty", "After 3 days, the jury agreed.",
                     ["person:viktor halloran", "topic:crime"])  # fmt: skip
    assert found == {"halloran", "viktor", "3"}


def test_stories_too_old_to_be_continued_are_forgotten() -> None:
    index = _index_with_background()
    index.add(1, _names(*TRIAL), START)
    later = START + timedelta(days=200)
    for n in range(300):
        index.add(2000 + n, _names(f"Report {n}", f"Town{n} news"), later + timedelta(minutes=n))
    assert 1 not in index.stories and 1000 not in index.stories
    assert index.add(3, _names(*VERDICT), later + timedelta(days=1)) is None
