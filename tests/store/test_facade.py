"""The store as one facade: repositories per entity, and a transaction that several calls join
(on SQLite and PostgreSQL, as the ``store`` fixture runs each test on both)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handpicked.article import Article, Image
from handpicked.store import ReaderExists, Store

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_calls_inside_a_transaction_are_kept_together(store: Store) -> None:
    with store.transaction():
        reader = store.readers.add("ann@example.com", time_zone="UTC", schedule="daily", now=NOW)
        store.interests.set(
            reader.id, mode="follow", kind="topic", key="science", label="Science", now=NOW
        )
    assert store.readers.get(email="ann@example.com") == reader
    assert [i.key for i in store.interests.of_readers([reader.id])[reader.id]] == ["science"]


def test_a_failing_transaction_keeps_none_of_its_calls(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.readers.add("bob@example.com", time_zone="UTC", schedule="daily", now=NOW)
        store.sources.add("https://example.com/feed.xml", "feed")
        raise RuntimeError("half way")
    assert store.readers.get(email="bob@example.com") is None
    assert store.sources.list() == []


def test_a_failed_step_inside_a_transaction_does_not_sink_the_others(store: Store) -> None:
    store.readers.add("cy@example.com", time_zone="UTC", schedule="daily", now=NOW)
    with store.transaction():
        with pytest.raises(ReaderExists):
            store.readers.add("cy@example.com", time_zone="UTC", schedule="daily", now=NOW)
        store.sources.add("https://example.com/feed.xml", "feed")
    assert [s.url for s in store.sources.list()] == ["https://example.com/feed.xml"]


def test_an_article_comes_back_as_it_was_saved(store: Store) -> None:
    article = Article(
        url="https://example.com/a",
        canonical_url="https://example.com/a",
        title="A title",
        authors=["Ann", "Bob"],
        published=NOW,
        site_name="Example",
        language="en",
        section="World",
        tags=["x"],
        lead="The lead.",
        paragraphs=["One.", "Two."],
        pull_quotes=["Quote"],
        images=[Image("https://example.com/i.jpg", caption="C", credit="K", alt="A")],
        syndicated_from="https://wire.example/a",
        editors=["Eve"],
        is_article=True,
    )
    article_id, created = store.articles.save(article, source_id=None, now=NOW)
    stored = store.articles.get(article_id)
    assert created and stored is not None
    assert stored.article == article
    assert stored.fetched_at == NOW and stored.word_count == 2
    assert store.articles.by_ids([article_id, 999]) == {article_id: stored}
