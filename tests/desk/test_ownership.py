"""Who owns what on a desk with many readers: sources shared and fetched once, subscriptions
each reader's own, picks from one's own and the desk-wide sources, an admin, and the sign-up
modes (closed, invite links, open with a link that confirms the address)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from newsroom import Newsroom

from handpicked.desk import Desk, DeskError
from handpicked.desk import accounts as service
from handpicked.settings import Settings
from handpicked.store import ReaderRecord

PASSWORD = "correct horse battery"


def _desk(newsroom: Newsroom, tmp_path: Path) -> Desk:
    settings = Settings(
        data_dir=tmp_path,
        database_url="sqlite://",
        allow_private_networks=False,
        secret_key_value="test",
        base_url="https://news.example",
    )
    return Desk(newsroom.store, settings, clock=lambda: newsroom.now)


def _source(newsroom: Newsroom, url: str, reader: ReaderRecord | None) -> int:
    """A source stored as the desk stores it (no fetch): a reader's own, or desk-wide."""
    store = newsroom.store
    source, _new = store.sources.add(url, "feed", desk_wide=reader is None)
    if reader is not None:
        store.subscriptions.add(reader.id, source.id, newsroom.now)
    return source.id


def test_one_source_per_url_whoever_subscribes_and_each_sees_only_their_own(
    newsroom: Newsroom, tmp_path: Path
) -> None:
    desk = _desk(newsroom, tmp_path)
    ann, bob = newsroom.reader("ann@example.com"), newsroom.reader("bob@example.com")
    shared = _source(newsroom, "https://feeds.example/world.xml", ann)
    assert _source(newsroom, "https://feeds.example/world.xml", bob) == shared
    _source(newsroom, "https://ann-only.example/feed.xml", ann)
    desk_wide = _source(newsroom, "https://desk.example/feed.xml", None)
    assert len(newsroom.store.sources.list()) == 3  # one row per URL, fetched once
    assert [s.url for s in desk.sources.of_reader(bob)] == ["https://feeds.example/world.xml"]
    assert len(desk.sources.of_reader(ann)) == 2
    assert [s.id for s in desk.sources.desk_wide()] == [desk_wide]
    assert "ann-only" not in desk.sources.export_opml(bob)
    assert "ann-only" in desk.sources.export_opml(ann)

    with pytest.raises(DeskError) as other:  # bob cannot remove what only ann follows
        desk.sources.remove(bob, desk.sources.of_reader(ann)[1].id)
    assert other.value.code == "not_found"
    with pytest.raises(DeskError):  # nor the desk-wide one
        desk.sources.remove(bob, desk_wide)
    desk.sources.remove(bob, shared)
    assert newsroom.store.sources.get(shared) is not None  # ann still follows it
    desk.sources.remove(ann, shared)
    assert newsroom.store.sources.get(shared) is None  # nobody does: no longer polled
    assert newsroom.store.sources.get(desk_wide) is not None


def test_opml_import_subscribes_the_reader_only(newsroom: Newsroom, tmp_path: Path) -> None:
    desk = _desk(newsroom, tmp_path)
    ann, bob = newsroom.reader("ann@example.com"), newsroom.reader("bob@example.com")
    opml = (
        b'<opml version="2.0"><body><outline type="rss" text="W" '
        b'xmlUrl="https://93.184.215.14/feed.xml"/></body></opml>'
    )
    imported = asyncio.run(desk.sources.import_opml(opml, ann))
    assert (imported.added, imported.total) == (1, 1)
    assert [s.url for s in desk.sources.of_reader(ann)] == ["https://93.184.215.14/feed.xml"]
    assert desk.sources.of_reader(bob) == [] and desk.sources.desk_wide() == []


def test_picks_come_from_ones_own_and_the_desk_wide_sources(
    newsroom: Newsroom, tmp_path: Path
) -> None:
    desk = _desk(newsroom, tmp_path)
    ann, bob = newsroom.reader("ann@example.com"), newsroom.reader("bob@example.com")
    own = _source(newsroom, "https://ann-only.example/feed.xml", ann)
    everyone = _source(newsroom, "https://desk.example/feed.xml", None)
    putin = [("Vladimir Putin", "person")]
    newsroom.article("Putin in Ann's feed", entities=putin, source_id=own)
    newsroom.article("Putin on the desk", entities=putin, source_id=everyone)
    for reader in (ann, bob):
        newsroom.follow(reader, "person:Vladimir Putin")

    def titles(reader: ReaderRecord) -> set[str | None]:
        return {item.article.title for item in desk.digests.todays_picks(reader).items}

    assert titles(ann) == {"Putin in Ann's feed", "Putin on the desk"}
    assert titles(bob) == {"Putin on the desk"}
    admin = newsroom.store.readers.update(ann.id, is_admin=True)
    desk.admin.set_policy(admin, shared_pool=True)  # follows reach the whole pool
    assert titles(bob) == {"Putin in Ann's feed", "Putin on the desk"}


def test_the_first_account_is_admin_and_only_admins_change_the_desk(
    newsroom: Newsroom, tmp_path: Path
) -> None:
    desk = _desk(newsroom, tmp_path)
    first = service.sign_up(newsroom.store, "first@example.com", PASSWORD, newsroom.now)
    second = service.sign_up(newsroom.store, "second@example.com", PASSWORD, newsroom.now)
    assert first.is_admin and not second.is_admin
    with pytest.raises(DeskError) as refused:
        desk.admin.set_policy(second, signup_mode="open")
    assert refused.value.code == "forbidden"
    for action in (lambda: desk.admin.make_invite(second), lambda: desk.admin.readers(second)):
        with pytest.raises(DeskError):
            action()
    assert desk.admin.policy().signup_mode == "invite"  # the default
    with pytest.raises(DeskError, match="only admin"):
        desk.admin.set_admin("first@example.com", False)
    desk.admin.set_admin("second@example.com", True)
    assert desk.admin.set_admin("first@example.com", False).is_admin is False


def _register(newsroom: Newsroom, desk: Desk, email: str, mode: str, invite: str = "") -> object:
    return service.register(newsroom.store, desk.settings, email, PASSWORD, newsroom.now,
                            mode=mode, invite=invite)  # fmt: skip


def test_sign_up_modes(newsroom: Newsroom, tmp_path: Path) -> None:
    desk = _desk(newsroom, tmp_path)
    first = _register(newsroom, desk, "admin@example.com", "closed")  # the first is always let in
    admin = newsroom.store.readers.get(email="admin@example.com")
    assert admin is not None and admin.is_admin and first is not None
    with pytest.raises(service.AccountError) as closed:
        _register(newsroom, desk, "ann@example.com", "closed")
    assert closed.value.code == "closed"
    with pytest.raises(service.AccountError, match="invitation only"):
        _register(newsroom, desk, "ann@example.com", "invite")
    link = desk.admin.make_invite(admin)
    invite = link.split("invite=", 1)[1]
    assert link.startswith("https://news.example/signup?invite=inv_")
    _register(newsroom, desk, "ann@example.com", "invite", invite)
    with pytest.raises(service.AccountError, match="used or has expired"):
        _register(newsroom, desk, "bob@example.com", "invite", invite)  # single use
    assert newsroom.store.readers.get(email="bob@example.com") is None


def test_open_sign_up_needs_the_emailed_link_before_sign_in_or_digests(
    newsroom: Newsroom, tmp_path: Path
) -> None:
    desk = _desk(newsroom, tmp_path)
    service.sign_up(newsroom.store, "admin@example.com", PASSWORD, newsroom.now)
    registration = service.register(newsroom.store, desk.settings, "ann@example.com", PASSWORD,
                                     newsroom.now, mode="open")  # fmt: skip
    assert registration.confirm is not None and registration.reader.verified_at is None
    with pytest.raises(service.AccountError) as unverified:
        service.authenticate(newsroom.store, "ann@example.com", PASSWORD, None, newsroom.now)
    assert unverified.value.code == "unverified"
    active = {r.email for r in newsroom.store.readers.list(active_only=True)}
    assert active == {"admin@example.com"}  # no digests for an unconfirmed address
    token = registration.confirm.url.rsplit("/", 1)[1]
    later = newsroom.now + timedelta(hours=30)  # the link lasts longer than a sign-in link
    reader = service.use_sign_in_link(newsroom.store, token, later)
    assert reader is not None and reader.verified_at == later
    service.authenticate(newsroom.store, "ann@example.com", PASSWORD, None, later)


def test_removing_a_reader_takes_their_own_sources_along(
    newsroom: Newsroom, tmp_path: Path
) -> None:
    desk = _desk(newsroom, tmp_path)
    admin = service.sign_up(newsroom.store, "admin@example.com", PASSWORD, newsroom.now)
    ann = newsroom.reader("ann@example.com")
    own = _source(newsroom, "https://ann-only.example/feed.xml", ann)
    with pytest.raises(DeskError):
        desk.admin.remove_reader(admin, admin.id)
    desk.admin.remove_reader(admin, ann.id)
    assert newsroom.store.readers.get(reader_id=ann.id) is None
    assert newsroom.store.sources.get(own) is None
