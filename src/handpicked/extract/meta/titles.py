"""The headline: metadata titles, the <title> with its site suffix removed, the first <h1>.

<title> usually reads "Headline | Site Name"; the suffix goes when it names the site or the
domain, or when the page's <h1> is the part before it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|·|•|/|:)\s+")
_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_MIN_LABEL = 3
_WORD = re.compile(r"\w+", re.UNICODE)
_CONFIRMED = 0.3
_LATER_MARGIN = 0.1
"""How much better a later <h1> must match the declared titles to win over an earlier one:
the first is the page's own headline, later ones head boxes of other stories."""
_MIN_HEADLINE_WORDS = 3
_MIN_PARTS = 2
_MAX_SITE_WORDS = 5


def _tokens(text: str) -> list[str]:
    """Word tokens, case-folded."""
    return _WORD.findall(text.casefold())


def overlap(first: str, second: str) -> float:
    """Token F1 of two titles: how much of the same headline they are."""
    a, b = _tokens(first), _tokens(second)
    if not a or not b:
        return 0.0
    counts: dict[str, int] = {}
    for token in b:
        counts[token] = counts.get(token, 0) + 1
    common = 0
    for token in a:
        if counts.get(token, 0) > 0:
            counts[token] -= 1
            common += 1
    return 2 * common / (len(a) + len(b))


def _continues(title: str, other: str) -> bool:
    """``other`` is ``title`` cut short: it starts with it and goes on mid-headline, not after
    a separator (" - Sport - SZ.de" is a suffix the site name check missed, not the rest)."""
    if len(normal(other)) <= len(normal(title)) or not normal(other).startswith(normal(title)):
        return False
    stem = title.rstrip(" .…")
    if not other.startswith(stem):
        return True
    return not _SEPARATORS.match(other[len(stem) :])


def _untruncated(declared: list[str]) -> list[str]:
    """Declared titles with a cut-off one (JSON-LD headlines are often clipped at 110
    characters) replaced by the full title another source gives."""
    return [
        next((other for other in declared if _continues(title, other)), title) for title in declared
    ]


def pick_title(h1s: list[str], declared: list[str], site_name: str | None) -> str | None:
    """The visible <h1> that the declared titles confirm, else the best declared title.

    Readers and annotators know a page by its visible headline; <title> and og:title are often
    SEO variants of it. An <h1> that shares no words with any declared title is a logo or a
    section name, unless the page declares nothing.
    """
    declared = _untruncated(declared)
    best, best_score = None, 0.0
    for h1 in h1s:
        if site_name and normal(h1) == normal(site_name):
            continue
        score = max((overlap(h1, title) for title in declared), default=0.0)
        if score > best_score + (_LATER_MARGIN if best is not None else 0.0):
            best, best_score = h1, score
    if best is not None and best_score >= _CONFIRMED:
        return best
    if declared:
        return declared[0]
    return h1s[0] if h1s else None


def site_from_title(page_title: str | None, headline: str | None) -> str | None:
    """The site's name as the <title> gives it beside the headline ("Headline | Site"), for
    pages that declare no site name."""
    if not page_title or not headline:
        return None
    parts = [part.strip() for part in _SEPARATORS.split(page_title)]
    if len(parts) < _MIN_PARTS or normal(parts[0]) != normal(headline):
        return None
    tail = parts[-1]
    return tail if 0 < len(tail.split()) <= _MAX_SITE_WORDS and normal(tail) else None


def drop_tail(title: str) -> str:
    """ "Best Movers in NYC 2025 | Top 19 Companies" → "Best Movers in NYC 2025": a bar is no
    punctuation a headline uses, so what follows it is a tagline, unless the headline before
    it would be a fragment."""
    head, bar, _ = title.partition(" | ")
    return head if bar and len(head.split()) >= _MIN_HEADLINE_WORDS else title


def normal(text: str) -> str:
    """Letters and digits only, case-folded: for comparing titles written differently."""
    return _ALNUM.sub("", text.casefold())


def host_of(url: str | None) -> str | None:
    """A URL's host name, or None for no URL or a malformed one ("http://[::1")."""
    if not url:
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def domain_label(url: str | None) -> str | None:
    """The name part of a host: "www.nytimes.com" → "nytimes"."""
    host = host_of(url) or ""
    labels = [label for label in host.split(".") if label and label != "www"]
    if len(labels) >= 2:
        labels = labels[:-1]
        if len(labels) >= 2 and len(labels[-1]) <= 3:
            labels = labels[:-1]
    label = labels[-1] if labels else ""
    return label if len(label) >= _MIN_LABEL else None


def names_site(part: str, site_name: str | None, domain: str | None) -> bool:
    """True when a title segment is the site's name or its domain."""
    key = normal(part)
    if not key:
        return True
    if site_name:
        site = normal(site_name)
        if site and (key == site or (len(site) >= _MIN_LABEL and (site in key or key in site))):
            return True
    return bool(domain and (domain in key or (len(key) >= _MIN_LABEL and key in domain)))


def strip_site(title: str, site_name: str | None, domain: str | None, h1: str | None) -> str:
    """Drop leading or trailing segments that name the site; keep the h1 when it is a part."""
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    if h1:
        key = normal(h1)
        for part in parts:
            if normal(part) == key:
                return part.strip()
    while len(parts) > 1 and names_site(parts[-1], site_name, domain):
        parts.pop()
    while len(parts) > 1 and names_site(parts[0], site_name, domain):
        parts.pop(0)
    if len(parts) == len(_SEPARATORS.split(title)):
        return title
    return _rejoin(title, parts)


def _rejoin(title: str, parts: list[str]) -> str:
    """The original text spanning the kept segments, with their own separators."""
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    if start < 0 or end < start:
        return " - ".join(parts)
    return title[start:end].strip()
