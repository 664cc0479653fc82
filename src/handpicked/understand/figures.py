"""The figures a news text states: counts and sums to compare between articles, and measures
(a distance, a duration, a weight, a sum of money) that two articles may write in different
units or roundings.

Rule-based. A follow-up's number is news only when it is a figure the reader was not sent:
not a year, date, clock time or phone number; not part of a name ("Highway 214", "Channel 4",
"Core 2 Duo", "No. 2") or of an address ("24 Independent Street"); not a conversion in
brackets ("110 billion euros (93.6 billion pounds)"); and not a measure already sent in another
unit or rounding ("4 1/2 months" after "five months", "20 miles" after "26 miles").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_UNIT_GLUED = (
    r"(?:[KMGT]B|kB|[kMG]Hz|Hz|mAh|[kMG]Wh?|km|kg|mg|mm|cm|m|ft|in|mi|mph|kph|lbs?|oz|bn|mn|k|ml)"
)
NUMBER = re.compile(
    r"(?<![\w.,/-])(\d{1,3}(?:[,.\u202f\u00a0 ]\d{3})+|\d+(?:[.,]\d+)?)"
    r"(?:(?=" + _UNIT_GLUED + r"\b)|(?![\w/]))"
)
"""A number standing alone or glued to its unit ("768GB", "17in"): not part of a code
("MS08-078", "9400M"), a score's second half, an ordinal ("3rd") or a date with slashes."""
PHONE = re.compile(
    r"\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b|\b\d{3}-\d{4}\b|\b911\b"
    r"|\b(?:999|112)\b(?=\s*(?:call|line|operator|emergency))|(?<=\bdial)(?:l?ed)?\s+(?:999|112)\b",
    re.I,
)
"""Phone numbers and emergency lines ("911", "a 999 call")."""
CLOCK = re.compile(
    r"\b\d{1,2}:\s?\d{2}(?::\d{2})?\s*(?:[ap]\.?\s?m\b\.?|h\b|uhr\b)?"
    r"|\b\d{1,2}\.\s?\d{2}\s*(?:[ap]\.?\s?m\b\.?|h\b|hrs\b|uhr\b)"
    r"|(?<=\bat\s)[0-2]\d[0-5]\d\s*(?:hours|hrs)\b"
    r"|\b\d{1,2}\s*[ap]\.?\s?m\b|\b\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}\b"
    r"|\b[0-2]\d[0-5]\d\s*(?:GMT|UTC|[ECMP][SD]T|CET|CEST|BST|IST)\b"
    r"|\b[0-2]\d[0-5]\d\b(?=\s*\(\s*[0-2]\d[0-5]\d\s*(?:GMT|UTC)\b)",
    re.I,
)
"""Clock times, "2:09 a.m.", "9.25 am", "7pm", "1353 (1023 GMT)", "at 1100 hours", and dates
written 4/11/2007
(a decimal such as "$1.29" is no clock time)."""
MONTHS = (
    "jan january feb february mar march apr april may jun june jul july aug august sep sept "
    "september oct october nov november dec december januar februar märz mai juni juli "
    "oktober dezember janvier février mars avril juin juillet août septembre octobre "
    "novembre décembre enero febrero marzo abril mayo junio julio agosto septiembre octubre "
    "noviembre diciembre"
).split()
DATE = re.compile(
    r"\b(?:" + "|".join(MONTHS) + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?\b|\b\d{1,2}(?:st|nd|rd|th)?"
    r"\.?\s+(?:of\s+)?(?:" + "|".join(MONTHS) + r")\b\.?(?:\s+'?\d{2}\b(?=\s*(?:[.,;)]|$)))?",
    re.I,
)
SPELLED = {
    word: n
    for n, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
    if n >= 2  # "one" is mostly not a count ("one of", "one more time")
} | {
    w: 10 * (i + 3) for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split())
}
_SPELLED_WORD = re.compile(r"\b(" + "|".join(SPELLED) + r")\b", re.I)
EVENT_WORDS = re.compile(
    r"\b(?:kill|killed|killing|dead|deaths?|died|die|toll|injur\w*|wounded|hurt|missing|"
    r"arrest\w*|charged|charges|sentenced|convicted|jailed|evacuat\w*|displaced|rescued|"
    r"survivors?|victims?|casualties|percent|per cent|%|million|billion|votes?|seats?|fined|"
    r"tote|verletzt\w*|morts?|blessés|muertos|heridos)\b",
    re.I,
)
"""Words beside which a number is an event's count (a toll, a sum, a vote)."""

_ADDRESS = re.compile(
    r"\b\d+\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'’-]*\.?\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|"
    r"Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Place|Pl|Court|Ct|Terrace|Parkway|Pkwy|Highway|"
    r"Hwy)\b\.?|\b\d+\s+block\b"
)
"""A house number or a block: where, not how many."""
_DESIGNATOR = re.compile(
    r"(?:\b(?:no|nos|number|section|article|chapter|route|highway|interstate|channel|flight|"
    r"exit|gate|platform|page|room|precinct|district|ward|week)\.?|#)\s*$",
    re.I,
)
_NAME_WORD = re.compile(r"[\w,;:)’']\s+\(?([A-Z][\w-]*)\s*$")
"""A capitalised word that does not open its sentence: a number after it is part of a name
("Highway 214", "Channel 4", "IE 9", "Core 2 Duo")."""
_NOT_NAMES = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday US USD EUR GBP CHF JPY INR Rs "
    "Rp NZ AU CA HK".split()
)
_CONVERSION = re.compile(
    r"(\d[\d.,]*\s*-?\s*(?:[^\W\d_]+[\s/-]*){0,3})"
    r"\((?:about|around|roughly|some|approximately|approx\.|~)?\s*(?:US)?[$€£¥]?\s*\d[^()]{0,40}\)"
)
"""A figure then the same figure converted, in brackets: "110 billion euros (93.6 billion
pounds)", "181 km (110 miles)"."""
_COMPOUND = re.compile(
    r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[-\s](one|two|three|four|five|"
    r"six|seven|eight|nine)\b",
    re.I,
)
_ONES = {"one": 1} | {word: n for word, n in SPELLED.items() if n < 10}
_CENTS = re.compile(r"(?<![\d.,$])\b(\d{1,2})\s*(?:cents?\b|¢)", re.I)
_HEDGED = re.compile(
    r"\b(?:about|approximately|around|roughly|some|nearly|almost|an estimated|estimated|close to)"
    r"\s+(?:[$€£¥]\s*)?(\d{1,3}(?:[,.\u202f\u00a0 ]\d{3})+|\d+(?:[.,]\d+)?)\b"
    r"|~\s*(\d+(?:[.,]\d+)?)\b",
    re.I,
)
"""A figure given as an estimate: "about 800", "approximately 1,000"."""
_DIGIT = re.compile(r"\d")
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.I)
_FRACTION = re.compile(r"\b(\d+)(?:\s*-\s*|\s+)(\d)\s*/\s*(\d)\b|\b(\d+)\s*½")


def _normal(raw: str) -> str:
    value = re.sub(r"[,\u202f\u00a0 ]", "", raw) if re.search(r"[,\u202f\u00a0 ]\d{3}\b", raw)\
        else raw.replace(",", ".")  # fmt: skip
    if re.fullmatch(r"\d{3}\.\d{3}", raw) and "," not in raw:
        value = raw.replace(".", "")  # German thousands: 1.500
    return value.lstrip("0") or "0"


def _is_year(value: str) -> bool:
    return re.fullmatch(r"(?:1[89]|20|21)\d\d", value) is not None


@lru_cache(maxsize=8192)
def _context_free(text: str) -> str:
    """The text with what is never a figure blanked out (phones, clock times, dates,
    conversions in brackets) and figures written in one form: "4 1/2" as 4.5, "69 cents" as
    $0.69. Cached: a sentence is read for numbers, measures and estimates, and a story's
    timeline reads its articles again for every later one."""
    if not _DIGIT.search(text):
        return text
    text = _URL.sub(" ", text)
    text = PHONE.sub(" ", text)
    text = CLOCK.sub(" ", text)
    text = DATE.sub(" ", text)
    text = _CENTS.sub(lambda m: f"${int(m.group(1)) / 100:.2f}", text)
    return _fractions(_CONVERSION.sub(lambda m: m.group(1), text))


def _is_name_part(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start]
    if _DESIGNATOR.search(before):
        return True
    name = _NAME_WORD.search(before)
    return name is not None and name.group(1) not in _NOT_NAMES


def numbers_in(text: str) -> list[str]:
    """The numbers a text states as facts, normalised ("1,500" and "1500" are one): years,
    dates, clock times, phone numbers, addresses, conversions in brackets and numbers that
    are part of a name left out; spelled numbers up to ninety included beside an event word."""
    text = _ADDRESS.sub(" ", _context_free(text))
    found = []
    for match in NUMBER.finditer(text):
        value = _normal(match.group(1))
        if _is_year(value) or _is_name_part(text, match.start()):
            continue
        found.append(value)
    if EVENT_WORDS.search(text):  # "two" is a fact beside "killed", else mostly not
        found += _spelled(text)
    return found


def _spelled(text: str) -> list[str]:
    """The numbers a text writes in words, "sixty-one" as one."""
    found = [str(SPELLED[m.group(1).lower()] + _ONES[m.group(2).lower()])
             for m in _COMPOUND.finditer(text)]  # fmt: skip
    rest = _COMPOUND.sub(" ", text)
    return found + [str(SPELLED[m.group(1).lower()]) for m in _SPELLED_WORD.finditer(rest)]


def all_numbers_in(text: str) -> list[str]:
    """Every number a text holds, names and addresses included: what a reader was sent is read
    generously, so that a figure it holds in any form is not news again (a headline in title
    case, "Quake Kills 12", puts 12 after a capitalised word)."""
    text = _context_free(text)
    found = [_normal(m.group(1)) for m in NUMBER.finditer(text)]
    if EVENT_WORDS.search(text):
        found += _spelled(text)
    return [value for value in found if not _is_year(value)]


# --- measures -------------------------------------------------------------------------------

_DISTANCE = {
    "mm": 0.001, "millimetre": 0.001, "millimeter": 0.001, "cm": 0.01, "centimetre": 0.01,
    "centimeter": 0.01, "m": 1.0, "metre": 1.0, "meter": 1.0, "km": 1000.0, "kilometre": 1000.0,
    "kilometer": 1000.0, "inch": 0.0254, "inches": 0.0254, "ft": 0.3048,
    "foot": 0.3048, "feet": 0.3048, "yd": 0.9144, "yard": 0.9144, "mi": 1609.0, "mile": 1609.0,
    "nautical mile": 1852.0,
}  # fmt: skip
_DURATION = {
    "minute": 1 / 1440, "min": 1 / 1440, "hour": 1 / 24, "hr": 1 / 24, "day": 1.0, "week": 7.0,
    "month": 30.44, "year": 365.25,
}  # fmt: skip
_WEIGHT = {"g": 0.001, "gram": 0.001, "kg": 1.0, "kilo": 1.0, "kilogram": 1.0, "lb": 0.4536,
           "pound": 0.4536, "ton": 1000.0, "tonne": 1000.0}  # fmt: skip
_CURRENCY_WORDS = {
    "dollar": "USD", "euro": "EUR", "pound sterling": "GBP", "sterling": "GBP", "yen": "JPY",
    "rupee": "INR", "franc": "CHF", "usd": "USD", "eur": "EUR", "gbp": "GBP", "jpy": "JPY",
    "inr": "INR", "chf": "CHF",
}  # fmt: skip
_CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "rs": "INR",
                   "rs.": "INR"}  # fmt: skip
_TO_DOLLARS = {"USD": 1.0, "EUR": 1.2, "GBP": 1.4, "JPY": 0.008, "INR": 0.014, "CHF": 1.05}
"""Rough rates: enough to see that "€110 billion" and "$144 billion" are one sum (a
restatement is within a third of the other), not to price anything."""
_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9,
                "bn": 1e9, "trillion": 1e12}  # fmt: skip
_UNITS = sorted([*_DISTANCE, *_DURATION, *_WEIGHT, *_CURRENCY_WORDS], key=len, reverse=True)
_AFTER = re.compile(
    r"\s*-?\s*(?:(thousand|million|mn|billion|bn|trillion|m)\b\s*-?\s*)?"
    r"(?:(" + "|".join(re.escape(u) for u in _UNITS) + r")(?:e?s)?\b(?!\s*-\s*old|\s+old))?",
    re.I,
)
_BEFORE = re.compile(r"(us\$|rs\.?|[$€£¥])\s*$", re.I)
_SPELLED_MEASURE = re.compile(r"\b(" + "|".join(SPELLED) + r"|a|an|one)\b", re.I)

_FOLLOWING = re.compile(r"[^\W\d_]+")
RESTATED_RATIO = 1.35
"""How far two reports of one distance, weight or sum of money may differ and still be one
figure (2,000 ft against 700 m; 20 miles against 26)."""


@dataclass(frozen=True, slots=True)
class Measure:
    """A figure with its unit: what it measures, its size in one unit for all (metres, days,
    kilograms, dollars), the size of one of its units, and its currency for money."""

    value: str
    dimension: str
    size: float
    step: float
    currency: str = ""
    of: str = ""
    """The words after it ("north of santa"): a distance or weight restates another only
    when it is told of the same thing (a depth is not a distance from a town)."""

    def restates(self, other: Measure) -> bool:
        """Whether it is the other figure again, in another unit or rounding: a duration
        within one of its units ("4 1/2 months" and "five months"), a distance or weight of
        the same thing within a third ("20 miles north of Santa Rosa" and "26 miles north of
        Santa Rosa"), a sum within a third in another currency."""
        if self.dimension != other.dimension or min(self.size, other.size) <= 0:
            return False
        if self.dimension == "duration":
            return abs(self.size - other.size) < max(self.step, other.step)
        if self.dimension == "money" and self.currency == other.currency:
            return False  # a new sum in the same currency is a new figure
        if self.dimension != "money" and (not self.of or self.of != other.of):
            return False
        return max(self.size, other.size) / min(self.size, other.size) <= RESTATED_RATIO


def _fractions(text: str) -> str:
    """'4-1/2', '4 1/2' and '4½' as decimals, so that they read as one figure."""

    def decimal(match: re.Match[str]) -> str:
        if match.group(4):
            return f"{match.group(4)}.5"
        whole, top, bottom = (int(g) for g in match.group(1, 2, 3))
        return f"{whole + top / bottom:g}" if bottom and top < bottom else match.group(0)

    return _FRACTION.sub(decimal, text)


def _unit_size(unit: str) -> tuple[str, float]:
    """What a unit (not a currency) measures, and its size in the common unit."""
    for table, dimension in ((_DISTANCE, "distance"), (_DURATION, "duration")):
        if unit in table:
            return dimension, table[unit]
    return "weight", _WEIGHT[unit]


def _amount(raw: str) -> tuple[float, str]:
    """A number as a quantity and as :func:`numbers_in` writes it."""
    word = raw.lower()
    if word in SPELLED:
        return float(SPELLED[word]), str(SPELLED[word])
    if word in ("a", "an", "one"):
        return 1.0, "1"
    value = _normal(raw)
    return float(value), value


def measures_in(text: str) -> list[Measure]:
    """The measures a text states: a number (or a spelled one) with a unit of distance,
    duration or weight, or a sum of money with its currency."""
    text = _context_free(text)
    found: list[Measure] = []
    spans = [(m.start(), m.end(), m.group(1)) for m in NUMBER.finditer(text)]
    spans += [(m.start(), m.end(), m.group(1)) for m in _SPELLED_MEASURE.finditer(text)]
    for start, end, raw in spans:
        after = _AFTER.match(text, end)
        multiplier_word = (after.group(1) or "").lower() if after else ""
        unit = (after.group(2) or "").lower() if after else ""
        sign = _BEFORE.search(text[max(0, start - 4) : start])
        number, value = _amount(raw)
        if multiplier_word == "m" and not sign and not unit:
            multiplier_word, unit = "", "m"  # "150 m": metres, not millions
        multiplier = _MULTIPLIERS.get(multiplier_word, 1.0)
        currency = _CURRENCY_WORDS.get(unit) or (
            _CURRENCY_SIGNS[sign.group(1).lower()] if sign else ""
        )
        if currency:
            dollars = number * multiplier * _TO_DOLLARS[currency]
            found.append(Measure(value, "money", dollars, dollars, currency))
        elif unit and not multiplier_word and after is not None:
            dimension, size = _unit_size(unit)
            of = " ".join(_FOLLOWING.findall(text[after.end() : after.end() + 60])[:3]).casefold()
            found.append(Measure(value, dimension, number * size, size, of=of))
    return found


ESTIMATE_RATIO = 1.25
"""How far a figure may stand from an estimate of it ("about 800" and "approximately 1,000")
and still be the same figure told again."""


def estimates_in(text: str) -> list[float]:
    """The figures a text gives as estimates ("about 800", "some 700 metres", "~20")."""
    text = _context_free(text)
    return [float(_normal(m.group(1) or m.group(2))) for m in _HEDGED.finditer(text)]


def near(value: float, others: list[float]) -> bool:
    """Whether a figure is within :data:`ESTIMATE_RATIO` of one of the others (figures under
    ten are counts too small to round: never near)."""
    if value < 10:
        return False
    return any(o >= 10 and max(value, o) / min(value, o) <= ESTIMATE_RATIO for o in others)
