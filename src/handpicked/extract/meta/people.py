"""Whether a name opens with someone's given name: how a personal site, named after its
author ("Erin Walsh", "Brett Larkin Yoga"), is told from a publication named like a
person ("Evening Standard", "Ovolo Hotels").

The list is the one the understand stage uses (Latin script, from Faker's locales). It
misses many names, so it may only ever add a name that other clues already point to.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def _given_names() -> frozenset[str]:
    """The given-name list, case-folded; read once, on first use."""
    data = resources.files("handpicked.understand").joinpath("data/givennames.txt")
    lines = data.read_text(encoding="utf-8").splitlines()
    return frozenset(line.casefold() for line in lines if line and not line.startswith("#"))


def opens_with_given_name(name: str) -> bool:
    """The name's first word is a known given name ("Erin Walsh")."""
    words = name.split()
    return bool(words) and words[0].split("-")[0].casefold() in _given_names()
