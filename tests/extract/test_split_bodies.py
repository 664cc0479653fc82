"""A body split over look-alike boxes is one body; a grid of teasers is not."""

from __future__ import annotations

from handpicked import extract

from .pages import BODY, page

BOX = "px-24 pt-16 border-solid leading-12"


def test_a_body_with_each_paragraph_in_its_own_look_alike_box_is_read_whole() -> None:
    boxes = "".join(f'<div class="{BOX}"><p class="text-18">{text}</p></div>' for text in BODY)
    html = page(f'<article><h1>Trams are coming</h1><div class="w-full">{boxes}</div></article>')
    assert extract(html).paragraphs == BODY


def test_a_grid_of_teasers_beside_the_story_is_not_taken_in() -> None:
    teasers = "".join(
        f'<div class="card"><h3><a href="/story/{n}">Budget talks, day {n}</a></h3>'
        f"<p>{BODY[n % 4][:120]}</p></div>"
        for n in range(4)
    )
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY)
    html = page(
        f'<article><h1>Trams are coming</h1><div class="story">{paragraphs}</div></article>'
        f'<section class="grid">{teasers}</section>'
    )
    article = extract(html)
    assert article.paragraphs == BODY
    assert "Budget talks" not in article.text


STREAM = "w-full min-w-20 md:border-r"


def _stream(*texts: str) -> str:
    return f'<div class="{STREAM}">' + "".join(f"<p>{text}</p>" for text in texts) + "</div>"


def _beside(stream: str, links: str) -> str:
    """One stretch of a story with its own column of adverts and headlines beside it."""
    return f'<div class="flex-row"><aside class="companion">{links}</aside>{stream}</div>'


def test_a_body_in_separated_look_alike_columns_is_read_whole() -> None:
    """Each stretch of the story sits in its own copy of the column, with a box of other
    headlines between the stretches: widening to a common parent would take those in."""
    headlines = (
        '<div class="flex-row"><div class="list">'
        + "".join(
            f'<p><a href="/story/{n}">Most read: the council budget, the harbour and the '
            f"schools, part {n}</a></p>"
            for n in range(8)
        )
        + "</div></div>"
    )
    html = page(
        "<article><h1>Trams are coming</h1>"
        + _beside(_stream(BODY[0], BODY[1]), "Advertisement")
        + headlines
        + _beside(_stream(BODY[2], BODY[3]), "Advertisement")
        + "</article>"
    )
    article = extract(html)
    assert article.paragraphs == BODY
    assert "Most read" not in article.text


def test_the_next_story_appended_by_infinite_scroll_is_not_read_on() -> None:
    other = "A different story about the harbour, which has nothing to do with the trams at all."
    html = page(
        f"<article><h1>Trams are coming</h1>{_stream(*BODY)}</article>"
        f"<article><h1>Harbour reopens</h1>{_stream(other, other + ' Really.')}</article>"
    )
    article = extract(html)
    assert article.paragraphs == BODY
