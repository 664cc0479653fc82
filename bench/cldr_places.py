"""Append CLDR's country and region names (via Babel) to understand/data/places.txt.

Run once by hand: ``python bench/cldr_places.py``. GeoNames (the rest of the file) names
countries in English; news in German, French and Spanish writes "Libanon", "Roumanie",
"Nordamerika". CLDR (Unicode licence) has every territory's name in every language.
"""

from __future__ import annotations

from pathlib import Path

from babel import Locale

PLACES = Path(__file__).resolve().parents[1] / "src/handpicked/understand/data/places.txt"
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")
SKIP = {"001", "EU", "EZ", "UN", "QO", "ZZ"}
"""The world (French "Monde" is also a newspaper), and groupings that are organisations."""
MARK = "# CLDR territory names"


def main() -> None:
    lines = PLACES.read_text(encoding="utf-8").split("\n")
    marks = [i for i, line in enumerate(lines) if line.startswith(MARK)]
    if marks:
        lines = lines[: marks[0]]
    names: set[str] = set()
    for language in LANGUAGES:
        for code, name in Locale(language).territories.items():
            if code not in SKIP and "(" not in name and "&" not in name:
                names.add(name)
    known = set(lines)
    added = sorted(n for n in names if n not in known)
    header = f"{MARK} in {', '.join(LANGUAGES)} (Unicode licence, via Babel)"
    PLACES.write_text("\n".join([*filter(None, lines), header, *added]) + "\n", "utf-8")
    print(f"{len(added)} names added")


if __name__ == "__main__":
    main()
