"""The digest email: its parts, headers, signed links, inlined styles and escaping."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest

from handpicked.article import Image
from handpicked.deliver.email import (
    compose_digest_email,
    render_digest_html,
    render_digest_text,
)
from handpicked.deliver.links import Links
from handpicked.deliver.tokens import BadToken, Tokens
from handpicked.pick.digest import Digest, DigestItem, Suggestion
from handpicked.settings import Settings
from handpicked.store import ReaderRecord, StoredArticle

BASE = "https://news.example.org"
SECRET = "test-secret-key"
SENDER = "handpicked <digest@news.example.org>"
NOW = datetime(2025, 3, 4, 7, 0, tzinfo=UTC)


def make_article(article_id: int = 1, **changes: Any) -> StoredArticle:
    fields: dict[str, Any] = {
        "id": article_id,
        "canonical_url": f"https://outlet.example.com/news/{article_id}",
        "url": f"https://outlet.example.com/news/{article_id}?ref=rss",
        "source_id": 1,
        "fetched_at": datetime(2025, 3, 3, 12, 0, tzinfo=UTC),
        "content_hash": f"hash{article_id}",
        "word_count": 120,
        "text": "The body of the article. " * 30,
        "title": f"Story number {article_id}",
        "authors": ("Jane Reporter",),
        "published": datetime(2025, 3, 3, 11, 30, tzinfo=UTC),
        "updated": None,
        "site_name": "Outlet Daily",
        "language": "en",
        "section": "world",
        "tags": (),
        "lead": "A short lead that says what happened.",
        "paragraphs": ("The body of the article.",),
        "pull_quotes": (),
        "images": (),
        "syndicated_from": None,
        "editors": (),
        "is_article": True,
    }
    fields.update(changes)
    return StoredArticle(**fields)


def make_reader(**changes: Any) -> ReaderRecord:
    fields: dict[str, Any] = {
        "id": 42,
        "email": "reader@example.net",
        "time_zone": "Europe/Berlin",
        "schedule": "daily 07:00",
        "max_items": 10,
        "language": None,
        "feed_token": "feedsecret123",
        "created_at": datetime(2025, 1, 1, tzinfo=UTC),
    }
    fields.update(changes)
    return ReaderRecord(**fields)


def make_item(article: StoredArticle, **changes: Any) -> DigestItem:
    fields: dict[str, Any] = {
        "story_id": article.id + 100,
        "article": article,
        "reasons": ("because you follow Vladimir Putin",),
        "outlets": (article.site_name or "Outlet",),
        "score": 1.0,
        "article_ids": (article.id,),
    }
    fields.update(changes)
    return DigestItem(**fields)


def make_digest(items: tuple[DigestItem, ...], **changes: Any) -> Digest:
    fields: dict[str, Any] = {
        "reader": make_reader(),
        "items": items,
        "since": datetime(2025, 3, 3, 6, 0, tzinfo=UTC),
        "generated_at": NOW,
        "candidates": 50,
    }
    fields.update(changes)
    return Digest(**fields)


@pytest.fixture
def links() -> Links:
    return Links(base_url=BASE + "/", signer=Tokens(SECRET))


@pytest.fixture
def digest() -> Digest:
    top = make_article(
        1,
        title="Summit ends without a deal",
        images=(
            Image(
                url="https://img.example.com/summit.jpg",
                caption="Leaders at the summit table",
                credit="Anna Lens/Agency",
                alt="Leaders seated around a table",
            ),
        ),
    )
    second = make_article(2, title="Markets shrug", lead=None, images=())
    return make_digest(
        (
            make_item(
                top,
                outlets=("Outlet Daily", "Other Times", "Third Herald"),
                reasons=("because you follow Vladimir Putin", "because you follow politics"),
            ),
            make_item(second, reasons=("because you follow markets",)),
        )
    )


def parse(msg: EmailMessage) -> EmailMessage:
    parsed = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def parts(msg: EmailMessage) -> tuple[str, str]:
    """The (plain text, HTML) bodies, checking they come in that order."""
    assert msg.get_content_type() == "multipart/alternative"
    subparts = list(msg.iter_parts())
    assert [p.get_content_type() for p in subparts] == ["text/plain", "text/html"]
    text, html = (p.get_content() for p in subparts)
    assert isinstance(text, str) and isinstance(html, str)
    return text, html


def unwrap(text: str) -> str:
    """The plain-text part with its line wrapping undone."""
    return " ".join(text.split())


def test_message_has_text_then_html_and_the_headers(digest: Digest, links: Links) -> None:
    msg = parse(compose_digest_email(digest, links, SENDER, now=NOW))
    text, html = parts(msg)
    assert "Summit ends without a deal" in text
    assert "Summit ends without a deal" in html
    assert msg["From"] == SENDER
    assert msg["To"] == "reader@example.net"
    assert msg["Subject"] == "Summit ends without a deal (+1 more)"
    assert msg["Date"] == "Tue, 04 Mar 2025 07:00:00 +0000"
    assert msg["Message-ID"].endswith("@news.example.org>")
    assert msg["List-Id"] == "handpicked digest <digest.handpicked>"


def test_message_id_can_be_given(digest: Digest, links: Links) -> None:
    msg = parse(compose_digest_email(digest, links, SENDER, message_id="<abc@example.org>"))
    assert msg["Message-ID"] == "<abc@example.org>"


def test_one_click_unsubscribe_headers(digest: Digest, links: Links) -> None:
    msg = parse(compose_digest_email(digest, links, SENDER, now=NOW))
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A long header is folded onto a second line; unfolding leaves the space, so strip it.
    header = str(msg["List-Unsubscribe"]).strip()
    match = re.fullmatch(r"<(https://[^>]+)>", header)
    assert match is not None, header
    url = urlsplit(match.group(1))
    assert url.netloc == "news.example.org"
    prefix, _, token = url.path.rpartition("/")
    assert prefix == "/unsubscribe"
    assert Tokens(SECRET).read_unsubscribe(token) == 42
    text, html = parts(msg)
    assert match.group(1) in text
    assert match.group(1) in html


def test_styles_are_inlined_and_dark_mode_kept(digest: Digest, links: Links) -> None:
    html = render_digest_html(digest, links)
    assert re.search(r'<p class="lead" style="[^"]*color', html)
    assert "@media (prefers-color-scheme: dark)" in html
    assert '<meta name="color-scheme" content="light dark">' in html
    assert '<meta name="supported-color-schemes" content="light dark">' in html
    assert '<html lang="en"' in html
    assert "max-width: 640px" in html
    # The preheader carries the top reasons and is hidden.
    assert re.search(r'class="preheader" style="[^"]*display: none', html)
    assert "Picked because you follow Vladimir Putin and because you follow markets." in html


def test_item_content_in_both_parts(digest: Digest, links: Links) -> None:
    text, html = parts(parse(compose_digest_email(digest, links, SENDER, now=NOW)))
    for body in (unwrap(text), html):
        assert "Leaders at the summit table" in body
        assert "Photo: Anna Lens/Agency" in body
        assert "Also covered by 2 outlets: Other Times, Third Herald." in body
        assert "Picked because you follow Vladimir Putin and because you follow politics." in body
        assert "Read at Outlet Daily" in body
        assert "https://outlet.example.com/news/1?ref=rss" in body
        assert f"{BASE}/articles/1" in body
        assert f"{BASE}/feeds/feedsecret123.atom" in body
        assert f"{BASE}/settings" in body
        assert "Outlet Daily · Mon 3 Mar 2025, 12:30 · By Jane Reporter" in body  # Berlin time
    assert 'src="https://img.example.com/summit.jpg"' in html
    assert 'alt="Leaders seated around a table"' in html
    # One outlet only: no "also covered" line for the second story.
    assert text.count("Also covered by") == 1
    # No lead: the article text stands in, cut short near 300 characters.
    lead = re.search(r"<p class=\"lead\"[^>]*>(The body of the article[^<]*)</p>", html)
    assert lead is not None
    assert lead.group(1).endswith("…")
    assert len(lead.group(1)) <= 301


def test_feedback_links_are_signed(digest: Digest, links: Links) -> None:
    html = render_digest_html(digest, links)
    tokens = Tokens(SECRET)
    found = set()
    for token in re.findall(rf'href="{re.escape(BASE)}/feedback/([^"]+)"', html):
        found.add(tokens.read_feedback(token))
    assert found == {(42, 1, "more"), (42, 1, "less"), (42, 2, "more"), (42, 2, "less")}


def test_text_part_is_wrapped_without_breaking_urls(digest: Digest, links: Links) -> None:
    text = render_digest_text(digest, links)
    for line in text.splitlines():
        if "://" not in line:
            assert len(line) <= 72, line
    assert re.search(r"^   More like this: https://\S+/feedback/\S+$", text, re.MULTILINE)
    assert "Unsubscribe: https://news.example.org/unsubscribe/" in text


def test_hostile_article_text_is_escaped(links: Links) -> None:
    hostile = make_article(
        7,
        title="<script>alert(1)</script>",
        site_name='Evil "Outlet" <b>',
        lead="<img src=x onerror=alert(2)>",
        url="javascript:alert(3)",
        canonical_url="javascript:alert(4)",
        images=(Image(url="javascript:alert(5)", caption="<i>cap</i>", credit="x"),),
    )
    digest = make_digest(
        (make_item(hostile, reasons=("because you follow <b>bold</b>",)),),
    )
    html = render_digest_html(digest, links)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "javascript:" not in html
    assert "<b>bold</b>" not in html
    assert "<img" not in html  # the only image had no http(s) URL
    msg = parse(compose_digest_email(digest, links, SENDER, now=NOW))
    assert msg["Subject"] == "<script>alert(1)</script>"
    text, _ = parts(msg)
    assert "1. <script>alert(1)</script>" in text  # plain text stays as written


def test_newlines_in_a_title_cannot_inject_headers(links: Links) -> None:
    article = make_article(3, title="Hello\r\nBcc: victim@example.com")
    msg = parse(compose_digest_email(make_digest((make_item(article),)), links, SENDER))
    assert msg["Bcc"] is None
    assert msg["Subject"] == "Hello Bcc: victim@example.com"


def test_empty_digest_says_so_and_suggests(links: Links) -> None:
    digest = make_digest(
        (),
        empty_reason="You don't follow anything yet.",
        suggestions=(
            Suggestion(label="Vladimir Putin", thing="person:Vladimir Putin", stories=4),
            Suggestion(label="Politics", thing="topic:politics", stories=1),
        ),
    )
    msg = parse(compose_digest_email(digest, links, SENDER, now=NOW))
    assert msg["Subject"] == "Nothing new for you today"
    text, html = parts(msg)
    for body in (unwrap(text), html):
        assert "You don't follow anything yet." in body or "You don&#39;t follow" in body
        assert "Follow Vladimir Putin — 4 recent stories" in body
        assert "Follow Politics — 1 recent story" in body
        assert "More like this" not in body
        assert "/unsubscribe/" in body
    assert "handpicked follow 'person:Vladimir Putin'" in text
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_empty_digest_without_reason_or_suggestions(links: Links) -> None:
    text = render_digest_text(make_digest(()), links)
    assert "None of the new stories since Mon 3 Mar 2025 matched what you follow." in text
    assert "Some things you could follow" not in text


def test_tampered_tokens_raise_bad_token() -> None:
    tokens = Tokens(SECRET)
    token = tokens.unsubscribe_token(42)
    assert tokens.read_unsubscribe(token) == 42
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (tampered, "garbage", "", "43." + token.partition(".")[2]):
        with pytest.raises(BadToken, match="unsubscribe link is not valid"):
            tokens.read_unsubscribe(bad)
    with pytest.raises(BadToken):
        Tokens("another-secret").read_unsubscribe(token)
    assert isinstance(BadToken("x"), ValueError)


def test_feedback_token_round_trip() -> None:
    tokens = Tokens(SECRET)
    for kind in ("more", "less"):
        assert tokens.read_feedback(tokens.feedback_token(42, 7, kind)) == (42, 7, kind)
    with pytest.raises(ValueError, match="feedback kind"):
        tokens.feedback_token(42, 7, "opened")
    token = tokens.feedback_token(42, 7, "more")
    with pytest.raises(BadToken, match="feedback link is not valid"):
        tokens.read_feedback(token[:-2])


def test_tokens_for_one_purpose_do_not_verify_for_the_other() -> None:
    tokens = Tokens(SECRET)
    with pytest.raises(BadToken):
        tokens.read_feedback(tokens.unsubscribe_token(42))
    with pytest.raises(BadToken):
        tokens.read_unsubscribe(tokens.feedback_token(42, 7, "less"))


def test_links() -> None:
    links = Links(base_url="https://x.example/", signer=Tokens(SECRET))
    article = make_article(5, url=None)
    page, token = links.article(5).split("?k=")
    assert page == "https://x.example/articles/5"
    assert links.signer.can_read(token, "article", 5)
    assert not links.signer.can_read(token, "story", 5)
    page, token = links.story(9).split("?k=")
    assert page == "https://x.example/stories/9" and links.signer.can_read(token, "story", 9)
    assert links.original(article) == "https://outlet.example.com/news/5"
    assert links.feed("a/b") == "https://x.example/feeds/a%2Fb.atom"
    assert links.settings() == "https://x.example/settings"
    assert links.unsubscribe(42).startswith("https://x.example/unsubscribe/")
    assert SECRET not in repr(links)


def test_links_from_settings(tmp_path: Any) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url="sqlite://",
        allow_private_networks=False,
        base_url="https://app.example",
        secret_key_value=SECRET,
    )
    links = Links.from_settings(settings)
    token = links.unsubscribe(3).rpartition("/")[2]
    assert Tokens(SECRET).read_unsubscribe(token) == 3
    assert links.feed("t") == "https://app.example/feeds/t.atom"
