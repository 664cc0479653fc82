"""What is new in a story since a reader was sent it: new facts, corrections, a changed
headline, new reports, and copies that add nothing.

Rule-based and explainable. What the reader was sent (the articles of the story as they read
then) is the *known* text. Every paragraph of the story that is not in it — in articles that
came since, or added to an article since — is read sentence by sentence for facts the known
text lacks:

- **numbers**: a toll, a sum, a count ("212", "1,500", "twelve", "768GB"); years, dates,
  clock times, numbers in names and addresses ("Highway 214", "24 Elm Street") and
  conversions in brackets are context, not news, and a distance, duration or sum already
  sent in another unit, currency or rounding is not new (:mod:`understand.figures`);
- **quotes** of five words or more, unless most of their words already stood together in
  what was sent, or the sentence is all quote with its speaker elsewhere;

Questions state nothing and are left out.
- **names** of people, places and organisations (from understanding's entities) of which no
  word was in the known text: they raise a sentence's rank, but a new name alone is not shown
  as a fact (on real follow-ups it was mostly a new source for facts already sent);
- **correction and update notes** ("Correction:", "An earlier version of this article…").

A sentence is shown only when it tells something in its own words: at least
:data:`NEW_WORDS_SHARE` of its content words were never sent, and, on follow-ups, its meaning is
not that of a sent sentence (:mod:`understand.retellings`, MiniLM embeddings): on real
follow-ups most wrong facts were the sent story told again in other words or other figures. A
count that says it rose ("the toll has risen to 157"), or an outcome the reader was never
told ("found guilty", "arrested", "resigned"), is a development however much of the sentence was
sent.

A copy of an article already sent adds nothing, however many outlets carry it. The facts are
ranked (a number beside a word like "killed" or "charged", and quotes, first; then names),
each sentence kept only if it adds something the ones above it did not, and linked to the
earliest article that carries it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, Protocol

from handpicked.understand.figures import CLOCK as _CLOCK
from handpicked.understand.figures import DATE as _DATE
from handpicked.understand.figures import EVENT_WORDS as _EVENT_WORDS
from handpicked.understand.figures import MONTHS as _MONTH_NAMES
from handpicked.understand.figures import Measure, all_numbers_in, estimates_in, measures_in, near
from handpicked.understand.figures import numbers_in as numbers_in  # readers import it here
from handpicked.understand.provenance import outlet
from handpicked.understand.retellings import RETOLD_SIMILARITY as RETOLD_SIMILARITY
from handpicked.understand.retellings import SentenceVectors, closeness

FactKind = Literal["number", "quote", "name", "correction", "headline"]
SHOWN_FACTS = 3
"""How many new facts a follow-up shows (corrections are shown besides)."""
SHOWN_CORRECTIONS = 2
_MAX_FACT_CHARS = 280
NEW_WORDS_SHARE = 0.3
"""The share of a sentence's content words that must be new for it to be a fact: below it, the
sentence retells what was sent around a new figure (measured on bench/followups: of the facts
below it, 4 in 10 were wrong, against 1 in 6 above)."""
_RISEN = re.compile(
    r"\b(?:rose|risen|rises|rising|climbed|climbs|jumped|increased|grew|grown|soared|"
    r"swell(?:ed|ing)|mounted)\s+(?:[^\W\d_]+\s+){0,3}?(?:to|by)\b",
    re.I,
)
"""A count told as risen ("the toll has risen to 157"): a development by its very words."""
_OUTCOME = re.compile(
    r"\b(?:guilty|convicted|acquitted|sentenced|jailed|indicted|charged|arrested|detained|"
    r"resigned|sacked|elected|impeached|verdict)\b",
    re.I,
)
"""Words for how a story turns out (a verdict, an arrest, a resignation): one the reader was
never sent makes the sentence a development, however much of the rest retells what was sent.
Deaths are left to the counts: they are told in too many words ("killing", "died", "dead")."""
_MEANING_BATCH = 8

_SENTENCE = re.compile(r"(?<=[.!?…])[\"”’»]?\s+(?=[\"“‘«(\[]?[A-ZÀ-ÞА-Я])")
_QUOTE = re.compile(r"[\"“«„]([^\"“”«»„]{12,600})[\"”»“]")
_UNATTRIBUTED = re.compile(r"\s*[\"“«„][^\"“”«»„]*[\"”»“]?\s*")
"""A sentence that is all quote, with no speaker."""
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CORRECTION = re.compile(
    r"^\s*(?:correction|corrections|clarification|update|updated|editor[’']?s note|"
    r"korrektur|berichtigung|richtigstellung|aktualisierung|rectificatif|correctif|erratum|"
    r"mise à jour|corrección|fe de errores|aclaración|actualización)\s*(?:\([^)]*\))?\s*[:—–-]"
    r"|\b(?:an?|the) (?:earlier|previous|prior) version of this (?:article|story|report|piece)"
    r"|\bthis (?:article|story|report|piece) (?:has been|was|is) (?:updated|corrected|amended)"
    r"|\bin einer (?:früheren|vorherigen|älteren) (?:version|fassung)"
    r"|\bune (?:version )?(?:précédente|antérieure) (?:version )?de cet article"
    r"|\buna versión anterior de (?:este|esta) (?:artículo|nota|información)",
    re.I,
)
_FUNCTION_WORDS = frozenset(
    "also that this these those which what when where with have been from they their there "
    "were will would could should about after before into over than then them just only "
    "some such very more most said says being because while does done your ours".split()
)
_NAME_KINDS = {"person": 1.5, "place": 1.0, "organisation": 1.0, "organization": 1.0}


class StoryArticle(Protocol):
    """What development reads of an article: ``StoredArticle`` qualifies."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str | None: ...
    @property
    def paragraphs(self) -> Sequence[str]: ...
    @property
    def site_name(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def canonical_url(self) -> str: ...
    @property
    def duplicate_of(self) -> int | None: ...
    @property
    def entities(self) -> Sequence[Mapping[str, Any]]: ...


@dataclass(frozen=True, slots=True)
class SeenVersion:
    """An article as a reader was sent it: its headline and paragraphs then."""

    article_id: int
    title: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Fact:
    """One new thing, in the words of the article that carries it."""

    kind: FactKind
    text: str
    article_id: int
    outlet: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "article_id": self.article_id,
                "outlet": self.outlet}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Development:
    """How a story grew since a reader was sent it."""

    facts: tuple[Fact, ...] = ()
    """New facts, best first (at most :data:`SHOWN_FACTS`)."""
    corrections: tuple[Fact, ...] = ()
    headline: Fact | None = None
    """The sent article's headline, as its outlet changed it."""
    new_reports: tuple[str, ...] = ()
    """Outlets with their own new report."""
    new_copies: int = 0
    """New articles that copy one already known (or each other): they add nothing."""
    article_ids: tuple[int, ...] = field(default=(), compare=False)
    """Every article of the story now (what the reader will have been sent)."""

    @property
    def is_real(self) -> bool:
        """Whether it is worth telling: a new fact, a correction or a changed headline. A
        story that only gained copies, or rewrites of what was known, is not."""
        return bool(self.facts or self.corrections or self.headline)

    @property
    def shown(self) -> tuple[Fact, ...]:
        """What the reader is shown: the changed headline, the new facts, the corrections."""
        head = (self.headline,) if self.headline else ()
        return (*head, *self.facts, *self.corrections)

    def to_dict(self) -> dict[str, Any]:
        return {
            "facts": [f.to_dict() for f in self.shown],
            "new_reports": list(self.new_reports),
            "new_copies": self.new_copies,
        }


@dataclass(slots=True)
class _Known:
    """What the reader was sent, indexed for the tests each kind of fact needs."""

    words: set[str]
    stems: set[str]
    """The first five letters of every known word."""
    numbers: set[str]
    measures: list[Measure]
    """Distances, durations, weights and sums, to see one restated in another unit."""
    estimates: list[float]
    """Figures given as estimates ("about 800"), to see one restated in another rounding."""
    trigrams: set[tuple[str, ...]]
    paragraphs: set[str]
    sentences: list[str]
    """Every sent sentence of three words or more, to compare meanings with."""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _words(text: str) -> list[str]:
    return _WORD.findall(_fold(text))


def _trigrams(words: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _paragraph_key(text: str) -> str:
    return " ".join(_words(text))


@lru_cache(maxsize=8192)
def _figures_of(text: str) -> tuple[tuple[str, ...], tuple[Measure, ...], tuple[float, ...]]:
    """A known text's numbers, measures and estimates (cached: a timeline reads each article
    again for every later one)."""
    return tuple(all_numbers_in(text)), tuple(measures_in(text)), tuple(estimates_in(text))


def _known(seen: Iterable[SeenVersion]) -> _Known:
    known = _Known(set(), set(), set(), [], [], set(), set(), [])
    for version in seen:
        for text in (version.title or "", *version.paragraphs):
            words = _words(text)
            known.words.update(words)
            known.stems.update(w[:5] for w in words)
            numbers, measures, estimates = _figures_of(text)
            known.numbers.update(numbers)
            known.measures += measures
            known.estimates += estimates
            known.trigrams |= _trigrams(words)
            known.paragraphs.add(_paragraph_key(text))
            known.sentences += [s for s in sentences(text) if len(_WORD.findall(s)) >= 3]
    return known


def is_correction(paragraph: str) -> bool:
    """Whether a paragraph is a correction or update note: a bare "Updated: 11 Nov 2011
    20:09" time stamp is not."""
    match = _CORRECTION.search(paragraph[:400])
    if match is None:
        return False
    rest = _CLOCK.sub(" ", _DATE.sub(" ", paragraph[match.end() :]))
    return len([w for w in _WORD.findall(rest) if not w.isdigit()]) >= 4


_STAMP_WORDS = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:posted|published|updated|last|on|at|"
    r"[ap]m|gmt|utc|bst|cet|cest|[ecmp][sd]t)\b|\d+",
    re.I,
)

_MONTH_WORD = re.compile(r"\b(?:" + "|".join(_MONTH_NAMES) + r")\b\.?", re.I)


def is_dateline(sentence: str) -> bool:
    """Whether a sentence is only a date and time ("Monday 16 September 2013 03. 31 BST",
    "Posted on November 15, 2011 6:07:15 PM"): fewer than three words are left without them."""
    rest = _STAMP_WORDS.sub(" ", _CLOCK.sub(" ", _DATE.sub(" ", sentence)))
    rest = _MONTH_WORD.sub(" ", rest)
    return len(_WORD.findall(rest)) < 3


_ABBREVIATION = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|St|Gov|Sen|Rep|Gen|Lt|Col|Sgt|Capt|Cmdr|Prof|Insp|Supt|No|Jr|Sr|Inc|"
    r"Co|Corp|Ltd|Mt|Ft|Adm|Msgr|Rev|Fr|Det|Const|Cpl|Pvt|Maj|Brig|Cdr|Hon|Atty|Amb|[A-Z])\.$"
)


_CUT_AT_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Gov|Sen|Rep|Gen|Lt|Col|Sgt|Capt|Cmdr|Prof|Insp|Supt|Adm|Msgr|Rev|Det|"
    r"Const|Cpl|Pvt|Maj|Brig|Cdr|Hon|Atty|Amb)\.[\"”’»]?$"
)
"""A sentence that ends in a title ("…, the Rev."): its paragraph was cut before the name."""


def sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences; a title or initial ("Mr.", "Vice Adm.", "J.") ends none."""
    found: list[str] = []
    for piece in (p.strip() for p in _SENTENCE.split(paragraph)):
        if not piece:
            continue
        if found and _ABBREVIATION.search(found[-1]):
            found[-1] = f"{found[-1]} {piece}"
        else:
            found.append(piece)
    return found


@dataclass(slots=True)
class _Candidate:
    score: float
    kind: FactKind
    text: str
    article_id: int
    outlet: str
    adds: frozenset[str]
    order: int
    develops: bool = False
    """Whether it tells a count as risen or an outcome never sent: then a development,
    however it is worded."""


def _quote_is_new(quote: str, known: _Known) -> bool:
    """Five words or more, few of its word triples already said together, and at least half
    of its content words never said at all (compared by their first five letters, so that
    "suspect" and "suspects" are one): a quote that only puts what was reported into
    someone's mouth is not new."""
    words = _words(quote)
    grams = _trigrams(words)
    if len(words) < 5 or not grams:
        return False
    if sum(1 for g in grams if g in known.trigrams) / len(grams) >= 0.5:
        return False
    content = [w[:5] for w in words if len(w) >= 4 and w not in _FUNCTION_WORDS]
    return bool(content) and sum(1 for w in content if w not in known.stems) / len(content) >= 0.5


def _clip(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= _MAX_FACT_CHARS:
        return text
    cut = text[: _MAX_FACT_CHARS + 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _candidates(
    article: StoryArticle, paragraphs: Sequence[str], known: _Known, order: int
) -> tuple[list[_Candidate], list[Fact]]:
    """The fact sentences and correction notes among an article's new paragraphs."""
    name = outlet(article)
    names = _new_names(article, known)
    found: list[_Candidate] = []
    corrections: list[Fact] = []
    for p_index, paragraph in enumerate(paragraphs):
        if is_correction(paragraph):
            corrections.append(Fact("correction", _clip(paragraph), article.id, name))
            continue
        for s_index, sentence in enumerate(sentences(paragraph)):
            adds: set[str] = set()
            score = 0.0
            kind: FactKind = "name"
            if sentence.rstrip('"”’» ').endswith("?"):
                continue  # a question states nothing
            new_numbers = _new_numbers(sentence, known)
            if new_numbers:
                weight = 3.0 + (2.0 if _EVENT_WORDS.search(sentence) else 0.0)
                score += weight
                kind = "number"
                adds.update(f"n:{n}" for n in new_numbers)
            quotes = [q for q in _QUOTE.findall(sentence) if _quote_is_new(q, known)]
            if _UNATTRIBUTED.fullmatch(sentence):
                quotes = []  # whose words they are is in another sentence: not shown alone
            if quotes:
                score += 3.0
                if not new_numbers:
                    kind = "quote"
                adds.update(f"q:{' '.join(_words(q))}" for q in quotes)
            folded = _fold(sentence)
            for entity_name, weight in names.items():
                if _fold(entity_name) in folded:
                    score += weight
                    adds.add(f"e:{_fold(entity_name)}")
            if (not adds or len(_WORD.findall(sentence)) < 5 or is_dateline(sentence)
                    or _CUT_AT_TITLE.search(sentence)):  # fmt: skip
                continue  # nothing new, a fragment, or a dateline
            develops = _develops(sentence, bool(new_numbers), known)
            if not develops and new_word_share(sentence, known) < NEW_WORDS_SHARE:
                continue  # the sent story told again around a new figure or name
            position = 1.0 / (1 + p_index + 0.2 * s_index)
            found.append(_Candidate(score + position, kind, _clip(sentence), article.id, name,
                                    frozenset(adds), order, develops))  # fmt: skip
    return found, corrections


def _develops(sentence: str, new_numbers: bool, known: _Known) -> bool:
    """Whether the sentence tells the story moving on: a new count told as risen, or an
    outcome (a verdict, an arrest, a resignation) in words the reader was never sent."""
    if new_numbers and _RISEN.search(sentence):
        return True
    return any(m.group(0).casefold()[:5] not in known.stems for m in _OUTCOME.finditer(sentence))


def new_word_share(sentence: str, known: _Known) -> float:
    """The share of the sentence's content words (four letters or more, not function words)
    never sent, compared by their first five letters ("suspect" and "suspects" are one)."""
    content = [w[:5] for w in _words(sentence) if len(w) >= 4 and w not in _FUNCTION_WORDS]
    if not content:
        return 0.0
    return sum(1 for w in content if w not in known.stems) / len(content)


def _new_numbers(sentence: str, known: _Known) -> list[str]:
    """The sentence's figures the reader was not sent, in any unit or rounding."""
    new = [n for n in numbers_in(sentence) if n not in known.numbers]
    if new and known.measures:
        restated = {m.value for m in measures_in(sentence)
                    if any(m.restates(k) for k in known.measures)}  # fmt: skip
        new = [n for n in new if n not in restated]
    if new and known.estimates:  # "approximately 1,000" after "about 800"
        hedged = estimates_in(sentence)
        new = [n for n in new if not (float(n) in hedged and near(float(n), known.estimates))]
    return new


def _new_names(article: StoryArticle, known: _Known) -> dict[str, float]:
    """The article's people, places and organisations of which no word was known."""
    found: dict[str, float] = {}
    for entity in article.entities:
        weight = _NAME_KINDS.get(str(entity.get("kind")))
        name = str(entity.get("name") or "")
        words = [w for w in _words(name) if len(w) >= 3]
        if weight and words and not any(w in known.words for w in words):
            found[name] = weight
    return found


def develop(
    seen: Sequence[SeenVersion],
    articles: Sequence[StoryArticle],
    copy_ids: Iterable[int] = (),
    *,
    by_meaning: bool = True,
    vectors: SentenceVectors | None = None,
) -> Development:
    """How the story (``articles``, as they are now) grew beyond what the reader was sent
    (``seen``: each article as they read it). ``copy_ids`` are articles known to copy
    another (provenance's copies); near-duplicates of a sent article are copies too.

    ``by_meaning`` leaves out facts whose meaning is that of a sent sentence (MiniLM; about
    7 ms of CPU per sentence not seen before, so story pages, which read every article against
    all before it, go without). ``vectors`` holds the sentence embeddings (the process's
    shared cache by default)."""
    known = _known(seen)
    seen_by_id = {version.article_id: version for version in seen}
    copies = set(copy_ids)
    candidates: list[_Candidate] = []
    corrections: list[Fact] = []
    headline: Fact | None = None
    new_reports: list[str] = []
    new_copies = 0
    sent_outlets = {outlet(a) for a in articles if a.id in seen_by_id}
    for order, article in enumerate(articles):
        before = seen_by_id.get(article.id)
        if before is None:
            if article.id in copies or (article.duplicate_of is not None):
                new_copies += 1
                continue
            fresh = [p for p in article.paragraphs if _paragraph_key(p) not in known.paragraphs]
            name = outlet(article)
            if name not in sent_outlets and name not in new_reports:
                new_reports.append(name)
        else:
            old = {_paragraph_key(p) for p in before.paragraphs}
            fresh = [p for p in article.paragraphs if _paragraph_key(p) not in old]
            if _headline_changed(before.title, article.title):
                headline = Fact("headline", _clip(article.title or ""), article.id,
                                outlet(article))  # fmt: skip
        found, notes = _candidates(article, fresh, known, order)
        candidates += found
        corrections += [n for n in notes if n.text not in {c.text for c in corrections}]
    return Development(
        facts=_best(candidates, _Meaning(known.sentences, vectors) if by_meaning else None),
        corrections=tuple(corrections[:SHOWN_CORRECTIONS]),
        headline=headline,
        new_reports=tuple(new_reports),
        new_copies=new_copies,
        article_ids=tuple(a.id for a in articles),
    )


def _headline_changed(before: str | None, now: str | None) -> bool:
    """A real change of words, not of case, punctuation or one small word."""
    old, new = set(_words(before or "")), set(_words(now or ""))
    if not old or not new:
        return False
    return len(old & new) / len(old | new) < 0.75


class _Meaning:
    """Which candidates retell a sent sentence in other words, worked out a few at a time in
    rank order (most follow-ups need only their first few looked at)."""

    def __init__(self, sent: list[str], vectors: SentenceVectors | None) -> None:
        self._sent = sent
        self._vectors = vectors
        self._retold: dict[str, bool] = {}

    def retold(self, candidate: _Candidate, ranked: Sequence[_Candidate]) -> bool:
        if candidate.develops:
            return False
        if candidate.text not in self._retold:
            start = ranked.index(candidate)
            batch = [c.text for c in ranked[start:] if c.kind != "name" and not c.develops]
            batch = [t for t in dict.fromkeys(batch) if t not in self._retold][:_MEANING_BATCH]
            for text, near in zip(batch, closeness(batch, self._sent, self._vectors), strict=True):
                self._retold[text] = near >= RETOLD_SIMILARITY
        return self._retold[candidate.text]


def _best(candidates: list[_Candidate], meaning: _Meaning | None = None) -> tuple[Fact, ...]:
    """The best few fact sentences, each adding something the ones above did not and, with
    ``meaning``, not retelling a sent sentence; between equals, the earlier article (the one
    that first carried it)."""
    chosen: list[Fact] = []
    covered: set[str] = set()
    texts: set[str] = set()
    ranked = sorted(candidates, key=lambda c: (-c.score, c.order))
    for candidate in ranked:
        if candidate.adds <= covered or candidate.text in texts:
            continue
        if candidate.kind == "name":
            continue  # a new name alone is mostly a new source for known facts (measured)
        if meaning is not None and meaning.retold(candidate, ranked):
            continue
        chosen.append(Fact(candidate.kind, candidate.text, candidate.article_id,
                           candidate.outlet))  # fmt: skip
        covered |= candidate.adds
        texts.add(candidate.text)
        if len(chosen) == SHOWN_FACTS:
            break
    return tuple(chosen)


TIMELINE_ARTICLES = 40
"""A story page says what each of its first this many articles added (the work grows with the
square of the count)."""


def timeline(articles: Sequence[StoryArticle]) -> dict[int, tuple[Fact, ...]]:
    """What each article of a story (oldest first) added to those before it: its new facts,
    notes and changed headline as :func:`develop` finds them; copies add nothing."""
    added: dict[int, tuple[Fact, ...]] = {}
    seen: list[SeenVersion] = []
    for article in articles[:TIMELINE_ARTICLES]:
        if seen:
            found = develop(seen, [article], by_meaning=False).shown
            if found:
                added[article.id] = found
        seen.append(SeenVersion(article.id, article.title, tuple(article.paragraphs)))
    return added


def quotes_in(text: str) -> list[str]:
    """The quotations in a text (what :func:`develop` reads as quotes), without their marks."""
    return _QUOTE.findall(text)
