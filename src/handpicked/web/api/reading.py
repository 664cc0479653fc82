"""Stories and articles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from handpicked.store import StoredArticle
from handpicked.store.model import StoryRecord
from handpicked.web.api.common import (
    INVALID,
    NOT_FOUND,
    UNAUTHORIZED,
    ApiRoute,
    ArticleId,
    Reader,
    Since,
    StoryId,
    Web,
    not_found,
    utc,
)
from handpicked.web.api_models import (
    ArticleOut,
    OutletAdditionOut,
    StoryArticleOut,
    StoryOut,
    ThreadStoryOut,
)
from handpicked.web.context import WebContext

router = APIRouter(route_class=ApiRoute)


def _story(context: WebContext, story: StoryRecord) -> StoryOut:
    return StoryOut(
        id=story.id,
        title=story.title,
        representative_id=story.representative_id,
        first_seen=story.first_seen,
        last_seen=story.last_seen,
        article_count=story.article_count,
        outlets=list(story.outlets),
        also_covered_by=max(0, len(story.outlets) - 1),
        articles=[
            StoryArticleOut(
                id=a.id,
                title=a.title,
                url=a.canonical_url,
                reader_url=context.links.article(a.id),
                site_name=a.site_name,
                published=a.published,
                duplicate_of=a.duplicate_of,
                is_copy=a.duplicate_of is not None,
            )
            for a in story.articles
        ],
    )


def _article(context: WebContext, article: StoredArticle) -> ArticleOut:
    return ArticleOut.model_validate(
        {**article.to_dict(), "reader_url": context.links.article(article.id)}
    )


Limit = Annotated[int, Query(ge=1, le=200, description="How many at most (1 to 200).")]


@router.get(
    "/stories",
    tags=["news"],
    summary="Recent stories",
    description="Stories newest first, each with its articles; syndicated copies are flagged.",
    response_model=list[StoryOut],
    responses={**UNAUTHORIZED, **INVALID},
)
def stories(
    _reader: Reader, context: Web, since: Since = None, limit: Limit = 50
) -> list[StoryOut]:
    found = context.store.stories.list(since=utc(since), limit=limit)
    return [_story(context, story) for story in found]


@router.get(
    "/stories/{story_id:id}",
    tags=["news"],
    summary="One story",
    description="A story with all its articles, oldest first; syndicated copies are flagged; "
    "what each outlet adds that no other has, and the thread of stories it is part of.",
    response_model=StoryOut,
    responses={**UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def story(story_id: StoryId, _reader: Reader, context: Web) -> StoryOut:
    detail = context.desk.stories.detail(story_id)
    if detail is None:
        raise not_found(f"There is no story {story_id}.")
    out = _story(context, detail.story)
    out.outlet_additions = [OutletAdditionOut.model_validate(o.to_dict()) for o in detail.outlets]
    out.thread = [
        ThreadStoryOut(id=e.story_id, title=e.title, first_seen=e.first_seen,
                       last_seen=e.last_seen, continues_id=e.continues_id)
        for e in detail.thread
    ]  # fmt: skip
    return out


@router.get(
    "/articles",
    tags=["news"],
    summary="Recent articles",
    description="Articles newest first (by publication time, else fetch time), in full.",
    response_model=list[ArticleOut],
    responses={**UNAUTHORIZED, **INVALID},
)
def articles(
    _reader: Reader, context: Web, since: Since = None, limit: Limit = 50
) -> list[ArticleOut]:
    found = context.store.articles.list(since=utc(since), limit=limit)
    return [_article(context, article) for article in found]


@router.get(
    "/articles/{article_id:id}",
    tags=["news"],
    summary="One article",
    description="The clean article: body, facts, pictures with captions and credits, and "
    "what understanding found (entities, topics, story, duplicate).",
    response_model=ArticleOut,
    responses={**UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def article(article_id: ArticleId, _reader: Reader, context: Web) -> ArticleOut:
    found = context.store.articles.get(article_id)
    if found is None:
        raise not_found(f"There is no article {article_id}.")
    return _article(context, found)


# --- sources -------------------------------------------------------------------------------
