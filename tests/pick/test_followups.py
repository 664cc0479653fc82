"""Follow-ups in the digest: a story the reader was sent comes back once per real
development, and never for copies alone."""

from __future__ import annotations

from datetime import timedelta

from newsroom import Newsroom

from handpicked.pick.digest import Digest
from handpicked.pick.digests import DigestBuilder
from handpicked.store import ReaderRecord

SENT_TEXT = (
    "A magnitude 7.8 earthquake struck the Jajarkot district of western Nepal, killing at "
    "least 12 people, officials in Kathmandu said.\n\n“We are still searching under the "
    "rubble,” said Harish Chandra Sharma, the chief district officer."
)
NEW_TEXT = (
    "The death toll from the magnitude 7.8 earthquake in Jajarkot has risen to 157, "
    "officials in Kathmandu said.\n\nHarish Chandra Sharma, the chief district officer, said "
    "the search went on."
)
QUAKE = [("Nepal", "place")]


def _digest(newsroom: Newsroom, reader: ReaderRecord, hours_after: float = 0) -> Digest:
    now = newsroom.now + timedelta(hours=hours_after)
    since = {reader.id: now - timedelta(hours=12)}
    return DigestBuilder(newsroom.store, [reader], since, now).build(reader)


def _send(newsroom: Newsroom, reader: ReaderRecord, digest: Digest, period: str,
          hours_after: float) -> None:  # fmt: skip
    """Record the digest in the ledger as the runner does."""
    store, when = newsroom.store, newsroom.now + timedelta(hours=hours_after)
    delivery = store.deliveries.claim(reader.id, period, "test:1", when)
    assert delivery is not None
    store.deliveries.mark_sending(
        delivery.id, message_id=f"<{period}@test>",
        story_ids=[i.story_id for i in digest.items if i.story_id is not None],
        article_ids=[i.article.id for i in digest.items],
        items=[{**i.to_dict(), "story_article_ids": list(i.article_ids)} for i in digest.items],
        since=digest.since, now=when,
    )  # fmt: skip
    store.deliveries.mark_sent(delivery.id, when)


def test_a_sent_story_comes_back_once_with_its_new_fact(newsroom: Newsroom) -> None:
    first = newsroom.article("Quake kills 12 in Nepal", "Wire Desk", entities=QUAKE,
                             story="quake", hours_ago=3, text=SENT_TEXT)  # fmt: skip
    reader = newsroom.reader()
    newsroom.follow(reader, "place:Nepal")
    digest = _digest(newsroom, reader)
    assert [i.article.id for i in digest.items] == [first]
    _send(newsroom, reader, digest, "day-1", 0)

    copy = newsroom.article("Quake kills 12 in Nepal", "Copier", entities=QUAKE, story="quake",
                            hours_ago=-1, text=SENT_TEXT, duplicate_of=first)  # fmt: skip
    assert _digest(newsroom, reader, 2).items == (), "a copy alone does not bring it back"

    report = newsroom.article("Nepal quake toll rises to 157", "Daily Herald", entities=QUAKE,
                              story="quake", hours_ago=-3, text=NEW_TEXT)  # fmt: skip
    digest = _digest(newsroom, reader, 4)
    [item] = digest.items
    assert item.article.id == report and item.development is not None
    assert [(f.kind, f.article_id) for f in item.development.shown] == [("number", report)]
    assert "risen to 157" in item.development.shown[0].text
    assert item.development.new_copies == 1 and item.development.new_reports == ("Daily Herald",)
    assert item.seen_at == newsroom.now
    assert set(item.article_ids) == {first, copy, report}
    _send(newsroom, reader, digest, "day-2", 4)

    assert _digest(newsroom, reader, 6).items == (), "once per development"


def test_a_story_with_something_muted_does_not_come_back(newsroom: Newsroom) -> None:
    newsroom.article("Quake kills 12 in Nepal", "Wire Desk", entities=QUAKE, story="quake",
                     hours_ago=3, text=SENT_TEXT)  # fmt: skip
    reader = newsroom.reader()
    newsroom.follow(reader, "place:Nepal")
    _send(newsroom, reader, _digest(newsroom, reader), "day-1", 0)
    newsroom.article("Nepal quake toll rises to 157", "Daily Herald",
                     entities=[*QUAKE, ("Jajarkot", "place")], story="quake", hours_ago=-3,
                     text=NEW_TEXT)  # fmt: skip
    assert len(_digest(newsroom, reader, 4).items) == 1
    newsroom.follow(reader, "place:Jajarkot", mode="mute")
    assert _digest(newsroom, reader, 4).items == ()


VERDICT_TEXT = (
    "A jury found former Brackwater mayor Viktor Halloran guilty of diverting 4.2 million "
    "dollars of harbour funds, and Judge Miriam Oduya set sentencing for May."
)
TRIAL_TEXT = (
    "The fraud trial of former Brackwater mayor Viktor Halloran opened before Judge Miriam "
    "Oduya, with prosecutors saying harbour funds had been diverted."
)
TRIAL = [("Viktor Halloran", "person")]


def test_a_later_story_of_the_thread_comes_back_as_a_development_of_the_sent_one(
    newsroom: Newsroom,
) -> None:
    trial = newsroom.article("Halloran trial opens", "Wire Desk", entities=TRIAL, story="trial",
                             hours_ago=3, text=TRIAL_TEXT)  # fmt: skip
    reader = newsroom.reader()
    newsroom.follow(reader, "person:Viktor Halloran")
    digest = _digest(newsroom, reader)
    assert [i.article.id for i in digest.items] == [trial]
    _send(newsroom, reader, digest, "day-1", 0)

    verdict = newsroom.article("Halloran found guilty", "Daily Herald", entities=TRIAL,
                               story="verdict", hours_ago=-100, text=VERDICT_TEXT)  # fmt: skip
    newsroom.store.threads.link(newsroom.stories["verdict"], newsroom.stories["trial"],
                                newsroom.stories["trial"])  # fmt: skip
    [item] = _digest(newsroom, reader, 101).items  # once: not also picked as a new story
    assert item.story_id == newsroom.stories["trial"] and item.article.id == verdict
    assert item.development is not None
    assert "4.2 million" in item.development.shown[0].text
