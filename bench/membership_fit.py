"""The learned story membership score's fit (handpicked/understand/stories.py), as a library:
``python -m bench.fit_stories`` fits it on all of ECB+ dev and prints the constants, and
bench/ecbplus.py fits it on one half of the topics and scores the other.

Each article with a body, in time order, is compared with every story open when it arrives
(the stories grown from the true events, so that what it is compared with does not depend on
earlier mistakes); the label is whether the story is its own event. Logistic regression over
:func:`~handpicked.understand.stories.membership_features` by Newton's method with L2 1.0
(the bias not penalised).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from handpicked.understand.stories import MEMBERSHIP_FEATURES, StoryIndex, StoryItem

L2 = 1.0
ITERATIONS = 30


def _when(item: StoryItem) -> float:
    """Time order, undated articles last (as :func:`group_stories` has it)."""
    return item.published.timestamp() if item.published else math.inf


def pairs(
    items: Sequence[StoryItem], events: Sequence[str], **settings: Any
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(features, labels) of every article with marks against every candidate story."""
    order = sorted(range(len(items)), key=lambda i: _when(items[i]))
    every_open_story = {"candidates": 10**6, "min_cosine": -1.0, "threshold": -math.inf}
    index = StoryIndex(**{**every_open_story, **settings})
    story_of_event: dict[str, int] = {}
    features: list[npt.NDArray[np.float64]] = []
    labels: list[float] = []
    for i in order:
        item, event = items[i], events[i]
        found = index.features(
            embedding=item.embedding,
            title=item.title,
            entities=item.entities,
            published=item.published,
            text=item.text,
        )
        own = story_of_event.setdefault(event, len(story_of_event))
        for story_id, row in found or ():
            features.append(row)
            labels.append(1.0 if story_id == own else 0.0)
        index.restore(
            item.article_id,
            story_id=own,
            embedding=item.embedding,
            title=item.title,
            entities=item.entities,
            published=item.published,
            site=item.site,
            text=item.text,
        )
    return np.array(features), np.array(labels)


def fit(items: Sequence[StoryItem], events: Sequence[str], **settings: Any) -> tuple[float, ...]:
    """Logistic-regression weights of ``MEMBERSHIP_FEATURES`` (bias last) on these articles."""
    x, y = pairs(items, events, **settings)
    if not len(y):  # bare headlines only: nothing is matched on the membership score
        return (0.0,) * len(MEMBERSHIP_FEATURES)
    penalty = np.diag([L2] * (len(MEMBERSHIP_FEATURES) - 1) + [0.0])
    weights = np.zeros(len(MEMBERSHIP_FEATURES))
    for _ in range(ITERATIONS):
        p = 1.0 / (1.0 + np.exp(-(x @ weights)))
        gradient = x.T @ (p - y) + penalty @ weights
        hessian = (x * (p * (1.0 - p))[:, None]).T @ x + penalty
        weights -= np.linalg.solve(hessian, gradient)
    return tuple(round(float(w), 3) for w in weights)
