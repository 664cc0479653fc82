"""The digest as an email: a plain-text part and an HTML part rendered from the same facts.

:func:`render_digest_html` and :func:`render_digest_text` are also what the web preview and
``--preview FILE.html`` show. Everything that comes from an article is untrusted: the HTML
template escapes it (Jinja autoescape), whitespace and control characters are squeezed out
before either template sees it, and only absolute http(s) URLs become links or images.
"""

from __future__ import annotations

import re
import shlex
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import css_inline
import jinja2

from handpicked.deliver.links import Links, original_url
from handpicked.deliver.wording import (
    ImageView,
    also_covered,
    clean,
    day_text,
    excerpt,
    fact_views,
    first_image,
    follow_up_heading,
    growth,
    language_tag,
    reasons_sentence,
)
from handpicked.pick.digest import Digest, DigestItem, Suggestion
from handpicked.pick.interests import source_of
from handpicked.store import ReaderRecord

LIST_ID = "handpicked digest <digest.handpicked>"
TEXT_WIDTH = 72
SUBJECT_CHARS = 200
_NAMED_AUTHORS = 3
_PREHEADER_REASONS = 3
_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


@dataclass(frozen=True, slots=True)
class ItemView:
    """One digest item with every string the templates show, already cleaned."""

    number: int
    title: str
    url: str
    lang: str | None
    meta: str
    lead: str
    image: ImageView | None
    reasons: str
    also_covered: str
    site: str
    original_url: str | None
    more_url: str
    less_url: str
    follow_up: str = ""
    """ "New since you read it on Tue:" for a story sent before that developed."""
    facts: tuple[FactLink, ...] = ()
    growth: str = ""


@dataclass(frozen=True, slots=True)
class FactLink:
    """A follow-up's new fact with the link to the article that carries it."""

    text: str
    url: str
    outlet: str


@dataclass(frozen=True, slots=True)
class SuggestionView:
    text: str
    """"Follow Vladimir Putin — 4 recent stories"."""
    command: str
    """The command that does it: ``handpicked follow 'person:Vladimir Putin'``."""


def compose_digest_email(
    digest: Digest,
    links: Links,
    sender: str,
    *,
    message_id: str | None = None,
    now: datetime | None = None,
) -> EmailMessage:
    """The digest as a ``multipart/alternative`` message (plain text first, then HTML) with the
    one-click unsubscribe headers of RFC 8058 that bulk-sender rules require."""
    context = _context(digest, links)
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = digest.reader.email
    msg["Subject"] = context["subject"]
    when = now or datetime.now(UTC)
    msg["Date"] = format_datetime(when if when.tzinfo else when.replace(tzinfo=UTC))
    msg["Message-ID"] = message_id or make_msgid(domain=_domain(sender))
    msg["List-Id"] = LIST_ID
    msg["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(
        _render("digest.txt", context), subtype="plain", charset="utf-8", cte="quoted-printable"
    )
    msg.add_alternative(
        _render_html(context), subtype="html", charset="utf-8", cte="quoted-printable"
    )
    return msg


def render_digest_html(digest: Digest, links: Links) -> str:
    """The digest as a complete HTML document, its CSS inlined for mail clients (the
    ``prefers-color-scheme`` and width media queries stay in a ``<style>`` block)."""
    return _render_html(_context(digest, links))


def render_digest_text(digest: Digest, links: Links) -> str:
    """The digest as plain text, wrapped at 72 columns with URLs kept whole."""
    return _render("digest.txt", _context(digest, links))


# -- rendering ------------------------------------------------------------------------------


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("handpicked.deliver", "templates"),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html",), disabled_extensions=("txt",), default=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["wrap"] = _wrap
    return env


def _render(name: str, context: dict[str, Any]) -> str:
    return _environment().get_template(name).render(context)


def _render_html(context: dict[str, Any]) -> str:
    html = _render("digest.html", context)
    inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
    return str(inliner.inline(html))


def _wrap(text: str, indent: str = "", width: int = TEXT_WIDTH) -> str:
    """``text`` filled to ``width`` with every line after the first indented by ``indent``;
    long words (URLs) are never broken."""
    return textwrap.fill(
        text,
        width=width,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


# -- the facts the templates show ----------------------------------------------------------


def _context(digest: Digest, links: Links) -> dict[str, Any]:
    reader = digest.reader
    zone = _zone(reader)
    items = [_item(n, item, reader, links, zone) for n, item in enumerate(digest.items, 1)]
    suggestions = [_suggestion(s) for s in digest.suggestions]
    since = _date(digest.since, zone, with_time=False)
    if items:
        count = f"{len(items)} {'story' if len(items) == 1 else 'stories'}"
        looked = f" from {digest.candidates} new" if digest.candidates > len(items) else ""
        heading = "Your handpicked news"
        intro = f"{count} picked for you{looked} since {since}."
        seen: list[str] = []
        for item in digest.items:
            reason = clean(item.reason)
            if reason and reason not in seen:
                seen.append(reason)
        preheader = reasons_sentence(seen[:_PREHEADER_REASONS]) or intro
        empty_reason = ""
    else:
        heading = "Nothing new for you today"
        empty_reason = clean(digest.empty_reason) or (
            f"None of the new stories since {since} matched what you follow."
        )
        intro = ""
        preheader = empty_reason
    return {
        "lang": "en",
        "subject": _subject(digest),
        "heading": heading,
        "intro": intro,
        "preheader": preheader,
        "items": items,
        "empty_reason": empty_reason,
        "suggestions": suggestions,
        "reader_email": clean(reader.email),
        "settings_url": links.settings(),
        "feed_url": links.feed(reader.feed_token),
        "unsubscribe_url": links.unsubscribe(reader.id),
    }


def _item(
    number: int, item: DigestItem, reader: ReaderRecord, links: Links, zone: tzinfo
) -> ItemView:
    article = item.article
    original = original_url(article)
    site = clean(article.site_name) or source_of(original) or "the source"
    meta = [clean(article.site_name) or source_of(original)]
    if article.published is not None:
        meta.append(_date(article.published, zone, with_time=True))
    authors = [a for a in (clean(a) for a in article.authors) if a]
    if authors:
        named = ", ".join(authors[:_NAMED_AUTHORS])
        meta.append(f"By {named}" + (" and others" if len(authors) > _NAMED_AUTHORS else ""))
    return ItemView(
        number=number,
        title=clean(article.title) or "Untitled",
        url=links.article(article.id),
        lang=language_tag(article.detected_language or article.language),
        meta=" · ".join(part for part in meta if part),
        lead=excerpt(article.lead or article.text or "\n\n".join(article.paragraphs)),
        image=first_image(article.images),
        reasons=reasons_sentence([clean(r) for r in item.reasons]),
        also_covered=_sentence(also_covered(item)),
        site=site,
        original_url=original,
        more_url=links.feedback(reader.id, article.id, "more"),
        less_url=links.feedback(reader.id, article.id, "less"),
        **_follow_up(item, links, zone),
    )


def _follow_up(item: DigestItem, links: Links, zone: tzinfo) -> dict[str, Any]:
    """The follow-up's heading, new facts (each linked) and growth; nothing for a new story."""
    if item.development is None or item.seen_at is None:
        return {}
    seen = item.seen_at.astimezone(zone) if item.seen_at.tzinfo else item.seen_at
    facts = tuple(
        FactLink(view.text, links.article(view.article_id), view.outlet)
        for view in fact_views(item)
    )
    return {"follow_up": follow_up_heading(seen), "facts": facts, "growth": growth(item)}


def _suggestion(suggestion: Suggestion) -> SuggestionView:
    label = clean(suggestion.label) or clean(suggestion.thing)
    n = suggestion.stories
    text = f"Follow {label} — {n} recent {'story' if n == 1 else 'stories'}"
    return SuggestionView(
        text=text, command=f"handpicked follow {shlex.quote(clean(suggestion.thing))}"
    )


def _subject(digest: Digest) -> str:
    subject = clean(digest.subject) or "Your handpicked news"
    if len(subject) > SUBJECT_CHARS:
        subject = subject[: SUBJECT_CHARS - 1].rstrip() + "…"
    return subject


def _zone(reader: ReaderRecord) -> tzinfo:
    try:
        return ZoneInfo(reader.time_zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC


def _date(when: datetime, zone: tzinfo, *, with_time: bool) -> str:
    """ "Mon 3 Mar 2025, 14:05" in the reader's time zone (English whatever the locale)."""
    if when.tzinfo is not None:
        when = when.astimezone(zone)
    day = day_text(when)
    return f"{day}, {when:%H:%M}" if with_time else day


def _domain(sender: str) -> str:
    """The domain of the sender's address, for the Message-ID ("localhost" if it has none)."""
    domain = parseaddr(sender)[1].rpartition("@")[2]
    return domain if _DOMAIN.fullmatch(domain) else "localhost"


def _sentence(text: str) -> str:
    return f"{text}." if text and not text.endswith(".") else text
