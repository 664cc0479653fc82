"""``desk.reading`` as its callers see it: marks that are the reader's own, pages of all
stories with unread counts, and reading that is neither a like nor a reshuffle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from newsroom import NOW, Newsroom

from handpicked.desk import Desk, DeskError
from handpicked.settings import Settings


def _desk(newsroom: Newsroom, tmp_path: Path, now: datetime = NOW) -> Desk:
    settings = Settings(
        data_dir=tmp_path,
        database_url="sqlite://",
        allow_private_networks=False,
        secret_key_value="test",
    )
    return Desk(newsroom.store, settings, clock=lambda: now)


def test_reading_state_is_each_readers_own(newsroom: Newsroom, tmp_path: Path) -> None:
    desk = _desk(newsroom, tmp_path)
    ann, bob = newsroom.reader(), newsroom.reader("bob@example.com")
    first, second = newsroom.article("First"), newsroom.article("Second")
    desk.reading.mark_read(ann, [first])
    desk.reading.save(ann, [second])
    assert desk.reading.state(ann, first).read and not desk.reading.state(ann, first).saved
    assert desk.reading.state(ann, second).saved
    assert not desk.reading.state(bob, first).read and not desk.reading.state(bob, second).saved
    assert desk.reading.unread_counts(ann).total == 1
    assert desk.reading.unread_counts(bob).total == 2


def test_unknown_articles_are_not_found(newsroom: Newsroom, tmp_path: Path) -> None:
    desk = _desk(newsroom, tmp_path)
    ann = newsroom.reader()
    known = newsroom.article("Known")
    for action in (desk.reading.mark_read, desk.reading.save, desk.reading.unsave):
        with pytest.raises(DeskError) as caught:
            action(ann, [known, known + 1000])
        assert caught.value.code == "not_found"
    assert not desk.reading.state(ann, known).read
    with pytest.raises(DeskError) as caught:
        desk.reading.state(ann, known + 1000)
    assert caught.value.code == "not_found"


def test_pages_of_all_stories_count_what_is_unread(newsroom: Newsroom, tmp_path: Path) -> None:
    desk = _desk(newsroom, tmp_path)
    ann = newsroom.reader()
    ids = [newsroom.article(f"Story {n}", hours_ago=10 - n) for n in range(5)]
    desk.reading.mark_read(ann, [ids[0]])
    first = desk.reading.page(ann, "all", page=1, per_page=2)
    assert [e.article.id for e in first.entries] == [ids[4], ids[3]]
    assert (first.total, first.unread, first.pages, first.has_next) == (5, 4, 3, True)
    last = desk.reading.page(ann, "all", page=3, per_page=2)
    assert [e.article.id for e in last.entries] == [ids[0]] and last.entries[0].state.read
    assert not last.has_next
    unread = desk.reading.page(ann, "unread")
    assert [e.article.id for e in unread.entries] == list(reversed(ids[1:]))
    with pytest.raises(DeskError):
        desk.reading.page(ann, "everything")


def test_mark_all_read_spares_what_came_after(newsroom: Newsroom, tmp_path: Path) -> None:
    desk = _desk(newsroom, tmp_path)
    ann = newsroom.reader()
    older = newsroom.article("Older", hours_ago=3)
    shown = desk.reading.page(ann)
    newsroom.now = NOW + timedelta(hours=1)
    later = newsroom.article("Found after the page was shown", hours_ago=0.5)
    used = desk.reading.mark_all_read(ann, shown.as_of)
    assert used == NOW
    assert desk.reading.states(ann, [older, later]) == {
        older: desk.reading.state(ann, older),
        later: desk.reading.state(ann, later),
    }
    assert desk.reading.state(ann, older).read and not desk.reading.state(ann, later).read
    # A time in the future counts as now.
    assert desk.reading.mark_all_read(ann, datetime(2100, 1, 1, tzinfo=UTC)) == NOW


def test_reading_is_not_liking(newsroom: Newsroom, tmp_path: Path) -> None:
    desk = _desk(newsroom, tmp_path)
    ann = newsroom.reader()
    article = newsroom.article("Anything")
    desk.reading.opened(ann, article)
    desk.reading.save(ann, [article])
    assert desk.reading.state(ann, article).read
    assert newsroom.store.feedback.of_readers([ann.id])[ann.id] == []
