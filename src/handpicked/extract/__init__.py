"""The extraction engine: a page in, a clean structured :class:`~handpicked.Article` out."""

from __future__ import annotations

from handpicked.article import Article
from handpicked.extract.body import extract_body
from handpicked.extract.classify import PageSignals, is_article, is_shop
from handpicked.extract.decode import decode_html
from handpicked.extract.document import MAX_INPUT_BYTES, check_size, parse_html
from handpicked.extract.metadata import extract_metadata
from handpicked.extract.textsize import count_words

__all__ = ["extract"]


def extract(
    html: str | bytes,
    url: str | None = None,
    *,
    content_type: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
) -> Article:
    """Turn one page into an :class:`Article`.

    ``html`` may be text or the raw bytes as served; bytes are decoded from their BOM, the
    HTTP ``content_type`` header, a ``<meta charset>``, or by detection, in that order.
    Raises :class:`~handpicked.ExtractionError` for input that is not an HTML page.
    """
    article, _signals = extract_with_signals(
        html, url, content_type=content_type, max_bytes=max_bytes
    )
    return article


def extract_with_signals(
    html: str | bytes,
    url: str | None = None,
    *,
    content_type: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
) -> tuple[Article, PageSignals]:
    """:func:`extract`, also returning the signals the article classifier saw (for fitting)."""
    if isinstance(html, bytes):
        check_size(len(html), max_bytes)
        html = decode_html(html, content_type)
    root = parse_html(html, max_bytes)
    metadata = extract_metadata(root, url)
    body = extract_body(root, metadata)
    page_url = url or metadata.url or metadata.canonical_url
    signals = PageSignals(
        page_types=tuple(metadata.page_types),
        has_date=metadata.published is not None,
        has_author=bool(metadata.authors or metadata.credit),
        words=sum(count_words(p) for p in body.paragraphs),
        paragraphs=len(body.paragraphs),
        body_link_density=body.link_density,
        article_elements=body.article_elements,
        shop_markers=body.shop_markers,
        url=page_url,
    )
    article_like = is_article(signals)
    keeps_strict = article_like or is_shop(signals)
    article = Article(
        url=page_url,
        canonical_url=metadata.canonical_url,
        title=metadata.title,
        authors=metadata.authors,
        published=metadata.published,
        updated=metadata.updated,
        site_name=metadata.site_name,
        language=metadata.language,
        section=metadata.section,
        tags=metadata.tags,
        lead=body.lead,
        paragraphs=body.paragraphs if keeps_strict else body.page_paragraphs,
        pull_quotes=body.pull_quotes,
        images=body.images,
        syndicated_from=body.syndicated_from,
        editors=body.editors,
        is_article=article_like,
    )
    return article, signals
