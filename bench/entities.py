"""Entity precision and recall on the hand-labelled sample in tests/fixtures/entities/.

    python bench/entities.py              # the working tree's code
    python bench/entities.py --baseline main   # also the code of a git ref, side by side
    python bench/entities.py --fresh      # the fresh held-out sample (fixtures' fresh/)
    python bench/entities.py --fresh2     # the second fresh sample (fixtures' fresh2/)
    python bench/entities.py --by-eye 12  # 100 random held-out English forms to check by eye

Each passage is run through :func:`extract_entities` as an article body of its language.
What we output is every form of every entity that occurs in the passage, with the entity's
kind. A form is right when the labels have that exact span with that kind; don't-care spans
(products, events, borderline names) count neither way. Recall is over labelled people,
organisations and places: found when one of the label's forms is output with a right kind.
"Junk" is output whose span matches no label at all: a common word, a cut or overlong name.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "entities"
KINDS = {"per": "person", "org": "organisation", "loc": "place", "misc": "other"}


@dataclass(frozen=True)
class Label:
    """One hand-labelled name of a passage."""

    forms: frozenset[str]
    kinds: frozenset[str]
    optional: bool


@dataclass(frozen=True)
class Passage:
    id: str
    language: str
    text: str
    labels: tuple[Label, ...]


def load_sample(folder: Path = FIXTURE) -> list[Passage]:
    """The passages with their labels, in file order."""
    labels: dict[str, list[Label]] = defaultdict(list)
    current = ""
    for line in (folder / "gold.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("== "):
            current = line[3:].strip()
            continue
        optional = line.startswith("?")
        kinds, _, forms = line.lstrip("?").partition(" ")
        labels[current].append(
            Label(
                frozenset(f.strip() for f in forms.split("|")),
                frozenset(KINDS[k] for k in kinds.split("|")),
                optional or kinds == "misc",
            )
        )
    passages = []
    for line in (folder / "texts.jsonl").read_text(encoding="utf-8").split("\n"):
        if not line:
            continue
        row = json.loads(line)
        passages.append(Passage(row["id"], row["language"], row["text"], tuple(labels[row["id"]])))
    return passages


def _occurs(form: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text) is not None


def mention_count(passage: Passage) -> int:
    """Occurrences of required labels in the text, a name inside a longer one not counted."""
    spans: list[tuple[int, int]] = []
    for label in passage.labels:
        if label.optional:
            continue
        for form in label.forms:
            for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", passage.text):
                spans.append(match.span())
    spans.sort(key=lambda s: (s[0], -s[1]))
    count, end = 0, -1
    for start, stop in spans:
        if start >= end:
            count += 1
            end = stop
    return count


@dataclass
class Tally:
    right: int = 0
    wrong_kind: int = 0
    junk: int = 0
    found: int = 0
    labelled: int = 0
    seconds: float = 0.0
    junk_examples: list[str] | None = None

    @property
    def output(self) -> int:
        return self.right + self.wrong_kind + self.junk

    @property
    def precision(self) -> float:
        return self.right / self.output if self.output else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 1.0


def score(passages: list[Passage]) -> dict[str, Tally]:
    """Per-language tallies (and "all") of the current code's output on the passages."""
    from handpicked.understand.entities import extract_entities

    tallies: dict[str, Tally] = defaultdict(lambda: Tally(junk_examples=[]))
    for passage in passages:  # warm up: load word lists and models before timing
        extract_entities("", passage.text, passage.language)
    for passage in passages:
        started = time.process_time()
        entities = extract_entities("", passage.text, passage.language)
        elapsed = time.process_time() - started
        output = {
            (form, entity.kind)
            for entity in entities
            for form in entity.aliases
            if _occurs(form, passage.text)
        }
        for key in (passage.language, "all"):
            tally = tallies[key]
            tally.seconds += elapsed
            for form, kind in sorted(output):
                label = next((lb for lb in passage.labels if form in lb.forms), None)
                if label is not None and label.optional:
                    continue
                if label is None:
                    tally.junk += 1
                    assert tally.junk_examples is not None
                    tally.junk_examples.append(f"{passage.id}: {form} ({kind})")
                elif kind in label.kinds:
                    tally.right += 1
                else:
                    tally.wrong_kind += 1
                    assert tally.junk_examples is not None
                    tally.junk_examples.append(f"{passage.id}: {form} ({kind}) WRONG KIND")
            for label in passage.labels:
                if label.optional:
                    continue
                tally.labelled += 1
                hit = any((f, k) in output for f in label.forms for k in label.kinds)
                tally.found += hit
                if not hit and tally.junk_examples is not None:
                    tally.junk_examples.append(f"{passage.id}: {sorted(label.forms)[0]} MISSED")
    return dict(tallies)


def table(tallies: dict[str, Tally], passages: list[Passage], name: str) -> str:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    articles: dict[str, set[str]] = defaultdict(set)
    for passage in passages:
        for key in (passage.language, "all"):
            counts[key][0] += 1
            counts[key][1] += sum(not lb.optional for lb in passage.labels)
            counts[key][2] += mention_count(passage)
            articles[key].add(passage.id.split("#")[0])
    lines = [
        f"| {name} | articles | passages | names | mentions | output | precision | recall "
        "| wrong kind | junk | ms/passage |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key in ("en", "de", "fr", "es", "all"):
        t = tallies[key]
        c = counts[key]
        lines.append(
            f"| {key} | {len(articles[key])} | {c[0]} | {c[1]} | {c[2]} | {t.output} "
            f"| {t.precision:.3f} | {t.recall:.3f} | {t.wrong_kind / max(t.output, 1):.3f} "
            f"| {t.junk / max(t.output, 1):.3f} | {1000 * t.seconds / c[0]:.2f} |"
        )
    return "\n".join(lines)


SHARED = ROOT.parent / "shared" / "datasets"


def held_out_articles() -> list[tuple[str, str, str]]:
    """(id, language, text) of every dev article in our four languages, sample or not."""
    rows = []
    for path in sorted((SHARED / "fundus-dev" / "ground-truth").glob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        if article["language"] in ("en", "de", "fr", "es"):
            rows.append((f"fundus-{path.stem}", article["language"], article["body"]))
    lines = (SHARED / "ecbplus-dev" / "articles.jsonl").read_text(encoding="utf-8").split("\n")
    for line in filter(None, lines):
        article = json.loads(line)
        if article["text"]:
            rows.append((article["id"], "en", article["text"]))
    return rows


def _suspect(form: str, text: str, language: str) -> str | None:
    """Why an output form looks like a common word or a fragment, or None.

    An automatic proxy, not a label: a one-word name the text also writes in lower case, or
    one that wordfreq ranks among the commonest words and no table knows; a name that
    everywhere in the text sits next to another capitalised word (cut from a longer name).
    """
    from wordfreq import zipf_frequency

    from handpicked.understand import aliases

    known = aliases.lookup(form) is not None or aliases.is_place(form)
    acronym = form.replace(".", "").isupper()
    if " " not in form and not acronym and not known:
        if re.search(rf"(?<![\w.!?]\s)(?<!^)\b{re.escape(form.lower())}\b", text):
            return "common word (also written in lower case)"
        if zipf_frequency(form, language) >= 5.0:
            return "common word (wordfreq)"
    spans = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text)]
    word = r"[A-ZÀ-Þ][\w'’-]*"
    harmless = {"the", "president", "mr", "mrs", "ms", "dr", "sir", "said", "says", "minister"}

    def glued(start: int, end: int) -> bool:
        left = re.search(rf"(?<![.!?:;\n] )({word}) $", text[max(0, start - 30) : start])
        right = re.match(rf" ({word})", text[end : end + 30])
        return any(
            m is not None
            and m.group(1).casefold() not in harmless
            and aliases.lookup(m.group(1)) is None
            and not aliases.is_place(m.group(1))
            for m in (left, right)
        )

    cut = language == "en" and bool(spans) and all(glued(a, b) for a, b in spans)
    return "fragment (always next to a capitalised word)" if cut else None


def held_out(print_suspects: int = 0) -> str:
    """Speed on whole articles and the proxy rate of common words and fragments."""
    from handpicked.understand.entities import extract_entities

    articles = held_out_articles()
    for _id, language, text in articles[:20]:
        extract_entities("", text, language)
    per_language: dict[str, list[float]] = defaultdict(lambda: [0.0, 0, 0, 0])
    examples: list[str] = []
    for article_id, language, text in articles:
        started = time.process_time()
        entities = extract_entities("", text, language)
        elapsed = time.process_time() - started
        forms = {f for e in entities for f in e.aliases if _occurs(f, text)}
        flagged = [(f, _suspect(f, text, language)) for f in sorted(forms)]
        bad = [(f, why) for f, why in flagged if why]
        examples += [f"{article_id}: {f} — {why}" for f, why in bad]
        for key in (language, "all"):
            tally = per_language[key]
            tally[0] += elapsed
            tally[1] += 1
            tally[2] += len(forms)
            tally[3] += len(bad)
    lines = [
        "| language | articles | ms/article (CPU) | names output | suspect | suspect share |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key in ("en", "de", "fr", "es", "all"):
        seconds, count, forms_out, bad_out = per_language[key]
        lines.append(
            f"| {key} | {count:.0f} | {1000 * seconds / max(count, 1):.2f} | {forms_out:.0f} "
            f"| {bad_out:.0f} | {bad_out / max(forms_out, 1):.3f} |"
        )
    if print_suspects:
        lines += ["", *examples[:print_suspects]]
    return "\n".join(lines)


def _sample_ids() -> set[str]:
    """Article ids of both hand-labelled samples, left out of the by-eye draw."""
    ids: set[str] = set()
    for folder in (FIXTURE, FIXTURE / "fresh", FIXTURE / "fresh2"):
        lines = (folder / "texts.jsonl").read_text(encoding="utf-8").split("\n")
        ids |= {json.loads(line)["id"].split("#")[0] for line in lines if line}
    return ids


def by_eye(seed: int, count: int = 100) -> str:
    """``count`` random output forms from held-out English dev articles, with their context.

    For a person to check by eye how many are a common word or a fragment; articles of either
    hand-labelled sample are left out.
    """
    import random

    from handpicked.understand.entities import extract_entities

    used = _sample_ids()
    pool: list[tuple[str, str, str, str]] = []
    for article_id, language, text in held_out_articles():
        if language != "en" or article_id in used:
            continue
        for entity in extract_entities("", text, language):
            pool += [(article_id, f, entity.kind, text) for f in entity.aliases if _occurs(f, text)]
    lines = [f"{len(pool)} forms; seed {seed}"]
    for index, (article_id, form, kind, text) in enumerate(random.Random(seed).sample(pool, count)):
        match = re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text)
        start = match.start() if match else 0
        context = text[max(0, start - 60) : start + len(form) + 40].replace("\n", " / ")
        lines.append(f"{index + 1:3d} {form!r} [{kind}] {article_id} :: {context}")
    return "\n".join(lines)


def _run_ref(ref: str, extra: list[str]) -> str:
    """The table for a git ref's code, run in a child process on an exported copy."""
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", ref, "src"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        env = {**os.environ, "PYTHONPATH": str(Path(folder) / "src")}
        child = subprocess.run(
            [sys.executable, __file__, "--name", ref, *extra],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return child.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="git ref whose code to score as well, e.g. main")
    parser.add_argument("--name", default="this branch", help="label of the table")
    parser.add_argument("--junk", action="store_true", help="list every junk output")
    parser.add_argument(
        "--held-out",
        action="store_true",
        help="whole dev articles (needs ../shared): CPU time and suspect common words/fragments",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="score the fresh held-out sample, labelled before any tuning, not the first one",
    )
    parser.add_argument(
        "--fresh2",
        action="store_true",
        help="score the second fresh sample, labelled before the last round of changes",
    )
    parser.add_argument("--suspects", type=int, default=0, help="list this many suspects")
    parser.add_argument(
        "--by-eye",
        type=int,
        metavar="SEED",
        help="print 100 random output forms of held-out English articles to check by eye",
    )
    args = parser.parse_args()
    if args.by_eye is not None:
        print(by_eye(args.by_eye))
        return
    if args.held_out:
        if args.baseline:
            print(f"{args.baseline}:\n" + _run_ref(args.baseline, ["--held-out"]))
        print(f"{args.name}:\n" + held_out(args.suspects))
        return
    sample = ["--fresh"] if args.fresh else ["--fresh2"] if args.fresh2 else []
    if args.baseline:
        print(_run_ref(args.baseline, sample))
    folder = FIXTURE / sample[0].lstrip("-") if sample else FIXTURE
    passages = load_sample(folder)
    tallies = score(passages)
    print(table(tallies, passages, args.name))
    if args.junk:
        for example in tallies["all"].junk_examples or []:
            print("  junk", example)


if __name__ == "__main__":
    main()
