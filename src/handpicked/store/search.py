"""Full-text search over the stored articles: SQLite FTS5 or PostgreSQL's own text search.

Both index the title, the lead, the body, the authors and the site name, and both rank a
match in the title above one in the lead, and both above one in the body:

- SQLite: ``articles_fts``, an FTS5 table whose content is the articles table itself (the
  text is stored once), kept in step by triggers on ``articles``; tokenizer ``unicode61
  remove_diacritics 2`` (so "cafe" finds "café"), ranked by ``bm25`` with column weights.
- PostgreSQL: ``articles.search_vector``, a generated ``tsvector`` (title weight A, lead B,
  authors and site C, body D) with a GIN index, ranked by ``ts_rank_cd``. The ``simple``
  configuration does not stem, so that no language is favoured; Latin letters with
  diacritics are folded to bare letters by ``translate`` in the column (``0011_search_folding``)
  and in the query, so that both engines find the same words. Each term is read by
  ``websearch_to_tsquery`` (a prefix, ``climat*``, by ``to_tsquery``'s ``:*``) and the terms
  are joined with ``tsquery_and``/``_or``/``_not``, as FTS5 reads the same query.

Scripts written without spaces (Chinese, Japanese, Thai…) have no words either index can
find, so a query in them is looked for as substrings instead (a scan, ranked by date).

The schema parts live in the migrations (``0008_search``, ``0011_search_folding``) rather than in
:mod:`handpicked.store.tables`: neither engine's index is something the ORM can describe.
"""

from __future__ import annotations

import builtins
import functools
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Float,
    Join,
    Select,
    Text,
    and_,
    cast,
    column,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    table,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnClause

from handpicked.store.articles import stored_article
from handpicked.store.model import StoredArticle
from handpicked.store.search_query import SearchQuery, SearchQueryError, Term
from handpicked.store.sessions import Repository
from handpicked.store.tables import ArticleRow

__all__ = [
    "SCHEMA_NAMES",
    "SearchFilters",
    "SearchHit",
    "SearchRepository",
    "SearchResults",
]

#: Tables and columns the search migration makes that the ORM does not describe (schema
#: comparisons leave them out).
SCHEMA_NAMES = frozenset(
    ("articles_fts", "articles_fts_data", "articles_fts_idx", "articles_fts_docsize",
     "articles_fts_config", "search_vector", "ix_articles_search_vector",
     "ix_articles_search_filters")
)  # fmt: skip

# title, lead, text, authors, site_name: the title counts most, the body least.
BM25_WEIGHTS = (10.0, 4.0, 1.0, 2.0, 2.0)
RANK_CAP = 20_000
"""SQLite: a query that matches more articles than this ranks only the newest this many
(by id, which grows as articles are found): bm25 costs about a millisecond per thousand
matches, and a word in nearly every article ("said") would otherwise cost 150 ms."""
MATCHING_IDS_CAP = 5000
"""The most articles :meth:`SearchRepository.matching_ids` returns (the best ranked)."""

COVERING_INDEX = "ix_articles_search_filters"
"""SQLite: the index (made by the migration) holding what ranking and the usual filters read
of an article, so that a match never reads the article's row, whose flag and dates sit
behind the body in overflow pages (a word in a fifth of 100,000 articles: 83 → 32 ms)."""

Engine = Literal["fts5", "postgresql", "substring"]
_FTS = table("articles_fts", column("rowid"))
_FTS_NAME: ColumnClause[Any] = literal_column("articles_fts")
_VECTOR: ColumnClause[Any] = literal_column("articles.search_vector")
_SIMPLE: ColumnClause[Any] = literal_column("'simple'::regconfig")


def _latin_diacritics() -> tuple[str, str]:
    """Every Latin letter with diacritics (U+00C0-U+024F, U+1E00-U+1EFF) whose decomposition
    is a bare letter and combining marks, and that bare letter in lower case: what
    ``0011_search_folding`` folds in PostgreSQL's index, so queries fold alike."""
    accented, bare = [], []
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        letter = chr(code)
        decomposed = unicodedata.normalize("NFD", letter)
        base, marks = decomposed[0], decomposed[1:]
        if marks and base.isascii() and base.isalpha() and all(map(unicodedata.combining, marks)):
            accented.append(letter)
            bare.append(base.lower())
    return "".join(accented), "".join(bare)


ACCENTED, BARE = _latin_diacritics()


def _folded(text: str) -> ColumnElement[str]:
    return func.translate(text, ACCENTED, BARE)


def _tsquery_of(term: Term) -> ColumnElement[Any]:
    if term.prefix:
        escaped = term.text.replace("\\", "\\\\").replace("'", "''")
        return func.to_tsquery(_SIMPLE, _folded(f"'{escaped}':*"))
    text = f'"{term.text}"' if term.phrase or " " in term.text else term.text
    return func.websearch_to_tsquery(_SIMPLE, _folded(text))


def _postgres_tsquery(query: SearchQuery) -> ColumnElement[Any]:
    """Every clause (one of its terms) and none of the excluded terms, folded as the index."""
    clauses = [functools.reduce(func.tsquery_or, map(_tsquery_of, c)) for c in query.clauses]
    found = functools.reduce(func.tsquery_and, clauses)
    for term in query.excluded:
        found = func.tsquery_and(found, func.tsquery_not(_tsquery_of(term)))
    return found


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What narrows a search. Dates are those of publication (of fetching when unknown);
    ``until`` is exclusive."""

    source_id: int | None = None
    source_host: str | None = None
    """A host without "www." (as follows name sources): its articles, www. or not."""
    language: str | None = None
    """A language code: "en" also matches "en-GB"."""
    since: datetime | None = None
    until: datetime | None = None
    fetched_since: datetime | None = None
    entity_key: str | None = None
    """An understood entity's key ("person:vladimir putin")."""
    conditions: tuple[ColumnElement[bool], ...] = ()
    """More SQL conditions on ``articles``, from other repositories: the hook for per-reader
    state ("unread", "saved") and for what a reader may see."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A matching article and how well it matched (higher is better, per engine)."""

    article: StoredArticle
    score: float


@dataclass(frozen=True, slots=True)
class SearchResults:
    """One page of hits, best first; ``has_more`` when a next page has any."""

    hits: tuple[SearchHit, ...]
    has_more: bool
    engine: Engine


class SearchRepository(Repository):
    """``store.search``: articles by what they say."""

    def find(
        self,
        query: SearchQuery,
        filters: SearchFilters | None = None,
        *,
        limit: int = 20,
        offset: int = 0,
        newest: bool = False,
    ) -> SearchResults:
        """The ``limit`` best matches after the first ``offset`` (the newest first instead
        with ``newest``). Raises :class:`SearchQueryError` if the engine refuses the query
        after all."""
        with self._sessions.read() as session:
            engine = self._engine(session.get_bind().dialect.name, query)
            stmt = _ranked(engine, query, newest).where(*_conditions(filters or SearchFilters()))
            stmt = stmt.limit(limit + 1).offset(offset)
            try:
                if engine == "fts5" and not newest:
                    stmt = stmt.where(_FTS.c.rowid >= _rank_floor(session, query))
                rows = session.execute(stmt).all()
            except OperationalError as error:  # an FTS5 syntax error, which quoting prevents
                raise SearchQueryError("That search could not be read; try plain words.") from error
            shown = rows[:limit]
            articles = {
                row.id: stored_article(row)
                for row in session.scalars(
                    select(ArticleRow).where(ArticleRow.id.in_([r.id for r in shown]))
                )
            }
        hits = tuple(SearchHit(articles[r.id], float(r.score)) for r in shown if r.id in articles)
        return SearchResults(hits, has_more=len(rows) > limit, engine=engine)

    def matching_ids(
        self, query: SearchQuery, filters: SearchFilters | None = None
    ) -> builtins.set[int]:
        """The ids of matching articles (the best :data:`MATCHING_IDS_CAP`): what a followed
        search raises in the picks."""
        with self._sessions.read() as session:
            engine = self._engine(session.get_bind().dialect.name, query)
            stmt = _ranked(engine, query).where(*_conditions(filters or SearchFilters()))
            try:
                return {row.id for row in session.execute(stmt.limit(MATCHING_IDS_CAP))}
            except OperationalError as error:
                raise SearchQueryError("That search could not be read; try plain words.") from error

    def rebuild(self) -> None:
        """Re-index every article (SQLite; PostgreSQL's column is always current): for a
        database whose triggers were lost, or after a bulk load that bypassed them."""
        with self._sessions.write() as session:
            if session.get_bind().dialect.name == "sqlite":
                session.connection().exec_driver_sql(
                    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')"
                )

    @staticmethod
    def _engine(dialect: str, query: SearchQuery) -> Engine:
        if query.unspaced:
            return "substring"
        return "fts5" if dialect == "sqlite" else "postgresql"


class _CoveredJoin(Join):
    """``articles_fts JOIN articles INDEXED BY`` the covering index: without statistics
    (nobody runs ANALYZE) SQLite's planner looks rows up by id in the table instead."""

    inherit_cache = True


@compiles(_CoveredJoin, "sqlite")
def _covered_join(join: _CoveredJoin, compiler: SQLCompiler, **kw: Any) -> str:
    rendered = str(compiler.visit_join(join, **kw))  # type: ignore[no-untyped-call]
    hinted = f" JOIN articles INDEXED BY {COVERING_INDEX} ON "
    return rendered.replace(" JOIN articles ON ", hinted, 1)


def _ranked(engine: Engine, query: SearchQuery, newest: bool = False) -> Select[Any]:
    """Article ids and scores of the matches, best first (newest first among equals), or
    newest first."""
    when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
    if engine == "fts5":
        bm25 = func.bm25(_FTS_NAME, *BM25_WEIGHTS)
        return (
            select(ArticleRow.id, (-bm25).label("score"))
            .select_from(_CoveredJoin(_FTS, ArticleRow.__table__, ArticleRow.id == _FTS.c.rowid))
            .where(_FTS_NAME.op("MATCH")(query.fts5()))
            .order_by(*([] if newest else [bm25]), when.desc(), ArticleRow.id.desc())
        )
    if engine == "postgresql":
        tsquery = _postgres_tsquery(query)
        rank = func.ts_rank_cd(_VECTOR, tsquery)
        return (
            select(ArticleRow.id, rank.label("score"))
            .where(_VECTOR.op("@@")(tsquery))
            .order_by(*([] if newest else [rank.desc()]), when.desc(), ArticleRow.id.desc())
        )
    return (
        select(ArticleRow.id, cast(literal(0.0), Float).label("score"))
        .where(_substring_match(query))
        .order_by(when.desc(), ArticleRow.id.desc())
    )


def _rank_floor(session: Session, query: SearchQuery) -> int:
    """The smallest id among the :data:`RANK_CAP` newest matches (0 when there are fewer):
    FTS5 walks its lists newest first cheaply, without ranking anything."""
    newest = (
        select(_FTS.c.rowid)
        .where(_FTS_NAME.op("MATCH")(query.fts5()))
        .order_by(_FTS.c.rowid.desc())
        .offset(RANK_CAP - 1)
        .limit(1)
    )
    return int(session.execute(newest).scalar() or 0)


def _substring_match(query: SearchQuery) -> ColumnElement[bool]:
    fields = (ArticleRow.title, ArticleRow.lead, ArticleRow.text)

    def found(text: str) -> ColumnElement[bool]:
        return or_(
            *(func.lower(func.coalesce(f, "")).contains(text.lower(), autoescape=True)
              for f in fields)
        )  # fmt: skip

    wanted = [or_(*(found(term.text) for term in clause)) for clause in query.clauses]
    unwanted = [not_(found(term.text)) for term in query.excluded]
    return and_(*wanted, *unwanted)


def _conditions(filters: SearchFilters) -> list[ColumnElement[bool]]:
    """The SQL of ``filters`` (only stored articles, not index pages, are searched)."""
    when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
    found: list[ColumnElement[bool]] = [ArticleRow.is_article.is_(True)]
    if filters.source_id is not None:
        found.append(ArticleRow.source_id == filters.source_id)
    if filters.source_host:
        found.append(_from_host(filters.source_host))
    if filters.language:
        language = func.lower(func.coalesce(ArticleRow.detected_language, ArticleRow.language))
        code = filters.language.lower()
        found.append(or_(language == code, language.startswith(f"{code}-", autoescape=True)))
    if filters.since is not None:
        found.append(when >= filters.since)
    if filters.until is not None:
        found.append(when < filters.until)
    if filters.fetched_since is not None:
        found.append(ArticleRow.fetched_at >= filters.fetched_since)
    if filters.entity_key:
        # Entities are stored as JSON text, the same on both dialects: look for the key.
        needle = '"key": ' + json.dumps(filters.entity_key)
        found.append(cast(ArticleRow.entities, Text).contains(needle, autoescape=True))
    found.extend(filters.conditions)
    return found


def _from_host(host: str) -> ColumnElement[bool]:
    roots: Sequence[str] = [
        f"{scheme}://{name}" for scheme in ("https", "http") for name in (host, f"www.{host}")
    ]
    url = ArticleRow.canonical_url
    return or_(url.in_(roots), *(url.startswith(f"{root}/", autoescape=True) for root in roots))
