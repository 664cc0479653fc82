"""Why a pick was made, as the reader reads it: true of the article shown, at most three
reasons (strongest first) then how many more, a followed thing said once, opening not
taken for liking, a story never "like" itself, and the same words in every channel."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
from lxml import etree
from newsroom import Newsroom, vector

from handpicked.deliver.atom import ATOM_NS, digest_feed
from handpicked.deliver.email import render_digest_html, render_digest_text
from handpicked.deliver.links import Links
from handpicked.deliver.tokens import Tokens
from handpicked.deliver.wording import reasons_sentence
from handpicked.pick.digest import Digest
from handpicked.pick.digests import DigestBuilder
from handpicked.pick.interests import parse_thing
from handpicked.pick.reasons import Reason, sentence, worded
from handpicked.store import ReaderRecord


def digest_for(newsroom: Newsroom, reader: ReaderRecord, days: float = 2) -> Digest:
    fresh = newsroom.store.readers.get(reader_id=reader.id)
    assert fresh is not None
    since = {reader.id: newsroom.now - timedelta(days=days)}
    return DigestBuilder(newsroom.store, [fresh], since, newsroom.now).build(fresh)


def text_of(html: str) -> str:
    return etree.tostring(lxml.html.fromstring(html), method="text", encoding="unicode")


def seen(digest: Digest) -> list[tuple[str | None, tuple[str, ...]]]:
    """What the reader sees of each pick: its title and its reasons."""
    return [(item.article.title, item.reasons) for item in digest.items]


def test_reasons_are_about_the_article_shown_not_its_story(newsroom: Newsroom) -> None:
    # One story told by a film site and a politics desk: the film list is not politics.
    newsroom.article("The best films of the year", "Film Weekly", topics=["culture"],
                     story="films", hours_ago=3)  # fmt: skip
    newsroom.article("Ministers debate a film tax", "Politics Daily", topics=["politics"],
                     story="films", hours_ago=2)  # fmt: skip
    cinephile = newsroom.reader("cinephile@example.com")
    newsroom.follow(cinephile, "filmweekly.example", "topic:politics")
    assert seen(digest_for(newsroom, cinephile)) == [
        ("The best films of the year", ("because you follow filmweekly.example",))
    ]
    voter = newsroom.reader("voter@example.com")
    newsroom.follow(voter, "topic:politics")
    assert seen(digest_for(newsroom, voter)) == [
        ("Ministers debate a film tax", ("because you follow the topic Politics",))
    ]


def test_at_most_three_reasons_strongest_first_then_how_many_more(newsroom: Newsroom) -> None:
    newsroom.article("Putin meets the IRGC", section="World", topics=["politics"],
                     entities=[("Vladimir Putin", "person"), ("IRGC", "organisation")])  # fmt: skip
    reader = newsroom.reader()
    newsroom.follow(reader, "topic:politics", "section:World", "dailyledger.example")
    newsroom.follow(reader, "Putin", "IRGC")
    [item] = digest_for(newsroom, reader).items
    irgc = parse_thing("IRGC").label
    assert item.reasons == (
        "because you follow Vladimir Putin",
        f"because you follow {irgc}",
        "because you follow dailyledger.example",
        "2 more",
    )
    assert reasons_sentence(item.reasons) == (
        f"Picked because you follow Vladimir Putin, because you follow {irgc}, "
        "because you follow dailyledger.example, and 2 more."
    )
    # Every reason is kept, as records, for programs: the topic and section follow too.
    assert [(reason.kind, reason.thing, reason.label) for reason in item.why] == [
        ("follow", "entity", "Vladimir Putin"),
        ("follow", "entity", irgc),
        ("follow", "source", "dailyledger.example"),
        ("follow", "topic", "Politics"),
        ("follow", "section", "World"),
    ]


def test_a_followed_thing_is_never_also_liked(newsroom: Newsroom) -> None:
    kremlin = [("Vladimir Putin", "person"), ("Kremlin", "organisation"), ("Moscow", "place")]
    liked = newsroom.article("Inside the Kremlin", "Wire", entities=kremlin, hours_ago=60)
    newsroom.article("Putin speaks", entities=kremlin, text="Putin spoke at the Kremlin today.")
    reader = newsroom.reader()
    newsroom.follow(reader, "Putin", '"Kremlin"')
    newsroom.store.feedback.add(reader.id, liked, "more", newsroom.now)
    assert seen(digest_for(newsroom, reader)) == [
        (
            "Putin speaks",
            (
                "because you follow Vladimir Putin",
                "because it mentions “Kremlin”",
                "because you liked stories about Moscow",
            ),
        )
    ]


def _harris_and_scholz(newsroom: Newsroom) -> tuple[int, int]:
    newsroom.article("Budget vote", topics=["politics"], entities=[("Olaf Scholz", "person")],
                     hours_ago=1)  # fmt: skip
    newsroom.article("Senate race", topics=["politics"], entities=[("Kamala Harris", "person")],
                     hours_ago=6)  # fmt: skip
    harris = [("Kamala Harris", "person")]
    first = newsroom.article("Harris rally", topics=["politics"], entities=harris, hours_ago=60)
    second = newsroom.article("Harris speech", topics=["politics"], entities=harris, hours_ago=61)
    return first, second


def test_opening_is_never_a_reason_and_nudges_only_later_digests(newsroom: Newsroom) -> None:
    opened = _harris_and_scholz(newsroom)
    reader = newsroom.reader()
    newsroom.follow(reader, "topic:politics")
    politics = ("because you follow the topic Politics",)
    before = [("Budget vote", politics), ("Senate race", politics)]
    assert seen(digest_for(newsroom, reader)) == before
    # Read today, inside the digest's window: today's picks stay exactly as they were.
    for article in opened:
        newsroom.store.feedback.add(reader.id, article, "opened", newsroom.now)
    assert seen(digest_for(newsroom, reader)) == before
    # Read before the window began: a nudge up for Harris, but never "you liked".
    for article in opened:
        earlier = newsroom.now - timedelta(days=3)
        newsroom.store.feedback.add(reader.id, article, "opened", earlier)
    assert seen(digest_for(newsroom, reader)) == [("Senate race", politics),
                                                  ("Budget vote", politics)]  # fmt: skip


def test_opening_many_times_is_only_a_nudge(newsroom: Newsroom) -> None:
    newsroom.article("Putin news", entities=[("Vladimir Putin", "person")], hours_ago=1)
    harris = [("Kamala Harris", "person")]
    newsroom.article("Harris news", entities=harris, topics=["politics"], hours_ago=1)
    opened = [newsroom.article(f"Harris {n}", entities=harris, hours_ago=70) for n in range(30)]
    reader = newsroom.reader()
    newsroom.follow(reader, "Putin", "topic:politics")
    for article in opened:
        earlier = newsroom.now - timedelta(days=3)
        newsroom.store.feedback.add(reader.id, article, "opened", earlier)
    # A followed person still outranks a topic, however often Harris was read.
    assert seen(digest_for(newsroom, reader)) == [
        ("Putin news", ("because you follow Vladimir Putin",)),
        ("Harris news", ("because you follow the topic Politics",)),
    ]


def test_like_never_names_the_article_itself_or_its_story(newsroom: Newsroom) -> None:
    base = vector(1000)
    liked = newsroom.article("Tiny robots swim", embedding=base, story="robots",
                             topics=["science"], hours_ago=2)  # fmt: skip
    newsroom.article("Robots that swim, say scientists", "Wire", story="robots",
                     embedding=vector(1001, near=base, noise=0.3), topics=["science"])  # fmt: skip
    newsroom.article("Micro robots in blood", "Science Post", topics=["science"],
                     embedding=vector(1002, near=base, noise=0.3), hours_ago=3)  # fmt: skip
    reader = newsroom.reader()
    newsroom.follow(reader, "topic:science")
    newsroom.store.feedback.add(reader.id, liked, "more", newsroom.now)
    shown = dict(seen(digest_for(newsroom, reader)))
    assert shown["Micro robots in blood"] == (
        "because it is like “Tiny robots swim”, which you liked",
        "because you follow the topic Science",
    )
    [own_story] = [reasons for title, reasons in shown.items() if "swim" in (title or "")]
    assert own_story == ("because you follow the topic Science",)


def test_every_channel_words_the_reasons_the_same(newsroom: Newsroom) -> None:
    newsroom.article("Putin meets the IRGC", section="World", topics=["politics"],
                     entities=[("Vladimir Putin", "person"), ("IRGC", "organisation")])  # fmt: skip
    reader = newsroom.reader()
    newsroom.follow(reader, "topic:politics", "section:World", "Putin", "IRGC")
    digest = digest_for(newsroom, reader)
    [item] = digest.items
    said = reasons_sentence(item.reasons)
    assert said.startswith("Picked because you follow Vladimir Putin, ") and said.endswith(
        ", and 1 more."
    )
    links = Links(base_url="https://news.example/", signer=Tokens("secret"))
    email_html = text_of(render_digest_html(digest, links))
    email_text = render_digest_text(digest, links)
    feed = etree.fromstring(digest_feed(digest.reader, digest.items, links, newsroom.now))
    content = feed.findtext("a:entry/a:content", namespaces={"a": ATOM_NS}) or ""
    atom_text = text_of(content)
    for channel in (email_html, email_text, atom_text):
        assert said in " ".join(channel.split())
    assert digest.to_dict()["items"][0]["reasons"] == list(item.reasons)


def test_reasons_are_worded_from_records() -> None:
    reasons = [
        Reason("follow", "phrase", "Florida Man", 1.0),
        Reason("liked", "source", "bbc.co.uk", 0.4),
        Reason("liked", "section", "World", 0.3),
        Reason("like", "article", "Tiny robots swim", 0.2),
    ]
    assert worded(reasons) == (
        "because it mentions “Florida Man”",
        "because you liked stories from bbc.co.uk",
        "because you liked stories in the section World",
        "1 more",
    )
    assert sentence(worded(reasons[:2])) == (
        "Picked because it mentions “Florida Man” and because you liked stories from bbc.co.uk."
    )
    assert sentence(()) == ""
