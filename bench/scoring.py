"""How the benchmark scores an extraction against the dev sets' ground truth.

Body text is scored as the field does: word 4-gram shingles, precision and recall per page,
averaged over pages, F1 from those two averages. Chinese, Japanese and Thai write no spaces,
so each Han, kana or Thai character is one token there (else such a page is one "word" per
sentence and scores nothing). Metadata is scored per field over the pages whose ground truth
has that field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

#: Scripts written without spaces: Thai, kana, CJK ideographs (with extensions A and the
#: compatibility block). Hangul is written with spaces and stays word-tokenised.
_UNSPACED = "\u0e00-\u0e7f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_UNSPACED}]|[^\W{_UNSPACED}]+")
SHINGLE_SIZE = 4


def words(text: str) -> list[str]:
    """Lower-cased word tokens, with Unicode compatibility forms folded; in unspaced scripts
    each character is a token."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    """The set of word n-grams; a text shorter than ``size`` words is one shingle."""
    tokens = words(text)
    if not tokens:
        return set()
    if len(tokens) < size:
        return {tuple(tokens)}
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


@dataclass(frozen=True, slots=True)
class PageScore:
    precision: float
    recall: float


def body_score(predicted: str, truth: str) -> PageScore:
    """Shingle precision and recall of one page. Empty beside empty is a perfect score;
    an empty prediction for a page with content scores zero on both."""
    pred, gold = shingles(predicted), shingles(truth)
    if not pred and not gold:
        return PageScore(1.0, 1.0)
    if not pred or not gold:
        return PageScore(0.0, 0.0) if gold else PageScore(0.0, 1.0)
    overlap = len(pred & gold)
    return PageScore(overlap / len(pred), overlap / len(gold))


@dataclass(frozen=True, slots=True)
class BodySummary:
    pages: int
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def summarise(scores: Sequence[PageScore]) -> BodySummary:
    """Average precision and recall over pages; F1 is taken from the two averages."""
    if not scores:
        return BodySummary(0, 0.0, 0.0)
    n = len(scores)
    return BodySummary(n, sum(s.precision for s in scores) / n, sum(s.recall for s in scores) / n)


def _normal_tokens(text: str) -> list[str]:
    return words(text)


def title_matches(predicted: str | None, truth: str) -> bool:
    """Same words after normalising case, punctuation and spacing; a site-name suffix or a
    one-word slip is forgiven by asking for a token F1 of at least 0.9."""
    if not predicted:
        return False
    return _token_f1(_normal_tokens(predicted), _normal_tokens(truth)) >= 0.9


_AUTHOR_NOISE = {"by", "and", "von", "par", "por", "di", "de", "written", "posted"}


def _name_tokens(names: Iterable[str]) -> list[str]:
    return [t for name in names for t in _normal_tokens(name) if t not in _AUTHOR_NOISE]


def author_matches(predicted: Sequence[str] | str | None, truth: str) -> bool:
    """The predicted names cover the ground truth's names, with little else (token F1 >= 0.8).
    An empty truth is a reviewed "no byline": only an empty prediction matches it."""
    if not truth.strip():
        return not predicted
    if not predicted:
        return False
    names = [predicted] if isinstance(predicted, str) else list(predicted)
    return _token_f1(_name_tokens(names), _name_tokens([truth])) >= 0.8


def date_matches(predicted: date | datetime | str | None, truth: str) -> bool:
    """Same calendar day as the ground truth's publish date. A ground truth that gives only a
    month ("2025-08", two dev pages) is matched at that precision, since no day could equal it.

    Where both sides carry a time and an offset, the day may be read in either offset (the
    page's own, or the one the ground truth was written in), so "2024-05-03T01:30+02:00"
    matches "2024-05-02 23:30+00:00": the same moment is the same date."""
    gold = truth.strip()[:10]
    if predicted is None or predicted == "" or not gold:
        return False
    days = {_day(predicted)}
    moment, gold_moment = _moment(predicted), _moment(truth)
    if moment is not None and gold_moment is not None:
        days.add(moment.astimezone(gold_moment.tzinfo).date().isoformat())
    return any(day[: len(gold)] == gold for day in days)


def _day(value: date | datetime | str) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()[:10]


def _moment(value: date | datetime | str) -> datetime | None:
    """An offset-aware instant, or None where the value has no time or no offset."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    return None


def _token_f1(pred: list[str], gold: list[str]) -> float:
    if not pred or not gold:
        return 0.0
    remaining: dict[str, int] = {}
    for token in gold:
        remaining[token] = remaining.get(token, 0) + 1
    common = 0
    for token in pred:
        if remaining.get(token, 0) > 0:
            remaining[token] -= 1
            common += 1
    if not common:
        return 0.0
    precision, recall = common / len(pred), common / len(gold)
    return 2 * precision * recall / (precision + recall)
