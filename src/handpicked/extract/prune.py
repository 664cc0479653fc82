"""Removing what is never article text: code, forms, hidden nodes and named site chrome.

Pruning works on element names and on the words a page uses in its class and id attributes
("share-bar", "newsletter-promo", "cookie-banner"). A container that holds most of the page's
prose is never pruned by name alone: sites do call their main column "content-sidebar-wrap".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

# Elements whose content is never body text. Removed with their tails kept.
JUNK_TAGS = (
    "script", "style", "template", "svg", "canvas", "iframe", "object", "embed",
    "input", "textarea", "source", "track", "link", "meta", "head",
)  # fmt: skip
# Controls hold no article text either, but broken markup can leave a <button> unclosed around
# the whole page: these go only when small.
# <noscript> is the same: usually a tracking pixel or "enable JavaScript", but some forums and
# apps serve their whole text there for crawlers.
CONTROL_TAGS = (
    "button", "select", "option", "label", "dialog", "map", "audio", "video", "noscript"
)  # fmt: skip
_MAX_CONTROL_CHARS = 200

# Chrome by its words in class and id, matched as whole hyphen/underscore-separated words.
_CHROME_WORDS = frozenset(
    """
    share sharing sharebar social socials sns related recirc recommended recommendations
    newsletter newsletters subscribe subscription signup promo promos promotion advert
    advertisement advertising ads ad adslot adunit dfp gpt sponsor sponsored partner
    partners cookie cookies consent gdpr comment comments disqus breadcrumb breadcrumbs
    pagination pager sidebar popup modal overlay menu navbar nav navigation footer masthead
    outbrain taboola skiplink paywall toolbar print rating ratings reactions byline bylines
    author authors dateline timestamp tags tag taxonomy keywords topics more trending
    popular most mostread readmore next prev previous offscreen subnav header topbar
    bottombar login signin register donate support follow bio about meta tools utility
    credits caption figcaption gallery slideshow carousel lightbox
    """.split()
)
# Chrome words that say where or how a block shows (a sidebar, behind the paywall, in a modal),
# not what it is: sites give them to the article's own prose too ("sidebar-grid__container",
# every paragraph "paywall"). Only these may be exempted on a page (see looks_like_chrome);
# words that say what a block is (comments, related, share, newsletter) never are.
PLACEMENT_WORDS = frozenset(
    """
    sidebar paywall subscription subscribe popup modal overlay offscreen print header
    topbar bottombar toolbar utility tools meta more
    """.split()
)
# Chrome names of more than one word.
_CHROME_PHRASES = ("skip-link", "skip-to-content", "sr-only", "visually-hidden", "screen-reader")
# Words that mark the article itself; they protect a container from a chrome word beside them.
_CONTENT_WORDS = frozenset(
    """
    article articlebody story storybody post entry content body main text prose richtext
    blog hentry page
    """.split()
)
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu",
                 "menubar", "dialog", "alert", "alertdialog", "tablist", "toolbar"}  # fmt: skip
_CHROME_TAGS = {"nav", "footer", "aside", "form", "header", "menu"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def remove_junk(root: HtmlElement) -> None:
    """Drop code, media and controls in one C-level pass; their tails stay in place."""
    etree.strip_elements(root, *JUNK_TAGS, with_tail=False)
    for control in list(root.iter(*CONTROL_TAGS)):
        if len(control.text_content()) < _MAX_CONTROL_CHARS:
            control.drop_tree()


def chrome_words(element: HtmlElement) -> str:
    """The class and id attributes, where sites name what a block is."""
    return f"{element.get('class', '')} {element.get('id', '')}"


# Utility classes of the common CSS frameworks that mean display:none or screen-reader only.
_HIDING_CLASSES = frozenset({"d-none", "sr-only", "visually-hidden", "screen-reader-text"})
_STREAMED_SEGMENT = re.compile(r"^S:\d+$")


def is_hidden(element: HtmlElement) -> bool:
    """Hidden from readers. React's streamed segments (<div hidden id="S:0">) are not: a
    script moves them into place as soon as the page loads."""
    get = element.get
    return _hidden(get("hidden"), get("id"), get("class"), get("style"))


def _hidden(hidden: str | None, ident: str | None, classes: str | None, style: str | None) -> bool:
    if hidden is not None:
        return not _STREAMED_SEGMENT.match(ident or "")
    if classes and not _HIDING_CLASSES.isdisjoint(classes.split()):
        return True
    return bool(style and _HIDDEN_STYLE.search(style))


_CODE_TAGS = ("pre", "code")


def chrome_to_remove(
    root: HtmlElement,
    exempt: frozenset[str] = frozenset(),
    kept: Callable[[HtmlElement], bool] | None = None,
) -> list[HtmlElement]:
    """What pruning removes: the outermost elements under ``root`` (itself included) that
    are hidden (:func:`is_hidden`) or named as chrome (:func:`looks_like_chrome`) and not
    ``kept``, in document order. Nothing inside ``<pre>`` or ``<code>`` is chrome (syntax
    highlighters name their spans "comment", "meta", "tag").

    One walk that never enters what goes: on news pages most elements sit in menus, footers
    and hidden boxes, and judging each of them cost more than the rest of pruning. Each
    distinct set of the attributes that decide it (tag, class, id, role, hidden, style) is
    judged once: a page repeats a few hundred of them over thousands of elements. Ids are
    unique, so an id that cannot change the verdict is left out of the key."""
    verdicts: dict[tuple[str, str | None, str | None, str | None, str | None, str | None], bool]
    verdicts = {}
    found: list[HtmlElement] = []
    may_name_chrome = _id_may_name_chrome
    walker = etree.iterwalk(root, events=("start",), tag=etree.Element)
    for _event, element in walker:
        tag = element.tag
        if tag in _CODE_TAGS:
            walker.skip_subtree()
            continue
        get = element.get
        hidden = get("hidden")
        ident = get("id")
        if ident is not None and hidden is None and not may_name_chrome(ident):
            ident = None
        key = (tag, get("class"), ident, get("role"), hidden, get("style"))
        verdict = verdicts.get(key)
        if verdict is None:
            verdict = verdicts[key] = _judged(*key, exempt)
        if verdict and (kept is None or not kept(element)):
            found.append(element)
            walker.skip_subtree()
    return found


def _judged(
    tag: str,
    classes: str | None,
    ident: str | None,
    role: str | None,
    hidden: str | None,
    style: str | None,
    exempt: frozenset[str],
) -> bool:
    """:func:`is_hidden` or :func:`looks_like_chrome` of an element with these attributes.
    Not cached across pages (the page's own verdicts are): the seven attributes rarely
    repeat from one site to the next, and a cache that misses costs more than the judging,
    whose slow part (:func:`_chrome_name`) is cached by its one string."""
    return _hidden(hidden, ident, classes, style) or _named_chrome(
        tag, role, classes, ident, exempt
    )


_NAME_WORDS = _CHROME_WORDS | _CONTENT_WORDS


def _id_may_name_chrome(ident: str) -> bool:
    """Whether an id holds a word or phrase that :func:`looks_like_chrome` reads."""
    lowered = ident.lower()
    if not _NAME_WORDS.isdisjoint(lowered.replace("-", " ").replace("_", " ").split()):
        return True
    return any(phrase in lowered for phrase in _CHROME_PHRASES)


def name_tokens(element: HtmlElement) -> frozenset[str]:
    """The hyphen/underscore-separated words of an element's class and id, lower-cased."""
    words = chrome_words(element)
    if len(words) < 3:
        return frozenset()
    return frozenset(words.lower().replace("-", " ").replace("_", " ").split())


def chrome_name_words(element: HtmlElement) -> frozenset[str]:
    """The chrome words an element's class and id use ("share", "sidebar", "paywall")."""
    return _chrome_words_of(chrome_words(element))


def placement_name_words(element: HtmlElement) -> frozenset[str]:
    """The :data:`PLACEMENT_WORDS` an element's class and id use ("sidebar", "paywall")."""
    classes = element.get("class")
    ident = element.get("id")
    if classes is None and ident is None:
        return frozenset()
    return _placement_words_of(f"{classes or ''} {ident or ''}")


@lru_cache(maxsize=4096)
def _placement_words_of(words: str) -> frozenset[str]:
    return PLACEMENT_WORDS.intersection(_chrome_words_of(words))


@lru_cache(maxsize=4096)
def _chrome_words_of(words: str) -> frozenset[str]:
    """Cached: the blocks of a page share a few class names."""
    if len(words) < 3:
        return frozenset()
    return _CHROME_WORDS.intersection(words.lower().replace("-", " ").replace("_", " ").split())


def looks_like_chrome(element: HtmlElement, exempt: frozenset[str] = frozenset()) -> bool:
    """Whether an element announces itself as site chrome by name, tag or ARIA role.

    ``exempt`` holds the chrome words that this page uses for its article's own prose (every
    paragraph a ``paywall``, the body column a ``sidebar-grid__content``): on such a page those
    words say nothing about chrome."""
    get = element.get
    return _named_chrome(element.tag, get("role"), get("class"), get("id"), exempt)


def _named_chrome(
    tag: str, role: str | None, classes: str | None, ident: str | None, exempt: frozenset[str]
) -> bool:
    if tag in _CHROME_TAGS:
        return True
    if role and role.lower() in _CHROME_ROLES:
        return True
    return _chrome_name(f"{classes or ''} {ident or ''}", exempt)


@lru_cache(maxsize=8192)
def _chrome_name(words: str, exempt: frozenset[str]) -> bool:
    """Whether a class-and-id string names chrome. Cached: a page repeats the same few
    hundred class strings over thousands of elements."""
    if len(words) < 3:
        return False
    lowered = words.lower()
    tokens = frozenset(lowered.replace("-", " ").replace("_", " ").split())
    chrome = not _CHROME_WORDS.isdisjoint(tokens) and not exempt.issuperset(
        _CHROME_WORDS.intersection(tokens)
    )
    if not chrome and not any(p in lowered for p in _CHROME_PHRASES):
        return False
    return _CONTENT_WORDS.isdisjoint(tokens)
