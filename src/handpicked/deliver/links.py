"""The absolute URLs a digest links to: the clean article view, feeds, settings, and the signed
unsubscribe and feedback links (see :mod:`handpicked.deliver.tokens`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from handpicked.deliver.tokens import Tokens
from handpicked.images.cache import image_path
from handpicked.settings import Settings
from handpicked.store import StoredArticle

_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class Links:
    """Builds links under ``base_url`` (the web app's public address, no trailing slash)."""

    base_url: str
    signer: Tokens

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))

    @classmethod
    def from_settings(cls, settings: Settings) -> Links:
        return cls(base_url=settings.base_url, signer=Tokens(settings.secret_key()))

    def article(self, article_id: int) -> str:
        """The clean, reader-friendly view of a stored article, signed so that it opens from an
        email or a feed reader without signing in (the pages otherwise need a reader)."""
        token = self.signer.read_token("article", int(article_id))
        return f"{self.base_url}/articles/{int(article_id)}?k={token}"

    def story(self, story_id: int) -> str:
        token = self.signer.read_token("story", int(story_id))
        return f"{self.base_url}/stories/{int(story_id)}?k={token}"

    def original(self, article: StoredArticle) -> str:
        """Where the article was published: its URL, else its canonical URL (a web URL first)."""
        return original_url(article) or article.url or article.canonical_url or ""

    def image(self, article_id: int, url: str) -> str:
        """A picture of a stored article from our own address (see :mod:`handpicked.images`)."""
        return f"{self.base_url}{image_path(article_id, url)}"

    def unsubscribe(self, reader_id: int) -> str:
        """The one-click unsubscribe link (RFC 8058); it never expires."""
        return f"{self.base_url}/unsubscribe/{self.signer.unsubscribe_token(reader_id)}"

    def feed(self, feed_token: str) -> str:
        """The reader's private Atom feed."""
        return f"{self.base_url}/feeds/{quote(feed_token, safe='')}.atom"

    def settings(self) -> str:
        return f"{self.base_url}/settings"

    def feedback(self, reader_id: int, article_id: int, kind: str) -> str:
        """A "more like this" (``kind="more"``) or "less like this" (``"less"``) link."""
        token = self.signer.feedback_token(reader_id, article_id, kind)
        return f"{self.base_url}/feedback/{token}"


def original_url(article: StoredArticle) -> str | None:
    """Where the article was published, if that is an http(s) URL (its URL first)."""
    for url in (article.url, article.canonical_url):
        if is_web_url(url):
            return url
    return None


def is_web_url(url: str | None) -> bool:
    """Whether ``url`` is an absolute http(s) URL with a host and no whitespace or control
    characters, so it is safe to put as-is in an ``href`` or ``src``."""
    if not url or _UNSAFE.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
