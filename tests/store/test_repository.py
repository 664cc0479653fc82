"""The store's behaviour, the same on SQLite and PostgreSQL (the ``store`` fixture runs each test
on both), plus the URL canonicalisation that its deduplication rests on."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from handpicked.article import Article, Image
from handpicked.store import MAX_FETCH_ATTEMPTS, Store, canonical_url, content_hash

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _article(url: str, *, published: datetime | None = None, words: str = "Body text") -> Article:
    return Article(url=url, title=f"Title of {url}", paragraphs=[words], published=published)


# --- canonical_url -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "HTTPS://Example.COM:443/News/Story?b=2&a=1#top",
            "https://example.com/News/Story?a=1&b=2",
        ),
        ("http://example.com:80/", "http://example.com"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://www.example.com/a/", "https://www.example.com/a/"),
        (
            "https://example.com/s?utm_source=rss&utm_Medium=x&fbclid=1&gclid=2&id=7&ref=tw",
            "https://example.com/s?id=7",
        ),
        (
            "https://example.com/?mc_cid=1&mc_eid=2&_ga=3&igshid=4&ocid=5&cmpid=6",
            "https://example.com",
        ),
        ("https://example.com/%7euser/a%2fb%3F", "https://example.com/~user/a%2Fb%3F"),
        ("https://example.com/caf\u00e9 bar", "https://example.com/caf%C3%A9%20bar"),
        ("https://b\u00fccher.example/", "https://xn--bcher-kva.example"),
        ("  https://example.com/x  ", "https://example.com/x"),
        ("https://example.com/x?q=a+b&flag", "https://example.com/x?flag&q=a+b"),
        ("https://[2001:DB8::1]:443/x", "https://[2001:db8::1]/x"),
    ],
)
def test_canonical_url(given: str, expected: str) -> None:
    assert canonical_url(given) == expected


@pytest.mark.parametrize("given", ["not a url", "", "http://example.com:99999/", "mailto:x@y"])
def test_canonical_url_never_raises(given: str) -> None:
    assert canonical_url(f" {given} ") == given


def test_content_hash_ignores_case_and_spacing() -> None:
    assert content_hash("Hello  World\n\nAgain") == content_hash("hello world again")
    assert content_hash("Hello world") != content_hash("Hello word")


# --- sources -----------------------------------------------------------------------------------


def test_add_source_is_idempotent_on_the_canonical_url(store: Store) -> None:
    first, created = store.sources.add("HTTPS://News.example/feed?utm_source=x", "feed", "News")
    again, created_again = store.sources.add("https://news.example/feed", "feed")
    assert created and not created_again
    assert again == first
    assert first.url == "https://news.example/feed"
    assert first.poll_interval_s == 1800 and first.next_poll_at is None
    assert first.created_at.tzinfo is UTC
    assert store.sources.list() == [first]
    assert store.sources.get(first.id) == first
    assert store.sources.get("https://news.example/feed#x") == first
    assert store.sources.get(first.id + 1) is None
    as_json = json.loads(json.dumps(first.to_dict()))
    assert as_json["url"] == first.url and as_json["created_at"] == first.created_at.isoformat()


def test_add_source_rejects_bad_input(store: Store) -> None:
    with pytest.raises(ValueError, match="kind"):
        store.sources.add("https://news.example/feed", "podcast")  # type: ignore[arg-type]  # a bad kind, on purpose
    with pytest.raises(ValueError, match="http"):
        store.sources.add("news.example/feed", "feed")
    assert store.sources.list() == []


def test_due_sources_and_poll_scheduling(store: Store) -> None:
    feed, _ = store.sources.add("https://a.example/feed", "feed", poll_interval_s=600)
    site, _ = store.sources.add("https://b.example", "site")
    assert [s.id for s in store.sources.due(NOW)] == [feed.id, site.id]

    polled = store.sources.record_poll(feed.id, now=NOW, ok=True, status=200, etag='"v1"')
    assert polled.next_poll_at == NOW + timedelta(seconds=600)
    assert polled.last_polled_at == NOW and polled.etag == '"v1"'
    assert [s.id for s in store.sources.due(NOW)] == [site.id]
    assert [s.id for s in store.sources.due(NOW + timedelta(seconds=600))] == [site.id, feed.id]


def test_record_poll_backs_off_and_keeps_the_error(store: Store) -> None:
    source, _ = store.sources.add("https://a.example/feed", "feed", poll_interval_s=1800)
    store.sources.record_poll(
        source.id, now=NOW, ok=True, status=200, etag="e1", last_modified="lm"
    )
    delays = []
    for _ in range(8):
        failed = store.sources.record_poll(
            source.id, now=NOW, ok=False, status=503, error="503 down"
        )
        assert failed.next_poll_at is not None
        delays.append(failed.next_poll_at - NOW)
    assert delays[:3] == [timedelta(hours=1), timedelta(hours=2), timedelta(hours=4)]
    assert delays[-1] == timedelta(hours=24)
    assert failed.error_count == 8 and failed.last_error == "503 down"
    assert failed.last_status == 503
    assert (failed.etag, failed.last_modified) == ("e1", "lm")  # kept for the next conditional GET

    no_text = store.sources.record_poll(source.id, now=NOW, ok=False, status=404)
    assert no_text.last_error == "HTTP 404"
    recovered = store.sources.record_poll(source.id, now=NOW, ok=True, status=304)
    assert recovered.error_count == 0 and recovered.last_error is None
    assert recovered.next_poll_at == NOW + timedelta(seconds=1800)
    with pytest.raises(LookupError):
        store.sources.record_poll(source.id + 99, now=NOW, ok=True)


def test_remove_source_keeps_its_articles(store: Store) -> None:
    source, _ = store.sources.add("https://a.example/feed", "feed")
    store.queue.add(["https://a.example/1", "https://a.example/2"], source.id, NOW)
    (claimed, _) = store.queue.claim(2, NOW)
    article_id, _ = store.articles.save(
        _article(claimed.url), source_id=source.id, pending_id=claimed.id, now=NOW
    )
    assert store.sources.remove("https://a.example/feed")
    assert store.sources.list() == []
    assert not store.sources.remove(source.id)
    kept = store.articles.get(article_id)
    assert kept is not None and kept.source_id is None
    assert store.queue.counts() == {"pending": 0, "done": 1, "failed": 0}


# --- the fetch queue ---------------------------------------------------------------------------


def test_enqueue_dedupes_on_canonical_urls(store: Store) -> None:
    urls = [
        "https://a.example/story?utm_source=rss&id=1",
        "https://A.example/story?id=1#comments",
        "https://a.example/story?id=1&fbclid=abc",
        "https://a.example/other",
        "ftp://a.example/file",
        "not a url",
    ]
    assert store.queue.add(urls, None, NOW) == 2
    assert store.queue.add(urls, None, NOW) == 0
    claimed = store.queue.claim(10, NOW)
    assert sorted(p.url for p in claimed) == [
        "https://a.example/other",
        "https://a.example/story?id=1",
    ]
    assert all(p.state == "pending" and p.attempts == 0 for p in claimed)


def test_enqueue_skips_stored_articles(store: Store) -> None:
    store.articles.save(_article("https://a.example/story"), source_id=None, now=NOW)
    added = store.queue.add(
        ["https://a.example/story?utm_campaign=x", "https://a.example/new"], None, NOW
    )
    assert added == 1
    assert [p.url for p in store.queue.claim(10, NOW)] == ["https://a.example/new"]


def test_enqueue_many_urls_in_chunks(store: Store) -> None:
    urls = [f"https://a.example/{i}" for i in range(1200)]
    assert store.queue.add(urls, None, NOW) == 1200
    assert store.queue.counts()["pending"] == 1200


def test_claim_leases_and_fail_backs_off(store: Store) -> None:
    store.queue.add(["https://a.example/1", "https://a.example/2"], None, NOW)
    assert store.queue.claim(10, NOW - timedelta(seconds=1)) == []
    first = store.queue.claim(1, NOW)
    assert [p.url for p in first] == ["https://a.example/1"]
    second = store.queue.claim(10, NOW)
    assert [p.url for p in second] == ["https://a.example/2"]  # the first is leased
    assert store.queue.claim(10, NOW) == []
    later = NOW + timedelta(hours=1)
    assert len(store.queue.claim(10, later)) == 2  # a dead worker's lease runs out

    pending_id = first[0].id
    failed = store.queue.fail(pending_id, "timeout", later, retry=True)
    assert failed.state == "pending" and failed.attempts == 1 and failed.last_error == "timeout"
    assert failed.next_attempt_at == later + timedelta(minutes=1)
    for _ in range(MAX_FETCH_ATTEMPTS - 1):
        failed = store.queue.fail(pending_id, "timeout", later, retry=True)
    assert failed.state == "failed" and failed.attempts == MAX_FETCH_ATTEMPTS
    gone = store.queue.fail(second[0].id, "HTTP 404", later, retry=False)
    assert gone.state == "failed"
    assert store.queue.claim(10, later + timedelta(days=30)) == []
    assert store.queue.counts() == {"pending": 0, "done": 0, "failed": 2}
    with pytest.raises(LookupError):
        store.queue.fail(pending_id + 99, "x", later, retry=True)


# --- articles ----------------------------------------------------------------------------------


def test_a_dead_pollers_claims_are_released_a_live_ones_kept(store: Store) -> None:
    store.queue.add(["https://news.example/a", "https://news.example/b"], None, NOW)
    dead = store.queue.claim(1, NOW, claimant="box:1001")
    live = store.queue.claim(1, NOW, claimant="box:1002")
    assert store.queue.claim(5, NOW) == []  # both leased
    released = store.queue.release_dead_claims("box", NOW, is_alive=lambda pid: pid == 1002)
    assert released == 1
    again = store.queue.claim(5, NOW)
    assert [p.url for p in again] == [dead[0].url]
    assert live[0].url not in [p.url for p in again]
    assert store.queue.release_dead_claims("other-host", NOW, is_alive=lambda pid: False) == 0


def test_save_article_round_trips_every_field(store: Store) -> None:
    paris = timezone(timedelta(hours=1))
    article = Article(
        url="https://a.example/story?utm_source=x",
        canonical_url="https://a.example/story",
        title="A story",
        authors=["Ann Author", "Bo Byline"],
        published=datetime(2026, 2, 1, 9, 30, tzinfo=paris),
        updated=datetime(2026, 2, 1, 10, 0),  # naive: read as UTC
        site_name="A",
        language="en",
        section="World",
        tags=["x", "y"],
        lead="The lead.",
        paragraphs=["One two three.", "Four five."],
        pull_quotes=["Quote"],
        images=[Image("https://a.example/i.jpg", "Caption", "Credit", "Alt"), Image("u")],
        syndicated_from="Wire",
        editors=["Ed"],
        is_article=True,
    )
    article_id, created = store.articles.save(article, source_id=None, now=NOW)
    assert created
    stored = store.articles.get(article_id)
    assert stored is not None
    assert stored.canonical_url == "https://a.example/story"
    assert stored.url == "https://a.example/story?utm_source=x"
    assert stored.fetched_at == NOW
    assert stored.published == datetime(2026, 2, 1, 8, 30, tzinfo=UTC)
    assert stored.published is not None and stored.published.tzinfo is UTC
    assert stored.updated == datetime(2026, 2, 1, 10, 0, tzinfo=UTC)
    assert stored.word_count == 5 and stored.text == "One two three.\n\nFour five."
    assert stored.content_hash == content_hash(article.text)
    assert stored.article.to_dict() == {
        **article.to_dict(),
        "published": "2026-02-01T08:30:00+00:00",
        "updated": "2026-02-01T10:00:00+00:00",
    }
    as_json = json.loads(json.dumps(stored.to_dict()))
    assert as_json["id"] == article_id and as_json["fetched_at"] == NOW.isoformat()
    assert as_json["title"] == "A story" and as_json["images"][0]["credit"] == "Credit"
    assert store.articles.get(article_id + 1) is None


def test_save_article_is_idempotent_and_marks_the_queue(store: Store) -> None:
    source, _ = store.sources.add("https://a.example/feed", "feed")
    store.queue.add(["https://a.example/story", "https://a.example/copy"], source.id, NOW)
    story, copy = store.queue.claim(2, NOW)
    first = store.articles.save(
        _article(story.url),
        source_id=source.id,
        pending_id=story.id,
        fetched_url=story.url,
        now=NOW,
    )
    # The same page reached again, and another URL whose page names the first as canonical.
    again = store.articles.save(
        _article(story.url), source_id=source.id, pending_id=story.id, now=NOW
    )
    alias = Article(url=copy.url, canonical_url="https://a.example/story?utm_medium=x")
    via_alias = store.articles.save(alias, source_id=source.id, pending_id=copy.id, now=NOW)
    assert first[1] and not again[1] and not via_alias[1]
    assert first[0] == again[0] == via_alias[0]
    assert store.articles.count() == 1
    assert store.queue.counts() == {"pending": 0, "done": 2, "failed": 0}
    with pytest.raises(ValueError):
        store.articles.save(Article(), source_id=None, now=NOW)


def test_list_articles_order_since_and_limit(store: Store) -> None:
    day = timedelta(days=1)
    store.articles.save(
        _article("https://a.example/old", published=NOW - 3 * day), source_id=None, now=NOW
    )
    store.articles.save(_article("https://a.example/undated"), source_id=None, now=NOW - day)
    store.articles.save(_article("https://a.example/new", published=NOW), source_id=None, now=NOW)
    store.articles.save(
        _article("https://a.example/mid", published=NOW - 2 * day), source_id=None, now=NOW
    )
    urls = [a.canonical_url.rsplit("/", 1)[1] for a in store.articles.list()]
    assert urls == ["new", "undated", "mid", "old"]
    recent = store.articles.list(since=NOW - 2 * day)
    assert [a.canonical_url.rsplit("/", 1)[1] for a in recent] == ["new", "undated", "mid"]
    assert [a.canonical_url.rsplit("/", 1)[1] for a in store.articles.list(limit=2)] == [
        "new",
        "undated",
    ]
    assert store.articles.list(since=NOW + day) == []
    assert store.articles.count() == 4
