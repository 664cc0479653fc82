"""Lines that print the article's facts rather than its text: datelines and bylines.

A news page prints its date ("Stand: 22.04.2024, 06:00 Uhr", "11:00 AM PDT • May 16, 2024",
"2025年1月13日 21時37分", "8 hours ago") and its byline ("Von Nina Magoley", "By Jen Mills and
Sam Lee | Updated ...") as blocks of their own, often inside the article's container. They are
metadata, read elsewhere (:mod:`handpicked.extract.metadata`); as body text they are clutter.
The tests here are on the shape of the whole line, in any language: what is left once the
dates, times, the known authors' names and a few label words are taken out must be (almost)
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_MONTHS = (
    r"jan(?:uary|uar|vier|eiro)?|feb(?:ruary|ruar|rero)?|février|fevereiro|mar(?:ch|s|zo|ço)?|"
    r"mär(?:z)?|apr(?:il)?|avril|abril|ma[iy]|mayo|maio|june?|juni|juin|junio|junho|"
    r"july?|juli|juillet|julio|julho|aug(?:ust)?|août|agosto|sep(?:t|tember|tembre|tiembre)?|"
    r"o[ck]t(?:ober|obre|ubre)?|nov(?:ember|embre|iembre)?|de[cz](?:ember|embre)?|dezembro|"
    r"diciembre|enero|janeiro|abr|ene|dic"
)
_DATE = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"  # 2025年1月13日
    r"|\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|\d{4}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{1,2}"  # 2024-04-22
    r"|\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{2,4}"  # 22.04.2024, 23. 12. 2024
    rf"|\d{{1,2}}\.?\s*(?:de\s+)?\b(?:{_MONTHS})\.?,?\s*(?:de\s+)?\d{{4}}"  # 16. Mai 2024
    rf"|\b(?:{_MONTHS})\.?\s*\d{{1,2}}(?:st|nd|rd|th)?,?\s*\d{{4}}"  # May 16, 2024
    r"|\d+\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago"
    r"|vor\s+\d+\s*(?:minuten|min\.?|stunden|std\.?|tagen)"
    r"|\d+\s*(?:分|時間|日)前",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\d{1,2}\s*時\s*\d{1,2}\s*分|\d{1,2}\s*[:.h]\s*\d{2}(?:\s*(?:[ap]\.?\s?m\.?|uhr|h)\b)?",
    re.IGNORECASE,
)
_LABELS = re.compile(
    r"\b(?:published|posted|updated|last|modified|on|at|stand|aktualisiert|veröffentlicht|"
    r"erstellt|am|um|uhr|publié|mis à jour|le|à|publicado|actualizado|el|a las|de|"
    r"et|est|edt|ct|cst|cdt|pt|pst|pdt|gmt|utc|bst|cet|cest|mez|mesz|jst|kst)\b",
    re.IGNORECASE,
)
_BYLINE_WORDS = re.compile(
    r"\b(?:by|von|par|por|di|door|av|af|przez|autor|autorin|author|text|written|"
    r"and|und|et|y|e|og|och|en|i|a|und|with|mit|avec|con|reporter|reporting|"
    r"correspondent|redakteur(?:in)?)\b|記者|筆者|文",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_NOT_WORD = re.compile(r"[\W\d_]+")
_MAX_LINE_CHARS = 100
_MAX_LEFT_WORDS = 2


def _left_words(text: str) -> list[str]:
    return [word for word in _NOT_WORD.split(text) if word]


def is_dateline(text: str) -> bool:
    """A line that is a date or a time, with at most a label or a section name beside it."""
    if len(text) > _MAX_LINE_CHARS or not _DIGIT.search(text):
        return False  # every date and clock has a digit: most lines stop here, cheaply
    if not (_DATE.search(text) or _relative_clock(text)):
        return False
    left = _LABELS.sub(" ", _TIME.sub(" ", _DATE.sub(" ", text)))
    return len(_left_words(left)) <= _MAX_LEFT_WORDS


def _relative_clock(text: str) -> bool:
    """A bare clock with its zone ("06:01 PM ET"): only when nothing but the clock is there."""
    return bool(_TIME.fullmatch(text.strip()))


def is_byline(text: str, authors: Sequence[str]) -> bool:
    """A line that names the article's authors and says nothing else but a date."""
    if not authors or len(text) > _MAX_LINE_CHARS:
        return False
    folded = text.casefold()
    named = False
    for author in sorted(authors, key=len, reverse=True):
        name = author.casefold().strip()
        if name and name in folded:
            folded = folded.replace(name, " ")
            named = True
    if not named:
        return False
    left = _BYLINE_WORDS.sub(" ", _LABELS.sub(" ", _TIME.sub(" ", _DATE.sub(" ", folded))))
    return not _left_words(left)


__all__ = ["is_byline", "is_dateline"]
