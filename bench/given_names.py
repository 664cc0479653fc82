"""Write understand/data/givennames.txt: given names in Latin script from Faker's locales.

Run once by hand (``pip install faker; python bench/given_names.py``); Faker is not a
dependency. A run of capitalised words that starts with a given name is a person ("Pierre
Thomas", "Marina Lacerda"); words before a given name are a role ("Anwältin Pam Bondi").
Faker (MIT) keeps first-name lists for many countries.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import faker.providers.person as person

OUT = Path(__file__).resolve().parents[1] / "src/handpicked/understand/data/givennames.txt"
LATIN = re.compile(r"^[A-ZÀ-Þ][a-zà-ÿA-ZÀ-Þ'’-]+$")
ATTRIBUTES = (
    "first_names",
    "first_names_male",
    "first_names_female",
    "first_names_nonbinary",
    "first_romanized_names",
    "first_romanized_names_male",
    "first_romanized_names_female",
)


def main() -> None:
    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attribute in ATTRIBUTES:
            values = getattr(provider, attribute, ())
            if not isinstance(values, (dict, list, tuple)):
                continue
            names.update(v for v in values if isinstance(v, str) and LATIN.match(v))
    header = "# Given names in Latin script from Faker's person providers (MIT), one a line.\n"
    OUT.write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"{len(names)} given names → {OUT}")


if __name__ == "__main__":
    main()
