"""What a reader can follow or mute, read from what they type.

``handpicked follow me@example.com Putin`` must mean the person Vladimir Putin, whatever an
article calls him; ``"Florida Man"`` is a phrase; ``bbc.co.uk`` a source. A typed thing is
read in this order: an explicit ``kind:`` prefix, then quotes (a phrase), a URL or domain (a
source), a topic of the taxonomy, a name the alias table or gazetteer knows (an entity),
and anything else is a phrase, matched case-insensitively on word boundaries. A search
(``search:florida -weather``) is followed only with its prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from handpicked.store.search_query import SearchQueryError, parse_query
from handpicked.understand import aliases
from handpicked.understand.topics import TOPIC_WORDS

ENTITY_KINDS = ("person", "organisation", "place")
_PREFIXES = {
    "person": ("entity", "person"),
    "people": ("entity", "person"),
    "org": ("entity", "organisation"),
    "organisation": ("entity", "organisation"),
    "organization": ("entity", "organisation"),
    "place": ("entity", "place"),
    "entity": ("entity", None),
    "topic": ("topic", None),
    "source": ("source", None),
    "site": ("source", None),
    "section": ("section", None),
    "phrase": ("phrase", None),
    "search": ("search", None),
}
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.IGNORECASE)
_QUOTES = "\"'“”‘’«»"
MAX_THING_CHARS = 200


class InterestError(ValueError):
    """What the reader typed cannot be followed; the message says what would work."""


@dataclass(frozen=True, slots=True)
class Thing:
    """A followable thing: ``kind`` and ``key`` are what stories are matched on."""

    kind: str
    key: str
    label: str

    @property
    def spec(self) -> str:
        """How to type it again, unambiguously ("person:Vladimir Putin")."""
        if self.kind == "entity":
            return f"{self.key.split(':', 1)[0]}:{self.label}"
        return f"{self.kind}:{self.label}"

    def describe(self) -> str:
        """For people: "Vladimir Putin", "the topic Politics", "bbc.co.uk", "“Florida Man”"."""
        if self.kind == "topic":
            return f"the topic {self.label}"
        if self.kind == "section":
            return f"the section {self.label}"
        if self.kind == "phrase":
            return f"“{self.label}”"
        if self.kind == "search":
            return f"the search “{self.label}”"
        return self.label


def parse_thing(text: str) -> Thing:
    """Read what a reader typed; ``InterestError`` when it is empty or unusable."""
    raw = " ".join(text.split())
    if not raw:
        raise InterestError("say what to follow, e.g. 'Vladimir Putin', 'topic:politics', "
                            "'bbc.co.uk' or '\"Florida Man\"'")  # fmt: skip
    if len(raw) > MAX_THING_CHARS:
        raise InterestError(f"that is {len(raw)} characters; keep it under {MAX_THING_CHARS}")
    prefix, sep, rest = raw.partition(":")
    if sep and prefix.strip().lower() in _PREFIXES and rest.strip() and "//" not in rest:
        kind, entity_kind = _PREFIXES[prefix.strip().lower()]
        return _typed(kind, entity_kind, rest.strip())
    if len(raw) >= 2 and raw[0] in _QUOTES and raw[-1] in _QUOTES:
        return _phrase(raw.strip(_QUOTES))
    source = _source_key(raw)
    if source is not None:
        return Thing("source", source, source)
    topic = _topic_key(raw)
    if topic is not None:
        return Thing("topic", topic, TOPIC_WORDS[topic][0])
    known = aliases.lookup(raw)
    if known is not None and known.kind in ENTITY_KINDS:
        return Thing("entity", aliases.canonical_key(raw), known.canonical)
    if aliases.is_place(raw):
        return Thing("entity", aliases.canonical_key(raw, "place"), raw)
    return _phrase(raw)


def _typed(kind: str, entity_kind: str | None, value: str) -> Thing:
    if kind == "entity":
        known = aliases.lookup(value)
        label = known.canonical if known is not None else value
        return Thing("entity", aliases.canonical_key(value, entity_kind), label)
    if kind == "topic":
        topic = _topic_key(value)
        if topic is None:
            names = ", ".join(sorted(TOPIC_WORDS))
            raise InterestError(f"no topic {value!r}; the topics are: {names}")
        return Thing("topic", topic, TOPIC_WORDS[topic][0])
    if kind == "source":
        source = _source_key(value)
        if source is None:
            raise InterestError(f"{value!r} is not a web address; try 'source:example.com'")
        return Thing("source", source, source)
    if kind == "section":
        return Thing("section", aliases.normalise(value), value)
    if kind == "search":
        return search_thing(value)
    return _phrase(value)


def search_thing(query: str) -> Thing:
    """A followed search: keyed on one spelling of the query, so that "Florida  man" and
    "florida man" are one follow; its matches rise in the picks like a phrase's."""
    try:
        parsed = parse_query(query)
    except SearchQueryError as error:
        raise InterestError(str(error)) from error
    return Thing("search", parsed.canonical, " ".join(query.split()))


def _phrase(value: str) -> Thing:
    key = phrase_key(value)
    if not key:
        raise InterestError("a phrase needs at least one letter or digit")
    return Thing("phrase", key, value.strip())


def phrase_key(value: str) -> str:
    """A phrase as it is matched: case-folded words joined by single spaces."""
    return " ".join(re.findall(r"\w+", value.casefold()))


def _topic_key(value: str) -> str | None:
    wanted = value.strip().casefold()
    for key, (label, _words) in TOPIC_WORDS.items():
        if wanted in (key, label.casefold()):
            return key
    return None


def _source_key(value: str) -> str | None:
    """The host a URL or bare domain names, without "www."; None for anything else."""
    text = value.strip()
    if "://" in text:
        host = urlsplit(text).hostname or ""
    elif " " not in text and "." in text and "/" in text:
        host = urlsplit("http://" + text).hostname or ""
    else:
        host = text.lower()
    host = host.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host if _DOMAIN.match(host) else None


def source_of(url: str | None) -> str | None:
    """An article URL's source key (its host without "www.")."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host or None
