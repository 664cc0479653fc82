"""How an article is shown on a terminal: readable text, Markdown, or one line of JSON."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import datetime
from typing import Literal, TypeAlias

from handpicked.article import Article

__all__ = ["FORMATS", "WIDTH", "Format", "render", "render_json", "render_markdown", "render_text"]

Format: TypeAlias = Literal["text", "markdown", "json"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "json")

SEED_URL = "https://ledger.example/world/its-time-for-russias-remaining-jews-to-leave"
_SEED_RESOURCE = "data/seed-article.html"
WIDTH = 78
_LABEL_WIDTH = 16


def _when(value: datetime) -> str:
    """A date as a reader writes it: no midnight time, a zone only when the page gave one."""
    if value.tzinfo is None and (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.date().isoformat()
    text = value.strftime("%Y-%m-%d %H:%M")
    zone = value.tzname()
    return f"{text} {zone}" if zone else text


def _metadata(article: Article) -> list[tuple[str, str]]:
    """The facts about an article, as (label, value) rows, leaving out what the page lacks."""
    rows: list[tuple[str, str]] = []
    if article.authors:
        rows.append(("By", ", ".join(article.authors)))
    if article.published:
        rows.append(("Published", _when(article.published)))
    if article.updated and article.updated != article.published:
        rows.append(("Updated", _when(article.updated)))
    if article.site_name:
        rows.append(("Site", article.site_name))
    if article.section:
        rows.append(("Section", article.section))
    if article.tags:
        rows.append(("Tags", ", ".join(article.tags)))
    if article.syndicated_from:
        rows.append(("Syndicated from", article.syndicated_from))
    if article.editors:
        rows.append(("Edited by", ", ".join(article.editors)))
    if url := article.canonical_url or article.url:
        rows.append(("URL", url))
    return rows


def _fill(text: str, indent: str = "", first: str | None = None) -> str:
    """Wrap for a terminal without breaking words or URLs."""
    return textwrap.fill(
        " ".join(text.split()),
        width=WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _row(label: str, value: str) -> str:
    pad = " " * (_LABEL_WIDTH + 2)
    return _fill(value, pad, first=f"  {label:<{_LABEL_WIDTH}}")


def _lead(article: Article) -> str | None:
    """The standfirst, unless the body already starts with it."""
    lead = (article.lead or "").strip()
    if not lead or (article.paragraphs and article.paragraphs[0].strip() == lead):
        return None
    return lead


_QUOTES = '“”"'
_NOT_AN_ARTICLE = "(No article body found: this page does not look like an article.)"
_MAYBE_NOT_AN_ARTICLE = "(This page does not look like an article; below is its main text.)"


def render_text(article: Article, source: str | None = None) -> str:
    """A plain-text view for a person: title, a block of facts, then the body, wrapped."""
    title = " ".join((article.title or "(untitled)").split())
    lines = [title, "=" * min(len(title), WIDTH), ""]
    if lead := _lead(article):
        lines += [_fill(lead), ""]
    rows = _metadata(article)
    if source and source != (article.canonical_url or article.url):
        rows.append(("Source", source))
    lines += [_row(label, value) for label, value in rows]
    for image in article.images:
        lines.append(_row("Image", image.url))
        pad = " " * (_LABEL_WIDTH + 2)
        if image.caption:
            lines.append(_fill(image.caption, pad))
        if image.credit:
            lines.append(_fill(f"Credit: {image.credit}", pad))
    lines += [_row("Pull quote", f"“{quote.strip(_QUOTES)}”") for quote in article.pull_quotes]
    if len(lines) > 3:
        lines.append("")
    if not article.paragraphs:
        lines.append(_NOT_AN_ARTICLE)
    else:
        if not article.is_article:
            lines += [_MAYBE_NOT_AN_ARTICLE, ""]
        lines.append("\n\n".join(_fill(paragraph) for paragraph in article.paragraphs))
    return "\n".join(lines)


_MD_INLINE = re.compile(r"([\\`*_\[\]<>])")
_MD_BLOCK_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def _md(text: str) -> str:
    """Escape what Markdown would read as markup, so the text shows as written."""
    text = _MD_INLINE.sub(r"\\\1", " ".join(text.split()))
    return _MD_BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text)


def render_markdown(article: Article, source: str | None = None) -> str:
    """Markdown: ``# title``, the facts as a short list, images, then the paragraphs."""
    blocks = [f"# {_md(article.title or '(untitled)')}"]
    if lead := _lead(article):
        blocks.append(f"*{_md(lead)}*")
    items = [f"- **{label}:** {_md(value)}" for label, value in _metadata(article)]
    if source and source != (article.canonical_url or article.url):
        items.append(f"- **Source:** {_md(source)}")
    items += [f"- **Pull quote:** “{_md(quote.strip(_QUOTES))}”" for quote in article.pull_quotes]
    if items:
        blocks.append("\n".join(items))
    for image in article.images:
        alt = _md(image.alt or image.caption or "")
        block = f"![{alt}](<{image.url}>)"
        note = " — ".join(_md(part) for part in (image.caption, image.credit) if part)
        blocks.append(f"{block}\n*{note}*" if note else block)
    if not article.paragraphs:
        blocks.append(_md(_NOT_AN_ARTICLE))
    else:
        if not article.is_article:
            blocks.append(_md(_MAYBE_NOT_AN_ARTICLE))
        blocks += [_md(paragraph) for paragraph in article.paragraphs]
    return "\n\n".join(blocks)


def render_json(article: Article, source: str | None = None) -> str:
    """One line of JSON: ``Article.to_dict()`` with the ``source`` it came from first."""
    return json.dumps({"source": source, **article.to_dict()}, ensure_ascii=False)


def render(article: Article, source: str | None, fmt: Format) -> str:
    """Render an article in one of :data:`FORMATS`."""
    if fmt == "json":
        return render_json(article, source)
    if fmt == "markdown":
        return render_markdown(article, source)
    return render_text(article, source)


# --- Running --------------------------------------------------------------------------------
