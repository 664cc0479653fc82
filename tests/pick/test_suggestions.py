"""What a new reader is offered to follow: people, organisations, places and topics that
several outlets wrote about, never one site's oddity, a syndicated echo or a tag."""

from __future__ import annotations

from datetime import timedelta

from newsroom import Newsroom

from handpicked.pick.digest import Suggestion
from handpicked.pick.digests import DigestBuilder
from handpicked.pick.interests import parse_thing


def offered(newsroom: Newsroom) -> list[str]:
    """The things a reader who follows nothing is offered, as they would type them."""
    reader = newsroom.reader(f"reader{newsroom._count}@example.com")
    since = {reader.id: newsroom.now - timedelta(days=2)}
    digest = DigestBuilder(newsroom.store, [reader], since, newsroom.now).build(reader)
    return [suggestion.thing for suggestion in digest.suggestions]


def test_only_what_several_outlets_covered_is_suggested(newsroom: Newsroom) -> None:
    putin = [("Vladimir Putin", "person")]
    newsroom.article("Putin meets envoy", "Daily Ledger", entities=putin)
    newsroom.article("Putin in Minsk", "Wire", entities=putin)
    # One site's odd capitalised words, however often it prints them.
    odd = [("Along", "place"), ("Overall Positive", "person")]
    for n in range(4):
        newsroom.article(f"Quiz {n}", "Quiz Site", entities=odd)
    assert offered(newsroom) == ["person:Vladimir Putin"]


def test_a_syndicated_copy_is_not_a_second_outlet(newsroom: Newsroom) -> None:
    irgc = [("IRGC", "organisation")]
    original = newsroom.article("Leave now", "JNS", entities=irgc, story="s", hours_ago=3)
    newsroom.article("Leave now", "The Ledger", entities=irgc, story="s", hours_ago=2,
                     duplicate_of=original)  # fmt: skip
    assert offered(newsroom) == []
    newsroom.article("Guards on parade", "Wire", entities=irgc)
    assert offered(newsroom) == ["organisation:IRGC"]


def test_topics_are_the_taxonomy_never_tags(newsroom: Newsroom) -> None:
    for site in ("Daily Ledger", "Wire"):
        newsroom.article(f"Films at {site}", site, topics=["culture", "tag:netflix"])
    assert offered(newsroom) == ["topic:culture"]


def test_every_suggestion_can_be_followed_as_offered(newsroom: Newsroom) -> None:
    for site in ("Daily Ledger", "Wire", "Post"):
        entities = [("Berlin", "place"), ("Olaf Scholz", "person")]
        newsroom.article(f"News at {site}", site, topics=["politics"], entities=entities)
    reader = newsroom.reader()
    since = {reader.id: newsroom.now - timedelta(days=2)}
    suggestions = DigestBuilder(newsroom.store, [reader], since, newsroom.now).suggestions([])
    things = {suggestion.thing for suggestion in suggestions}
    assert things == {"place:Berlin", "person:Olaf Scholz", "topic:politics"}
    for suggestion in suggestions:
        assert isinstance(suggestion, Suggestion) and suggestion.stories == 3
        assert parse_thing(suggestion.thing).label == suggestion.label
