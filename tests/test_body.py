"""Body extraction on small pages: what a reader gets, and what they never see."""

from __future__ import annotations

import pytest
from extract.pages import LAST, MORE, PROSE

from handpicked import extract


def page(body: str, head: str = "") -> str:
    return f"<html><head><title>Trams | Gazette</title>{head}</head><body>{body}</body></html>"


def test_chrome_never_reaches_the_body() -> None:
    html = page(
        f"""
        <a class="skip-link" href="#main">Skip to content</a>
        <div id="cookie-banner">We use cookies to improve your experience.</div>
        <nav><a href="/">Home</a> <a href="/news">News</a></nav>
        <article><h1>Trams are coming</h1>
          <div class="share-bar"><a href="#">Share on Facebook</a></div>
          <p>{PROSE}</p>
          <div class="ad-slot"><span>Advertisement</span></div>
          <p>{MORE}</p>
          <aside class="newsletter-promo"><p>Sign up for our morning briefing, free.</p></aside>
          <p>{LAST}</p>
        </article>
        <section class="comments"><h2>Comments</h2><p>First! Great article, loved it.</p></section>
        <footer>© 2026 The Gazette. All rights reserved.</footer>
        """
    )
    article = extract(html)
    assert article.paragraphs == [PROSE, MORE, LAST]
    for chrome in (
        "Skip to content",
        "cookies",
        "Share on",
        "Advertisement",
        "Sign up",
        "First!",
        "All rights reserved",
        "Trams are coming",
    ):
        assert chrome not in article.text


def test_headings_inside_the_body_are_kept_as_paragraphs() -> None:
    html = page(
        f"<article><h1>Trams</h1><p>{PROSE}</p><h2>What comes next</h2><p>{MORE}</p>"
        f"<p>{LAST}</p></article>"
    )
    assert extract(html).paragraphs == [PROSE, "What comes next", MORE, LAST]


@pytest.mark.parametrize(
    ("figcaption", "caption", "credit"),
    [
        ("Photo courtesy Method Architecture", None, "Method Architecture"),
        ("Photo: Jane Roe/Gazette", None, "Jane Roe/Gazette"),
        ("Photo of the mayor at the rally.", "Photo of the mayor at the rally.", None),
        ("Courtesy of the family", None, "the family"),
    ],
)
def test_a_caption_that_is_only_a_credit_is_the_credit(
    figcaption: str, caption: str | None, credit: str | None
) -> None:
    html = page(
        f"""<article><p>{PROSE}</p><figure><img src="/img/a.jpg" alt="">
        <figcaption>{figcaption}</figcaption></figure><p>{MORE}</p><p>{LAST}</p></article>"""
    )
    [image] = extract(html, "https://gazette.example/news/a").images
    assert (image.caption, image.credit) == (caption, credit)


def test_caption_and_credit_go_to_the_image_not_the_body() -> None:
    html = page(
        f"""<article><p>{PROSE}</p>
        <figure><img data-src="/img/tram.jpg" src="data:image/gif;base64,R0lGOD" alt="A tram">
          <figcaption>A tram in the city centre. (Photo: Jane Roe/Gazette)</figcaption></figure>
        <p>{MORE}</p><p>{LAST}</p></article>"""
    )
    article = extract(html, "https://gazette.example/news/trams")
    assert "tram in the city centre" not in article.text
    assert len(article.images) == 1
    image = article.images[0]
    assert image.url == "https://gazette.example/img/tram.jpg"
    assert image.caption == "A tram in the city centre."
    assert image.credit == "Jane Roe/Gazette"
    assert image.alt == "A tram"


def test_pull_quote_syndication_and_editors_are_fields() -> None:
    html = page(
        f"""<article><p>{PROSE}</p>
        <blockquote class="pullquote">“It will change how we live”</blockquote>
        <p>{MORE}</p><p>{LAST}</p>
        <p><em>This story originally appeared in The Northern Times.</em></p>
        <p>Edited by Ana Lima, Desk Editor and Tom Park</p></article>"""
    )
    article = extract(html)
    assert article.pull_quotes == ["It will change how we live"]
    assert article.syndicated_from == "The Northern Times"
    assert article.editors == ["Ana Lima", "Tom Park"]
    assert article.paragraphs == [PROSE, MORE, LAST]


NEWS_HEAD = '<script type="application/ld+json">{"@type": "NewsArticle"}</script>'
STORY_URL = "https://gazette.example/2026/11/20/trams-are-coming-north"


def test_link_lists_inside_the_story_stay_but_related_links_at_its_end_go() -> None:
    html = page(
        f"""<article><p>{PROSE}</p>
        <ul><li><a href="/plan.pdf">The full expansion plan (PDF)</a></li>
            <li><a href="/budget.pdf">The regional budget for 2027</a></li></ul>
        <p>{MORE}</p><p>{LAST}</p>
        <ul><li><a href="/a">Bus fares rise again</a></li><li><a href="/b">Bridge closed</a></li>
        </ul></article>""",
        NEWS_HEAD,
    )
    article = extract(html, STORY_URL)
    assert article.is_article
    assert "The full expansion plan (PDF)" in article.paragraphs
    assert "Bus fares rise again" not in article.text


def test_prose_without_paragraph_tags_is_found() -> None:
    html = page(
        f"<div class='content'><div>{PROSE}<br><br>{MORE}<br><br>{LAST}</div></div>"
        "<div class='sidebar'><a href='/x'>Most read story of the week</a></div>"
    )
    assert extract(html).paragraphs == [PROSE, MORE, LAST]


def test_content_inside_an_unclosed_button_survives() -> None:
    html = page(
        f"<header><button class='menu'>Menu<main><p>{PROSE}</p><p>{MORE}</p><p>{LAST}</p></main>"
    )
    assert extract(html).paragraphs == [PROSE, MORE, LAST]


def test_streamed_react_segments_are_read() -> None:
    html = page(
        f"<main><template id='B:0'></template></main>"
        f"<div hidden id='S:0'><article><p>{PROSE}</p><p>{MORE}</p></article></div>"
    )
    assert extract(html).paragraphs == [PROSE, MORE]


def test_hidden_blocks_are_not_read() -> None:
    html = page(
        f"<article><p>{PROSE}</p><div style='display: none'>Secret text for bots only."
        f"</div><p>{MORE}</p></article>"
    )
    assert "Secret" not in extract(html).text


def test_a_listing_is_not_an_article() -> None:
    teasers = "".join(
        f"<article class='teaser'><h2><a href='/news/{n}'>Headline number {n} of the day</a></h2>"
        f"<p>A short summary of story {n}.</p></article>"
        for n in range(12)
    )
    article = extract(page(f"<main>{teasers}</main>"), "https://gazette.example/news/")
    assert not article.is_article
    assert "Headline number 3 of the day" in article.paragraphs  # a listing's links are its text


def test_a_news_story_is_an_article() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Trams",'
        '"datePublished": "2026-11-20T08:00:00Z", "author": {"name": "Jane Roe"}}</script>'
    )
    html = page(f"<article><h1>Trams</h1><p>{PROSE}</p><p>{MORE}</p><p>{LAST}</p></article>", head)
    article = extract(html, "https://gazette.example/2026/11/20/trams-are-coming-north")
    assert article.is_article
    assert article.authors == ["Jane Roe"]
    assert article.word_count == sum(len(p.split()) for p in (PROSE, MORE, LAST))
