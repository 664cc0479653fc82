"""What a reader types into the search box, read once and then written out for each engine.

The syntax is the one web search engines taught everyone (and PostgreSQL's
``websearch_to_tsquery`` reads): words must all match, ``"a phrase"`` matches those words in
that order, ``OR`` between two items matches either, ``-word`` leaves out what has it, and
``word*`` (SQLite only) matches words that start so. Anything else is text to look for, never
syntax: FTS5's own query language is hostile to people (a stray ``"``, ``NEAR(`` or ``-`` is a
syntax error there), so every term reaches FTS5 as a quoted string.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_CHARS = 500
MAX_TERMS = 24

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_WORD = re.compile(r"\w+")
# Control characters and lone surrogates: no text holds them, and PostgreSQL refuses NUL.
_UNUSABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
# Scripts written without spaces between words: unicode61 cannot split them into words.
_UNSPACED = re.compile(
    "[\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff]"
)


class SearchQueryError(ValueError):
    """The query cannot be searched for; the message says why, for the reader."""


@dataclass(frozen=True, slots=True)
class Term:
    """One thing to look for: a word or a phrase, maybe a prefix, maybe left out."""

    text: str
    phrase: bool = False
    prefix: bool = False
    negated: bool = False

    @property
    def words(self) -> tuple[str, ...]:
        """The term's words, folded as the index folds them (case, diacritics)."""
        return tuple(fold(word) for word in _WORD.findall(self.text))

    def fts5(self) -> str:
        """The term as an FTS5 string: always quoted, so nothing in it is syntax."""
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + "*" if self.prefix else quoted

    def websearch(self) -> str:
        text = f'"{self.text}"' if self.phrase or " " in self.text else self.text
        return f"-{text}" if self.negated else text


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A parsed query: every clause must match (a clause matches when one of its terms
    does), and no ``excluded`` term may."""

    clauses: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    @property
    def terms(self) -> tuple[Term, ...]:
        """The terms looked for (not the excluded ones)."""
        return tuple(term for clause in self.clauses for term in clause)

    @property
    def unspaced(self) -> bool:
        """Whether a term is in a script written without spaces (Chinese, Japanese, Thai…):
        word indexes cannot find those, so the store looks for them as substrings."""
        return any(_UNSPACED.search(t.text) for t in (*self.terms, *self.excluded))

    def fts5(self) -> str:
        """The MATCH expression for SQLite FTS5."""
        parts = []
        for clause in self.clauses:
            rendered = " OR ".join(term.fts5() for term in clause)
            parts.append(f"({rendered})" if len(clause) > 1 else rendered)
        expression = " AND ".join(parts)
        if self.excluded:
            expression = f"({expression})" + "".join(f" NOT {t.fts5()}" for t in self.excluded)
        return expression

    def websearch(self) -> str:
        """The query as ``websearch_to_tsquery`` reads it (which never fails on any input)."""
        parts = [" or ".join(term.websearch() for term in clause) for clause in self.clauses]
        return " ".join(parts + [term.websearch() for term in self.excluded])

    @property
    def canonical(self) -> str:
        """One spelling of the query, case-folded: what a followed search is keyed on."""
        return self.websearch().casefold()


def parse_query(text: str) -> SearchQuery:
    """Read a search query; :class:`SearchQueryError` (with a message for the reader) when it
    is too long or has nothing to look for."""
    if len(text) > MAX_QUERY_CHARS:
        raise SearchQueryError(
            f"That search is {len(text)} characters long; keep it under {MAX_QUERY_CHARS}."
        )
    text = _UNUSABLE.sub(" ", text)
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        quoted_minus, quoted, minus, bare = match.groups()
        phrase = quoted is not None
        raw = " ".join((quoted if phrase else bare).split())
        negated = bool(quoted_minus if phrase else minus)
        if not phrase and not negated and raw.casefold() == "or":
            pending_or = bool(clauses)
            continue
        prefix = not phrase and raw.endswith("*")
        raw = raw.rstrip("*") if prefix else raw
        if not _WORD.search(raw):
            continue  # punctuation only: nothing an index could find
        term = Term(raw, phrase=phrase and " " in raw, prefix=prefix, negated=negated)
        if negated:
            excluded.append(term)
        elif pending_or:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        pending_or = False
    if len(excluded) + sum(len(c) for c in clauses) > MAX_TERMS:
        raise SearchQueryError(f"That search has too many words; use at most {MAX_TERMS}.")
    if not clauses:
        if excluded:
            raise SearchQueryError("Say what to look for, not only what to leave out.")
        raise SearchQueryError("Type a word or a phrase to search for.")
    return SearchQuery(tuple(tuple(c) for c in clauses), tuple(excluded))


def fold(word: str) -> str:
    """A word as the SQLite index compares it: case-folded, without diacritics."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
