"""Full-text search, the same on SQLite (FTS5) and PostgreSQL (tsvector): what is found, in
what order, with which filters, and that no query a person can type breaks it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text

from handpicked.article import Article
from handpicked.store import Store, create_engine_for, migrate
from handpicked.store.database import _alembic_config
from handpicked.store.model import Findings
from handpicked.store.search import SearchFilters
from handpicked.store.search_query import (
    MAX_QUERY_CHARS,
    SearchQueryError,
    parse_query,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _save(
    store: Store,
    url: str,
    title: str,
    body: str = "Plain words about the day.",
    *,
    lead: str | None = None,
    days_ago: float = 1,
    language: str = "en",
    authors: tuple[str, ...] = (),
    site: str | None = None,
    is_article: bool = True,
) -> int:
    when = NOW - timedelta(days=days_ago)
    article = Article(
        url=url,
        title=title,
        lead=lead,
        paragraphs=[body],
        published=when,
        language=language,
        authors=list(authors),
        site_name=site,
        is_article=is_article,
    )
    article_id, _new = store.articles.save(article, source_id=None, now=when)
    return article_id


def _findings(entities: list[dict[str, Any]]) -> Findings:
    return Findings(entities=entities, topics=[], language="en", duplicate_of=None,
                    story_id=None, fingerprint=b"", embedding=None)  # fmt: skip


def _find(store: Store, query: str, **filters: Any) -> list[int]:
    results = store.search.find(parse_query(query), SearchFilters(**filters))
    return [hit.article.id for hit in results.hits]


def test_title_match_ranks_above_lead_above_body(store: Store) -> None:
    body = _save(store, "https://a.example/1", "Harbour news", "The lighthouse keeper retired.")
    title = _save(store, "https://a.example/2", "Lighthouse keeper retires", "He left today.")
    lead = _save(
        store, "https://a.example/3", "Coast news", "Nothing else.", lead="A lighthouse story."
    )
    _save(store, "https://a.example/4", "Unrelated", "Nothing about the sea at all.")
    assert _find(store, "lighthouse") == [title, lead, body]


def test_every_word_must_match_and_phrases_keep_their_order(store: Store) -> None:
    both = _save(store, "https://a.example/1", "Florida man wins lottery")
    _save(store, "https://a.example/2", "Florida weather")
    reversed_words = _save(store, "https://a.example/3", "A man from Florida")
    assert set(_find(store, "florida man")) == {both, reversed_words}
    assert _find(store, '"florida man"') == [both]
    assert set(_find(store, "lottery OR weather")) == {both, _find(store, "weather")[0]}
    assert _find(store, "florida -lottery -weather") == [reversed_words]


def test_authors_and_site_are_searched(store: Store) -> None:
    by = _save(store, "https://a.example/1", "Report", authors=("Jane Ostrowska",))
    site = _save(store, "https://b.example/1", "Other report", site="Quillfeather Gazette")
    assert _find(store, "ostrowska") == [by]
    assert _find(store, "quillfeather") == [site]


def test_updates_and_deletes_reach_the_index(store: Store) -> None:
    article_id = _save(store, "https://a.example/1", "Old headline about zeppelins")
    assert _find(store, "zeppelins") == [article_id]
    with store.engine.begin() as connection:
        connection.execute(
            text("UPDATE articles SET title = 'New headline about airships' WHERE id = :id"),
            {"id": article_id},
        )
    assert _find(store, "zeppelins") == []
    assert _find(store, "airships") == [article_id]
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM articles WHERE id = :id"), {"id": article_id})
    assert _find(store, "airships") == []


def test_understanding_an_article_keeps_it_findable(store: Store) -> None:
    article_id = _save(store, "https://a.example/1", "Glaciers retreat")
    findings = _findings([])
    store.stories.save_findings(article_id, findings, NOW)
    assert _find(store, "glaciers") == [article_id]


def test_filters(store: Store) -> None:
    old = _save(store, "https://www.north.example/1", "Volcano erupts", days_ago=10)
    new = _save(store, "https://south.example/1", "Volcano calms", days_ago=1, language="fr")
    _save(store, "https://north.example/listing", "Volcano index", is_article=False)
    assert set(_find(store, "volcano")) == {old, new}
    assert _find(store, "volcano", source_host="north.example") == [old]
    assert _find(store, "volcano", language="fr") == [new]
    assert _find(store, "volcano", language="en-GB") == []
    assert _find(store, "volcano", since=NOW - timedelta(days=5)) == [new]
    assert _find(store, "volcano", until=NOW - timedelta(days=5)) == [old]


def test_entity_filter(store: Store) -> None:
    named = _save(store, "https://a.example/1", "Summit talks")
    _save(store, "https://a.example/2", "Summit climbers")
    entity = {"name": "Émile Zola", "kind": "person", "key": "person:émile zola", "mentions": 1}
    findings = _findings([entity])
    store.stories.save_findings(named, findings, NOW)
    assert _find(store, "summit", entity_key="person:émile zola") == [named]
    assert _find(store, "summit", entity_key="person:%") == []


def test_paging(store: Store) -> None:
    ids = [
        _save(store, f"https://a.example/{n}", f"Comet sighting {n}", days_ago=n)
        for n in range(1, 6)
    ]
    first = store.search.find(parse_query("comet"), limit=2)
    second = store.search.find(parse_query("comet"), limit=2, offset=2)
    last = store.search.find(parse_query("comet"), limit=2, offset=4)
    seen = [hit.article.id for page in (first, second, last) for hit in page.hits]
    assert sorted(seen) == sorted(ids)
    assert (first.has_more, second.has_more, last.has_more) == (True, True, False)


@pytest.mark.parametrize(
    "query",
    ['"', "*", "NEAR(", "NEAR(a b)", "-", "a -", "(", ")", "a AND", "OR", "title:x", "^x",
     '"unclosed phrase', "a OR OR b", "x*", "{col}: x", "'; DROP TABLE articles; --",
     "a\x00b", "\ud800x", "a" * 3 + " b" * 5000],
)  # fmt: skip
def test_hostile_queries_never_fail(store: Store, query: str) -> None:
    _save(store, "https://a.example/1", "Near the title x")
    try:
        results = store.search.find(parse_query(query))
    except SearchQueryError as error:
        assert str(error)  # a message for the reader, never an engine error
    else:
        assert all(hit.article.title for hit in results.hits)
    assert store.articles.count() == 1


def test_too_long_or_empty_queries_say_why() -> None:
    with pytest.raises(SearchQueryError, match="characters"):
        parse_query("word " * 2000)
    assert len(parse_query("w" * MAX_QUERY_CHARS).terms) == 1
    with pytest.raises(SearchQueryError, match="Type a word"):
        parse_query(' " * - ')
    with pytest.raises(SearchQueryError, match="not only what to leave out"):
        parse_query("-politics")


def test_unspaced_scripts_are_found_as_substrings(store: Store) -> None:
    chinese = _save(store, "https://a.example/1", "北京今天下雪了", "天气很冷。")
    _save(store, "https://a.example/2", "上海天气晴朗")
    assert _find(store, "下雪") == [chinese]
    assert _find(store, "天气 -下雪") == [_find(store, "晴朗")[0]]


def test_diacritics_are_folded_on_both_engines(store: Store) -> None:
    cafe = _save(store, "https://a.example/1", "Le café de Zoë", "Ein Bericht aus Zürich.")
    hanoi = _save(store, "https://a.example/2", "Tin tức Hà Nội", "Đường phố đông đúc.")
    assert _find(store, "cafe zoe") == [cafe]
    assert _find(store, "CAFÉ") == [cafe]
    assert _find(store, "zurich") == [cafe]
    assert _find(store, "ha noi") == [hanoi]
    assert _find(store, '"le cafe"') == [cafe]
    assert _find(store, "zurich -zoe") == []


def test_a_prefix_finds_every_word_it_begins_on_both_engines(store: Store) -> None:
    climate = _save(store, "https://a.example/1", "Climate talks", "The climatologists met.")
    _save(store, "https://a.example/2", "Clinics close", "Doctors left.")
    assert _find(store, "climat*") == [climate]
    assert _find(store, "zürich* OR climat*") == [climate]
    assert _find(store, "cli* -clinics") == [climate]
    assert _find(store, "it's*") == []


def test_postgresql_folds_queries_as_its_index_folds_the_text() -> None:
    """The letters the migration folds in the index are the ones queries are folded with."""
    from importlib import import_module

    from handpicked.store import search

    migration = import_module("handpicked.store.migrations.versions.0011_search_folding")
    assert (migration._ACCENTED, migration._BARE) == (search.ACCENTED, search.BARE)
    assert len(search.ACCENTED) == len(search.BARE) > 400


def test_upgrade_indexes_articles_stored_before_it(database_url: str) -> None:
    engine = create_engine_for(database_url)
    try:
        config = _alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0005")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO articles (canonical_url, fetched_at, title, authors, tags, text, "
                    "paragraphs, pull_quotes, images, editors, is_article, word_count, "
                    "content_hash) VALUES ('https://a.example/1', :now, 'Pelicans return', "
                    "'[]', '[]', 'Body', '[]', '[]', '[]', '[]', true, 1, 'x')"
                ),
                {"now": NOW.replace(tzinfo=None)},
            )
        migrate(engine)
        store = Store(engine)
        assert [h.article.title for h in store.search.find(parse_query("pelicans")).hits] == [
            "Pelicans return"
        ]
    finally:
        engine.dispose()


def test_very_broad_queries_rank_the_newest_matches_on_sqlite(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from handpicked.store import search

    oldest = _save(store, "https://a.example/1", "Tides", "Tides.", days_ago=3)
    newer = [
        _save(store, f"https://b.example/{n}", "Report", "On tides.", days_ago=n) for n in (2, 1)
    ]
    assert _find(store, "tides")[0] == oldest  # the title match ranks first
    monkeypatch.setattr(search, "RANK_CAP", 2)
    expected = set(newer) if store.engine.dialect.name == "sqlite" else {oldest, *newer}
    assert set(_find(store, "tides")) == expected  # PostgreSQL ranks every match


def test_rebuild_indexes_what_bypassed_the_triggers(tmp_path: Any) -> None:
    from handpicked.store import open_store

    with open_store(f"sqlite:///{tmp_path / 'd.db'}") as store:
        with store.engine.begin() as connection:
            connection.execute(text("DROP TRIGGER articles_fts_insert"))
        article_id = _save(store, "https://a.example/1", "Unindexed walruses")
        assert _find(store, "walruses") == []
        store.search.rebuild()
        assert _find(store, "walruses") == [article_id]
