"""Choosing the element that holds the article, and the parts of it that sit elsewhere.

The best-scoring container (:mod:`handpicked.extract.scoring`) is widened to take in the
story's other parts: a lead in a sibling box, a body that a site writes one paragraph group
per look-alike box. Teasers are never taken in: a grid of cards, each a linked headline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from lxml.html import HtmlElement

from handpicked.extract.prose import ProseMeter
from handpicked.extract.scoring import link_density, score_candidates


def choose_container(
    root: HtmlElement, declared_article: bool = False, meter: ProseMeter | None = None
) -> HtmlElement:
    """The best-scoring container, widened to its parent when the parent's other children
    carry prose as well (a lead paragraph in a sibling div, a body split in two).

    On a page that declares itself an article, a box beside the story must hold a real share
    of its prose to be taken in; other pages (services, products) spread their text wider.
    ``meter``: the page's prose measures so far (see :class:`ProseMeter`)."""
    min_split_share = _MIN_SPLIT_SHARE if declared_article else 0.0
    meter = ProseMeter() if meter is None else meter
    prose = _ProseMemo(meter)
    candidates = score_candidates(root, measured=meter)
    if not candidates:
        body = root.find("body")
        return body if body is not None else root
    best = candidates[0]
    container = best.element
    for other in candidates[1:4]:
        if other.score < 0.3 * best.score:
            break
        if _is_teaser(other.element) or _is_teaser_grid(other.element):
            continue
        shared = _common_ancestor(container, other.element)
        if declared_article and _look_alike(other.element, container) and _link_heavy(shared):
            continue  # stretches of one column around boxes of links: see article_parts
        if declared_article and shared is not None and _joins_articles(shared, container):
            continue  # an <article> is one story: the next one is not a part of this
        if shared is other.element and _adds_only_teasers(shared, container, prose):
            continue  # the story's column with a "more stories" grid under it
        if (
            declared_article
            and shared is other.element
            and _holds_look_alikes(shared, container)
            and _link_heavy(shared)
        ):
            continue  # the column repeats: article_parts reads its stretches, not the rest
        if shared is not other.element and (
            prose(other.element) < min_split_share * prose(container)
        ):
            continue  # a box beside the story (newsletter, teaser), not a part of it
        if shared is not None and shared.tag not in ("html", "body"):
            container = shared
    return container


class _ProseMemo:
    """:func:`prose_length` of each element asked about, measured once: choosing the container
    asks about the same large boxes again and again, and the tree does not change meanwhile."""

    def __init__(self, meter: ProseMeter) -> None:
        self._meter = meter
        self._lengths: dict[HtmlElement, int] = {}

    def __call__(self, element: HtmlElement) -> int:
        length = self._lengths.get(element)
        if length is None:
            length = self._lengths[element] = self._meter.length(element)
        return length


_REPEATS_FOR_LISTING = 3
_MIN_SPLIT_SHARE = 0.2


_TEASER_LINK_DENSITY = 0.25
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _own_article(element: HtmlElement) -> HtmlElement | None:
    if element.tag == "article":
        return element
    return next(element.iterancestors("article"), None)


def _joins_articles(ancestor: HtmlElement, container: HtmlElement) -> bool:
    """Whether widening the container to ``ancestor`` would take in another ``<article>``
    than the container's own (one that neither holds the other), where the container's own
    is a whole story, headline and all."""
    mine = _own_article(container)
    if mine is None or mine is ancestor or mine.find(".//h1") is None:
        return False  # a card, not a story with its own headline
    for article in ancestor.iter("article"):
        if article is mine or article in mine.iterancestors():
            continue
        if mine not in article.iterancestors() and article is not ancestor:
            return True
    return False


def _look_alike(element: HtmlElement, other: HtmlElement) -> bool:
    classes = element.get("class")
    return bool(classes) and element.tag == other.tag and classes == other.get("class")


_LINK_HEAVY = 0.25


def _link_heavy(element: HtmlElement | None) -> bool:
    """Whether widening to ``element`` would take in boxes of links (headlines, "most read")."""
    return element is not None and link_density(element) > _LINK_HEAVY


def _holds_look_alikes(ancestor: HtmlElement, container: HtmlElement) -> bool:
    return any(
        element is not container and _look_alike(element, container)
        for element in ancestor.iter(container.tag)
    )


def _within_teaser(element: HtmlElement, container: HtmlElement) -> bool:
    """Whether ``element`` sits in a teaser card, below where it meets the container."""
    for ancestor in (element, *element.iterancestors()):
        if container in ancestor.iter(container.tag):
            return False
        if _is_teaser(ancestor):
            return True
    return False


def _signatures(parent: HtmlElement) -> Counter[tuple[str, str | None]]:
    """How many children of ``parent`` share each (tag, class): counted once per parent, so
    that a page of 100,000 siblings costs one pass, not one per sibling."""
    return Counter((child.tag, child.get("class")) for child in parent)


def _is_repeated_item(
    element: HtmlElement, alike: Counter[tuple[str, str | None]] | None = None
) -> bool:
    """One of several look-alike siblings: a card in a grid, or a box of a body that a site
    writes one paragraph group per box."""
    parent = element.getparent()
    if parent is None:
        return False
    counts = _signatures(parent) if alike is None else alike
    return counts[(element.tag, element.get("class"))] >= _REPEATS_FOR_LISTING


def _is_teaser(element: HtmlElement, alike: Counter[tuple[str, str | None]] | None = None) -> bool:
    """A look-alike sibling that points elsewhere: a card in a grid of links, not a part of the
    story. Its headline is a link, or links make up much of its text; a box of the story's own
    paragraphs is mostly plain prose. ``alike``: the parent's signatures, where known."""
    if not _is_repeated_item(element, alike):
        return False
    if link_density(element) > _TEASER_LINK_DENSITY:
        return True
    return any(
        True for heading in element.iter(*_HEADINGS) if heading.find(".//a[@href]") is not None
    ) or any(True for link in element.iter("a") if link.find(".//h2") is not None)


def _is_teaser_grid(element: HtmlElement) -> bool:
    """A box whose children are teasers: "more stories", each with a linked headline."""
    alike = _signatures(element)
    if not alike or max(alike.values()) < _REPEATS_FOR_LISTING:
        return False
    teasers = 0
    for checked, child in enumerate(element):
        if checked >= _MAX_CHILDREN_CHECKED:
            break
        if isinstance(child.tag, str) and _is_teaser(child, alike):
            teasers += 1
            if teasers >= _REPEATS_FOR_LISTING:
                return True
    return False


_MAX_CHILDREN_CHECKED = 60


def _adds_only_teasers(ancestor: HtmlElement, container: HtmlElement, prose: _ProseMemo) -> bool:
    """Whether all the prose that widening ``container`` to ``ancestor`` would take in sits in
    teasers (and there is some)."""
    teasers = False
    node = container
    while node is not ancestor:
        parent = node.getparent()
        if parent is None:
            return False
        alike = _signatures(parent)
        for sibling in parent:
            if sibling is node or not isinstance(sibling.tag, str):
                continue
            if not prose(sibling):
                continue
            if not (_is_teaser(sibling, alike) or _is_teaser_grid(sibling)):
                return False
            teasers = True
        node = parent
    return teasers


def _common_ancestor(a: HtmlElement, b: HtmlElement) -> HtmlElement | None:
    ancestors = {id(x): x for x in a.iterancestors()}
    ancestors[id(a)] = a
    if id(b) in ancestors:
        return b
    for candidate in b.iterancestors():
        if id(candidate) in ancestors:
            return candidate
    return None


_MIN_PART_PROSE = 160
_MAX_PART_LINK_DENSITY = 0.3


def article_parts(
    root: HtmlElement, container: HtmlElement, meter: ProseMeter | None = None
) -> list[HtmlElement]:
    """The container and its look-alikes elsewhere on the page, in reading order: sites that
    put an advert column or a "more" box beside each stretch of the story repeat the story's
    column, same tag and class, once per stretch. A look-alike joins when it holds prose, few
    links and no teasers, and no headline (``<h1>``) stands between it and the container: the
    next story that infinite scroll appends starts with its own. ``meter``: as for
    :func:`choose_container`."""
    classes = container.get("class")
    if not classes or container.tag in ("html", "body"):
        return [container]
    inside = set(container.iter())
    sequence: list[HtmlElement | None] = []  # None marks a headline
    position = -1
    for element in root.iter():
        if element is container:
            position = len(sequence)
            sequence.append(element)
        elif element in inside:
            continue
        elif element.tag == "h1":
            sequence.append(None)
        elif element.tag == container.tag and element.get("class") == classes:
            sequence.append(element)
    if len(sequence) < 2 or position < 0:
        return [container]
    meter = ProseMeter() if meter is None else meter
    before = _joining(reversed(sequence[:position]), container, meter)
    after = _joining(sequence[position + 1 :], container, meter)
    return [*reversed(before), container, *after]


def _joining(
    sequence: Iterable[HtmlElement | None], container: HtmlElement, meter: ProseMeter
) -> list[HtmlElement]:
    """The look-alikes that join, walking away from the container up to the first headline."""
    parts: list[HtmlElement] = []
    for element in sequence:
        if element is None:
            break
        if any(ancestor is container for ancestor in element.iterancestors()):
            continue
        if container in element.iterancestors() or element in container.iterancestors():
            continue
        if meter.length(element) < _MIN_PART_PROSE:
            continue
        if link_density(element) > _MAX_PART_LINK_DENSITY or _is_teaser_grid(element):
            continue
        if _within_teaser(element, container):
            continue
        parts.append(element)
    return parts


__all__ = ["article_parts", "choose_container"]
