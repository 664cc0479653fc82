"""Whether a credited name is the publication itself rather than a person.

Pages credit their outlet as the author in every source (JSON-LD, meta tags, a printed
"By"): "Krautreporter", "ORF.at", "Lesotho Times". A reader sees the outlet as the site, so
it is no byline; but a one-person site is named after its author, who stays.
"""

from __future__ import annotations

from handpicked.extract.meta.authors import OUTLET_WORDS
from handpicked.extract.meta.titles import domain_label, host_of, normal

_ARTICLES = frozenset("the der die das le la les el il lo los las het".split())


def outlet_keys(
    url: str | None, site_name: str | None, publisher: str | None, website: str | None
) -> set[str]:
    """The outlet's names, compared letters only: its site name, its publishing
    organisation and website name, its host and domain ("ndr.de", "lestimes")."""
    host = (host_of(url) or "").removeprefix("www.")
    names = (site_name, publisher, website, host, domain_label(url))
    keys = {normal(name) for name in names if name}
    return {key for key in keys if key}


def is_outlet(name: str, outlets: set[str]) -> bool:
    """A declared "author" that is the publication itself, which a reader sees as the site,
    not as a byline: a name of the site or of the publishing organisation that is not
    written like a person's ("Krautreporter", "ORF.at", "Lesotho Times"). A one-person site
    is named after its author ("Pierce Freeman"), who stays."""
    if person_like(name):
        return False
    key = normal(name.removeprefix("The ").removeprefix("the "))
    return key in outlets or normal(name) in outlets


def person_like(name: str) -> bool:
    """Two to four capitalised words of letters, not led by an article ("Der Postillon") and
    none a word that names a publication ("Times", "Zeitung"): how people's names are
    written."""
    words = name.split()
    return (
        2 <= len(words) <= 4
        and all(word[:1].isupper() and word.isalpha() for word in words)
        and words[0].casefold() not in _ARTICLES
        and not any(word.casefold() in OUTLET_WORDS for word in words)
    )
