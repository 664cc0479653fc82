"""Write understand/data/subdivisions.txt: the world's states, provinces and regions.

Run once by hand (``pip install pycountry; python bench/subdivisions.py``); pycountry is not
a dependency. GeoNames' cities and CLDR's countries leave out the level between them, which
news names all the time: "Thüringen", "Madhya Pradesh", "Andalucía", "Ruvuma". ISO 3166-2
(pycountry's copy of Debian's iso-codes, LGPL-2.1) names every country's subdivisions in
their own language. A name that is a very frequent word in a language we read ("Nord",
"Centre"), also without its accents ("Pará" is matched as "Para"), or a demonym ("Somali") is
left out: it would make capitalised sentence-openers regions. A less frequent one
("Thüringen") joins the gazetteer, whose weak places need a cue when frequent.
"""

from __future__ import annotations

from pathlib import Path

import pycountry
from wordfreq import zipf_frequency

from handpicked.understand.aliases import normalise
from handpicked.understand.names import is_demonym

OUT = Path(__file__).resolve().parents[1] / "src/handpicked/understand/data/subdivisions.txt"
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")
COMMON = 5.0
"""A one-word name this frequent (Zipf) in any of LANGUAGES reads as a word first."""
COMMON_IN_ENGLISH = 4.5
"""Or this frequent in English, which most of the news we read is in ("Southern voters")."""


def usable(name: str) -> bool:
    """A plain name, not a frequent word, not "Name [Other name]" or "X, Y"."""
    if len(name) < 4 or any(ch in name for ch in "[](),/;") or not name[:1].isupper():
        return False
    if " " in name:
        return True
    if is_demonym(name):
        return False  # "Somali" (a region of Ethiopia) is read as the people
    spellings = (name, normalise(name))  # "Pará" is matched as "Para", a Spanish word
    if max(zipf_frequency(w, "en") for w in spellings) >= COMMON_IN_ENGLISH:
        return False
    return max(zipf_frequency(w, code) for w in spellings for code in LANGUAGES) < COMMON


def main() -> None:
    names = {s.name for s in pycountry.subdivisions if usable(s.name)}
    header = (
        "# First- and lower-level subdivisions of every country (ISO 3166-2) in their own\n"
        "# language, from pycountry's copy of Debian iso-codes (LGPL-2.1), one a line.\n"
    )
    OUT.write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"{len(names)} subdivisions → {OUT}")


if __name__ == "__main__":
    main()
