"""Write the texts of the hand-labelled entity sample (tests/fixtures/entities/texts.jsonl).

Run once: ``python bench/entity_sample.py`` (and ``--fresh`` for the held-out sample). It
takes, deterministically, news bodies from the shared dev sets (fundus-dev: MIT; ecbplus-dev:
CC BY 3.0) and cuts each into short passages at paragraph ends, so that a person can label
every name in them by reading. The labels themselves live in ``gold.txt`` beside the texts
and were written by hand.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "entities"
OUT = FIXTURE / "texts.jsonl"
FRESH_OUT = FIXTURE / "fresh" / "texts.jsonl"
FRESH2_OUT = FIXTURE / "fresh2" / "texts.jsonl"
PASSAGE = 700
"""Characters a passage grows to before it is cut at the next paragraph end."""
PASSAGES = {"en": 1, "de": 1, "fr": 3, "es": 3}
"""Passages per article: French and Spanish news is scarce in the dev sets, so take more."""
PER_LANGUAGE = {"en": 18, "de": 27, "fr": 4, "es": 3}
ECBPLUS_ARTICLES = 10
FRESH_PER_LANGUAGE = {"en": 10, "de": 10}
"""New articles of the fresh held-out sample: the next ones by file number after the first."""
FRESH_LATER_PASSAGES = 2
"""French and Spanish: the dev sets have no more articles, so the fresh sample takes the two
passages after the three the first sample read, from the same articles."""
FRESH2_PER_LANGUAGE = {"en": 8, "de": 8}
"""New articles of the second fresh sample: the next ones after those the fresh sample took."""
FRESH2_LATER_PASSAGES = (5, 6)
"""French and Spanish passages of the second fresh sample: the two after the five read before."""
FRESH2_ECBPLUS = 3
"""ECB+ articles of the second fresh sample: the first of the topics after those first taken."""


def passages(body: str, count: int) -> list[str]:
    """The first ``count`` passages of about PASSAGE characters, cut at paragraph ends."""
    found: list[str] = []
    current: list[str] = []
    for paragraph in (p.strip() for p in body.split("\n")):
        if not paragraph:
            continue
        current.append(paragraph)
        if sum(len(p) for p in current) >= PASSAGE:
            found.append("\n".join(current))
            current = []
            if len(found) == count:
                break
    if current and len(found) < count:
        found.append("\n".join(current))
    return found


def fresh_rows() -> list[dict[str, str]]:
    """The fresh held-out sample: articles (or passages) the first sample never showed."""
    rows: list[dict[str, str]] = []
    skipped = dict.fromkeys(PER_LANGUAGE, 0)
    taken = dict.fromkeys(FRESH_PER_LANGUAGE, 0)
    for path in sorted((SHARED / "fundus-dev" / "ground-truth").glob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        language = article["language"]
        if language not in PER_LANGUAGE:
            continue
        if language in FRESH_PER_LANGUAGE:
            if skipped[language] < PER_LANGUAGE[language]:
                skipped[language] += 1
                continue
            if taken[language] >= FRESH_PER_LANGUAGE[language]:
                continue
            taken[language] += 1
            text = passages(article["body"], 1)[0]
            rows.append({"id": f"fundus-{path.stem}#0", "language": language, "text": text})
            continue
        first = PASSAGES[language]
        later = passages(article["body"], first + FRESH_LATER_PASSAGES)[first:]
        for index, text in enumerate(later, start=first):
            rows.append({"id": f"fundus-{path.stem}#{index}", "language": language, "text": text})
    return rows


def fresh2_rows() -> list[dict[str, str]]:
    """The second fresh sample: articles (or passages) neither earlier sample showed."""
    rows: list[dict[str, str]] = []
    skip = {lang: PER_LANGUAGE[lang] + FRESH_PER_LANGUAGE[lang] for lang in FRESH2_PER_LANGUAGE}
    seen = dict.fromkeys(FRESH2_PER_LANGUAGE, 0)
    for path in sorted((SHARED / "fundus-dev" / "ground-truth").glob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        language = article["language"]
        if language in FRESH2_PER_LANGUAGE:
            seen[language] += 1
            if skip[language] < seen[language] <= skip[language] + FRESH2_PER_LANGUAGE[language]:
                text = passages(article["body"], 1)[0]
                rows.append({"id": f"fundus-{path.stem}#0", "language": language, "text": text})
        elif language in PER_LANGUAGE:
            found = passages(article["body"], max(FRESH2_LATER_PASSAGES) + 1)
            for index in FRESH2_LATER_PASSAGES:
                if index < len(found):
                    row = {"id": f"fundus-{path.stem}#{index}", "language": language}
                    rows.append({**row, "text": found[index]})
    lines = (SHARED / "ecbplus-dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    topics: list[str] = []
    for line in lines:
        article = json.loads(line)
        if article["topic"] in topics or not article["text"]:
            continue
        topics.append(article["topic"])
        if ECBPLUS_ARTICLES < len(topics) <= ECBPLUS_ARTICLES + FRESH2_ECBPLUS:
            text = passages(article["text"], 1)[0]
            rows.append({"id": article["id"] + "#0", "language": "en", "text": text})
    return rows


def write_rows(rows: list[dict[str, str]], out: Path) -> None:
    """The passages as JSON lines, one a line, in the sample's folder."""
    out.parent.mkdir(exist_ok=True)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"{len(rows)} passages → {out}")


def main() -> None:
    if "--fresh2" in sys.argv[1:]:
        write_rows(fresh2_rows(), FRESH2_OUT)
        return
    if "--fresh" in sys.argv[1:]:
        write_rows(fresh_rows(), FRESH_OUT)
        return
    rows: list[dict[str, str]] = []
    fundus = sorted((SHARED / "fundus-dev" / "ground-truth").glob("*.json"))
    taken = dict.fromkeys(PER_LANGUAGE, 0)
    for path in fundus:
        article = json.loads(path.read_text(encoding="utf-8"))
        language = article["language"]
        if language not in PER_LANGUAGE or taken[language] >= PER_LANGUAGE[language]:
            continue
        taken[language] += 1
        for index, text in enumerate(passages(article["body"], PASSAGES[language])):
            rows.append({"id": f"fundus-{path.stem}#{index}", "language": language, "text": text})
    lines = (SHARED / "ecbplus-dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    topics: set[str] = set()
    for line in lines:
        article = json.loads(line)
        if article["topic"] in topics or len(topics) >= ECBPLUS_ARTICLES or not article["text"]:
            continue
        topics.add(article["topic"])
        text = passages(article["text"], 1)[0]
        rows.append({"id": article["id"] + "#0", "language": "en", "text": text})
    write_rows(rows, OUT)


if __name__ == "__main__":
    main()
