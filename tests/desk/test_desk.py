"""The desk's services as their callers see them: results, and errors that carry a code."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from newsroom import Newsroom

from handpicked.desk import Desk, DeskError
from handpicked.settings import Settings

FIXED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _desk(newsroom: Newsroom, tmp_path: Path) -> Desk:
    settings = Settings(
        data_dir=tmp_path,
        database_url="sqlite://",
        allow_private_networks=False,
        secret_key_value="test",
    )
    return Desk(newsroom.store, settings, clock=lambda: FIXED)


def test_feedback_is_recorded_at_the_desks_time(newsroom: Newsroom, tmp_path: Path) -> None:
    desk = _desk(newsroom, tmp_path)
    reader = newsroom.reader()
    article_id = newsroom.article("Putin speaks", entities=[("Vladimir Putin", "person")])
    desk.feedback.record(reader, article_id, "more")
    [record] = newsroom.store.feedback.of_readers([reader.id])[reader.id]
    assert (record.article_id, record.kind, record.created_at) == (article_id, "more", FIXED)


@pytest.mark.parametrize(
    ("article", "kind", "code"),
    [(None, "meh", "invalid"), (999, "more", "not_found")],
)
def test_bad_feedback_says_why_with_a_code(
    newsroom: Newsroom, tmp_path: Path, article: int | None, kind: str, code: str
) -> None:
    desk = _desk(newsroom, tmp_path)
    reader = newsroom.reader()
    article_id = article or newsroom.article("Anything")
    with pytest.raises(DeskError) as caught:
        desk.feedback.record(reader, article_id, kind)
    assert caught.value.code == code


def test_a_private_address_is_refused_as_unreachable(newsroom: Newsroom, tmp_path: Path) -> None:
    desk = _desk(newsroom, tmp_path)
    with pytest.raises(DeskError) as caught:
        asyncio.run(desk.sources.add("http://127.0.0.1:9/feed.xml"))
    assert caught.value.code == "unreachable"
    assert "this server does not fetch those" in str(caught.value)
    assert newsroom.store.sources.list() == []


def test_an_opml_file_round_trips(newsroom: Newsroom, tmp_path: Path) -> None:
    desk = _desk(newsroom, tmp_path)
    newsroom.store.sources.add("https://example.com/feed.xml", "feed", title="Example")
    exported = desk.sources.export_opml()
    other = _desk(Newsroom(newsroom.store, now=FIXED), tmp_path)
    imported = asyncio.run(other.sources.import_opml(exported.encode()))
    assert (imported.added, imported.total, imported.refused) == (0, 1, [])  # already followed
    with pytest.raises(DeskError) as caught:
        asyncio.run(other.sources.import_opml(b"x" * 2_000_001))
    assert caught.value.code == "too_big"


def test_an_opml_import_refuses_private_addresses(newsroom: Newsroom, tmp_path: Path) -> None:
    desk = _desk(newsroom, tmp_path)
    opml = b"""<?xml version="1.0"?><opml version="2.0"><body>
      <outline type="rss" text="Intranet" xmlUrl="http://10.1.2.3/feed.xml"/>
      <outline type="rss" text="Metadata" xmlUrl="http://169.254.169.254/latest/"/>
      <outline type="rss" text="Public" xmlUrl="https://93.184.215.14/feed.xml"/>
    </body></opml>"""
    imported = asyncio.run(desk.sources.import_opml(opml))
    assert (imported.added, imported.total) == (1, 3)
    assert [url for url, _reason in imported.refused] == [
        "http://10.1.2.3/feed.xml",
        "http://169.254.169.254/latest/",
    ]
    assert [s.url for s in newsroom.store.sources.list()] == ["https://93.184.215.14/feed.xml"]
