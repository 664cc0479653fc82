"""Searching the stored articles, for the pages, the API and the command line alike: reads
what a reader typed (query and filters), asks the store, and cuts the snippets shown under
each hit, with the matching words marked.

Snippets are lists of plain-text pieces, each marked as a match or not; the page escapes
every piece and wraps the matches in ``<mark>``, so an article's text can never become
markup (the engines' own highlighters return HTML, which would have to be trusted).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from handpicked.desk.context import DeskContext
from handpicked.desk.errors import DeskError
from handpicked.pick.interests import InterestError, parse_thing, search_thing
from handpicked.store import InterestRecord, ReaderRecord, StoredArticle
from handpicked.store.search import SearchFilters, SearchResults
from handpicked.store.search_query import SearchQuery, SearchQueryError, fold, parse_query

MAX_LIMIT = 100
MAX_OFFSET = 10_000
SNIPPET_CHARS = 240
FEED_ITEMS = 50
_WORD = re.compile(r"\w+")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")

Snippet = tuple[tuple[str, bool], ...]
"""Pieces of text in order, each with whether it is a match (to be marked)."""


class SearchError(DeskError):
    """A query or filter that cannot be searched; the message says why."""


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A search as typed: the query and the filters, all still text (or None)."""

    query: str
    source: str | None = None
    language: str | None = None
    since: str | None = None
    until: str | None = None
    entity: str | None = None
    limit: int = 20
    offset: int = 0
    newest: bool = False
    """Newest first rather than best match first."""


@dataclass(frozen=True, slots=True)
class Found:
    """One hit as shown: the article, its title and a snippet with the matches marked."""

    article: StoredArticle
    score: float
    title: Snippet
    snippet: Snippet


@dataclass(frozen=True, slots=True)
class FollowedFeed:
    """A followed search and the newest articles it finds."""

    interest: InterestRecord
    articles: tuple[StoredArticle, ...]


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results and what it was for."""

    request: SearchRequest
    query: SearchQuery
    found: tuple[Found, ...]
    has_more: bool
    engine: str

    @property
    def next_offset(self) -> int | None:
        return self.request.offset + self.request.limit if self.has_more else None

    @property
    def previous_offset(self) -> int | None:
        if self.request.offset <= 0:
            return None
        return max(0, self.request.offset - self.request.limit)


class Search:
    """``desk.search``: the articles that say something."""

    def __init__(self, context: DeskContext) -> None:
        self._context = context

    def followed(self, reader: ReaderRecord, text: str) -> InterestRecord | None:
        """The reader's follow or mute of the search ``text``, if they have one."""
        try:
            key = search_thing(text).key
        except InterestError:
            return None
        return next((i for i in self._searches(reader) if i.key == key), None)

    def feed(self, reader: ReaderRecord, interest_id: int) -> FollowedFeed:
        """The newest articles a followed search of ``reader`` finds (its Atom feed);
        ``not_found`` for an id that is not one of their followed searches."""
        interest = next(
            (i for i in self._searches(reader) if i.id == interest_id and i.mode == "follow"),
            None,
        )
        if interest is None:
            raise SearchError("No such followed search.", "not_found")
        try:
            results = self._context.store.search.find(
                parse_query(interest.key), limit=FEED_ITEMS, newest=True
            )
        except SearchQueryError as error:
            raise SearchError(str(error)) from error
        return FollowedFeed(interest, tuple(hit.article for hit in results.hits))

    def _searches(self, reader: ReaderRecord) -> list[InterestRecord]:
        interests = self._context.store.interests.of_readers([reader.id])[reader.id]
        return [interest for interest in interests if interest.kind == "search"]

    def find(self, request: SearchRequest, *, extra: SearchFilters | None = None) -> SearchPage:
        """One page of results for ``request``; :class:`SearchError` when the query or a
        filter cannot be read. ``extra`` adds conditions (per-reader state, visibility)."""
        query = read_query(request.query)
        if not 1 <= request.limit <= MAX_LIMIT:
            raise SearchError(f"limit must be between 1 and {MAX_LIMIT}.")
        if not 0 <= request.offset <= MAX_OFFSET:
            raise SearchError(f"offset must be between 0 and {MAX_OFFSET}.")
        filters = read_filters(request, extra)
        try:
            results = self._context.store.search.find(
                query, filters, limit=request.limit, offset=request.offset, newest=request.newest
            )
        except SearchQueryError as error:
            raise SearchError(str(error)) from error
        return _page(request, query, results)


def read_query(text: str) -> SearchQuery:
    try:
        return parse_query(text)
    except SearchQueryError as error:
        raise SearchError(str(error)) from error


def read_filters(request: SearchRequest, extra: SearchFilters | None = None) -> SearchFilters:
    """The store's filters for what was typed; :class:`SearchError` for one it cannot read."""
    base = extra or SearchFilters()
    source_id, source_host = _source(request.source)
    language = (request.language or "").strip() or None
    if language is not None and not _LANGUAGE.fullmatch(language):
        raise SearchError(f"{language!r} is not a language code; try 'en' or 'pt-BR'.")
    since = _day(request.since, "since")
    until = _day(request.until, "until")
    if since is not None and until is not None and until <= since:
        raise SearchError("'until' must be on or after 'since'.")
    return SearchFilters(
        source_id=source_id if source_id is not None else base.source_id,
        source_host=source_host or base.source_host,
        language=language or base.language,
        since=since or base.since,
        until=until or base.until,
        fetched_since=base.fetched_since,
        entity_key=_entity(request.entity) or base.entity_key,
        conditions=base.conditions,
    )


def _source(text: str | None) -> tuple[int | None, str | None]:
    value = (text or "").strip()
    if not value:
        return None, None
    if value.isdigit():
        return int(value), None
    try:
        thing = parse_thing(value if ":" in value.split("/")[0] else f"source:{value}")
    except InterestError as error:
        raise SearchError(str(error)) from error
    if thing.kind != "source":
        raise SearchError(f"{value!r} is not a source; give its address, e.g. bbc.co.uk.")
    return None, thing.key


def _entity(text: str | None) -> str | None:
    value = (text or "").strip()
    if not value:
        return None
    try:
        thing = parse_thing(value if ":" in value else f"entity:{value}")
    except InterestError as error:
        raise SearchError(str(error)) from error
    if thing.kind != "entity":
        raise SearchError(f"{value!r} is not a person, organisation or place.")
    return thing.key


def _day(text: str | None, name: str) -> datetime | None:
    """A date or a date and time (UTC unless it says otherwise); ``until`` takes in the
    whole day it names."""
    value = (text or "").strip()
    if not value:
        return None
    try:
        if len(value) <= 10:
            day = date.fromisoformat(value)
            moment = datetime.combine(day, time(), UTC)
            return moment + timedelta(days=1) if name == "until" else moment
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise SearchError(f"'{name}' must be a date such as 2026-12-01.") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _page(request: SearchRequest, query: SearchQuery, results: SearchResults) -> SearchPage:
    found = tuple(
        Found(
            article=hit.article,
            score=hit.score,
            title=highlight(hit.article.title or "", query),
            snippet=snippet(hit.article, query),
        )
        for hit in results.hits
    )
    return SearchPage(request, query, found, results.has_more, results.engine)


# --- snippets ----------------------------------------------------------------------------------


def snippet(article: StoredArticle, query: SearchQuery, width: int = SNIPPET_CHARS) -> Snippet:
    """Where the article matches best: the lead if it matches, else the passage of the body
    around the first match, else the start of the lead or the body."""
    lead = " ".join((article.lead or "").split())
    body = " ".join(article.text.split())
    for text in (lead, body):
        spans = match_spans(text, query)
        if spans:
            start = _window_start(text, spans[0][0], width)
            return highlight(_cut(text, start, width), query)
    return highlight(_cut(lead or body, 0, width), query)


def highlight(text: str, query: SearchQuery) -> Snippet:
    """``text`` in pieces, the matching words marked."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in match_spans(text, query):
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text) or not pieces:
        pieces.append((text[at:], False))
    return tuple(pieces)


def match_spans(text: str, query: SearchQuery) -> list[tuple[int, int]]:
    """Where the query's words are in ``text``: whole words compared as the index compares
    them (prefixes for ``word*``), and substrings for scripts without spaces."""
    words: set[str] = set()
    prefixes: list[str] = []
    substrings: list[str] = []
    for term in query.terms:
        if query.unspaced:
            substrings.append(term.text)
        elif term.prefix:
            prefixes.extend(term.words)
        else:
            words.update(term.words)
    spans: list[tuple[int, int]] = []
    if words or prefixes:
        for match in _WORD.finditer(text):
            folded = fold(match.group())
            if folded in words or any(folded.startswith(p) for p in prefixes):
                spans.append(match.span())
    for needle in substrings:
        spans.extend(_occurrences(text, needle))
    return _merged(spans)


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    lowered, wanted = text.lower(), needle.lower()
    at = lowered.find(wanted) if wanted else -1
    while at >= 0 and len(lowered) == len(text):
        found.append((at, at + len(wanted)))
        at = lowered.find(wanted, at + len(wanted))
    return found


def _merged(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _window_start(text: str, match_at: int, width: int) -> int:
    """Start a little before the match, at a word's beginning."""
    start = max(0, match_at - width // 4)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < match_at else start
    return start


def _cut(text: str, start: int, width: int) -> str:
    end = start + width
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    piece = text[start:end].strip()
    return ("…" if start > 0 else "") + piece + ("…" if end < len(text) else "")
