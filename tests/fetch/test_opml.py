"""parse_opml and write_opml: nested folders, escaping, round-trips, hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handpicked.fetch.errors import FetchError
from handpicked.fetch.opml import OpmlOutline, parse_opml, screen_outlines, write_opml
from handpicked.fetch.xmlsafety import FeedError

FIXTURES = Path(__file__).parent.parent / "fixtures" / "feeds"


def test_nested_outlines_are_flattened_with_parent_category() -> None:
    outlines = parse_opml((FIXTURES / "subscriptions.opml").read_bytes())
    assert outlines == [
        OpmlOutline(
            url="https://feeds.arstechnica.com/arstechnica/index",
            title='Ars "Technica"',
            html_url="https://arstechnica.com/",
            category="Tech & Science",
        ),
        OpmlOutline(
            url="https://nested.example.com/rss?a=1&b=2",
            title="Nested <one>",
            html_url=None,
            category="Deeper folder",
        ),
        OpmlOutline(
            url="https://top.example.com/feed", title="Top level", html_url=None, category=None
        ),
    ]


def test_round_trip_with_special_characters() -> None:
    outlines = [
        OpmlOutline(
            url="https://a.example.com/rss?x=1&y=<2>",
            title="Quotes \"double\" & 'single' <tags> — ünïcode 🗞",
            html_url="https://a.example.com/?q=a&b",
            category="News & Politics <EU>",
        ),
        OpmlOutline(url="https://b.example.com/feed", title=None, html_url=None, category=None),
        OpmlOutline(
            url="https://c.example.com/feed",
            title="Line\nbreak\ttab",
            html_url=None,
            category="News & Politics <EU>",
        ),
    ]
    text = write_opml(outlines, title="Mine & yours")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert '<opml version="2.0">' in text
    assert "<title>Mine &amp; yours</title>" in text
    parsed = parse_opml(text.encode("utf-8"))
    # Outlines are grouped by folder on the way out, so compare regardless of order.
    assert sorted(parsed, key=lambda o: o.url) == sorted(outlines, key=lambda o: o.url)


def test_fixture_round_trips() -> None:
    outlines = parse_opml((FIXTURES / "subscriptions.opml").read_bytes())
    assert parse_opml(write_opml(outlines).encode()) == outlines


def test_control_characters_are_dropped_not_fatal() -> None:
    text = write_opml([OpmlOutline("https://x.example.com/f", "bell\x07 and nul\x00", None, None)])
    assert parse_opml(text.encode())[0].title == "bell and nul"


def test_category_attribute_is_a_fallback() -> None:
    content = (
        b'<opml version="2.0"><body><outline text="A" xmlUrl="https://a.example.com/f" '
        b'category="/Sports"/></body></opml>'
    )
    assert parse_opml(content)[0].category == "/Sports"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><body/></html>", "not an OPML file"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
        (b"", "not an OPML file"),
        (b"\x00\xff\x10binary", "not an OPML file"),
        (
            b'<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<opml><body><outline text="&x;" xmlUrl="https://x.example.com/"/></body></opml>',
            "unsafe XML",
        ),
    ],
)
def test_bad_opml(content: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        parse_opml(content)


# Text XML can carry (no control codes, surrogates or U+FFFE/U+FFFF), already stripped.
_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
    max_size=30,
).filter(lambda s: s == s.strip())
_URL = st.text("abcxyz0123-_/?&=<>\"'", max_size=20).map(lambda s: "https://e.example.com/" + s)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.builds(
            OpmlOutline,
            url=_URL,
            title=st.none() | _TEXT,
            html_url=st.none() | _URL,
            category=st.none() | _TEXT,
        ),
        max_size=6,
    )
)
def test_round_trip_property(outlines: list[OpmlOutline]) -> None:
    parsed = parse_opml(write_opml(outlines).encode())
    assert sorted(parsed, key=repr) == sorted(outlines, key=repr)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.lists(
            st.sampled_from([b"<opml>", b"<body>", b"<outline xmlUrl='", b"'>", b"</outline>"])
            | st.binary(max_size=10)
        ).map(b"".join),
    )
)
def test_arbitrary_bytes_parse_or_raise_feed_error(content: bytes) -> None:
    try:
        result = parse_opml(content)
    except FeedError:
        return
    assert isinstance(result, list)


# -- screening an import with the fetcher's safety rules --------------------------------------

HOSTILE_OPML = b"""<?xml version="1.0"?><opml version="2.0"><head/><body>
<outline text="News" xmlUrl="https://news.example/feed.xml"/>
<outline text="Intranet" xmlUrl="http://wiki.corp.example/feed"/>
<outline text="Loopback" xmlUrl="http://127.0.0.1:8080/admin"/>
<outline text="Metadata" xmlUrl="http://169.254.169.254/latest/meta-data/"/>
<outline text="Metadata in IPv6" xmlUrl="http://[::a9fe:a9fe]/"/>
<outline text="Azure" xmlUrl="http://168.63.129.16/machine"/>
<outline text="Files" xmlUrl="file:///etc/passwd"/>
<outline text="Gone for now" xmlUrl="https://gone.example/rss"/>
</body></opml>"""
ANSWERS = {"news.example": ["93.184.215.14"], "wiki.corp.example": ["93.184.215.14", "10.1.2.3"]}


async def stub_resolver(host: str, port: int) -> list[str]:
    """Names answer from ANSWERS (no query leaves the machine); literals are themselves."""
    if host in ANSWERS:
        return ANSWERS[host]
    if host[0].isdigit() or ":" in host:
        return [host]
    raise FetchError(f"could not resolve {host}")


@pytest.mark.anyio
async def test_an_import_keeps_only_what_the_fetcher_would_fetch() -> None:
    screened = await screen_outlines(
        parse_opml(HOSTILE_OPML), allow_private_networks=False, resolver=stub_resolver
    )
    assert [o.title for o in screened.usable] == ["News", "Gone for now"]
    reasons = {outline.title: reason for outline, reason in screened.refused}
    assert list(reasons) == [
        "Intranet",
        "Loopback",
        "Metadata",
        "Metadata in IPv6",
        "Azure",
        "Files",
    ]
    assert "wiki.corp.example resolves to a private address" in reasons["Intranet"]
    assert "10.1.2.3" not in reasons["Intranet"]
    assert "only http and https" in reasons["Files"]
    assert all("never fetched" in reasons[t] for t in ("Metadata", "Metadata in IPv6", "Azure"))


@pytest.mark.anyio
async def test_an_import_on_a_desk_that_allows_private_networks_still_refuses_metadata() -> None:
    screened = await screen_outlines(
        parse_opml(HOSTILE_OPML), allow_private_networks=True, resolver=stub_resolver
    )
    assert [o.title for o in screened.usable] == ["News", "Intranet", "Loopback", "Gone for now"]
    refused = [o.title for o, _ in screened.refused]
    assert refused == ["Metadata", "Metadata in IPv6", "Azure", "Files"]
