"""Append CLDR's country, region and major-city names (via Babel) to understand/data/places.txt.

Run once by hand: ``python bench/cldr_places.py``. GeoNames (the rest of the file) names
countries in English; news in German, French and Spanish writes "Libanon", "Roumanie",
"Nordamerika". CLDR (Unicode licence) has every territory's name in every language, and the
cities that name the world's time zones ("Europe/Madrid") with their names in each language
("Moskau", "Nueva York"). Those cities are capitals and the largest towns: like a country,
their name is a place even where wordfreq ranks it among the commonest words ("Madrid").
"""

from __future__ import annotations

from pathlib import Path

from babel import Locale
from babel.core import get_global

from handpicked.understand.names import given_names

PLACES = Path(__file__).resolve().parents[1] / "src/handpicked/understand/data/places.txt"
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")
SKIP = {"001", "EU", "EZ", "UN", "QO", "ZZ"}
"""The world (French "Monde" is also a newspaper), and groupings that are organisations."""
MARK = "# CLDR"
ZONE_AREAS = ("Africa", "America", "Asia", "Australia", "Europe")
"""Time-zone areas whose cities are towns; Antarctic stations and islands are left out."""


def zone_cities() -> set[str]:
    """Cities of the time zones: the English name of the zone and CLDR's name per language.

    A zone of a US state's counties ("America/Indiana/Knox") is no city of note.
    """
    cities: set[str] = set()
    for zone in get_global("zone_territories"):
        parts = zone.split("/")
        if len(parts) == 2 and parts[0] in ZONE_AREAS:
            cities.add(parts[1].replace("_", " "))
            for language in LANGUAGES:
                city = Locale(language).time_zones.get(zone, {}).get("city")
                if city:
                    cities.add(city)
    return {c for c in cities if "(" not in c and c not in given_names()}


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
    cities = zone_cities()
    known = set(lines)
    added = sorted({n for n in names if n not in known} | cities)  # a city: strong, even if known
    languages = ", ".join(LANGUAGES)
    header = f"{MARK} territory and zone-city names in {languages} (Unicode licence, via Babel)"
    PLACES.write_text("\n".join([*filter(None, lines), header, *added]) + "\n", "utf-8")
    print(f"{len(added)} names added")


if __name__ == "__main__":
    main()
