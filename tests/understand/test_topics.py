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
