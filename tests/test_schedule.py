"""Digest schedules: parsing, time zones, and slots that stay put across daylight saving.

The slot instant is the exactly-once delivery key, so besides worked examples on the DST days of
several zones there are property tests (ordering, determinism, spacing) and a brute-force check
of the gap/fold rules against the definition "the first instant whose local wall-clock reading
reaches the scheduled time".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from itertools import pairwise
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handpicked.schedule import (
    DEFAULT_SCHEDULE,
    Schedule,
    ScheduleError,
    check_time_zone,
    latest_slot,
    next_slot,
    parse_schedule,
    previous_slot,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
ALL_DAYS = frozenset(range(7))

SlotFunction = Callable[[Schedule, str | ZoneInfo, datetime], datetime]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def slots_from(
    schedule: Schedule, tz: str | ZoneInfo, start: datetime, count: int
) -> list[datetime]:
    """The first `count` slots strictly after `start`."""
    found: list[datetime] = []
    moment = start
    for _ in range(count):
        moment = next_slot(schedule, tz, moment)
        found.append(moment)
    return found


def slots_between(
    schedule: Schedule, tz: str | ZoneInfo, start: datetime, end: datetime
) -> list[datetime]:
    """Every slot in (start, end]."""
    found: list[datetime] = []
    moment = next_slot(schedule, tz, start)
    while moment <= end:
        found.append(moment)
        moment = next_slot(schedule, tz, moment)
    return found


# --- parsing ---------------------------------------------------------------------------------

T7 = (time(7, 0),)
PARSED = [
    ("daily", T7, ALL_DAYS),
    ("daily 07:00", T7, ALL_DAYS),
    ("daily at 7:00", T7, ALL_DAYS),
    ("daily 7am", T7, ALL_DAYS),
    ("daily 7 AM", T7, ALL_DAYS),
    ("daily 7:30pm", (time(19, 30),), ALL_DAYS),
    ("Daily 7:30 p.m.", (time(19, 30),), ALL_DAYS),
    ("daily 12am 12pm", (time(0, 0), time(12, 0)), ALL_DAYS),
    ("daily 07:00 12:00 18:00", (time(7), time(12), time(18)), ALL_DAYS),
    ("07:00,18:00", (time(7), time(18)), ALL_DAYS),
    ("18:00, 07:00, 07:00", (time(7), time(18)), ALL_DAYS),
    ("  DAILY   AT  06:15  ", (time(6, 15),), ALL_DAYS),
    ("every day at 6:15am", (time(6, 15),), ALL_DAYS),
    ("twice daily", (time(7), time(18)), ALL_DAYS),
    ("twice a day", (time(7), time(18)), ALL_DAYS),
    ("twice daily at 8:00 and 20:00", (time(8), time(20)), ALL_DAYS),
    ("weekly", T7, frozenset({0})),
    ("weekly monday 08:00", (time(8),), frozenset({0})),
    ("weekly on fri at 17:00", (time(17),), frozenset({4})),
    ("WEEKLY SUNDAY 9AM", (time(9),), frozenset({6})),
    ("mon 08:00", (time(8),), frozenset({0})),
    ("mondays 08:00", (time(8),), frozenset({0})),
    ("mon,thu 9:00", (time(9),), frozenset({0, 3})),
    ("mon , thu 9:00", (time(9),), frozenset({0, 3})),
    ("on tues and thurs at 9", (time(9),), frozenset({1, 3})),
    ("weekdays 07:30", (time(7, 30),), frozenset(range(5))),
    ("weekends 09:00", (time(9),), frozenset({5, 6})),
    ("mon-fri 8:00", (time(8),), frozenset(range(5))),
    ("fri-mon 8:00", (time(8),), frozenset({4, 5, 6, 0})),
    ("sat", T7, frozenset({5})),
]


@pytest.mark.parametrize(("spec", "times", "weekdays"), PARSED)
def test_parse_forms(spec: str, times: tuple[time, ...], weekdays: frozenset[int]) -> None:
    schedule = parse_schedule(spec)
    assert schedule == Schedule(times=times, weekdays=weekdays)
    assert parse_schedule(schedule.spec) == schedule


@pytest.mark.parametrize(
    ("spec", "canonical", "described"),
    [
        ("daily", "daily 07:00", "daily at 07:00"),
        ("07:00,18:00", "daily 07:00 18:00", "twice a day at 07:00 and 18:00"),
        ("twice daily", "daily 07:00 18:00", "twice a day at 07:00 and 18:00"),
        ("7 12 6pm", "daily 07:00 12:00 18:00", "3 times a day at 07:00, 12:00 and 18:00"),
        ("weekly", "weekly mon 07:00", "weekly on Monday at 07:00"),
        ("monday 8:00", "weekly mon 08:00", "weekly on Monday at 08:00"),
        ("weekly fri 8 17", "weekly fri 08:00 17:00", "weekly on Friday at 08:00 and 17:00"),
        ("weekdays 07:30", "weekdays 07:30", "on weekdays at 07:30"),
        ("mon-fri 7:30", "weekdays 07:30", "on weekdays at 07:30"),
        ("sat,sun 9:00", "weekends 09:00", "on weekends at 09:00"),
        ("thu,mon 9:00", "mon,thu 09:00", "on Monday and Thursday at 09:00"),
        (
            "mon wed fri 7 18",
            "mon,wed,fri 07:00 18:00",
            "twice a day on Monday, Wednesday and Friday at 07:00 and 18:00",
        ),
        ("weekdays 7 18", "weekdays 07:00 18:00", "twice a day on weekdays at 07:00 and 18:00"),
    ],
)
def test_spec_and_describe(spec: str, canonical: str, described: str) -> None:
    schedule = parse_schedule(spec)
    assert schedule.spec == canonical
    assert schedule.describe() == described
    assert parse_schedule(canonical) == schedule


def test_default_schedule() -> None:
    schedule = parse_schedule(DEFAULT_SCHEDULE)
    assert schedule == Schedule(times=T7, weekdays=ALL_DAYS)
    assert schedule.spec == DEFAULT_SCHEDULE


def test_twenty_four_times_are_allowed() -> None:
    schedule = parse_schedule(" ".join(f"{hour}:00" for hour in range(24)))
    assert len(schedule.times) == 24
    assert schedule.describe().startswith("24 times a day at 00:00, 01:00")


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("", "empty schedule"),
        ("   ", "empty schedule"),
        ("junk", "could not read 'junk'"),
        ("daily at noonish", "could not read 'noonish'"),
        ("every fortnight", "could not read 'fortnight'"),
        ("at on and", "no days or times"),
        ("daily mon 07:00", "both 'daily' and particular days"),
        ("daily weekly", "both 'daily' and 'weekly'"),
        ("twice daily 07:00", "'twice' but gives 1 time"),
        ("daily 7:5", "could not read '7:5'"),
        ("mon-funday 7:00", "could not read 'mon-funday'"),
    ],
)
def test_parse_rejects_junk_with_examples(spec: str, fragment: str) -> None:
    with pytest.raises(ScheduleError, match=r"expected e\.g\.") as caught:
        parse_schedule(spec)
    assert fragment in str(caught.value)


def test_junk_message_lists_the_examples() -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_schedule("whenever")
    message = str(caught.value)
    for example in ("'daily 07:00'", "'weekly mon 08:00'", "'07:00,18:00'"):
        assert example in message


@pytest.mark.parametrize("spec", ["daily 25:00", "daily 24:00", "daily 07:60", "13pm", "0am"])
def test_parse_rejects_impossible_times(spec: str) -> None:
    with pytest.raises(ScheduleError, match="no such time"):
        parse_schedule(spec)


def test_parse_rejects_more_than_24_times() -> None:
    spec = "daily " + " ".join(
        f"{hour:02d}:{minute:02d}" for hour in range(13) for minute in (0, 30)
    )
    with pytest.raises(ScheduleError, match="26 times a day, at most 24"):
        parse_schedule(spec)


def test_parse_rejects_non_text() -> None:
    with pytest.raises(ScheduleError, match="is text"):
        parse_schedule(7)  # type: ignore[arg-type]


def test_schedule_error_is_a_value_error() -> None:
    assert issubclass(ScheduleError, ValueError)


@pytest.mark.parametrize(
    ("times", "weekdays", "fragment"),
    [
        ((), ALL_DAYS, "at least one time"),
        ((time(18), time(7)), ALL_DAYS, "sorted and unique"),
        ((time(7), time(7)), ALL_DAYS, "sorted and unique"),
        ((time(7, 0, 30),), ALL_DAYS, "whole minutes"),
        ((time(7, tzinfo=UTC),), ALL_DAYS, "local wall-clock"),
        (T7, frozenset(), "non-empty"),
        (T7, frozenset({7}), "non-empty set of 0"),
        ((*(time(hour, 30) for hour in range(24)), time(23, 45)), ALL_DAYS, "at most 24"),
    ],
)
def test_schedule_checks_its_invariants(
    times: tuple[time, ...], weekdays: frozenset[int], fragment: str
) -> None:
    with pytest.raises(ScheduleError, match=fragment):
        Schedule(times=times, weekdays=weekdays)


# --- time zones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("  EUROPE/BERLIN ", "Europe/Berlin"),
        ("america/new york", "America/New_York"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("Asia/Kolkata", "Asia/Kolkata"),
    ],
)
def test_check_time_zone_accepts(name: str, key: str) -> None:
    zone = check_time_zone(name)
    assert isinstance(zone, ZoneInfo)
    assert zone.key == key


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("Europe/Berlinn", "'Europe/Berlin'"),
        ("America/NewYork", "'America/New_York'"),
        ("Berlin", "'Europe/Berlin'"),
        ("Asia/Calcuta", "'Asia/Calcutta'"),
    ],
)
def test_check_time_zone_suggests_close_matches(name: str, suggestion: str) -> None:
    with pytest.raises(ScheduleError, match="did you mean") as caught:
        check_time_zone(name)
    message = str(caught.value)
    assert f"unknown time zone {name!r}" in message
    assert suggestion in message
    assert "'America/New_York'" in message  # the examples


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", "   ", "../../etc/passwd"])
def test_check_time_zone_rejects_unknown(name: str) -> None:
    with pytest.raises(ScheduleError, match="IANA name such as 'Europe/Berlin'"):
        check_time_zone(name)


def test_slot_functions_check_the_zone_name() -> None:
    with pytest.raises(ScheduleError, match="did you mean 'Europe/Berlin'"):
        latest_slot(parse_schedule("daily"), "Europe/Berlinn", utc(2024, 5, 1))


@pytest.mark.parametrize("function", [latest_slot, next_slot, previous_slot])
def test_naive_datetimes_are_refused(function: SlotFunction) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        function(parse_schedule("daily"), "UTC", datetime(2024, 5, 1, 12))


# --- slots: ordinary days --------------------------------------------------------------------


def test_utc_several_times_a_day() -> None:
    schedule = parse_schedule("daily 07:00 18:00")
    now = utc(2024, 5, 10, 12)
    assert latest_slot(schedule, "UTC", now) == utc(2024, 5, 10, 7)
    assert next_slot(schedule, "UTC", now) == utc(2024, 5, 10, 18)
    assert previous_slot(schedule, "UTC", utc(2024, 5, 10, 7)) == utc(2024, 5, 9, 18)
    assert slots_from(schedule, "UTC", now, 4) == [
        utc(2024, 5, 10, 18),
        utc(2024, 5, 11, 7),
        utc(2024, 5, 11, 18),
        utc(2024, 5, 12, 7),
    ]


def test_now_exactly_on_a_slot() -> None:
    schedule = parse_schedule("daily 07:00 18:00")
    slot = utc(2024, 5, 10, 7)
    assert latest_slot(schedule, "UTC", slot) == slot
    assert next_slot(schedule, "UTC", slot) == utc(2024, 5, 10, 18)
    assert previous_slot(schedule, "UTC", slot) == utc(2024, 5, 9, 18)


def test_results_are_utc_whatever_zone_now_is_in() -> None:
    schedule = parse_schedule("daily 07:00")
    now_berlin = datetime(2024, 7, 1, 8, 0, tzinfo=BERLIN)  # 06:00 UTC
    now_fixed = now_berlin.astimezone(timezone(timedelta(hours=-3)))
    for now in (now_berlin, now_fixed, now_berlin.astimezone(UTC)):
        slot = latest_slot(schedule, BERLIN, now)
        assert slot == utc(2024, 7, 1, 5)
        assert slot.tzinfo is UTC


def test_new_york_summer_and_winter() -> None:
    schedule = parse_schedule("daily 07:00")
    assert latest_slot(schedule, NEW_YORK, utc(2024, 7, 1, 12)) == utc(2024, 7, 1, 11)
    assert next_slot(schedule, NEW_YORK, utc(2024, 7, 1, 12)) == utc(2024, 7, 2, 11)
    assert latest_slot(schedule, "America/New_York", utc(2024, 1, 15, 12)) == utc(2024, 1, 15, 12)
    assert next_slot(schedule, "America/New_York", utc(2024, 1, 15, 12)) == utc(2024, 1, 16, 12)
    # 06:59 local is still yesterday's digest.
    assert latest_slot(schedule, NEW_YORK, utc(2024, 1, 15, 11, 59)) == utc(2024, 1, 14, 12)


def test_kolkata_half_hour_offset() -> None:
    schedule = parse_schedule("daily 07:00 19:00")
    now = utc(2024, 1, 15, 0, 0)  # 05:30 IST
    assert latest_slot(schedule, KOLKATA, now) == utc(2024, 1, 14, 13, 30)
    assert next_slot(schedule, KOLKATA, now) == utc(2024, 1, 15, 1, 30)
    assert previous_slot(schedule, KOLKATA, utc(2024, 1, 14, 13, 30)) == utc(2024, 1, 14, 1, 30)


def test_lord_howe_both_offsets() -> None:
    schedule = parse_schedule("daily 07:00")
    assert latest_slot(schedule, LORD_HOWE, utc(2024, 1, 10, 0)) == utc(2024, 1, 9, 20, 0)  # +11
    assert latest_slot(schedule, LORD_HOWE, utc(2024, 7, 10, 0)) == utc(2024, 7, 9, 20, 30)


def test_weekly() -> None:
    schedule = parse_schedule("weekly mon 08:00")
    now = utc(2024, 5, 15, 12)  # a Wednesday
    assert latest_slot(schedule, BERLIN, now) == utc(2024, 5, 13, 6)
    assert next_slot(schedule, BERLIN, now) == utc(2024, 5, 20, 6)
    assert previous_slot(schedule, BERLIN, utc(2024, 5, 13, 6)) == utc(2024, 5, 6, 6)
    assert next_slot(schedule, BERLIN, utc(2024, 5, 13, 6)) == utc(2024, 5, 20, 6)


def test_weekly_the_local_date_decides_the_weekday() -> None:
    # Monday 01:00 in Kolkata is still Sunday in UTC: the weekday is the reader's, not UTC's.
    schedule = parse_schedule("weekly mon 01:00")
    assert next_slot(schedule, KOLKATA, utc(2024, 5, 15)) == utc(2024, 5, 19, 19, 30)


def test_weekdays_skip_the_weekend() -> None:
    schedule = parse_schedule("weekdays 07:30")
    saturday = utc(2024, 5, 18, 12)
    assert latest_slot(schedule, "UTC", saturday) == utc(2024, 5, 17, 7, 30)
    assert next_slot(schedule, "UTC", saturday) == utc(2024, 5, 20, 7, 30)
    week = slots_between(schedule, "UTC", utc(2024, 5, 19), utc(2024, 5, 26))
    assert [slot.weekday() for slot in week] == [0, 1, 2, 3, 4]


def test_several_days_and_times() -> None:
    schedule = parse_schedule("mon,thu 7:00 18:00")
    found = slots_between(schedule, NEW_YORK, utc(2024, 5, 12), utc(2024, 5, 19))
    assert found == [
        utc(2024, 5, 13, 11),
        utc(2024, 5, 13, 22),
        utc(2024, 5, 16, 11),
        utc(2024, 5, 16, 22),
    ]


# --- slots: daylight saving ------------------------------------------------------------------


def test_berlin_spring_forward_keeps_local_time() -> None:
    schedule = parse_schedule("daily 07:00")
    found = slots_between(schedule, BERLIN, utc(2024, 3, 29, 12), utc(2024, 4, 1, 12))
    assert found == [utc(2024, 3, 30, 6), utc(2024, 3, 31, 5), utc(2024, 4, 1, 5)]
    assert {slot.astimezone(BERLIN).time() for slot in found} == {time(7)}


def test_berlin_fall_back_keeps_local_time() -> None:
    schedule = parse_schedule("daily 07:00")
    found = slots_between(schedule, BERLIN, utc(2024, 10, 25, 12), utc(2024, 10, 28, 12))
    assert found == [utc(2024, 10, 26, 5), utc(2024, 10, 27, 6), utc(2024, 10, 28, 6)]


def test_new_york_spring_forward_and_fall_back_keep_local_time() -> None:
    schedule = parse_schedule("daily 07:00")
    spring = slots_between(schedule, NEW_YORK, utc(2024, 3, 9), utc(2024, 3, 11))
    assert spring == [utc(2024, 3, 9, 12), utc(2024, 3, 10, 11)]
    fall = slots_between(schedule, NEW_YORK, utc(2024, 11, 2), utc(2024, 11, 4))
    assert fall == [utc(2024, 11, 2, 11), utc(2024, 11, 3, 12)]


def test_berlin_gap_time_moves_to_the_end_of_the_gap() -> None:
    schedule = parse_schedule("daily 02:30")
    found = slots_between(schedule, BERLIN, utc(2024, 3, 29, 12), utc(2024, 4, 1, 12))
    assert found == [utc(2024, 3, 30, 1, 30), utc(2024, 3, 31, 1, 0), utc(2024, 4, 1, 0, 30)]
    gap_day = found[1].astimezone(BERLIN)
    assert (gap_day.date(), gap_day.time()) == (date(2024, 3, 31), time(3, 0))
    now = utc(2024, 3, 31, 1, 30)
    assert latest_slot(schedule, BERLIN, now) == utc(2024, 3, 31, 1)
    assert previous_slot(schedule, BERLIN, utc(2024, 4, 1, 0, 30)) == utc(2024, 3, 31, 1)


def test_new_york_gap_time_moves_to_the_end_of_the_gap() -> None:
    schedule = parse_schedule("daily 02:30")
    assert next_slot(schedule, NEW_YORK, utc(2024, 3, 10)) == utc(2024, 3, 10, 7)  # 03:00 EDT


def test_gap_collapse_gives_one_slot() -> None:
    schedule = parse_schedule("daily 02:15 02:45 03:00")
    found = slots_between(schedule, BERLIN, utc(2024, 3, 30, 12), utc(2024, 4, 1, 3))
    assert found == [
        utc(2024, 3, 31, 1),
        utc(2024, 4, 1, 0, 15),
        utc(2024, 4, 1, 0, 45),
        utc(2024, 4, 1, 1),
    ]


def test_new_york_fall_back_gives_the_first_occurrence_only() -> None:
    schedule = parse_schedule("daily 01:30")
    found = slots_between(schedule, NEW_YORK, utc(2024, 11, 2), utc(2024, 11, 5))
    # 05:30 UTC is 01:30 EDT; 06:30 UTC (01:30 EST, the second time round) is no slot.
    assert found == [utc(2024, 11, 2, 5, 30), utc(2024, 11, 3, 5, 30), utc(2024, 11, 4, 6, 30)]
    assert latest_slot(schedule, NEW_YORK, utc(2024, 11, 3, 6, 45)) == utc(2024, 11, 3, 5, 30)
    assert next_slot(schedule, NEW_YORK, utc(2024, 11, 3, 5, 30)) == utc(2024, 11, 4, 6, 30)


def test_berlin_fall_back_gives_the_first_occurrence_only() -> None:
    schedule = parse_schedule("daily 02:30")
    found = slots_between(schedule, BERLIN, utc(2024, 10, 26, 12), utc(2024, 10, 28, 12))
    assert found == [utc(2024, 10, 27, 0, 30), utc(2024, 10, 28, 1, 30)]


def test_lord_howe_half_hour_gap_and_fold() -> None:
    gap = parse_schedule("daily 02:15")  # 02:00-02:30 does not exist on 6 October 2024
    found = slots_between(gap, LORD_HOWE, utc(2024, 10, 4), utc(2024, 10, 7))
    assert found == [utc(2024, 10, 4, 15, 45), utc(2024, 10, 5, 15, 30), utc(2024, 10, 6, 15, 15)]
    assert found[1].astimezone(LORD_HOWE).time() == time(2, 30)
    fold = parse_schedule("daily 01:45")  # 01:30-02:00 happens twice on 7 April 2024
    found = slots_between(fold, LORD_HOWE, utc(2024, 4, 5), utc(2024, 4, 8))
    assert found == [utc(2024, 4, 5, 14, 45), utc(2024, 4, 6, 14, 45), utc(2024, 4, 7, 15, 15)]


def test_santiago_midnight_that_does_not_exist() -> None:
    schedule = parse_schedule("daily 00:00")
    santiago = ZoneInfo("America/Santiago")
    assert next_slot(schedule, santiago, utc(2024, 9, 7, 12)) == utc(2024, 9, 8, 4)  # 01:00 -03


def test_weekly_across_spring_forward() -> None:
    schedule = parse_schedule("weekly sun 02:30")
    found = slots_between(schedule, BERLIN, utc(2024, 3, 20), utc(2024, 4, 10))
    assert found == [utc(2024, 3, 24, 1, 30), utc(2024, 3, 31, 1, 0), utc(2024, 4, 7, 0, 30)]


def test_apia_skipped_day() -> None:
    # Samoa skipped Friday 30 December 2011; its slots collapse onto 31 December 00:00, once.
    schedule = parse_schedule("daily 00:00 12:00")
    apia = ZoneInfo("Pacific/Apia")
    found = slots_between(schedule, apia, utc(2011, 12, 29, 12), utc(2011, 12, 31))
    assert [slot.astimezone(apia).isoformat() for slot in found] == [
        "2011-12-29T12:00:00-10:00",
        "2011-12-31T00:00:00+14:00",
        "2011-12-31T12:00:00+14:00",
    ]
    weekly = parse_schedule("weekly fri 09:00")
    assert next_slot(weekly, apia, utc(2011, 12, 28)).astimezone(apia).isoformat() == (
        "2011-12-31T00:00:00+14:00"
    )


def _by_definition(zone: ZoneInfo, day: date, times: tuple[time, ...]) -> set[datetime]:
    """Brute force: a slot is the first instant whose local wall clock reaches the time."""
    targets = sorted(datetime.combine(day, at) for at in times)
    found: set[datetime] = set()
    moment = datetime.combine(day, time(), tzinfo=UTC) - timedelta(days=2)
    while targets:
        wall = moment.astimezone(zone).replace(tzinfo=None)
        while targets and targets[0] <= wall:
            targets.pop(0)
            found.add(moment)
        moment += timedelta(minutes=1)
    return found


@pytest.mark.parametrize(
    ("zone_name", "day"),
    [
        ("Europe/Berlin", date(2024, 3, 31)),
        ("Europe/Berlin", date(2024, 10, 27)),
        ("America/New_York", date(2024, 3, 10)),
        ("America/New_York", date(2024, 11, 3)),
        ("Australia/Lord_Howe", date(2024, 10, 6)),
        ("Australia/Lord_Howe", date(2024, 4, 7)),
        ("America/Santiago", date(2024, 9, 8)),
        ("America/Santiago", date(2024, 4, 6)),
        ("Europe/Dublin", date(2024, 3, 31)),
        ("Pacific/Apia", date(2011, 12, 30)),
        ("Asia/Kolkata", date(2024, 3, 31)),
    ],
)
@pytest.mark.parametrize("minute", [0, 15, 30, 45])
def test_dst_days_match_the_definition(zone_name: str, day: date, minute: int) -> None:
    zone = ZoneInfo(zone_name)
    times = tuple(time(hour, minute) for hour in range(24))
    schedule = Schedule(times=times, weekdays=frozenset({day.weekday()}))
    start = datetime.combine(day, time(), tzinfo=UTC) - timedelta(days=2)
    found = slots_between(schedule, zone, start, start + timedelta(days=5))
    assert set(found) == _by_definition(zone, day, times)
    assert all(slot.astimezone(zone).fold == 0 for slot in found)


# --- properties ------------------------------------------------------------------------------

ZONE_NAMES = sorted(available_timezones())
# Clock changes, where the rules matter: (zone, an instant near the change).
CHANGES = [
    ("Europe/Berlin", utc(2024, 3, 31, 1)),
    ("Europe/Berlin", utc(2024, 10, 27, 1)),
    ("America/New_York", utc(2024, 3, 10, 7)),
    ("America/New_York", utc(2024, 11, 3, 6)),
    ("Australia/Lord_Howe", utc(2024, 10, 5, 15, 30)),
    ("Australia/Lord_Howe", utc(2024, 4, 6, 15)),
    ("America/Santiago", utc(2024, 9, 8, 4)),
    ("America/Santiago", utc(2024, 4, 7, 3)),
    ("Europe/Dublin", utc(2024, 3, 31, 1)),
    ("Europe/Dublin", utc(2024, 10, 27, 1)),
    ("Pacific/Apia", utc(2011, 12, 30, 10)),
    ("Asia/Kolkata", utc(2024, 3, 31, 1)),
]

minute_times = st.builds(time, st.integers(0, 23), st.integers(0, 59))
schedules = st.builds(
    lambda times, days: Schedule(times=tuple(sorted(set(times))), weekdays=days),
    st.lists(minute_times, min_size=1, max_size=24),
    st.frozensets(st.integers(0, 6), min_size=1),
)
# The tz database is only reliable from 1970 on; odd pre-1970 local mean time offsets with
# seconds are out of scope (nobody is scheduled in 1911).
anywhere_anywhen = st.tuples(
    st.sampled_from(ZONE_NAMES).map(ZoneInfo),
    st.datetimes(
        min_value=datetime(1970, 1, 2),
        max_value=datetime(2099, 12, 30),
        timezones=st.sampled_from([UTC, BERLIN, timezone(timedelta(hours=5, minutes=45))]),
    ),
)
near_changes = st.builds(
    lambda change, seconds: (ZoneInfo(change[0]), change[1] + timedelta(seconds=seconds)),
    st.sampled_from(CHANGES),
    st.integers(-2 * 86400, 12 * 3600),  # mostly before it, so the slots after cross it
)
places = st.one_of(anywhere_anywhen, near_changes)
Place = tuple[ZoneInfo, datetime]


def _is_gap_end(slot: datetime, zone: ZoneInfo) -> bool:
    """The clocks jumped forward within the minute before `slot`."""
    before = (slot - timedelta(minutes=1)).astimezone(zone).utcoffset()
    after = slot.astimezone(zone).utcoffset()
    assert before is not None and after is not None
    return after > before


@settings(max_examples=300, deadline=None)
@given(schedules, places)
def test_slots_bracket_now(schedule: Schedule, place: Place) -> None:
    zone, now = place
    latest = latest_slot(schedule, zone, now)
    upcoming = next_slot(schedule, zone, now)
    assert latest.tzinfo is UTC and upcoming.tzinfo is UTC
    assert latest <= now < upcoming
    assert upcoming - latest >= timedelta(minutes=1)
    # Nothing in between: each function agrees with the others.
    assert previous_slot(schedule, zone, upcoming) == latest
    assert next_slot(schedule, zone, latest) == upcoming
    assert latest_slot(schedule, zone, latest) == latest
    assert latest_slot(schedule, zone, upcoming) == upcoming
    assert latest_slot(schedule, zone, upcoming - timedelta(microseconds=1)) == latest
    earlier = previous_slot(schedule, zone, latest)
    assert latest - earlier >= timedelta(minutes=1)
    # The zone as a name gives the same answer.
    assert latest_slot(schedule, zone.key, now) == latest


@settings(max_examples=200, deadline=None)
@given(schedules, places, st.floats(0, 1))
def test_slots_do_not_depend_on_when_they_are_asked(
    schedule: Schedule, place: Place, fraction: float
) -> None:
    zone, now = place
    latest = latest_slot(schedule, zone, now)
    upcoming = next_slot(schedule, zone, now)
    later = min(latest + (upcoming - latest) * fraction, upcoming - timedelta(microseconds=1))
    assert latest_slot(schedule, zone, later) == latest
    assert next_slot(schedule, zone, later) == upcoming


@settings(max_examples=150, deadline=None)
@given(schedules, places)
def test_slots_fall_on_scheduled_times(schedule: Schedule, place: Place) -> None:
    zone, now = place
    found = slots_from(schedule, zone, now, 30)
    for earlier, later in pairwise(found):
        assert later - earlier >= timedelta(minutes=1)
    for slot in found:
        local = slot.astimezone(zone)
        assert local.fold == 0, "an ambiguous time must be its first occurrence"
        on_time = local.time() in schedule.times and local.weekday() in schedule.weekdays
        assert on_time or _is_gap_end(slot, zone)


@given(schedules)
def test_spec_round_trips(schedule: Schedule) -> None:
    assert parse_schedule(schedule.spec) == schedule
    assert parse_schedule(schedule.spec.upper().replace(" ", "  ")) == schedule
    assert schedule.describe()


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(CHANGES), st.lists(st.integers(-90, 90), min_size=1, max_size=24))
def test_times_around_clock_changes_match_the_definition(
    change: tuple[str, datetime], shifts: list[int]
) -> None:
    name, instant = change
    zone = ZoneInfo(name)
    # Local times within 90 minutes of the wall-clock reading just before the change.
    anchor = (instant - timedelta(seconds=1)).astimezone(zone).replace(tzinfo=None)
    walls = {(anchor + timedelta(minutes=shift)).replace(second=0) for shift in shifts}
    for day in sorted({wall.date() for wall in walls}):
        times = tuple(sorted(wall.time() for wall in walls if wall.date() == day))
        schedule = Schedule(times=times, weekdays=frozenset({day.weekday()}))
        start = datetime.combine(day, time(), tzinfo=UTC) - timedelta(days=2)
        found = slots_between(schedule, zone, start, start + timedelta(days=5))
        assert set(found) == _by_definition(zone, day, times)
        assert all(slot.astimezone(zone).fold == 0 for slot in found)
