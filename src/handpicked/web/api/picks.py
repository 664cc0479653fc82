"""Today's picks and the next digest."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter

from handpicked.deliver.links import is_web_url
from handpicked.pick.digest import Digest, DigestItem, Suggestion
from handpicked.store import StoredArticle
from handpicked.web.api.common import (
    UNAUTHORIZED,
    ApiRoute,
    Reader,
    Web,
)
from handpicked.web.api_models import (
    ImageOut,
    PickOut,
    PicksOut,
    PreviewOut,
    SuggestionOut,
)
from handpicked.web.context import WebContext

router = APIRouter(route_class=ApiRoute)


def _image(article: StoredArticle) -> ImageOut | None:
    for image in article.images:
        if is_web_url(image.url):
            return ImageOut(url=image.url, caption=image.caption, credit=image.credit,
                            alt=image.alt)  # fmt: skip
    return None


def _pick(context: WebContext, item: DigestItem) -> PickOut:
    article = item.article
    return PickOut(
        article_id=article.id,
        story_id=item.story_id,
        title=article.title,
        url=context.links.original(article),
        reader_url=context.links.article(article.id),
        site=article.site_name,
        published=article.published,
        lead=article.lead,
        reasons=list(item.reasons),
        outlets=list(item.outlets),
        also_covered_by=item.also_covered_by,
        score=round(item.score, 4),
        image=_image(article),
    )


def suggestion_outs(suggestions: Sequence[Suggestion]) -> list[SuggestionOut]:
    return [SuggestionOut(label=s.label, thing=s.thing, stories=s.stories) for s in suggestions]


def _picks(context: WebContext, digest: Digest) -> PicksOut:
    return PicksOut(
        subject=digest.subject,
        items=[_pick(context, item) for item in digest.items],
        empty_reason=digest.empty_reason,
        suggestions=suggestion_outs(digest.suggestions),
        since=digest.since,
        generated_at=digest.generated_at,
        candidates=digest.candidates,
    )


@router.get(
    "/picks",
    tags=["picks"],
    summary="Today's picks",
    description="The stories the reader's next digest would hold now, each with the reasons "
    "it was picked. Nothing is recorded or sent.",
    response_model=PicksOut,
    responses=UNAUTHORIZED,
)
def todays_picks(reader: Reader, context: Web) -> PicksOut:
    return _picks(context, context.desk.digests.todays_picks(reader))


@router.get(
    "/digest/preview",
    tags=["picks"],
    summary="Preview the next digest",
    description="The next digest email as its subject, HTML and plain-text parts.",
    response_model=PreviewOut,
    responses=UNAUTHORIZED,
)
def digest_preview(reader: Reader, context: Web) -> PreviewOut:
    digest, html, text = context.desk.digests.preview(reader)
    return PreviewOut(subject=digest.subject, html=html, text=text)


# --- interests -----------------------------------------------------------------------------
