"""A box in the middle of the story is not its end, and a teaser articleBody filters nothing."""

from __future__ import annotations

import json

from handpicked import extract

from .pages import BODY, page

URL = "https://gazette.example/2026/03/02/trams-are-coming"


def test_related_line_newsletter_box_and_video_mid_body_do_not_end_the_story() -> None:
    html = page(
        "<article><h1>Trams are coming</h1><div class='article-body'>"
        f"<p>{BODY[0]}</p>"
        '<p class="related-link"><strong>Related:</strong> '
        '<a href="/story/1">Bus fares to rise in April</a></p>'
        f"<p>{BODY[1]}</p>"
        '<div class="newsletter-signup"><h3>Get the morning briefing</h3>'
        "<p>Sign up for our free newsletter, delivered every weekday.</p></div>"
        f"<p>{BODY[2]}</p>"
        '<div class="video-player"><video src="/v.mp4"></video><span>0:00 / 2:14</span></div>'
        f"<p>{BODY[3]}</p>"
        "</div></article>"
    )
    article = extract(html, URL)
    assert article.paragraphs == BODY


def test_a_truncated_declared_article_body_does_not_cut_the_story() -> None:
    """Some sites declare only the first paragraphs as ``articleBody``: a teaser, which must
    not decide which of the page's paragraphs are the story."""
    declared = {
        "@type": "NewsArticle",
        "headline": "Trams are coming",
        "datePublished": "2026-03-02T09:00:00+01:00",
        "articleBody": " ".join(BODY) + "…",
    }
    head = f'<script type="application/ld+json">{json.dumps(declared)}</script>'
    more = [
        "Shopkeepers on the high street fear a year of roadworks outside their doors, and "
        "several asked whether the city would compensate them for the loss of passing trade.",
        "Engineers will also have to move water pipes under two bridges, a job that the last "
        "survey said could add months to the schedule if the old plans prove wrong again.",
    ]
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY + more)
    html = page(f"<article><h1>Trams are coming</h1>{paragraphs}</article>", head=head)
    assert extract(html, URL).paragraphs == BODY + more
