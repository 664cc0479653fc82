"""An item's content for sync apps: the clean extracted article as HTML.

The article is stored as text (lead, paragraphs, pull quotes, pictures with captions and
credits), so the HTML is built here from escaped text and checked web URLs only: nothing an
outlet wrote reaches an app as markup.
"""

from __future__ import annotations

from dataclasses import replace

from markupsafe import Markup, escape

from handpicked.deliver.links import Links, original_url
from handpicked.deliver.wording import ImageView, body_blocks, clean, image_view
from handpicked.store import StoredArticle
from handpicked.web.pages.views import people, site_name


def _figure(image: ImageView) -> Markup:
    caption = escape(image.caption)
    if image.credit:
        caption += Markup(" <small>Photo: {}</small>").format(image.credit)
    figcaption = Markup("<figcaption>{}</figcaption>").format(caption) if caption else ""
    return Markup('<figure><img src="{}" alt="{}" />{}</figure>').format(
        image.url, image.alt, figcaption
    )


def article_html(article: StoredArticle, links: Links, reasons: str = "") -> str:
    """The whole clean article: why it was picked (for a pick), the first picture, the lead,
    the body with its pull quotes, the other pictures, the credits, and a link to the
    original. Pictures come from our own address (``links.image``), as on the pages: an app
    showing the article never tells the outlet who reads it."""
    images = [
        replace(view, url=links.image(article.id, view.url))
        for view in map(image_view, article.images)
        if view is not None
    ]
    paragraphs = list(article.paragraphs)
    lead = clean(article.lead)
    if paragraphs and lead and clean(paragraphs[0]) == lead:
        paragraphs = paragraphs[1:]
    parts: list[Markup] = []
    if reasons:
        parts.append(Markup("<p><em>{}</em></p>").format(reasons))
    if images:
        parts.append(_figure(images[0]))
    if lead:
        parts.append(Markup("<p><strong>{}</strong></p>").format(lead))
    for block in body_blocks(paragraphs, article.pull_quotes):
        template = "<blockquote><p>{}</p></blockquote>" if block.kind == "quote" else "<p>{}</p>"
        parts.append(Markup(template).format(block.text))
    parts.extend(_figure(image) for image in images[1:])
    if article.authors:
        parts.append(Markup("<p><em>By {}</em></p>").format(people(article.authors)))
    if clean(article.syndicated_from):
        credit = clean(article.syndicated_from)
        parts.append(Markup("<p><em>Produced in association with {}.</em></p>").format(credit))
    original = original_url(article)
    if original:
        parts.append(
            Markup('<p><a href="{}">Read the original at {}</a></p>').format(
                original, site_name(article)
            )
        )
    return str(Markup("\n").join(parts))
