"""Fit the weights of the is-article model (handpicked/extract/classify.py) on both dev sets.

    .venv/bin/python bench/fit_is_article.py [--dataset PATH ...]

Logistic regression by Newton's method with a little L2, on the classifier's own features.
WCXB dev gives pages of every type; fundus-dev gives real news from ~90 publishers in ~20
languages (all articles), so that a short Japanese report or a Czech story counts as much in
the fit as the English pages WCXB is full of. It prints the weights to paste into
``WEIGHTS``, and precision and recall per set under two-fold cross-validation (even and odd
pages), which is what to expect on pages it never saw.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dataset import DEFAULT_DATASET, FUNDUS_DATASET, load_pages, read_html
from handpicked.errors import ExtractionError
from handpicked.extract import extract_with_signals
from handpicked.extract.classify import features

L2 = 1.0
ITERATIONS = 25


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting: small systems, no numpy needed."""
    n = len(vector)
    rows = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col and rows[col][col]:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] / rows[i][i] if rows[i][i] else 0.0 for i in range(n)]


def fit(xs: list[list[float]], ys: list[int]) -> list[float]:
    """Weights (bias first) maximising the L2-penalised log-likelihood."""
    k = len(xs[0]) + 1
    w = [0.0] * k
    rows = [[1.0, *x] for x in xs]
    for _ in range(ITERATIONS):
        grad = [-L2 * wi if i else 0.0 for i, wi in enumerate(w)]
        hess = [[(L2 if i == j and i else 0.0) for j in range(k)] for i in range(k)]
        for row, y in zip(rows, ys, strict=True):
            z = max(-30.0, min(30.0, sum(a * b for a, b in zip(w, row, strict=True))))
            p = 1 / (1 + math.exp(-z))
            for i in range(k):
                grad[i] += (y - p) * row[i]
                for j in range(i, k):
                    hess[i][j] += p * (1 - p) * row[i] * row[j]
        for i in range(k):
            for j in range(i):
                hess[i][j] = hess[j][i]
        step = _solve(hess, grad)
        w = [a + b for a, b in zip(w, step, strict=True)]
    return w


def predict(w: list[float], x: list[float]) -> bool:
    return w[0] + sum(a * b for a, b in zip(w[1:], x, strict=True)) >= 0


def precision_recall(w: list[float], xs: list[list[float]], ys: list[int]) -> tuple[float, float]:
    predicted = [predict(w, x) for x in xs]
    tp = sum(1 for p, y in zip(predicted, ys, strict=True) if p and y)
    return tp / max(1, sum(predicted)), tp / max(1, sum(ys))


def _rows(datasets: list[Path]) -> tuple[list[str], list[str], list[list[float]], list[int]]:
    """Feature names, and per page its set's name, its features and whether it is an article."""
    names: list[str] = []
    sets: list[str] = []
    xs: list[list[float]] = []
    ys: list[int] = []
    for dataset in datasets:
        for page in load_pages(dataset):
            try:
                _article, signals = extract_with_signals(read_html(page.html_path).text, page.url)
            except ExtractionError:
                continue
            values = features(signals)
            names = list(values)
            sets.append(dataset.name)
            xs.append(list(values.values()))
            ys.append(int(page.page_type == "article"))
    return names, sets, xs, ys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, action="append", default=None)
    args = parser.parse_args()
    names, sets, xs, ys = _rows(args.dataset or [DEFAULT_DATASET, FUNDUS_DATASET])
    halves = [[i for i in range(len(xs)) if i % 2 == half] for half in (0, 1)]
    for train, test in ((halves[0], halves[1]), (halves[1], halves[0])):
        w = fit([xs[i] for i in train], [ys[i] for i in train])
        for name in sorted(set(sets)):
            part = [i for i in test if sets[i] == name]
            p, r = precision_recall(w, [xs[i] for i in part], [ys[i] for i in part])
            print(f"held-out half of {name}: precision {p:.3f} recall {r:.3f}")
    w = fit(xs, ys)
    for name in sorted(set(sets)):
        part = [i for i in range(len(xs)) if sets[i] == name]
        p, r = precision_recall(w, [xs[i] for i in part], [ys[i] for i in part])
        print(f"all of {name} (fitted on it): precision {p:.3f} recall {r:.3f}")
    print("WEIGHTS = {")
    for name, value in zip(["bias", *names], w, strict=True):
        print(f'    "{name}": {value:.3f},')
    print("}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
