"""Is this page an article? Listings, product pages, forums and docs are not, and a news reader
must say so rather than file them as news.

A logistic model over a dozen page signals that any site shows: what the page declares itself
to be, whether it carries a date and a byline, how much prose the body holds and how much of
it is links (from its first paragraph to its last: not the menus and rails around it, which
make a short Japanese report beside a long rail of headlines look like a list), and what its
URL looks like. The weights were fitted on both dev sets
(WCXB dev, pages of every type; fundus-dev, real news in ~20 languages) by
``bench/fit_is_article.py``; there are few enough of them to read and reason about.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import cast

from lxml import etree
from lxml.html import HtmlElement

from handpicked.extract.prefilter import may_contain
from handpicked.extract.urls import url_path

_ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "blogposting", "reportagenewsarticle", "opinionnewsarticle",
     "analysisnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "scholarlyarticle",
     "techarticle", "report", "posting", "socialmediaposting", "liveblogposting", "review"}
)  # fmt: skip
_OTHER_TYPES = frozenset(
    {"product", "productgroup", "offer", "aggregateoffer", "itemlist", "collectionpage",
     "searchresultspage", "qapage", "discussionforumposting", "faqpage", "profilepage",
     "softwareapplication", "store", "localbusiness", "organization", "website", "event",
     "course", "jobposting", "recipe", "og:product", "product.item", "book",
     "profile", "video.other", "music.song"}
)  # fmt: skip
# Types that say the page lists things or sells one, even where it also calls itself an
# article (a shop's category page, a review site's section).
_LISTING_TYPES = frozenset(
    {"itemlist", "collectionpage", "searchresultspage", "product", "productgroup", "offer",
     "aggregateoffer", "og:product", "product.item"}
)  # fmt: skip
_URL_DATE = re.compile(r"/(?:19|20)\d\d[/-](?:0?[1-9]|1[0-2])(?:[/-]|$)")
_URL_LISTING = re.compile(
    r"/(?:tag|tags|category|categories|topic|topics|section|author|authors|search|archive|"
    r"page/\d+|latest|news/?$|blog/?$)(?:/|$|\?)",
    re.I,
)
_URL_PRODUCT = re.compile(r"/(?:product|products|shop|store|item|items|p|dp|buy|collections)/",
                          re.I)  # fmt: skip
_URL_FORUM = re.compile(
    r"/(?:forum|forums|thread|threads|t|community|discussion|discussions|questions|topic|"
    r"comments|r)/",
    re.I,
)
_URL_DOCS = re.compile(r"/(?:docs?|documentation|api|reference|manual|wiki|guide|help|kb)/",
                       re.I)  # fmt: skip
_PRICE = re.compile(r"add to (?:cart|basket|bag)|in stock|out of stock|buy now", re.I)
_PRICE_WORDS = ("add to", "stock", "buy now")  # in every match of _PRICE (see prefilter)
_ITEMPROPS = etree.XPath("//@itemprop")


_SHOP_MARKERS = 2


@dataclass(frozen=True, slots=True)
class PageSignals:
    """What the classifier looks at; gathered by the extractor as it works."""

    page_types: tuple[str, ...]
    has_date: bool
    has_author: bool
    words: int
    paragraphs: int
    body_link_density: float
    article_elements: int
    shop_markers: int
    url: str | None


def count_shop_markers(root: HtmlElement) -> int:
    """Price fields and cart buttons: the marks of a product page."""
    # An element has one itemprop at most: counting the values counts the elements, and
    # reading every itemprop costs half of testing each element's.
    values = cast("list[str]", _ITEMPROPS(root))
    prices = sum(1 for value in values if value in ("price", "offers"))
    buttons = sum(
        1 for element in root.iter("button", "a", "input")
        if (text := element.text or element.get("value") or "")
        and may_contain(text, _PRICE_WORDS) and _PRICE.search(text)
    )  # fmt: skip
    return prices + buttons


def declares_article(page_types: tuple[str, ...] | list[str]) -> bool:
    """Whether the page's JSON-LD or OpenGraph type says it is an article."""
    return not _ARTICLE_TYPES.isdisjoint(page_types)


def features(signals: PageSignals) -> dict[str, float]:
    """The model's inputs, each on a scale near 0..1 (words as a log)."""
    types = set(signals.page_types)
    path = url_path(signals.url)
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    return {
        "declared_article": float(bool(types & _ARTICLE_TYPES)),
        "declared_other": float(bool(types & _OTHER_TYPES) and not types & _ARTICLE_TYPES),
        "declared_listing": float(bool(types & _LISTING_TYPES)),
        "has_date": float(signals.has_date),
        "has_author": float(signals.has_author),
        "log_words": math.log1p(signals.words) / 8,
        "paragraph_words": math.log1p(signals.words / max(1, signals.paragraphs)) / 5,
        "body_link_density": signals.body_link_density,
        "many_articles": float(signals.article_elements >= 3),
        "shop_markers": min(signals.shop_markers, 5) / 5,
        "url_date": float(bool(_URL_DATE.search(path))),
        "url_slug": min(slug.count("-"), 8) / 8,
        "url_listing": float(bool(_URL_LISTING.search(path)) or path in ("", "/")),
        "url_product": float(bool(_URL_PRODUCT.search(path))),
        "url_forum": float(bool(_URL_FORUM.search(path))),
        "url_docs": float(bool(_URL_DOCS.search(path))),
    }


# Fitted by bench/fit_is_article.py on both dev sets (WCXB dev and fundus-dev; see that script).
WEIGHTS: dict[str, float] = {
    "bias": -5.704,
    "declared_article": 1.409,
    "declared_other": -0.500,
    "declared_listing": -1.669,
    "has_date": 1.284,
    "has_author": 0.434,
    "log_words": 2.920,
    "paragraph_words": 2.179,
    "body_link_density": -0.978,
    "many_articles": -0.410,
    "shop_markers": -0.391,
    "url_date": 1.611,
    "url_slug": 3.419,
    "url_listing": -1.128,
    "url_product": -1.697,
    "url_forum": -4.027,
    "url_docs": -2.962,
}


def article_probability(signals: PageSignals, weights: dict[str, float] | None = None) -> float:
    weights = WEIGHTS if weights is None else weights
    z = weights.get("bias", 0.0) + sum(
        weights.get(name, 0.0) * value for name, value in features(signals).items()
    )
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def is_shop(signals: PageSignals) -> bool:
    """A product page: its prose is the product's, and link lists around it are the shop's."""
    declared_product = not {"product", "productgroup", "og:product", "product.item"}.isdisjoint(
        signals.page_types
    )
    return declared_product or signals.shop_markers >= _SHOP_MARKERS


# Below even odds: an article read as a page keeps every link list around it, a page read as
# an article loses only the links it lists. Cross-validated on both dev sets (fit on one half,
# scored on the other), 0.4 gives WCXB the body quality of 0.5 and real news a better one.
ARTICLE_THRESHOLD = 0.4


def is_article(signals: PageSignals) -> bool:
    """True when the page reads as one article; an empty body never does."""
    return signals.words > 0 and article_probability(signals) >= ARTICLE_THRESHOLD
