"""What a reader types becomes the right followable thing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from newsroom import Newsroom

from handpicked.desk import readers as service
from handpicked.desk.readers import ReaderError
from handpicked.pick.interests import InterestError, parse_thing


@pytest.mark.parametrize(
    ("typed", "kind", "key", "label"),
    [
        ("Putin", "entity", "person:vladimir putin", "Vladimir Putin"),
        ("vladimir putin", "entity", "person:vladimir putin", "Vladimir Putin"),
        ("IRGC", "entity", "organisation:islamic revolutionary guard corps",
         "Islamic Revolutionary Guard Corps"),
        ("Berlin", "entity", "place:berlin", "Berlin"),
        ('"Florida Man"', "phrase", "florida man", "Florida Man"),
        ("Florida Man", "phrase", "florida man", "Florida Man"),
        ("phrase:IRGC", "phrase", "irgc", "IRGC"),
        ("bbc.co.uk", "source", "bbc.co.uk", "bbc.co.uk"),
        ("https://www.nytimes.com/section/world", "source", "nytimes.com", "nytimes.com"),
        ("politics", "topic", "politics", "Politics"),
        ("topic:Sport", "topic", "sport", "Sport"),
        ("section:World News", "section", "world news", "World News"),
        ("person:Jane Q. Doe", "entity", "person:jane q. doe", "Jane Q. Doe"),
    ],
)  # fmt: skip
def test_typed_things_are_read_as_people_expect(
    typed: str, kind: str, key: str, label: str
) -> None:
    thing = parse_thing(typed)
    assert (thing.kind, thing.key, thing.label) == (kind, key, label)
    again = parse_thing(thing.spec)
    assert (again.kind, again.key) == (kind, key)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "say what to follow"), ("topic:gardening", "the topics are"), ("x" * 300, "under"),
     ("source:not a site", "not a web address"), ('"!!"', "at least one letter")],
)  # fmt: skip
def test_unusable_things_say_what_would_work(typed: str, message: str) -> None:
    with pytest.raises(InterestError, match=message):
        parse_thing(typed)


def test_muting_a_followed_thing_turns_the_follow_into_a_mute(newsroom: Newsroom) -> None:
    reader = newsroom.reader()
    now = datetime.now(UTC)
    first = service.set_interest(newsroom.store, reader, "Putin", "follow", now)
    assert first.before is None
    second = service.set_interest(newsroom.store, reader, "Vladimir Putin", "mute", now)
    assert second.before == "follow"
    interests = newsroom.store.interests.of_readers([reader.id])[reader.id]
    assert [(i.mode, i.label) for i in interests] == [("mute", "Vladimir Putin")]
    assert service.remove_interest(newsroom.store, reader, "putin") is not None
    assert newsroom.store.interests.of_readers([reader.id])[reader.id] == []


@pytest.mark.parametrize(
    ("settings", "message"),
    [({"time_zone": "Mars/Olympus"}, "time zone"), ({"schedule": "whenever"}, "daily"),
     ({"max_items": 0}, "1 to 50"), ({"language": "english!"}, "language code")],
)  # fmt: skip
def test_bad_reader_settings_are_refused_clearly(
    newsroom: Newsroom, settings: dict[str, Any], message: str
) -> None:
    with pytest.raises(ReaderError, match=message):
        newsroom.reader(**settings)


def test_addresses_are_checked_and_unique(newsroom: Newsroom) -> None:
    newsroom.reader("Ann@Example.COM")
    with pytest.raises(ReaderError, match="already a reader"):
        newsroom.reader("ann@example.com")
    with pytest.raises(ReaderError, match="not an email address"):
        newsroom.reader("ann at example")
