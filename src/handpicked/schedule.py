"""When a reader's digest is due: parse the schedule they typed and work out its slots.

A schedule is a set of local wall-clock times ("07:00", "18:00") on a set of weekdays, read in
the reader's own time zone. A *slot* is one of those times on one local date, turned into an
aware UTC instant. The delivery job uses the slot instant as the period key for exactly-once
delivery, so everything here is pure (no clock, no database) and deterministic: the same
schedule, zone and slot always give the same instant, whichever ``now`` it was found from.

Daylight-saving rules
---------------------
* **Gaps** (spring forward). A local time that does not exist on that date, such as 02:30 in
  Europe/Berlin on the last Sunday of March, is never skipped: its slot is the first instant
  after the gap, the moment the clocks jumped to (03:00 local, 01:00 UTC in that example).
  (Should a gap end between whole local minutes, as Africa/Monrovia's did in 1972, the slot
  is the next whole local minute. Slots are at least a minute apart for any date from 1970
  on; before that the tz database's local-mean-time offsets are guesses anyway.)
* **Folds** (fall back). A local time that occurs twice, such as 01:30 in America/New_York on
  the first Sunday of November, gives one slot only, at its first occurrence (``fold=0``).
* **No doubles.** Slots are de-duplicated by instant, so two local times that collapse onto the
  same instant through a gap (02:15 and 02:45 on that Berlin Sunday both land on 03:00, as
  does a 03:00 slot) make one slot, and a reader never gets two digests for it.
* **UTC out.** Every slot is returned as an aware datetime in UTC; a time of day keeps its
  local wall-clock reading across a DST change, so its UTC instant moves by the shift instead.

Spec forms (case-insensitive; commas and spaces separate words, "at", "on", "and", "every" are
ignored): ``daily`` (07:00), ``daily 07:00``, ``daily at 7:00``, ``daily 7am``,
``daily 7:30pm``, ``daily 07:00 12:00 18:00``, ``07:00,18:00`` (bare times mean daily),
``twice daily`` (07:00 and 18:00), ``weekly`` (Monday 07:00), ``weekly monday 08:00``,
``weekly on fri at 17:00``, ``mon 08:00``, ``mon,thu 9:00``, ``mon-fri 08:00``,
``weekdays 07:30``, ``weekends 09:00``. Times are minute-precision, at most 24 a day.
"""

from __future__ import annotations

import difflib
import functools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, available_timezones

from handpicked.errors import HandpickedError

__all__ = [
    "DEFAULT_SCHEDULE",
    "Schedule",
    "ScheduleError",
    "check_time_zone",
    "latest_slot",
    "next_slot",
    "parse_schedule",
    "previous_slot",
]

DEFAULT_SCHEDULE = "daily 07:00"
"""What a new reader gets until they choose: one digest with their morning coffee."""

MAX_TIMES_PER_DAY = 24
"""More than one digest an hour is a feed, not a digest."""

_EXAMPLES = "expected e.g. 'daily 07:00', 'weekly mon 08:00', '07:00,18:00'"
_ZONE_EXAMPLES = "use an IANA name such as 'Europe/Berlin', 'America/New_York' or 'UTC'"

_DAY_ABBR = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ALL_DAYS = frozenset(range(7))
_WEEKDAYS = frozenset(range(5))
_WEEKENDS = frozenset({5, 6})

_DEFAULT_TIME = time(7, 0)
_TWICE_TIMES = (time(7, 0), time(18, 0))


def _day_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for number, name in enumerate(_DAY_NAMES):
        full = name.lower()
        for word in (full, full + "s", _DAY_ABBR[number]):
            words[word] = number
    words.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
    return words


_DAYS = _day_words()
_DAY_GROUPS = {
    "weekdays": _WEEKDAYS,
    "weekday": _WEEKDAYS,
    "weekends": _WEEKENDS,
    "weekend": _WEEKENDS,
}
_DAILY_WORDS = frozenset({"daily", "everyday"})
_FILLERS = frozenset({"at", "on", "and", "every", "&"})
# Multi-word phrases become one word before splitting.
_PHRASES = (
    (re.compile(r"\btwice\s+(?:a\s+day|daily|per\s+day)\b"), " twice "),
    (re.compile(r"\bevery\s+day\b"), " daily "),
    (re.compile(r"(?<![a-z])([ap])\.m\.?"), r"\1m"),
    (re.compile(r"(\d)\s+([ap]m)\b"), r"\1\2"),
)
_TIME_TOKEN = re.compile(r"(\d{1,2})(?:[:.h](\d{2}))?(am|pm)?")
_DAY_RANGE = re.compile(r"([a-z]+)-([a-z]+)")


class ScheduleError(HandpickedError, ValueError):
    """A schedule or time zone a reader typed could not be understood.

    The message says what was wrong and shows valid examples, so it can go to the reader as is.
    """


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a reader wants digests: local wall-clock times on some weekdays.

    Kept zone-free on purpose: the same schedule means "07:00 where I am" wherever that is.
    """

    times: tuple[time, ...]
    """Local wall-clock times, minute-precision, sorted, unique, at least one."""
    weekdays: frozenset[int]
    """0=Monday..6=Sunday; all seven for a daily schedule."""

    def __post_init__(self) -> None:
        # Schedules are also built directly (tests, stored rows), so the invariants the slot
        # arithmetic and `spec` rely on are checked here rather than only in the parser.
        if not self.times:
            raise ScheduleError(f"a schedule needs at least one time; {_EXAMPLES}")
        if len(self.times) > MAX_TIMES_PER_DAY:
            raise ScheduleError(
                f"at most {MAX_TIMES_PER_DAY} times a day, got {len(self.times)}; {_EXAMPLES}"
            )
        for at in self.times:
            if not isinstance(at, time) or at.tzinfo is not None:
                raise ScheduleError(f"schedule times must be local wall-clock times, got {at!r}")
            if at.second or at.microsecond:
                raise ScheduleError(f"schedule times are whole minutes, got {at.isoformat()}")
        if any(a >= b for a, b in pairwise(self.times)):
            raise ScheduleError("schedule times must be sorted and unique")
        if not self.weekdays or not self.weekdays <= _ALL_DAYS:
            raise ScheduleError(
                f"schedule weekdays must be a non-empty set of 0 (Monday) to 6 (Sunday), "
                f"got {sorted(self.weekdays)!r}"
            )

    @property
    def spec(self) -> str:
        """Canonical text, for storing: :func:`parse_schedule` reads it back to an equal one."""
        times = " ".join(_hhmm(at) for at in self.times)
        days = self.weekdays
        if days == _ALL_DAYS:
            return f"daily {times}"
        if days == _WEEKDAYS:
            return f"weekdays {times}"
        if days == _WEEKENDS:
            return f"weekends {times}"
        if len(days) == 1:
            return f"weekly {_DAY_ABBR[next(iter(days))]} {times}"
        return ",".join(_DAY_ABBR[day] for day in sorted(days)) + f" {times}"

    def describe(self) -> str:
        """For people, in settings pages and emails: "twice a day at 07:00 and 18:00"."""
        at = "at " + _join_words([_hhmm(t) for t in self.times])
        count = len(self.times)
        per_day = "" if count == 1 else ("twice a day " if count == 2 else f"{count} times a day ")
        days = self.weekdays
        if days == _ALL_DAYS:
            return f"daily {at}" if count == 1 else f"{per_day}{at}"
        if len(days) == 1:
            return f"weekly on {_DAY_NAMES[next(iter(days))]} {at}"
        if days == _WEEKDAYS:
            on = "on weekdays"
        elif days == _WEEKENDS:
            on = "on weekends"
        else:
            on = "on " + _join_words([_DAY_NAMES[day] for day in sorted(days)])
        return f"{per_day}{on} {at}"


def _hhmm(at: time) -> str:
    return f"{at.hour:02d}:{at.minute:02d}"


def _join_words(words: list[str], last: str = "and") -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def parse_schedule(spec: str) -> Schedule:
    """Read a schedule the way a person would write it; see the module docstring for forms.

    Raises :class:`ScheduleError`, with examples, for anything it cannot read unambiguously.
    """
    if not isinstance(spec, str):
        raise ScheduleError(f"a schedule is text, got {type(spec).__name__}; {_EXAMPLES}")
    text = spec.strip().lower()
    if not text:
        raise ScheduleError(f"empty schedule; {_EXAMPLES}")
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)

    days: set[int] = set()
    times: list[time] = []
    daily = weekly = twice = False
    for word in re.split(r"[\s,;]+", text):
        if not word or word in _FILLERS:
            continue
        if word in _DAILY_WORDS:
            daily = True
        elif word == "weekly":
            weekly = True
        elif word == "twice":
            twice = True
        elif word in _DAY_GROUPS:
            days |= _DAY_GROUPS[word]
        elif word in _DAYS:
            days.add(_DAYS[word])
        elif (span := _day_range(word)) is not None:
            days |= span
        elif (at := _parse_time(word, spec)) is not None:
            times.append(at)
        else:
            raise ScheduleError(f"could not read {word!r} in schedule {spec!r}; {_EXAMPLES}")

    if not (daily or weekly or twice or days or times):
        raise ScheduleError(f"no days or times in schedule {spec!r}; {_EXAMPLES}")
    if daily and days:
        raise ScheduleError(
            f"schedule {spec!r} says both 'daily' and particular days; "
            f"expected e.g. 'daily 07:00' or 'mon,thu 09:00'"
        )
    if daily and weekly:
        raise ScheduleError(f"schedule {spec!r} says both 'daily' and 'weekly'; {_EXAMPLES}")

    unique = sorted(set(times))
    if twice:
        if unique and len(unique) != 2:
            raise ScheduleError(
                f"schedule {spec!r} says 'twice' but gives {len(unique)} time(s); "
                f"expected e.g. 'twice daily' or 'daily 07:00 18:00'"
            )
        unique = unique or list(_TWICE_TIMES)
    if not unique:
        unique = [_DEFAULT_TIME]
    if len(unique) > MAX_TIMES_PER_DAY:
        raise ScheduleError(
            f"schedule {spec!r} has {len(unique)} times a day, at most {MAX_TIMES_PER_DAY} "
            f"allowed; {_EXAMPLES}"
        )
    if not days:
        days = {0} if weekly else set(_ALL_DAYS)
    return Schedule(times=tuple(unique), weekdays=frozenset(days))


def _day_range(word: str) -> frozenset[int] | None:
    """``mon-fri`` (wrapping allowed: ``fri-mon``) as a set of weekday numbers."""
    match = _DAY_RANGE.fullmatch(word)
    if match is None or match[1] not in _DAYS or match[2] not in _DAYS:
        return None
    first, last = _DAYS[match[1]], _DAYS[match[2]]
    return frozenset((first + step) % 7 for step in range((last - first) % 7 + 1))


def _parse_time(word: str, spec: str) -> time | None:
    """``7``, ``07:00``, ``7am``, ``7:30pm``, ``19.30``; None if the word is not a time at all."""
    match = _TIME_TOKEN.fullmatch(word)
    if match is None:
        return None
    hour, minute, meridiem = int(match[1]), int(match[2] or 0), match[3]
    if meridiem is not None:
        if not 1 <= hour <= 12:
            raise ScheduleError(
                f"no such time {word!r} in schedule {spec!r}: with am/pm the hour is 1 to 12; "
                f"expected e.g. '7am', '7:30pm', '19:30'"
            )
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ScheduleError(
            f"no such time {word!r} in schedule {spec!r}: hours run 00-23 and minutes 00-59; "
            f"expected e.g. 'daily 07:00', 'daily 18:30'"
        )
    return time(hour, minute)


@functools.cache
def _zone_names() -> dict[str, str]:
    """Lower-cased IANA name to its proper spelling; reading the tz database once is enough."""
    return {name.lower(): name for name in available_timezones()}


def check_time_zone(name: str) -> ZoneInfo:
    """The zone a reader named, forgiving case and spaces ("europe/berlin", "new york" style).

    Only names from the installed tz database are accepted, so a typo fails here, when the
    reader saves their settings, rather than later in the delivery job. The error suggests
    close matches.
    """
    if not isinstance(name, str):
        raise ScheduleError(f"a time zone is text, got {type(name).__name__}; {_ZONE_EXAMPLES}")
    names = _zone_names()
    if not names:
        raise ScheduleError("no time zone database found; install the 'tzdata' package")
    wanted = re.sub(r"\s+", "_", name.strip()).lower()
    if wanted in names:
        return ZoneInfo(names[wanted])
    if not wanted:
        raise ScheduleError(f"empty time zone; {_ZONE_EXAMPLES}")
    city = wanted.rsplit("/", 1)[-1]
    same_city = [key for key in names if key.rsplit("/", 1)[-1] == city]
    close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)
    suggestions = [names[key] for key in dict.fromkeys(same_city + close)][:3]
    if suggestions:
        maybe = _join_words([repr(s) for s in suggestions], last="or")
        raise ScheduleError(
            f"unknown time zone {name!r}; did you mean {maybe}? U{_ZONE_EXAMPLES[1:]}"
        )
    raise ScheduleError(f"unknown time zone {name!r}; {_ZONE_EXAMPLES}")


def latest_slot(schedule: Schedule, tz: str | ZoneInfo, now: datetime) -> datetime:
    """The most recent slot at or before `now` (aware, UTC): the digest that is due now."""
    slots, moment = _slots_around(schedule, tz, now, "now")
    index = bisect_right(slots, moment) - 1
    return slots[index]


def next_slot(schedule: Schedule, tz: str | ZoneInfo, now: datetime) -> datetime:
    """The first slot strictly after `now` (aware, UTC): when the next digest will go out."""
    slots, moment = _slots_around(schedule, tz, now, "now")
    return slots[bisect_right(slots, moment)]


def previous_slot(schedule: Schedule, tz: str | ZoneInfo, slot: datetime) -> datetime:
    """The slot strictly before `slot` (aware, UTC): what a digest for `slot` covers since."""
    slots, moment = _slots_around(schedule, tz, slot, "slot")
    index = bisect_left(slots, moment) - 1
    return slots[index]


# Local dates searched either side of the given instant. Any 7 consecutive dates hold a
# scheduled weekday, so 8 is enough; the wider spans only matter for zones that once skipped
# whole days (Pacific/Apia dropped 30 December 2011).
_SPANS = (8, 16, 400)


def _slots_around(
    schedule: Schedule, tz: str | ZoneInfo, instant: datetime, what: str
) -> tuple[list[datetime], datetime]:
    """Sorted slots around `instant`, with at least one at or before and one after it."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {instant.isoformat()}")
    zone = tz if isinstance(tz, ZoneInfo) else check_time_zone(tz)
    moment = instant.astimezone(UTC)
    local_day = moment.astimezone(zone).date()
    for span in _SPANS:
        slots = _slots_between(
            schedule, zone, local_day - timedelta(days=span), local_day + timedelta(days=span)
        )
        if slots and slots[0] < moment < slots[-1]:
            return slots, moment
    raise RuntimeError(f"no slots found around {moment.isoformat()} for {schedule.spec!r}")


def _slots_between(schedule: Schedule, zone: ZoneInfo, first: date, last: date) -> list[datetime]:
    """Every slot on local dates `first`..`last`, as sorted unique UTC instants."""
    found: set[datetime] = set()
    day = first
    while day <= last:
        if day.weekday() in schedule.weekdays:
            found.update(_instant(day, at, zone) for at in schedule.times)
        day += timedelta(days=1)
    return sorted(found)


def _instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local `at` on `day`: the first occurrence in a fold, gap's end in a gap.

    fold=0 reads an ambiguous time with the offset before the change, i.e. its first
    occurrence. A time in a gap does not survive the round trip through UTC; for it, fold=0
    and fold=1 give two instants on either side of the jump, and the jump lies between them.
    """
    wall = datetime.combine(day, at).replace(fold=0)
    first = wall.replace(tzinfo=zone).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    other = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    jump = _jump(min(first, other), max(first, other), zone)
    # Slots sit on whole local minutes. Every gap of the last decades ends on one, but a few
    # old offsets had seconds (Africa/Monrovia jumped from -00:44:30 in 1972); rounding up
    # keeps such a slot a whole minute, and so never seconds away from the next one.
    seconds = jump.astimezone(zone).second
    return jump + timedelta(seconds=60 - seconds) if seconds else jump


def _jump(before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """The first instant in (`before`, `after`] that has `after`'s UTC offset (a bisection).

    zoneinfo keeps its transition table private, so the moment the clocks jumped is found by
    halving: tz transitions fall on whole seconds, so this takes at most ~17 steps for a gap
    of a day and 11 for the usual hour.
    """
    target = after.astimezone(zone).utcoffset()
    if before.astimezone(zone).utcoffset() == target:
        return after  # not a simple jump (should not happen); an instant after the gap anyway
    low, high = 0, int((after - before).total_seconds())
    while high - low > 1:
        middle = (low + high) // 2
        if (before + timedelta(seconds=middle)).astimezone(zone).utcoffset() == target:
            high = middle
        else:
            low = middle
    return before + timedelta(seconds=high)
