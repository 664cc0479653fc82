"""How much text there is, counted the same way in every script.

Words split by spaces say nothing about Chinese, Japanese or Thai, which write none: a whole
Japanese paragraph is one "word", and 80 characters of it say as much as 250 of English. The
extractor's thresholds, densities and classifier features were set on spaced Latin text, so
every length here is measured in Latin-equivalent units:

- a Han or kana character counts as three characters (Japanese and Chinese say in one
  character what English says in about three), a Hangul syllable as two;
- a Han or kana character counts as half a word, a Thai letter as a fifth of one (Thai words
  run four to six letters), and every other script counts its space-separated words.
"""

from __future__ import annotations

import re

# Han (with extension A and the compatibility block) and kana, half-width kana included.
_HAN_KANA = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_HANGUL = "\uac00-\ud7af"
_THAI = "\u0e00-\u0e7f"

_WIDE = re.compile(f"[{_HAN_KANA}{_HANGUL}]")
_HAN_KANA_RUN = re.compile(f"[{_HAN_KANA}]+")
_HANGUL_RUN = re.compile(f"[{_HANGUL}]+")
_THAI_RUN = re.compile(f"[{_THAI}]+")
_UNSPACED_RUN = re.compile(f"[{_HAN_KANA}{_THAI}]+")

_HAN_KANA_WEIGHT = 3
_HANGUL_WEIGHT = 2
_HAN_KANA_PER_WORD = 2
_THAI_PER_WORD = 5


def _chars(pattern: re.Pattern[str], text: str) -> int:
    return sum(map(len, pattern.findall(text)))


def reading_length(text: str) -> int:
    """Characters of ``text`` in Latin-equivalent units, whitespace as it stands."""
    length = len(text)
    if text.isascii() or not _WIDE.search(text):
        return length
    return (
        length
        + (_HAN_KANA_WEIGHT - 1) * _chars(_HAN_KANA_RUN, text)
        + (_HANGUL_WEIGHT - 1) * _chars(_HANGUL_RUN, text)
    )


_TOKEN = re.compile(f"[{_HAN_KANA}{_THAI}]|[^\\W{_HAN_KANA}{_THAI}]+")


def word_tokens(text: str) -> list[str]:
    """Lower-cased word tokens for comparing texts: a Han, kana or Thai character is a token
    of its own, so that two Japanese texts share n-grams where they share wording."""
    return _TOKEN.findall(text.casefold())


def count_words(text: str) -> int:
    """Words in ``text``: space-separated words, plus the words of unspaced scripts."""
    if text.isascii():
        return len(text.split())
    unspaced = _UNSPACED_RUN.findall(text)
    if not unspaced:
        return len(text.split())
    spaced = len(_UNSPACED_RUN.sub(" ", text).split())
    han_kana = _chars(_HAN_KANA_RUN, "".join(unspaced))
    thai = sum(map(len, unspaced)) - han_kana
    return spaced + round(han_kana / _HAN_KANA_PER_WORD + thai / _THAI_PER_WORD)


__all__ = ["count_words", "reading_length", "word_tokens"]
