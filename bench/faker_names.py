"""Write understand/data/givennames.txt and surnames.txt: given and family names in Latin
script from Faker's locales.

Run once by hand (``pip install faker; python bench/faker_names.py``); Faker is not a
dependency. Faker (MIT) keeps first- and last-name lists for many countries.

- A run of capitalised words that starts with a given name is a person ("Pierre Thomas",
  "Marina Lacerda"); words before a given name are a role ("Anwältin Pam Bondi").
- Two capitalised words are a person's name when the last is a family name ("Keiwan
  Ratliff"), not when it is a word ("Sky Sports", "Boston Herald", "Datang Mobile"); a lone
  "Hurtado" is a person, not the town GeoNames also knows.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import faker.providers.person as person

DATA = Path(__file__).resolve().parents[1] / "src/handpicked/understand/data"
LATIN = re.compile(r"^[A-ZÀ-Þ][a-zà-ÿA-ZÀ-Þ'’-]+$")
LISTS = {
    "givennames.txt": (
        "Given names",
        (
            "first_names",
            "first_names_male",
            "first_names_female",
            "first_names_nonbinary",
            "first_romanized_names",
            "first_romanized_names_male",
            "first_romanized_names_female",
        ),
    ),
    "surnames.txt": (
        "Family names",
        (
            "last_names",
            "last_names_male",
            "last_names_female",
            "last_names_nonbinary",
            "last_romanized_names",
        ),
    ),
}


def names_of(attributes: tuple[str, ...]) -> set[str]:
    """Every Latin-script name any of Faker's person providers keeps under ``attributes``."""
    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attribute in attributes:
            values = getattr(provider, attribute, ())
            if not isinstance(values, (dict, list, tuple)):
                continue
            names.update(v for v in values if isinstance(v, str) and LATIN.match(v))
    return names


def main() -> None:
    for file_name, (what, attributes) in LISTS.items():
        names = names_of(attributes)
        header = f"# {what} in Latin script from Faker's person providers (MIT), one a line.\n"
        (DATA / file_name).write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
        print(f"{len(names)} {what.lower()} → {DATA / file_name}")


if __name__ == "__main__":
    main()
