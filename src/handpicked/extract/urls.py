"""URL helpers that never raise: pages carry malformed addresses ("http://[bad]/x")."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urljoin, urlsplit


@lru_cache(maxsize=1024)
def absolute_url(base: str | None, href: str) -> str | None:
    """``href`` resolved against ``base``; None when either is not a parseable URL. Cached:
    a page resolves the same few addresses (its logo, its placeholders) again and again."""
    try:
        resolved = urljoin(base, href) if base else href
        urlsplit(resolved)
    except ValueError:
        return None
    return resolved


def url_path(url: str | None) -> str:
    """The path of a URL, or "" when there is none or it does not parse."""
    if not url:
        return ""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def url_host(url: str | None) -> str:
    """The lower-cased host name of a URL, or "" when there is none or it does not parse."""
    if not url:
        return ""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
