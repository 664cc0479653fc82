"""The one-pass readings of class and id names give what judging each element alone gives."""

from __future__ import annotations

import re

import pytest

from handpicked import extract
from handpicked.extract.credits import _PULL_QUOTE, _PULL_QUOTE_WORDS, _SYNDICATION_WORDS
from handpicked.extract.credits import _SYNDICATION as SYNDICATION
from handpicked.extract.media import _CAPTION_NAMES, _CAPTION_WORDS
from handpicked.extract.prefilter import may_contain

from .pages import BODY, MORE, PROSE, page

PATTERNS = [
    (_PULL_QUOTE, _PULL_QUOTE_WORDS),
    (SYNDICATION, _SYNDICATION_WORDS),
    (_CAPTION_NAMES, _CAPTION_WORDS),
]
TEXTS = [
    "PULL-QUOTE",
    "article__PullQuote",
    "big-quote",
    "ſtory-Caption",  # long s: the regex folds it, str.lower() does not
    "CAPTİON",  # dotted capital I
    "captıon",  # dotless i
    "This Story Originally Appeared in The Gazette",
    "This article was first published by Le Monde.",
    "Produced in partnership with the Fund",
    "Reprinted with permission from Example News",
    "Ist dieser Artikel zuerst erschienen? Nein.",
    "image-legend",
    "CUTLINE",
    "quote",
    "",
]


@pytest.mark.parametrize(("pattern", "words"), PATTERNS)
def test_the_prefilter_never_hides_a_match(
    pattern: re.Pattern[str], words: tuple[str, ...]
) -> None:
    for text in TEXTS:
        if pattern.search(text):
            assert may_contain(text, words), text


def test_the_prefilter_lets_most_text_skip_the_regex() -> None:
    assert not may_contain("The council voted on Tuesday", _SYNDICATION_WORDS)
    assert not may_contain("article-body main-column", _PULL_QUOTE_WORDS)


def test_a_pull_quote_named_in_capitals_is_taken_out_of_the_body() -> None:
    first, *rest = (f"<p>{text}</p>" for text in BODY)
    quote = '<aside class="Article-PULLQUOTE"><p>“A plan debated for a decade.”</p></aside>'
    html = page(f"<article><h1>Trams are coming</h1>{first}{quote}{''.join(rest)}</article>")
    article = extract(html)
    assert article.pull_quotes == ["A plan debated for a decade."]
    assert "debated for a decade.”" not in article.text


def test_look_alike_boxes_are_judged_by_their_id_too() -> None:
    """Two boxes with the same class: the one whose id names chrome goes, the other stays."""
    html = page(
        f'<article><h1>Trams are coming</h1><div class="box"><p>{PROSE}</p><p>{MORE}</p></div>'
        '<div class="box" id="related-links"><p>Read our other stories about the city budget '
        "and the tram line, every day, on every device you own.</p></div></article>"
    )
    article = extract(html)
    assert article.paragraphs == [PROSE, MORE]
