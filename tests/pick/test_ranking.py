"""What a reader sees picked: follows with aliases, one story once, mutes win, feedback
reorders, diversity, language, and honest empty digests."""

from __future__ import annotations

from datetime import timedelta

from newsroom import Newsroom, vector

from handpicked.pick.digest import Digest
from handpicked.pick.digests import DigestBuilder
from handpicked.store import ReaderRecord


def titles(digest: Digest) -> list[str | None]:
    return [item.article.title for item in digest.items]


def digest_for(newsroom: Newsroom, reader: ReaderRecord, days: float = 2) -> Digest:
    fresh = newsroom.store.readers.get(reader_id=reader.id)
    assert fresh is not None
    since = {reader.id: newsroom.now - timedelta(days=days)}
    return DigestBuilder(newsroom.store, [fresh], since, newsroom.now).build(fresh)


def test_following_an_alias_picks_the_entity_with_the_reason(newsroom: Newsroom) -> None:
    newsroom.article("Putin meets envoy", entities=[("Vladimir Putin", "person")])
    newsroom.article("Rain in Spain", entities=[("Spain", "place")])
    reader = newsroom.reader()
    newsroom.follow(reader, "Putin")
    digest = digest_for(newsroom, reader)
    assert titles(digest) == ["Putin meets envoy"]
    assert digest.items[0].reasons == ("because you follow Vladimir Putin",)


def test_a_syndicated_story_appears_once_with_the_other_outlets(newsroom: Newsroom) -> None:
    original = newsroom.article("Leave now", "JNS", entities=[("IRGC", "organisation")],
                                story="s", hours_ago=3)  # fmt: skip
    newsroom.article("Leave now", "The Ledger", entities=[("IRGC", "organisation")], story="s",
                     hours_ago=2, duplicate_of=original)  # fmt: skip
    newsroom.article("Leave now, say officials", "Wire", entities=[("IRGC", "organisation")],
                     story="s", hours_ago=1)  # fmt: skip
    reader = newsroom.reader()
    newsroom.follow(reader, "Islamic Revolutionary Guard Corps")
    digest = digest_for(newsroom, reader)
    assert len(digest.items) == 1
    item = digest.items[0]
    assert item.article.id == original
    assert item.outlets[0] == "JNS" and set(item.outlets) == {"JNS", "The Ledger", "Wire"}
    assert item.also_covered_by == 2
    assert len(item.article_ids) == 3


def test_mutes_win_over_follows(newsroom: Newsroom) -> None:
    newsroom.article("Vote count", topics=["politics"])
    newsroom.article("Vote and IRGC", topics=["politics"], entities=[("IRGC", "organisation")])
    reader = newsroom.reader()
    newsroom.follow(reader, "topic:politics")
    newsroom.follow(reader, "IRGC", mode="mute")
    assert titles(digest_for(newsroom, reader)) == ["Vote count"]


def test_a_muted_source_gives_way_to_another_outlet(newsroom: Newsroom) -> None:
    newsroom.article("Storm", "Loud Times", host="loud.example", topics=["environment"],
                     story="storm", hours_ago=3)  # fmt: skip
    newsroom.article("Storm hits coast", "Quiet Post", host="quiet.example",
                     topics=["environment"], story="storm", hours_ago=2)  # fmt: skip
    newsroom.article("Loud only", "Loud Times", host="loud.example", topics=["environment"])
    reader = newsroom.reader()
    newsroom.follow(reader, "topic:environment")
    newsroom.follow(reader, "loud.example", mode="mute")
    digest = digest_for(newsroom, reader)
    assert titles(digest) == ["Storm hits coast"]
    assert digest.items[0].outlets == ("Quiet Post",)


def test_phrases_match_whole_words_in_the_text(newsroom: Newsroom) -> None:
    newsroom.article("Odd arrest", text="Police said a FLORIDA MAN'S boat was found.")
    newsroom.article("Not it", text="The floridaman brand sells shirts.")
    newsroom.article("Also not", text="Florida mansions are expensive.")
    reader = newsroom.reader()
    newsroom.follow(reader, '"Florida Man"')
    digest = digest_for(newsroom, reader)
    assert titles(digest) == ["Odd arrest"]
    assert digest.items[0].reason == "because it mentions “Florida Man”"


def test_feedback_changes_the_order(newsroom: Newsroom) -> None:
    newsroom.article("Budget vote", topics=["politics"], entities=[("Olaf Scholz", "person")],
                     hours_ago=1)  # fmt: skip
    newsroom.article("Senate race", topics=["politics"], entities=[("Kamala Harris", "person")],
                     hours_ago=6)  # fmt: skip
    liked = newsroom.article("Earlier Harris rally", topics=["politics"],
                             entities=[("Kamala Harris", "person")], hours_ago=60)  # fmt: skip
    reader = newsroom.reader()
    newsroom.follow(reader, "topic:politics")
    assert titles(digest_for(newsroom, reader))[:2] == ["Budget vote", "Senate race"]
    newsroom.store.feedback.add(reader.id, liked, "more", newsroom.now)
    after = digest_for(newsroom, reader)
    assert titles(after)[:2] == ["Senate race", "Budget vote"]
    assert "because you liked stories about Kamala Harris" in after.items[0].reasons
    newsroom.store.feedback.add(reader.id, liked, "less", newsroom.now)
    assert titles(digest_for(newsroom, reader))[:2] == ["Budget vote", "Senate race"]


def test_liked_articles_bring_similar_stories_with_the_reason(newsroom: Newsroom) -> None:
    base = vector(1000)
    liked = newsroom.article("Tiny robots swim", embedding=base, hours_ago=80)
    newsroom.article("Micro robots in blood", embedding=vector(1001, near=base, noise=0.3))
    newsroom.article("Football scores", embedding=vector(1002))
    reader = newsroom.reader()
    newsroom.store.feedback.add(reader.id, liked, "more", newsroom.now)
    digest = digest_for(newsroom, reader)
    assert titles(digest) == ["Micro robots in blood"]
    assert digest.items[0].reason == "because it is like “Tiny robots swim”, which you liked"


def test_one_source_cannot_fill_the_digest(newsroom: Newsroom) -> None:
    for n in range(6):
        newsroom.article(f"Big {n}", "Big Wire", topics=["business"], hours_ago=1 + n / 10)
    newsroom.article("Small one", "Small Post", topics=["business"], hours_ago=5)
    reader = newsroom.reader(max_items=4)
    newsroom.follow(reader, "business")
    digest = digest_for(newsroom, reader)
    assert len(digest.items) == 4
    assert "Small one" in titles(digest)


def test_language_preference_keeps_other_languages_out(newsroom: Newsroom) -> None:
    newsroom.article("Wahl in Berlin", entities=[("Berlin", "place")], language="de")
    newsroom.article("Berlin vote", entities=[("Berlin", "place")], language="en")
    reader = newsroom.reader(language="en")
    newsroom.follow(reader, "Berlin")
    assert titles(digest_for(newsroom, reader)) == ["Berlin vote"]


def test_nothing_matching_says_so_instead_of_filling(newsroom: Newsroom) -> None:
    newsroom.article("Cricket final", topics=["sport"], entities=[("Lord's", "place")])
    reader = newsroom.reader()
    newsroom.follow(reader, "IRGC")
    digest = digest_for(newsroom, reader)
    assert digest.items == ()
    assert digest.empty_reason is not None and "matched what you follow" in digest.empty_reason
    assert digest.subject == "Nothing new for you today"


def test_a_new_reader_gets_suggestions(newsroom: Newsroom) -> None:
    for n, site in enumerate(("Daily Ledger", "Wire", "Daily Ledger")):
        newsroom.article(f"Putin story {n}", site, entities=[("Vladimir Putin", "person")])
    newsroom.article("Other", entities=[("Berlin", "place")])
    digest = digest_for(newsroom, newsroom.reader())
    assert digest.items == ()
    assert digest.empty_reason is not None and "don't follow anything" in digest.empty_reason
    top = digest.suggestions[0]
    assert (top.label, top.thing, top.stories) == ("Vladimir Putin", "person:Vladimir Putin", 3)


def test_stories_older_than_the_window_are_left_out(newsroom: Newsroom) -> None:
    newsroom.article("Old Putin news", entities=[("Vladimir Putin", "person")], hours_ago=72)
    newsroom.article("New Putin news", entities=[("Vladimir Putin", "person")], hours_ago=2)
    reader = newsroom.reader()
    newsroom.follow(reader, "Putin")
    assert titles(digest_for(newsroom, reader, days=1)) == ["New Putin news"]


def test_coverage_counts_reports_not_copies(newsroom: Newsroom) -> None:
    """Three outlets with their own reports outrank one report copied by five outlets, and
    the pick says how many reports and copies it has."""
    wire = newsroom.article("Quake in Nepal", "Wire Desk", topics=["world"], story="copied",
                            hours_ago=2)  # fmt: skip
    for n in range(5):
        newsroom.article("Quake in Nepal", f"Copier {n}", topics=["world"], story="copied",
                         hours_ago=2, duplicate_of=wire)  # fmt: skip
    for name in ("BBC", "CNN", "NPR"):
        newsroom.article(f"Floods in Peru ({name})", name, topics=["world"], story="reported",
                         hours_ago=2)  # fmt: skip
    reader = newsroom.reader()
    newsroom.follow(reader, "topic:world")
    digest = digest_for(newsroom, reader)
    assert [item.article.site_name for item in digest.items] == ["BBC", "Wire Desk"]
    copied = digest.items[1]
    assert copied.also_covered_by == 5
    assert copied.provenance is not None
    assert copied.provenance.words() == "1 report, 5 copies of Wire Desk"
    assert digest.items[0].provenance is not None and digest.items[0].provenance.reports == 3
