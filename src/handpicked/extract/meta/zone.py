"""The few lines around the headline, where pages print their byline and dateline.

Class names are no guide on many sites (utility CSS like "text-xs"), but the byline and the
date nearly always sit just under, or just over, the <h1>. Reading a bounded window of text
fragments there is cheap and finds them whatever the markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

from lxml.html import HtmlElement

from handpicked.extract.meta.authors import split_authors
from handpicked.extract.meta.dates import plausible
from handpicked.extract.meta.head import is_teaser_box

_MONTHS_IN_YEAR = 12
_AFTER_CHARS = 700
_BEFORE_CHARS = 250
_MAX_FRAGMENT = 120
_LEVELS = 6
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "button", "select"})
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "janv", "januar", "enero"),
            ("feb", "february", "febr", "févr", "februar", "febrero"),
            ("mar", "march", "mars", "märz", "marzo"),
            ("apr", "april", "avr", "avril", "abril"),
            ("may", "mai", "mayo"),
            ("jun", "june", "juin", "juni", "junio"),
            ("jul", "july", "juil", "juillet", "juli", "julio"),
            ("aug", "august", "août", "agosto"),
            ("sep", "sept", "september", "septembre", "septiembre"),
            ("oct", "october", "octobre", "oktober", "octubre"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "décembre", "dezember", "diciembre", "dez"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<m>[a-zA-Zéèäû]{3,9})\.?"
_DATE_PATTERNS = (
    re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b"),
    re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{_MONTH},?\s+(?P<y>(?:19|20)\d\d)\b"
    ),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)([-/.])(?P<mn>\d{1,2})\2(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"\b(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)?\d\d)\b"),
)
_BYLINE = re.compile(
    r"^(?:(?:written|posted|published|reported|created|story|words|text|article|interview)\s+)?"
    r"(?:by|von|par|por|door)\b[:\s]*(?P<rest>.*)$"
    r"|^(?:authors?|writer|written by|autor|auteur)\s*:\s*(?P<label>.*)$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"\s+[|·•—–-]\s+|\s*[|·•]\s*")
_NAME_WORDS = (2, 3)
_UPDATED = re.compile(r"updat|modif|revis|aktualisiert|mis à jour|actualizado", re.IGNORECASE)


class Printed(NamedTuple):
    """A date found in a text: its value, where it starts, and the other reading of an
    all-numeric date that could be read either way ("09.10.2024"), else None."""

    value: datetime
    start: int
    other: datetime | None = None


class ZoneDate(NamedTuple):
    """A date printed around the headline."""

    value: datetime
    update: bool
    """Labelled as an update ("Updated May 4, 2024")."""
    other: datetime | None = None
    """The other reading of an ambiguous all-numeric date."""


@dataclass(slots=True)
class ZoneInfo:
    """Dates and bylines printed around the headline, in reading order."""

    dates: list[ZoneDate] = field(default_factory=list)
    bylines: list[list[str]] = field(default_factory=list)
    dated_names: list[str] = field(default_factory=list)
    """Name-like fragments printed beside a date: the unlabelled "Jane Doe · May 4, 2024"."""


def _fragments(element: HtmlElement, limit: int) -> list[str]:
    """Text fragments of an element in document order, stopping after ``limit`` characters."""
    out: list[str] = []
    total = 0
    for node in element.iter():
        tag = node.tag
        if isinstance(tag, str) and tag not in _SKIP_TAGS:
            text = node.text
            if text and not text.isspace():
                out.append(" ".join(text.split()))
                total += len(out[-1])
        if node is not element and node.tail and not node.tail.isspace():
            out.append(" ".join(node.tail.split()))
            total += len(out[-1])
        if total >= limit:
            break
    return out


def leading_text(element: HtmlElement, limit: int) -> str:
    """The start of an element's text, about ``limit`` characters, read without walking the
    rest of a large subtree."""
    return " ".join(_fragments(element, limit))


def _after(h1: HtmlElement) -> list[str]:
    """Fragments that follow the headline, climbing a few levels up the tree."""
    out: list[str] = []
    total = 0
    node: HtmlElement | None = h1
    for _ in range(_LEVELS):
        if node is None:
            break
        if node.tail and not node.tail.isspace() and node is not h1:
            out.append(" ".join(node.tail.split()))
        for sibling in node.itersiblings():
            if not isinstance(sibling.tag, str) or sibling.tag in _SKIP_TAGS:
                continue
            if is_teaser_box(sibling):
                continue
            parts = _fragments(sibling, _AFTER_CHARS - total)
            out.extend(parts)
            total += sum(len(part) for part in parts)
            if total >= _AFTER_CHARS:
                return out
        node = node.getparent()
    return out


def _before(h1: HtmlElement) -> list[str]:
    """Fragments just before the headline, within its parent and grandparent."""
    out: list[str] = []
    node: HtmlElement | None = h1
    for _ in range(2):
        if node is None:
            break
        for sibling in node.itersiblings(preceding=True):
            if isinstance(sibling.tag, str) and sibling.tag not in _SKIP_TAGS:
                out[:0] = _fragments(sibling, _BEFORE_CHARS)
            if sum(len(part) for part in out) >= _BEFORE_CHARS:
                return out
        node = node.getparent()
    return out


def printed_before(h1: HtmlElement) -> str:
    """The text printed just before the headline, where a kicker sits; "" if none."""
    fragments = _before(h1)
    return fragments[-1] if fragments else ""


def _month(name: str) -> int | None:
    """Month number from an English (or common European) month name or abbreviation."""
    return _MONTHS.get(name.lower()) or _MONTHS.get(name.lower()[:3])


def _real(year: int, month: int | None, day: int) -> datetime | None:
    """The day, if it exists and is plausible."""
    if month is None:
        return None
    try:
        value = datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None
    return value if plausible(value) else None


def _day(
    match: re.Match[str], pattern: int, day_first: bool
) -> tuple[datetime | None, datetime | None]:
    """The datetime a date-pattern match spells, or None if it is not a real date; and for an
    all-numeric date whose two numbers could both be the month, the other reading."""
    groups = match.groupdict()
    year = int(groups["y"])
    if year < 100:
        year += 2000
    if pattern <= 1:
        return _real(year, _month(groups["m"]), int(groups["d"])), None
    if pattern == 2:
        return _real(year, int(groups["mn"]), int(groups["d"])), None
    first, second = int(groups["a"]), int(groups["b"])
    swap = day_first or groups["sep"] == "." or first > _MONTHS_IN_YEAR
    month, day = (second, first) if swap else (first, second)
    other = _real(year, day, month) if day != month else None
    return _real(year, month, day), other


def read_date(text: str, day_first: bool = False) -> Printed | None:
    """The first date written out in a short text, where it starts, and the other reading
    of an ambiguous all-numeric one ("09.10.2024"); see :func:`find_date`."""
    best: Printed | None = None
    for number, pattern in enumerate(_DATE_PATTERNS):
        match = pattern.search(text)
        if match and (best is None or match.start() < best.start):
            value, other = _day(match, number, day_first)
            if value is not None:
                best = Printed(value, match.start(), other)
    return best


def find_date(text: str, day_first: bool = False) -> tuple[datetime, int] | None:
    """The first date written out in a short text, and where it starts.

    Reads "Aug 4, 2025", "4 August 2025", "2025-08-04" and "08/04/2025" (month first unless
    the first number cannot be a month, the separator is a dot, or ``day_first`` says the
    page's locale writes the day first).
    """
    found = read_date(text, day_first)
    return (found.value, found.start) if found else None


def _byline(fragments: list[str], index: int, site_name: str | None) -> list[str]:
    """Names after a "By" at the start of a fragment, or in the fragment that follows it."""
    match = _BYLINE.match(fragments[index])
    if not match:
        return []
    rest = (match["rest"] if match["rest"] is not None else match["label"]) or ""
    if not rest.strip(" :") and index + 1 < len(fragments):
        rest = fragments[index + 1]
        if index + 3 < len(fragments) and fragments[index + 2].strip().lower() in (",", "and", "&"):
            rest = f"{rest} and {fragments[index + 3]}"
    return split_authors(rest, site_name, strict=True)


def _names_beside(
    fragments: list[str],
    index: int,
    start: int,
    site_name: str | None,
    info: ZoneInfo,
    headline: str = "",
) -> None:
    """Collect a name written just before a date, in its fragment or in the neighbouring ones.

    A fragment that continues a phrase ("Produced in association with" + a name) names a
    partner or a source, not the writer, and is passed over; so is the headline itself,
    which a short title ("Vibe Coding") printed over its date resembles.
    """
    head = _SEPARATOR.split(fragments[index][:start])
    nearby = [(head[0], fragments[index - 1] if index else "")] if head[0].strip() else []
    for offset in (-1, -2, 1):
        position = index + offset
        if 0 <= position < len(fragments):
            before = fragments[position - 1] if position else ""
            nearby.append((fragments[position], before))
    for text, before in nearby:
        words = text.split()
        if before[-1:].islower() or not _NAME_WORDS[0] <= len(words) <= _NAME_WORDS[1]:
            continue
        if all(word[0].isupper() for word in words):
            names = split_authors(text, site_name, strict=True)
            if names and names[0] == text.strip() and text.strip() != headline:
                info.dated_names.append(names[0])
                return


def read_zone(
    h1: HtmlElement | None, site_name: str | None, day_first: bool = False, title: str = ""
) -> ZoneInfo:
    """Dates and "By" lines in the text around the headline; ``title`` is the page's title,
    never a name printed beside a date."""
    info = ZoneInfo()
    if h1 is None:
        return info
    fragments = _before(h1) + _after(h1)
    headline = title.strip()
    for index, fragment in enumerate(fragments):
        if len(fragment) > _MAX_FRAGMENT:
            continue
        found = read_date(fragment, day_first)
        if found is not None:
            _names_beside(fragments, index, found.start, site_name, info, headline)
            label = fragment[: found.start]
            if not label.strip() and index > 0:
                label = fragments[index - 1]
            info.dates.append(ZoneDate(found.value, bool(_UPDATED.search(label)), found.other))
        names = _byline(fragments, index, site_name)
        if names:
            info.bylines.append(names)
    return info
