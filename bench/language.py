"""How often :func:`~handpicked.understand.language.detect_language` is right, and its cost.

    python -m bench.language [--dataset PATH]

Every fundus-dev page (real news in about 20 languages, its language known) is extracted
once, then asked about as the pipeline asks: headline and text, with the page's declared
language, and again with no declaration (the text alone). Speed is CPU time
(``time.process_time``) per article of the detection calls, cache cleared before each.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

from bench.dataset import FUNDUS_DATASET, load_pages, read_html
from handpicked import extract
from handpicked.understand import language


def _case(page_path: Path) -> tuple[str, str | None]:
    article = extract(read_html(page_path).text)
    return f"{article.title or ''}\n{article.text}", article.language


def main(argv: Sequence[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", type=Path, default=FUNDUS_DATASET)
    args = parser.parse_args(argv)
    pages = load_pages(args.dataset)
    cases = [(page.language, *_case(page.html_path)) for page in pages]
    language.detect_language("warm-up: load the model outside the timing")
    lines = [
        f"{len(cases)} fundus-dev articles, {len({c[0] for c in cases})} languages.",
        "",
        "| asked with | right | wrong | ms/article (CPU) |",
        "|---|--:|--:|--:|",
    ]
    for label, trust in (("the page's declaration", True), ("the text alone", False)):
        language._detect.cache_clear()
        wrong: list[str] = []
        clock = time.process_time()
        for truth, text, declared in cases:
            found = language.detect_language(text, declared if trust else None)
            if found != truth:
                wrong.append(f"{truth}→{found}")
        spent = time.process_time() - clock
        lines.append(
            f"| {label} | {len(cases) - len(wrong)} | {len(wrong)} | "
            f"{1000 * spent / len(cases):.2f} |"
        )
        if wrong:
            lines.append(f"|  ({', '.join(sorted(wrong))}) | | | |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(main())
