"""A small newsroom for picking tests: understood articles with the entities, topics,
stories and embeddings that the understanding stage would have stored."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from handpicked.article import Article, Image
from handpicked.desk import readers as service
from handpicked.store import ReaderRecord, Store, open_store
from handpicked.store.model import Findings
from handpicked.understand.aliases import canonical_key

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


def vector(seed: int, near: np.ndarray | None = None, noise: float = 1.0) -> np.ndarray:
    """A unit embedding; ``near`` gives one close to another (cosine about 0.9 at 0.3)."""
    rng = np.random.default_rng(seed)
    v = rng.normal(size=384).astype(np.float32)
    if near is not None:
        v = near / np.linalg.norm(near) + noise * v / np.linalg.norm(v) / 2
    return (v / np.linalg.norm(v)).astype(np.float32)


def _entity(name: str, kind: str) -> dict[str, object]:
    return {"name": name, "kind": kind, "key": canonical_key(name, kind), "mentions": 2}


@dataclass
class Newsroom:
    store: Store
    now: datetime = NOW
    stories: dict[str, int] = field(default_factory=dict)
    _count: int = 0

    def article(
        self,
        title: str,
        site: str = "Daily Ledger",
        *,
        host: str | None = None,
        entities: Sequence[tuple[str, str]] = (),
        topics: Sequence[str] = (),
        story: str | None = None,
        hours_ago: float = 1.0,
        text: str = "",
        section: str | None = None,
        language: str = "en",
        embedding: np.ndarray | None = None,
        duplicate_of: int | None = None,
        images: Sequence[Image] = (),
        source_id: int | None = None,
    ) -> int:
        """Store one understood article; articles naming the same ``story`` share a story."""
        self._count += 1
        host = host or site.lower().replace(" ", "") + ".example"
        when = self.now - timedelta(hours=hours_ago)
        body = text or f"{title}. " + "Plain words about the news of the day. " * 30
        article = Article(
            url=f"https://{host}/news/{self._count}",
            canonical_url=f"https://{host}/news/{self._count}",
            title=title,
            site_name=site,
            published=when,
            section=section,
            language=language,
            lead=f"The lead of {title}.",
            paragraphs=[p for p in body.split("\n\n") if p.strip()],
            images=list(images),
            is_article=True,
        )
        article_id, _new = self.store.articles.save(article, source_id=source_id, now=when)
        key = story or f"story-{self._count}"
        if key not in self.stories:
            self.stories[key] = self.store.stories.new(title, when)
        findings = Findings(
            entities=[_entity(name, kind) for name, kind in entities],
            topics=[{"key": t, "label": t.title(), "score": 1.0} for t in topics],
            language=language,
            duplicate_of=duplicate_of,
            story_id=self.stories[key],
            fingerprint=b"",
            embedding=(embedding if embedding is not None else vector(self._count)).tobytes(),
        )
        self.store.stories.save_findings(article_id, findings, when)
        self.store.stories.refresh(self.stories[key])
        return article_id

    def reader(self, email: str = "ann@example.com", **settings: Any) -> ReaderRecord:
        created = self.now - timedelta(days=30)
        return service.add_reader(self.store, email, created, **settings)

    def follow(self, reader: ReaderRecord, *things: str, mode: str = "follow") -> None:
        for thing in things:
            service.set_interest(self.store, reader, thing, mode, self.now)


@pytest.fixture
def newsroom(tmp_path: Path) -> Iterator[Newsroom]:
    store = open_store(f"sqlite:///{tmp_path / 'news.db'}")
    try:
        yield Newsroom(store)
    finally:
        store.close()
