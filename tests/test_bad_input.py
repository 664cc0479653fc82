"""The engine on hostile and broken input: it returns an Article or raises ExtractionError with
a message that helps, never another exception, never a hang. A news reader feeds it whatever
the web serves, so a crash on one page must not be possible."""

from __future__ import annotations

import codecs
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handpicked import Article, ExtractionError, extract
from handpicked.cli import render_markdown, render_text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed-article" / "page.html"
MB = 1024 * 1024


def outcome(
    page: str | bytes,
    url: str | None = None,
    *,
    content_type: str | None = None,
    max_bytes: int | None = None,
) -> Article | ExtractionError:
    """Run the engine and check the contract: an Article that serialises and renders, or an
    ExtractionError with a message. Any other exception propagates and fails the test."""
    try:
        if max_bytes is None:
            article = extract(page, url, content_type=content_type)
        else:
            article = extract(page, url, content_type=content_type, max_bytes=max_bytes)
    except ExtractionError as error:
        assert len(str(error)) > 10, "an ExtractionError must say what was wrong"
        return error
    assert isinstance(article, Article)
    json.dumps(article.to_dict(), allow_nan=False)
    assert article.text == "\n\n".join(article.paragraphs)
    render_text(article)
    render_markdown(article)
    return article


def page_with(body: str, head: str = "<title>A headline</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


PROSE = (
    "The council voted on Tuesday to keep the old bridge open for another decade, after "
    "engineers said the repairs made last spring had held up far better than expected."
)


# --- Nothing to extract ---------------------------------------------------------------------


@pytest.mark.parametrize("page", ["", b"", " ", b"   \r\n\t ", "\n\n\n", "\u00a0\u2003 "])
def test_empty_and_blank_input(page: str | bytes) -> None:
    result = outcome(page)
    assert isinstance(result, ExtractionError)
    assert "empty" in str(result) or "no HTML" in str(result)


@pytest.mark.parametrize(
    "page", ["<!-- only a comment -->", "<!DOCTYPE html>", "<?php echo 1 ?>", "just some words"]
)
def test_input_without_elements(page: str) -> None:
    outcome(page)


# --- Not HTML at all ------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\x00\x00\x00\x03\x00\x08\x06\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00"


@pytest.mark.parametrize("header", [PNG, JPEG, ZIP, b"\x1f\x8b\x08\x00\x00\x00\x00\x00"])
def test_binary_files_are_refused_as_binary(header: bytes) -> None:
    data = header + random.Random(header).randbytes(20_000)
    result = outcome(data)
    assert isinstance(result, ExtractionError)
    assert "binary" in str(result)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("size", [1, 7, 500, 100_000])
def test_random_bytes(seed: int, size: int) -> None:
    outcome(random.Random(seed * 1_000 + size).randbytes(size))


def test_pdf_is_not_an_article() -> None:
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n"
    result = outcome(pdf + random.Random(3).randbytes(5_000))
    assert isinstance(result, ExtractionError) or not result.is_article


# --- Too big, too deep ----------------------------------------------------------------------
# The bounds are on this process's CPU time, not the wall clock: they catch a quadratic walk,
# and other work on a shared machine must not fail them.


@pytest.mark.parametrize("as_bytes", [True, False])
def test_a_50_mb_page_is_refused_quickly(as_bytes: bool) -> None:
    page = page_with(f"<p>{PROSE}</p>" * (50 * MB // len(PROSE)))
    data: str | bytes = page.encode() if as_bytes else page
    started = time.process_time()
    result = outcome(data)
    assert isinstance(result, ExtractionError)
    assert "MB" in str(result)
    assert "max_bytes" in str(result)
    assert time.process_time() - started < 5


@pytest.mark.slow
def test_a_25_mb_article_with_a_larger_limit_is_extracted() -> None:
    paragraph = f"<p>{PROSE}</p>\n"
    page = page_with(f"<article>{paragraph * (25 * MB // len(paragraph))}</article>")
    started = time.process_time()
    result = outcome(page.encode(), max_bytes=64 * MB)
    assert isinstance(result, Article)
    assert result.is_article
    assert time.process_time() - started < 30


@pytest.mark.slow
def test_a_25_mb_page_of_small_elements_finishes() -> None:
    block = "<div class='card'><span>word</span> <a href='/a'>link</a></div>\n"
    page = page_with(block * (25 * MB // len(block)))
    started = time.process_time()
    outcome(page, max_bytes=64 * MB)
    assert time.process_time() - started < 120


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        ("<div>", "</div>"),
        ("<b>", "</b>"),
        ("<table><tr><td>", "</td></tr></table>"),
        ("<ul><li>", "</li></ul>"),
        ("<div><p>", ""),
        ("<span class='x'>", ""),
        ("<blockquote>", "</blockquote>"),
    ],
)
def test_nesting_100000_deep(opening: str, closing: str) -> None:
    depth = 100_000
    page = page_with(opening * depth + PROSE + closing * depth)
    started = time.process_time()
    outcome(page)
    assert time.process_time() - started < 10


def test_100000_siblings_and_unclosed_paragraphs() -> None:
    started = time.process_time()
    outcome(page_with("<p>word" * 100_000))
    outcome(page_with("<br>" * 100_000 + PROSE))
    assert time.process_time() - started < 20


def test_huge_attribute_and_text_node() -> None:
    outcome(page_with(f'<p class="{"x" * 2_000_000}">{PROSE}</p>'))
    outcome(page_with(f"<p>{'word ' * 2_500_000}</p>"), max_bytes=64 * MB)
    outcome(page_with("<p>" + "&amp;" * 500_000 + "</p>"))


# --- Broken markup --------------------------------------------------------------------------

BROKEN = {
    "unclosed tags": f"<html><body><article><p>{PROSE}<p>{PROSE}<div><span>{PROSE}",
    "stray </html> early": f"<html><head><title>T</title></head></html><body><p>{PROSE}</p>",
    "stray closers": f"</p></div></body><p>{PROSE}</p></article></html></html>",
    "two html elements": f"<html><body><p>{PROSE}</p></body></html><html><body><p>{PROSE}",
    "cdata": f"<body><![CDATA[ <p>not markup</p> ]]><p>{PROSE}</p></body>",
    "unterminated cdata": f"<body><p>{PROSE}</p><![CDATA[ never ends",
    "unterminated comment": f"<body><p>{PROSE}</p><!-- never closed <p>{PROSE}</p>",
    "unterminated script": f"<body><p>{PROSE}</p><script>var x = '<p>'; ",
    "unterminated title": f"<head><title>{PROSE}",
    "unterminated attribute": f'<body><p class="oops>{PROSE}</p></body>',
    "angle soup": f"<<<>>><p>{PROSE}</p><<//>><</p>",
    "bad entities": f"<p>&#0; &#xD800; &#99999999999; &#12; &#xFFFF; &bogus; &amp {PROSE}</p>",
    "control characters": f"<p>\x0c{PROSE}\x0b\x7f\x85\ufffe\uffff</p>",
    "nul bytes": f"<p>{PROSE}\x00</p>",
    "bom in the middle": f"<p>{PROSE}\ufeff{PROSE}</p>",
    "lone surrogate": f"<p>\ud800 {PROSE}</p>",
    "svg and math": f"<svg><p>{PROSE}</p><foreignObject><p>{PROSE}</p></svg><math><mi>x",
    "template": f"<template><p>{PROSE}</p></template><p>{PROSE}</p>",
    "frameset": f"<frameset><frame src='a'></frameset><p>{PROSE}</p>",
    "broken json-ld": '<script type="application/ld+json">{"@type": "NewsArticle", '
    '"author": [null, {"name": 3}], "datePublished": [], "headline": {"x": 1}}</script>'
    f"<p>{PROSE}</p>",
    "unparseable json-ld": f'<script type="application/ld+json">[[[{{</script><p>{PROSE}</p>',
    "bad dates": '<meta property="article:published_time" content="99999-99-99T99:99">'
    f'<time datetime="0000-00-00">yesterday</time><p>{PROSE}</p>',
    "page is only a title": "<title>Only a title</title>",
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_markup(name: str) -> None:
    outcome(BROKEN[name])
    outcome(BROKEN[name].encode("utf-8", "surrogatepass"))


def test_text_after_an_early_html_closer_is_kept() -> None:
    result = outcome(BROKEN["stray </html> early"])
    assert isinstance(result, Article)
    assert result.title == "T"


# --- Lying and strange charsets -------------------------------------------------------------


def test_meta_says_utf8_but_bytes_are_cp1252() -> None:
    page = page_with(
        f"<p>Un café crème, s’il vous plaît. {PROSE}</p>",
        '<meta charset="utf-8"><title>Café society</title>',
    ).encode("cp1252")
    result = outcome(page)
    assert isinstance(result, Article)
    assert result.title is not None
    assert result.title.startswith("Caf")
    assert "\ufffd" not in result.title


def test_meta_says_shift_jis_but_bytes_are_utf8() -> None:
    page = page_with(
        f"<p>Ça va — très bien. {PROSE}</p>", '<meta charset="shift_jis"><title>Ünïcode</title>'
    ).encode("utf-8")
    result = outcome(page)
    assert isinstance(result, Article)
    assert result.title == "Ünïcode"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks(codec: str) -> None:
    page = page_with(f"<p>Grüße aus Köln. {PROSE}</p>", "<title>Grüße</title>")
    data = page.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
        data = bom + data
    result = outcome(data)
    assert isinstance(result, Article)
    assert result.title == "Grüße"


@pytest.mark.parametrize(
    "declaration",
    [
        '<meta charset="x-no-such-charset">',
        '<meta charset="">',
        "<meta charset=utf-16>",
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-32">',
        '<meta charset="rot13">',
        '<meta charset="' + "a" * 5_000 + '">',
    ],
)
def test_bogus_charset_declarations(declaration: str) -> None:
    page = page_with(f"<p>{PROSE}</p>", f"{declaration}<title>Bogus</title>").encode("utf-8")
    result = outcome(page)
    assert isinstance(result, Article)


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html; charset=utf-16",
        "text/html; charset=",
        'text/html; charset="bogus"',
        "text/html; charset=utf-8; charset=latin1",
        "image/png",
        "",
        ";;;",
    ],
)
def test_lying_content_type_headers(content_type: str) -> None:
    outcome(page_with(f"<p>{PROSE}</p>").encode("utf-8"), content_type=content_type)


@pytest.mark.parametrize("as_bytes", [False, True])
def test_xml_declaration(as_bytes: bool) -> None:
    page = '<?xml version="1.0" encoding="ISO-8859-1"?>\n' + page_with(
        f"<p>Café. {PROSE}</p>", "<title>Déclaration</title>"
    )
    result = outcome(page.encode("utf-8") if as_bytes else page)
    assert isinstance(result, Article)
    assert result.title == "Déclaration"


# --- URLs the engine is handed or finds in the page -----------------------------------------

# urllib's urlsplit/urljoin raise ValueError on a bracketed host that is no IP address; the
# engine must shrug such addresses off (handpicked.extract.urls).
BAD_URLS = [
    "http://[::1",
    "//[",
    "http://[bad]/x",
    "https://exa mple.com/ä",
    "javascript:1",
]


@pytest.mark.parametrize("url", [*BAD_URLS, "not a url", "", "https://a.example:99999999/"])
def test_malformed_url_argument(url: str) -> None:
    outcome(page_with(f"<p>{PROSE}</p>"), url)


@pytest.mark.parametrize("href", [*BAD_URLS, "\x00", "https://a.example:99999999/"])
def test_malformed_urls_in_the_page(href: str) -> None:
    head = f'<title>T</title><link rel="canonical" href="{href}">'
    head += f'<meta property="og:url" content="{href}"><meta property="og:image" content="{href}">'
    body = f'<article><p>{PROSE}</p><figure><img src="{href}"><figcaption>A caption'
    body += f'</figcaption></figure><a href="{href}">link</a></article>'
    outcome(page_with(body, head), "https://news.example/story")


# --- Property-based -------------------------------------------------------------------------

_TAGS = (
    "html head body title meta link base p div span article main section header footer nav "
    "aside h1 h2 h3 figure figcaption img picture source a br hr ul ol li table tr td th script "
    "style noscript template iframe svg math blockquote q time b i em strong pre code form "
    "input select option textarea button label address cite small sup x-widget"
).split()
_ATTRIBUTES = (
    "class id itemprop itemtype property name content datetime charset href src srcset rel alt "
    "role hidden style http-equiv type lang dir data-src aria-hidden"
).split()
_VALUES = [
    "article", "content", "story-body", "post", "og:title", "og:url", "og:image", "author",
    "byline", "caption", "credit", "pull-quote", "share", "nav", "footer ad", "comments",
    "article:published_time", "2023-06-30T09:15:00Z", "June 31, 2023", "not a date",
    "99999-99-99", "utf-8", "shift_jis", "utf-16", "bogus", "", " ", "https://x.example/a",
    "/relative/path.jpg", "//cdn.example/i.png", "javascript:alert(1)", "data:,", "#",
    "display:none", "text/html; charset=koi8-r", "application/ld+json", "canonical", "true",
    "http://schema.org/NewsArticle", "photo.jpg 1x, photo@2x.jpg 2x",
]  # fmt: skip
_TEXTS = [
    PROSE, "&amp;", "&nbsp;", "&#0;", "&#12;", "&#xFFFE;", "&#1114112;", "&bogus;", "&", "<",
    ">", "]]>", "<!--", "-->", "<![CDATA[", "\x00", "\x0c", "\ufeff", "\ufffd", "\uffff", "\u2028",
    "By Jane Doe", "Photo: AFP/Getty Images", "Advertisement", "Share this story", "\n\n", "\t",
    '{"@type": "NewsArticle", "headline": "H", "author": {"name": "A"}}', "[[{", "null",
]  # fmt: skip

_attribute = st.tuples(
    st.sampled_from(_ATTRIBUTES) | st.text(min_size=1, max_size=8),
    st.sampled_from(_VALUES) | st.text(max_size=30),
    st.sampled_from(['"', "'", ""]),
)
_leaf = st.sampled_from(_TEXTS) | st.text(max_size=60)


def _attributes(attributes: list[tuple[str, str, str]]) -> str:
    return "".join(f" {name}={quote}{value}{quote}" for name, value, quote in attributes)


@st.composite
def _element(draw: st.DrawFn, children: st.SearchStrategy[str]) -> str:
    tag = draw(st.sampled_from(_TAGS))
    attributes = _attributes(draw(st.lists(_attribute, max_size=4)))
    inner = "".join(draw(st.lists(children, max_size=5)))
    closing = draw(st.sampled_from(["proper", "proper", "proper", "missing", "stray", "self"]))
    if closing == "missing":
        return f"<{tag}{attributes}>{inner}"
    if closing == "stray":
        return f"{inner}</{tag}>"
    if closing == "self":
        return f"<{tag}{attributes}/>{inner}"
    return f"<{tag}{attributes}>{inner}</{tag}>"


html_ish = st.recursive(_leaf, _element, max_leaves=40)
_CHECKS = settings(
    deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)  # fmt: skip


@_CHECKS
@given(st.binary(max_size=5_000))
def test_arbitrary_bytes(data: bytes) -> None:
    outcome(data)


@_CHECKS
@given(st.text(max_size=3_000))
def test_arbitrary_text(text: str) -> None:
    outcome(text)


@_CHECKS
@given(html_ish, st.sampled_from([None, "https://news.example/2024/06/story.html"]))
def test_html_ish_text(page: str, url: str | None) -> None:
    outcome(page, url)


@_CHECKS
@given(
    html_ish,
    st.sampled_from(["utf-8", "utf-16", "cp1252", "shift_jis", "gb18030", "koi8-r"]),
    st.sampled_from([None, "text/html", "text/html; charset=utf-8", "text/html; charset=x"]),
)
def test_html_ish_bytes(page: str, codec: str, content_type: str | None) -> None:
    outcome(page.encode(codec, "replace"), content_type=content_type)


@settings(deadline=None, max_examples=60)
@given(st.data())
def test_seed_page_with_random_damage(data: st.DataObject) -> None:
    """Cutting and splicing a real page mid-element or mid-character."""
    page = SEED.read_bytes()
    start = data.draw(st.integers(0, len(page)))
    end = data.draw(st.integers(start, len(page)))
    junk = data.draw(st.binary(max_size=20) | st.sampled_from([b"<", b"</html>", b"\xff", b""]))
    outcome(page[:start] + junk + page[end:])


# --- Fuzzing --------------------------------------------------------------------------------


@pytest.mark.slow
def test_fuzzer_finds_nothing_in_20_seconds() -> None:
    process = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "fuzz.py"), "--seconds", "20", "--seed", "20"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    assert "other exception  0" in process.stdout
