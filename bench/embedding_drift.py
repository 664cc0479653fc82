"""How far today's story vectors are from another version's, on real articles.

    python -m bench.embedding_drift BASELINE_EMBEDDINGS_PY [N]

``BASELINE_EMBEDDINGS_PY`` is ``src/handpicked/understand/embeddings.py`` of an older
checkout (say, ``git archive main | tar -x -C /tmp/base``); both embed the first N (default
300) ECB+ dev articles as the pipeline does (:func:`story_text`), and the cosine between the
two vectors of each article is reported. A faster forward pass must keep them close, or the
stories stored before it would no longer match the articles understood after.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path
from types import ModuleType

import numpy as np

from bench.ecbplus import DATA
from handpicked.understand import embeddings


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("baseline_embeddings", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(baseline: Path, n: int = 300) -> str:
    rows = [json.loads(line) for line in (DATA / "articles.jsonl").read_text().splitlines()][:n]
    texts = [embeddings.story_text(r["title"], r["text"]) for r in rows]
    spent = {}
    vectors = {}
    for name, module in (("baseline", _load(baseline)), ("now", embeddings)):
        embedder = module.Embedder()
        embedder.embed(["warm-up: load the model outside the timing"])
        clock = time.process_time()
        vectors[name] = embedder.embed(texts)
        spent[name] = 1000 * (time.process_time() - clock) / len(texts)
    cosines = np.sum(vectors["baseline"] * vectors["now"], axis=1)
    return (
        f"{len(texts)} ECB+ dev articles: cosine to the baseline's vector min "
        f"{cosines.min():.6f}, mean {cosines.mean():.6f}; embedding {spent['baseline']:.1f} → "
        f"{spent['now']:.1f} ms/article (CPU).\n"
    )


if __name__ == "__main__":
    print(main(Path(sys.argv[1]), *(int(a) for a in sys.argv[2:])))
