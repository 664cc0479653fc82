"""The extractors under comparison, each behind the same small adapter.

Every adapter takes the same decoded ``str`` HTML and the page URL and returns an
:class:`Extraction`, so the harness scores and times them alike. Libraries are imported in
``load`` and not at module import, so that a memory probe of one extractor carries none of the
others, and so that the normal test suite never needs the peers installed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from lxml import etree
from lxml import html as lxml_html


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one extractor made of one page. ``is_article`` is None where it does not say;
    ``lead`` is set only by an extractor that keeps the standfirst apart from ``text``."""

    text: str = ""
    lead: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: date | datetime | str | None = None
    is_article: bool | None = None


ExtractFn = Callable[[str, str | None], Extraction]


@dataclass(frozen=True, slots=True)
class Extractor:
    """An extractor by name: ``load`` imports it and returns its extraction function."""

    name: str
    distribution: str
    load: Callable[[], ExtractFn]
    reports_is_article: bool = False
    note: str = ""


def _load_handpicked() -> ExtractFn:
    """The engine under test. Its ExtractionError (input that is no HTML page) is left to the
    harness, which scores the page as empty text and counts the error by type."""
    import handpicked

    def run(html: str, url: str | None) -> Extraction:
        article = handpicked.extract(html, url)
        return Extraction(
            text=article.text,
            lead=article.lead,
            title=article.title,
            authors=list(article.authors),
            published=article.published,
            is_article=article.is_article,
        )

    return run


def _load_trafilatura() -> ExtractFn:
    """Configured like handpicked is used: the body with its title, author and date."""
    import trafilatura

    def run(html: str, url: str | None) -> Extraction:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        if doc is None:
            return Extraction()
        values: dict[str, Any] = doc if isinstance(doc, dict) else doc.as_dict()
        return Extraction(
            text=values.get("text") or "",
            title=values.get("title"),
            authors=split_authors(values.get("author")),
            published=values.get("date"),
        )

    return run


def split_authors(value: str | None) -> list[str]:
    """Trafilatura joins several authors with semicolons."""
    if not value:
        return []
    return [name.strip() for name in value.split(";") if name.strip()]


def _load_readability() -> ExtractFn:
    import readability

    def run(html: str, url: str | None) -> Extraction:
        document = readability.Document(html, url=url)
        return Extraction(text=html_to_text(document.summary()), title=document.short_title())

    return run


def _load_newspaper() -> ExtractFn:
    import newspaper

    def run(html: str, url: str | None) -> Extraction:
        # fetch_images=False: otherwise parse() downloads images to pick the top one, and the
        # benchmark must neither touch the network nor time it.
        article = newspaper.Article(url or "http://localhost/", fetch_images=False)
        article.download(input_html=html)
        article.parse()
        return Extraction(
            text=article.text or "",
            title=article.title or None,
            authors=list(article.authors or []),
            published=article.publish_date,
            is_article=_newspaper_is_article(article),
        )

    return run


def _newspaper_is_article(article: Any) -> bool | None:
    """newspaper4k's own article test; a failure here must not discard the extraction."""
    try:
        return bool(article.is_valid_body())
    except Exception:
        return None


EXTRACTORS: dict[str, Extractor] = {
    extractor.name: extractor
    for extractor in (
        Extractor("handpicked", "handpicked", _load_handpicked, reports_is_article=True),
        Extractor("trafilatura", "trafilatura", _load_trafilatura),
        Extractor("readability", "readability-lxml", _load_readability),
        Extractor(
            "newspaper4k",
            "newspaper4k",
            _load_newspaper,
            reports_is_article=True,
            note="is_article from Article.is_valid_body(); fetch_images=False",
        ),
    )
}

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template"})
_BREAK = "\x00"


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, block elements split by blank lines, as the ground
    truth is written. Walks the tree without recursion, so deep markup cannot overflow."""
    if not fragment.strip():
        return ""
    try:
        root = lxml_html.fromstring(fragment)
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, *_SKIP_TAGS, with_tail=False)
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if element.tag in _BLOCK_TAGS:
            parts.append(_BREAK)
        if event == "start":
            parts.append(element.text or "")
        elif element is not root:
            parts.append(element.tail or "")
    blocks = (" ".join(block.split()) for block in "".join(parts).split(_BREAK))
    return "\n\n".join(block for block in blocks if block)
