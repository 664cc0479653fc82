"""Site furniture in the language of the site: ad labels, share buttons, audio and video
players' labels, and the line under an article that opens its author's profile."""

from __future__ import annotations

import pytest

from handpicked import extract

from .pages import BODY, page

URL = "https://gazette.example/2026/03/02/trams-are-coming"


def _story(before: str = "", between: str = "", after: str = "") -> list[str]:
    first, *rest = (f"<p>{text}</p>" for text in BODY)
    html = page(
        f"<article><h1>Trams are coming</h1><div>{before}{first}{between}{''.join(rest)}"
        f"{after}</div></article>"
    )
    return extract(html, URL).paragraphs


@pytest.mark.parametrize("label", ["REKLAM", "Anzeige", "Publicidad", "Publicité", "Reklama"])
def test_an_ad_label_between_paragraphs_is_not_body(label: str) -> None:
    assert _story(between=f"<div>{label}</div>") == BODY


def test_share_buttons_named_by_network_or_verb_are_not_body() -> None:
    buttons = "".join(
        f"<div><span>{name}</span></div>"
        for name in ("facebook", "twitter-x", "whatsapp", "mail", "print", "copy")
    )
    assert _story(before=buttons) == BODY


def test_a_share_toolbar_read_out_as_one_line_is_not_body() -> None:
    toolbar = "<div>cancel email link share <span>Share</span> bookmark Save</div>"
    assert _story(before=toolbar) == BODY


@pytest.mark.parametrize("player", ["0:00 Anhören", "VIDEO4:42", "Listen to this article"])
def test_a_players_label_is_not_body(player: str) -> None:
    assert _story(before=f"<div>{player}</div>") == BODY


def test_the_authors_profile_after_the_article_is_not_body() -> None:
    profile = (
        "<h3>About the author</h3><p>Sam Lee</p>"
        "<p>Sam covers transport and city politics for the Gazette.</p>"
    )
    assert _story(after=profile) == BODY


def test_a_line_that_only_names_a_network_inside_a_sentence_is_kept() -> None:
    sentence = "The council posted the plan on Facebook before the vote on Tuesday."
    paragraphs = _story(between=f"<p>{sentence}</p>")
    assert sentence in paragraphs
