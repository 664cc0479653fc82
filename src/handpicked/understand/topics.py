"""What an article is about, in a small fixed taxonomy plus its own free keyphrases (tags).

Each topic has a hand-written keyword list (English with common German, French and Spanish
words); a topic scores by keyword hits per hundred words, with the page's section and tags
counting strongly because editors chose them. Keyword lists beat a trained model here: they
ship as text, explain themselves and need no training data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
    "us": "politics",
    "uk": "politics",
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


def extract_topics(article: Article, limit: int = 3, threshold: float = 0.6) -> list[Topic]:
    """Taxonomy topics (best first, at most ``limit``, scores in 0..1) then the article's tags."""
    words = _WORD.findall(f"{article.title or ''} {article.text}".casefold())
    per_hundred = 100.0 / max(len(words), 50)
    raw = dict.fromkeys(TOPIC_WORDS, 0.0)
    for word in words:
        for key, keywords in _KEYWORDS.items():
            if word in keywords:
                raw[key] += per_hundred
    for key in _editor_topics([article.section or "", *article.tags]):
        raw[key] += _EDITOR_WEIGHT
    ranked = sorted(
        ((score, key) for key, score in raw.items() if score >= threshold), reverse=True
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
