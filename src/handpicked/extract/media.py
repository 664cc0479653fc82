"""Pictures with their captions and credits, taken out of the flow so they never reach the body.

Each figure is replaced by an empty placeholder that remembers which image it held, so that
once the article's container is known only its own pictures are kept, in reading order.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml.html import HtmlElement

from handpicked.article import Image
from handpicked.extract.prefilter import may_contain
from handpicked.extract.urls import absolute_url

PLACEHOLDER_ATTRIBUTE = "data-hp-image"
_CREDIT_NAMES = re.compile(r"credit|copyright|photographer|attribution|source|byline", re.I)
_CAPTION_NAMES = re.compile(r"caption|legend|cutline", re.I)
_CAPTION_WORDS = ("caption", "legend", "cutline")  # in every match of _CAPTION_NAMES
_CREDIT_PREFIX = re.compile(
    r"^\s*[\(\[]?\s*(?:photo(?:graph)?s?|image|picture|foto|credit|courtesy(?:\s+of)?|source|©"
    r"|\(c\))(?:\s*(?:by|credit|courtesy(?:\s+of)?|:|-|–|—))*\s*",
    re.I,
)
_TRAILING_CREDIT = re.compile(
    r"[\s(\[]*(?:(?:photo(?:graph)?|image|picture|credit)\s*(?:by|:)\s*|©\s*)"
    r"(?P<credit>[^()\[\]]{2,80}?)[)\]\s.]*$",
    re.I,
)
_SKIP_SOURCES = re.compile(r"^data:|\.svg(?:$|\?)|pixel|spacer|blank\.gif|1x1|tracking", re.I)
_LAZY_SOURCES = ("data-src", "data-lazy-src", "data-original", "data-srcset", "src", "srcset")
_MIN_SIDE = 100
_MAX_FIGURE_TEXT = 300  # a "figure" with more text of its own than this is a content block


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _image_source(img: HtmlElement, base_url: str | None) -> str | None:
    """The picture's address, from lazy-loading attributes first: src is often a placeholder."""
    for attribute in _LAZY_SOURCES:
        value = str(img.get(attribute) or "").strip()
        if "srcset" in attribute:
            value = next(iter(value.split(",")[0].split()), "")
        if not value or _SKIP_SOURCES.search(value):
            continue
        url = absolute_url(base_url, value)
        if url:
            return url
    return None


def _too_small(img: HtmlElement) -> bool:
    for side in ("width", "height"):
        value = img.get(side, "")
        if value.isdigit() and int(value) < _MIN_SIDE:
            return True
    return False


_ONLY_CREDIT = re.compile(
    r"^\s*[\(\[]?\s*(?:(?:photo(?:graph)?s?|image|picture|foto)\s*(?:by\b|:|credit\b|courtesy\b)"
    r"|courtesy\b|©|\(c\))[^.!?]{2,80}$",
    re.I,
)


def split_credit(text: str) -> tuple[str, str | None]:
    """Separate a trailing "Photo by X" or "(Photo: X)" credit from caption text."""
    match = _TRAILING_CREDIT.search(text)
    if match and match.start() > 0:
        return text[: match.start()].strip(), _clean(match.group("credit"))
    return text, None


def strip_credit_prefix(text: str) -> str:
    """ "PHOTO BY STRINGER/AFP" becomes "STRINGER/AFP"."""
    return _clean(_CREDIT_PREFIX.sub("", text, count=1)) or _clean(text)


def _caption_and_credit(figure: HtmlElement) -> tuple[str | None, str | None]:
    credit_parts: list[str] = []
    for element in list(figure.iter()):
        if element is figure or not isinstance(element.tag, str):
            continue
        if _CREDIT_NAMES.search(f"{element.get('class', '')} {element.get('id', '')}"):
            credit_parts.append(_clean(element.text_content()))
            element.drop_tree()
    captions = list(figure.iter("figcaption")) or [
        element
        for element in figure.iter()
        if element is not figure
        and _CAPTION_NAMES.search(f"{element.get('class', '')} {element.get('id', '')}")
    ]
    caption = _clean(" ".join(c.text_content() for c in captions[:1])) or None
    credit = strip_credit_prefix(" ".join(credit_parts)) if credit_parts else None
    if caption and not credit:
        caption, credit = split_credit(caption)
    if (
        caption
        and _ONLY_CREDIT.match(caption)
        and (not credit or strip_credit_prefix(caption).casefold() == credit.casefold())
    ):
        # "Photo courtesy X" as the whole caption is a credit, not a caption.
        credit = credit or strip_credit_prefix(caption)
        caption = None
    return caption or None, credit


@lru_cache(maxsize=4096)
def _names_caption(names: str) -> bool:
    """Whether a class or id names a caption (the pattern never spans the two). Cached:
    sites repeat their class names."""
    return may_contain(names, _CAPTION_WORDS) and bool(_CAPTION_NAMES.search(names))


def _figures(root: HtmlElement) -> list[HtmlElement]:
    """Figures that show a picture; a <figure> that wraps a table or code stays in the flow."""
    figures = [
        figure
        for figure in root.iter("figure")
        if next(figure.iter("img"), None) is not None and next(figure.iter("table"), None) is None
    ]
    for element in root.iter("div", "span", "p"):
        classes = element.get("class")
        ident = element.get("id")
        if not ((classes and _names_caption(classes)) or (ident and _names_caption(ident))):
            continue
        if element.getparent() is not None:
            parent = element.getparent()
            if (
                parent is not None
                and parent.tag != "figure"
                and parent.find(".//img") is not None
                and len(parent.text_content()) - len(element.text_content()) < _MAX_FIGURE_TEXT
            ):
                figures.append(parent)
    return figures


def take_images(root: HtmlElement, base_url: str | None) -> list[Image]:
    """Record every figure's image, caption and credit, and leave a placeholder in its place."""
    found: list[Image] = []
    seen: set[str] = set()
    for figure in _figures(root):
        if figure.getparent() is None or figure.getroottree().getroot() is not root:
            continue
        imgs = [img for img in figure.iter("img") if not _too_small(img)]
        source = next((s for s in (_image_source(img, base_url) for img in imgs) if s), None)
        caption, credit = _caption_and_credit(figure)
        keep = bool(source) and source not in seen
        _replace_with_placeholder(figure, len(found) if keep else -1)
        if source and keep:
            seen.add(source)
            alt = _clean(imgs[0].get("alt")) or None
            found.append(Image(source, caption, credit, alt))
    for img in list(root.iter("img")):
        source = _image_source(img, base_url)
        if source and source not in seen and not _too_small(img):
            seen.add(source)
            _replace_with_placeholder(img, len(found))
            found.append(Image(source, None, None, _clean(img.get("alt")) or None))
    return found


def _replace_with_placeholder(element: HtmlElement, index: int) -> HtmlElement:
    placeholder: HtmlElement = element.makeelement("figure", {PLACEHOLDER_ATTRIBUTE: str(index)})
    placeholder.tail = element.tail
    parent = element.getparent()
    if parent is not None:
        parent.replace(element, placeholder)
    return placeholder


def images_within(found: list[Image], scope: HtmlElement) -> list[Image]:
    """The images whose placeholders sit inside the article's scope, in reading order."""
    images: list[Image] = []
    for element in scope.iter("figure"):
        index = element.get(PLACEHOLDER_ATTRIBUTE, "")
        if index.isdigit() and int(index) < len(found):
            images.append(found[int(index)])
    return images
