"""A body present only in a script payload, behind an empty HTML shell."""

from __future__ import annotations

import json

from handpicked import extract

from .pages import ARTICLE_HEAD, BODY

URL = "https://gazette.example/2026/03/02/trams-are-coming"


def _shell(script: str) -> str:
    """What a single-page app serves: a title, an empty root element, the data."""
    return (
        f"<html><head><title>Trams are coming | Gazette</title>{ARTICLE_HEAD}</head>"
        f'<body><div id="__next"><div class="loading"></div></div>{script}</body></html>'
    )


def test_a_body_in_next_data_html_is_read() -> None:
    data = {
        "props": {
            "pageProps": {
                "article": {
                    "id": "a8f3c2",
                    "title": "Trams are coming",
                    "body": "".join(f"<p>{text}</p>" for text in BODY),
                }
            }
        }
    }
    script = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'
    article = extract(_shell(script), URL)
    assert article.paragraphs == BODY
    assert article.is_article


def test_a_body_in_next_flight_chunks_is_read() -> None:
    """The app router streams the page as ``self.__next_f.push`` chunks: JSON strings that
    hold the article's HTML, its quotes escaped."""
    html = "".join(f'<p class="editor-p">{text}</p>' for text in BODY)
    chunks = [
        json.dumps([1, '1:["$","html",null,{"lang":"en"}]\n']),
        json.dumps([1, "2:T1f4,"]),
        json.dumps([1, html]),
    ]
    script = "".join(f"<script>self.__next_f.push({chunk})</script>" for chunk in chunks)
    article = extract(_shell(script), URL)
    assert article.paragraphs == BODY


def test_a_page_with_its_body_in_html_ignores_the_payload() -> None:
    """The payload is a fallback: where the page shows the story, the page is read."""
    data = {"props": {"pageProps": {"teaser": " ".join(BODY[:2]) + " Another sentence."}}}
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY)
    html = (
        f"<html><head><title>Trams | Gazette</title>{ARTICLE_HEAD}</head><body>"
        f"<article><h1>Trams are coming</h1>{paragraphs}</article>"
        f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'
        "</body></html>"
    )
    assert extract(html, URL).paragraphs == BODY
