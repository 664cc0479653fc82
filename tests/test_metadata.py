"""Page metadata as a reader sees it: the headline, who wrote it, when, in what language, under
which section and tags, whatever mix of JSON-LD, OpenGraph, meta tags and visible bylines the
page uses to say so."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from handpicked.extract.document import parse_html
from handpicked.extract.meta.authors import split_authors
from handpicked.extract.meta.dates import date_from_url, parse_date
from handpicked.extract.metadata import PageMetadata, extract_metadata, normalise_language

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "seed-article"


def meta(html: str, url: str | None = "https://news.example/world/story") -> PageMetadata:
    return extract_metadata(parse_html(html), url)


def page(head: str = "", body: str = "", lang: str = "") -> str:
    attribute = f' lang="{lang}"' if lang else ""
    return f"<html{attribute}><head>{head}</head><body>{body}</body></html>"


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# JSON-LD ---------------------------------------------------------------------------------


def test_jsonld_graph_with_author_array_and_references() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "#site", "name": "The Ledger"},
            {"@type": "Person", "@id": "#jane", "name": "Jane Doe"},
            {
                "@type": ["NewsArticle", "Article"],
                "headline": "Rivers rise across the valley",
                "author": [{"@id": "#jane"}, {"@type": "Person", "name": "John Roe"}],
                "datePublished": "2024-03-05T08:00:00-05:00",
                "dateModified": "2024-03-06T10:00:00Z",
                "articleSection": "Weather",
                "keywords": ["floods", "rivers"],
                "inLanguage": "en-GB",
                "publisher": {"@type": "Organization", "name": "Ledger Media"},
                "articleBody": "The rivers rose overnight.",
            },
        ],
    }
    result = meta(page(ld(graph)))
    assert result.title == "Rivers rise across the valley"
    assert result.authors == ["Jane Doe", "John Roe"]
    assert result.published == datetime(2024, 3, 5, 8, tzinfo=timezone(timedelta(hours=-5)))
    assert result.updated == datetime(2024, 3, 6, 10, tzinfo=UTC)
    assert result.section == "Weather"
    assert result.tags == ["floods", "rivers"]
    assert result.language == "en"
    assert result.site_name == "Ledger Media"
    assert result.article_body == "The rivers rose overnight."
    assert "newsarticle" in result.page_types
    assert "website" in result.page_types


def test_jsonld_person_preferred_to_organization_author() -> None:
    data = {
        "@type": "BlogPosting",
        "headline": "A post",
        "author": [{"@type": "Organization", "name": "Acme"}, {"@type": "Person", "name": "Ann"}],
    }
    assert meta(page(ld(data))).authors == ["Ann"]


def test_jsonld_organization_author_is_a_credit_not_an_author() -> None:
    data = {
        "@type": "Article",
        "headline": "A post",
        "author": {"@type": "Organization", "name": "Acme"},
    }
    result = meta(page(ld(data)))
    assert result.authors == []
    assert result.credit == "Acme"


def test_broken_jsonld_is_read_leniently() -> None:
    script = """<script type="application/ld+json"><!--
    {"@type": "NewsArticle", "headline": "Broken but\tread", "author": {"name": "Jane Doe",},
     "datePublished": "2023-01-02",}
    {"@type": "WebSite", "name": "Second Object"}
    --></script>"""
    result = meta(page(script))
    assert result.title == "Broken but read"
    assert result.authors == ["Jane Doe"]
    assert result.published is not None and result.published.date().isoformat() == "2023-01-02"
    assert result.page_types == ["newsarticle", "website"]


def test_unparseable_jsonld_is_ignored() -> None:
    result = meta(
        page('<script type="application/ld+json">{not json at all</script><title>T</title>')
    )
    assert result.title == "T"


# OpenGraph and other meta tags -----------------------------------------------------------


def test_opengraph_only() -> None:
    head = """
    <meta property="og:title" content="Markets calm after the storm">
    <meta property="og:site_name" content="Daily Bugle">
    <meta property="og:url" content="https://bugle.example/markets/calm">
    <meta property="og:type" content="article">
    <meta property="og:image" content="/img/lead.jpg">
    <meta property="og:description" content="Traders exhale.">
    <meta property="article:published_time" content="2022-11-03T14:00:00+01:00">
    <meta property="article:modified_time" content="2022-11-04T09:00:00+01:00">
    <meta property="article:section" content="Business">
    <meta property="article:tag" content="Stocks">
    <meta property="article:tag" content="Bonds">
    <meta property="article:author" content="Peter Parker">
    """
    result = meta(page(head), "https://bugle.example/markets/calm?ref=home")
    assert result.title == "Markets calm after the storm"
    assert result.site_name == "Daily Bugle"
    assert result.canonical_url == "https://bugle.example/markets/calm"
    assert result.image_url == "https://bugle.example/img/lead.jpg"
    assert result.description == "Traders exhale."
    assert result.published == datetime(2022, 11, 3, 14, tzinfo=timezone(timedelta(hours=1)))
    assert result.updated == datetime(2022, 11, 4, 9, tzinfo=timezone(timedelta(hours=1)))
    assert result.section == "Business"
    assert result.tags == ["Stocks", "Bonds"]
    assert result.authors == ["Peter Parker"]
    assert result.page_types == ["article"]


def test_article_author_url_is_not_a_name() -> None:
    head = '<meta property="article:author" content="https://facebook.com/someone">'
    assert meta(page(head)).authors == []


def test_other_meta_names() -> None:
    head = """
    <meta name="parsely-title" content="Parsely headline">
    <meta name="dc.creator" content="Ada Lovelace">
    <meta name="sailthru.date" content="2021-07-08 10:30:00">
    <meta name="news_keywords" content="engines, computing">
    """
    result = meta(page(head))
    assert result.title == "Parsely headline"
    assert result.authors == ["Ada Lovelace"]
    assert result.published == datetime(2021, 7, 8, 10, 30, tzinfo=UTC)
    assert result.tags == ["engines", "computing"]


def test_citation_meta() -> None:
    head = """
    <meta name="citation_title" content="On Computable Numbers">
    <meta name="citation_author" content="Turing, Alan">
    <meta name="citation_publication_date" content="1999/05/28">
    """
    result = meta(page(head))
    assert result.title == "On Computable Numbers"
    assert result.published is not None and result.published.date().isoformat() == "1999-05-28"


def test_microdata() -> None:
    body = """<article itemscope itemtype="https://schema.org/Article">
      <h1 itemprop="headline">Microdata headline</h1>
      <span itemprop="author" itemscope><span itemprop="name">Grace Hopper</span></span>
      <meta itemprop="datePublished" content="2020-02-02">
      <p>Body.</p></article>"""
    result = meta(page(body=body))
    assert result.title == "Microdata headline"
    assert result.authors == ["Grace Hopper"]
    assert result.published is not None and result.published.date().isoformat() == "2020-02-02"


# Titles ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Storm hits the coast | The Daily Ledger",
        "Storm hits the coast - The Daily Ledger",
        "The Daily Ledger » Storm hits the coast",
        "Storm hits the coast – Ledger",
    ],
)
def test_title_suffix_naming_the_site_is_stripped(title: str) -> None:
    head = f'<title>{title}</title><meta property="og:site_name" content="The Daily Ledger">'
    assert meta(page(head), "https://ledger.example/a").title == "Storm hits the coast"


def test_title_suffix_naming_the_domain_is_stripped() -> None:
    result = meta(page("<title>Storm hits the coast | Ledger</title>"), "https://www.ledger.com/a")
    assert result.title == "Storm hits the coast"


def test_title_part_matching_the_h1_is_kept() -> None:
    html = page(
        "<title>Storm hits the coast | Weather | Some Paper</title>",
        "<h1>Storm hits the coast</h1>",
    )
    assert meta(html).title == "Storm hits the coast"


def test_visible_h1_preferred_to_seo_title() -> None:
    head = '<meta property="og:title" content="Storm Hits Coast: What To Know (2024 Guide)">'
    body = "<h1>Storm hits the coast: what to know</h1>"
    assert meta(page(head, body)).title == "Storm hits the coast: what to know"


def test_logo_h1_is_not_the_title() -> None:
    head = "<title>Storm hits the coast</title>"
    body = "<h1>Ledger</h1><h2>Storm hits the coast</h2>"
    assert meta(page(head, body)).title == "Storm hits the coast"


def test_doubly_escaped_entities_are_decoded() -> None:
    head = '<meta property="og:title" content="Salt &amp;amp; Pepper &amp;#8211; a history">'
    assert meta(page(head)).title == "Salt & Pepper – a history"


def test_truncated_jsonld_headline_gives_way_to_the_full_title() -> None:
    full = "A very long headline about rivers, floods and the towns that live beside them"
    data = {"@type": "Article", "headline": full[:40]}
    html = page(ld(data) + f'<meta property="og:title" content="{full}">')
    assert meta(html).title == full


def test_headline_markup_inside_words_and_line_breaks() -> None:
    body = "<h1>Planning C<span>ycle</span> news<br>and more</h1>"
    assert meta(page("<title>Planning Cycle news and more</title>", body)).title == (
        "Planning Cycle news and more"
    )


def test_bar_tagline_is_dropped_from_the_title() -> None:
    head = '<meta property="og:title" content="Best Movers in NYC 2025 | Top 19 Companies">'
    assert meta(page(head)).title == "Best Movers in NYC 2025"


def test_site_name_from_title_suffix_when_undeclared() -> None:
    html = page(
        "<title>Self-host your database | Pierce Freeman</title>",
        "<h1>Self-host your database</h1>",
    )
    result = meta(html)
    assert result.title == "Self-host your database"
    assert result.site_name == "Pierce Freeman"


def test_svg_title_is_not_the_page_title() -> None:
    body = "<svg><title>Facebook icon</title></svg><p>text</p>"
    assert meta(page("<title>Real title</title>", body)).title == "Real title"


# Bylines ---------------------------------------------------------------------------------


def test_byline_with_two_authors_and_role() -> None:
    body = '<h1>Headline here</h1><p class="byline">By Jane Doe and John Roe, Staff Writers</p>'
    assert meta(page(body=body)).authors == ["Jane Doe", "John Roe"]


def test_byline_near_headline_without_class_names() -> None:
    body = """<div><h1>Headline here</h1><div class="text-xs"><p>By <a href="/p/ann">Ann Lee</a></p>
    <p>March 4, 2024</p></div></div><p>Body text.</p>"""
    result = meta(page(body=body), "https://x.example/post")
    assert result.authors == ["Ann Lee"]
    assert result.published == datetime(2024, 3, 4, tzinfo=UTC)


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Jane Doe and John Roe, Staff Writers", ["Jane Doe", "John Roe"]),
        ("by JANE DOE | June 30, 2023", ["JANE DOE"]),
        ("Written by: Jane Doe, jane@example.com", ["Jane Doe"]),
        ("Jane Doe, Senior Editor", ["Jane Doe"]),
        ("Jane Doe & John Roe; Ann Lee", ["Jane Doe", "John Roe", "Ann Lee"]),
        ("Dylan Bailey, MS, RD", ["Dylan Bailey, MS, RD"]),
        ("Maria da Silva", ["Maria da Silva"]),
        ("https://example.com/authors/jane", []),
        ("Click here to read more of the stories that this writer has published lately", []),
        ("Staff Writer", []),
    ],
)
def test_split_authors(byline: str, names: list[str]) -> None:
    assert split_authors(byline) == names


def test_site_name_is_not_a_visible_byline() -> None:
    assert split_authors("Daily Bugle", "Daily Bugle", strict=True) == []
    head = '<meta property="og:site_name" content="Daily Bugle">'
    body = '<h1>Headline</h1><span class="author">Daily Bugle</span><p class="byline">Ann Lee</p>'
    assert meta(page(head, body)).authors == ["Ann Lee"]


def test_no_byline_means_no_author_not_the_publication() -> None:
    head = '<meta property="og:site_name" content="Daily Bugle">'
    result = meta(page(head, "<h1>Headline</h1><p>Text.</p>"))
    assert result.authors == []
    assert result.credit == "Daily Bugle"


def test_printed_byline_beats_site_name_declared_as_author() -> None:
    head = (
        '<meta property="og:site_name" content="Daily Bugle">'
        '<meta name="author" content="Daily Bugle">'
    )
    body = "<h1>Headline</h1><p>By Ann Lee</p><p>Text.</p>"
    assert meta(page(head, body)).authors == ["Ann Lee"]


def test_declared_credit_that_is_not_a_name_is_no_author() -> None:
    result = meta(page('<meta name="author" content="Staff">'))
    assert result.authors == []
    assert result.credit == "Staff"


def test_citation_author_family_name_first() -> None:
    head = '<meta name="citation_author" content="Turing, Alan">'
    assert meta(page(head)).authors == ["Alan Turing"]


def test_name_printed_beside_the_date() -> None:
    body = "<h1>Headline here</h1><div><span>Ann Lee</span> · <span>May 4, 2024</span></div>"
    result = meta(page(body=body), "https://x.example/a")
    assert result.authors == ["Ann Lee"]
    assert result.published == datetime(2024, 5, 4, tzinfo=UTC)


def test_partner_named_beside_the_date_is_not_the_author() -> None:
    body = """<h1>Headline here</h1><div>Produced in association with <a href="/p">Partner News
    Network</a> <time datetime="2024-05-04">May 4, 2024</time></div>"""
    assert meta(page(body=body), "https://x.example/a").authors == []


def test_day_first_locale_for_numeric_dates() -> None:
    body = "<h1>Headline here</h1><p>03/10/2023</p>"
    assert meta(page(body=body, lang="en-GB")).published == datetime(2023, 10, 3, tzinfo=UTC)
    assert meta(page(body=body, lang="en-US")).published == datetime(2023, 3, 10, tzinfo=UTC)


def test_rel_author_link() -> None:
    body = '<h1>Headline</h1><div><a rel="author" href="/u/kim">Kim Park</a></div>'
    assert meta(page(body=body)).authors == ["Kim Park"]


# Dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-06-30T09:15:00+00:00", datetime(2023, 6, 30, 9, 15, tzinfo=UTC)),
        ("2023-06-30T09:15:00Z", datetime(2023, 6, 30, 9, 15, tzinfo=UTC)),
        (
            "2023-06-30T23:15:00-0700",
            datetime(2023, 6, 30, 23, 15, tzinfo=timezone(timedelta(hours=-7))),
        ),
        ("2023-06-30 09:15", datetime(2023, 6, 30, 9, 15, tzinfo=UTC)),
        ("2023-06-30", datetime(2023, 6, 30, tzinfo=UTC)),
        ("20230630", datetime(2023, 6, 30, tzinfo=UTC)),
        ("June 30, 2023", datetime(2023, 6, 30, tzinfo=UTC)),
        ("Published Jun 30th, 2023", datetime(2023, 6, 30, tzinfo=UTC)),
        ("30 June 2023 10:00 GMT", datetime(2023, 6, 30, 10, tzinfo=UTC)),
        (
            "Fri, 30 Jun 2023 10:00:00 +0200",
            datetime(2023, 6, 30, 10, tzinfo=timezone(timedelta(hours=2))),
        ),
    ],
)
def test_parse_date_formats(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "1990-01-01",
        "2999-01-01",
        "no date here",
        "",
        "13/45/2020",
        "the 2024 Olympics",
        "3 hours ago",
    ],
)
def test_implausible_dates_are_rejected(text: str) -> None:
    assert parse_date(text) is None


def test_unknown_zone_abbreviation_neither_warns_nor_fails() -> None:
    assert parse_date("Mon, 05 Feb 2024 10:00 CET") == datetime(2024, 2, 5, 10, tzinfo=UTC)


def test_dates_are_timezone_aware() -> None:
    value = parse_date("2021-05-05T12:00:00")
    assert value is not None and value.tzinfo is not None


def test_future_date_rejected_relative_to_now() -> None:
    soon = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d")
    later = (datetime.now(UTC) + timedelta(days=10)).strftime("%Y-%m-%d")
    assert parse_date(soon) is not None
    assert parse_date(later) is None


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://x.example/2023/06/30/story", "2023-06-30"),
        ("https://x.example/news/2023-06-30-story", "2023-06-30"),
        ("https://x.example/2025/12/19/what-people-love", "2025-12-19"),
        ("https://x.example/story-20230630.html", "2023-06-30"),
        ("https://x.example/2023/story", None),
    ],
)
def test_date_from_url(url: str, day: str | None) -> None:
    value = date_from_url(url)
    assert (value.date().isoformat() if value else None) == day


def test_published_preferred_to_modified() -> None:
    head = """<meta property="article:modified_time" content="2024-02-02T00:00:00Z">
    <meta property="article:published_time" content="2024-01-01T00:00:00Z">"""
    assert meta(page(head)).published == datetime(2024, 1, 1, tzinfo=UTC)


def test_time_element_and_url_date() -> None:
    body = '<h1>Headline</h1><p>Text</p><footer><time datetime="2019-04-05">Apr 5</time></footer>'
    assert meta(page(body=body), "https://x.example/a").published == datetime(
        2019, 4, 5, tzinfo=UTC
    )
    from_url = meta(page(body="<p>x</p>"), "https://x.example/2018/03/02/a").published
    assert from_url == datetime(2018, 3, 2, tzinfo=UTC)


def test_next_data_script_date_without_jsonld() -> None:
    state = {"props": {"pageProps": {"post": {"title": "A", "publishedAt": "2023-07-14T09:00Z"}}}}
    body = (
        f'<h1>Headline</h1><p>Text</p><script id="__NEXT_DATA__" type="application/json">'
        f"{json.dumps(state)}</script>"
    )
    assert meta(page(body=body), "https://x.example/a").published == datetime(
        2023, 7, 14, 9, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "script",
    [
        'self.__next_f.push([1,"{\\"datePublished\\":\\"2022-03-04\\",\\"x\\":1}"])',
        "window.__NUXT__={post:{published_at:'2022-03-04 10:00:00'}}",
        'var data = {"republishedAt": "2021-01-01", "date_gmt": "2022-03-04T10:00:00"};',
    ],
)
def test_script_date_shapes(script: str) -> None:
    body = f"<h1>Headline</h1><p>Text</p><script>{script}</script>"
    published = meta(page(body=body), "https://x.example/a").published
    assert published is not None and published.date().isoformat() == "2022-03-04"


def test_script_date_ranks_below_the_printed_dateline() -> None:
    body = (
        "<h1>Headline</h1><p>March 5, 2024</p><p>Text</p>"
        '<script>var related = {"publishedAt": "2020-01-01"};</script>'
    )
    published = meta(page(body=body), "https://x.example/a").published
    assert published == datetime(2024, 3, 5, tzinfo=UTC)


def test_jsonld_in_a_meta_tag() -> None:
    data = json.dumps({"@type": "Article", "datePublished": "2025-11-17T09:00:00-05:00"})
    head = f'<meta name="script:ld+json" content="{html.escape(data)}">'
    published = meta(page(head, "<h1>Headline</h1>"), "https://x.example/a").published
    assert published is not None and published.date().isoformat() == "2025-11-17"


def test_labelled_date_far_from_the_headline_is_the_last_resort() -> None:
    body = (
        "<h1>Headline</h1><p>Text</p>" + "<p>Filler paragraph of the article.</p>" * 40 + ""
        '<p style="text-align:right">Last updated: November 13, 2025</p><footer>x</footer>'
    )
    assert meta(page(body=body), "https://x.example/a").published == datetime(
        2025, 11, 13, tzinfo=UTC
    )
    split = (
        "<h1>Headline</h1><p>Text</p>"
        + "<p>Filler.</p>" * 40
        + ("<div><span>Posted on</span><span>4 May 2021</span></div>")
    )
    assert meta(page(body=split), "https://x.example/a").published == datetime(
        2021, 5, 4, tzinfo=UTC
    )


def test_microformats_abbr_published_title() -> None:
    body = (
        '<div class="hentry"><h2>Headline</h2>'
        '<abbr class="published" title="2008-09-08T10:00:00Z">Sept 8</abbr><p>Text</p></div>'
    )
    assert meta(page(body=body), "https://x.example/a").published == datetime(
        2008, 9, 8, 10, tzinfo=UTC
    )


def test_declared_date_printed_as_the_update_yields_to_the_printed_publication() -> None:
    head = '<meta property="article:published_time" content="2025-08-21T00:00:00Z">'
    body = (
        "<h1>Headline</h1><div><span>Published</span><span>Apr 26, 2023</span>"
        "<span>Updated</span><span>Aug 21, 2025</span></div><p>Text</p>"
    )
    assert meta(page(head, body)).published == datetime(2023, 4, 26, tzinfo=UTC)


def test_numeric_dateline_read_either_way_confirms_the_declared_date() -> None:
    head = '<meta property="article:published_time" content="2024-09-10T16:07:00Z">'
    body = "<h1>Headline</h1><p>By Block</p><p>09.10.2024</p><p>Text</p>"
    assert meta(page(head, body)).published == datetime(2024, 9, 10, 16, 7, tzinfo=UTC)


# URLs, language, tags --------------------------------------------------------------------


def test_relative_canonical_is_resolved() -> None:
    head = '<link rel="canonical" href="/world/story-1">'
    result = meta(page(head), "https://news.example/world/story-1?utm=x")
    assert result.canonical_url == "https://news.example/world/story-1"


@pytest.mark.parametrize("bad", ["http://[::1", "//[", "http://[bad]/x", "javascript:1", " "])
def test_malformed_urls_are_dropped_not_raised(bad: str) -> None:
    head = f'<link rel="canonical" href="{bad}"><meta property="og:image" content="{bad}">'
    body = f'<h1>Headline</h1><a class="author" href="{bad}">Ann Lee</a>'
    for url in (bad, "https://news.example/story", None):
        result = meta(page(head, body), url)
        assert result.canonical_url is None
        assert result.image_url is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("en-US", "en"), ("pt_BR", "pt"), ("DE", "de"), ("fr-FR, en", "fr"), ("", None), ("12", None)],
)
def test_normalise_language(value: str, expected: str | None) -> None:
    assert normalise_language(value) == expected


def test_language_from_html_then_meta_then_jsonld() -> None:
    assert meta(page(lang="en-GB")).language == "en"
    assert meta(page('<meta http-equiv="content-language" content="de-AT">')).language == "de"
    assert meta(page(ld({"@type": "Article", "inLanguage": "es-MX"}))).language == "es"


def test_visible_tag_list_inside_article() -> None:
    head = '<meta property="article:tag" content="Rain">'
    body = """<article><h1>Headline</h1><p>Text</p>
    <ul class="tags"><li><a href="/t/rain">rain</a></li><li><a href="/t/wind">Wind</a></li></ul>
    </article><aside><a rel="tag" href="/tag/other">Unrelated</a></aside>"""
    assert meta(page(head, body)).tags == ["Rain", "Wind"]


def test_tree_is_not_modified() -> None:
    html = (FIXTURES / "page.html").read_text(encoding="utf-8")
    root = parse_html(html)
    before = etree.tostring(root)
    extract_metadata(root, "https://ledger.example/world/x")
    assert etree.tostring(root) == before


# The seed fixtures -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["page.html", "syndicated-copy.html"])
def test_seed_fixtures(name: str) -> None:
    expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))[name]
    html = (FIXTURES / name).read_text(encoding="utf-8")
    result = meta(html, expected["url"])
    assert result.title == expected["title"]
    assert result.site_name == expected["site_name"]
    assert result.published is not None
    assert result.published.date().isoformat() == expected["published"]
    assert result.section == expected["section"]
    if "language" in expected:
        assert result.language == expected["language"]
    if "tags" in expected:
        assert result.tags == expected["tags"]
    assert result.canonical_url == expected["url"]
    if name == "page.html":
        # The syndication partner and the editor are credited on the page, but did not write it.
        assert "Jewish News Syndicate" not in result.authors
        assert "Bilal Zafar Ranjha" not in result.authors


def test_page_without_metadata() -> None:
    result = meta("<p>just text</p>", None)
    assert result.title is None
    assert result.authors == []
    assert result.published is None
    assert result.canonical_url is None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_jsonld_never_raises(text: str) -> None:
    script = f'<script type="application/ld+json">{text.replace("<", " ")}</script>'
    meta(page(script + "<title>x</title>"))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_arbitrary_dates_and_bylines_never_raise(text: str) -> None:
    value = parse_date(text)
    assert value is None or value.tzinfo is not None
    assert all(name.strip() for name in split_authors(text))


# Authors are people ----------------------------------------------------------------------


def test_photo_credits_and_slugs_filed_as_authors_are_not_people() -> None:
    head = (
        '<meta name="author" content="Mary Stone">'
        '<meta name="author" content="(Image: Getty Images)">'
        '<meta name="author" content="Foto: Picture Alliance">'
        '<meta name="parsely-author" content="mary-stone">'
    )
    assert meta(page(head, "<h1>Ferns that clean the air</h1>")).authors == ["Mary Stone"]


def test_outlet_declared_as_its_own_author_gives_way_to_the_person() -> None:
    data = {
        "@type": "NewsArticle",
        "headline": "Harbour reopens",
        "author": {"@type": "Person", "name": "Harbourwatch"},
        "publisher": {"@type": "Organization", "name": "Harbourwatch"},
    }
    head = ld(data) + '<meta name="author" content="Lena Berg">'
    assert meta(page(head, "<h1>Harbour reopens</h1>")).authors == ["Lena Berg"]


def test_outlet_named_by_its_domain_is_no_author() -> None:
    head = '<meta name="author" content="harbourwatch.example">'
    result = meta(page(head, "<h1>Harbour reopens</h1>"), "https://harbourwatch.example/a")
    assert result.authors == []


def test_one_person_site_keeps_its_author() -> None:
    head = '<meta property="og:site_name" content="Nora Quist">'
    head += '<meta name="author" content="Nora Quist">'
    result = meta(page(head, "<h1>Notes on sourdough</h1>"), "https://noraquist.example/sourdough")
    assert result.authors == ["Nora Quist"]


def test_jsonld_publisher_person_is_no_outlet() -> None:
    data = {
        "@type": "BlogPosting",
        "headline": "Notes on sourdough",
        "author": {"@type": "Person", "name": "Nora Quist"},
        "publisher": {"@type": "Person", "name": "Nora Quist"},
    }
    assert meta(page(ld(data), "<h1>Notes on sourdough</h1>")).authors == ["Nora Quist"]


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Von Anna Keller und Jonas Brandt", ["Anna Keller", "Jonas Brandt"]),
        ("Par Claire Dubois et Marc Lefèvre", ["Claire Dubois", "Marc Lefèvre"]),
        ("Por Lucía Romero y Diego Salas", ["Lucía Romero", "Diego Salas"]),
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
    ],
)
def test_bylines_in_other_languages_near_the_headline(byline: str, names: list[str]) -> None:
    body = f"<article><h1>Der Hafen öffnet wieder</h1><p>{byline}</p><p>Text.</p></article>"
    assert meta(page(body=body)).authors == names


def test_korean_reporter_title_after_the_name_is_dropped() -> None:
    head = (
        '<meta property="og:site_name" content="한국일보"><meta name="author" content="한국일보">'
    )
    head += '<meta name="author" content="신현주 기자">'
    assert meta(page(head, "<h1>국회 소식</h1>")).authors == ["신현주"]


# The headline the reader sees -------------------------------------------------------------


def test_breadcrumb_h1_gives_way_to_the_printed_headline() -> None:
    head = (
        '<meta property="og:title" content="Statt Bargeld: So zahlt Europa bald">'
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "headline": "Zahlungssystem: Europa plant neues Bezahlen"}'
        "</script>"
    )
    body = (
        '<nav><ul class="breadcrumb"><li>Wirtschaft</li>'
        "<li><h1>Zahlungssystem: Europa plant neues Bezahlen</h1></li></ul></nav>"
        '<article><header><h2><span class="kicker">Bezahlen</span>'
        "<span>Statt Bargeld: So zahlt Europa bald</span></h2></header><p>Text.</p></article>"
        '<ul><li><a href="/x"><h3>Zahlungssystem: Europa plant neues Bezahlen</h3></a></li></ul>'
    )
    assert meta(page(head, body)).title == "Statt Bargeld: So zahlt Europa bald"


def test_kicker_in_its_own_element_is_not_part_of_the_headline() -> None:
    head = '<meta property="og:title" content="Rückschlag im Titelkampf - Liverpool verliert">'
    body = (
        "<h1><span>Premier League</span> <span>Rückschlag im Titelkampf - Liverpool verliert"
        "</span></h1>"
    )
    assert meta(page(head, body)).title == "Rückschlag im Titelkampf - Liverpool verliert"


def test_kicker_with_a_colon_reads_as_part_of_the_headline() -> None:
    head = '<meta property="og:title" content="Bericht: Aktivistin freigelassen">'
    body = "<h1><span>Nach Protesten:</span> Bericht: Aktivistin freigelassen</h1>"
    assert meta(page(head, body)).title == "Nach Protesten: Bericht: Aktivistin freigelassen"


def test_site_suffix_is_no_continuation_of_a_shorter_title() -> None:
    head = (
        '<meta property="og:title" content="Marathon: Ein Porträt des Siegers">'
        '<meta property="og:site_name" content="Süddeutsche.de">'
    )
    body = "<title>Marathon: Ein Porträt des Siegers - Sport - SZ.de</title>"
    html = f"<html><head>{body}{head}</head><body><p>Text.</p></body></html>"
    assert meta(html).title == "Marathon: Ein Porträt des Siegers"


def test_soft_hyphens_are_not_part_of_the_title() -> None:
    body = "<h1>Ver\u00adfas\u00adsungs\u00adbe\u00adschwerde eingelegt</h1>"
    assert meta(page(body=body)).title == "Verfassungsbeschwerde eingelegt"


# Dates -------------------------------------------------------------------------------------


def test_time_in_a_related_story_box_is_not_the_date() -> None:
    body = (
        "<article><h1>Harbour reopens</h1><p>Text of the story.</p>"
        '<div class="related-stories"><h3>Also read</h3>'
        '<time datetime="2021-03-04">4 March 2021</time></div>'
        '<p class="meta">Posted <time datetime="2023-05-06">6 May 2023</time></p></article>'
    )
    published = meta(page(body=body), "https://x.example/a").published
    assert published is not None
    assert published.date().isoformat() == "2023-05-06"


def test_published_offset_is_kept() -> None:
    head = (
        '<meta property="article:published_time" content="2024-04-21T20:24:00+02:00">'
        '<meta property="article:modified_time" content="2024-04-22T08:00:00+02:00">'
    )
    published = meta(page(head, "<h1>Headline</h1>")).published
    assert published == datetime(2024, 4, 21, 20, 24, tzinfo=timezone(timedelta(hours=2)))
    assert published is not None and published.utcoffset() == timedelta(hours=2)


def test_kicker_printed_over_the_headline_joins_it_as_the_site_declares() -> None:
    head = '<meta property="og:title" content="Nach Rücktritt: Ministerin soll Amt übernehmen">'
    body = (
        '<div class="lead"><div class="kicker">Nach Rücktritt</div>'
        "<h1>Ministerin soll Amt übernehmen</h1></div><p>Text.</p>"
    )
    assert meta(page(head, body)).title == "Nach Rücktritt: Ministerin soll Amt übernehmen"


def test_seo_keyword_prefix_not_printed_over_the_headline_stays_out() -> None:
    head = '<meta property="og:title" content="Zinsen: Notenbank senkt den Leitzins">'
    body = "<h1>Notenbank senkt den Leitzins</h1><p>Text.</p>"
    assert meta(page(head, body)).title == "Notenbank senkt den Leitzins"


@pytest.mark.parametrize("outlet", ["Daily News", "Online-Redaktion", "Nachrichten"])
def test_publication_names_are_not_people(outlet: str) -> None:
    head = f'<meta name="author" content="{outlet}">'
    assert meta(page(head, "<h1>Headline</h1>")).authors == []


@pytest.mark.parametrize("site", ["Le Quotidien", "Der Stadtbote"])
def test_site_name_led_by_an_article_is_not_a_person(site: str) -> None:
    head = f'<meta property="og:site_name" content="{site}"><meta name="author" content="{site}">'
    assert meta(page(head, "<h1>Headline</h1>")).authors == []
