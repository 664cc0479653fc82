"""Understanding stored articles, incrementally: language, entities, topics, duplicates and
stories, written back to the store.

The duplicate and story indexes live in memory and are rebuilt from the store when the
pipeline starts, so an article is understood once, whenever it arrived and whatever
stopped in between. Each article's findings are saved in one transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from handpicked.store import Findings, Store, StoredArticle
from handpicked.understand.duplicates import (
    DuplicateIndex,
    Fingerprint,
    fingerprint,
    pick_original,
)
from handpicked.understand.embeddings import Embedder, story_text
from handpicked.understand.entities import Entity, extract_entities
from handpicked.understand.language import detect_language
from handpicked.understand.stories import StoryIndex
from handpicked.understand.threads import HORIZON, LEAD_CHARS, ThreadIndex, names_of
from handpicked.understand.topics import extract_topics

BATCH = 32
BULK_BATCH = 256
STORY_WINDOW = timedelta(hours=72)


@dataclass(slots=True)
class UnderstandReport:
    """What one pass did."""

    articles: int = 0
    duplicates: int = 0
    new_stories: int = 0
    joined_stories: int = 0
    threaded_stories: int = 0
    """New stories found to continue an older one past the window."""


@dataclass(frozen=True, slots=True)
class Analysis:
    """What can be found of one article on its own, anywhere (it pickles to a Dask worker and
    back): everything but its duplicate and its story, which need the indexes."""

    language: str | None
    entities: list[dict[str, Any]]
    topics: list[dict[str, Any]]
    fingerprint: bytes
    embedding: bytes


def analyse_batch(batch: Sequence[StoredArticle], embedder: Embedder) -> list[Analysis]:
    """Language, entities, topics, fingerprint and embedding of each article."""
    vectors = embedder.embed([story_text(a.title, a.text) for a in batch])
    analyses = []
    for stored, vector in zip(batch, vectors, strict=True):
        article = stored.article
        analyses.append(
            Analysis(
                language=detect_language(
                    f"{article.title or ''}\n{article.text}", article.language
                ),
                entities=[_entity_dict(e) for e in extract_entities(article)],
                topics=[
                    {"key": t.key, "label": t.label, "score": round(t.score, 3)}
                    for t in extract_topics(article)
                ],
                fingerprint=fingerprint(article.text).to_bytes(),
                embedding=np.asarray(vector, dtype=np.float32).tobytes(),
            )
        )
    return analyses


_WORKER_EMBEDDER: Embedder | None = None


def _analyse_on_worker(batch: Sequence[StoredArticle]) -> list[Analysis]:
    """Runs on a Dask worker: one embedding model per worker process, loaded on first use."""
    global _WORKER_EMBEDDER
    if _WORKER_EMBEDDER is None:
        _WORKER_EMBEDDER = Embedder()
    return analyse_batch(batch, _WORKER_EMBEDDER)


def understand_on_dask(
    store: Store,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    on_article: Callable[[int], None] | None = None,
) -> UnderstandReport:
    """The bulk job: the per-article work of the backlog spread over a Dask cluster (a local
    one on all cores by default, or ``scheduler="tcp://HOST:PORT"``), matched here in order."""
    from handpicked.bulk.job import dask_client

    with dask_client(scheduler, workers) as client:
        threads = max(1, sum(client.nthreads().values()))

        def analyse(batch: Sequence[StoredArticle]) -> list[Analysis]:
            chunk = max(1, -(-len(batch) // threads))
            parts = [list(batch[i : i + chunk]) for i in range(0, len(batch), chunk)]
            futures = client.map(_analyse_on_worker, parts, pure=False)
            return [item for part in client.gather(futures) for item in part]

        # The driver's own embedder loads its model on first use only: here, never.
        return Understander(store).run(on_article=on_article, analyse=analyse)


class Understander:
    """Holds the indexes for one process; call :meth:`run` after new articles are stored."""

    def __init__(self, store: Store, embedder: Embedder | None = None) -> None:
        self.store = store
        self.embedder = embedder or Embedder()
        self.duplicates = DuplicateIndex()
        self.stories = StoryIndex(window=STORY_WINDOW)
        self.threads = ThreadIndex(window=STORY_WINDOW)
        self._loaded = False

    def _load(self) -> None:
        """Rebuild the indexes from what earlier runs stored; the stories still open (within
        the window of the newest article) get their articles' text back, for their marks."""
        items = self.store.stories.indexed()
        texts = self.store.stories.texts(items[-1].when - STORY_WINDOW) if items else {}
        threaded_since = items[-1].when - HORIZON - STORY_WINDOW if items else None
        links = self.store.threads.links() if items else {}
        leads = self.store.threads.leads(threaded_since, LEAD_CHARS) if threaded_since else {}
        for item in items:
            if item.fingerprint:
                # An older fingerprint format raises: that article is simply not matched.
                with contextlib.suppress(ValueError):
                    self.duplicates.insert(item.id, Fingerprint.from_bytes(item.fingerprint))
            if item.embedding and item.story_id is not None:
                self.stories.restore(
                    item.id,
                    story_id=item.story_id,
                    embedding=np.frombuffer(item.embedding, dtype=np.float32),
                    title=item.title,
                    entities=item.entity_keys,
                    published=item.when,
                    site=item.site_name,
                    text=texts.get(item.id),
                )
                if threaded_since is not None and item.when >= threaded_since:
                    continues, thread = links.get(item.story_id, (None, None))
                    names = names_of(item.title, leads.get(item.id), item.entity_keys)
                    self.threads.restore(item.story_id, names, item.when, continues, thread)
        self._loaded = True

    def run(
        self,
        limit: int | None = None,
        on_article: Callable[[int], None] | None = None,
        analyse: Callable[[Sequence[StoredArticle]], list[Analysis]] | None = None,
    ) -> UnderstandReport:
        """Understand every stored article not yet understood (at most ``limit``).

        ``analyse`` does the per-article work on a batch (default: here, in this process);
        :func:`understand_on_dask` passes one that spreads it over a Dask cluster. Matching
        against the indexes always happens here, in order, one article at a time."""
        if not self._loaded:
            self._load()
        size = BATCH if analyse is None else BULK_BATCH
        analyse = analyse or self._analyse_here
        report = UnderstandReport()
        while limit is None or report.articles < limit:
            batch = self.store.articles.to_understand(
                size if limit is None else min(size, limit - report.articles)
            )
            if not batch:
                break
            for stored, analysis in zip(batch, analyse(batch), strict=True):
                self._assign(stored, analysis, report)
                if on_article is not None:
                    on_article(stored.id)
        return report

    def _analyse_here(self, batch: Sequence[StoredArticle]) -> list[Analysis]:
        return analyse_batch(batch, self.embedder)

    def _assign(self, stored: StoredArticle, analysis: Analysis, report: UnderstandReport) -> None:
        """Match one analysed article against the indexes and store what it is."""
        article = stored.article
        when = stored.published or stored.fetched_at
        fp = Fingerprint.from_bytes(analysis.fingerprint)
        vector = np.frombuffer(analysis.embedding, dtype=np.float32)
        duplicate_of = self._duplicate_of(stored, fp)
        if duplicate_of is not None and duplicate_of in self.stories:
            story_id = self.stories.join(stored.id, duplicate_of, embedding=vector, published=when,
                                         site=stored.site_name)  # fmt: skip
            report.duplicates += 1
        else:
            assignment = self.stories.add(
                stored.id, embedding=vector, title=article.title,
                entities=[str(e["key"]) for e in analysis.entities],
                published=when, site=stored.site_name,
                new_story_id=lambda: self.store.stories.new(article.title, when), text=article.text,
            )  # fmt: skip
            story_id = assignment.story_id
            if assignment.is_new:
                report.new_stories += 1
            else:
                report.joined_stories += 1
            if duplicate_of is not None:
                report.duplicates += 1
        findings = Findings(
            entities=analysis.entities,
            topics=analysis.topics,
            language=analysis.language,
            duplicate_of=duplicate_of,
            story_id=story_id,
            fingerprint=analysis.fingerprint,
            embedding=analysis.embedding,
        )
        self.store.stories.save_findings(stored.id, findings, datetime.now(UTC))
        self.store.stories.refresh(story_id)
        if self._thread(story_id, article.title, article.text, analysis, when):
            report.threaded_stories += 1
        report.articles += 1

    def _thread(
        self, story_id: int, title: str | None, text: str, analysis: Analysis, when: datetime
    ) -> bool:
        """Count the article into its story's thread profile, and link a young story to the
        older one it continues, if any (True when it did)."""
        keys = [str(e["key"]) for e in analysis.entities]
        link = self.threads.add(story_id, names_of(title, text, keys), when)
        if link is None:
            return False
        self.store.threads.link(link.story_id, link.continues, link.thread)
        return True

    def _duplicate_of(self, stored: StoredArticle, fp: Fingerprint) -> int | None:
        """The original this article copies (None when it is new). When the earlier article
        turns out to be the copy (it credits this one), it is the other way round: this one is
        the original, and the earlier one is re-pointed at it."""
        match = self.duplicates.add(stored.id, fp, published=stored.published,
                                    site=stored.site_name)  # fmt: skip
        if match is None:
            return None
        earlier = self.store.articles.get(match.article_id)
        if earlier is None:
            return None
        original = pick_original(earlier, stored)
        if original is stored:
            self.store.stories.mark_duplicate(earlier.id, stored.id)
            return None
        return earlier.duplicate_of or earlier.id


def _entity_dict(entity: Entity) -> dict[str, object]:
    return {
        "name": entity.name,
        "kind": entity.kind,
        "key": entity.key,
        "aliases": list(entity.aliases),
        "mentions": entity.mentions,
    }
