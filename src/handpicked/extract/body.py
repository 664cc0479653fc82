"""Main-content extraction: from a parsed page to the article's paragraphs and its parts.

The steps, in order: drop code and hidden nodes; lift out what must never be body text but
is worth keeping (pictures with captions and credits, pull quotes, syndication and editor
credits); prune site chrome by name; score containers by their prose; read the best one's
blocks; drop the blocks that are still chrome (link lists, ad labels, share prompts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from handpicked.article import Image
from handpicked.extract.classify import count_shop_markers, declares_article
from handpicked.extract.credits import (
    find_standfirst,
    take_editors,
    take_pull_quotes,
    take_syndication,
)
from handpicked.extract.linearise import Block, linearise
from handpicked.extract.media import images_within, take_images
from handpicked.extract.metadata import PageMetadata
from handpicked.extract.prune import is_hidden, looks_like_chrome, remove_junk
from handpicked.extract.scoring import link_density, own_text, score_candidates, text_length


@dataclass(slots=True)
class Body:
    paragraphs: list[str] = field(default_factory=list)
    """The article reading: link lists only where prose surrounds them."""
    page_paragraphs: list[str] = field(default_factory=list)
    """The page reading, for what is not an article: link lists are kept as content."""
    lead: str | None = None
    pull_quotes: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    syndicated_from: str | None = None
    editors: list[str] = field(default_factory=list)
    link_density: float = 0.0
    """Share of the body's text that sat in links, before link-heavy blocks were dropped."""
    page_link_density: float = 0.0
    article_elements: int = 0
    shop_markers: int = 0


_PROTECTED_SHARE = 0.4
_CODE_TAGS = ("pre", "code")
_BOILERPLATE_LINE = re.compile(
    r"^(?:advertisement|advertisements|ad|sponsored|sponsored content|share|share this|"
    r"share this (?:story|article|post)|share on \w+|read more|read next|related|related articles|"
    r"related stories|related posts|see also|more from \w+|continue reading|story continues below|"
    r"article continues below|this advertisement has not loaded yet.*|"
    r"(?:sign up|subscribe)(?: (?:for|to) .{0,60})?|follow us.{0,60}|click here.{0,60}|"
    r"(?:all rights reserved|copyright|©).{0,120}|tags?:.{0,200}|filed under:?.{0,200}|"
    r"(?:published|updated|posted)(?: on)?:? .{0,40}|by .{0,60}|photo:? .{0,80}|"
    r"image:? .{0,80}|loading.{0,20}|skip to .{0,30}|you must be logged in.{0,120}|"
    r"a post shared by .{0,80}|sign in to your .{0,40} account|log in to .{0,60}|"
    r"this (?:post|article|page) (?:may )?contains? affiliate links.{0,120}|"
    r"was this (?:newsletter|email) forwarded to you.{0,80}|.{0,30}pin it for later|"
    r"(?:view|check price|buy|see price) (?:on|at) amazon.{0,40})[.!:]?$",
    re.I,
)


_MIN_DIV_PROSE_CHARS = 80
_PAGE_SHARE = 0.5


def _prose_length(element: HtmlElement) -> int:
    """Characters of paragraph text: what a container must hold to count as the article's.
    Text a <div> holds itself counts too, for sites that write paragraphs without <p>."""
    total = 0
    for block in element.iter("p", "div"):
        if block.tag == "p":
            total += text_length(block)
        else:
            own = len(" ".join(own_text(block).split()))
            if own >= _MIN_DIV_PROSE_CHARS:
                total += own
    return total


def _prose_lengths(root: HtmlElement) -> dict[HtmlElement, int]:
    """``_prose_length`` of every element that holds prose, in one pass: each block's prose
    is added to all its ancestors."""
    lengths: dict[HtmlElement, int] = {}
    for block in root.iter("p", "div"):
        if block.tag == "p":
            own = text_length(block)
        else:
            own = len(" ".join(own_text(block).split()))
            if own < _MIN_DIV_PROSE_CHARS:
                continue
        if not own:
            continue
        lengths[block] = lengths.get(block, 0) + own
        for ancestor in block.iterancestors():
            lengths[ancestor] = lengths.get(ancestor, 0) + own
    return lengths


def prune_chrome(root: HtmlElement) -> None:
    """Remove hidden nodes and named chrome, except a container holding most of the prose.

    Prose is measured once, before anything goes: parents are visited before their children,
    so an element's measure is always taken on its subtree as it was when it is judged."""
    prose = _prose_lengths(root)
    protected = _PROTECTED_SHARE * (prose.get(root, 0) or 1)
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.tag in ("html", "body"):
            continue
        if not (is_hidden(element) or looks_like_chrome(element)):
            continue
        if prose.get(element, 0) >= protected:
            continue
        if element.getparent() is None or element.getroottree().getroot() is not root:
            continue  # an ancestor was already removed
        if element.tag in _CODE_TAGS or any(True for _ in element.iterancestors(*_CODE_TAGS)):
            continue  # syntax highlighters name their spans "comment", "meta", "tag"
        element.drop_tree()


def choose_container(root: HtmlElement, declared_article: bool = False) -> HtmlElement:
    """The best-scoring container, widened to its parent when the parent's other children
    carry prose as well (a lead paragraph in a sibling div, a body split in two).

    On a page that declares itself an article, a box beside the story must hold a real share
    of its prose to be taken in; other pages (services, products) spread their text wider."""
    min_split_share = _MIN_SPLIT_SHARE if declared_article else 0.0
    candidates = score_candidates(root)
    if not candidates:
        body = root.find("body")
        return body if body is not None else root
    best = candidates[0]
    container = best.element
    for other in candidates[1:4]:
        if other.score < 0.3 * best.score:
            break
        if _is_repeated_item(other.element):
            continue
        shared = _common_ancestor(container, other.element)
        if shared is not other.element and (
            _prose_length(other.element) < min_split_share * _prose_length(container)
        ):
            continue  # a box beside the story (newsletter, teaser), not a part of it
        if shared is not None and shared.tag not in ("html", "body"):
            container = shared
    return container


_REPEATS_FOR_LISTING = 3
_MIN_SPLIT_SHARE = 0.2


def _is_repeated_item(element: HtmlElement) -> bool:
    """One of several look-alike siblings: a teaser in a grid of links, not a part of the story."""
    parent = element.getparent()
    if parent is None:
        return False
    signature = (element.tag, element.get("class"))
    alike = sum(1 for sibling in parent if (sibling.tag, sibling.get("class")) == signature)
    return alike >= _REPEATS_FOR_LISTING


def _common_ancestor(a: HtmlElement, b: HtmlElement) -> HtmlElement | None:
    ancestors = {id(x): x for x in a.iterancestors()}
    ancestors[id(a)] = a
    if id(b) in ancestors:
        return b
    for candidate in b.iterancestors():
        if id(candidate) in ancestors:
            return candidate
    return None


_PROSE_CHARS = 80
_PAGE_SHARE = 0.5


def _is_prose(block: Block) -> bool:
    return len(block.text) >= _PROSE_CHARS and block.link_density < 0.3 and not block.is_heading


def _keep_block(block: Block, title: str | None, keep_links: bool) -> bool:
    """Whether a block is article text. Link lists between two paragraphs of prose are the
    article's own (sources, further reading); at its edges they are "related" chrome."""
    text = block.text
    if title and text.casefold() == title.casefold():
        return False
    if block.tag == "h1":
        return False
    if len(text) < 120 and _BOILERPLATE_LINE.match(text):
        return False
    if keep_links:
        return True
    if block.link_density > 0.5 and len(text) < 400:
        return False
    return not (block.tag in ("li", "dd", "td") and block.link_density > 0.3)


def _page_blocks(blocks: list[Block], title: str | None) -> list[Block]:
    """For pages that are not articles (listings, docs, collections) the links are the
    content: only headings that repeat the title and boilerplate lines go."""
    return [block for block in blocks if _keep_block(block, title, keep_links=True)]


def _article_blocks(blocks: list[Block], title: str | None) -> list[Block]:
    prose = [index for index, block in enumerate(blocks) if _is_prose(block)]
    first, last = (prose[0], prose[-1]) if prose else (len(blocks), -1)
    return [
        block
        for index, block in enumerate(blocks)
        if _keep_block(block, title, first < index < last)
    ]


_MIN_DECLARED_BODY_CHARS = 500
_WORD = re.compile(r"\w+")


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _agree_with_declared_body(blocks: list[Block], declared: str) -> list[Block]:
    """Keep the blocks that the page's own JSON-LD articleBody also has, when that body
    agrees with what we found; short blocks (headings) stay when they sit between kept ones."""
    reference = _trigrams(declared)
    shared = [bool(_trigrams(block.text) & reference) for block in blocks]
    kept_chars = sum(len(block.text) for block, ok in zip(blocks, shared, strict=True) if ok)
    if kept_chars < 0.5 * len(declared):
        return blocks  # the declared body is a summary or another text: trust the page
    indexes = [index for index, ok in enumerate(shared) if ok]
    first, last = indexes[0], indexes[-1]
    return [
        block
        for index, block in enumerate(blocks)
        if shared[index] or (first < index < last and len(_WORD.findall(block.text)) < 3)
    ]


_MIN_DEDUPLICATED_CHARS = 40


def _unique(paragraphs: list[str]) -> list[str]:
    """Drop repeats of a paragraph: responsive layouts render the same text once per screen."""
    seen: set[str] = set()
    unique: list[str] = []
    for paragraph in paragraphs:
        if len(paragraph) >= _MIN_DEDUPLICATED_CHARS:
            if paragraph in seen:
                continue
            seen.add(paragraph)
        unique.append(paragraph)
    return unique


def _trim_tail(blocks: list[Block]) -> list[Block]:
    """Drop a trailing heading with nothing after it: "Related", "More on this"."""
    while blocks and blocks[-1].is_heading:
        blocks.pop()
    return blocks


def _paragraphs(blocks: list[Block], lead: str | None) -> list[str]:
    paragraphs = _unique([block.text for block in blocks])
    if lead and paragraphs and paragraphs[0] == lead:
        return paragraphs[1:]
    return paragraphs


def extract_body(root: HtmlElement, metadata: PageMetadata) -> Body:
    """Find the article's body and its parts. Prunes ``root`` as it goes."""
    remove_junk(root)
    page_link_density = link_density(root)
    article_elements = sum(1 for _ in root.iter("article"))
    shop_markers = count_shop_markers(root)
    found_images = take_images(root, metadata.canonical_url or metadata.url)
    pull_quotes = take_pull_quotes(root)
    syndicated_from = take_syndication(root)
    editors = take_editors(root)
    headline = root.find(".//h1")
    lead = find_standfirst(root, headline)
    prune_chrome(root)
    container = choose_container(root, declares_article(metadata.page_types))
    all_blocks = linearise(container)
    total_chars = sum(len(block.text) for block in all_blocks)
    body_link_density = (
        sum(block.link_chars for block in all_blocks) / total_chars if total_chars else 0.0
    )
    blocks = _article_blocks(all_blocks, metadata.title)
    if metadata.article_body and len(metadata.article_body) >= _MIN_DECLARED_BODY_CHARS:
        blocks = _agree_with_declared_body(blocks, metadata.article_body)
    paragraphs = _paragraphs(_trim_tail(blocks), lead)
    page_blocks = all_blocks
    page_body = root.find("body")
    if page_body is not None and _prose_length(container) < _PAGE_SHARE * _prose_length(page_body):
        page_blocks = linearise(page_body)  # text spread over many boxes: the page is the body
    page_paragraphs = _paragraphs(_trim_tail(_page_blocks(page_blocks, metadata.title)), lead)
    scope = _article_scope(container)
    images = images_within(found_images, scope)
    if not images and metadata.image_url:
        images = [Image(metadata.image_url)]
    return Body(
        paragraphs=paragraphs,
        page_paragraphs=page_paragraphs,
        lead=lead or metadata.description,
        pull_quotes=pull_quotes,
        images=images,
        syndicated_from=syndicated_from,
        editors=editors,
        link_density=body_link_density,
        page_link_density=page_link_density,
        article_elements=article_elements,
        shop_markers=shop_markers,
    )


def _article_scope(container: HtmlElement) -> HtmlElement:
    """Where the article's own pictures live: its <article> or <main>, else the container."""
    for ancestor in container.iterancestors("article", "main"):
        return ancestor
    return container


__all__ = ["Body", "choose_container", "extract_body", "link_density", "prune_chrome"]
