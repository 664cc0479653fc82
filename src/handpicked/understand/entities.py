"""Rule-based named entities: who, which organisations and which places an article is about.

Rules rather than a statistical model: spaCy's pipelines are not all on PyPI and take tens of
milliseconds an article; these rules take about one and work for German, French and Spanish
too. Candidates are runs of capitalised words (with name particles such as "bin", "van",
"de", "al-"), acronyms and "U.S."-style abbreviations, read across a line break that falls
mid-sentence. A run is cut at titles ("President", "Ministerin"), loses a sentence-opening
common word ("Who", "Along", "Dabei", by wordfreq's frequencies), and a lone word is kept
only when something says it is a name: the alias table or gazetteer knows it, a title or a
full name in the same article introduces it, or it is capitalised where its language would
not capitalise a common word. German nouns are capitalised too, so there a word that heads a
noun phrase ("eine zentrale Silbe") is no name. A run that ends on a role ("County Sheriff")
names no one; a town named as a team ("Chelsea beat Tottenham", "San Diego Chargers") is an
organisation. Within an article a surname merges into the full name, a shorter form into the
person's longer one ("García Ortiz"), and an acronym into its spelled-out form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import cast

from handpicked.article import Article
from handpicked.understand import aliases
from handpicked.understand.language import detect_language
from handpicked.understand.names import (
    NON_ENTITIES,
    OF_HEADS,
    ORG_CUES,
    PLACE_CUES,
    STOPWORDS,
    TITLES,
    Kind,
    given_names,
    is_acronym,
    is_demonym,
    is_given_name,
    kind_from_shape,
    surnames,
    word_lists,
    zipf,
)

__all__ = ["Entity", "Kind", "canonical_key", "extract_entities", "kind_from_shape"]

_PARTICLES = word_lists()["particles"]
_JOINING = {
    "en": frozenset("of for bin ibn al el van von de da du la le".split()),
    "de": frozenset("von van für bin ibn al el de da zu der den".split()),
    "fr": frozenset("de du des pour la le bin ibn al el van von".split()),
    "es": frozenset("de del para la las los y bin ibn al el van".split()),
}
"""Particles that may sit inside a name, per language; "der" in German only after "von"."""
DE_DETERMINERS = frozenset(
    "der die das den dem des ein eine einer einem einen eines im am zum zur vom beim".split()
)
_DE_QUANTIFIERS = frozenset(
    "zwei drei vier fünf sechs sieben acht neun zehn zwölf viele einige mehrere alle keine "
    "kein keinen keinem beide beiden diese dieser diesen diesem dieses jede jeder jeden "
    "mein meine meinen sein seine seinen seiner seinem ihr ihre ihren ihrer ihrem unser "
    "unsere unseren unserer euer eure".split()
)
"""Words that, like an article, open a German noun phrase: "zwei mutmaßliche Spione"."""
_DE_INFLECTIONS = ("e", "en", "er", "es", "em")
_DE_TITLES = (
    "minister",
    "ministerin",
    "kanzler",
    "kanzlerin",
    "präsident",
    "präsidentin",
    "chef",
    "chefin",
    "sprecher",
    "sprecherin",
    "meister",
    "meisterin",
    "vorsitzende",
    "trainer",
    "kandidat",
    "kandidaten",
    "anwältin",
    "anwalt",
    "spieler",
    "spielerin",
    "macher",
    "beauftragte",
    "beauftrage",
    "abgeordnete",
    "abgeordneten",
    "star",
    "promoter",
    "kapitän",
    "sänger",
    "sängerin",
    "autor",
    "autorin",
)
DE_NOUN_SUFFIXES = (
    "ung",
    "heit",
    "keit",
    "schaft",
    "tion",
    "tät",
    "ismus",
    "nis",
    "chen",
    "lein",
    "ment",
    "ungen",
)
_DE_ADJECTIVE_ENDINGS = tuple(
    stem + ending for stem in ("isch", "lich", "sch") for ending in ("e", "en", "er", "es")
)
_ORG_ENDINGS = tuple(ORG_CUES)
_ABBREVIATION = 3.5
"""An unknown acronym this frequent as an English word is more often an abbreviation."""
_COMMON = 4.5
"""A word this frequent (Zipf) is a common word unless the text says otherwise."""
_VERY_COMMON = 5.2
"""So frequent that only a known name overrides it ("Who", "Dabei", "Además")."""
_PLACE_BEFORE = frozenset(
    "in near à au en dans nach hacia mer sea lac lake lago río rio fleuve "
    "river île isla island région region province provincia ville city town village".split()
)
_RARE = 4.0
"""Below this a capitalised word reads as a name of its own ("Ursula von", not "Angaben von")."""
_ROMAN = re.compile(r"^[IVXLC]+(?:e|er|ème|th|st|nd|rd)?$")
_PERSON_AFTER = frozenset(
    "said says told added asked wrote sagte sagt erklärte betonte schrieb dijo afirmó "
    "explicó declaró aseguró señaló indicó déclare explique affirme estime juge confie "
    "souligne argumente".split()
)


@dataclass(frozen=True)
class Entity:
    """A named thing in an article; ``key`` is what a reader's follow is matched against."""

    name: str
    kind: Kind
    aliases: tuple[str, ...]
    mentions: int
    key: str


_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}|(?:[A-Z]\.)+[A-Z](?![\w.])|(?:[a-z]\.){2,}"
    r"|[^\W\d_][\w]*(?:(?:['’&]|-)(?:(?:[A-Z]\.){2,}|[\w]+))*"
)
_ENDS = frozenset(".!?:;…•|")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen sen rep gov lt col prof jr sr inc corp co ltd vs no const adv sgt".split()
)
_ACRONYM_EXPANSION = re.compile(
    r"((?:[A-Z][\w'’-]*\s+(?:(?:of|and|for|the|de|du|des|der|für|del|la)\s+)*){2,9})\(([A-Z]{2,8})\)"
)
_POSSESSIVE = re.compile(r"['’]s?$")
_LOWER_WORD = re.compile(r"\b[a-zà-öø-ÿ][\w'’]*")
_ELISION = re.compile(r"^(?:[lLdDjJnNsScC]|[qQ]u)['’](?=[A-ZÀ-Þ])")
_MID_SENTENCE_BREAK = re.compile(r"(?<=[^\W\d_])[ \t]*\n(?=[ \t]*[A-Z])")


@dataclass
class _Mention:
    tokens: list[str]
    start: int
    person_cue: bool = False
    place_cue: bool = False
    team_cue: bool = False


@dataclass
class _Group:
    forms: dict[str, int] = field(default_factory=dict)
    first: int = 0
    mentions: int = 0
    title_mentions: int = 0
    person_cue: bool = False
    place_cue: bool = False
    team_cue: bool = False


def _is_name_token(token: str) -> bool:
    if "-" not in token and "'" not in token and "’" not in token:
        return token[0].isupper()
    last = token.replace("’", "-").replace("'", "-").split("-")[-1]
    if token[:1].isupper():
        return last[:1].isupper() or "-" not in token
    low = token.lower()
    return (
        any(low.startswith(p + "-") for p in ("al", "el", "bin", "ibn", "abu", "ben"))
        and last[:1].isupper()
    )


@lru_cache(maxsize=1 << 14)
def _is_title(token: str, language: str | None) -> bool:
    low = token.casefold().rstrip(".")
    if low in TITLES:
        return True
    if language == "de":
        return low.endswith(_DE_TITLES)
    return False


def _known(tokens: list[str]) -> bool:
    """Whether the alias table or the gazetteer knows the name."""
    return _known_name(" ".join(tokens))


@lru_cache(maxsize=1 << 15)
def _known_name(name: str) -> bool:
    return aliases.lookup(name) is not None or aliases.is_place(name)


def _joins(particle: str, run: list[str], language: str | None) -> bool:
    """Whether a particle continues the name so far ("Bank of", "Ursula von", "Grupo de")."""
    low = particle.casefold()
    if low not in _JOINING.get(language or "en", _JOINING["en"]):
        return False
    head = run[-1].casefold()
    if head in OF_HEADS:
        return True  # "Bank of"
    if run[0].casefold() in OF_HEADS and low in ("of", "de", "del"):
        return not any(t.casefold() in _PARTICLES for t in run)  # "Hospital Virgen del Rocío"
    if low in ("of", "der", "den", "y", "des", "las", "los", "for", "für", "pour", "para"):
        return low in ("der", "den") and head == "von"
    if low in ("von", "van", "de", "del", "du", "da", "zu"):
        if len(run) != 1 or is_acronym(run[0]):
            return False
        rare = language != "de" and zipf(run[0], language) < _RARE
        return rare or is_given_name(run[0], language)
    return True


def _runs(text: str, language: str | None) -> Iterator[tuple[list[str], int, bool, str]]:
    """Runs of name tokens in one line: (tokens, start, starts a sentence, word before)."""
    run: list[str] = []
    start = 0
    initial = False
    before = ""
    last_end = 0
    previous = ""
    elide = language in ("fr", "it")
    joining = _PARTICLES | _JOINING.get(language or "en", _JOINING["en"])
    for match in _TOKEN.finditer(text):
        token = match.group()
        plain = token[0].islower() and "-" not in token and not elide
        if plain and (not run or token.casefold() not in joining):
            # fast path: a lower-case word only ends a run
            while run and run[-1].casefold() in joining:
                run.pop()
            if run:
                yield run, start, initial, before
            run = []
            last_end, previous = match.end(), token
            continue
        if elide and ("'" in token or "’" in token):
            token = _ELISION.sub("", token)
        gap = text[last_end : match.start()]
        bare = gap.strip().strip("\"“”„‚'’»«‹›()[]¿¡-–— ")
        abbreviation = gap.strip() == "." and (
            len(previous) == 1 or previous.casefold() in _ABBREVIATIONS
        )
        sentence_start = last_end == 0 or (bare[-1:] in _ENDS and not abbreviation)
        if not gap.strip() and "\n" in gap:
            sentence_start = True
        joined = bool(run) and (gap.strip() in ("", "&") or abbreviation) and "\n" not in gap
        if joined and previous.endswith(("’s", "'s")):
            cue = token.casefold()
            joined = cue in ORG_CUES or cue in PLACE_CUES
        name = _is_name_token(token) or is_acronym(token)
        if (name and joined) or (joined and _joins(token, run, language)):
            if abbreviation:
                run[-1] += "."  # "J. Edgar Hoover", "M. Macron": the dot stays with its letter
            run.append(token)
        else:
            while run and run[-1].casefold() in joining:
                run.pop()
            if run:
                yield run, start, initial, before
            run = [token] if name else []
            start, initial, before = match.start(), sentence_start, previous
        last_end = match.end()
        previous = token
    while run and run[-1].casefold() in joining:
        run.pop()
    if run:
        yield run, start, initial, before


def _strip_titles(tokens: list[str], language: str | None) -> tuple[list[str], list[str], bool]:
    """Cut a run after its last title word: "Economy Minister Marcelo Ebrard" → the name.

    Returns the words before the title (they may be a place: "United States President"),
    the name, and whether a title was met. A run that ends on a role ("City Attorney",
    "Police Chief Officer") names no one: only a known place before it is kept.
    """
    if _role_phrase(tokens, language):
        head = tokens[:-1]
        while head and not _known(head):
            head = head[:-1]  # "Fresno City Attorney" → Fresno
        return head, [], True
    for index in range(len(tokens) - 2, -1, -1):
        rest = tokens[index + 1 :]
        if kind_from_shape(rest) in ("organisation", "place") and not _known(rest):
            continue
        if _is_title(tokens[index], language) and not _known(tokens):
            head = tokens[:index]
            while head and (head[-1].casefold() in _PARTICLES or _is_title(head[-1], language)):
                head = head[:-1]
            return head if _known(head) else [], tokens[index + 1 :], True
    return [], tokens, False


_NOT_ROLES = frozenset(
    "state foreign interior finance defence defense crown supreme former ex elder sister "
    "brother father deputy vice chief premier justice m".split()
)
"""Title words that end names as often as roles ("Islamic State", "Big Brother")."""


def _role_phrase(tokens: list[str], language: str | None) -> bool:
    """Whether a run of several words ends on a role and so names an office, not a person."""
    if len(tokens) < 2 or _known(tokens) or is_given_name(tokens[0], language):
        return False  # "Tessa Bishop", "Rachel Reeves Chancellor"?: a person first
    last = tokens[-1].casefold().rstrip(".")
    if last in _NOT_ROLES or not _is_title(tokens[-1], language):
        return False
    of = any(t.casefold() in _PARTICLES for t in tokens)  # "Department of Justice"
    return not of


def _strip_role(tokens: list[str], language: str | None) -> tuple[list[str], list[str], bool]:
    """Cut the words before a given name: "Anwältin Pam Bondi", "Tribunal Supremo Ángel Hurtado".

    Returns the words before (possibly a name themselves), the person's name, and whether
    a cut was made.
    """
    for index in range(1, len(tokens) - 1):
        if is_given_name(tokens[index], language):
            head, name = tokens[:index], tokens[index:]
            words = head[1:] if head[0].casefold() in DE_DETERMINERS else head
            role = bool(words) and all(
                len(t.rstrip(".")) > 1
                and t not in given_names()
                and t.casefold() not in STOPWORDS
                and t.casefold() not in _PARTICLES
                and (
                    zipf(t, language) >= 3.5
                    or (language == "de" and (_german_noun(t) or _agent_or_adjective(t)))
                )
                for t in words
            )
            spanned = any(_known(tokens[start : index + 1]) for start in range(index))
            if not role or spanned or _known(tokens) or kind_from_shape(name) != "person":
                break
            return head, name, True
    return [], tokens, False


def _agent_or_adjective(word: str) -> bool:
    """German: an agent noun or a town's adjective before a given name ("Leseforscher",
    "Sprecherin", "Osnabrücker"): words that open a role ("der Osnabrücker Leseforscher
    Christian Dawidowski"), not a name."""
    return word.casefold().endswith(("er", "erin"))


def _clean(tokens: list[str], initial: bool, language: str | None) -> list[str]:
    """Drop function words, demonyms and sentence-opening common words from a run's edges."""
    tokens = [_POSSESSIVE.sub("", t) if t.endswith(("’s", "'s", "’", "'")) else t for t in tokens]
    if _known(tokens):
        rest = tokens[1:]
        if len(tokens) > 1 and tokens[0].casefold() == "the" and _known(rest):
            return rest  # "The Hague" and "Hague", "the IRGC" and "IRGC" are one
        return tokens
    while tokens:
        low = tokens[0].casefold().rstrip(".")
        opener = (
            initial
            and len(tokens) > 1
            and zipf(low, language) >= _RARE
            and tokens[0] not in given_names()
            and kind_from_shape(tokens) != "organisation"
            and not (len(tokens) == 2 and is_demonym(tokens[0]))
            and not any(_known(tokens[:size]) for size in range(2, len(tokens) + 1))
        )
        role = (
            language == "de"
            and len(tokens) > 1
            and _german_noun(tokens[0])
            and tokens[0] not in given_names()
            and (
                _known(tokens[1:])
                or _known([*tokens[1:-1], tokens[-1][:-1]])
                or tokens[1] in given_names()
                or kind_from_shape(tokens[1:]) == "organisation"
            )
        )
        droppable = (
            (low in STOPWORDS and (initial or low in ("the", "der", "die", "das", "la", "el")))
            or low in _PARTICLES
            or opener
            or role
            or (
                is_demonym(tokens[0])
                and (len(tokens) > 2 or (len(tokens) == 2 and tokens[1] in given_names()))
                and kind_from_shape(tokens) not in ("organisation", "place")
            )
        )
        if droppable and (_known(tokens[1:]) or not _known(tokens[:1])):
            tokens = tokens[1:]
            initial = False
            continue
        break
    if len(tokens) > 1 and tokens[-1].casefold().rstrip(".") in STOPWORDS:
        tokens = tokens[:-1]
    return tokens


def _common_phrase(tokens: list[str], language: str | None) -> bool:
    """Capitalised common words ("Security Bulletins", "Emergency Response"), not a name.

    Every word frequent in the language, none a given name, no cue word that makes a name of
    common words ("Supreme Court", "Wall Street").
    """
    if language == "de" or kind_from_shape(tokens) in ("organisation", "place"):
        return False
    words = [t for t in tokens if t.casefold() not in _PARTICLES]
    return all(
        zipf(t, language) >= _RARE and t not in given_names() and not _known([t]) for t in words
    )


def _german_adjective(word: str) -> bool:
    """ "Europäische", "Deutsche", "Statistische": capitalised only inside a name."""
    return word.casefold().endswith(_DE_ADJECTIVE_ENDINGS)


@lru_cache(maxsize=1 << 15)
def _german_noun(word: str) -> bool:
    """A German common noun: frequent, or a compound ending in one ("Schwefelsäure")."""
    low = word.casefold()
    if len(low) < 2 or _german_adjective(word):
        return False
    return zipf(low, "de") >= 3.5 or low.endswith(DE_NOUN_SUFFIXES) or _german_compound(low)


@lru_cache(maxsize=1 << 15)
def _german_compound(low: str) -> bool:
    """A compound ending in a German word: "Schwefelsäure", "Online-Netzwerken"."""
    parts = low.split("-")
    if len(parts) > 1:
        return any(_german_noun(part) for part in parts[1:])
    return any(zipf(low[cut:], "de") >= 3.3 for cut in range(3, len(low) - 3))


def _shouted(tokens: list[str]) -> bool:
    """An all-capitals label or heading ("UNIDENTIFIED PERSON", "WARNING GRAPHIC DETAIL")."""
    letters = "".join(tokens).replace(".", "")
    return letters.isupper() and (len(tokens) > 1 or len(letters) > 5)


def _roman(token: str) -> bool:
    """A Roman numeral ("XIV", "IIIe"), not a particle that looks like one ("Le" Pen)."""
    return _ROMAN.fullmatch(token) is not None and token.casefold() not in _PARTICLES


def _accept(
    tokens: list[str],
    initial: bool,
    language: str | None,
    capitalised_later: set[str],
    lower_words: set[str],
    titled: bool,
    cued: bool = False,
    repeats: dict[str, int] | None = None,
    at_place: bool = False,
) -> bool:
    """Whether a cleaned run is a name and not a common word that happens to be capitalised.

    ``cued``: a place preposition, a dateline or a speech verb ("…, Ebrard said") stands by it;
    ``repeats``: how often each capitalised word occurs in the text; ``at_place``: only a
    place cue, which alone lets a town named like a common word ("Police") through. A lone
    unknown word needs a cue or a second mention: a capitalised word met once, with nothing
    around it, is too often a noun.
    """
    repeats = repeats or {}
    if not tokens:
        return False
    token = tokens[0]
    low = token.casefold()
    if len(tokens) == 1 and _is_title(token, language) and aliases.lookup(token) is None:
        return False
    if len(tokens) == 1 and low in ORG_CUES | PLACE_CUES and _weak_place(tokens):
        return False  # "Airport", "Police": a cue word alone names no town, whatever GeoNames says
    if _known(tokens):
        weak = len(tokens) == 1 and not is_acronym(token) and not aliases.is_strong_place(token)
        limit = _COMMON if language == "de" else _VERY_COMMON
        return not (weak and zipf(low, language) >= limit and not at_place)
    if language == "de" and _german_inflection(tokens):
        return True  # a German genitive or dative: "Chinas", "Russlands", "den Niederlanden"
    if _shouted(tokens) or all(t.casefold() in STOPWORDS for t in tokens):
        return False  # "UNIDENTIFIED PERSON"; German "Sie Ihre" (the polite "you, your")
    if any(t.casefold().rstrip(".") in NON_ENTITIES or _roman(t) for t in tokens):
        return False
    if len(tokens) == 1 and _is_title(token, language):
        return False
    if len(tokens) > 1 and not titled and _common_phrase(tokens, language):
        return False
    if len(tokens) > 1:
        if language == "de" and not titled:
            org = any(t.casefold().endswith(_ORG_ENDINGS) for t in tokens[1:])
            person = tokens[0] in given_names() and kind_from_shape(tokens) == "person"
            nouns = [t for t in tokens if not is_acronym(t) and not _known([t])]
            return org or person or not any(_german_noun(t) for t in nouns)
        return True
    if is_acronym(token):
        if low in lower_words or max(zipf(low, language), zipf(low, "en")) >= _VERY_COMMON:
            return False
        # "USB", "HD", "VIP": abbreviations common as words need a second mention
        return zipf(low, "en") < _ABBREVIATION or repeats.get(low, 0) >= 2
    if is_demonym(token) or low in STOPWORDS or low in lower_words:
        return False
    frequency = zipf(low, language)
    if frequency >= _VERY_COMMON:
        return False
    given = is_given_name(token, language) and frequency < _RARE
    if titled or (given and not initial):
        return True
    if language == "de":
        repeated = repeats.get(low, 0) >= 2 or cued
        name_like = not _german_noun(token)
        return repeated and name_like and (not initial or low in capitalised_later)
    if frequency >= _COMMON:
        return False
    return (not initial or low in capitalised_later) and (cued or repeats.get(low, 0) >= 2)


def _german_inflection(tokens: list[str]) -> bool:
    """A known name with a German case ending: genitive "Chinas", dative "Niederlanden"."""
    last = tokens[-1]
    stem = [*tokens[:-1], last[:-1]]
    if last.endswith("s"):
        return _known(stem)
    return last.endswith("en") and aliases.is_strong_place(" ".join(stem))  # not "Daten"


def _noun_phrase_opener(text: str, start: int) -> str | None:
    """German: what makes the capitalised word at ``start`` a common noun, or None.

    "determiner": it follows "der", "eine", "im"…; "adjective": it follows an inflected
    adjective that such a word opens ("eine zentrale Silbe", "zwei mutmaßliche Spione",
    "seine neuen Foldables"). German capitalises every noun, and a name is seldom the head
    of a noun phrase.
    """
    before = text[max(0, start - 40) : start].split()[-2:]
    if not before:
        return None
    last = before[-1]
    if last.casefold() in DE_DETERMINERS:
        return "determiner"
    inflected = last[:1].islower() and last.isalpha() and last.endswith(_DE_INFLECTIONS)
    if not inflected:
        return None
    opener = len(before) == 2 and before[0].casefold() in DE_DETERMINERS | _DE_QUANTIFIERS
    return "adjective" if opener or _german_adjective(last) else None


def _adjective_of_name(word: str) -> bool:
    """ "Deutsche" of "die Deutsche Bahn"; not a compound noun ("US-Platzhirschen")."""
    return "-" not in word and _german_adjective(word)


def _named_after(run: list[str]) -> bool:
    """ "die Forscherin Anna Keller": a word, then a given name and more: a role and a person."""
    return len(run) > 2 and run[1] in given_names() and kind_from_shape(run[1:]) == "person"


def _weak_place(tokens: list[str]) -> bool:
    """A word only the gazetteer knows, as a town's name: "Kita", "Police", "Halle"."""
    return (
        len(tokens) == 1
        and aliases.lookup(tokens[0]) is None
        and not aliases.is_strong_place(tokens[0])
        and aliases.is_place(tokens[0])
    )


def _is_headline(line: str) -> bool:
    """A heading or menu-like line: nearly every longer word capitalised, so case says little."""
    words = [w for w in line.split() if len(w) >= 4 and w[0].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _join_broken_lines(text: str) -> str:
    """Read a line break inside a sentence ("the Los⏎Angeles Times") as a space.

    A break counts as inside a sentence when the line before ends on a word, not on
    punctuation, and is prose rather than a heading.
    """

    def join(match: re.Match[str]) -> str:
        line_start = text.rfind("\n", 0, match.start()) + 1
        line = text[line_start : match.start()]
        words = line.split()
        mid_name = len(words) >= 6 and words[-1][:1].isupper() and not _is_headline(line)
        following = text[match.end() : match.end() + 40].split()[:1]
        if following and following[0].casefold() in STOPWORDS:
            mid_name = False  # "…de la Russie⏎La Chine a appelé": a heading, then a sentence
        return " " * len(match.group()) if mid_name else match.group()

    return _MID_SENTENCE_BREAK.sub(join, text)


def _extend_known(run: list[str], text: str, start: int, language: str | None) -> list[str]:
    """Take in lower-case words that complete a known name: "Union européenne", "Dar es Salaam"."""
    if aliases.lookup(" ".join(run)) is not None:
        return run
    end = start
    for token in run:
        end = text.find(token, end) + len(token)
    following = re.findall(r"\S+", text[end : end + 40])[:3]
    if not following or aliases.normalise(" ".join([*run, following[0]])) not in _prefixes():
        return run
    for size in range(len(following), 0, -1):
        words = [w.strip(",.;:!?»”\"'") for w in following[:size]]
        if words[-1] and _known(run + words) and not _known(words[-1:]):
            return run + words
    return run


@lru_cache(maxsize=1 << 14)
def _compound_noun(token: str) -> bool:
    """German: a hyphenated compound that ends in a common noun ("LTE-Netzen",
    "E-Mail-Adresse", "Galaxy-Smartphones"): a thing, not a name ("Baden-Württemberg",
    "Grande-Marlaska", "Hans-Peter")."""
    parts = token.split("-")
    if len(parts) < 2 or parts[0] in given_names() or _known([token]):
        return False
    last = parts[-1]
    return len(last) > 2 and (zipf(last, "de") >= 3.0 or last.casefold().endswith(DE_NOUN_SUFFIXES))


def _known_before_nouns(run: list[str]) -> list[str]:
    """German: a known name, then common nouns ("in Deutschland Probleme") is the name alone.

    German capitalises every noun, so a name is often followed by one in the same run.
    """
    for size in range(len(run) - 1, 0, -1):
        rest = run[size:]
        nouns = all(_german_noun(t) and not is_acronym(t) and not _known([t]) for t in rest)
        if nouns and _known(run[:size]) and not _known(run):
            return run[:size]
    return run


@cache
def _prefixes() -> frozenset[str]:
    return aliases.name_prefixes()


_ES_PARTICIPLES = ("ado", "ido", "cho", "ito", "sto", "rto")
"""Spanish past participles: "ha recalcado", "ha dicho", "ha descrito", "ha expuesto"."""


def _spanish_speech(before: str, language: str | None) -> bool:
    """ "ha recalcado Albares", "ha resumido Moreno": a participle before a name: a speaker."""
    return language == "es" and before.casefold().endswith(_ES_PARTICIPLES) and len(before) > 4


_PLACE_NOUNS = _PLACE_BEFORE - frozenset("in near à au en dans nach hacia".split())
_OF = frozenset(("of", "de", "del", "du", "von"))


def _place_of(text: str, start: int) -> bool:
    """ "la région russe de Koursk", "the city of Sumy": a place noun, then "of", then it."""
    before = [w.casefold().strip(",") for w in text[max(0, start - 50) : start].split()[-4:]]
    return (
        bool(before)
        and before[-1] in ("of", "de", "del", "du", "von")
        and any(word in _PLACE_NOUNS for word in before[:-1])
    )


def _dateline(text: str, start: int) -> bool:
    """ "BERLIN. …", "Riad. …", "DUBLIN — …": a place opening a paragraph, set off by a stop."""
    if start and text[start - 1] != "\n":
        return False
    head = text[start : start + 40]
    shouted = re.match(r"[A-ZÀ-Þ][A-ZÀ-Þ -]{1,30}(?::| —| –) +\S", head)
    return shouted is not None or re.match(r"[^\W\d_]+\. +[A-ZÀ-Þ]", head) is not None


_TEAM_BEFORE = word_lists()["teambefore"]
_TEAM_AFTER = word_lists()["teamafter"]
_TEAM_PLURAL = word_lists()["teamplural"]
_WORD_BREAK = re.compile(r"\W")
_NEXT_WORD = re.compile(r" (\w+)")


def _team_cue(text: str, start: int, end: int, opens_sentence: bool) -> bool:
    """Whether the words around a name say it is a team ("Chelsea beat Tottenham", "Chelsea
    have won", "Sandhausen-Trainer"), so that a town's name there is an organisation."""
    before = text[max(0, start - 20) : start].split()
    if before and before[-1].casefold().strip(",") in _TEAM_BEFORE:
        return True
    after = _word_after(text, end)
    if text[end : end + 1] == "-":
        after = _WORD_BREAK.split(text[end + 1 : end + 30].casefold())[0]
    plural = _NEXT_WORD.match(text, end)  # "Chelsea have", not "Chelsea, were"
    verb = plural.group(1).casefold() if plural else ""
    return after in _TEAM_AFTER or (opens_sentence and verb in _TEAM_PLURAL)


_AUXILIARIES = {"es": "ha", "fr": "a", "en": "has"}
_FR_PARTICIPLE = "é"


def _speaks(text: str, end: int, language: str | None) -> bool:
    """Whether a speech verb follows the name: "…, Ebrard said", "Moreno ha señalado",
    "Peskov a déclaré" (a perfect tense: the auxiliary, then a past participle)."""
    words = re.findall(r"[^\W\d_]+", text[end : end + 40].casefold())[:2]
    if not words:
        return False
    if words[0] in _PERSON_AFTER:
        return True
    if len(words) < 2 or words[0] != _AUXILIARIES.get(language or "en"):
        return False
    participle = words[1]
    if language == "es":
        return participle.endswith(_ES_PARTICIPLES) and len(participle) > 5
    if language == "fr":
        return participle.endswith(_FR_PARTICIPLE) and len(participle) > 5
    return participle in _PERSON_AFTER


def _word_after(text: str, end: int) -> str:
    match = re.match(r"[\s,]*([^\W\d_]+)", text[end : end + 30])
    return match.group(1).casefold() if match else ""


def _mentions(text: str, language: str | None) -> list[_Mention]:
    """Accepted name runs of a text, each with where it starts and what cues surround it.

    Prose lines decide on their own; heading-like lines only repeat names known to the alias
    table or gazetteer or seen in the prose.
    """
    text = _join_broken_lines(text)
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    heading = [_is_headline(line) for _offset, line in lines]
    prose = [entry for entry, head in zip(lines, heading, strict=True) if not head]
    headings = [entry for entry, head in zip(lines, heading, strict=True) if head]
    lower_words = set(_LOWER_WORD.findall("\n".join(line for _o, line in prose)))
    runs = [
        (run, offset + start, initial, before)
        for offset, line in prose
        for run, start, initial, before in _runs(line, language)
    ]
    capitalised_later = {
        t.casefold() for run, _s, initial, _b in runs for t in (run[1:] if initial else run)
    }
    candidates: list[tuple[list[str], int, bool, bool, str]] = []
    for run, start, initial, before in runs:
        if language == "de" and len(run) == 2 and run[0].casefold() in DE_DETERMINERS:
            # "Der Launch sollte…": the sentence's article, read as the mid-sentence "der"
            start = text.find(run[1], start)
            run, initial, before = run[1:], False, run[0]
        opener = _noun_phrase_opener(text, start) if language == "de" else None
        if opener and (not (_known(run) or _german_inflection(run)) or _weak_place(run)):
            if is_acronym(run[0]) or (len(run) > 1 and _adjective_of_name(run[0])):
                pass  # "der EU", "der Deutschen Bahn"
            elif len(run) == 1:
                continue
            elif opener == "adjective" or _german_noun(run[0]) or _named_after(run):
                run, initial = run[1:], False  # "seine ehemalige Anwältin Pam Bondi"
            else:
                continue
        run = _extend_known(run, text, start, language)
        if language == "de":
            run = _known_before_nouns(run)
            while run and _compound_noun(run[-1]):
                run = run[:-1]  # "LTE-Netzen", "Sie Ihre E-Mail-Adresse"
            if not run:
                continue
        head, words, titled = _strip_titles(run, language)
        if not titled:
            head, words, titled = _strip_role(run, language)
        if head and (_known(head) or kind_from_shape(head) in ("organisation", "place")):
            candidates.append((head, start, initial, False, before))
        if not initial:
            titled = titled or _is_title(before, language) or _spanish_speech(before, language)
        candidates.append((words, start, initial and words == run, titled, before))
    cleaned = [(_clean(c[0], c[2], language), *c) for c in candidates]
    full_names = _full_names(cleaned, language, capitalised_later, lower_words)
    repeats: dict[str, int] = {}
    for run, _s, _i, _b in runs:
        for token in run:
            repeats[token.casefold()] = repeats.get(token.casefold(), 0) + 1
    cued = {
        " ".join(tokens).casefold()
        for tokens, _w, start, initial, _t, before in cleaned
        if (before.casefold() in _PLACE_BEFORE and not initial)
        or _dateline(text, start)
        or (before.casefold() in _OF and _place_of(text, start))
    }
    found: list[_Mention] = []
    for tokens, words, start, initial, titled, _before in cleaned:
        opened = initial and tokens == words
        rescued = len(tokens) == 1 and tokens[0].casefold() in full_names
        place_cue = " ".join(tokens).casefold() in cued
        end = text.find(tokens[-1], start) + len(tokens[-1]) if tokens else start
        acronym = len(tokens) == 1 and is_acronym(tokens[0]) and not _known(tokens)
        if acronym and re.match(r" ?\d", text[end : end + 2]):
            continue  # "USB 3.0", "IE 8": a product or a version, not an organisation
        speaker = titled or _speaks(text, end, language)
        if rescued or _accept(
            tokens,
            opened,
            language,
            capitalised_later,
            lower_words,
            titled,
            place_cue or speaker,
            repeats,
            place_cue,
        ):
            team = _town(" ".join(tokens)) and _team_cue(text, start, end, opened)
            found.append(
                _Mention(tokens, start, person_cue=speaker, place_cue=place_cue, team_cue=team)
            )
    seen = {" ".join(m.tokens).casefold() for m in found} | {m.tokens[-1].casefold() for m in found}
    for offset, line in headings:
        for run, start, _initial, _before in _runs(line, language):
            tokens = _clean(run, True, language)
            if tokens and (" ".join(tokens).casefold() in seen or _known(tokens)):
                found.append(_Mention(tokens, offset + start))
    return found


def _distinctive(word: str, language: str | None) -> bool:
    """Whether a name's first word alone still names it: not a title, a demonym or a common
    word ("Local Government Association" does not make every sentence's "Local" a name)."""
    return (
        not _is_title(word, language)
        and not is_demonym(word)
        and (is_acronym(word) or zipf(word, language) < _COMMON)
    )


def _full_names(
    cleaned: list[tuple[list[str], list[str], int, bool, bool, str]],
    language: str | None,
    capitalised_later: set[str],
    lower_words: set[str],
) -> set[str]:
    """Surnames (and first words of organisations) of the article's accepted longer names.

    A lone "Trump" or "Bush" is a frequent word, but not where "Donald Trump" came before.
    """
    words: set[str] = set()
    for tokens, _run, _start, _initial, titled, _before in cleaned:
        if len(tokens) > 1 and _accept(
            tokens, False, language, capitalised_later, lower_words, titled
        ):
            shape = kind_from_shape(tokens)
            if shape == "organisation" and _distinctive(tokens[0], language):
                words.add(tokens[0].casefold())  # "Fianna" of "Fianna Fáil", not "Local"
            elif shape == "person" or titled:
                words.add(tokens[-1].casefold())
    return words


def _expansions(text: str) -> dict[str, str]:
    """Acronym → spelled-out form, from "Islamic Revolutionary Guard Corps (IRGC)"."""
    found: dict[str, str] = {}
    for match in _ACRONYM_EXPANSION.finditer(text):
        words, acronym = match.group(1).split(), match.group(2)
        initials = [w for w in words if w[:1].isupper()]
        for size in range(len(acronym), 1, -1):
            tail = initials[-size:]
            if len(tail) == size and "".join(w[0] for w in tail) == acronym:
                first = words.index(tail[0])
                found[acronym] = " ".join(words[first:])
                break
    return found


def _sources(
    article: Article | str, text: str | None, language: str | None
) -> tuple[str, str, str | None, list[str]]:
    if isinstance(article, Article):
        captions = [image.caption for image in article.images if image.caption]
        body = "\n\n".join([article.text, *captions])
        return article.title or "", body, article.language, list(article.tags)
    return article, text or "", language, []


def extract_entities(
    article: Article | str, text: str | None = None, language: str | None = None
) -> list[Entity]:
    """Entities of an article (or of ``title, text, language``), most salient first.

    Salience is body mentions plus three per title mention and one for a matching tag.
    """
    title, body, declared, tags = _sources(article, text, language)
    prose = article.text if isinstance(article, Article) else body
    lang = detect_language(f"{title}\n{prose}", declared)  # as the pipeline asks: cached
    if lang not in (None, "en", "de", "fr", "es", "it", "pt", "nl"):
        return []
    groups = _group(_mentions(body, lang), _expansions(body))
    for group in groups.values():
        group.title_mentions = sum(
            1
            for form in group.forms
            if form in title and re.search(rf"(?<!\w){re.escape(form)}(?!\w)", title)
        )
    tag_keys = {aliases.normalise(tag) for tag in tags}
    entities: list[tuple[float, int, Entity]] = []
    for group in groups.values():
        entity = _entity(group, lang)
        salience = group.mentions + 3 * group.title_mentions
        if tag_keys & {aliases.normalise(form) for form in entity.aliases}:
            salience += 1
        entities.append((-salience, group.first, entity))
    entities.sort(key=lambda item: (item[0], item[1]))
    return [entity for _s, _f, entity in entities]


def _longer_person_names(mentions: list[_Mention]) -> dict[str, str]:
    """A person's shorter form → the full name it ends: "García Ortiz" → "Álvaro García Ortiz",
    "Mark Felt" → "W. Mark Felt" (Spanish people go by two surnames, others by a middle name);
    not "Jesus Christ" → "Church of Jesus Christ".
    """
    names = {
        " ".join(m.tokens): m.tokens
        for m in mentions
        if len(m.tokens) > 2 and kind_from_shape(m.tokens) == "person"
    }
    found: dict[str, str] = {}
    for mention in mentions:
        tokens = mention.tokens
        if len(tokens) < 2 or kind_from_shape(tokens) != "person":
            continue
        for name, full in names.items():
            if len(full) > len(tokens) and full[-len(tokens) :] == tokens:
                found.setdefault(" ".join(tokens), name)
    return found


def _group(mentions: list[_Mention], expansions: dict[str, str]) -> dict[str, _Group]:
    """Gather mentions under one name: table aliases, acronym expansions and surnames."""
    full: dict[str, str] = {}
    for mention in mentions:
        tokens = mention.tokens
        if len(tokens) > 1:
            full.setdefault(tokens[-1].casefold(), " ".join(tokens))
            shape = kind_from_shape(tokens)
            if shape == "organisation" and not _known(tokens[:1]):
                full.setdefault(tokens[0].casefold(), " ".join(tokens))
            elif shape == "person":
                for token in tokens[1:-1]:
                    full.setdefault(token.casefold(), " ".join(tokens))
    longer = _longer_person_names(mentions)
    groups: dict[str, _Group] = {}
    for mention in mentions:
        form = " ".join(mention.tokens)
        target = expansions.get(form, longer.get(form, form))
        if len(mention.tokens) == 1 and aliases.lookup(form) is None and form.casefold() in full:
            target = full[form.casefold()]
        known = aliases.lookup(target)
        anchor = aliases.normalise(known.canonical) if known else aliases.normalise(target)
        group = groups.setdefault(anchor, _Group(first=mention.start))
        group.forms[form] = group.forms.get(form, 0) + 1
        if target != form:
            group.forms.setdefault(target, 0)
        group.person_cue |= mention.person_cue
        group.place_cue |= mention.place_cue
        group.team_cue |= mention.team_cue
        group.mentions += 1
    return groups


def _team_name(tokens: list[str]) -> bool:
    """A place, then a plural noun: "San Diego Chargers", "Texas Rangers", "Dallas Texans"."""
    last = tokens[-1]
    singular = last[:-1]
    if len(tokens) < 2 or not last.endswith("s") or len(last) < 4 or singular in given_names():
        return False
    place = any(aliases.is_place(" ".join(tokens[:size])) for size in range(1, len(tokens)))
    return place and zipf(singular, "en") >= 2.5


def _kind_of_unknown(name: str, group: _Group, language: str | None) -> Kind:
    """The kind of a name neither table knows: cue words, the words around it, its shape."""
    tokens = name.split()
    lows = [t.casefold().rstrip(".") for t in tokens]
    shape = kind_from_shape(tokens)
    if shape in ("organisation", "place"):
        return shape
    if _team_name(tokens):
        return "organisation"
    first = tokens[0]
    given = first in given_names() and zipf(first, language) < 5.3
    given = given and not aliases.is_strong_place(first)
    if len(tokens) > 1 and re.fullmatch(r"[A-Z]\.", first):
        return "person"  # "J. Edgar Hoover", "W. Mark Felt"
    middle = any(is_given_name(t, language) for t in tokens[1:-1])
    family = tokens[-1] in surnames()
    worded = not family and zipf(tokens[-1], language) >= 3.7
    if given and len(tokens) > 1 and aliases.is_place(first) and worded:
        given = False  # "Boston Herald", "Washington Nationals"; not "Jordan Peters"
    if group.person_cue or given or middle:
        rest = [
            t for t in tokens[1:] if t not in given_names() and len(t) > 1 and t not in _PARTICLES
        ]
        plain = all(zipf(t, language) < 5.0 for t in rest)
        if plain and not is_acronym(tokens[0]):
            return "person"
    if group.place_cue:
        return "place"
    if len(tokens) == 1:
        return "person" if family else "organisation"  # a lone "Hurtado" is someone
    if lows[0] in OF_HEADS and any(low in _PARTICLES for low in lows):
        return "organisation"
    if aliases.is_place(tokens[0]) and any(zipf(low, language) >= 3.5 for low in lows[1:]):
        return "organisation"
    if any(zipf(low, language) >= 5.0 for low in lows[1:] if len(low) > 1):
        return "organisation"
    singular = lows[-1][:-1]
    if lows[-1].endswith("s") and zipf(singular, language) >= _RARE:
        return "organisation"
    if shape == "person" and _looks_like_surname(tokens, language):
        return "person"
    return "organisation"


def _looks_like_surname(tokens: list[str], language: str | None) -> bool:
    """Whether two or three unknown words, no given name first, end on a family name.

    A known family name ("Ishiba" is not; "Baba", "Munir" are) says person; so does a rare
    last word after a rare first one ("Keir Starmer") unless it is a place ("Partizan Belgrad")
    or the run opens on an article ("Los Gallardos").
    """
    last = tokens[-1]
    if last in surnames() or re.fullmatch(r"[A-Z]\.?", last):
        return True  # "Hua S.": a family name cut to its initial
    if tokens[0].casefold() in _PARTICLES or aliases.is_place(last):
        return False
    return all(zipf(t, language) < _RARE for t in tokens)


def _town(name: str) -> bool:
    """A place that is not a country or region: its name is often a club's too."""
    return aliases.is_place(name) and not aliases.is_strong_place(name)


def _entity(group: _Group, language: str | None = None) -> Entity:
    forms = sorted(group.forms, key=lambda f: (-len(f.split()), -group.forms[f], f))
    known = next((k for k in map(aliases.lookup, forms) if k is not None), None)
    name = forms[0]
    if known is not None and known.canonical in group.forms:
        name = known.canonical
    kind: Kind
    if known is not None:
        kind = cast(Kind, known.kind)
    elif group.person_cue and len(name.split()) == 1 and not is_acronym(name):
        kind = "person"
    elif group.team_cue and not group.place_cue and _town(name):
        kind = "organisation"  # "Chelsea beat Tottenham": the clubs, not the districts
    elif aliases.is_place(name) or (language == "de" and aliases.is_place(name[:-1])):
        kind = "place"
    else:
        kind = _kind_of_unknown(name, group, language)
    key = aliases.canonical_key(known.canonical if known else name, kind)
    mentions = group.mentions + group.title_mentions
    return Entity(name, kind, tuple(sorted(group.forms)), mentions, key)


def canonical_key(name: str, kind: str | None = None) -> str:
    """See :func:`handpicked.understand.aliases.canonical_key`."""
    return aliases.canonical_key(name, kind)
