"""Searching the stored articles."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from handpicked.deliver.links import original_url
from handpicked.desk.search import MAX_LIMIT, MAX_OFFSET, Found, SearchError, SearchRequest
from handpicked.web.api.common import ERROR, INVALID, UNAUTHORIZED, ApiRoute, Reader, Web
from handpicked.web.context import WebContext

router = APIRouter(route_class=ApiRoute)
Filter = Annotated[str | None, Query(max_length=200)]


class SearchHitOut(BaseModel):
    article_id: int = Field(description="The article's id.")
    story_id: int | None = Field(description="The story it belongs to.")
    title: str | None = Field(description="Its headline.")
    url: str | None = Field(description="Where it was published (the original).")
    reader_url: str = Field(description="The clean, reader-friendly view of it here.")
    site: str | None = Field(description="The outlet that published it.")
    published: datetime | None = Field(description="When it was published.")
    language: str | None = Field(description="Its language (the detected one when known).")
    score: float = Field(description="How well it matched (higher is better; per engine).")
    snippet: str = Field(description="The passage that matched best, as plain text.")
    matches: list[tuple[int, int]] = Field(
        description="Where the query's words are in `snippet`: [start, end) offsets in "
        "characters, for clients that mark them."
    )


class SearchOut(BaseModel):
    query: str = Field(description="The query as sent.")
    hits: list[SearchHitOut] = Field(description="The matches, best first.")
    next_offset: int | None = Field(
        description="The `offset` of the next page, or null when this is the last."
    )
    engine: str = Field(
        description="fts5 (SQLite), postgresql, or substring (a query in a script written "
        "without spaces, such as Chinese, which is looked for as text)."
    )


@router.get(
    "/search",
    tags=["search"],
    summary="Search the stored articles",
    description="Articles whose title, lead, body, authors or site match `q`, best first "
    "(a match in the title counts most, then the lead). All the words must match; "
    '`"a phrase"` matches those words in order, `OR` between two words either, `-word` '
    "leaves out what has it, and `word*` (SQLite only) any word that starts so. A query "
    "that cannot be searched (empty, only exclusions, over 500 characters) is a 400 whose "
    "`detail` says why. Filters: `source` (a domain, or a source id), `language` (a code; "
    "`en` also matches `en-GB`), `since`/`until` (dates of publication, both inclusive), "
    "`entity` (a person, organisation or place, as for follows).",
    response_model=SearchOut,
    responses={
        400: {**ERROR, "description": "The query or a filter cannot be read."},
        **UNAUTHORIZED,
        **INVALID,
    },
)
def search(
    _reader: Reader,
    context: Web,
    q: Annotated[str, Query(max_length=20_000, description="What to look for.")],
    source: Filter = None,
    language: Filter = None,
    since: Annotated[str | None, Query(max_length=40, description="YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(max_length=40, description="YYYY-MM-DD")] = None,
    entity: Filter = None,
    sort: Annotated[Literal["relevance", "newest"], Query()] = "relevance",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> SearchOut | JSONResponse:
    request = SearchRequest(query=q, source=source, language=language, since=since,
                            until=until, entity=entity, limit=limit, offset=offset,
                            newest=sort == "newest")  # fmt: skip
    try:
        page = context.desk.search.find(request)
    except SearchError as error:
        # Answered here: the API's route class turns a raised 400 into 422.
        return JSONResponse({"detail": str(error)}, status_code=status.HTTP_400_BAD_REQUEST)
    return SearchOut(
        query=q,
        hits=[_hit(context, found) for found in page.found],
        next_offset=page.next_offset,
        engine=page.engine,
    )


def _hit(context: WebContext, found: Found) -> SearchHitOut:
    article = found.article
    snippet, matches, at = "", [], 0
    for text, match in found.snippet:
        if match:
            matches.append((at, at + len(text)))
        snippet += text
        at += len(text)
    return SearchHitOut(
        article_id=article.id,
        story_id=article.story_id,
        title=article.title,
        url=original_url(article),
        reader_url=context.links.article(article.id),
        site=article.site_name,
        published=article.published,
        language=article.detected_language or article.language,
        score=found.score,
        snippet=snippet,
        matches=matches,
    )
