"""End-to-end cost of understanding one real article, in CPU time on one core.

    python -m bench.understand_speed [N]

The per-article work of :func:`handpicked.understand.pipeline.analyse_batch` (language,
entities, topics, duplicate fingerprint, embedding, in batches of 32 as the pipeline runs it)
plus story grouping, over the first N (default 300) ECB+ dev articles, every model and table
loaded beforehand (one article goes through each step untimed: the language model alone takes
half a second to load, which is start-up, not a per-article cost). CPU time
(``time.process_time``), so other load on the machine counts little; the embedder runs its
matrix products on one BLAS thread.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime

from bench.ecbplus import DATA
from handpicked.article import Article
from handpicked.understand.duplicates import fingerprint
from handpicked.understand.embeddings import Embedder, story_text
from handpicked.understand.entities import extract_entities
from handpicked.understand.language import detect_language
from handpicked.understand.stories import StoryIndex
from handpicked.understand.topics import extract_topics


def main(n: int = 300) -> str:
    rows = [json.loads(line) for line in (DATA / "articles.jsonl").read_text().splitlines()][:n]
    articles = [
        Article(title=r["title"], paragraphs=r["text"].split("\n"), language="en") for r in rows
    ]
    embedder = Embedder()
    embedder.embed(["warm-up: load the model outside the timing"])
    warm_up = Article(title="Warm-up", paragraphs=["Loads the models outside the timing."])
    detect_language(warm_up.text, "en")
    extract_entities(warm_up)
    extract_topics(warm_up)
    spent = dict.fromkeys(("embedding", "entities", "language", "topics", "fingerprint"), 0.0)
    spent["grouping"] = 0.0
    index = StoryIndex()
    for start in range(0, len(articles), 32):
        batch = articles[start : start + 32]
        clock = time.process_time()
        vectors = embedder.embed([story_text(a.title, a.text) for a in batch])
        spent["embedding"] += time.process_time() - clock
        for i, article in enumerate(batch):
            clock = time.process_time()
            detect_language(f"{article.title}\n{article.text}", article.language)
            spent["language"] += time.process_time() - clock
            clock = time.process_time()
            entities = extract_entities(article)
            spent["entities"] += time.process_time() - clock
            clock = time.process_time()
            extract_topics(article)
            spent["topics"] += time.process_time() - clock
            clock = time.process_time()
            fingerprint(article.text)
            spent["fingerprint"] += time.process_time() - clock
            clock = time.process_time()
            row = rows[start + i]
            index.add(
                row["id"],
                embedding=vectors[i],
                title=article.title,
                entities=[e.key for e in entities],
                published=datetime.fromisoformat(row["published"]),
                text=article.text,
            )
            spent["grouping"] += time.process_time() - clock
    total = sum(spent.values())
    lines = ["| step | ms/article (CPU) |", "|---|---|"]
    lines += [f"| {name} | {1000 * s / len(rows):.1f} |" for name, s in spent.items()]
    lines.append(f"| **end to end** | **{1000 * total / len(rows):.1f}** |")
    return (
        f"{len(rows)} ECB+ dev articles (mean {sum(len(a.text) for a in articles) / len(rows):,.0f}"
        f" chars), one process: **{len(rows) / total:.1f} articles/s per core**.\n\n"
        + "\n".join(lines)
        + "\n"
    )


if __name__ == "__main__":
    print(main(*(int(a) for a in sys.argv[1:])))
