"""parse_feed on the dialects, encodings and hostile documents feeds arrive as."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handpicked.fetch.feeds import ParsedFeed, parse_feed
from handpicked.fetch.xmlsafety import FeedError, check_xml_safe

FIXTURES = Path(__file__).parent.parent / "fixtures" / "feeds"
FEED_URL = "https://example.org/feeds/main.xml"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def rss(items: str, title: str = "Test", declaration: str = "") -> bytes:
    return (
        f'{declaration}<rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://example.org/</link>{items}</channel></rss>"
    ).encode()


# --- dialects ---------------------------------------------------------------


def test_rss2_with_lying_latin1_label_reads_utf8_and_resolves_links() -> None:
    feed = parse_feed(fixture("rss2-latin1-label-utf8-bytes.xml"), FEED_URL)
    assert feed.kind == "rss"
    assert feed.title == "Café Société — Nachrichten"
    assert feed.site_url == "https://example.org/"
    first = feed.entries[0]
    assert first.url == "https://example.org/2025/06/zurich"
    assert first.title == "Über Zürich & Genève: Grüße"
    assert first.guid == "zurich-1"
    assert first.published == datetime(2025, 6, 10, 6, 30, tzinfo=UTC)
    assert first.summary == "Zwei Städte, eine Reise."


def test_entries_without_link_are_skipped() -> None:
    feed = parse_feed(fixture("rss2-latin1-label-utf8-bytes.xml"), FEED_URL)
    assert [entry.title for entry in feed.entries] == [
        "Über Zürich & Genève: Grüße",
        "Impossible date",
        "Relative date",
        "Empty date",
        "No zone",
    ]


def test_broken_dates_become_none_and_zoneless_dates_are_utc() -> None:
    entries = {
        e.title: e
        for e in parse_feed(fixture("rss2-latin1-label-utf8-bytes.xml"), FEED_URL).entries
    }
    assert entries["Impossible date"].published is None
    assert entries["Relative date"].published is None
    assert entries["Empty date"].published is None
    assert entries["No zone"].published == datetime(2025, 6, 11, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "date", ["Tuesday, 31 Feb 2025", "yesterday", "", "   ", "32/13/2025", "Mon, 99 Foo 0000"]
)
def test_any_broken_date_is_none(date: str) -> None:
    feed = parse_feed(rss(f"<item><link>/x</link><pubDate>{date}</pubDate></item>"), FEED_URL)
    assert feed.entries[0].published is None


def test_epoch_placeholder_date_is_none() -> None:
    item = "<item><link>/x</link><pubDate>Thu, 01 Jan 1970 00:00:00 GMT</pubDate></item>"
    assert parse_feed(rss(item), FEED_URL).entries[0].published is None


def test_summary_falls_back_to_content_and_is_capped() -> None:
    body = "<p>" + "word " * 600 + "</p>"
    content = (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>T</title><item><link>/c</link><content:encoded><![CDATA[{body}]]>"
        "</content:encoded></item></channel></rss>"
    ).encode()
    summary = parse_feed(content, FEED_URL).entries[0].summary
    assert summary is not None
    assert summary.startswith("word word")
    assert summary.endswith("…")
    assert len(summary) <= 1001


def test_rss1_rdf() -> None:
    feed = parse_feed(fixture("rss1-rdf.xml"), "https://rdf.example.net/index.rdf")
    assert feed.kind == "rss"
    assert feed.title == "RDF Site"
    assert [e.url for e in feed.entries] == [
        "https://rdf.example.net/one",
        "https://rdf.example.net/two",
    ]
    assert feed.entries[0].published == datetime(2024, 3, 5, 12, 0, tzinfo=UTC)


def test_rss091_with_public_doctype_is_accepted() -> None:
    content = (
        b'<?xml version="1.0"?>\n'
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel>'
        b"<title>Old</title><link>https://old.example.com/</link><item><title>A</title>"
        b"<link>https://old.example.com/a</link></item></channel></rss>"
    )
    feed = parse_feed(content, "https://old.example.com/rss")
    assert feed.kind == "rss"
    assert [e.url for e in feed.entries] == ["https://old.example.com/a"]


def test_atom_relative_links_and_xml_base() -> None:
    feed = parse_feed(fixture("atom-xml-base.xml"), "https://blog.example.com/atom.xml")
    assert feed.kind == "atom"
    assert feed.title == "Atom & Friends"
    assert feed.site_url == "https://blog.example.com/"
    assert [e.url for e in feed.entries] == [
        "https://blog.example.com/posts/hello-world",
        "https://other.example.com/second",
    ]
    first = feed.entries[0]
    assert first.guid == "tag:blog.example.com,2025:1"
    assert first.summary == "Hi there"
    assert first.published == datetime(2025, 5, 1, 8, 0, tzinfo=UTC)


def test_atom03() -> None:
    content = b"""<?xml version="1.0"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#">
  <title>Old Atom</title><link rel="alternate" type="text/html" href="https://a03.example.com/"/>
  <entry><title>Entry</title><link rel="alternate" type="text/html" href="/e1"/>
  <issued>2005-01-02T03:04:05Z</issued><id>e1</id></entry>
</feed>"""
    feed = parse_feed(content, "https://a03.example.com/atom")
    assert feed.kind == "atom"
    assert [e.url for e in feed.entries] == ["https://a03.example.com/e1"]


def test_relative_links_resolve_against_feed_url() -> None:
    feed = parse_feed(rss("<item><link>../story?id=1&amp;x=2</link></item>"), FEED_URL)
    assert feed.entries[0].url == "https://example.org/story?id=1&x=2"


def test_non_web_links_are_skipped() -> None:
    items = "<item><link>javascript:alert(1)</link></item><item><link>mailto:a@b.c</link></item>"
    assert parse_feed(rss(items), FEED_URL).entries == []


def test_json_feed_11_url_and_external_url() -> None:
    feed = parse_feed(fixture("jsonfeed-1.1.json"), "https://json.example.com/feed.json")
    assert feed.kind == "json"
    assert feed.title == "JSON Times"
    assert feed.site_url == "https://json.example.com/"
    assert [e.url for e in feed.entries] == [
        "https://json.example.com/first",
        "https://elsewhere.example.org/story",
        "https://json.example.com/relative-item",
    ]
    first, second, third = feed.entries
    assert first.title == "First & foremost"
    assert first.summary == "Plain text body."
    assert first.guid == "1"
    assert first.published == datetime(2025, 4, 1, 13, 0, tzinfo=UTC)
    assert second.published is None
    assert third.summary == "Relative"


def test_json_feed_10_served_as_json() -> None:
    content = (
        b'{"version": "https://jsonfeed.org/version/1", "title": "J",'
        b' "items": [{"id": 7, "url": "https://j.example.com/7"}]}'
    )
    feed = parse_feed(content, "https://j.example.com/feed.json", "application/json")
    assert feed.entries[0].guid == "7"


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[1, 2, 3]", b'{"title": "no items"}', b"[" * 100_000 + b"]" * 100_000],
)
def test_json_that_is_no_feed(content: bytes) -> None:
    with pytest.raises(FeedError, match="not a feed"):
        parse_feed(content, FEED_URL, "application/feed+json")


def test_empty_but_valid_feed_has_no_entries() -> None:
    feed = parse_feed(rss(""), FEED_URL)
    assert feed == ParsedFeed(kind="rss", title="Test", site_url="https://example.org/", entries=[])


# --- encodings and entities -------------------------------------------------


def test_cp1252_smart_quotes_in_utf8_feed() -> None:
    content = rss(
        "<item><title>Naïve \x93quoted\x94 text</title><link>/q</link></item>",
        declaration='<?xml version="1.0" encoding="utf-8"?>',
    )
    content = content.replace(b"\xc2\x93", b"\x93").replace(b"\xc2\x94", b"\x94")
    assert b"\x93" in content and "ï".encode() in content
    assert parse_feed(content, FEED_URL).entries[0].title == "Naïve “quoted” text"


def test_genuine_latin1_feed() -> None:
    content = (
        rss(
            "<item><title>Caf\xe9 cr\xe8me</title><link>/c</link></item>",
            declaration='<?xml version="1.0" encoding="ISO-8859-1"?>',
        )
        .decode("utf-8")
        .encode("latin-1")
    )
    assert parse_feed(content, FEED_URL).entries[0].title == "Café crème"


def test_declared_cyrillic_charset_is_honoured() -> None:
    content = (
        rss(
            "<item><title>Новости дня</title><link>/n</link></item>",
            declaration='<?xml version="1.0" encoding="windows-1251"?>',
        )
        .decode("utf-8")
        .encode("cp1251")
    )
    assert parse_feed(content, FEED_URL).entries[0].title == "Новости дня"


def test_utf16_feed_with_bom() -> None:
    content = rss("<item><title>Ünïcode</title><link>/u</link></item>").decode().encode("utf-16")
    assert parse_feed(content, FEED_URL).entries[0].title == "Ünïcode"


def test_double_escaped_and_undeclared_html_entities() -> None:
    items = (
        "<item><title>A&amp;nbsp;B &amp;amp; C</title><link>/1</link></item>"
        "<item><title>D&nbsp;E &mdash; F</title><link>/2</link></item>"
    )
    titles = [e.title for e in parse_feed(rss(items), FEED_URL).entries]
    assert titles == ["A B & C", "D E — F"]


def test_cdata_html_title_becomes_plain_text() -> None:
    items = "<item><title><![CDATA[<b>Bold</b> &amp; <i>brave</i>]]></title><link>/b</link></item>"
    assert parse_feed(rss(items), FEED_URL).entries[0].title == "Bold & brave"


# --- what is not a feed -----------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        bytes(range(256)) * 4,
        b"<html><head><title>Home</title></head><body><p>Hello</p></body></html>",
        b"Just some words, no markup at all.",
        b"",
        b"   \n  ",
        b"<?xml version='1.0'?><note><to>x</to></note>",
    ],
)
def test_not_a_feed(content: bytes) -> None:
    with pytest.raises(FeedError, match="not a feed"):
        parse_feed(content, FEED_URL)


# --- hostile XML ------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>https://example.org/a</link></item></channel></rss>"""

QUADRATIC_BLOWUP = (
    b'<?xml version="1.0"?><!DOCTYPE bomb [<!ENTITY a "'
    + b"x" * 200_000
    + b'">]><rss version="2.0"><channel><title>'
    + b"&a;" * 20_000
    + b"</title></channel></rss>"
)

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title>
<item><title>&xxe;</title><link>https://example.org/a</link></item></channel></rss>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [ <!ELEMENT rss ANY> %remote; ]><rss version="2.0"><channel/></rss>"""


@pytest.mark.parametrize(
    "content",
    [
        BILLION_LAUGHS,
        QUADRATIC_BLOWUP,
        EXTERNAL_ENTITY,
        BILLION_LAUGHS.decode().encode("utf-16"),
        BILLION_LAUGHS.decode().encode("utf-16-be"),
        PARAMETER_ENTITY,
    ],
    ids=["billion-laughs", "quadratic", "xxe", "utf16-bomb", "utf16be-bomb", "parameter-entity"],
)
def test_xml_bombs_are_refused_quickly(content: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(FeedError, match="unsafe XML") as raised:
        parse_feed(content, FEED_URL)
    assert time.perf_counter() - started < 1.0
    assert "root:" not in str(raised.value)  # nothing from /etc/passwd leaked into the message


def test_oversized_feed_is_refused() -> None:
    item = "<item><title>Filler</title><link>https://example.org/x</link></item>"
    content = rss(item * (10 * 1024 * 1024 // len(item) + 10))
    assert len(content) > 10 * 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(FeedError, match=r"over the .* byte limit"):
        parse_feed(content, FEED_URL)
    assert time.perf_counter() - started < 1.0


def test_check_xml_safe_allows_ordinary_documents() -> None:
    check_xml_safe(fixture("rss1-rdf.xml"))
    check_xml_safe(b'<!DOCTYPE html><html lang="en"></html>')


# --- property ---------------------------------------------------------------

_FEEDISH = st.sampled_from(
    [
        b"",
        b"<?xml version='1.0' encoding='utf-8'?>",
        b"<rss version='2.0'><channel>",
        b"<item><link>",
        b"</link></item>",
        b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><link href='",
        b"'/></entry>",
        b'{"items": [{"url": ',
        b"&amp;",
        b"&nbsp;",
        b"<![CDATA[",
        b"<!DOCTYPE x [",
        b"\xff\xfe",
        b"\x93",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(st.binary(max_size=400), st.lists(_FEEDISH | st.binary(max_size=20)).map(b"".join))
)
def test_arbitrary_bytes_parse_or_raise_feed_error(content: bytes) -> None:
    try:
        result = parse_feed(content, FEED_URL)
    except FeedError:
        return
    assert isinstance(result, ParsedFeed)
    assert all(entry.url.startswith(("http://", "https://")) for entry in result.entries)
