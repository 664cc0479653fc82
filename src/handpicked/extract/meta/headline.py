"""The headline element and what surrounds it: which <h1> is a breadcrumb, which part of
it is a kicker, which declared title the page prints as a heading.

Titles are compared as strings in :mod:`titles`; this module reads the elements that print
them, since what a reader sees as the headline depends on where and how it is printed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from handpicked.extract.meta.head import inline_text
from handpicked.extract.meta.titles import normal
from handpicked.extract.meta.zone import find_date, printed_before

_BREADCRUMB_DEPTH = 6
_MAX_KICKER_WORDS = 5
_MAX_DATE_CHARS = 40
_MAX_PARTS = 40
"""Descendants of a headline looked at for the part that is the title: a headline has few."""
_PRINTED_HEADING = etree.XPath(
    "(//body//*[self::h2 or self::h3 or ancestor::h2][normalize-space(.) = $title]"
    "[not(ancestor::a or ancestor::aside or ancestor::footer)])[1]"
)


def in_breadcrumb(element: HtmlElement) -> bool:
    """An <h1> in a breadcrumb trail or a navigation bar: it names the page for search
    engines and screen readers, while the reader's headline is printed elsewhere."""
    for depth, node in enumerate((element, *element.iterancestors())):
        if depth > _BREADCRUMB_DEPTH:
            break
        names = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
        if node.tag == "nav" or "breadcrumb" in names:
            return True
    return False


def is_logo(element: HtmlElement) -> bool:
    """An <h1> that is the site's logo: a link to the home page holding all its text (or only
    an image). Blogs print the site's name so, on every page; the post's title is elsewhere."""
    links = element.findall(".//a") if element.tag != "a" else [element]
    if len(links) != 1 or not _home(links[0].get("href") or ""):
        return False
    return normal(inline_text(links[0])) == normal(inline_text(element))


def _home(href: str) -> bool:
    """A link to a site's home page: "/", "https://example.com", "https://example.com/"."""
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return False
    return (
        parts.path in ("", "/")
        and not parts.query
        and not parts.fragment
        and bool(parts.netloc or parts.path)
    )


def core_headline(text: str, element: HtmlElement, declared: list[str]) -> str:
    """The declared title that an <h1> prints among other things in elements of their own: a
    date before it ("<time>Dec 18 2025</time> Preparing a transition"), a "Posted on ... by"
    line, a source link or a comment count after it. The declared title, printed whole in the
    element that opens the <h1> or left when such a part is taken away, is the headline. A
    kicker before the headline is not such a part (see :func:`kicker_free`): only a date is
    dropped from the front."""
    keys = {normal(title): title for title in declared}
    whole = normal(text)
    if not keys or whole in keys:
        return text
    for count, part in enumerate(element.iterdescendants()):
        if count >= _MAX_PARTS:
            break
        if not isinstance(part.tag, str):
            continue
        printed = inline_text(part)
        inner = normal(printed)
        if not inner or inner == whole:
            continue
        if inner in keys and whole.startswith(inner):
            return keys[inner]
        rest = whole.removesuffix(inner)
        if rest == whole and (part.tag == "time" or _is_date(printed)):
            rest = whole.removeprefix(inner)
        if rest != whole and rest in keys:
            return keys[rest]
    return text


def _is_date(text: str) -> bool:
    """The text is a date and little else ("Mar 18 2025", "18.03.2025")."""
    found = find_date(text, day_first=True)
    return found is not None and len(text) <= _MAX_DATE_CHARS


def kicker_free(text: str, element: HtmlElement, declared: list[str]) -> str:
    """An <h1> text without the kicker printed in its own element in front of the headline
    ("<span>Premier League</span> Rückschlag im Titelkampf"), when a declared title is the
    rest: read on one line, the two run together into no headline at all."""
    first = element[0] if len(element) else None
    if first is None or (element.text or "").strip() or not isinstance(first.tag, str):
        return text
    kicker = inline_text(first)
    if not kicker or len(kicker.split()) > _MAX_KICKER_WORDS or kicker[-1] in ":–—-|":
        return text
    rest = text[len(kicker) :].strip() if text.startswith(kicker) else ""
    if rest and any(normal(title) == normal(rest) for title in declared):
        return rest
    return text


def printed_headings(root: HtmlElement, declared: list[str]) -> list[str]:
    """The declared titles that the page prints as a heading, or inside one: with no real
    <h1>, the one a reader sees among an SEO title, a social title and the headline."""
    out: list[str] = []
    for title in dict.fromkeys(declared):
        found = _PRINTED_HEADING(root, title=title)
        if isinstance(found, list) and found:
            out.append(title)
    return out


def with_printed_kicker(h1: str, element: HtmlElement, declared: list[str]) -> str:
    """The headline with the kicker printed over it ("Nach Gaetz-Rückzug"), when the site's
    own declared title joins the two ("Nach Gaetz-Rückzug: Trump-Anwältin soll ..."): that
    is the headline as the site writes it on one line. A declared prefix that the page does
    not print just before the <h1> is an SEO keyword, and stays out."""
    for title in declared:
        kicker, colon, rest = title.partition(": ")
        if not colon or normal(rest) != normal(h1) or len(kicker.split()) > _MAX_KICKER_WORDS:
            continue
        if normal(printed_before(element)) == normal(kicker):
            return title
    return h1
