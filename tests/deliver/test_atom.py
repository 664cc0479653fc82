"""The reader's Atom feed: valid RFC 4287 that feed readers take, whatever the articles hold."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import lxml.html
from lxml import etree

from handpicked.article import Image
from handpicked.deliver.atom import ATOM_NS, FeedLinks, digest_feed
from handpicked.pick.digest import DigestItem
from handpicked.store import ReaderRecord, StoredArticle

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
NS = {"a": ATOM_NS}
TOKEN = "s3cr3t-feed-token"


class FakeLinks:
    base = "https://news.example"

    def article(self, article_id: int) -> str:
        return f"{self.base}/articles/{article_id}"

    def feed(self, feed_token: str) -> str:
        return f"{self.base}/feeds/{feed_token}.atom"

    def original(self, article: StoredArticle) -> str:
        return article.url or article.canonical_url

    def image(self, article_id: int, url: str) -> str:
        return f"{self.base}/images/{article_id}/{url.rsplit('/', 1)[-1]}"


LINKS: FeedLinks = FakeLinks()


def reader(**changes: Any) -> ReaderRecord:
    record = ReaderRecord(
        id=7,
        email="alice.smith@example.org",
        time_zone="Europe/Berlin",
        schedule="daily 07:00",
        max_items=10,
        language=None,
        feed_token=TOKEN,
        created_at=NOW - timedelta(days=30),
    )
    return replace(record, **changes)


def article(article_id: int = 11, **changes: Any) -> StoredArticle:
    record = StoredArticle(
        id=article_id,
        canonical_url=f"https://paper.example/story-{article_id}",
        url=f"https://paper.example/story-{article_id}?ref=rss",
        source_id=1,
        fetched_at=NOW - timedelta(hours=1),
        content_hash="0" * 64,
        word_count=3,
        text="Body text here.",
        title=f"Story number {article_id}",
        authors=("Jane Reporter",),
        published=NOW - timedelta(hours=3),
        updated=NOW - timedelta(hours=2),
        site_name="The Paper",
        language="en",
        section="Politics",
        tags=("Elections", "politics", "Europe"),
        lead="The lead paragraph.",
        paragraphs=("Body text here.",),
        pull_quotes=(),
        images=(
            Image(
                url="https://img.example/1.jpg",
                caption="Voters queue",
                credit="Photo: A. Lens",
                alt="A queue",
            ),
        ),
        syndicated_from=None,
        editors=(),
        is_article=True,
    )
    return replace(record, **changes)


def item(stored: StoredArticle | None = None, **changes: Any) -> DigestItem:
    record = DigestItem(
        story_id=3,
        article=stored or article(),
        reasons=("because you follow Elections", "because it is about Europe"),
        outlets=("The Paper", "Daily Bugle", "Morning Post"),
        score=0.9,
    )
    return replace(record, **changes)


def parse(document: bytes) -> Any:
    parsed = feedparser.parse(document)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def content_html(entry: etree._Element) -> lxml.html.HtmlElement:
    content = entry.find("a:content", NS)
    assert content is not None and content.get("type") == "html"
    assert len(content) == 0  # escaped HTML as text, no child elements
    return lxml.html.fragment_fromstring(content.text or "")


def test_feed_metadata() -> None:
    document = digest_feed(reader(), [item()], LINKS, NOW)
    assert document.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")

    feed = parse(document).feed
    assert feed.id == "tag:handpicked,2026:reader/7"
    assert feed.title == "handpicked for alice.smith"
    assert feed.updated == "2026-03-02T07:00:00Z"
    assert feed.author == "handpicked"
    [self_link] = [link for link in feed.links if link.rel == "self"]
    assert self_link.href == f"https://news.example/feeds/{TOKEN}.atom"
    assert self_link.type == "application/atom+xml"
    assert document.count(TOKEN.encode()) == 1  # only in the self link, never in an id


def test_entries() -> None:
    second = article(12, title="Second story", images=(), section=None, tags=(), authors=())
    items = [item(), item(second, reasons=(), outlets=("Only Outlet",))]
    parsed = parse(digest_feed(reader(), items, LINKS, NOW))

    first, other = parsed.entries
    assert first.id == "tag:handpicked,2026:article/11"
    assert first.title == "Story number 11"
    assert first.link == "https://news.example/articles/11"
    links = {link.rel: link.href for link in first.links}
    assert links == {
        "alternate": "https://news.example/articles/11",
        "related": "https://paper.example/story-11?ref=rss",
    }
    assert first.published == "2026-03-02T04:00:00Z"
    assert first.updated == "2026-03-02T05:00:00Z"
    assert first.summary == "The lead paragraph."
    assert [tag.term for tag in first.tags] == ["Politics", "Elections", "Europe"]
    assert first.author == "Jane Reporter"

    html = first.content[0]
    assert html.type == "text/html"
    assert "Picked because you follow Elections and because it is about Europe." in html.value
    assert "Also covered by 2 outlets: Daily Bugle, Morning Post." in html.value

    assert other.id == "tag:handpicked,2026:article/12"
    assert "Picked because" not in other.content[0].value
    assert "Also covered" not in other.content[0].value
    assert "tags" not in other


def test_content_is_the_clean_article_then_its_pictures_then_the_reasons() -> None:
    """What a feed reader shows: the article as extracted (lead, paragraphs, pull quotes),
    its pictures from our own address with caption and credit, then why it was picked."""
    stored = article(
        lead="The lead paragraph.",
        paragraphs=("The lead paragraph.", "First body paragraph.", "Second body paragraph."),
        pull_quotes=("A quote pulled out.",),
        images=(
            Image(
                url="https://img.example/1.jpg",
                caption="Voters queue",
                credit="Photo: A. Lens",
                alt="A queue",
            ),
            Image(url="https://img.example/2.png", credit="Agency"),
        ),
    )
    root = etree.fromstring(digest_feed(reader(), [item(stored)], LINKS, NOW))
    [entry] = root.findall("a:entry", NS)
    fragment = content_html(entry)
    assert [child.tag for child in fragment] == [
        "figure", "p", "p", "p", "blockquote", "figure", "hr", "p", "p",
    ]  # fmt: skip
    assert [p.text_content() for p in fragment.findall("p")] == [
        "The lead paragraph.",  # once, although the first paragraph repeats it
        "First body paragraph.",
        "Second body paragraph.",
        "Picked because you follow Elections and because it is about Europe.",
        "Also covered by 2 outlets: Daily Bugle, Morning Post.",
    ]
    assert fragment.findtext("blockquote/p") == "A quote pulled out."
    first, second = fragment.iter("img")
    assert first.get("src") == "https://news.example/images/11/1.jpg"  # ours, not the outlet's
    assert first.get("alt") == "A queue"
    assert second.get("src") == "https://news.example/images/11/2.png"
    captions = [caption.text_content() for caption in fragment.iter("figcaption")]
    assert captions == ["Voters queue Photo: A. Lens", "Agency"]
    assert all(caption.find("small") is not None for caption in fragment.iter("figcaption"))
    assert "img.example" not in (entry.findtext("a:content", namespaces=NS) or "")


def test_one_outlet_more_and_long_lists() -> None:
    outlets = tuple(f"Outlet {n}" for n in range(14))
    root = etree.fromstring(
        digest_feed(
            reader(),
            [item(outlets=outlets[:2]), item(article(12), outlets=outlets)],
            LINKS,
            NOW,
        )
    )
    one, many = (content_html(entry).text_content() for entry in root.findall("a:entry", NS))
    assert "Also covered by 1 outlet: Outlet 1." in one
    assert "Also covered by 13 outlets: Outlet 1, " in many
    assert "Outlet 10 and 3 more." in many


def test_ids_are_stable_across_calls() -> None:
    items = [item(), item(article(12))]
    first = digest_feed(reader(), items, LINKS, NOW)
    again = digest_feed(reader(), items, LINKS, NOW)
    later = digest_feed(reader(), items[::-1], LINKS, NOW + timedelta(days=1))
    assert first == again

    def ids(document: bytes) -> list[str]:
        return [
            element.text or "" for element in etree.fromstring(document).iter(f"{{{ATOM_NS}}}id")
        ]

    assert ids(first) == [
        "tag:handpicked,2026:reader/7",
        "tag:handpicked,2026:article/11",
        "tag:handpicked,2026:article/12",
    ]
    assert sorted(ids(later)) == sorted(ids(first))


def test_hostile_article_text() -> None:
    nasty = article(
        title="Breaking\x00\x0b news <script>alert(1)</script>\ud800",
        lead="Lead\x1b[31m with <b>tags</b> & \ufffe junk",
        paragraphs=(
            "<img src=x onerror=alert(1)> <p onclick=alert(5)>",
            "]]></content><script>alert(7)</script>",
        ),
        pull_quotes=("<a href=javascript:alert(6)>",),
        authors=("<img src=x onerror=alert(1)>", "\x07"),
        section="<Politics>",
        tags=("a\x00b",),
        url="javascript:alert(1)",
        canonical_url="javascript:alert(2)",
        images=(
            Image(url="javascript:alert(3)", caption="bad"),
            Image(
                url="https://img.example/ok.jpg",
                caption="</figcaption><script>alert(4)</script>",
                credit="\x01&amp;",
            ),
        ),
    )
    hostile = item(
        nasty,
        reasons=("because you follow <script>evil()</script>\x0c",),
        outlets=("The Paper", "<iframe src=x>"),
    )
    document = digest_feed(reader(email="<bob>\x00@example.org"), [hostile], LINKS, NOW)

    root = etree.fromstring(document)  # well-formed XML 1.0
    [entry] = root.findall("a:entry", NS)
    assert entry.findtext("a:title", namespaces=NS) == "Breaking news <script>alert(1)</script>"
    assert entry.findtext("a:summary", namespaces=NS) == "Lead[31m with <b>tags</b> &  junk"
    assert [c.get("term") for c in entry.findall("a:category", NS)] == ["<Politics>", "ab"]
    assert {link.get("rel") for link in entry.findall("a:link", NS)} == {"alternate"}
    assert root.findtext("a:title", namespaces=NS) == "handpicked for <bob>"

    fragment = content_html(entry)
    assert {element.tag for element in fragment.iter()} <= {
        "div", "p", "strong", "blockquote", "figure", "img", "figcaption", "small", "hr",
    }  # fmt: skip
    text = fragment.text_content()
    assert "Picked because you follow <script>evil()</script>." in text
    assert "Also covered by 1 outlet: <iframe src=x>." in text
    [img] = fragment.iter("img")
    assert img.get("src") == "https://news.example/images/11/ok.jpg"
    assert set(img.attrib) == {"src", "alt"}
    assert "</figcaption><script>alert(4)</script>" in text
    assert "<img src=x onerror=alert(1)> <p onclick=alert(5)>" in text
    assert "<a href=javascript:alert(6)>" in text

    # As a feed reader gets it: markup made only of our few tags, no handler, no script.
    shown = lxml.html.fragment_fromstring(parse(document).entries[0].content[0].value)
    assert {element.tag for element in shown.iter()} <= {
        "div", "p", "strong", "blockquote", "figure", "img", "figcaption", "small", "hr",
    }  # fmt: skip
    assert all(name in ("src", "alt") for e in shown.iter() for name in e.attrib)


def test_dates_fall_back_and_naive_ones_are_utc() -> None:
    fetched = datetime(2026, 3, 1, 12, 30)  # naive: UTC
    no_dates = article(published=None, updated=None, fetched_at=fetched)
    backwards = article(12, published=NOW, updated=NOW - timedelta(days=2))
    berlin = article(13, published=datetime.fromisoformat("2026-03-02T09:15:00+01:00"))
    parsed = parse(
        digest_feed(
            reader(),
            [item(no_dates), item(backwards), item(berlin)],
            LINKS,
            NOW.replace(tzinfo=None),
        )
    )
    assert parsed.feed.updated == "2026-03-02T07:00:00Z"
    first, second, third = parsed.entries
    assert (first.published, first.updated) == ("2026-03-01T12:30:00Z", "2026-03-01T12:30:00Z")
    assert (second.published, second.updated) == ("2026-03-02T07:00:00Z", "2026-03-02T07:00:00Z")
    assert third.published == "2026-03-02T08:15:00Z"


def test_a_repeated_article_is_shown_once_and_languages_are_marked() -> None:
    german = replace(article(12), detected_language="de")
    odd = article(13, language="not a language!")
    root = etree.fromstring(
        digest_feed(reader(), [item(), item(), item(german), item(odd)], LINKS, NOW)
    )
    entries = root.findall("a:entry", NS)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [entry.get(lang) for entry in entries] == ["en", "de", None]


def test_empty_feed_is_valid() -> None:
    document = digest_feed(reader(), [], LINKS, NOW)
    parsed = parse(document)
    assert parsed.entries == []
    assert parsed.feed.id == "tag:handpicked,2026:reader/7"

    root = etree.fromstring(document)
    assert root.tag == f"{{{ATOM_NS}}}feed"
    for required in ("id", "title", "updated", "author"):
        assert len(root.findall(f"a:{required}", NS)) == 1


def test_every_entry_has_the_required_elements() -> None:
    items = [item(), item(article(12, title=None, lead=None, images=(), authors=()))]
    root = etree.fromstring(digest_feed(reader(), items, LINKS, NOW))
    for entry in root.findall("a:entry", NS):
        for required in ("id", "title", "updated"):
            assert len(entry.findall(f"a:{required}", NS)) == 1
        assert entry.findall("a:link[@rel='alternate']", NS)
    untitled = root.findall("a:entry", NS)[1]
    assert untitled.findtext("a:title", namespaces=NS) == "(untitled)"
    assert untitled.find("a:summary", NS) is None
