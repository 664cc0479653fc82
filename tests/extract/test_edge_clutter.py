"""Clutter at the body's edges stays out: labels, datelines, bylines, the stories after it."""

from __future__ import annotations

import json

import pytest

from handpicked import extract
from handpicked.extract.edges import is_byline, is_dateline

from .pages import BODY, page

URL = "https://gazette.example/2026/03/02/trams-are-coming"


def _story(before: str = "", after: str = "", head: str | None = None) -> list[str]:
    """The story's paragraphs with ``before`` and ``after`` in the same column."""
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY)
    html = page(
        f"<article><h1>Trams are coming</h1><div>{before}{paragraphs}{after}</div></article>",
        **({"head": head} if head else {}),
    )
    return extract(html, URL).paragraphs


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<p>4 Min Read</p>", "<p>Tagged: trams, city council, budget</p>"),
        ("<div>text size: T T</div>", "<h3>Ähnliche Beiträge</h3>"),
        ("<p>Lesedauer: 3 Minuten</p>", "<p>Filed under: Transport</p>"),
    ],
)
def test_labels_at_the_edges_are_not_body(before: str, after: str) -> None:
    assert _story(before, after) == BODY


@pytest.mark.parametrize(
    "dateline",
    [
        "October 17, 20236:01 PM ET",
        "Stand: 02.03.2026, 09:00 Uhr",
        "Politics / March 2, 2026",
        "9:00 AM PST • March 2, 2026",
        "2026年3月2日 9時00分",
        "3 hours ago",
    ],
)
def test_a_dateline_fused_or_not_is_not_body(dateline: str) -> None:
    assert _story(before=f"<p>{dateline}</p>") == BODY


def test_the_byline_printed_in_the_story_is_not_body() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
        '"Trams are coming", "author": {"@type": "Person", "name": "Nina Berg"}, '
        '"datePublished": "2026-03-02T09:00:00+01:00"}</script>'
    )
    assert _story(before="<p>Von Nina Berg</p>", head=head) == BODY


def test_the_lead_repeated_as_the_first_paragraph_is_said_once() -> None:
    lead = "The city will build a tram line to the north, ending ten years of argument."
    html = page(
        f"<article><h1>Trams are coming</h1><p class='standfirst'>{lead}</p>"
        f"<div class='story'><p>{lead}</p>"
        + "".join(f"<p>{text}</p>" for text in BODY)
        + "</div></article>"
    )
    article = extract(html, URL)
    assert article.lead == lead
    assert article.paragraphs == BODY


_TEASERS = [
    ("Bus fares to rise in April as the network adds routes", "Riders will pay more."),
    ("A new bridge for cyclists opens over the river", "The crossing took two years."),
    ("The harbour festival returns with a bigger programme", "Tickets go on sale soon."),
    ("Libraries extend their hours during the exam season", "Students asked for it."),
]


def _teaser(headline: str, summary: str, n: int) -> str:
    summary = f"{summary} The city said on Monday that the change, first proposed last year, " + (
        "would be reviewed after six months, and residents could comment until the end of May."
    )
    return (
        f"<div><h2><a href='/story/{n}'>{headline}</a></h2>"
        f"<p>{n + 2} hours ago</p><p>{summary}</p></div>"
    )


def test_stories_listed_after_the_article_are_not_read_on() -> None:
    """ "More from the Gazette", an endless scroll of teasers: each a linked headline over
    its summary, none a paragraph of this story."""
    teasers = "".join(_teaser(h, s, n) for n, (h, s) in enumerate(_TEASERS))
    after = f"<h2>More from the Gazette</h2>{teasers}"
    assert _story(after=after) == BODY


def test_a_link_line_between_paragraphs_does_not_end_the_story() -> None:
    """One teaser mid-body (headline and summary) with the story going on under it."""
    paragraphs = [f"<p>{text}</p>" for text in BODY]
    box = _teaser(*_TEASERS[0], 0)
    html = page(
        "<article><h1>Trams are coming</h1><div class='story'>"
        + "".join(paragraphs[:2])
        + box
        + "".join(paragraphs[2:])
        + "</div></article>"
    )
    paragraphs_read = extract(html, URL).paragraphs
    assert paragraphs_read[:2] == BODY[:2]
    assert paragraphs_read[-2:] == BODY[2:]


def test_a_date_in_a_sentence_is_prose_not_a_dateline() -> None:
    assert not is_dateline("On March 2, 2026 the council voted to build the line.")
    assert not is_dateline("March 2026: the first rails are laid")
    assert is_dateline("Updated: 02.03.2026 09:00")


def test_a_byline_names_the_authors_and_nothing_else() -> None:
    assert is_byline("By Nina Berg and Tom Lee | Updated March 2, 2026", ["Nina Berg", "Tom Lee"])
    assert is_byline("渡辺洋介2026年3月2日 9時00分", ["渡辺洋介"])
    assert not is_byline("Nina Berg said the line would open in 2027.", ["Nina Berg"])
    assert not is_byline("Von Nina Berg", [])


def test_a_declared_body_does_not_bring_the_dateline_back() -> None:
    declared = {
        "@type": "NewsArticle",
        "headline": "Trams are coming",
        "datePublished": "2026-03-02T09:00:00+01:00",
        "articleBody": "\n".join(BODY),
    }
    head = f'<script type="application/ld+json">{json.dumps(declared)}</script>'
    assert _story(before="<p>March 2, 2026</p>", head=head) == BODY


def test_a_box_of_other_stories_set_into_the_body_is_not_read() -> None:
    """ "Most read": linked headlines with their dates, between two paragraphs of the story."""
    box = (
        "<h3>Most read</h3>"
        "<h3><a href='/story/7'>Harbour festival returns with a bigger programme</a></h3>"
        "<p>2 hours ago</p>"
        "<h3><a href='/story/8'>Libraries extend their opening hours for exams</a></h3>"
        "<p>3 hours ago</p>"
    )
    paragraphs = [f"<p>{text}</p>" for text in BODY]
    html = page(
        "<article><h1>Trams are coming</h1><div>"
        + "".join(paragraphs[:2])
        + box
        + "".join(paragraphs[2:])
        + "</div></article>"
    )
    assert extract(html, URL).paragraphs == BODY


def test_product_links_in_a_round_up_are_kept() -> None:
    """A round-up's recommendations are linked names, not other stories' headlines."""
    picks = (
        "<h4>Our picks:</h4>"
        "<h2><a href='/p/1'>Fluke 117</a></h2><h2><a href='/p/2'>Klein MM400</a></h2>"
    )
    paragraphs = [f"<p>{text}</p>" for text in BODY]
    html = page(
        "<article><h1>Trams are coming</h1><div>"
        + "".join(paragraphs[:2])
        + picks
        + "".join(paragraphs[2:])
        + "</div></article>"
    )
    assert extract(html, URL).paragraphs == [
        *BODY[:2],
        "Our picks:",
        "Fluke 117",
        "Klein MM400",
        *BODY[2:],
    ]
