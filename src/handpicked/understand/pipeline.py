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

import numpy as np

from handpicked.store import Store, StoredArticle
from handpicked.store.understanding import (
    Findings,
    articles_to_understand,
    indexed_articles,
    new_story,
    refresh_story,
    save_findings,
)
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
from handpicked.understand.topics import extract_topics

BATCH = 32
STORY_WINDOW = timedelta(hours=72)


@dataclass(slots=True)
class UnderstandReport:
    """What one pass did."""

    articles: int = 0
    duplicates: int = 0
    new_stories: int = 0
    joined_stories: int = 0


class Understander:
    """Holds the indexes for one process; call :meth:`run` after new articles are stored."""

    def __init__(self, store: Store, embedder: Embedder | None = None) -> None:
        self.store = store
        self.embedder = embedder or Embedder()
        self.duplicates = DuplicateIndex()
        self.stories = StoryIndex(window=STORY_WINDOW)
        self._articles: dict[int, StoredArticle] = {}
        self._loaded = False

    def _load(self) -> None:
        """Rebuild the indexes from what earlier runs stored."""
        for item in indexed_articles(self.store):
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
                )
        self._loaded = True

    def run(
        self, limit: int | None = None, on_article: Callable[[int], None] | None = None
    ) -> UnderstandReport:
        """Understand every stored article not yet understood (at most ``limit``)."""
        if not self._loaded:
            self._load()
        report = UnderstandReport()
        while limit is None or report.articles < limit:
            size = BATCH if limit is None else min(BATCH, limit - report.articles)
            batch = articles_to_understand(self.store, size)
            if not batch:
                break
            self._understand_batch(batch, report)
            if on_article is not None:
                for stored in batch:
                    on_article(stored.id)
        return report

    def _understand_batch(self, batch: Sequence[StoredArticle], report: UnderstandReport) -> None:
        vectors = self.embedder.embed([story_text(a.title, a.text) for a in batch])
        for stored, vector in zip(batch, vectors, strict=True):
            self._understand(stored, np.asarray(vector, dtype=np.float32), report)

    def _understand(
        self, stored: StoredArticle, vector: np.ndarray, report: UnderstandReport
    ) -> None:
        article = stored.article
        now = datetime.now(UTC)
        when = stored.published or stored.fetched_at
        language = detect_language(f"{article.title or ''}\n{article.text}", article.language)
        entities = extract_entities(article)
        topics = extract_topics(article)
        fp = fingerprint(article.text)
        duplicate_of = self._duplicate_of(stored, fp)
        entity_keys = [entity.key for entity in entities]
        if duplicate_of is not None and duplicate_of in self.stories:
            story_id = self.stories.join(stored.id, duplicate_of, embedding=vector, published=when,
                                         site=stored.site_name)  # fmt: skip
            report.duplicates += 1
        else:
            assignment = self.stories.add(
                stored.id, embedding=vector, title=article.title, entities=entity_keys,
                published=when, site=stored.site_name,
                new_story_id=lambda: new_story(self.store, article.title, when),
            )  # fmt: skip
            story_id = assignment.story_id
            if assignment.is_new:
                report.new_stories += 1
            else:
                report.joined_stories += 1
            if duplicate_of is not None:
                report.duplicates += 1
        findings = Findings(
            entities=[_entity_dict(e) for e in entities],
            topics=[{"key": t.key, "label": t.label, "score": round(t.score, 3)} for t in topics],
            language=language,
            duplicate_of=duplicate_of,
            story_id=story_id,
            fingerprint=fp.to_bytes(),
            embedding=vector.astype(np.float32).tobytes(),
        )
        save_findings(self.store, stored.id, findings, now)
        refresh_story(self.store, story_id)
        self._articles[stored.id] = stored
        report.articles += 1

    def _duplicate_of(self, stored: StoredArticle, fp: Fingerprint) -> int | None:
        """The original this article copies (None when it is new). When the earlier article
        turns out to be the copy (it credits this one), it is the other way round: this one is
        the original, and the earlier one is re-pointed at it."""
        match = self.duplicates.add(stored.id, fp, published=stored.published,
                                    site=stored.site_name)  # fmt: skip
        if match is None:
            return None
        earlier = self._articles.get(match.article_id) or self.store.get_article(match.article_id)
        if earlier is None:
            return None
        original = pick_original(earlier, stored)
        if original is stored:
            repoint_duplicate(self.store, earlier.id, stored.id)
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


def repoint_duplicate(store: Store, copy_id: int, original_id: int) -> None:
    """Mark ``copy_id`` as a copy of ``original_id`` (found to be the original afterwards)."""
    from sqlalchemy import update

    from handpicked.store.models import ArticleRow

    with store._write() as session:
        session.execute(
            update(ArticleRow).where(ArticleRow.id == copy_id).values(duplicate_of=original_id)
        )
