"""A block that holds the article's prose is never chrome because of a word in its class."""

from __future__ import annotations

from handpicked import extract

from .pages import BODY, page


def test_a_body_of_paywall_paragraphs_is_kept() -> None:
    """Sites mark every paragraph behind the meter ``paywall``: that is the story itself."""
    paragraphs = "".join(f'<p class="paywall">{text}</p>' for text in BODY)
    html = page(f'<article><h1>Trams are coming</h1><div class="body">{paragraphs}</div></article>')
    article = extract(html, "https://gazette.example/2026/03/02/trams-are-coming")
    assert article.paragraphs == BODY
    assert article.is_article


def test_a_real_paywall_box_beside_the_story_still_goes() -> None:
    """The word still means chrome where it names a box that is not the story's prose."""
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY)
    html = page(
        f"<article><h1>Trams are coming</h1>{paragraphs}"
        '<div class="paywall-offer"><p>Subscribe now for one euro a month and read every '
        "story on the site without limits, on any device.</p></div></article>"
    )
    article = extract(html)
    assert article.paragraphs == BODY
    assert "Subscribe" not in article.text


def test_a_body_in_sidebar_grid_boxes_between_ads_is_read_whole() -> None:
    """A grid layout names its columns ``sidebar-grid__content`` and puts an advert between
    each part of the story: every part is the story."""
    parts = "".join(
        '<div class="sidebar-grid__container">'
        f'<div class="sidebar-grid__content article__content"><p>{text}</p></div></div>'
        '<aside class="sidebar-grid__sidebar"><div class="ad">Advertisement</div></aside>'
        for text in BODY
    )
    html = page(
        f'<article><div class="sidebar-grid"><header><h1>Trams are coming</h1></header>'
        f"{parts}</div></article>"
    )
    article = extract(html)
    assert article.paragraphs == BODY
    assert "Advertisement" not in article.text


def test_comments_that_outweigh_the_story_stay_out() -> None:
    """Only words that say where a block shows (sidebar, paywall) can name the story's prose;
    a long comment thread is still not the story, however much of the page it fills."""
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY)
    comments = "".join(
        f'<li class="comment"><div class="comment-author">Reader {n}</div>'
        f'<div class="comment-content"><p>{BODY[n % 4]} I have said so for years.</p></div></li>'
        for n in range(12)
    )
    html = page(
        f'<article><h1>Trams are coming</h1><div class="entry-content">{paragraphs}</div>'
        f'</article><section id="comments"><ol class="comment-list">{comments}</ol></section>'
    )
    article = extract(html)
    assert article.paragraphs == BODY
