"""What an article is about, in a small fixed taxonomy plus its own free keyphrases (tags).

Each topic has a hand-written keyword list (English with common German, French and Spanish
words); a topic scores by keyword hits per hundred words, with the page's section and tags
counting strongly because editors chose them. Keyword lists beat a trained model here: they
ship as text, explain themselves and need no training data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from handpicked.article import Article


def _load_topics() -> dict[str, tuple[str, frozenset[str]]]:
    """Topic key → (label, keywords) from the shipped ``data/topics.txt``."""
    topics: dict[str, tuple[str, set[str]]] = {}
    data = resources.files("handpicked.understand").joinpath("data/topics.txt")
    for line in data.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        head, _, words = line.partition(":")
        key, label = head.split(maxsplit=1)
        topics.setdefault(key, (label, set()))[1].update(words.casefold().split())
    return {key: (label, frozenset(words)) for key, (label, words) in topics.items()}


TOPIC_WORDS = _load_topics()
_SECTION_ALIASES = {
    "news": None,
    "sports": "sport",
    "tech": "technology",
    "lifestyle": "culture",
    "entertainment": "culture",
    "arts": "culture",
    "money": "business",
    "finance": "business",
    "markets": "business",
    "comment": "opinion",
    "commentisfree": "opinion",
    "wellness": "health",
    "climate": "environment",
}
_KEYWORDS = {key: words for key, (_label, words) in TOPIC_WORDS.items()}
_WORD = re.compile(r"[^\W\d_][\w-]*")
_EDITOR_WEIGHT = 3.0
"""A section or tag naming a topic counts like this many keyword hits per hundred words."""
_TITLE_WEIGHT = 2.0
"""A keyword in the title counts this many times: the title says what the page is about."""
_MIN_WORDS = 50
"""Short pages are scored as if this long, so one keyword in a blurb is not a topic."""
_MIN_DISTINCT = 2
"""Different keywords a topic needs when the title has one of them; one more when it has none.

Section and tags (chosen by editors) need none.
"""
_RUNNER_UP = 0.5
"""A second or third topic must score at least this share of the best one."""


@dataclass(frozen=True)
class Topic:
    """A subject an article is about; ``key`` is "politics" or "tag:<tag>" for free tags."""

    key: str
    label: str
    score: float


def _editor_topics(labels: list[str]) -> set[str]:
    found: set[str] = set()
    for label in labels:
        for word in _WORD.findall(label.casefold()):
            topic = _SECTION_ALIASES.get(word, word)
            if topic in TOPIC_WORDS:
                found.add(topic)
            elif topic is not None:
                found |= {
                    key for key, words in _KEYWORDS.items() if word in words and len(word) > 4
                }
    return found


def _keyword(word: str, keywords: frozenset[str]) -> str | None:
    """The keyword a word is, as its singular: "movies" → "movie", "goals" and "goal" → "goal".

    Singular and plural are one keyword, so a page repeating one word has one keyword.
    """
    for plural, singular in (("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(plural) and word[: -len(plural)] + singular in keywords:
            return word[: -len(plural)] + singular
    return word if word in keywords else None


@lru_cache(maxsize=65536)
def _keywords_of(word: str) -> tuple[tuple[str, str], ...]:
    """(topic, keyword) for every topic the word is a keyword of, in taxonomy order.

    Asked once per distinct word rather than once per word and topic: news repeats its
    vocabulary, and this loop was most of the cost of finding topics."""
    matches = ((key, _keyword(word, keywords)) for key, keywords in _KEYWORDS.items())
    return tuple((key, found) for key, found in matches if found is not None)


def extract_topics(article: Article, limit: int = 3, threshold: float = 0.6) -> list[Topic]:
    """Taxonomy topics (best first, at most ``limit``, scores in 0..1) then the article's tags.

    A topic needs several different keywords of its own: one word a film list or a product
    page shares with politics ("party", "president") or technology ("app") is not enough,
    nor is one repeated word. Title words count twice; a topic far behind the best is dropped.
    """
    title_words = _WORD.findall((article.title or "").casefold())
    words = _WORD.findall(article.text.casefold())
    per_hundred = 100.0 / max(len(words) + len(title_words), _MIN_WORDS)
    raw = dict.fromkeys(TOPIC_WORDS, 0.0)
    distinct: dict[str, set[str]] = {key: set() for key in TOPIC_WORDS}
    in_title: set[str] = set()
    for weight, bag in ((_TITLE_WEIGHT, title_words), (1.0, words)):
        for word in bag:
            for key, found in _keywords_of(word):
                raw[key] += weight * per_hundred
                distinct[key].add(found)
                if weight == _TITLE_WEIGHT:
                    in_title.add(key)
    editors = _editor_topics([article.section or "", *article.tags])
    for key in editors:
        raw[key] += _EDITOR_WEIGHT
    candidates = [
        (score, key)
        for key, score in raw.items()
        if score >= threshold
        and (key in editors or len(distinct[key]) >= _MIN_DISTINCT + (key not in in_title))
    ]
    best = max((score for score, _key in candidates), default=0.0)
    ranked = sorted(
        ((score, key) for score, key in candidates if score >= _RUNNER_UP * best), reverse=True
    )
    topics = [
        Topic(key, TOPIC_WORDS[key][0], round(min(1.0, score / 6.0), 3))
        for score, key in ranked[:limit]
    ]
    seen: set[str] = set()
    for tag in article.tags:
        norm = " ".join(tag.casefold().split())
        if norm and norm not in seen:
            seen.add(norm)
            topics.append(Topic(f"tag:{norm}", tag.strip(), 0.5))
    return topics
