"""Digest benchmark: every reader's digest over a day of news, built, rendered and sent.

    python bench/digests.py [--articles N] [--readers N] [--send-readers N] [--quick]
                            [--database-url URL] [--seed N] [--results PATH]

A synthetic but realistic day of news is bulk-written into a fresh store (SQLite in a
temporary folder, or the empty database ``--database-url`` names, e.g. PostgreSQL): 100,000
understood articles in about 60,000 stories (most from one outlet, a tail covered by 2-8
outlets, some articles syndicated copies of another), from 300 outlets over the 24 hours
before the benchmark's fixed "now", each with 3-12 entities from a Zipf-distributed
vocabulary of 20,000 people, organisations and places, 1-3 topics, a section, a language
(90% English), a body of 150-400 words and a 384-d unit embedding clustered by topic and
story. 10,000 readers follow 2-15 things each (mostly popular entities, some topics, sources
and sections, one in ten a phrase), a fifth mute 1-3 things, three in ten have 1-20 reactions
(more, less, opened); all want "daily 07:00" in one of 20 time zones, so every one is due.
Everything is drawn from a fixed seed, so runs are comparable.

Then, in this one process:

1. **build**: every reader's digest as :meth:`Deliverer.run_once` makes them (one pool of
   new stories for the run, one :class:`DigestBuilder` per 2,000 readers), without the
   ledger or mail; with
   the time split between the pool, the readers' records, profiles, ranking and loading the
   picked articles (module functions wrapped with timers, under 1% overhead);
2. **memory**: tracemalloc's peak over one batch of the build (with its own pool) run again
   under tracing, and peak RSS from the kernel: during the build (the high-water mark
   is reset first, where Linux allows) and over the whole run, corpus writer included;
3. **send**: :meth:`Deliverer.run_once` end to end for the first ``--send-readers`` readers
   (the others are unsubscribed first): ledger claims, building, rendering (Jinja2 and
   css-inline) and SMTP to an aiosmtpd sink on 127.0.0.1 that only counts messages and
   bytes. The run must send exactly the digests the build found non-empty.

The table is printed; the full run (default sizes, seed and database) also writes it to
``bench/results/digests.md`` and the numbers to ``bench/results/digests.json``; other runs
write only where ``--results`` says.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import random
import resource
import socket
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt
from aiosmtpd.controller import Controller
from sqlalchemy import Connection, func, insert, select, text, update

# Runnable as `python bench/digests.py`: the repository root must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.memory import peak_rss_mb
from handpicked.deliver import runner as runner_module
from handpicked.deliver.runner import BATCH, MAX_WINDOW, Deliverer, DeliveryReport, window_start
from handpicked.pick import digests as digests_module
from handpicked.pick import pool as pool_module
from handpicked.pick.digests import DigestBuilder
from handpicked.pick.interests import phrase_key
from handpicked.pick.pool import Pool
from handpicked.settings import Settings
from handpicked.store import ReaderRecord, Store, content_hash, open_store
from handpicked.store.articles import ArticleRepository
from handpicked.store.deliveries import DeliveryRepository
from handpicked.store.feedback import FeedbackRepository
from handpicked.store.interests import InterestRepository
from handpicked.store.sessions import WRITE_OPTION
from handpicked.store.tables import (
    ArticleRow,
    FeedbackRow,
    InterestRow,
    ReaderRow,
    StoryRow,
)
from handpicked.understand.aliases import canonical_key, normalise
from handpicked.understand.embeddings import DIMENSIONS
from handpicked.understand.topics import TOPIC_WORDS

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "results" / "digests.md"
SEED = 20261125
NOW = datetime(2026, 11, 25, 6, 30, tzinfo=UTC)
"""The benchmark's "now": fixed, so that every run sees the same slots and windows."""
CORPUS_START = NOW - timedelta(hours=24) + timedelta(minutes=10)
CORPUS_END = NOW - timedelta(minutes=10)
"""Articles come in between these: inside every reader's window (one day before their slot)."""
CHUNK = 5000
SCHEDULE = "daily 07:00"
TIME_ZONES = (
    "UTC", "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Madrid",
    "Europe/Helsinki", "Europe/Moscow", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo",
    "Australia/Sydney", "Pacific/Auckland", "America/New_York", "America/Chicago",
    "America/Denver", "America/Los_Angeles", "America/Sao_Paulo", "America/Mexico_City",
    "Africa/Lagos", "Africa/Johannesburg",
)  # fmt: skip
OTHER_LANGUAGES = ("de", "fr", "es", "it", "nl")
SECTIONS = {
    "politics": "Politics", "world": "World", "business": "Business", "technology": "Tech",
    "science": "Science", "health": "Health", "sport": "Sport", "culture": "Culture",
    "environment": "Climate", "crime": "UK News", "opinion": "Opinion", "religion": "Faith",
    "travel": "Travel", "food": "Food",
}  # fmt: skip
COMMON = """the of and to in a is that for on it with as was he said by at from his an be
have has are but not they were had this which she their we its been who after more would
there or will about up out one new when over two also people year last than some first into
could other time years like her just may because what them made only those can him three
week back most during while before since where many government says still percent under make
day told against between state officials country home city public group support plan family
police report months world told according expected later around including early off work
minister team season company market money news case former own national local election deal
high school long series next show health court during amid across called another agreed
number place power water energy lost won end part rise cost prices move top big small early
late already across recent major told control party leader chief global workers children
women men life hospital data system service talks meeting council budget tax policy house
night morning weekend south north east west central region area town village street road
bridge river coast island border airport station campaign vote voters fans players coach
match game goal final record study research scientists patients doctors drug virus climate
storm rain heat fire flood crisis war peace troops attack deal trade bank rates inflation
growth jobs economy shares investors profit sales""".split()
SYLLABLES = """ka lo mi ren tor va bel dor an es ti ro sa mar vel qui zan hal per gri
nov tal ber sin cor mun fal ve ri ost lan den kel mor ash ir ul ven cas tra dal fen""".split()
FIRST_NAMES = """Anna Ben Clara David Elena Farid Greta Hugo Ines Jonas Kira Leo Maya Nils
Olga Pablo Quinn Rosa Sami Tara Umar Vera Wim Xenia Yusuf Zoe Amir Bea Carl Dana Emil Fay
Gil Hana Ivan Jada Karl Lina Marco Nora Omar Pia Raj Sofia Tom Una Viktor Wen Yara Zeno
Aditi Bruno Chen Dilan Eva Fatima Goran Hiro Iris Joao""".split()
ORG_SUFFIXES = """Group Bank Motors Energy Airlines Labs Council University Party
Foundation Holdings Pharma Systems Union United Capital Media Telecom Institute""".split()
PLACE_SUFFIXES = ("", "", "ville", "burg", "ford", "port", "stad", "ton", "holm")
PHRASES = tuple(
    (
        "Florida Man|heat wave|supply chain|rate cut|cost of living|four-day week|"
        "self-driving cars|net zero|housing crisis|artificial intelligence|quantum computing|"
        "solar farm|wind power|bird flu|transfer window|world cup|general strike|data breach|"
        "space station|electric vehicles|minimum wage|student loans|free trade|interest rates|"
        "drought|wildfire season|train strike|ceasefire talks|peace deal|trade war"
    ).split("|")
)
TEMPLATES = (
    "{a} {verb} {b} over {thing}",
    "{a} says {thing} will {act}",
    "{thing}: what {a} plans next",
    "{a} and {b} agree on {thing}",
    "Why {a} is betting on {thing}",
    "{a} faces questions over {thing}",
    "Live: {a} {verb} {b}",
    "{a} to {act} after {thing} row",
)
VERBS = "meets warns criticises backs sues rejects joins challenges praises courts".split()
ACTS = "rise fall return change expand close resume slow stall grow".split()


@dataclass(frozen=True, slots=True)
class Size:
    """How big a run is; the vocabulary and outlets shrink with small corpora."""

    articles: int = 100_000
    readers: int = 10_000
    send_readers: int = 2_000
    stories_per_article: float = 0.6

    @property
    def entities(self) -> int:
        return max(200, min(20_000, self.articles // 5))

    @property
    def outlets(self) -> int:
        return max(10, min(300, self.articles // 300))


QUICK = Size(articles=5_000, readers=500, send_readers=500)


# -- the world: entities, outlets, phrases, topic centroids ------------------------------------


@dataclass(frozen=True, slots=True)
class Outlet:
    host: str
    name: str
    language: str


@dataclass
class World:
    """Everything articles and readers are drawn from."""

    entity_names: list[str]
    entity_kinds: list[str]
    entity_keys: list[str]
    entity_topic: npt.NDArray[np.int64]
    entity_p: npt.NDArray[np.float64]
    topics: list[str]
    centroids: npt.NDArray[np.float32]
    outlets: list[Outlet]
    outlet_p: npt.NDArray[np.float64]
    phrases: list[str]
    phrase_p: npt.NDArray[np.float64]
    words: list[str]
    topic_words: list[list[str]]
    """Each topic's keywords (of ``topics``, in order), sorted."""


def zipf(n: int, exponent: float = 1.0, offset: float = 5.0) -> npt.NDArray[np.float64]:
    """Zipf-Mandelbrot probabilities of ranks 0..n-1: the first few are common, most rare."""
    weights = 1.0 / (np.arange(n, dtype=np.float64) + offset) ** exponent
    result: npt.NDArray[np.float64] = weights / weights.sum()
    return result


def _made_up(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def make_world(size: Size, seed: int) -> World:
    rng = random.Random(f"{seed}/world")
    topics = sorted(TOPIC_WORDS)
    names: list[str] = []
    kinds: list[str] = []
    keys: list[str] = []
    seen: set[str] = set()
    while len(names) < size.entities:
        roll = rng.random()
        if roll < 0.5:
            name, kind = f"{rng.choice(FIRST_NAMES)} {_made_up(rng, rng.randint(2, 3))}", "person"
        elif roll < 0.8:
            name, kind = f"{_made_up(rng, 2)} {rng.choice(ORG_SUFFIXES)}", "organisation"
        else:
            name, kind = _made_up(rng, rng.randint(2, 3)) + rng.choice(PLACE_SUFFIXES), "place"
        key = canonical_key(name, kind)
        if key in seen or not key.startswith(kind + ":"):
            continue  # a clash, or a name the alias table knows as something else
        seen.add(key)
        names.append(name)
        kinds.append(kind)
        keys.append(key)
    nrng = np.random.default_rng([seed, 1])
    centroids = nrng.standard_normal((len(topics), DIMENSIONS)).astype(np.float32)
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    outlets: list[Outlet] = []
    hosts: set[str] = set()
    while len(outlets) < size.outlets:
        place = _made_up(rng, 2)
        noun = rng.choice(("Courier", "Times", "Post", "Herald", "Wire", "Gazette", "Daily"))
        host = f"{place.lower()}{noun.lower()}.example"
        if host in hosts:
            continue
        hosts.add(host)
        # One outlet in ten writes in another language; the big ones are English.
        language = "en" if len(outlets) % 10 != 9 else OTHER_LANGUAGES[len(outlets) // 10 % 5]
        outlets.append(Outlet(host, f"The {place} {noun}", language))
    extra = [f"{rng.choice(COMMON)} {_made_up(rng, 2).lower()}" for _ in range(170)]
    phrases = list(dict.fromkeys([*PHRASES, *extra]))[:200]
    # Sorted: the keyword sets' order changes with the hash seed, and runs must not.
    topic_words = [sorted(TOPIC_WORDS[t][1]) for t in topics]
    words = list(dict.fromkeys(COMMON + [w for keywords in topic_words for w in keywords]))
    return World(
        entity_names=names,
        entity_kinds=kinds,
        entity_keys=keys,
        entity_topic=nrng.integers(0, len(topics), size=len(names)),
        entity_p=zipf(len(names)),
        topics=topics,
        centroids=centroids,
        outlets=outlets,
        outlet_p=zipf(len(outlets), 0.8, 3.0),
        phrases=phrases,
        phrase_p=zipf(len(phrases), 1.0, 2.0),
        words=words,
        topic_words=topic_words,
    )


# -- the corpus plan: stories, outlets, times, ids -----------------------------------------------


@dataclass
class Plan:
    """Who published what when: per article (in id order) and per story (in id order)."""

    story: npt.NDArray[np.int64]
    variant: npt.NDArray[np.int64]
    """0 for a story's first article and its syndicated copies; k for the k-th own write-up."""
    outlet: npt.NDArray[np.int64]
    copy_of: npt.NDArray[np.int64]
    """The id of the article copied, 0 for originals."""
    fetched: npt.NDArray[np.float64]
    published: npt.NDArray[np.float64]
    """NaN where the page gave no date."""
    story_language: list[str]
    story_topics: list[tuple[int, ...]]
    story_entities: list[tuple[int, ...]]
    story_phrases: list[tuple[int, ...]]

    @property
    def articles(self) -> int:
        return len(self.story)

    @property
    def stories(self) -> int:
        return len(self.story_language)


def _sample(
    rng: np.random.Generator, p: npt.NDArray[np.float64], rows: int, width: int
) -> npt.NDArray[np.int64]:
    """``rows`` × ``width`` draws with replacement by ``p`` (a row's first unique ones are
    then a draw without replacement)."""
    cumulative = np.cumsum(p)
    found: npt.NDArray[np.int64] = np.searchsorted(
        cumulative, rng.random((rows, width)) * cumulative[-1]
    ).astype(np.int64)
    return np.minimum(found, len(p) - 1)


def _firsts(values: npt.NDArray[np.int64], count: int) -> tuple[int, ...]:
    return tuple(dict.fromkeys(int(v) for v in values))[:count]


def make_plan(size: Size, world: World, seed: int) -> Plan:
    rng = np.random.default_rng([seed, 2])
    n = size.articles
    target = max(1, round(n * size.stories_per_article))
    ks = np.arange(2, 9)
    weights = 1.0 / ks
    weights /= weights.sum()
    mean = float((ks * weights).sum())
    multi = max(0, round((n - target) / (mean - 1)))
    sizes = list(rng.choice(ks, size=multi, p=weights))
    total = sum(int(s) for s in sizes)
    while total > n:  # trim the tail until the singles fit
        total -= int(sizes.pop())
    sizes += [1] * (n - total)
    order = rng.permutation(len(sizes))
    story_sizes = [int(sizes[i]) for i in order]
    n_stories = len(story_sizes)

    languages = ["en" if x < 0.9 else OTHER_LANGUAGES[int(x * 100) % 5]
                 for x in rng.random(n_stories)]  # fmt: skip
    by_language: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]] = {}
    for language in ("en", *OTHER_LANGUAGES):
        members = np.asarray(
            [i for i, o in enumerate(world.outlets) if o.language == language] or [0], np.int64
        )
        p = world.outlet_p[members]
        by_language[language] = (members, p / p.sum())

    entity_draws = _sample(rng, world.entity_p, n_stories, 20)
    phrase_draws = _sample(rng, world.phrase_p, n_stories, 2)
    story_entities: list[tuple[int, ...]] = []
    story_topics: list[tuple[int, ...]] = []
    story_phrases: list[tuple[int, ...]] = []
    counts = rng.integers(3, 13, size=n_stories)
    topic_counts = rng.choice((1, 2, 3), size=n_stories, p=(0.5, 0.35, 0.15))
    phrase_counts = rng.choice((0, 1, 2), size=n_stories, p=(0.8, 0.17, 0.03))
    own_topic = rng.random(n_stories) < 0.7
    other_topics = rng.integers(0, len(world.topics), size=(n_stories, 3))
    for s in range(n_stories):
        entities = _firsts(entity_draws[s], int(counts[s]))
        story_entities.append(entities)
        first = int(world.entity_topic[entities[0]]) if own_topic[s] else int(other_topics[s, 0])
        story_topics.append(_firsts(np.asarray([first, *other_topics[s]]), int(topic_counts[s])))
        story_phrases.append(_firsts(phrase_draws[s], int(phrase_counts[s])))

    start_s, end_s = CORPUS_START.timestamp(), CORPUS_END.timestamp()
    starts = rng.uniform(start_s, end_s, size=n_stories)
    rows_story: list[int] = []
    rows_variant: list[int] = []
    rows_outlet: list[int] = []
    rows_copy: list[int] = []  # plan index of the copied article, -1 for originals
    rows_time: list[float] = []
    rows_position: list[int] = []
    singles: dict[str, list[int]] = defaultdict(list)
    for s, k in enumerate(story_sizes):
        language = languages[s]
        if k == 1:
            singles[language].append(len(rows_story))
            outlets = [0]
        else:
            members, p = by_language[language]
            outlets = [int(o) for o in rng.choice(members, size=k, replace=k > len(members), p=p)]
        offsets = np.sort(rng.exponential(3 * 3600, size=k - 1))
        first_row = len(rows_story)
        own = 0
        for position in range(k):
            copy = position > 0 and rng.random() < 0.3
            if not copy and position > 0:
                own += 1
            rows_story.append(s)
            rows_variant.append(0 if copy else own)
            rows_outlet.append(outlets[position])
            rows_copy.append(first_row if copy else -1)
            when = starts[s] + (offsets[position - 1] if position else 0.0)
            rows_time.append(min(float(when), end_s))
            rows_position.append(position)
    outlet_of = np.asarray(rows_outlet, np.int64)
    for language, rows in singles.items():
        members, p = by_language[language]
        outlet_of[rows] = rng.choice(members, size=len(rows), p=p)

    times = np.asarray(rows_time)
    order = np.lexsort((np.asarray(rows_position), times))  # by time; a story's first first
    id_of = np.empty(n, np.int64)
    id_of[order] = np.arange(1, n + 1)
    copies = np.asarray(rows_copy, np.int64)
    copy_of = np.where(copies >= 0, id_of[np.maximum(copies, 0)], 0)
    lag = rng.uniform(0, 3600, size=n)
    published = np.where(rng.random(n) < 0.85, times - lag, np.nan)

    # Stories are numbered by their first article, as the understanding stage would.
    story_arr = np.asarray(rows_story, np.int64)[order]
    first_seen_order = list(dict.fromkeys(int(s) for s in story_arr))
    renumber = np.empty(n_stories, np.int64)
    renumber[first_seen_order] = np.arange(n_stories)
    return Plan(
        story=renumber[story_arr],
        variant=np.asarray(rows_variant, np.int64)[order],
        outlet=outlet_of[order],
        copy_of=copy_of[order],
        fetched=times[order],
        published=published[order],
        story_language=[languages[s] for s in first_seen_order],
        story_topics=[story_topics[s] for s in first_seen_order],
        story_entities=[story_entities[s] for s in first_seen_order],
        story_phrases=[story_phrases[s] for s in first_seen_order],
    )


# -- article content ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Content:
    title: str
    lead: str
    paragraphs: list[str]
    entities: list[dict[str, Any]]
    author: str
    image: bool


def _sentence(words: Sequence[str]) -> str:
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def make_content(world: World, plan: Plan, story: int, variant: int, seed: int) -> Content:
    """One write-up of a story; copies share their original's (same story, variant 0)."""
    rng = random.Random(f"{seed}/{story}/{variant}")
    entities = plan.story_entities[story]
    topics = plan.story_topics[story]
    names = [world.entity_names[e] for e in entities]
    keep = [e for i, e in enumerate(entities) if i < 3 or rng.random() < 0.75]
    topic_words = [w for t in topics for w in world.topic_words[t]]
    thing = rng.choice(topic_words)
    title = rng.choice(TEMPLATES).format(
        a=names[0],
        b=names[1 % len(names)],
        thing=thing,
        verb=rng.choice(VERBS),
        act=rng.choice(ACTS),
    )
    title = title[0].upper() + title[1:]
    pool = world.words
    n_words = rng.randint(150, 400)
    words = rng.choices(pool, k=n_words)
    specials = [world.entity_names[e] for e in keep for _ in range(rng.randint(1, 3))]
    specials += rng.choices(topic_words, k=rng.randint(3, 8))
    specials += [world.phrases[p].lower() for p in plan.story_phrases[story]]
    for special in specials:
        words[rng.randrange(len(words))] = special
    sentences: list[str] = []
    at = 0
    while at < len(words):
        step = rng.randint(9, 22)
        sentences.append(_sentence(words[at : at + step]))
        at += step
    paragraphs: list[str] = []
    at = 0
    while at < len(sentences):
        step = rng.randint(2, 5)
        paragraphs.append(" ".join(sentences[at : at + step]))
        at += step
    lead = _sentence([names[0], "and", *rng.choices(pool, k=rng.randint(12, 24))])
    mentions = {e: 1 + rng.randint(0, 4) for e in keep}
    found = [
        {
            "name": world.entity_names[e],
            "kind": world.entity_kinds[e],
            "key": world.entity_keys[e],
            "mentions": mentions[e],
        }
        for e in keep
    ]
    author = f"{rng.choice(FIRST_NAMES)} {_made_up(rng, 2)}"
    return Content(title, lead, paragraphs, found, author, rng.random() < 0.6)


def _embedding(world: World, plan: Plan, story: int, variant: int, seed: int) -> bytes:
    """Topic centroid + the story's direction + the write-up's own noise, unit length:
    cosine about 0.4 within a topic, 0.9 within a story."""
    story_dir = np.random.default_rng([seed, 3, story]).standard_normal(DIMENSIONS)
    noise = np.random.default_rng([seed, 4, story, variant]).standard_normal(DIMENSIONS)
    centroid = world.centroids[plan.story_topics[story][0]]
    vector = 0.64 * centroid + 0.74 * story_dir / math.sqrt(DIMENSIONS)
    vector = vector + 0.3 * noise / math.sqrt(DIMENSIONS)
    unit: npt.NDArray[np.float32] = (vector / np.linalg.norm(vector)).astype(np.float32)
    return unit.tobytes()


def _when(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _slug(title: str) -> str:
    return "-".join("".join(c for c in word if c.isalnum()) for word in title.lower().split()[:6])


def _section(world: World, plan: Plan, story: int) -> str:
    return SECTIONS.get(world.topics[plan.story_topics[story][0]], "News")


def article_rows(
    world: World, plan: Plan, first: int, last: int, seed: int, urls: dict[int, str]
) -> list[dict[str, Any]]:
    """Rows for articles ``first`` .. ``last - 1`` (ids ``first + 1`` ..)."""
    rows: list[dict[str, Any]] = []
    for index in range(first, last):
        article_id = index + 1
        story = int(plan.story[index])
        variant = int(plan.variant[index])
        outlet = world.outlets[int(plan.outlet[index])]
        content = make_content(world, plan, story, variant, seed)
        section = _section(world, plan, story)
        url = f"https://www.{outlet.host}/{section.lower()}/{article_id}-{_slug(content.title)}"
        urls[article_id] = url
        copy_of = int(plan.copy_of[index])
        fetched = _when(float(plan.fetched[index]))
        published = plan.published[index]
        body = "\n\n".join(content.paragraphs)
        language = plan.story_language[story]
        topics = [
            {"key": world.topics[t], "label": TOPIC_WORDS[world.topics[t]][0], "score": 1.0}
            for t in plan.story_topics[story]
        ]
        image = (
            [{"url": f"https://img.{outlet.host}/{article_id}.jpg", "caption": content.title,
              "credit": content.author, "alt": ""}]
            if content.image else []
        )  # fmt: skip
        rows.append(
            {
                "id": article_id,
                "canonical_url": url,
                "url": url,
                "source_id": None,
                "fetched_at": fetched,
                "title": content.title,
                "authors": [content.author],
                "published": None if math.isnan(published) else _when(float(published)),
                "updated": None,
                "site_name": outlet.name,
                "language": language,
                "section": section,
                "tags": [],
                "lead": content.lead,
                "text": body,
                "paragraphs": content.paragraphs,
                "pull_quotes": [],
                "images": image,
                "syndicated_from": urls.get(copy_of) if copy_of else None,
                "editors": [],
                "is_article": True,
                "word_count": len(body.split()),
                "content_hash": content_hash(body),
                "entities": content.entities,
                "topics": topics,
                "detected_language": language,
                "duplicate_of": copy_of or None,
                "story_id": story + 1,
                "fingerprint": None,
                "embedding": _embedding(world, plan, story, variant, seed),
                "understood_at": fetched + timedelta(minutes=2),
            }
        )
    return rows


def story_rows(world: World, plan: Plan, seed: int) -> list[dict[str, Any]]:
    """Story rows as ``refresh_story`` leaves them: representative, span, outlets."""
    when = np.where(np.isnan(plan.published), plan.fetched, plan.published)
    first: dict[int, int] = {}
    span: dict[int, list[float]] = {}
    outlets: dict[int, list[str]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    for index in np.argsort(when, kind="stable"):
        story = int(plan.story[index])
        if story not in first and not plan.copy_of[index]:
            first[story] = int(index)
        seconds = float(when[index])
        low_high = span.setdefault(story, [seconds, seconds])
        low_high[0], low_high[1] = min(low_high[0], seconds), max(low_high[1], seconds)
        name = world.outlets[int(plan.outlet[index])].name
        if name not in outlets[story]:
            outlets[story].append(name)
        counts[story] += 1
    rows: list[dict[str, Any]] = []
    for story in range(plan.stories):
        index = first[story]
        title = make_content(world, plan, story, int(plan.variant[index]), seed).title
        rows.append(
            {
                "id": story + 1,
                "title": title,
                "representative_id": index + 1,
                "first_seen": _when(span[story][0]),
                "last_seen": _when(span[story][1]),
                "article_count": counts[story],
                "outlets": outlets[story],
            }
        )
    return rows


# -- readers ---------------------------------------------------------------------------------------


@dataclass
class ReaderTables:
    readers: list[dict[str, Any]] = field(default_factory=list)
    interests: list[dict[str, Any]] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)


def make_readers(size: Size, world: World, plan: Plan, seed: int) -> ReaderTables:
    """Readers with follows by popularity, some mutes and some feedback."""
    rng = random.Random(f"{seed}/readers")
    nrng = np.random.default_rng([seed, 5])
    entity_draws = _sample(nrng, world.entity_p, size.readers, 30)
    source_draws = _sample(nrng, world.outlet_p, size.readers, 4)
    phrase_draws = _sample(nrng, world.phrase_p, size.readers, 1)
    tables = ReaderTables()
    created = NOW - timedelta(days=30)
    sections = sorted(set(SECTIONS.values()))
    for r in range(size.readers):
        reader_id = r + 1
        roll = rng.random()
        language = None if roll < 0.6 else "en" if roll < 0.92 else rng.choice(OTHER_LANGUAGES)
        tables.readers.append(
            {
                "id": reader_id,
                "email": f"reader{reader_id:06d}@readers.example",
                "time_zone": TIME_ZONES[r % len(TIME_ZONES)],
                "schedule": SCHEDULE,
                "max_items": rng.choices((5, 10, 20), weights=(2, 7, 1))[0],
                "language": language,
                "feed_token": f"bench{reader_id:06d}{rng.getrandbits(96):024x}",
                "password_hash": None,
                "created_at": created - timedelta(days=rng.randint(0, 300)),
                "unsubscribed_at": None,
            }
        )
        things: dict[tuple[str, str], tuple[str, str]] = {}  # (kind, key) -> (mode, label)
        wanted = rng.randint(2, 15)
        entities = iter(_firsts(entity_draws[r], 30))
        sources = iter(_firsts(source_draws[r], 4))
        while len(things) < wanted:
            roll = rng.random()
            if roll < 0.7:
                e = next(entities, None)
                if e is None:
                    break
                things[("entity", world.entity_keys[e])] = ("follow", world.entity_names[e])
            elif roll < 0.85:
                key = rng.choice(world.topics)
                things[("topic", key)] = ("follow", TOPIC_WORDS[key][0])
            elif roll < 0.95:
                o = next(sources, None)
                if o is not None:
                    host = world.outlets[o].host
                    things[("source", host)] = ("follow", host)
            else:
                section = rng.choice(sections)
                things[("section", normalise(section))] = ("follow", section)
        if rng.random() < 0.1:
            phrase = world.phrases[int(phrase_draws[r, 0])]
            things[("phrase", phrase_key(phrase))] = ("follow", phrase)
        if rng.random() < 0.2:
            for _ in range(rng.randint(1, 3)):
                roll = rng.random()
                if roll < 0.6:
                    e = int(_sample(nrng, world.entity_p, 1, 1)[0, 0])
                    thing, label = ("entity", world.entity_keys[e]), world.entity_names[e]
                elif roll < 0.8:
                    key = rng.choice(world.topics)
                    thing, label = ("topic", key), TOPIC_WORDS[key][0]
                else:
                    host = rng.choice(world.outlets).host
                    thing, label = ("source", host), host
                things.setdefault(thing, ("mute", label))
        for (kind, key), (mode, label) in things.items():
            tables.interests.append(
                {
                    "id": len(tables.interests) + 1,
                    "reader_id": reader_id,
                    "mode": mode,
                    "kind": kind,
                    "key": key,
                    "label": label,
                    "created_at": created,
                }
            )
        if rng.random() < 0.3:
            for _ in range(rng.randint(1, 20)):
                tables.feedback.append(
                    {
                        "id": len(tables.feedback) + 1,
                        "reader_id": reader_id,
                        "article_id": rng.randint(1, plan.articles),
                        "kind": rng.choices(("opened", "more", "less"), weights=(6, 3, 1))[0],
                        "created_at": NOW - timedelta(minutes=rng.randint(1, 24 * 60)),
                    }
                )
    return tables


# -- writing ---------------------------------------------------------------------------------------


@dataclass
class Corpus:
    articles: int = 0
    stories: int = 0
    single_outlet_stories: int = 0
    copies: int = 0
    outlets: int = 0
    entities: int = 0
    readers: int = 0
    follows: int = 0
    mutes: int = 0
    feedback: int = 0
    database_mb: float = 0.0
    article_seconds: float = 0.0
    reader_seconds: float = 0.0


def _insert(connection: Connection, model: type[Any], rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(model), rows[start : start + CHUNK])


@contextmanager
def _writing(store: Store) -> Iterator[Connection]:
    with store.engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        yield connection


def write_corpus(store: Store, size: Size, seed: int) -> tuple[Corpus, World, Plan]:
    """Bulk-write the articles, stories and readers; nothing goes through ``save_article``."""
    with store.engine.connect() as connection:
        for table in ("articles", "stories", "readers"):
            if connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar():
                raise SystemExit(f"the database must be empty: {table} has rows")
    begin = time.perf_counter()
    world = make_world(size, seed)
    plan = make_plan(size, world, seed)
    with _writing(store) as connection:
        _insert(connection, StoryRow, story_rows(world, plan, seed))
    urls: dict[int, str] = {}
    for first in range(0, plan.articles, CHUNK):
        rows = article_rows(world, plan, first, min(first + CHUNK, plan.articles), seed, urls)
        with _writing(store) as connection:
            _insert(connection, ArticleRow, rows)
    corpus = Corpus(
        articles=plan.articles,
        stories=plan.stories,
        single_outlet_stories=int((np.bincount(plan.story) == 1).sum()),
        copies=int((plan.copy_of > 0).sum()),
        outlets=len(world.outlets),
        entities=len(world.entity_keys),
        article_seconds=time.perf_counter() - begin,
    )
    begin = time.perf_counter()
    tables = make_readers(size, world, plan, seed)
    with _writing(store) as connection:
        _insert(connection, ReaderRow, tables.readers)
        _insert(connection, InterestRow, tables.interests)
        _insert(connection, FeedbackRow, tables.feedback)
        if connection.dialect.name == "postgresql":  # explicit ids: move the sequences on
            for table in ("articles", "stories", "readers", "interests", "feedback"):
                sequence = f"pg_get_serial_sequence('{table}', 'id')"
                connection.execute(
                    text(f"SELECT setval({sequence}, (SELECT MAX(id) FROM {table}))")
                )
    corpus.reader_seconds = time.perf_counter() - begin
    corpus.readers = len(tables.readers)
    corpus.follows = sum(1 for i in tables.interests if i["mode"] == "follow")
    corpus.mutes = len(tables.interests) - corpus.follows
    corpus.feedback = len(tables.feedback)
    database = store.engine.url.database
    if store.engine.dialect.name == "sqlite" and database:
        corpus.database_mb = sum(
            Path(database + suffix).stat().st_size
            for suffix in ("", "-wal")
            if Path(database + suffix).exists()
        ) / (1024 * 1024)
    return corpus, world, plan


# -- the build phase -----------------------------------------------------------------------------


class Steps:
    """Seconds spent in named functions, gathered by wrapping them while a phase runs."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def timed(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        seconds = self.seconds

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            begin = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] += time.perf_counter() - begin

        return wrapper

    def timed_generator(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        seconds = self.seconds

        def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
            inner = function(*args, **kwargs)
            while True:
                begin = time.perf_counter()
                try:
                    item = next(inner)
                except StopIteration:
                    seconds[name] += time.perf_counter() - begin
                    return
                seconds[name] += time.perf_counter() - begin
                yield item

        return wrapper

    @contextmanager
    def watching(
        self, functions: Sequence[tuple[ModuleType | type, str, str]], rows: bool = False
    ) -> Iterator[None]:
        """Time ``(module, function, step)`` while inside; ``rows``: also the pool's reads."""
        saved: list[tuple[ModuleType | type, str, Any]] = []
        try:
            for module, attribute, name in functions:
                saved.append((module, attribute, getattr(module, attribute)))
                setattr(module, attribute, self.timed(name, getattr(module, attribute)))
            if rows:
                saved.append((ArticleRepository, "pool", ArticleRepository.pool))
                timed = self.timed_generator("pool: reading rows", ArticleRepository.pool)
                setattr(ArticleRepository, "pool", timed)  # noqa: B010
            yield
        finally:
            for module, attribute, original in reversed(saved):
                setattr(module, attribute, original)


BUILD_STEPS = (
    (digests_module, "build_pool", "pool"),
    (InterestRepository, "of_readers", "readers"),
    (FeedbackRepository, "of_readers", "readers"),
    (DeliveryRepository, "history", "readers"),
    (digests_module, "feedback_articles", "readers"),
    (digests_module, "build_profile", "profiles"),
    (digests_module, "rank", "ranking"),
    (digests_module, "load_articles", "article loading"),
    (pool_module, "phrases_in", "pool: phrase scan"),
)
SEND_STEPS: tuple[tuple[ModuleType | type, str, str], ...] = (
    (digests_module, "build_pool", "pool"),
    (InterestRepository, "of_readers", "digests"),
    (FeedbackRepository, "of_readers", "digests"),
    *((digests_module, name, "digests") for name in ("feedback_articles", "build_profile",
      "rank", "load_articles")),
    *((DeliveryRepository, name, "ledger") for name in ("claim", "history",
      "mark_sent", "mark_skipped", "mark_failed", "mark_retry", "mark_uncertain")),
    (DeliveryRepository, "mark_sending", "ledger: sending"),
    (runner_module, "compose_digest_email", "render"),
    (runner_module, "send_with_retries", "smtp"),
)  # fmt: skip
"""Where a send's time goes; "ledger: sending" is committed inside "smtp" (before DATA)."""


@dataclass
class Build:
    readers: int = 0
    batches: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    """CPU time of this process over the build (``time.process_time``): steadier than the
    wall clock on a shared machine."""
    items: int = 0
    empty: int = 0
    steps: dict[str, float] = field(default_factory=dict)
    tracemalloc_peak_mb: float = 0.0
    traced_readers: int = 0
    traced_seconds: float = 0.0
    rss_before_mb: float = 0.0
    rss_peak_mb: float = 0.0
    rss_peak_reset: bool = False
    non_empty: list[int] = field(default_factory=list)
    """Ids of the readers whose digest has items (what the send phase must send)."""


def _windows(
    store: Store, due: Sequence[tuple[ReaderRecord, str, datetime]], now: datetime
) -> dict[int, datetime]:
    """Each due reader's window, as ``Deliverer.run_once`` works it out."""
    history = store.deliveries.history([reader.id for reader, _p, _s in due], now - MAX_WINDOW)
    return {
        reader.id: window_start(reader, slot, history.get(reader.id, (set(), None))[1])
        for reader, _period, slot in due
    }


def _batch(
    store: Store,
    batch: Sequence[tuple[ReaderRecord, str, datetime]],
    since: dict[int, datetime],
    pool: Pool,
    now: datetime,
) -> tuple[int, list[int], int]:
    """Build one batch as ``Deliverer._run_batch`` does, over the run's one pool (its builder
    dropped on return): (items, readers with a non-empty digest, readers)."""
    readers = [reader for reader, _period, _slot in batch]
    builder = DigestBuilder(store, readers, {r.id: since[r.id] for r in readers}, now, pool=pool)
    items = 0
    non_empty: list[int] = []
    for reader, period, _slot in batch:
        digest = builder.build(reader, period=period)
        items += len(digest.items)
        if digest.items:
            non_empty.append(reader.id)
    return items, non_empty, len(batch)


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark of this process (Linux: ``clear_refs`` 5)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _rss_mb() -> float:
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure_build(store: Store, settings: Settings, now: datetime, trace: bool = True) -> Build:
    due = Deliverer(store, settings).due(now)
    result = Build(readers=len(due))
    gc.collect()
    result.rss_before_mb = _rss_mb()
    result.rss_peak_reset = _reset_peak_rss()
    steps = Steps()
    begin = time.perf_counter()
    cpu_begin = time.process_time()
    with steps.watching(BUILD_STEPS, rows=True):
        since = _windows(store, due, now)
        readers = [reader for reader, _period, _slot in due]
        pool = digests_module.pool_for(store, readers, min(since.values(), default=now), now)
        for start in range(0, len(due), BATCH):
            batch = due[start : start + BATCH]
            items, non_empty, _count = _batch(store, batch, since, pool, now)
            result.items += items
            result.non_empty += non_empty
            result.batches += 1
    result.seconds = time.perf_counter() - begin
    result.cpu_seconds = time.process_time() - cpu_begin
    result.rss_peak_mb = peak_rss_mb()
    result.empty = result.readers - len(result.non_empty)
    result.steps = dict(steps.seconds)
    if trace and due:
        gc.collect()
        tracemalloc.start()
        begin = time.perf_counter()
        first = due[:BATCH]
        since = _windows(store, first, now)
        readers = [reader for reader, _period, _slot in first]
        pool = digests_module.pool_for(store, readers, min(since.values()), now)
        _batch(store, first, since, pool, now)
        del pool
        result.traced_seconds = time.perf_counter() - begin
        result.tracemalloc_peak_mb = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
        tracemalloc.stop()
        result.traced_readers = min(BATCH, len(due))
    return result


# -- the send phase ------------------------------------------------------------------------------


class SinkHandler:
    """An SMTP server's handler that takes every message and only counts it."""

    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        size = len(envelope.original_content or envelope.content or b"")
        with self._lock:
            self.messages += 1
            self.bytes += size
        return "250 2.0.0 Ok: queued"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def smtp_sink() -> Iterator[tuple[SinkHandler, int]]:
    """An aiosmtpd server on 127.0.0.1 in a thread: (its handler, its port)."""
    handler = SinkHandler()
    port = _free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        ready_timeout=10.0,
        server_hostname="localhost",  # no getfqdn() per connection
    )
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@dataclass
class Send:
    readers: int = 0
    due: int = 0
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    expected: int = 0
    seconds: float = 0.0
    sink_messages: int = 0
    sink_bytes: int = 0
    steps: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.sent == self.expected == self.sink_messages and self.due == self.readers


def measure_send(
    store: Store, settings: Settings, now: datetime, readers: int, non_empty: Sequence[int]
) -> Send:
    """Run the real delivery for readers ``1 .. readers`` (the rest are unsubscribed)."""
    with _writing(store) as connection:
        connection.execute(
            update(ReaderRow).where(ReaderRow.id > readers).values(unsubscribed_at=now)
        )
        active = connection.execute(
            select(func.count()).select_from(ReaderRow).where(ReaderRow.unsubscribed_at.is_(None))
        ).scalar_one()
    result = Send(readers=int(active), expected=sum(1 for r in non_empty if r <= readers))
    with smtp_sink() as (handler, port):
        own = Settings(
            data_dir=settings.data_dir,
            database_url=settings.database_url,
            allow_private_networks=True,
            smtp_url=f"smtp://127.0.0.1:{port}",
            mail_from="handpicked <digest@news.example>",
            base_url="https://news.example",
            secret_key_value="bench-secret",
        )
        steps = Steps()
        begin = time.perf_counter()
        with steps.watching(SEND_STEPS):
            report: DeliveryReport = Deliverer(store, own).run_once(now)
        result.seconds = time.perf_counter() - begin
        result.steps = dict(steps.seconds)
    result.due, result.sent, result.skipped = report.due, report.sent, report.skipped
    result.failed = report.failed + report.retry_later + report.uncertain
    result.sink_messages, result.sink_bytes = handler.messages, handler.bytes
    return result


# -- a run ----------------------------------------------------------------------------------------


@dataclass
class Results:
    size: Size
    seed: int
    database: str
    filesystem: str
    cores: int
    corpus: Corpus
    build: Build
    send: Send
    process_peak_rss_mb: float
    ru_maxrss_mb: float
    when: str
    load: tuple[float, float] = (0.0, 0.0)
    """The 1-minute load average when the run began and when it ended (a shared machine)."""


def _filesystem(path: Path) -> str:
    """The type of the file system ``path`` is on (from /proc/mounts), or "?"."""
    best, kind = "", "?"
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return kind
    resolved = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) > 2 and resolved.startswith(parts[1]) and len(parts[1]) > len(best):
            best, kind = parts[1], parts[2]
    return kind


def run(
    size: Size,
    database_url: str | None = None,
    seed: int = SEED,
    trace: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Results:
    """Write the corpus, build every digest, send some; all in this process."""
    say = progress or (lambda _message: None)
    load_before = _load()
    with tempfile.TemporaryDirectory(prefix="handpicked-bench-digests-") as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'digests.db'}"
        store = open_store(url)
        try:
            say(f"writing {size.articles:,} articles and {size.readers:,} readers")
            corpus, world, plan = write_corpus(store, size, seed)
            del world, plan
            settings = Settings(
                data_dir=Path(folder),
                database_url=url,
                allow_private_networks=True,
                secret_key_value="bench-secret",
            )
            say(f"building {corpus.readers:,} digests")
            build = measure_build(store, settings, NOW, trace=trace)
            say(f"sending {min(size.send_readers, corpus.readers):,} digests")
            send = measure_send(store, settings, NOW, size.send_readers, build.non_empty)
        finally:
            store.close()
        filesystem = _filesystem(Path(folder)) if database_url is None else "-"
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return Results(
        size=size,
        seed=seed,
        database=store.engine.dialect.name,
        filesystem=filesystem,
        cores=os.cpu_count() or 1,
        corpus=corpus,
        build=build,
        send=send,
        process_peak_rss_mb=peak_rss_mb(),
        ru_maxrss_mb=maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024,
        when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        load=(load_before, _load()),
    )


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


# -- the report -----------------------------------------------------------------------------------

STEP_ORDER = (
    ("pool", "pool (`build_pool`, once per run)"),
    ("pool: reading rows", "of which reading the candidate rows"),
    ("pool: phrase scan", "of which the phrase scan (Aho-Corasick)"),
    ("readers", "readers' interests, feedback, history, reacted-to articles"),
    ("profiles", "profiles (`build_profile`)"),
    ("ranking", "ranking (`rank`)"),
    ("article loading", "loading the picked articles (`load_articles`)"),
)


def render(results: Results) -> str:
    c, b, s = results.corpus, results.build, results.send
    database = (
        f"SQLite file on {results.filesystem}" if results.database == "sqlite" else "PostgreSQL"
    )
    per_reader = b.readers / b.seconds if b.seconds else 0.0
    per_message = s.sent / s.seconds if s.seconds else 0.0
    reset = (
        "high-water mark reset before the phase"
        if b.rss_peak_reset
        else "whole process: the mark could not be reset"
    )
    average_kb = s.sink_bytes / s.sink_messages / 1024 if s.sink_messages else 0.0
    lines = [
        "# Digests: building for every reader, sending through SMTP",
        "",
        f"{results.when} UTC, {results.cores} cores (load average {results.load[0]:.1f} at the "
        f"start, {results.load[1]:.1f} at the end), {database}; seed {results.seed}. "
        f"Corpus: {c.articles:,} understood articles in {c.stories:,} stories "
        f"({c.single_outlet_stories:,} with one article, {c.copies:,} syndicated copies) from "
        f"{c.outlets} outlets over 24 h, {c.entities:,} entities; {c.readers:,} readers with "
        f"{c.follows:,} follows, {c.mutes:,} mutes and {c.feedback:,} reactions"
        + (f"; database {c.database_mb:,.0f} MB" if c.database_mb else "")
        + ". Written by `python bench/digests.py`; its docstring has the method.",
        "",
        "| phase | what | seconds | rate | notes |",
        "|---|---|---:|---:|---|",
        f"| write corpus (bulk inserts, for information) | {c.articles:,} articles + "
        f"{c.stories:,} stories | {c.article_seconds:.1f} | "
        f"{c.articles / c.article_seconds:,.0f} articles/s | generation included |",
        f"| write readers | {c.readers:,} readers | {c.reader_seconds:.1f} | "
        f"{c.readers / c.reader_seconds:,.0f} readers/s | interests and feedback included |",
        f"| **build** (one pool, `DigestBuilder` per {BATCH:,} readers) | {b.readers:,} digests "
        f"in {b.batches} batch{'es' if b.batches != 1 else ''} | {b.seconds:.1f} | "
        f"{per_reader:,.0f} readers/s | "
        f"{b.items:,} items picked; {b.empty:,} empty "
        f"({100 * b.empty / max(b.readers, 1):.1f}%); CPU {b.cpu_seconds:.1f} s |",
        f"| **send** (`Deliverer.run_once` to a local SMTP sink) | {s.due:,} due, "
        f"{s.sent:,} sent, {s.skipped:,} empty | {s.seconds:.1f} | "
        f"{per_message:,.1f} messages/s | average message {average_kb:.1f} KB; sent "
        f"{'=' if s.ok else '≠'} non-empty digests of the build ({s.expected:,})"
        f"{'' if s.ok else ' **MISMATCH**'} |",
        "",
        "| memory | MB |",
        "|---|---:|",
        (
            f"| build: tracemalloc peak (one batch of {b.traced_readers:,} readers, traced again "
            f"in {b.traced_seconds:.1f} s) | {b.tracemalloc_peak_mb:,.0f} |"
            if b.traced_readers
            else "| build: tracemalloc peak | not measured (`--no-trace`) |"
        ),
        f"| build: RSS before | {b.rss_before_mb:,.0f} |",
        f"| build: peak RSS ({reset}) | {b.rss_peak_mb:,.0f} |",
        f"| whole run: peak RSS (`ru_maxrss`; includes the corpus writer) "
        f"| {results.ru_maxrss_mb:,.0f} |",
        "",
        "| build step | seconds | share |",
        "|---|---:|---:|",
    ]
    accounted = sum(b.steps.get(k, 0.0) for k in ("pool", "readers", "profiles", "ranking",
                                                  "article loading"))  # fmt: skip
    for key, label in STEP_ORDER:
        seconds = b.steps.get(key, 0.0)
        lines.append(f"| {label} | {seconds:.2f} | {100 * seconds / max(b.seconds, 1e-9):.0f}% |")
    rest = b.seconds - accounted
    lines.append(
        f"| the rest (digest records, suggestions, the loop) | {rest:.2f} | "
        f"{100 * rest / max(b.seconds, 1e-9):.0f}% |"
    )
    lines += ["", "| send step | seconds | share |", "|---|---:|---:|"]
    sending = s.steps.get("ledger: sending", 0.0)
    rows = [
        ("pool (`build_pool`, once per run)", s.steps.get("pool", 0.0)),
        ("digests (readers' records, profiles, ranking, loading)", s.steps.get("digests", 0.0)),
        ("ledger (claims, outcomes and the “sending” commit)",
         s.steps.get("ledger", 0.0) + sending),
        ("render (`compose_digest_email`: Jinja2, css-inline)", s.steps.get("render", 0.0)),
        ("SMTP (`send_with_retries` less the “sending” commit)",
         s.steps.get("smtp", 0.0) - sending),
    ]  # fmt: skip
    rows.append(("the rest (who is due, digest records, suggestions, the loop)",
                 s.seconds - sum(seconds for _label, seconds in rows)))  # fmt: skip
    for label, seconds in rows:
        lines.append(f"| {label} | {seconds:.2f} | {100 * seconds / max(s.seconds, 1e-9):.0f}% |")
    return "\n".join(lines) + "\n"


def to_json(results: Results) -> dict[str, Any]:
    data = asdict(results)
    data["build"].pop("non_empty")
    data["send"]["ok"] = results.send.ok
    data["send"]["messages_per_s"] = (
        results.send.sent / results.send.seconds if results.send.seconds else 0.0
    )
    data["build"]["readers_per_s"] = (
        results.build.readers / results.build.seconds if results.build.seconds else 0.0
    )
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=None, help="default 100,000")
    parser.add_argument("--readers", type=int, default=None, help="default 10,000")
    parser.add_argument(
        "--send-readers", type=int, default=None, help="readers sent to (default 2,000)"
    )
    parser.add_argument("--quick", action="store_true", help="5,000 articles, 500 readers")
    parser.add_argument("--database-url", default=None, help="an empty database (default: "
                        "SQLite in a temporary folder)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument(
        "--results", type=Path, default=None, help=f"default: {RESULTS} for the full run only"
    )
    # bench/all.py passes these to every benchmark; the corpus here is synthetic.
    parser.add_argument("--dataset", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    base = QUICK if args.quick else Size()
    size = Size(
        articles=args.articles or base.articles,
        readers=args.readers or base.readers,
        send_readers=min(args.send_readers or base.send_readers, args.readers or base.readers),
    )
    if min(size.articles, size.readers, size.send_readers) < 1:
        parser.error("sizes must be at least 1")

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    results = run(size, args.database_url, args.seed, trace=not args.no_trace, progress=say)
    markdown = render(results)
    print(markdown)
    full = size == Size() and args.database_url is None and args.seed == SEED
    target = args.results or (RESULTS if full else None)  # README numbers: the full run only
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
        target.with_suffix(".json").write_text(
            json.dumps(to_json(results), indent=2) + "\n", encoding="utf-8"
        )
        print(f"written: {target} and {target.with_suffix('.json').name}", file=sys.stderr)
    if not results.send.ok:
        print(
            f"error: sent {results.send.sent} (sink got {results.send.sink_messages}) of "
            f"{results.send.due} due, expected {results.send.expected}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
