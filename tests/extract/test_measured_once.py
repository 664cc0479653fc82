"""What is measured or found once per page gives what measuring each time would give."""

from __future__ import annotations

from lxml import etree

from handpicked import extract
from handpicked.extract.body import prune_chrome
from handpicked.extract.credits import take_credit_lines, take_editors, take_syndication
from handpicked.extract.document import parse_html
from handpicked.extract.prose import ProseMeter, prose_length
from handpicked.extract.scoring import text_length, text_of

from .pages import BODY, LAST, MORE, PROSE, page


def _paragraphs() -> str:
    return "".join(f"<p>{text}</p>" for text in BODY)


def test_the_meter_agrees_with_a_fresh_measure_after_chrome_goes() -> None:
    """Removing a share button inside a paragraph and a box inside the story column changes
    the prose above them; every element then measures as if measured afresh."""
    html = page(
        '<article><h1>Trams are coming</h1><div class="story">'
        f'<p>{PROSE}<span class="share-button">Share this story with your friends and family '
        "on every network you use</span></p>"
        f'<div class="newsletter-promo"><p>{MORE}</p></div><p>{LAST}</p></div></article>'
    )
    root = parse_html(html)
    meter = ProseMeter()
    prune_chrome(root, meter)
    for element in root.iter(etree.Element):
        assert meter.length(element) == prose_length(element)


def test_chrome_inside_code_stays_and_what_is_inside_removed_chrome_is_gone() -> None:
    code = '<pre><code><span class="comment"># keep me</span> x = 1</code></pre>'
    html = page(
        f"<article><h1>Trams are coming</h1>{_paragraphs()}{code}"
        '<div class="related"><div class="sidebar"><p>Other stories</p></div></div></article>'
    )
    article = extract(html)
    assert "# keep me x = 1" in article.paragraphs
    assert "Other stories" not in article.text


def test_credit_lines_found_together_match_each_found_alone() -> None:
    """A syndication line removed from a paragraph can leave an editor credit behind it."""
    html = page(
        f"<article><h1>Trams are coming</h1>{_paragraphs()}"
        "<p><span>This story originally appeared in The Gazette.</span>"
        "Edited by Ann Lee and Bo Chen</p><p>Edited by Cy Park</p></article>"
    )
    together = parse_html(html)
    alone = parse_html(html)
    assert take_credit_lines(together) == (take_syndication(alone), take_editors(alone))
    assert etree.tostring(together) == etree.tostring(alone)


def test_a_childless_elements_text_is_its_text_content() -> None:
    root = parse_html(page(f"<p>{PROSE}</p><p>Two <b>parts</b></p><p></p>"))
    for element in root.iter("p", "b", "a", "li"):
        assert text_of(element) == element.text_content()
    assert text_length(root.find(".//b")) == len("parts")
