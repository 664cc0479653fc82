"""Rule-based named entities: who, which organisations and which places an article is about.

Rules rather than a statistical model: spaCy's English model is not on PyPI, the rules run in
a few milliseconds and work for German, French and Spanish too. Candidates are runs of
capitalised words (with name particles such as "bin", "van", "de", "al-"), acronyms and
"U.S."-style abbreviations. Sentence-initial function words, months, titles and demonyms are
dropped; titles ("Rabbi", "President") mark people, cue words ("Group", "Ministry") mark
organisations, the gazetteer and alias table mark places. In German every noun is capitalised,
so a single word counts only when known or an acronym. Within an article a surname merges into
the full name and an acronym into its spelled-out form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, cast

from handpicked.article import Article
from handpicked.understand import aliases
from handpicked.understand.language import detect_language

_WORDS = aliases.word_lists()
STOPWORDS = _WORDS["stopwords"] | _WORDS["months"]
NON_ENTITIES = _WORDS["nonentities"] | _WORDS["months"]
TITLES = _WORDS["titles"]
PARTICLES = _WORDS["particles"]
OF_HEADS = _WORDS["ofheads"]
ORG_CUES = _WORDS["orgcues"]
PLACE_CUES = _WORDS["placecues"]
NORP = _WORDS["norp"]
GIVEN_NAMES = _WORDS["givennames"]
DEMONYM_SUFFIXES = ("ian", "ean", "ese", "ish", "ican", "ians", "eans")
DE_DETERMINERS = frozenset(
    "der die das den dem des ein eine einer einem einen eines im am zum zur vom beim".split()
)
_DE_TITLES: tuple[str, ...] = (
    "minister",
    "ministerin",
    "kanzler",
    "kanzlerin",
    "präsident",
    "präsidentin",
    "chef",
)
_DE_TITLES += ("chefin", "sprecher", "sprecherin", "meister", "meisterin", "vorsitzende", "trainer")
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

Kind = Literal["person", "organisation", "place", "other"]


@dataclass(frozen=True)
class Entity:
    """A named thing in an article; ``key`` is what a reader's follow is matched against."""

    name: str
    kind: Kind
    aliases: tuple[str, ...]
    mentions: int
    key: str


_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W\d_][\w]*(?:['’&-][\w]+)*")
_ENDS = frozenset(".!?:;…•|")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen sen rep gov lt col prof jr sr inc corp co ltd vs no".split()
)
_ACRONYM_EXPANSION = re.compile(
    r"((?:[A-Z][\w'’-]*\s+(?:(?:of|and|for|the|de|du|des|der|für|del|la)\s+)*){2,9})\(([A-Z]{2,8})\)"
)
_POSSESSIVE = re.compile(r"['’]s?$")
_LOWER_WORD = re.compile(r"\b[a-zà-öø-ÿ][\w'’]*")
_ELISION = re.compile(r"^(?:[lLdD]|[qQ]u)['’](?=[A-ZÀ-Þ])")


@dataclass
class _Mention:
    tokens: list[str]
    start: int
    person_cue: bool = False


@dataclass
class _Group:
    forms: dict[str, int] = field(default_factory=dict)
    first: int = 0
    mentions: int = 0
    title_mentions: int = 0
    person_cue: bool = False


def _is_acronym(token: str) -> bool:
    bare = token.replace(".", "")
    return 2 <= len(bare) <= 8 and bare.isupper() and bare.isalpha()


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


def _is_demonym(token: str) -> bool:
    low = token.casefold()
    if low in NORP:
        return True
    if low in GIVEN_NAMES or len(low) < 5:
        return False
    stem = low[:-1] if low.endswith("s") else low
    return stem in NORP or low.endswith(DEMONYM_SUFFIXES) or stem.endswith(DEMONYM_SUFFIXES)


def kind_from_shape(tokens: list[str]) -> Kind:
    """A kind from the words alone: cue words, acronyms, and two or three plain words = person."""
    if not tokens:
        return "other"
    lows = [t.casefold().rstrip(".") for t in tokens]
    if any(t in ORG_CUES for t in lows):
        return "organisation"
    if any(t in PLACE_CUES for t in lows):
        return "place"
    if len(tokens) == 1:
        return "organisation" if _is_acronym(tokens[0]) else "other"
    plain = [t for t in tokens if t.casefold() not in PARTICLES]
    names = all(t[:1].isupper() and not _is_acronym(t) and not _is_demonym(t) for t in plain)
    return "person" if 2 <= len(plain) <= 4 and names else "other"


def _runs(text: str, language: str | None) -> Iterator[tuple[list[str], int, bool]]:
    """Runs of name tokens in one line: (tokens, start offset, starts a sentence)."""
    run: list[str] = []
    start = 0
    initial = False
    last_end = 0
    previous = ""
    elide = language in ("fr", "it")
    for match in _TOKEN.finditer(text):
        token = match.group()
        if not (token[0].isupper() or token in PARTICLES or "-" in token or elide):
            continue  # lowercase words only end runs; the gap before the next token shows it
        if elide and ("'" in token or "’" in token):
            token = _ELISION.sub("", token)
        gap = text[last_end : match.start()].strip()
        bare = gap.strip("\"“”'’»«()[]¿¡-– ")
        abbreviation = gap == "." and (len(previous) == 1 or previous.casefold() in _ABBREVIATIONS)
        sentence_start = last_end == 0 or (bare[-1:] in _ENDS and not abbreviation)
        joined = bool(run) and (gap in ("", "&") or abbreviation)
        name = _is_name_token(token) or _is_acronym(token)
        low = token.casefold()
        if (name and joined) or (
            joined and low in PARTICLES and (low != "of" or run[-1].casefold() in OF_HEADS)
        ):
            run.append(token)
        else:
            while run and run[-1].casefold() in PARTICLES:
                run.pop()
            if run:
                yield run, start, initial
            run = [token] if name else []
            start, initial = match.start(), sentence_start
        last_end = match.end()
        previous = token
    while run and run[-1].casefold() in PARTICLES:
        run.pop()
    if run:
        yield run, start, initial


def _clean(tokens: list[str], initial: bool, language: str | None) -> tuple[list[str], bool]:
    """Drop function words, titles and demonyms from a run's edges; say whether a title was met."""
    tokens = [_POSSESSIVE.sub("", t) if t.endswith(("’s", "'s", "’", "'")) else t for t in tokens]
    known = aliases.lookup(" ".join(tokens))
    if known is not None:
        rest = " ".join(tokens[1:])
        if len(tokens) > 1 and tokens[0].casefold() in STOPWORDS and aliases.lookup(rest) == known:
            tokens = tokens[1:]
        return tokens, False
    cue = False
    while tokens:
        low = tokens[0].casefold().rstrip(".")
        if low in STOPWORDS and (
            initial or low in ("the", "der", "die", "das", "le", "la", "les", "el", "los", "las")
        ):
            tokens = tokens[1:]
        elif (low in TITLES or (language == "de" and low.endswith(_DE_TITLES))) and len(tokens) > 1:
            tokens, cue = tokens[1:], True
        elif low in TITLES:
            return [], False
        elif (
            _is_demonym(tokens[0]) and len(tokens) > 1 and kind_from_shape(tokens) != "organisation"
        ) or low in PARTICLES:
            tokens = tokens[1:]
        else:
            break
        initial = False
    tokens = [t for t in tokens if t.casefold() not in NON_ENTITIES] if len(tokens) == 1 else tokens
    if len(tokens) > 1 and tokens[-1].casefold().rstrip(".") in STOPWORDS:
        tokens = tokens[:-1]
    return tokens, cue


def _accept(
    tokens: list[str],
    initial: bool,
    language: str | None,
    capitalised_later: set[str],
    lower_words: set[str],
) -> bool:
    """Whether a cleaned run is a name and not a common word that happens to be capitalised."""
    if not tokens:
        return False
    name = " ".join(tokens)
    known = aliases.lookup(name) is not None or aliases.is_place(name)
    if known:
        return True
    if any(t.casefold() in NON_ENTITIES for t in tokens):
        return False
    if len(tokens) == 1:
        token = tokens[0]
        low = token.casefold()
        if _is_acronym(token):
            return low not in NON_ENTITIES and low not in lower_words
        if language == "de" or _is_demonym(token) or low in STOPWORDS or low in lower_words:
            return False
        return not initial or low in capitalised_later
    if language == "de":
        return not any(t.casefold().endswith(DE_NOUN_SUFFIXES) for t in tokens)
    return True


def _after_determiner(text: str, start: int, name: str) -> bool:
    """German: a capitalised word after "der", "eine", "im"… is a common noun, not a name."""
    before = text[max(0, start - 8) : start].split()
    known = aliases.lookup(name) is not None or aliases.is_place(name)
    return bool(before) and before[-1].casefold() in DE_DETERMINERS and not known


def _known(tokens: list[str]) -> bool:
    """Whether the alias table or the gazetteer knows the name."""
    name = " ".join(tokens)
    return aliases.lookup(name) is not None or aliases.is_place(name)


def _is_headline(line: str) -> bool:
    """A heading or menu-like line: nearly every longer word capitalised, so case says little."""
    words = [w for w in line.split() if len(w) >= 4 and w[0].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _mentions(text: str, language: str | None) -> list[_Mention]:
    """Accepted name runs of a text, each with where it starts and whether a title preceded it.

    Prose lines decide on their own; heading-like lines only repeat names known to the alias
    table or gazetteer or seen in the prose.
    """
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    prose = [(offset, line) for offset, line in lines if not _is_headline(line)]
    headings = [(offset, line) for offset, line in lines if _is_headline(line)]
    prose_text = "\n".join(line for _o, line in prose)
    lower_words = set(_LOWER_WORD.findall(prose_text))
    runs = [
        (run, offset + start, initial)
        for offset, line in prose
        for run, start, initial in _runs(line, language)
    ]
    capitalised_later = {
        t.casefold() for run, _s, initial in runs for t in (run[1:] if initial else run)
    }
    found: list[_Mention] = []
    for run, start, initial in runs:
        if language == "de" and _after_determiner(text, start, " ".join(run)):
            continue
        words = run
        if initial and len(run) > 1 and run[0].casefold() in lower_words and not _known(run):
            words, initial = run[1:], False  # "Using AI": a common word opened the sentence
        tokens, cue = _clean(words, initial, language)
        if _accept(tokens, initial and tokens == words, language, capitalised_later, lower_words):
            found.append(_Mention(tokens, start, cue))
    seen = {" ".join(m.tokens).casefold() for m in found} | {m.tokens[-1].casefold() for m in found}
    for offset, line in headings:
        for run, start, _initial in _runs(line, language):
            tokens, cue = _clean(run, True, language)
            if tokens and (" ".join(tokens).casefold() in seen or _known(tokens)):
                found.append(_Mention(tokens, offset + start, cue))
    return found


def _expansions(text: str) -> dict[str, str]:
    """Acronym → spelled-out form, from "Islamic Revolutionary Guard Corps (IRGC)"."""
    found: dict[str, str] = {}
    for match in _ACRONYM_EXPANSION.finditer(text):
        words, acronym = match.group(1).split(), match.group(2)
        initials = [w for w in words if w[:1].isupper()]
        for size in range(len(acronym), 1, -1):
            tail = initials[-size:]
            if len(tail) == size and "".join(w[0] for w in tail) == acronym:
                first = words.index(tail[0], max(0, len(words) - len(words)))
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
    lang = detect_language(body or title, declared)
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
        entity = _entity(group)
        salience = group.mentions + 3 * group.title_mentions
        if tag_keys & {aliases.normalise(form) for form in entity.aliases}:
            salience += 1
        entities.append((-salience, group.first, entity))
    entities.sort(key=lambda item: (item[0], item[1]))
    return [entity for _s, _f, entity in entities]


def _group(mentions: list[_Mention], expansions: dict[str, str]) -> dict[str, _Group]:
    """Gather mentions under one name: table aliases, acronym expansions and surnames."""
    full: dict[str, str] = {}
    for mention in mentions:
        tokens = mention.tokens
        if len(tokens) > 1:
            full.setdefault(tokens[-1].casefold(), " ".join(tokens))
            if kind_from_shape(tokens) == "organisation":
                full.setdefault(tokens[0].casefold(), " ".join(tokens))
    groups: dict[str, _Group] = {}
    for mention in mentions:
        form = " ".join(mention.tokens)
        target = expansions.get(form, form)
        if len(mention.tokens) == 1 and aliases.lookup(form) is None and form.casefold() in full:
            target = full[form.casefold()]
        known = aliases.lookup(target)
        anchor = aliases.normalise(known.canonical) if known else aliases.normalise(target)
        group = groups.setdefault(anchor, _Group(first=mention.start))
        group.forms[form] = group.forms.get(form, 0) + 1
        if target != form:
            group.forms.setdefault(target, 0)
        group.person_cue |= mention.person_cue
        group.mentions += 1
    return groups


def _entity(group: _Group) -> Entity:
    forms = sorted(group.forms, key=lambda f: (-len(f.split()), -group.forms[f], f))
    known = next((k for k in map(aliases.lookup, forms) if k is not None), None)
    name = forms[0]
    if known is not None and known.canonical in group.forms:
        name = known.canonical
    kind: Kind
    if known is not None:
        kind = cast(Kind, known.kind)
    elif group.person_cue:
        kind = "person"
    elif aliases.is_place(name):
        kind = "place"
    else:
        kind = kind_from_shape(name.split())
    key = aliases.canonical_key(known.canonical if known else name, kind)
    mentions = group.mentions + group.title_mentions
    return Entity(name, kind, tuple(sorted(group.forms)), mentions, key)


def canonical_key(name: str, kind: str | None = None) -> str:
    """See :func:`handpicked.understand.aliases.canonical_key`."""
    return aliases.canonical_key(name, kind)
