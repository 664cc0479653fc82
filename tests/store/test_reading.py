"""Reading state in the store, on SQLite and PostgreSQL: read and unread, saved for later,
"mark all as read" up to a moment, and the lists and counts built on them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handpicked.article import Article
from handpicked.store import Store

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _reader(store: Store, email: str = "ann@example.com") -> int:
    return store.readers.add(email, time_zone="UTC", schedule="daily 07:00", now=NOW).id


def _article(
    store: Store, n: int, *, hours_ago: float, is_article: bool = True, source_id: int | None = None
) -> int:
    found = NOW - timedelta(hours=hours_ago)
    article = Article(
        url=f"https://news.example/{n}",
        title=f"Story {n}",
        paragraphs=["Words."],
        published=found,
        is_article=is_article,
    )
    article_id, _ = store.articles.save(article, source_id=source_id, now=found)
    return article_id


def test_marks_are_per_reader_and_undoable(store: Store) -> None:
    ann, bob = _reader(store), _reader(store, "bob@example.com")
    first, second = _article(store, 1, hours_ago=2), _article(store, 2, hours_ago=1)
    store.reading.mark_read(ann, [first, 99999], NOW)
    assert store.reading.read_ids(ann, [first, second]) == {first}
    assert store.reading.read_ids(bob, [first, second]) == set()
    store.reading.mark_unread(ann, [first], NOW)
    assert store.reading.read_ids(ann, [first, second]) == set()
    assert store.reading.count(ann, "unread") == 2


def test_saving_keeps_the_first_time_and_lists_newest_saved_first(store: Store) -> None:
    ann = _reader(store)
    first, second = _article(store, 1, hours_ago=2), _article(store, 2, hours_ago=1)
    store.reading.save(ann, [first], NOW)
    store.reading.save(ann, [second], NOW + timedelta(minutes=1))
    store.reading.save(ann, [first], NOW + timedelta(minutes=2))
    saved = store.reading.saved(ann)
    assert [e.article.id for e in saved] == [second, first]
    assert saved[1].state.saved_at == NOW
    assert store.reading.saved_ids(ann, [first, second]) == {first, second}
    store.reading.unsave(ann, [second])
    assert [e.article.id for e in store.reading.saved(ann)] == [first]
    assert store.reading.states(ann, [second])[second].saved is False


def test_mark_all_read_reaches_only_up_to_its_moment(store: Store) -> None:
    ann = _reader(store)
    old = _article(store, 1, hours_ago=5)
    by_hand = _article(store, 2, hours_ago=4)
    new = _article(store, 3, hours_ago=1)
    store.reading.mark_unread(ann, [by_hand], NOW)
    store.reading.mark_all_read(ann, NOW - timedelta(hours=3), NOW)
    assert store.reading.read_ids(ann, [old, by_hand, new]) == {old, by_hand}
    assert store.reading.ids(ann, "unread") == [new]
    # Marked unread again after "mark all as read": unread, though the horizon covers it.
    store.reading.mark_unread(ann, [old], NOW)
    assert store.reading.read_ids(ann, [old, by_hand, new]) == {by_hand}
    # The horizon never moves back.
    store.reading.mark_all_read(ann, NOW - timedelta(hours=10), NOW)
    assert store.reading.horizon(ann) == NOW - timedelta(hours=3)
    assert store.reading.unread_counts(ann).total == 2


def test_mark_all_read_of_some_sources(store: Store) -> None:
    ann = _reader(store)
    source, _ = store.sources.add("https://news.example/feed", "feed")
    mine = _article(store, 1, hours_ago=2, source_id=source.id)
    other = _article(store, 2, hours_ago=2)
    store.reading.mark_all_read(ann, NOW, NOW, source_ids=[source.id])
    assert store.reading.read_ids(ann, [mine, other]) == {mine}
    assert store.reading.horizon(ann) is None
    assert store.reading.unread_counts(ann).by_source == {None: 1}


def test_lists_cover_readable_articles_newest_first_in_pages(store: Store) -> None:
    ann = _reader(store)
    ids = [_article(store, n, hours_ago=10 - n) for n in range(5)]
    not_an_article = _article(store, 9, hours_ago=0.5, is_article=False)
    store.reading.mark_read(ann, [ids[4]], NOW)
    newest_first = list(reversed(ids))
    assert [e.article.id for e in store.reading.entries(ann, limit=2)] == newest_first[:2]
    assert [e.article.id for e in store.reading.entries(ann, limit=2, offset=2)] == newest_first[
        2:4
    ]
    assert [e.article.id for e in store.reading.entries(ann, "unread")] == newest_first[1:]
    assert [e.article.id for e in store.reading.entries(ann, "read")] == [ids[4]]
    assert store.reading.count(ann) == 5
    assert not_an_article not in store.reading.ids(ann)
    assert store.reading.ids(ann, newest_first=False, limit=2) == ids[:2]
    since = NOW - timedelta(hours=7.5)
    assert store.reading.ids(ann, "unread", found_since=since) == [ids[3]]
    assert store.reading.unread_counts(ann).total == 4
