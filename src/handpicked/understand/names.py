"""What a name looks like: the shipped word lists, word frequencies and the kind a shape implies.

Both :mod:`entities` (finding names in text) and :mod:`aliases` (a reader's bare follow) need
these, so they live here and neither of those imports the other's internals.

Common words come from ``wordfreq`` (word frequencies of 40 languages from Wikipedia,
subtitles, news and web text): a capitalised "Who", "Along" or "Dabei" opening a sentence is
among the most frequent words of its language, and a name rarely is. wordfreq folds case, so
frequent names ("Trump", "Paris") score high too: frequency only ever vetoes a word that the
text gives no other reason to read as a name.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from wordfreq import get_frequency_dict

Kind = Literal["person", "organisation", "place", "other"]

FREQUENCY_LANGUAGES = frozenset({"en", "de", "fr", "es", "it", "pt", "nl"})


@cache
def word_lists() -> dict[str, frozenset[str]]:
    """The shipped word lists (stop words, titles, cue words…) from ``data/words.txt``."""
    lists: dict[str, set[str]] = {}
    data = resources.files("handpicked.understand").joinpath("data/words.txt")
    for line in data.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, words = line.partition(":")
        lists.setdefault(name.strip(), set()).update(words.casefold().split())
    return {name: frozenset(words) for name, words in lists.items()}


_WORDS = word_lists()
STOPWORDS = _WORDS["stopwords"] | _WORDS["months"]
NON_ENTITIES = _WORDS["nonentities"] | _WORDS["months"]
TITLES = _WORDS["titles"]
OF_HEADS = _WORDS["ofheads"]
ORG_CUES = _WORDS["orgcues"]
PLACE_CUES = _WORDS["placecues"]
NORP = _WORDS["norp"]
GIVEN_NAMES = _WORDS["givennames"]
DEMONYM_SUFFIXES = ("ian", "ean", "ese", "ish", "ican", "ians", "eans")


@cache
def given_names() -> frozenset[str]:
    """Given names in Latin script (``data/givennames.txt``, from Faker's locales, MIT)."""
    data = resources.files("handpicked.understand").joinpath("data/givennames.txt")
    lines = data.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


@cache
def surnames() -> frozenset[str]:
    """Family names in Latin script (``data/surnames.txt``, from Faker's locales, MIT)."""
    data = resources.files("handpicked.understand").joinpath("data/surnames.txt")
    lines = data.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


@lru_cache(maxsize=1 << 14)
def is_given_name(token: str, language: str | None) -> bool:
    """ "Pierre", "Marina", "Ángel"; not a given name that is mostly a word ("Mark", "Will")."""
    return token in given_names() and zipf(token, language) < 5.0


def is_common_anywhere(word: str, threshold: float = 4.0) -> bool:
    """Whether a word is a frequent word in any language we read ("who", "us", "eu")."""
    return any(zipf(word, code) >= threshold for code in ("en", "de", "fr", "es"))


@cache
def _frequencies(language: str) -> dict[str, float]:
    """wordfreq's "small" list (words used at least once per million) for a language."""
    return get_frequency_dict(language, wordlist="small")


@lru_cache(maxsize=1 << 16)
def zipf(word: str, language: str | None) -> float:
    """Zipf frequency of a word (6 = once per thousand words, 3 = once per million); 0 if rare.

    Languages without a list fall back to English, which most pages quote names in anyway.
    """
    code = language if language in FREQUENCY_LANGUAGES else "en"
    frequency = _frequencies(code).get(word.casefold().replace("’", "'"), 0.0)
    return math.log10(frequency) + 9 if frequency > 0 else 0.0


@lru_cache(maxsize=1 << 15)
def is_acronym(token: str) -> bool:
    """ "WHO", "NCRB", "U.S.": two to eight capitals, dots allowed; "Who" is not one."""
    bare = token.replace(".", "")
    return 2 <= len(bare) <= 8 and bare.isupper() and bare.isalpha()


def is_demonym(token: str) -> bool:
    """ "Israeli", "Canadians": a people's name is not an entity to follow here."""
    low = token.casefold()
    if low in NORP:
        return True
    if low in GIVEN_NAMES or len(low) < 5:
        return False
    stem = low[:-1] if low.endswith("s") else low
    return stem in NORP or low.endswith(DEMONYM_SUFFIXES) or stem.endswith(DEMONYM_SUFFIXES)


def kind_from_shape(tokens: list[str]) -> Kind:
    """A kind from the words alone: cue words, acronyms, and two or three plain words = person."""
    return _kind_from_shape(tuple(tokens))


@lru_cache(maxsize=1 << 15)
def _kind_from_shape(tokens: tuple[str, ...]) -> Kind:
    if not tokens:
        return "other"
    lows = [part for t in tokens for part in t.casefold().rstrip(".").split("-")]
    if any(t in ORG_CUES for t in lows):
        return "organisation"
    if any(t in PLACE_CUES for t in lows):
        return "place"
    if len(tokens) == 1:
        return "organisation" if is_acronym(tokens[0]) else "other"
    plain = [t for t in tokens if t.casefold() not in _WORDS["particles"]]
    given = plain[:1] if plain and plain[0] in given_names() else []
    names = all(
        t[:1].isupper() and not is_acronym(t) and (t in given or not is_demonym(t)) for t in plain
    )
    return "person" if 2 <= len(plain) <= 4 and names else "other"
