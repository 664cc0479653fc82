"""A search followed like a phrase: what it matches is picked, with the search as the reason;
muted, it keeps those stories out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from newsroom import Newsroom

from handpicked.pick.digest import Digest
from handpicked.pick.digests import DigestBuilder
from handpicked.pick.interests import InterestError, parse_thing
from handpicked.store import ReaderRecord


def digest_for(newsroom: Newsroom, reader: ReaderRecord) -> Digest:
    fresh = newsroom.store.readers.get(reader_id=reader.id)
    assert fresh is not None
    since = {reader.id: newsroom.now - timedelta(days=2)}
    return DigestBuilder(newsroom.store, [fresh], since, newsroom.now).build(fresh)


def test_a_followed_search_picks_its_matches_with_the_reason(newsroom: Newsroom) -> None:
    newsroom.article("Harbour lighthouse restored", text="The keeper moved back in.")
    newsroom.article("Lighthouse sold", text="An investor bought the tower; no keeper.")
    newsroom.article("Lighthouse keeper retires", text="After forty years on the rock.")
    newsroom.article("Weather", text="Rain tomorrow.")
    reader = newsroom.reader()
    newsroom.follow(reader, "search:lighthouse keeper -sold")
    digest = digest_for(newsroom, reader)
    assert sorted(item.article.title or "" for item in digest.items) == [
        "Harbour lighthouse restored",
        "Lighthouse keeper retires",
    ]
    assert digest.items[0].reasons == ("because it matches your search “lighthouse keeper -sold”",)


def test_a_muted_search_keeps_its_matches_out(newsroom: Newsroom) -> None:
    newsroom.article("Election night", topics=["politics"], text="Polls close at eight.")
    newsroom.article("Budget vote", topics=["politics"], text="The house voted.")
    reader = newsroom.reader()
    newsroom.follow(reader, "topic:politics")
    newsroom.follow(reader, "search:polls", mode="mute")
    assert [item.article.title for item in digest_for(newsroom, reader).items] == ["Budget vote"]


def test_searches_are_keyed_on_one_spelling() -> None:
    assert parse_thing("search:Florida   MAN").key == parse_thing("search:florida man").key
    assert parse_thing("search:florida man").describe() == "the search “florida man”"
    with pytest.raises(InterestError, match="not only what to leave out"):
        parse_thing("search:-weather")
