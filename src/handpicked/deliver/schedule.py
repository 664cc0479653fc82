"""Schedules moved to :mod:`handpicked.schedule` (the reader record carries a parsed one);
these names stay importable from here for the modules not yet moved."""

from handpicked.schedule import (
    DEFAULT_SCHEDULE,
    MAX_TIMES_PER_DAY,
    Schedule,
    ScheduleError,
    check_time_zone,
    latest_slot,
    next_slot,
    parse_schedule,
    previous_slot,
)

__all__ = [
    "DEFAULT_SCHEDULE",
    "MAX_TIMES_PER_DAY",
    "Schedule",
    "ScheduleError",
    "check_time_zone",
    "latest_slot",
    "next_slot",
    "parse_schedule",
    "previous_slot",
]
