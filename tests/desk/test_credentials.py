"""Credentials and data rights on SQLite and PostgreSQL: the export holds all of a reader's
rows and none of their secrets; deleting an account leaves no row of theirs in any table
and touches nobody else's; a replaced feed token is dead; deleting needs the password."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from newsroom import Newsroom
from sqlalchemy import func, select

from handpicked.desk import accounts, credentials
from handpicked.store import ReaderRecord, Store
from handpicked.store.reader_data import reader_columns, tables_of_readers
from handpicked.store.tables import LoginFailureRow

PASSWORD = "correct horse battery"


def history(newsroom: Newsroom, email: str, article: int) -> tuple[ReaderRecord, str]:
    """A reader with a row in every table of readers' things; their API token."""
    store, now = newsroom.store, newsroom.now
    reader = accounts.sign_up(store, email, PASSWORD, now)
    newsroom.follow(reader, "topic:politics")
    store.feedback.add(reader.id, article, "more", now)
    delivery = store.deliveries.claim(reader.id, "manual:test", "x:1", now)
    assert delivery is not None
    store.accounts.create_session(reader.id, now, timedelta(days=1))
    store.accounts.create_sign_in_link(reader.id, now, timedelta(minutes=20))
    with pytest.raises(accounts.AccountError):
        accounts.authenticate(store, email, "a wrong guess", "192.0.2.1", now)
    _id, token = store.accounts.create_api_token(reader.id, "script", now)
    source, _new = store.sources.add(f"https://{email.split('@')[0]}.example/feed", "feed")
    store.subscriptions.add(reader.id, source.id, now)
    store.invites.create(reader.id, now, timedelta(days=7))
    store.reading.mark_read(reader.id, [article], now)
    store.reading.mark_all_read(reader.id, now - timedelta(days=1), now)
    return reader, token


def counts(store: Store, reader_id: int) -> dict[str, int]:
    found = {}
    with store.engine.connect() as connection:
        for table in tables_of_readers():
            for column in reader_columns(table):
                query = select(func.count()).select_from(table).where(column == reader_id)
                found[table.name] = connection.scalar(query) or 0
    return found


def failures(store: Store, email: str) -> int:
    with store.engine.connect() as connection:
        query = select(func.count()).where(LoginFailureRow.key.contains(email))
        return connection.scalar(query) or 0


@pytest.fixture
def newsroom_on(store: Store) -> Newsroom:
    return Newsroom(store, now=datetime.now(UTC))


def test_every_table_of_readers_things_is_covered(newsroom_on: Newsroom) -> None:
    article = newsroom_on.article("Budget vote", topics=["politics"])
    ann, _token = history(newsroom_on, "ann@example.com", article)
    assert all(counts(newsroom_on.store, ann.id).values()), "a table the test leaves empty"


def test_deleting_an_account_leaves_nothing_of_theirs_and_all_of_others(
    newsroom_on: Newsroom,
) -> None:
    store = newsroom_on.store
    article = newsroom_on.article("Budget vote", topics=["politics"])
    ann, ann_token = history(newsroom_on, "ann@example.com", article)
    bob, bob_token = history(newsroom_on, "bob@example.com", article)
    bobs = counts(store, bob.id)

    assert credentials.delete_account(store, ann)
    assert set(counts(store, ann.id).values()) == {0}
    assert failures(store, "ann@example.com") == 0
    assert store.readers.get(reader_id=ann.id) is None
    assert store.accounts.api_token_reader(ann_token, newsroom_on.now) is None
    assert not credentials.delete_account(store, ann)  # gone already

    assert counts(store, bob.id) == bobs
    assert failures(store, "bob@example.com") == 1
    assert store.accounts.api_token_reader(bob_token, newsroom_on.now) is not None
    assert store.articles.get(article) is not None


def test_the_export_holds_their_rows_and_no_secret(newsroom_on: Newsroom) -> None:
    store = newsroom_on.store
    article = newsroom_on.article("Budget vote", topics=["politics"])
    ann, token = history(newsroom_on, "ann@example.com", article)
    history(newsroom_on, "bob@example.com", article)
    document = credentials.export(store, ann, newsroom_on.now)
    text = json.dumps(document)
    assert document["profile"]["email"] == "ann@example.com"
    assert {name for name in document if name not in ("format", "exported_at",
            "handpicked_version", "profile")} == {t.name for t in tables_of_readers()}  # fmt: skip
    assert all(len(document[t.name]) == 1 for t in tables_of_readers())  # Bob's are not here
    assert document["feedback"][0]["article_url"].startswith("https://")
    assert document["api_tokens"][0]["name"] == "script"
    for secret in (token, ann.feed_token, "$argon2", "token_hash", "bob@example.com"):
        assert secret not in text


def test_a_new_feed_token_retires_the_old(newsroom_on: Newsroom) -> None:
    store = newsroom_on.store
    reader = newsroom_on.reader()
    fresh = credentials.rotate_feed(store, reader)
    assert fresh.feed_token != reader.feed_token
    assert store.readers.by_feed_token(reader.feed_token) is None
    found = store.readers.by_feed_token(fresh.feed_token)
    assert found is not None and found.id == reader.id


def test_deleting_is_confirmed_by_the_password_and_limited_like_sign_in(
    newsroom_on: Newsroom,
) -> None:
    store, now = newsroom_on.store, newsroom_on.now
    reader = accounts.sign_up(store, "ann@example.com", PASSWORD, now)

    def confirm(password: str | None) -> None:
        credentials.confirm(store, reader, password=password, email=None,
                            address="192.0.2.9", now=now)  # fmt: skip

    with pytest.raises(credentials.NotConfirmed, match="Give your password"):
        confirm(None)
    for _ in range(4):
        with pytest.raises(credentials.NotConfirmed, match="not your password"):
            confirm("guess")
    confirm(PASSWORD)  # the account's count starts again
    for _ in range(5):
        with pytest.raises(credentials.NotConfirmed):
            confirm("guess")
    with pytest.raises(accounts.TooManyAttempts):
        confirm(PASSWORD)


def test_tokens_are_named_tidily_and_revoked_only_by_their_reader(newsroom_on: Newsroom) -> None:
    store, now = newsroom_on.store, newsroom_on.now
    ann, bob = newsroom_on.reader("ann@example.com"), newsroom_on.reader("bob@example.com")
    made = credentials.make_token(store, ann, "  my\nlaptop  ", now)
    assert made.name == "my laptop" and made.secret.startswith("hp_")
    assert credentials.make_token(store, ann, None, now).name == "API"
    assert credentials.make_token(store, ann, "x" * 500, now).name == "x" * 200
    assert credentials.revoke_token(store, bob, made.id) is None
    assert store.accounts.api_token_reader(made.secret, now) is not None
    revoked = credentials.revoke_token(store, ann, made.id)
    assert revoked is not None and revoked.name == "my laptop"
    assert store.accounts.api_token_reader(made.secret, now) is None
    assert [t.name for t in credentials.tokens(store, ann)] == ["API", "x" * 200]


def test_a_deleted_readers_old_email_links_never_act_for_a_newcomer(newsroom_on: Newsroom) -> None:
    """Digest links are signed with the reader's id and never expire, so a removed reader's id
    must never be given to someone else (SQLite would reuse the highest id)."""
    store = newsroom_on.store
    article = newsroom_on.article("Budget vote", topics=["politics"])
    history(newsroom_on, "ann@example.com", article)
    bob, _token = history(newsroom_on, "bob@example.com", article)
    assert credentials.delete_account(store, bob)
    cat = accounts.sign_up(store, "cat@example.com", PASSWORD, newsroom_on.now)
    dan = store.readers.add("dan@example.com", time_zone="UTC", schedule="daily 07:00",
                            now=newsroom_on.now)  # fmt: skip
    assert bob.id not in {cat.id, dan.id}
    store.readers.remove(dan.id)
    eve = accounts.sign_up(store, "eve@example.com", PASSWORD, newsroom_on.now)
    assert eve.id not in {bob.id, dan.id}
