"""Exact and near-duplicate articles: one story syndicated or republished under other chrome,
another headline or light edits is one article to a reader, while distinct articles about the
same event (a "story") are not.

Each body gets a :class:`Fingerprint` (exact key, MinHash signature, sizes); a
:class:`DuplicateIndex` finds earlier fingerprints that share an LSH band and keeps those that
pass :func:`is_duplicate`. Thresholds were tuned on ``bench/syndication.py``; see there.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import eq
from typing import NamedTuple, Protocol, TypeVar
from urllib.parse import urlsplit

from handpicked.understand.shingles import (
    PERMUTATIONS,
    SHINGLE_CHARS,
    SHINGLE_WORDS,
    normalise_body,
    shingle_hashes,
    signature,
    tokens,
)

__all__ = [
    "ArticleLike",
    "DuplicateIndex",
    "Fingerprint",
    "IndexRow",
    "Match",
    "containment",
    "exact_key",
    "fingerprint",
    "is_duplicate",
    "normalise_body",
    "pick_original",
    "similarity",
]

#: Estimated Jaccard of word 5-gram sets at or above which two bodies are one article. Light
#: edits (a word changed per paragraph, other quotes) stay above 0.6; distinct articles on one
#: event share quotes and stock phrases but stay below 0.15.
JACCARD = 0.5
#: Or: this share of the shorter body's shingles lies in the longer one (a copy missing its
#: last paragraph, or with an editor's note) ...
CONTAINMENT = 0.8
#: ... provided the shorter has at least this share of the longer's shingles, so that a stock
#: paragraph is not taken for the whole article. 0.35 rather than 0.5 lets a page whose
#: extraction kept extra blocks (comments, a bio) still meet its copy: recall on the benchmark
#: rose from 0.977 to 0.981 with no new false merge.
LENGTH_RATIO = 0.35
#: Bodies under this many words have too few shingles for a reliable estimate: exact matches,
#: or near-identical ones, only.
SHORT_WORDS = 50
SHORT_JACCARD = 0.9
#: LSH banding: bands x rows = PERMUTATIONS. Two rows per band find pairs down to J = 0.3 with
#: probability 0.997, which containment matches of unequal lengths need.
BANDS = 64
ROWS = 2

_FORMAT = 1
_HEADER = struct.Struct("<BII32s")
_SIGNATURE = struct.Struct(f"<{PERMUTATIONS}I")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What duplicate detection keeps of a body: its exact key, MinHash signature, word count
    (characters / 2 for text without spaces) and number of distinct shingles."""

    signature: tuple[int, ...]
    words: int
    shingles: int
    key: str

    def to_bytes(self) -> bytes:
        """553 bytes, versioned, so the store can persist fingerprints instead of texts."""
        header = _HEADER.pack(_FORMAT, self.words, self.shingles, bytes.fromhex(self.key))
        return header + _SIGNATURE.pack(*self.signature)

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        """Raises ValueError for another format (then recompute from the text)."""
        if len(data) != _HEADER.size + _SIGNATURE.size or data[0] != _FORMAT:
            raise ValueError("not a fingerprint of this format; recompute it from the text")
        _, words, shingles, key = _HEADER.unpack_from(data)
        return cls(_SIGNATURE.unpack_from(data, _HEADER.size), words, shingles, key.hex())


@dataclass(frozen=True, slots=True)
class Match:
    """An earlier article that a body duplicates; ``similarity`` is the estimated Jaccard."""

    article_id: int
    similarity: float
    exact: bool


class IndexRow(NamedTuple):
    """One indexed article in serialisable form."""

    article_id: int
    fingerprint: bytes
    published: datetime | None
    site: str | None


def exact_key(text: str) -> str:
    """sha256 hex of the normalised body. Unlike ``store.content_hash`` it also evens out
    quote and dash styles, which syndicating outlets change freely."""
    return hashlib.sha256(normalise_body(text).encode("utf-8")).hexdigest()


def fingerprint(text: str) -> Fingerprint:
    """The fingerprint of an article body (plain text, paragraphs in any layout)."""
    normalised = normalise_body(text)
    items, by_char = tokens(normalised)
    if by_char:
        hashes = shingle_hashes(items, SHINGLE_CHARS, "")
        words = len(items) // 2
    else:
        hashes = shingle_hashes(items, SHINGLE_WORDS, " ")
        words = len(items)
    key = hashlib.sha256(normalised.encode("utf-8")).hexdigest()
    return Fingerprint(signature(hashes), words, len(hashes), key)


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard similarity of the two bodies' shingle sets (1.0 for equal keys)."""
    if a.key == b.key:
        return 1.0
    return _agreement(a.signature, b.signature)


def containment(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated share of the smaller body's shingles found in the larger one."""
    if a.key == b.key:
        return 1.0
    return _containment(_agreement(a.signature, b.signature), a.shingles, b.shingles)


def is_duplicate(a: Fingerprint, b: Fingerprint) -> bool:
    """Whether two bodies are one article, by the thresholds above."""
    return _verdict(a.signature, a, b.signature, b) is not None


class DuplicateIndex:
    """In-memory, incremental near-duplicate index (exact keys plus MinHash LSH banding).

    Memory is about 4.3 KB per article (bucket entries and the signature), so a desk of
    100,000 articles needs some 430 MB; the store persists :meth:`to_rows` and reloads with
    :meth:`from_rows` instead of recomputing fingerprints.
    """

    def __init__(self, *, bands: int = BANDS, rows: int = ROWS) -> None:
        if bands * rows > PERMUTATIONS or bands < 1 or rows < 1:
            raise ValueError(f"bands x rows must be at most {PERMUTATIONS}")
        self._bands = bands
        self._rows = rows
        self._entries: dict[int, _Entry] = {}
        self._exact: dict[str, int] = {}
        self._buckets: dict[int, int | list[int]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    def add(
        self,
        article_id: int,
        fp: Fingerprint,
        *,
        published: datetime | None = None,
        site: str | None = None,
    ) -> Match | None:
        """The best earlier match (exact first, then highest similarity, then lowest id), or
        None for a new article; then ``fp`` is indexed under ``article_id`` (replacing any
        earlier fingerprint of that id)."""
        if article_id in self._entries:
            self.discard(article_id)
        matches = self.query(fp)
        self.insert(article_id, fp, published, site)
        return matches[0] if matches else None

    def query(self, fp: Fingerprint) -> list[Match]:
        """Every indexed article that ``fp`` duplicates, best first; the index is unchanged."""
        if not fp.shingles:
            return []
        candidates: set[int] = set()
        for bucket in self._band_keys(fp.signature):
            held = self._buckets.get(bucket)
            if held is None:
                continue
            if isinstance(held, int):
                candidates.add(held)
            else:
                candidates.update(held)
        exact = self._exact.get(fp.key)
        if exact is not None:
            candidates.add(exact)
        matches = []
        for article_id in candidates:
            other = self._entries[article_id].fp
            score = _verdict(fp.signature, fp, other.signature, other)
            if score is not None:
                matches.append(Match(article_id, score, fp.key == other.key))
        matches.sort(key=lambda m: (not m.exact, -m.similarity, m.article_id))
        return matches

    def discard(self, article_id: int) -> None:
        """Forget an article (deleted from the store); unknown ids are ignored."""
        entry = self._entries.pop(article_id, None)
        if entry is None:
            return
        if self._exact.get(entry.fp.key) == article_id:
            del self._exact[entry.fp.key]
            for other_id, other in self._entries.items():  # another with the key takes over
                if other.fp.key == entry.fp.key:
                    self._exact[entry.fp.key] = other_id
                    break
        for bucket in self._band_keys(entry.fp.signature):
            held = self._buckets.get(bucket)
            if held == article_id:
                del self._buckets[bucket]
            elif isinstance(held, list) and article_id in held:
                held.remove(article_id)
                if len(held) == 1:
                    self._buckets[bucket] = held[0]

    def to_rows(self) -> list[IndexRow]:
        """The index as rows, in insertion order, for the store to persist."""
        return [
            IndexRow(article_id, entry.fp.to_bytes(), entry.published, entry.site)
            for article_id, entry in self._entries.items()
        ]

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[tuple[int, bytes, datetime | None, str | None]],
        *,
        bands: int = BANDS,
        rows_per_band: int = ROWS,
    ) -> DuplicateIndex:
        """An index rebuilt from :meth:`to_rows` output (insertion order is kept)."""
        index = cls(bands=bands, rows=rows_per_band)
        for article_id, data, published, site in rows:
            index.insert(article_id, Fingerprint.from_bytes(data), published, site)
        return index

    def insert(
        self,
        article_id: int,
        fp: Fingerprint,
        published: datetime | None = None,
        site: str | None = None,
    ) -> None:
        """Index without matching: for reloading rows that were matched when first added."""
        self._entries[article_id] = _Entry(fp, published, site)
        if fp.shingles:
            self._exact.setdefault(fp.key, article_id)
        for bucket in self._band_keys(fp.signature):
            held = self._buckets.get(bucket)
            if held is None:
                self._buckets[bucket] = article_id
            elif isinstance(held, int):
                self._buckets[bucket] = [held, article_id]
            else:
                held.append(article_id)

    def _band_keys(self, sig: tuple[int, ...]) -> Iterator[int]:
        rows = self._rows
        for band in range(self._bands):
            start = band * rows
            yield hash((band, *sig[start : start + rows]))

    def ids(self) -> list[int]:
        """Indexed article ids, in insertion order."""
        return list(self._entries)


@dataclass(slots=True)
class _Entry:
    fp: Fingerprint
    published: datetime | None
    site: str | None


def _agreement(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    agree: int = sum(map(eq, a, b))  # map(eq) runs in C: some 3 µs for 128 bins
    return agree / PERMUTATIONS


def _containment(jaccard: float, size_a: int, size_b: int) -> float:
    smaller = min(size_a, size_b)
    if not smaller:
        return 0.0
    shared = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(shared / smaller, 1.0)


def _verdict(
    sig_a: tuple[int, ...], a: Fingerprint, sig_b: tuple[int, ...], b: Fingerprint
) -> float | None:
    """The estimated Jaccard when the two are one article, else None. Empty bodies never
    match, not even each other: they are pages without an article, not copies."""
    if not a.shingles or not b.shingles:
        return None
    if a.key == b.key:
        return 1.0
    jaccard = _agreement(sig_a, sig_b)
    if min(a.words, b.words) < SHORT_WORDS:
        return jaccard if jaccard >= SHORT_JACCARD else None
    if jaccard >= JACCARD:
        return jaccard
    small, large = sorted((a.shingles, b.shingles))
    if small >= LENGTH_RATIO * large and _containment(jaccard, small, large) >= CONTAINMENT:
        return jaccard
    return None


class ArticleLike(Protocol):
    """What :func:`pick_original` reads: ``Article`` and ``StoredArticle`` both qualify."""

    @property
    def site_name(self) -> str | None: ...
    @property
    def syndicated_from(self) -> str | None: ...
    @property
    def published(self) -> datetime | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def canonical_url(self) -> str | None: ...


_A = TypeVar("_A", bound=ArticleLike)
_NON_ALNUM = re.compile(r"[\W_]+")
_NAME_WORD = re.compile(r"[^\W_]+")
_SKIP_WORDS = frozenset("the of and a an for".split())
_HOST_NOISE = frozenset("www www2 m amp news com co org net ac gov edu".split())
#: Names too generic to match on containment alone ("Times" is in many papers' names).
_GENERIC = frozenset(
    "news daily times post herald journal press tribune today world media global report".split()
)


def pick_original(a: _A, b: _A) -> _A:
    """Which of two duplicates is the original: the one that the other credits in
    ``syndicated_from`` (names compared loosely: "Jewish News Syndicate" matches a site named
    so, or the host jns.example), else the earlier ``published``, else the lower ``id`` (when
    the articles have ids), else ``a``."""
    a_credits_b = _credits(a.syndicated_from, b)
    b_credits_a = _credits(b.syndicated_from, a)
    if b_credits_a != a_credits_b:
        return a if b_credits_a else b
    if a.published is not None and b.published is not None:
        first, second = _aware(a.published), _aware(b.published)
        if first != second:
            return a if first < second else b
    a_id, b_id = getattr(a, "id", None), getattr(b, "id", None)
    if isinstance(a_id, int) and isinstance(b_id, int) and a_id != b_id:
        return a if a_id < b_id else b
    return a


def _aware(moment: datetime) -> datetime:
    """Naive datetimes are read as UTC, so that they compare with aware ones."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _credits(credit: str | None, article: ArticleLike) -> bool:
    """Whether a syndication credit names ``article``'s outlet (by name or by host)."""
    if not credit or not credit.strip():
        return False
    said = _forms(credit)
    known = _forms(article.site_name or "")
    for url in (article.url, article.canonical_url):
        known |= _host_forms(url)
    return any(_same_name(x, y) for x in said for y in known)


def _same_name(x: str, y: str) -> bool:
    if x == y:
        return True
    short, long = sorted((x, y), key=len)
    return len(short) >= 6 and short not in _GENERIC and short in long


def _forms(name: str) -> set[str]:
    """A name as a compact string, its initials, and (for a URL or host) its host labels."""
    name = name.strip()
    if not name:
        return set()
    if "/" in name or ("." in name and " " not in name):
        hosts = _host_forms(name if "//" in name else f"//{name}")
        if hosts:
            return hosts
    words = [w.casefold() for w in _NAME_WORD.findall(name)]
    kept = [w for w in words if w not in _SKIP_WORDS] or words
    forms = {"".join(kept)}
    if len(kept) >= 2:
        forms.add("".join(w[0] for w in kept))
        forms.add("".join(w[0] for w in words))
    return {f for f in forms if f}


def _host_forms(url: str | None) -> set[str]:
    """The telling labels of a URL's host: jns.example gives "jns" and "jnsexample"."""
    if not url:
        return set()
    try:
        host = (urlsplit(url).hostname or "").casefold()
    except ValueError:
        return set()
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2:
        return set()
    telling = {label for label in labels[:-1] if label not in _HOST_NOISE}
    telling.add(_NON_ALNUM.sub("", ".".join(labels[-2:])))
    return telling
