"""Whether a page is one article: read from the article's own span and what the page
declares, not from how many links the site puts around it."""

from __future__ import annotations

import json

from handpicked import extract

from .pages import BODY, page


def _head(*types: str) -> str:
    graph = [
        {"@type": kind, "headline": "Trams are coming", "datePublished": "2026-03-02T09:00:00Z"}
        for kind in types
    ]
    data = {"@context": "https://schema.org", "@graph": graph}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_a_section_page_that_declares_an_item_list_beside_an_article_is_not_an_article() -> None:
    teasers = "".join(
        f'<article><h3><a href="/reviews/{n}">The best kettle of the year, tested, part {n}</a>'
        f"</h3><p>{BODY[n % 4]}</p></article>"
        for n in range(12)
    )
    html = page(f"<h1>Kitchen reviews</h1>{teasers}", head=_head("Article", "ItemList"))
    article = extract(html, "https://reviews.example/kitchen/")
    assert not article.is_article


def test_an_article_beside_a_rail_of_a_hundred_headlines_is_an_article() -> None:
    rail = "".join(
        f'<li><a href="/story/{n}">Council approves the budget for the year, part {n}</a></li>'
        for n in range(100)
    )
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY[:2])
    html = page(
        f"<article><h1>Trams are coming</h1>{paragraphs}</article><aside><ul>{rail}</ul></aside>",
        head=_head("NewsArticle"),
    )
    article = extract(html, "https://gazette.example/news/trams")
    assert article.is_article
    assert article.paragraphs == BODY[:2]
