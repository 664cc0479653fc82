"""Fit the learned story membership score (handpicked/understand/stories.py) on all of ECB+
dev and print the weights to paste into ``MEMBERSHIP`` (the method: bench/membership_fit.py).

    python -m bench.fit_stories
"""

from __future__ import annotations

from bench.ecbplus import DATA, load
from bench.membership_fit import fit
from handpicked.understand.embeddings import Embedder
from handpicked.understand.stories import MEMBERSHIP_FEATURES


def main() -> str:
    if not (DATA / "articles.jsonl").is_file():
        return f"ECB+ dev set not found at {DATA}; skipped.\n"
    rows = load(False, Embedder())
    weights = fit([r.item for r in rows], [r.event for r in rows])
    lines = [f"    {w!r},  # {name}" for w, name in zip(weights, MEMBERSHIP_FEATURES, strict=True)]
    return "MEMBERSHIP = (\n" + "\n".join(lines) + "\n)\n"


if __name__ == "__main__":
    print(main())
