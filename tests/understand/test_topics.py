"""Topics: a sport story and a politics story land in the right part of the taxonomy."""

from __future__ import annotations

from handpicked.article import Article
from handpicked.understand.topics import extract_topics


def test_sport_article() -> None:
    article = Article(
        title="Late goal sends United into the cup final",
        paragraphs=[
            "A stoppage-time goal from the striker sent the team into the cup final on Saturday, "
            "after a match in which the coach made three changes at half-time.",
            "The players celebrated with the fans; the league season resumes next week.",
        ],
    )
    topics = extract_topics(article)
    assert topics[0].key == "sport"
    assert 0 < topics[0].score <= 1


def test_politics_article_with_section_and_tags() -> None:
    article = Article(
        title="Parliament passes the budget bill",
        section="Politics",
        tags=["Budget", "Parliament"],
        paragraphs=[
            "Lawmakers voted 320 to 250 to pass the government's budget bill after the opposition "
            "party failed to win over coalition members, the minister said.",
        ],
    )
    topics = extract_topics(article)
    assert topics[0].key == "politics"
    assert [t.key for t in topics if t.key.startswith("tag:")] == ["tag:budget", "tag:parliament"]


def test_empty_article_has_no_topics() -> None:
    assert extract_topics(Article()) == []


def test_a_film_list_is_not_politics() -> None:
    article = Article(
        title="The best movies of 2024",
        paragraphs=[
            "I saw 101 movies released this year and these are my ten favourites, from horror "
            "to comedy. The director of the first film plays a president who loses a vote, and "
            "the cast is superb.",
            "My second pick is an animated film about a party of friends; the music alone is "
            "worth it. Every movie on the list is worth seeing at the cinema.",
        ],
    )
    keys = [t.key for t in extract_topics(article)]
    assert keys[:1] == ["culture"]
    assert "politics" not in keys


def test_a_product_page_is_not_technology_for_sharing_a_word() -> None:
    article = Article(
        title="Trail 25 Pack",
        paragraphs=[
            "Keep your day's gear within easy reach. It fits a wide range of body types and has "
            "pockets galore, including one for your phone and a sleeve for a water reservoir.",
            "Ripstop nylon, padded straps and a rain cover. Weight: 1 lb 13 oz. Download the app "
            "to register your pack for our lifetime repair service.",
        ],
    )
    assert [t for t in extract_topics(article) if not t.key.startswith("tag:")] == []


def test_a_country_in_a_tag_is_not_politics() -> None:
    """A tag like "UK Art Exhibitions" names a place, not the topic Politics."""
    article = Article(
        title="Critics' Choice: the best art exhibitions of the year",
        paragraphs=["The show runs until March, and tickets can be booked in advance."] * 5,
        tags=["UK Art Exhibitions", "US artists"],
    )
    assert "politics" not in {topic.key for topic in extract_topics(article)}
