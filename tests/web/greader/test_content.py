"""An item's content is the clean article built from escaped text: an outlet's markup, script
or odd URL never reaches an app as anything but text."""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from handpicked.article import Article, Image
from handpicked.deliver.links import Links
from handpicked.deliver.tokens import Tokens
from handpicked.desk.greader import ItemState
from handpicked.store import ReaderRecord, StoredArticle
from handpicked.store.articles import article_columns, stored_article
from handpicked.store.tables import ArticleRow
from handpicked.web.greader.content import article_html
from handpicked.web.greader.items import atom_feed


def _stored(article: Article) -> StoredArticle:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    values = article_columns(article, article.canonical_url or "", article.url, None, now)
    return stored_article(ArticleRow(id=7, **values))


HOSTILE = _stored(
    Article(
        url="https://evil.example/a",
        canonical_url="https://evil.example/a",
        title="<script>alert(1)</script>\x00\x1b title",
        lead="A lead with <b>markup</b>.",
        paragraphs=["<img src=x onerror=alert(2)>", "Plain \x07words."],
        pull_quotes=["<iframe src=//evil.example>"],
        images=[
            Image(url="javascript:alert(3)", caption="never shown"),
            Image(url="https://evil.example/p.jpg", caption='"><script>x</script>', credit="AP"),
        ],
        authors=["<a href=x>Ann</a>"],
        is_article=True,
    )
)


LINKS = Links("http://testserver", Tokens("secret"))


def test_markup_in_the_article_is_text_and_only_web_images_show() -> None:
    html = article_html(HOSTILE, LINKS, reasons="Picked because you follow <Putin>.")
    assert "<script" not in html and "<img src=x" not in html and "<iframe" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "javascript:" not in html and "never shown" not in html
    shown = LINKS.image(HOSTILE.id, "https://evil.example/p.jpg")
    assert f'src="{shown}"' in html and shown.startswith("http://testserver/images/7/")
    assert "evil.example/p.jpg" not in html  # the app never loads it from the outlet
    assert "Picked because you follow &lt;Putin&gt;." in html
    etree.fromstring(f"<div>{html}</div>".encode())  # well-formed: apps parse it as they like


def test_the_atom_stream_is_valid_xml_whatever_the_article_holds() -> None:
    links = LINKS
    reader = ReaderRecord(id=3, email="a@example.com", time_zone="UTC", schedule="daily 07:00",
                          max_items=10, language=None, feed_token="x" * 32,
                          created_at=datetime(2026, 1, 1, tzinfo=UTC))  # fmt: skip
    document = atom_feed(
        reader, "Feed", "feed/1", [(HOSTILE, ItemState(True, False, True), "")], {},
        links, None,
    )  # fmt: skip
    root = etree.fromstring(document)
    entry = root.find("{http://www.w3.org/2005/Atom}entry")
    assert entry is not None
    labels = {c.get("label") for c in entry.findall("{http://www.w3.org/2005/Atom}category")}
    assert labels == {"reading-list", "read", "Picks"}
    content = entry.findtext("{http://www.w3.org/2005/Atom}content") or ""
    assert "<script" not in content
