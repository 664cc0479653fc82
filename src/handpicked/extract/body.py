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
from handpicked.extract.container import article_parts, choose_container
from handpicked.extract.credits import find_standfirst, take_credit_lines, take_pull_quotes
from handpicked.extract.edges import is_byline, is_dateline
from handpicked.extract.linearise import Block, linearise
from handpicked.extract.media import images_within, take_images
from handpicked.extract.metadata import PageMetadata
from handpicked.extract.payload import collect_payloads, payload_paragraphs
from handpicked.extract.prose import ProseMeter
from handpicked.extract.prune import chrome_to_remove, placement_name_words, remove_junk
from handpicked.extract.scoring import link_density
from handpicked.extract.textsize import count_words, reading_length, word_tokens


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
    """Share of the article's text in links, from its first paragraph of prose to its last."""
    article_elements: int = 0
    shop_markers: int = 0


_BOILERPLATE_LINE = re.compile(
    r"^(?:advertisement|advertisements|ad|sponsored|sponsored content|share|share this|"
    # an ad label in the languages that print one
    r"anzeige|werbung|reklam|reklama|reklame|publicidad|publicité|pubblicità|publicidade|"
    r"advertentie|annonse|annons|mainos|hirdetés|реклама|"
    # an audio player's button
    r"(?:\d{1,2}:\d{2}\s*)?(?:anhören|listen(?: to (?:this )?(?:article|story))?|écouter)|"
    r"share this (?:story|article|post)|share on \w+|read more|read next|related|related articles|"
    r"related stories|related posts|see also|more from \w+|continue reading|story continues below|"
    r"article continues below|this advertisement has not loaded yet.*|"
    r"(?:sign up|subscribe)(?: (?:for|to) .{0,60})?|follow us.{0,60}|click here.{0,60}|"
    r"(?:all rights reserved|copyright|©).{0,120}|filed under:?.{0,200}|"
    # a tag list, in the languages that label it
    r"(?:tags?|tagged(?: with| in)?|topics|schlagw(?:ö|oe)rter|schlagworte|stichw(?:ö|oe)rter|"
    r"themen|mots[- ]cl(?:é|e)s|(?:é|e)tiquettes|etiquetas|temas|タグ)\s*:.{0,200}|"
    r"(?:published|updated|posted)(?: on)?:? .{0,40}|by .{0,60}|photo:? .{0,80}|"
    r"image:? .{0,80}|loading.{0,20}|skip to .{0,30}|you must be logged in.{0,120}|"
    r"a post shared by .{0,80}|sign in to your .{0,40} account|log in to .{0,60}|"
    r"this (?:post|article|page) (?:may )?contains? affiliate links.{0,120}|"
    r"was this (?:newsletter|email) forwarded to you.{0,80}|.{0,30}pin it for later|"
    r"(?:view|check price|buy|see price) (?:on|at) amazon.{0,40}|"
    # a video player's clock, a reading-time label, a text-size control
    r"(?:video\s*)?(?:\d{1,2}:\d{2}\s*/?\s*)+|watch now|"
    r"(?:\d+\s*)?min(?:ute)?s?\.? read|reading time:? .{0,20}|"
    r"lesedauer:? .{0,20}|(?:ähnliche|verwandte) (?:beiträge|artikel|themen)|"
    r"text size:? .{0,20}|schriftgröße.{0,30})[.!:]?$",
    re.I,
)

# The same labels in Chinese, Japanese and Korean, bare or in the brackets these scripts
# set labels in (【関連記事】, ［PR］).
_CJK_LABEL = re.compile(
    r"^[\[【［〈<＜「]?\s*(?:"
    r"関連(?:記事|ニュース|リンク|情報)|相[关關](?:新[闻聞]|[阅閱]读|文章|[报報]道)|"
    r"延伸[阅閱][读讀]|推[荐薦][阅閱][读讀]|あわせて読みたい|おすすめ(?:記事)?|관련\s?기사|"
    r"印刷(?:する)?|打印|列印|인쇄|.{0,20}(?:で|に)シェア(?:する)?.{0,10}|分享(?:到)?.{0,20}|"
    r"공유(?:하기)?|ログイン(?:する)?|新規登録|会員登録|登[录錄]|注[册冊]|로그인|회원\s?가입|"
    r"広告|[广廣]告|광고|pr|"
    r"(?:[责責]任[编編][辑輯]|[编編][辑輯]|記者|기자)\s*[：:].{0,20}"
    r")\s*[\]】］〉>＞」]?\s*[：:。.]?$",
    re.I,
)
# A short line that offers the rest to paying members: an edge label, not the story's.
_MEMBERS_ONLY = re.compile(
    r"会員限定|有料会員|有料記事|会[员員]专享|付[费費](?:会[员員]|内容|[阅閱][读讀])|"
    r"[订訂][阅閱]会[员員]|유료\s?회원|회원\s?전용"
)
_MAX_MEMBERS_LABEL_CHARS = 60
# A heading that opens what comes after the article: its author's profile.
_AFTER_ARTICLE = re.compile(
    r"^(?:about the authors?|この記事を書いた人|(?:筆者|記者)(?:紹介|プロフィール)|"
    r"作者[简簡]介|[关關]于作者|(?:ü|ue)ber (?:den|die) autor(?:in|en)?|zu[rm] autor(?:in)?|"
    r"à propos de l['’]auteur|sobre el autor|sobre (?:a|o) autora?)\s*[:：]?$",
    re.I,
)


# The words of a share toolbar read out in a row ("cancel email link share Share bookmark Save").
_TOOLBAR_WORDS = frozenset(
    "share shares cancel close email e-mail mail link copy copied bookmark save saved print "
    "comment comments gift facebook twitter twitter-x x linkedin whatsapp telegram reddit "
    "pinterest flipboard threads bluesky messenger sms teilen drucken kopieren merken speichern "
    "partager imprimer copier compartir imprimir copiar guardar condividi stampa".split()
)
_MAX_TOOLBAR_CHARS = 100


def _is_toolbar(text: str) -> bool:
    if len(text) > _MAX_TOOLBAR_CHARS:
        return False
    words = text.casefold().split()
    return len(words) >= 2 and all(word.strip(".,:;|·•") in _TOOLBAR_WORDS for word in words)


_MIN_TOOLBAR_RUN = 3


def _is_toolbar_button(block: Block) -> bool:
    return len(block.text) < 20 and block.text.casefold().strip(".,:;|·•") in _TOOLBAR_WORDS


def _without_toolbars(blocks: list[Block]) -> list[Block]:
    """Drop share bars read out one button a line ("facebook", "whatsapp", "print"): three
    or more such lines in a row. One "LinkedIn" under a person's name is their profile."""
    drop: set[int] = set()
    start = 0
    while start < len(blocks):
        end = start
        while end < len(blocks) and _is_toolbar_button(blocks[end]):
            end += 1
        if end - start >= _MIN_TOOLBAR_RUN:
            drop.update(range(start, end))
        start = max(end, start + 1)
    return [block for index, block in enumerate(blocks) if index not in drop]


# A line of links to related pages under its label ("Related Companies: A, B, C"), any length.
# ("Read more: …" between paragraphs stays: WCXB's annotators keep it as the article's text.)
_RELATED_LINE = re.compile(r"^related(?: \w+){0,2}\s*:", re.I)


def is_boilerplate(text: str) -> bool:
    """A line of site furniture in any of the languages handled: "Share", "関連記事"..."""
    if _RELATED_LINE.match(text):
        return True
    if len(text) >= 120:
        return False
    if _BOILERPLATE_LINE.match(text) or _CJK_LABEL.match(text) or _is_toolbar(text):
        return True
    return len(text) < _MAX_MEMBERS_LABEL_CHARS and bool(_MEMBERS_ONLY.search(text))


# A container holding this share of the page's prose is never pruned by name.
_PROTECTED_SHARE = 0.4


def prose_chrome_words(prose: dict[HtmlElement, int], protected: float) -> frozenset[str]:
    """Chrome words that this page gives to its article's prose: the elements named with the
    word hold, together, a protected share of the page's prose. Sites mark every paragraph
    ``paywall`` or split the body column into ``sidebar-grid__container`` boxes; a word that
    names the article cannot name the chrome around it. Each element counts once per word,
    under its outermost namesake, so nested boxes of a small sidebar do not add up; a text
    repeated word for word ("External content not available" at every embed) counts once."""
    totals: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    names: dict[HtmlElement, frozenset[str]] = {}

    def named(element: HtmlElement) -> frozenset[str]:
        # Only placement words can be exempted: the others are not counted at all.
        if element not in names:
            names[element] = placement_name_words(element)
        return names[element]

    for element, length in prose.items():
        words = named(element)
        if not words:
            continue
        text = " ".join(element.text_content().split())
        for word in words:
            if (word, text) in seen:
                continue
            seen.add((word, text))
            if any(word in named(a) for a in element.iterancestors()):
                continue
            totals[word] = totals.get(word, 0) + length
    return frozenset(word for word, total in totals.items() if total >= protected)


def prune_chrome(root: HtmlElement, meter: ProseMeter | None = None) -> None:
    """Remove hidden nodes and named chrome, except a container holding most of the prose.

    Prose is measured once, before anything goes: parents are judged before their children,
    and what is inside a removed element is not judged at all, so an element's measure is
    always taken on its subtree as it was when it is judged.
    ``meter``: the page's prose measures, kept true as elements go, for the steps after."""
    meter = ProseMeter() if meter is None else meter
    prose = meter.lengths(root)
    protected = _PROTECTED_SHARE * (prose.get(root, 0) or 1)
    exempt = prose_chrome_words(prose, protected)

    def kept(element: HtmlElement) -> bool:
        return element.tag in ("html", "body") or prose.get(element, 0) >= protected

    for element in chrome_to_remove(root, exempt, kept):
        meter.forget_above(element)
        element.drop_tree()


_PROSE_CHARS = 80
_PAGE_SHARE = 0.5


def _is_prose(block: Block) -> bool:
    """A paragraph that reads as the article's: long enough, few links, no site label
    ("有料会員になると会員限定の有料記事もお読みいただけます。" is long in Latin terms)."""
    return (
        block.length >= _PROSE_CHARS
        and block.link_density < 0.3
        and not block.is_heading
        and not is_boilerplate(block.text)
    )


def _keep_block(block: Block, title: str | None, keep_links: bool) -> bool:
    """Whether a block is article text. Link lists between two paragraphs of prose are the
    article's own (sources, further reading); at its edges they are "related" chrome."""
    text = block.text
    if title and text.casefold() == title.casefold():
        return False
    if block.tag == "h1":
        return False
    if is_boilerplate(text):
        return False
    if keep_links:
        return True
    if block.link_density > 0.5 and block.length < 400:
        return False
    return not (block.tag in ("li", "dd", "td") and block.link_density > 0.3)


def _page_blocks(blocks: list[Block], title: str | None) -> list[Block]:
    """For pages that are not articles (listings, docs, collections) the links are the
    content: only headings that repeat the title and boilerplate lines go."""
    return [
        block for block in _without_toolbars(blocks) if _keep_block(block, title, keep_links=True)
    ]


_HEADLINE_LINK_DENSITY = 0.5
_MIN_HEADLINE_CHARS = 10
_MIN_TEASERS = 3
_TEASER_PROSE_SHARE = 0.5


_LIST_AND_TABLE_TAGS = frozenset({"li", "dt", "dd", "td", "th"})


def _is_linked_headline(block: Block) -> bool:
    """A teaser's headline: a heading or a line of its own that is one link. An item of a
    list of links is not one: tables of contents and link lists with notes are content."""
    return (
        block.tag not in _LIST_AND_TABLE_TAGS
        and block.link_density >= _HEADLINE_LINK_DENSITY
        and block.length >= _MIN_HEADLINE_CHARS
        and not _is_list_of_names(block)
        and not _is_prose(block)
    )


def _under_teaser_head(index: int, heads: list[bool], prose: list[bool]) -> bool:
    """A teaser's summary: right under a linked headline or a dateline, or under one with a
    label (no paragraph) between them."""
    if index >= 1 and heads[index - 1]:
        return True
    return index >= 2 and heads[index - 2] and not prose[index - 1]


def _teaser_tail(blocks: list[Block]) -> int:
    """Where the stories that follow the article begin ("More from …", an endless scroll of
    teasers): each is a linked headline or a date over a summary, and no paragraph there
    stands on its own. Returns ``len(blocks)`` when there is no such tail.

    The article's last free paragraph (one with no linked headline or date just above it)
    ends the article; what follows is a teaser tail when it holds several linked headlines
    and either less prose than the article itself or a date on several teasers (a list of
    links with notes, the body of a round-up, carries no dates)."""
    headlines = [_is_linked_headline(block) for block in blocks]
    datelines = [
        block.tag not in _LIST_AND_TABLE_TAGS and not _is_prose(block) and is_dateline(block.text)
        for block in blocks
    ]
    heads = [h or d for h, d in zip(headlines, datelines, strict=True)]
    prose = [_is_prose(block) for block in blocks]
    last_free = -1
    for index in range(len(blocks)):
        if prose[index] and not _under_teaser_head(index, heads, prose):
            last_free = index
    start = last_free + 1
    if last_free < 0 or sum(headlines[start:]) < _MIN_TEASERS or sum(prose[start:]) < 2:
        return len(blocks)
    if sum(datelines[start:]) >= _MIN_TEASERS:
        return start
    before = sum(len(b.text) for b, p in zip(blocks[:start], prose[:start], strict=True) if p)
    after = sum(len(b.text) for b, p in zip(blocks[start:], prose[start:], strict=True) if p)
    return start if after < _TEASER_PROSE_SHARE * before else len(blocks)


def _is_linked_line(block: Block) -> bool:
    return (
        block.tag not in _LIST_AND_TABLE_TAGS
        and block.link_density >= _HEADLINE_LINK_DENSITY
        and not _is_prose(block)
    )


_MIN_STORY_HEADLINE_WORDS = 5
_MIN_TEASER_BOX_WORDS = 12


def _is_story_headline(block: Block) -> bool:
    """A linked line that reads as a story's headline, a sentence more than a name. A box of
    two product names ("Fluke 117", "Klein Tools MM400") is a round-up's recommendation:
    a box must hold some twelve words of headlines."""
    return (
        _is_linked_line(block)
        and not _is_list_of_names(block)
        and count_words(block.text) >= _MIN_STORY_HEADLINE_WORDS
    )


def _without_teaser_boxes(blocks: list[Block]) -> list[Block]:
    """Drop boxes of other stories set into the body ("Most read", "You might like"): a run
    of linked headlines, with their kickers and dates between them, and the box's own
    heading above. Two headlines make a box; one linked heading is not one (the items of a
    round-up link to what they name), nor is a list of links (sources, further reading)."""
    drop: set[int] = set()
    index = 0
    while index < len(blocks):
        end = index
        while end < len(blocks) and (
            _is_linked_line(blocks[end])
            or (end > index and not _is_prose(blocks[end]) and is_dateline(blocks[end].text))
        ):
            end += 1
        run = range(index, end)
        headlines = [i for i in run if _is_story_headline(blocks[i])]
        words = sum(count_words(blocks[i].text) for i in headlines)
        if len(headlines) >= 2 and words >= _MIN_TEASER_BOX_WORDS:
            drop.update(run)
            if index > 0 and blocks[index - 1].is_heading:
                drop.add(index - 1)
        index = max(end, index + 1)
    return [block for index, block in enumerate(blocks) if index not in drop]


def _article_blocks(blocks: list[Block], metadata: PageMetadata) -> list[Block]:
    """The article's own blocks: no chrome at its edges, no stories after it, and at its
    head and tail no line that only restates its date or its byline (metadata, read
    elsewhere; a date between paragraphs is the story's own, as in a list of events)."""
    blocks = _without_toolbars(_without_teaser_boxes(blocks[: _teaser_tail(blocks)]))
    prose = [index for index, block in enumerate(blocks) if _is_prose(block)]
    first, last = (prose[0], prose[-1]) if prose else (len(blocks), -1)
    last = _last_sibling_paragraph(blocks, last)
    blocks = blocks[: _after_article(blocks, last)]
    head = prose[1] if len(prose) > 1 else len(blocks)
    return [
        block
        for index, block in enumerate(blocks)
        if _keep_block(block, metadata.title, first <= index <= last)
        and not ((index < head or index > last) and _restates_metadata(block, metadata))
    ]


def _last_sibling_paragraph(blocks: list[Block], last_prose: int) -> int:
    """The article's last paragraph: its last paragraph of prose, or a list of names in a
    paragraph after it in the same box (places "宮崎県：高鍋町、新富町、宮崎市" that end a
    report), with the paragraphs between. A rail of links sits in a box of its own; a
    paragraph that is one link ("READ NEXT: …") is a promotion, and one of several story
    titles is a list of other stories."""
    element = blocks[last_prose].element if last_prose >= 0 else None
    if element is None:
        return last_prose
    parent = element.getparent()
    last = last_prose
    for index in range(last_prose + 1, len(blocks)):
        block = blocks[index]
        if (
            block.tag != "p"
            or block.element is None
            or block.element.getparent() is not parent
            or is_boilerplate(block.text)
        ):
            break
        if _is_list_of_names(block):
            last = index
    return last


_MIN_NAMES = 3
_MAX_NAME_CHARS = 15


def _is_list_of_names(block: Block) -> bool:
    """A line of several short links: places, people, teams (not a line of headlines)."""
    return block.links >= _MIN_NAMES and block.link_chars <= _MAX_NAME_CHARS * block.links


def _after_article(blocks: list[Block], last_prose: int) -> int:
    """Where what follows the article begins: a heading such as "About the author" or
    "この記事を書いた人" after its last paragraph. ``len(blocks)`` when there is none."""
    for index in range(last_prose + 1, len(blocks)):
        if len(blocks[index].text) < 40 and _AFTER_ARTICLE.match(blocks[index].text):
            return index
    return len(blocks)


def _span_link_density(blocks: list[Block]) -> float:
    """Share of the article's text that sits in links, from its first paragraph of prose to
    its last: the share buttons and the related-links rail around an article say nothing of
    the article (a short Japanese story beside a long rail of headlines is still a story),
    while a listing's headlines sit between its summaries. All blocks where none is prose."""
    prose = [index for index, block in enumerate(blocks) if _is_prose(block)]
    span = blocks[prose[0] : prose[-1] + 1] if prose else blocks
    total = sum(block.length for block in span)
    return sum(block.link_chars for block in span) / total if total else 0.0


def _restates_metadata(block: Block, metadata: PageMetadata) -> bool:
    """A dateline or a byline; a date in a table or a list is data."""
    if block.tag in _LIST_AND_TABLE_TAGS:
        return False
    return is_dateline(block.text) or is_byline(block.text, metadata.authors)


_MIN_DECLARED_BODY_CHARS = 500


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = word_tokens(text)
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


_TEASER_SHARE = 0.3


def _agree_with_declared_body(blocks: list[Block], declared: str) -> list[Block]:
    """Keep the blocks that the page's own JSON-LD articleBody also has, when that body
    agrees with what we found; short blocks (headings) stay when they sit between kept ones.

    A declared body cut short (ending in an ellipsis, or under a third of the prose found) is a
    teaser: it would keep the story's first paragraphs and lose the rest."""
    declared = declared.strip()
    found = sum(len(block.text) for block in blocks if _is_prose(block))
    if declared.endswith(("…", "...")) or len(declared) < _TEASER_SHARE * found:
        return blocks
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
        if shared[index] or (first < index < last and len(word_tokens(block.text)) < 3)
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
    payloads = collect_payloads(root)
    remove_junk(root)
    article_elements = sum(1 for _ in root.iter("article"))
    shop_markers = count_shop_markers(root)
    found_images = take_images(root, metadata.canonical_url or metadata.url)
    pull_quotes = take_pull_quotes(root)
    syndicated_from, editors = take_credit_lines(root)
    headline = root.find(".//h1")
    lead = find_standfirst(root, headline)
    meter = ProseMeter()
    prune_chrome(root, meter)
    container = choose_container(root, declares_article(metadata.page_types), meter)
    parts = article_parts(root, container, meter)
    all_blocks = [block for part in parts for block in linearise(part)]
    body_link_density = _span_link_density(all_blocks)
    blocks = _article_blocks(all_blocks, metadata)
    if metadata.article_body and reading_length(metadata.article_body) >= _MIN_DECLARED_BODY_CHARS:
        blocks = _agree_with_declared_body(blocks, metadata.article_body)
    paragraphs = _paragraphs(_trim_tail(blocks), lead)
    page_blocks = all_blocks
    page_body = root.find("body")
    if page_body is not None and sum(map(meter.length, parts)) < _PAGE_SHARE * meter.length(
        page_body
    ):
        page_blocks = linearise(page_body)  # text spread over many boxes: the page is the body
    page_paragraphs = _paragraphs(_trim_tail(_page_blocks(page_blocks, metadata.title)), lead)
    if payloads and _thin(paragraphs):
        paragraphs, page_paragraphs = _from_payload(payloads, paragraphs, page_paragraphs)
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
        article_elements=article_elements,
        shop_markers=shop_markers,
    )


_THIN_BODY_WORDS = 80


def _thin(paragraphs: list[str]) -> bool:
    return sum(map(count_words, paragraphs)) < _THIN_BODY_WORDS


def _from_payload(
    payloads: list[str], paragraphs: list[str], page_paragraphs: list[str]
) -> tuple[list[str], list[str]]:
    """An empty HTML shell with the story in a script: the script's text, where it holds
    clearly more than the page shows, read as an article or as a page."""
    found = payload_paragraphs(payloads)
    words = sum(map(count_words, found))
    shown = max(sum(map(count_words, paragraphs)), sum(map(count_words, page_paragraphs)))
    if words < _THIN_BODY_WORDS or words < 2 * shown:
        return paragraphs, page_paragraphs
    return found, found


def _article_scope(container: HtmlElement) -> HtmlElement:
    """Where the article's own pictures live: its <article> or <main>, else the container."""
    for ancestor in container.iterancestors("article", "main"):
        return ancestor
    return container


__all__ = ["Body", "choose_container", "extract_body", "link_density", "prune_chrome"]
