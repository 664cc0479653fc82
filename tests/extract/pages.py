"""Small news pages written for these tests, in the shapes real sites serve."""

from __future__ import annotations

PROSE = (
    "The council voted on Tuesday to expand the tram line to the northern suburbs, a plan that "
    "has been debated for more than a decade and that residents say will change their commute."
)
MORE = (
    "Construction is expected to begin next spring, and officials said the first trams could "
    "run by the end of 2027, although the budget still has to be approved by the region."
)
LAST = (
    "Opponents argue the money would be better spent on buses, which they say could serve "
    "more neighbourhoods sooner and at a fraction of the cost of laying new rails."
)
FOURTH = (
    "The mayor said a public consultation would open in January, with meetings in every "
    "district so that people living along the planned route can see the drawings first."
)
BODY = [PROSE, MORE, LAST, FOURTH]

NAV = "".join(f'<li><a href="/section/{n}">Section number {n}</a></li>' for n in range(40))
RELATED = "".join(
    f'<li><a href="/story/{n}">Another story about the city budget, part {n}</a></li>'
    for n in range(12)
)

ARTICLE_HEAD = (
    '<script type="application/ld+json">{"@type": "NewsArticle", '
    '"headline": "Trams are coming", "datePublished": "2026-03-02T09:00:00+01:00"}</script>'
)


def page(body: str, head: str = ARTICLE_HEAD, title: str = "Trams are coming") -> str:
    """A whole page: menus and a footer of links around ``body``, as news sites have."""
    return (
        f"<html><head><title>{title} | Gazette</title>{head}</head><body>"
        f"<header><nav><ul>{NAV}</ul></nav></header>"
        f"<main>{body}</main>"
        f"<footer><ul>{RELATED}</ul><p>© 2026 The Gazette</p></footer>"
        "</body></html>"
    )
