"""The title is the headline a reader sees on the page: not the blog's logo printed as an
<h1>, not the date, byline or comment count a theme prints inside the headline, and not the
heading of a box of other stories further down."""

from __future__ import annotations

from handpicked.extract.document import parse_html
from handpicked.extract.metadata import extract_metadata


def _title(head: str, body: str, url: str = "https://blog.example/posts/1") -> str | None:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return extract_metadata(parse_html(html), url).title


def test_a_blog_logo_printed_as_h1_is_not_the_title() -> None:
    head = "<title>Field Notes</title>"
    body = (
        '<header><h1 class="logo"><a href="/">Field Notes</a></h1></header>'
        "<article><h2>What the tide left on the beach</h2>"
        "<p>Every morning this winter I walked the same mile of sand.</p></article>"
    )
    assert _title(
        head + '<meta property="og:title" content="What the tide left on the beach">', body
    ) == ("What the tide left on the beach")


def test_a_blog_logo_linking_to_the_full_home_address_is_not_the_title() -> None:
    head = (
        "<title>Getting started with tidy gardens</title>"
        '<meta property="og:site_name" content="Green Thumb Diary">'
    )
    body = (
        '<h1><a href="https://blog.example/">Green Thumb Diary</a></h1>'
        "<h1>Getting started with tidy gardens</h1><p>Start small, with one bed.</p>"
    )
    assert _title(head, body) == "Getting started with tidy gardens"


def test_a_date_printed_inside_the_headline_is_not_part_of_the_title() -> None:
    head = '<meta property="og:title" content="Preparing the spring release">'
    body = (
        '<h1><a href="/posts/1"><time datetime="2025-03-18">Mar 18 2025</time>'
        " Preparing the spring release</a></h1><p>The release branch opens next week.</p>"
    )
    assert _title(head, body) == "Preparing the spring release"


def test_a_german_dateline_inside_the_headline_is_not_part_of_the_title() -> None:
    head = '<meta property="og:title" content="Neue Radwege für die Altstadt">'
    body = (
        "<h1><span>18.03.2025</span> <span>Neue Radwege für die Altstadt</span></h1>"
        "<p>Der Stadtrat hat am Dienstag drei neue Radwege beschlossen.</p>"
    )
    assert _title(head, body, "https://zeitung.example/lokales/radwege") == (
        "Neue Radwege für die Altstadt"
    )


def test_a_source_link_and_comment_count_after_the_headline_are_not_part_of_it() -> None:
    head = "<title>Students find degrees no longer guarantee jobs - Newsboard</title>"
    body = (
        '<h1 class="story"><span class="story-title"><a href="/story/1">Students find degrees'
        ' no longer guarantee jobs</a> <span class="source">(example.com)</span></span>'
        ' <span class="comments">87</span></h1><p>Posted by an editor.</p>'
    )
    url = "https://newsboard.example/story/1"
    assert _title(head, body, url) == "Students find degrees no longer guarantee jobs"


def test_a_byline_printed_inside_the_headline_is_not_part_of_the_title() -> None:
    head = '<meta property="og:title" content="Keeping ledgers honest">'
    body = (
        '<h1 class="hero-title">Keeping ledgers honest<div class="divider"></div>'
        '<h3 class="date-info"><span>Posted on <a href="/p">July 1, 2024</a> by infuy</span>'
        "</h3></h1><p>Audits start with the books.</p>"
    )
    assert _title(head, body) == "Keeping ledgers honest"


def test_a_box_heading_further_down_does_not_win_by_a_hair() -> None:
    head = (
        "<title>Where to Bike in Houston | Bayou Magazine</title>"
        '<meta property="og:title" content="Our Favorite Biking Spots in Houston">'
        '<meta property="og:site_name" content="Bayou Magazine">'
    )
    body = (
        "<h1>The Best Trails and Neighborhoods in Houston for Biking</h1>"
        "<p>There has never been a better time to ride in the city.</p>"
        '<section class="widget"><h1>Next in Your Guide to Being Outside in Houston</h1></section>'
    )
    assert _title(head, body, "https://bayou.example/outdoors/biking") == (
        "The Best Trails and Neighborhoods in Houston for Biking"
    )


def test_a_headline_printed_whole_with_nothing_else_is_kept_as_printed() -> None:
    head = '<meta property="og:title" content="Rivers rise: towns on alert">'
    body = "<h1><span>Rivers rise:</span> <span>towns on alert</span></h1><p>Text.</p>"
    assert _title(head, body) == "Rivers rise: towns on alert"
