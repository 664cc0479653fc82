"""Whether a sentence retells, in other words, what a reader was already sent.

A story's later articles mostly tell its first facts again: another outlet's wording, an older
or differently rounded count, the same quote's gist in someone's mouth. Figures and shared
words catch only the retellings that reuse them; this reads meaning. Each candidate sentence is
compared with every sentence the reader was sent, as MiniLM sentence embeddings (the encoder
the desk already ships, :mod:`handpicked.understand.embeddings`): one closer than
:data:`RETOLD_SIMILARITY` to a sent sentence says the same thing.

Measured on the hand-labelled follow-ups of ``bench/followups`` (see its README): wrong facts
sit nearer their closest sent sentence (mean cosine 0.59) than right ones (0.51); together with
the share of words never sent (``developments.new_word_share``) the check moved precision on
the labelled rounds from about 0.80 to about 0.90, at the price of about a third of the right
facts.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from handpicked.understand.embeddings import DIMENSIONS, Embedder, Matrix

RETOLD_SIMILARITY = 0.55
"""Cosine (MiniLM, up to 64 word pieces) from which a sentence retells a sent one."""
SENTENCE_TOKENS = 64
"""Word pieces read of a sentence: nearly every news sentence fits."""
_CACHED_SENTENCES = 20_000
"""Sentence vectors kept (1.5 KB each, about 30 MB in all): a story's sentences are compared
for every reader who was sent it, and again as each later article arrives."""


class SentenceVectors:
    """Sentence embeddings, computed once per sentence text and kept (least recently used go
    first); the model loads on first use and is shared by every instance."""

    def __init__(self, embedder: Embedder | None = None, cached: int = _CACHED_SENTENCES) -> None:
        self._embedder = embedder or Embedder(max_tokens=SENTENCE_TOKENS)
        self._cached = cached
        self._vectors: OrderedDict[str, Matrix] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, texts: Sequence[str]) -> Matrix:
        """An (n, 384) array of unit vectors, one row per text, in order."""
        with self._lock:
            found = {t: self._vectors[t] for t in texts if t in self._vectors}
            for text in found:
                self._vectors.move_to_end(text)
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            found.update(zip(missing, self._embedder.embed(missing), strict=True))
            with self._lock:
                self._vectors.update((t, found[t]) for t in missing)
                while len(self._vectors) > self._cached:
                    self._vectors.popitem(last=False)
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([found[t] for t in texts])


_SHARED: SentenceVectors | None = None
_SHARED_LOCK = threading.Lock()


def shared_vectors() -> SentenceVectors:
    """The process's sentence vectors (one model, one cache)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = SentenceVectors()
        return _SHARED


def closeness(
    candidates: Sequence[str], sent: Sequence[str], vectors: SentenceVectors | None = None
) -> list[float]:
    """For each candidate sentence, its cosine to the closest sentence the reader was sent
    (0.0 when nothing was sent)."""
    if not candidates:
        return []
    if not sent:
        return [0.0] * len(candidates)
    vectors = vectors or shared_vectors()
    similarity = vectors.of(candidates) @ vectors.of(sent).T
    return [float(v) for v in similarity.max(axis=1)]


def retold(
    candidates: Sequence[str], sent: Sequence[str], vectors: SentenceVectors | None = None
) -> list[bool]:
    """Whether each candidate says what one of the sent sentences said, in other words."""
    return [c >= RETOLD_SIMILARITY for c in closeness(candidates, sent, vectors)]
