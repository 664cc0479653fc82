"""Date strings from any page source to timezone-aware datetimes, sane ones only.

Most pages write ISO 8601, so a regex handles those without dateutil's cost; the rest go
through dateutil. Dates before the web or far in the future are mistakes (copyright years,
event dates, placeholders) and are dropped.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from dateutil import parser as dateutil_parser

EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)

_ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?(?!\d)",
    re.IGNORECASE,
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(Z)?$")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_YEAR = re.compile(r"(?<!\d)(?:199\d|20\d\d)(?!\d)")
_URL_DATE = re.compile(r"/((?:199|20\d)\d)([/_-])(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])(?!\d)")
_URL_MONTH_NAME = re.compile(
    r"/((?:199|20\d)\d)/(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*/(\d{1,2})(?!\d)",
    re.IGNORECASE,
)
_MONTH_ABBREVIATIONS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_URL_DAY = re.compile(r"(?<!\d)((?:199|20\d)\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
_NOISE = re.compile(
    r"\b(?:published|posted|updated|last|modified|on|at|date|et|est|edt|ct|cst|cdt|pt|pst|pdt)\b"
    r"|[|•·]",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b", re.IGNORECASE)
_MAX_FUZZY_CHARS = 80
_HAS_MONTH = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}",
    re.IGNORECASE,
)


_PARSER = dateutil_parser.parser()
"""One reused instance: building a dateutil parser is not free."""


def plausible(value: datetime, now: datetime | None = None) -> bool:
    """A date a page could really have been published on."""
    limit = (now or datetime.now(UTC)) + FUTURE_SLACK
    return EARLIEST <= value <= limit


def _tz(text: str | None) -> timezone:
    """A fixed offset from "Z", "+02", "+0200" or "+02:00"; UTC when absent."""
    if not text or text.upper() == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _from_groups(groups: tuple[str | None, ...], tzinfo: tzinfo) -> datetime | None:
    """The datetime of (year, month, day, hour, minute, second) regex groups, or None if it
    is not a real one (31 February)."""
    year, month, day, hour, minute, second = (int(g or 0) for g in groups[:6])
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tzinfo)
    except ValueError:
        return None


def _from_iso(match: re.Match[str]) -> datetime | None:
    """Build the datetime an ISO regex match describes, or None if it is not a real one."""
    return _from_groups(match.groups(), _tz(match.group(7)))


def _from_compact(match: re.Match[str]) -> datetime | None:
    """ "20230630" or "20230630T091500Z"."""
    return _from_groups(match.groups(), UTC)


def _zone(name: str, offset: int | None) -> tzinfo:
    """The zone for a name dateutil meets ("CET", "EST"): its stated offset, else UTC, so an
    unknown abbreviation neither warns nor fails."""
    return timezone(timedelta(seconds=offset)) if offset is not None else UTC


def _fuzzy(text: str) -> datetime | None:
    """dateutil on a short, cleaned string that names a month and a year: "Published Jun 30th,
    2023"; a lone year ("the 2024 Olympics") is no date."""
    if len(text) > _MAX_FUZZY_CHARS or not _YEAR.search(text) or not _HAS_MONTH.search(text):
        return None
    cleaned = _ORDINAL.sub(r"\1", _NOISE.sub(" ", text))
    default = datetime(2000, 1, 1, tzinfo=UTC)
    try:
        value = _PARSER.parse(cleaned, default=default, fuzzy=True, tzinfos=_zone)
    except (ValueError, OverflowError, TypeError, LookupError):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def parse_date(text: str | None, now: datetime | None = None) -> datetime | None:
    """A plausible timezone-aware datetime from a date string, or None.

    Keeps the page's own UTC offset, so the calendar day is the one the page printed.
    """
    if not text:
        return None
    text = text.strip()
    if not text:
        return None
    value: datetime | None = None
    iso = _ISO.search(text)
    if iso:
        value = _from_iso(iso)
    elif compact := _COMPACT.match(text):
        value = _from_compact(compact)
    elif _EPOCH.match(text):
        seconds = int(text[:10])
        value = datetime.fromtimestamp(seconds, UTC)
    else:
        value = _fuzzy(text)
    if value is None or not plausible(value, now):
        return None
    return value


def date_from_url(url: str | None, now: datetime | None = None) -> datetime | None:
    """The day a URL path spells out: /2023/06/30/, /2023-06-30-, /20230630/."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    if match:
        year, month, day = match[1], match[3], match[4]
    elif named := _URL_MONTH_NAME.search(url):
        year, day = named[1], named[3]
        month = str(_MONTH_ABBREVIATIONS.index(named[2].lower()) + 1)
    elif day_match := _URL_DAY.search(url):
        year, month, day = day_match[1], day_match[2], day_match[3]
    else:
        return None
    try:
        value = datetime(int(year), int(month), int(day), tzinfo=UTC)
    except ValueError:
        return None
    return value if plausible(value, now) else None
