"""How a pick is put into words, the same in the email, on the web page and in the feed:
untrusted text made one clean line, leads cut at a word, reasons as one sentence (worded by
:mod:`handpicked.pick.reasons`), and "also covered by"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from handpicked.article import Image
from handpicked.deliver.links import is_web_url
from handpicked.pick.digest import DigestItem
from handpicked.pick.reasons import sentence

LEAD_CHARS = 300
NAMED_OUTLETS = 5
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
_SPACE = re.compile(r"\s+")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_WEEKDAYS = "Mon Tue Wed Thu Fri Sat Sun".split()


@dataclass(frozen=True, slots=True)
class ImageView:
    """An article's image as the email and the pages show it: cleaned text, a web URL."""

    url: str
    alt: str
    caption: str
    credit: str


@dataclass(frozen=True, slots=True)
class Block:
    """A piece of an article's body: a paragraph, or a pull quote set beside it."""

    kind: str
    text: str


def clean(value: str | None) -> str:
    """One line of text: control characters out, runs of whitespace made one space."""
    if not value:
        return ""
    return _SPACE.sub(" ", _CONTROL.sub("", value)).strip()


def excerpt(text: str | None, limit: int = LEAD_CHARS) -> str:
    """The first ``limit`` characters or so of ``text``, cut at a word, "…" when cut."""
    text = clean(text)
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > limit // 2 else text[:limit]
    return cut.rstrip(" ,;:.-–—") + "…"


def reasons_sentence(reasons: Sequence[str]) -> str:
    """A pick's worded reasons (:attr:`DigestItem.reasons`) as the one sentence every
    channel shows: "Picked because you follow Vladimir Putin and because it mentions
    “IRGC”." (see :func:`handpicked.pick.reasons.sentence`)."""
    return sentence([clean(reason) for reason in reasons])


def also_covered(item: DigestItem, named: int = NAMED_OUTLETS) -> str:
    """ "Also covered by 3 outlets: A, B and 1 more" (empty when no one else did), then,
    when some of it is copied text, how many reports that is: "— 2 reports, 1 copy of AP"."""
    count = item.also_covered_by
    if count <= 0:
        return ""
    others = [o for o in (clean(o) for o in item.outlets[1:]) if o]
    noun = "outlet" if count == 1 else "outlets"
    provenance = item.provenance
    copied = f" — {clean(provenance.words())}" if provenance and provenance.copies else ""
    if not others:
        return f"Also covered by {count} {noun}{copied}"
    names = ", ".join(others[:named])
    rest = count - min(len(others), named)
    more = f" and {rest} more" if rest else ""
    return f"Also covered by {count} {noun}: {names}{more}{copied}"


def body_blocks(paragraphs: Sequence[str], quotes: Sequence[str]) -> tuple[Block, ...]:
    """The paragraphs with the pull quotes spread between them."""
    texts = [t for t in (clean(p) for p in paragraphs) if t]
    pulled = [q for q in (clean(q) for q in quotes) if q]
    after: dict[int, list[str]] = {}
    for n, quote in enumerate(pulled, 1):
        spot = max(0, min(len(texts) - 1, n * len(texts) // (len(pulled) + 1)))
        after.setdefault(spot, []).append(quote)
    blocks: list[Block] = []
    for index, text in enumerate(texts):
        blocks.append(Block("p", text))
        blocks.extend(Block("quote", quote) for quote in after.get(index, ()))
    if not texts:
        blocks.extend(Block("quote", quote) for quote in pulled)
    return tuple(blocks)


def image_view(image: Image) -> ImageView | None:
    """The image as shown, or None when its address is not a web URL (``data:``, ``file:``)."""
    if not is_web_url(image.url):
        return None
    caption = clean(image.caption)
    return ImageView(image.url, clean(image.alt) or caption, caption, clean(image.credit))


def first_image(images: Sequence[Image]) -> ImageView | None:
    """The first image that can be shown."""
    for image in images:
        view = image_view(image)
        if view is not None:
            return view
    return None


def day_text(local: datetime) -> str:
    """ "Wed 25 Nov 2026" for a moment already in the reader's zone, in English whatever the
    server's locale."""
    return f"{_WEEKDAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} {local.year}"


def language_tag(language: str | None) -> str | None:
    """The language as an HTML ``lang`` value, or None when it does not look like a tag."""
    return language if language and _LANGUAGE_TAG.fullmatch(language) else None


@dataclass(frozen=True, slots=True)
class FactView:
    """One new thing in a follow-up, in words, with the article that carries it."""

    text: str
    article_id: int
    outlet: str


def follow_up_heading(seen: datetime) -> str:
    """ "New since you read it on Tue:" (``seen`` already in the reader's zone)."""
    return f"New since you read it on {_WEEKDAYS[seen.weekday()]}:"


def fact_views(item: DigestItem) -> list[FactView]:
    """A follow-up's new facts, cleaned: the changed headline, facts, corrections."""
    development = item.development
    if development is None:
        return []
    views = []
    for fact in development.shown:
        text = clean(fact.text)
        if fact.kind == "headline":
            text = f"New headline: {text}"
        views.append(FactView(text, fact.article_id, clean(fact.outlet)))
    return views


def growth(item: DigestItem) -> str:
    """What else came since: "Since then: 1 new report (Daily Herald) and 1 copy." ("" for
    nothing)."""
    development = item.development
    if development is None:
        return ""
    parts = []
    reports = [clean(r) for r in development.new_reports]
    if reports:
        noun = "report" if len(reports) == 1 else "reports"
        names = ", ".join(reports[:NAMED_OUTLETS]) + (
            " and more" if len(reports) > NAMED_OUTLETS else ""
        )
        parts.append(f"{len(reports)} new {noun} ({names})")
    if development.new_copies:
        n = development.new_copies
        parts.append(f"{n} {'copy' if n == 1 else 'copies'} of what you had")
    return f"Since then: {' and '.join(parts)}." if parts else ""
