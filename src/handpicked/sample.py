"""The bundled offline sample: the seed pair and a few dozen news articles from the WCXB dev
set (CC BY 4.0; see ``data/sample/README.md``), already extracted, so that ``handpicked try``
shows picks on a fresh install without fetching anything.

The articles are stored as if fetched ``now`` (so they are new today) with their published
dates as extracted, then understood like any other article. Their sites are listed as sources
that are never polled (see :func:`_sample_sources`). Loading is idempotent: a second
load stores and understands nothing more.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from handpicked.article import Article
from handpicked.images import ImageCache, image_key
from handpicked.store import Store
from handpicked.store.sources import NEVER
from handpicked.store.urls import canonical_url
from handpicked.understand.pipeline import Understander

SAMPLE_RESOURCE = "data/sample/articles.jsonl"
SAMPLE_IMAGES = "data/sample/images"


@dataclass(frozen=True, slots=True)
class SampleReport:
    """What one load did: the sample's size, how many of its articles were new to the store,
    and what understanding found (over every article not yet understood)."""

    articles: int
    added: int
    understood: int
    new_stories: int
    duplicates: int


@cache
def _records() -> tuple[str, ...]:
    text = resources.files("handpicked").joinpath(SAMPLE_RESOURCE).read_text(encoding="utf-8")
    return tuple(line for line in text.splitlines() if line.strip())


def sample_articles() -> list[Article]:
    """The sample's articles, in the order they are stored (the seed pair first)."""
    return [Article.from_dict(json.loads(line)) for line in _records()]


def sample_keys() -> set[str]:
    """The sample's articles as the store keys them (canonical URLs)."""
    keys = set()
    for article in sample_articles():
        raw = article.canonical_url or article.url
        if raw:
            keys.add(canonical_url(raw))
    return keys


def load_sample(
    store: Store, now: datetime, understander: Understander | None = None
) -> SampleReport:
    """Store the sample's articles (fetched ``now``) and understand them."""
    articles = sample_articles()
    sources = _sample_sources(store, articles)
    added = 0
    for article in articles:
        home = _site_home(article.url)
        source_id = sources.get(home) if home else None
        _id, new = store.articles.save(article, source_id=source_id, now=now)
        added += new
    report = (understander or Understander(store)).run()
    return SampleReport(
        articles=len(articles),
        added=added,
        understood=report.articles,
        new_stories=report.new_stories,
        duplicates=report.duplicates,
    )


def _site_home(url: str | None) -> str | None:
    """The home page of the site an article URL is on."""
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else None


def _sample_sources(store: Store, articles: list[Article]) -> dict[str, int]:
    """The sample's sites as sources of kind "site" (home page URL → source id), so that the
    Sources page says where the sample came from. They are held until ``NEVER``: the poller
    takes only due sources, so none of them is ever fetched (the sample is offline)."""
    sources: dict[str, int] = {}
    for article in articles:
        home = _site_home(article.url)
        if home is None or home in sources:
            continue
        name = article.site_name or urlsplit(home).hostname
        record, _created = store.sources.add(
            home,
            "site",
            title=f"{name} (bundled sample, not polled)",
            site_url=home,
            desk_wide=True,  # the desk's own: every reader's picks come from it
        )
        store.sources.hold(record.id, NEVER)
        sources[home] = record.id
    return sources


def ship_sample_images(cache: ImageCache) -> int:
    """Put the sample's stand-in pictures (see ``data/sample/README.md``) in the image cache
    under their articles' picture URLs, so that the demo shows them all offline. Returns how
    many were new to the cache."""
    folder = resources.files("handpicked").joinpath(SAMPLE_IMAGES)
    shipped = 0
    for url in dict.fromkeys(i.url for a in sample_articles() for i in a.images):
        if cache.has(url):
            continue
        picture = folder.joinpath(f"{image_key(url)}.png")
        if picture.is_file():
            cache.put(url, picture.read_bytes())
            shipped += 1
    return shipped


def holds_only_sample(store: Store) -> bool:
    """Whether every stored article is one of the sample's (True for an empty store)."""
    keys = sample_keys()
    return set(store.articles.canonical_urls(limit=len(keys) + 1)) <= keys


def freshen_sample(store: Store, now: datetime) -> int:
    """Mark the stored sample articles as fetched ``now`` again, so that a store which holds
    only the sample still has picks days after it was loaded. Returns how many moved."""
    return store.articles.refetched(sample_keys(), now)
