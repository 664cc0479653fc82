"""Write understand/data/surnames.txt: family names in Latin script from Faker's locales.

Run once by hand (``pip install faker; python bench/surnames.py``); Faker is not a
dependency. Two capitalised words are a person's name when the last is a family name
("Keiwan Ratliff"), not when it is a word ("Sky Sports", "Boston Herald", "Datang Mobile");
a lone "Hurtado" is a person, not the town GeoNames also knows. Faker (MIT) keeps last-name
lists for many countries.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import faker.providers.person as person

OUT = Path(__file__).resolve().parents[1] / "src/handpicked/understand/data/surnames.txt"
LATIN = re.compile(r"^[A-ZÀ-Þ][a-zà-ÿA-ZÀ-Þ'’-]+$")
ATTRIBUTES = (
    "last_names",
    "last_names_male",
    "last_names_female",
    "last_names_nonbinary",
    "last_romanized_names",
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
    header = "# Family names in Latin script from Faker's person providers (MIT), one a line.\n"
    OUT.write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"{len(names)} family names → {OUT}")


if __name__ == "__main__":
    main()
