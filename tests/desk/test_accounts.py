"""Accounts: passwords hashed with argon2, guessing limited, sign-in links used once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from newsroom import Newsroom

from handpicked.desk import accounts as service
from handpicked.settings import Settings


def test_sign_up_stores_an_argon2_hash_never_the_password(newsroom: Newsroom) -> None:
    reader = service.sign_up(newsroom.store, "ann@example.com", "correct horse", newsroom.now)
    stored = newsroom.store.readers.password_hash(reader.id)
    assert stored is not None and stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    found = service.authenticate(newsroom.store, "ANN@example.com", "correct horse", "10.0.0.1",
                                 newsroom.now)  # fmt: skip
    assert found.id == reader.id


def test_short_passwords_and_taken_addresses_are_refused(newsroom: Newsroom) -> None:
    with pytest.raises(service.AccountError, match="at least 10"):
        service.sign_up(newsroom.store, "ann@example.com", "short", newsroom.now)
    newsroom.reader("bob@example.com")  # added from the command line, no password
    with pytest.raises(service.AccountError, match="already has an account"):
        service.sign_up(newsroom.store, "bob@example.com", "long enough pass", newsroom.now)


def test_wrong_and_unknown_accounts_get_the_same_answer(newsroom: Newsroom) -> None:
    service.sign_up(newsroom.store, "ann@example.com", "correct horse", newsroom.now)
    with pytest.raises(service.AccountError) as wrong:
        service.authenticate(newsroom.store, "ann@example.com", "nope", None, newsroom.now)
    with pytest.raises(service.AccountError) as unknown:
        service.authenticate(newsroom.store, "who@example.com", "nope", None, newsroom.now)
    assert str(wrong.value) == str(unknown.value)


def test_five_wrong_passwords_lock_the_account_for_a_while(newsroom: Newsroom) -> None:
    service.sign_up(newsroom.store, "ann@example.com", "correct horse", newsroom.now)
    for n in range(5):
        with pytest.raises(service.AccountError):
            service.authenticate(newsroom.store, "ann@example.com", f"guess {n}", f"10.0.0.{n}",
                                 newsroom.now)  # fmt: skip
    with pytest.raises(service.TooManyAttempts, match="Try again in 15 minutes"):
        service.authenticate(newsroom.store, "ann@example.com", "correct horse", "10.9.9.9",
                             newsroom.now + timedelta(seconds=5))  # fmt: skip
    later = newsroom.now + timedelta(minutes=16)
    assert service.authenticate(newsroom.store, "ann@example.com", "correct horse", None, later)


def test_one_address_guessing_many_accounts_is_limited(newsroom: Newsroom) -> None:
    for n in range(30):
        with pytest.raises(service.AccountError):
            service.authenticate(newsroom.store, f"user{n}@example.com", "pw", "192.0.2.7",
                                 newsroom.now)  # fmt: skip
    with pytest.raises(service.TooManyAttempts):
        service.authenticate(newsroom.store, "other@example.com", "pw", "192.0.2.7", newsroom.now)


def test_a_sign_in_link_works_once_and_expires(newsroom: Newsroom, tmp_path: Path) -> None:
    reader = newsroom.reader("ann@example.com")
    settings = Settings(tmp_path, "sqlite://", True, base_url="https://news.example")
    link = service.send_sign_in_link(newsroom.store, settings, "ann@example.com", None,
                                     newsroom.now)  # fmt: skip
    assert link is not None and not link.emailed  # no SMTP server set: logged instead
    token = link.url.rsplit("/", 1)[1]
    assert link.url.startswith("https://news.example/signin/link/")
    assert newsroom.store.accounts.use_sign_in_link(token, newsroom.now) == reader.id
    assert newsroom.store.accounts.use_sign_in_link(token, newsroom.now) is None
    stale = newsroom.store.accounts.create_sign_in_link(reader.id, newsroom.now,
                                         service.LINK_LIFETIME)  # fmt: skip
    late = newsroom.now + service.LINK_LIFETIME + timedelta(seconds=1)
    assert newsroom.store.accounts.use_sign_in_link(stale, late) is None
    assert service.send_sign_in_link(newsroom.store, settings, "nobody@example.com", None,
                                     newsroom.now) is None  # fmt: skip


def test_sessions_and_api_tokens_keep_only_hashes(newsroom: Newsroom) -> None:
    reader = newsroom.reader("ann@example.com")
    session = newsroom.store.accounts.create_session(reader.id, newsroom.now, timedelta(days=1))
    _id, token = newsroom.store.accounts.create_api_token(reader.id, "script", newsroom.now)
    assert token.startswith("hp_")
    found = newsroom.store.accounts.session_reader(session, newsroom.now)
    assert found is not None and found.id == reader.id
    assert newsroom.store.accounts.session_reader(session, newsroom.now + timedelta(days=2)) is None
    api = newsroom.store.accounts.api_token_reader(token, newsroom.now)
    assert api is not None and api.id == reader.id
    with newsroom.store.engine.connect() as connection:
        rows = [
            str(row)
            for table in ("sessions", "api_tokens")
            for row in connection.exec_driver_sql(f"SELECT * FROM {table}")
        ]
    dump = "\n".join(rows)
    assert session not in dump and token not in dump
    service.set_password(newsroom.store, reader, "a new password")
    assert newsroom.store.accounts.session_reader(session, newsroom.now) is None
