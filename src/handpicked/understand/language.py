"""Which language an article is written in, checked against what the page declares.

py3langid (a 97-language naive Bayes model, ~3 MB, about 0.6 ms per article as read here) was
chosen over lingua-language-detector (a ~96 MB wheel): on news-length paragraphs both are
right, and the size and load time of lingua buy accuracy only on very short snippets, where we
trust the page's declared language anyway.
"""

from __future__ import annotations

import importlib
import re
from functools import cache, lru_cache
from typing import Any

_MIN_LETTERS = 20
"""Below this many letters the text is too short to overrule the page's declaration."""
_SAMPLE = 3000
"""Enough characters to decide; classifying whole long articles only costs time."""
_GLANCE = 400
"""What is read first: the classifier walks the text byte by byte in Python (about 1 ms per
1,000 characters), and the opening alone almost always settles it (on fundus-dev, 300
characters are right as often as 3,000). The whole sample is read only when the opening
disagrees with the declaration or is unsure."""
_SURE = 0.9
"""How likely the opening's language must be to settle an undeclared page on its own."""
_CLOSE = (
    frozenset({"no", "nb", "nn", "da"}),
    frozenset({"hr", "sr", "bs"}),
    frozenset({"ms", "id"}),
)
_DECLARED = re.compile(r"^([a-zA-Z]{2,3})(?:[-_].*)?$")


@cache
def _identifier() -> Any:
    langid: Any = importlib.import_module("py3langid.langid")  # untyped; Any keeps mypy quiet
    return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)


def _declared(code: str | None) -> str | None:
    """ "en-US", "EN_gb", "de" → the ISO 639-1 code; anything else → None."""
    match = _DECLARED.match(code.strip()) if code else None
    if match is None or len(match.group(1)) != 2:
        return None
    return match.group(1).lower()


def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of ``text``; the declared language wins when the text agrees or is short.

    Pages often declare their template's language rather than the article's, so a long text
    that clearly reads otherwise overrules the declaration. None when nothing decides. The
    answer is cached: the pipeline and entity extraction ask about the same article in turn.
    """
    return _detect(text[:_SAMPLE], _declared(declared))


@lru_cache(maxsize=256)
def _detect(sample: str, claim: str | None) -> str | None:
    if not _has_letters(sample, _MIN_LETTERS):
        return claim
    if len(sample) > 2 * _GLANCE:
        best, probability = _identifier().rank(sample[:_GLANCE])[0]
        if claim is not None and _agrees(claim, best):
            return claim
        if claim is None and probability >= _SURE:
            return str(best)
    ranked: list[tuple[str, float]] = _identifier().rank(sample)
    best, probability = ranked[0]
    if claim is not None:
        if _agrees(claim, best):
            return claim
        second = dict(ranked).get(claim, 0.0)
        if second >= 0.2 or probability < 0.6:
            return claim
    return str(best) if probability >= 0.5 else claim


def _agrees(claim: str, found: str) -> bool:
    """The same language, or two the classifier cannot tell apart (Norwegian and Danish)."""
    return claim == found or any(claim in group and found in group for group in _CLOSE)


def _has_letters(text: str, count: int) -> bool:
    """At least ``count`` letters, looking no further than needed."""
    for ch in text:
        if ch.isalpha():
            count -= 1
            if count <= 0:
                return True
    return False
