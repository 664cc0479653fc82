"""Authors are people: the person a personal site is named after writes its posts, while a
publication named like a person is still no one's byline."""

from __future__ import annotations

from handpicked.extract.document import parse_html
from handpicked.extract.metadata import extract_metadata


def _authors(site: str, url: str, byline: str = "") -> list[str]:
    html = (
        f'<html><head><meta property="og:site_name" content="{site}">'
        "<title>Notes on self-hosting a database</title></head><body><article>"
        f"<h1>Notes on self-hosting a database</h1>{byline}"
        "<p>Running your own database is less work than the cloud bill suggests.</p>"
        "</article></body></html>"
    )
    return extract_metadata(parse_html(html), url).authors


def test_a_personal_site_is_written_by_the_person_it_is_named_after() -> None:
    assert _authors("Erin Walsh", "https://erin.blog.example/notes") == ["Erin Walsh"]


def test_a_personal_brand_names_its_owner_without_the_trade() -> None:
    assert _authors("Brett Larkin Yoga", "https://brettlarkin.example/mats") == ["Brett Larkin"]


def test_a_paper_named_like_a_person_is_no_author() -> None:
    assert _authors("Evening Standard", "https://standard.example/news/1") == []


def test_a_site_named_after_someone_the_host_does_not_spell_is_no_author() -> None:
    assert _authors("Julia Roberts", "https://fanpages.example/posts/1") == []


def test_a_printed_byline_wins_over_the_site_owner() -> None:
    byline = "<p>By Maria Keller</p>"
    assert _authors("Erin Walsh", "https://erin.blog.example/notes", byline) == ["Maria Keller"]


def test_co_authors_before_a_slash_and_their_paper_are_both_kept() -> None:
    byline = "<p>By Takeo Maeda and Tatsuya Tanoue / Yomiuri Shimbun Staff Writers</p>"
    assert _authors("The Daily Example", "https://daily.example/politics/1", byline) == [
        "Takeo Maeda",
        "Tatsuya Tanoue",
    ]


def test_a_weekday_after_the_byline_is_no_part_of_the_name() -> None:
    byline = "<p>By Dana Whitfield on Tuesday</p>"
    assert _authors("The Daily Example", "https://daily.example/politics/2", byline) == [
        "Dana Whitfield"
    ]


def test_a_short_title_printed_over_its_date_is_not_the_author() -> None:
    html = (
        "<html><head><title>Vibe Coding</title></head><body>"
        '<h1><a href="/">Field Notes</a></h1>'
        "<div><h2>Vibe Coding</h2><p>December 16, 2025</p>"
        "<p>I spent the week writing software by describing it to a machine.</p></div>"
        "</body></html>"
    )
    found = extract_metadata(parse_html(html), "https://notes.example/2025/12/vibe.html")
    assert found.title == "Vibe Coding"
    assert found.authors == []
