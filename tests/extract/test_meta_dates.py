"""The publication date a reader expects: when a news story broke, not its last revision,
and never a date from a box of other stories."""

from __future__ import annotations

import json
from datetime import date

from handpicked.extract.document import parse_html
from handpicked.extract.metadata import extract_metadata


def _story(kind: str) -> str:
    record = {
        "@context": "https://schema.org",
        "@type": kind,
        "headline": "Floods close the valley road",
        "datePublished": "2024-03-01T08:00:00+01:00",
        "dateModified": "2024-05-20T17:30:00+02:00",
    }
    return (
        "<html><head>"
        f'<script type="application/ld+json">{json.dumps(record)}</script>'
        "</head><body><main><h1>Floods close the valley road</h1>"
        '<div class="meta"><time datetime="2024-05-20T17:30:00+02:00">20 May 2024</time></div>'
        "<p>The river rose overnight and the valley road was closed to all traffic.</p>"
        "</main></body></html>"
    )


def _published(html: str) -> date | None:
    found = extract_metadata(parse_html(html), "https://news.example/story").published
    return found.date() if found else None


def test_a_news_report_printing_only_its_revision_keeps_its_publication_date() -> None:
    assert _published(_story("NewsArticle")) == date(2024, 3, 1)


def test_a_live_blog_printing_only_its_revision_keeps_its_publication_date() -> None:
    assert _published(_story("LiveBlogPosting")) == date(2024, 3, 1)


def test_a_guide_is_dated_by_the_revision_it_prints() -> None:
    assert _published(_story("BlogPosting")) == date(2024, 5, 20)


def test_a_time_in_a_story_embedded_in_the_article_does_not_date_it() -> None:
    box = (
        "<article><h2><a href='/autre'>Autre histoire</a></h2>"
        "<time datetime='2019-06-02T10:00:00+02:00'>2 juin 2019</time></article>"
    )
    html = (
        "<html><head></head><body><article><h1>Le conseil vote le budget</h1>"
        f"<p>Le conseil municipal a voté le budget mardi soir.</p>{box}</article></body></html>"
    )
    assert _published(html) is None


def test_a_time_in_a_french_read_also_box_does_not_date_the_story() -> None:
    box = (
        '<div class="lire-aussi"><a href="/autre">Autre histoire</a>'
        "<time datetime='2019-06-02T10:00:00+02:00'>2 juin 2019</time></div>"
    )
    html = (
        "<html><head></head><body><article><h1>Le conseil vote le budget</h1>"
        f"<p>Le conseil municipal a voté le budget mardi soir.</p>{box}</article></body></html>"
    )
    assert _published(html) is None
