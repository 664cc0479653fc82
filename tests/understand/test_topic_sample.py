"""Topics on real pages, news and not (tests/fixtures/topics/, see its README).

Floors sit a little under what ``python bench/topics.py`` measured, so a change that gives shop
pages and how-tos false topics again fails here.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.topics import load_pages, score


def test_topics_are_precise_on_news_and_non_news_pages() -> None:
    result, _notes = score(load_pages())
    assert result.right / result.output >= 0.92
    assert result.found / result.mains >= 0.78
    assert result.non_news_false <= 2
