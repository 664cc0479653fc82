"""Text to shingles to a MinHash signature: the part of duplicate detection that reads text.

Bodies are normalised first, so that copies differing only in Unicode forms, case, quote or
dash style or spacing read alike. Shingles are word 5-grams; text written with few spaces
(Chinese, Japanese, Thai) uses character 5-grams instead, since a "word" there is a sentence.

The signature is one-permutation MinHash with optimal densification (Shrivastava, 2017): each
shingle is hashed once with 8-byte BLAKE2b, its low bits pick one of ``PERMUTATIONS`` bins and
each bin keeps its smallest hash. That costs one hash per shingle instead of one per shingle
and permutation, which is what makes pure Python fast enough, and the chance that two
signatures agree in a bin is still the Jaccard similarity of the two shingle sets.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Sequence

#: Bins in a signature: the estimate's standard error is about sqrt(J(1-J)/128) <= 0.045.
PERMUTATIONS = 128
#: Words (or characters, for text without spaces) per shingle.
SHINGLE_WORDS = 5
SHINGLE_CHARS = 5
#: Below this many spaces per character a text is read as characters (Chinese, Japanese, Thai);
#: English has about 0.17, German 0.13, Korean 0.25, Japanese close to 0.
SPACE_RATIO = 0.05
#: The value of a bin that no shingle reached (only for texts with no shingles at all).
EMPTY = 0xFFFFFFFF

_BIN_BITS = PERMUTATIONS.bit_length() - 1
_BIN_MASK = PERMUTATIONS - 1
_VALUE_MASK = 0xFFFFFFFF
_SEED = 0x68616E64  # "hand": fixed, since stored signatures must stay comparable
_PROBES = 64

_QUOTES = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−⸺⸻", "-"),
        "…": "...",
    }
)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_DASH_RUN = re.compile(r"-{2,}")


def normalise_body(text: str) -> str:
    """NFKC, casefolded, one style of quote and dash, single spaces: what copies share."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)
    text = _DASH_RUN.sub("-", text)
    return _SPACE.sub(" ", text).strip()


def tokens(normalised: str) -> tuple[list[str], bool]:
    """Words of a normalised text, or its characters when it has few spaces; and whether the
    characters were taken. Punctuation never counts, so "don't"/"don’t" or a dash style agree."""
    letters = sum(1 for char in normalised if not char.isspace())
    if letters and normalised.count(" ") / letters < SPACE_RATIO:
        return [char for char in normalised if char.isalnum()], True
    return _WORD.findall(normalised), False


def shingle_hashes(items: Sequence[str], size: int, joiner: str) -> set[int]:
    """64-bit BLAKE2b hashes of every run of ``size`` items (one run when there are fewer)."""
    if not items:
        return set()
    count = max(len(items) - size + 1, 1)
    blake = hashlib.blake2b
    return {
        int.from_bytes(blake(joiner.join(items[i : i + size]).encode(), digest_size=8).digest())
        for i in range(count)
    }


def signature(hashes: set[int]) -> tuple[int, ...]:
    """One-permutation MinHash of a set of 64-bit hashes, densified so no bin stays empty."""
    bins = [-1] * PERMUTATIONS
    for value in hashes:
        slot = value & _BIN_MASK
        rest = value >> _BIN_BITS
        current = bins[slot]
        if current < 0 or rest < current:
            bins[slot] = rest
    if not hashes:
        return (EMPTY,) * PERMUTATIONS
    filled = [b & _VALUE_MASK if b >= 0 else -1 for b in bins]
    if -1 in filled:
        filled = _densify(filled)
    return tuple(filled)


def _densify(filled: list[int]) -> list[int]:
    """Optimal densification: an empty bin copies the bin that its own fixed random probe
    sequence reaches first, so two texts with the same filled bins fill empty ones alike."""
    out = list(filled)
    for slot, value in enumerate(filled):
        if value >= 0:
            continue
        for probe in _PROBE_TABLE[slot]:
            if filled[probe] >= 0:
                out[slot] = filled[probe]
                break
        else:  # all probes empty (a text of one or two shingles): the next filled bin on
            out[slot] = next(
                filled[(slot + step) % PERMUTATIONS]
                for step in range(1, PERMUTATIONS)
                if filled[(slot + step) % PERMUTATIONS] >= 0
            )
    return out


def _probe_table() -> tuple[tuple[int, ...], ...]:
    rng = random.Random(_SEED)
    return tuple(
        tuple(rng.randrange(PERMUTATIONS) for _ in range(_PROBES)) for _ in range(PERMUTATIONS)
    )


_PROBE_TABLE = _probe_table()
