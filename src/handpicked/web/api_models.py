"""The bodies the JSON API takes and gives (Pydantic v2), each field described, so that
``/openapi.json`` documents every request and every answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from handpicked.desk.readers import MAX_ITEMS

MAX_ID = 2**53 - 1
"""The largest id the API takes: the largest integer every JSON client reads exactly (ids are
counted up from 1, far below it)."""


def _unicode(value: str) -> str:
    """Refuse text no database can store: lone surrogates (``"\\ud800"`` in JSON)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from None
    return value


def _json_integer(value: object) -> object:
    """Integers as JSON has them (7 or 7.0), not true or "7", which pydantic would take."""
    if isinstance(value, bool | str | bytes):
        raise ValueError("should be a JSON integer")
    return value


Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$"), AfterValidator(_unicode)]
"""A string from a client, safe to store: no NUL characters (PostgreSQL refuses them)."""

Integer = Annotated[int, BeforeValidator(_json_integer)]
Boolean = Annotated[bool, Field(strict=True)]

InterestMode = Literal["follow", "mute"]
FeedbackKind = Literal["more", "less", "opened"]


class _Request(BaseModel):
    """A request body: unknown fields are refused, so a typo does not pass silently."""

    model_config = ConfigDict(extra="forbid")


# --- errors --------------------------------------------------------------------------------


class ErrorOut(BaseModel):
    """Every error the API answers: one sentence for the person or script that asked."""

    detail: str = Field(description="What went wrong, and what would work.")


# --- tokens --------------------------------------------------------------------------------


class TokenCreate(_Request):
    email: Text = Field(max_length=320, description="The account's email address.")
    password: Text = Field(max_length=1024, description="The account's password.")
    name: Text | None = Field(
        default=None,
        max_length=200,
        description='A name to tell the token apart later ("laptop script"); default "API".',
    )


class TokenCreated(BaseModel):
    id: int = Field(description="The token's id, for listing and revoking it.")
    token: str = Field(
        description="The secret to send as `Authorization: Bearer …`. It is shown only once."
    )
    name: str = Field(description="The token's name.")


class TokenOut(BaseModel):
    id: int = Field(description="The token's id.")
    name: str = Field(description="The token's name.")
    created_at: datetime = Field(description="When it was made.")
    last_used_at: datetime | None = Field(
        description="When it was last used (to the minute), or null if never."
    )


# --- the reader ----------------------------------------------------------------------------


class MeOut(BaseModel):
    id: int = Field(description="The reader's id.")
    email: str = Field(description="Where digests go.")
    time_zone: str = Field(description="IANA time zone the schedule is read in.")
    schedule: str = Field(description='When digests go, canonical form ("daily 07:00").')
    schedule_description: str = Field(description='The schedule in words ("daily at 07:00").')
    next_digest_at: datetime | None = Field(
        description="When the next digest is due (UTC, ISO 8601); null if it cannot be worked "
        "out or the reader is unsubscribed."
    )
    max_items: int = Field(description="How many stories a digest holds at most.")
    language: str | None = Field(description="Preferred language (ISO 639-1), or null for any.")
    feed_url: str = Field(description="The reader's private Atom feed of their picks.")
    unsubscribed: bool = Field(description="True when digests are not emailed any more.")
    created_at: datetime = Field(description="When the reader joined.")


class MeUpdate(_Request):
    time_zone: Text | None = Field(
        default=None, max_length=100, description='IANA time zone, e.g. "Europe/Berlin".'
    )
    schedule: Text | None = Field(
        default=None,
        max_length=200,
        description='When digests go: "daily 07:00", "weekdays 7:30", "07:00,18:00", ...',
    )
    max_items: Integer | None = Field(
        default=None, ge=1, le=MAX_ITEMS, description="How many stories a digest holds at most."
    )
    language: Text | None = Field(
        default=None,
        max_length=20,
        description='Preferred language ("en", "de"); "any" or "" for any language.',
    )
    subscribed: Boolean | None = Field(
        default=None, description="False unsubscribes from emailed digests; true subscribes again."
    )


# --- picks ---------------------------------------------------------------------------------


class ImageOut(BaseModel):
    url: str = Field(description="Where the picture is.")
    caption: str | None = Field(default=None, description="The caption the page gives it.")
    credit: str | None = Field(default=None, description="Who made it, as the page says.")
    alt: str | None = Field(default=None, description="Its alternative text.")


class PickOut(BaseModel):
    article_id: int = Field(description="The article shown for the story.")
    story_id: int | None = Field(description="The story it belongs to.")
    title: str | None = Field(description="The article's headline.")
    url: str = Field(description="Where the article was published (the original).")
    reader_url: str = Field(description="The clean, reader-friendly view of the article here.")
    site: str | None = Field(description="The outlet that published it.")
    published: datetime | None = Field(description="When it was published.")
    lead: str | None = Field(description="The article's lead paragraph or summary.")
    reasons: list[str] = Field(
        description='Why it was picked, most important first ("because you follow Vladimir Putin").'
    )
    outlets: list[str] = Field(description="Every outlet that covered the story, this one first.")
    also_covered_by: int = Field(description="How many other outlets covered the story.")
    score: float = Field(description="The ranking score (higher ranks first).")
    image: ImageOut | None = Field(description="The article's first picture, if it has one.")


class SuggestionOut(BaseModel):
    label: str = Field(description="How to show it.")
    thing: str = Field(description="What to send as `thing` to POST /api/v1/interests.")
    stories: int = Field(description="How many recent stories it would have picked.")


class PicksOut(BaseModel):
    subject: str = Field(description="The digest's email subject (it names the top story).")
    items: list[PickOut] = Field(description="The picks, best first.")
    empty_reason: str | None = Field(description="Why there are no picks, when there are none.")
    suggestions: list[SuggestionOut] = Field(
        description="Things to follow, offered when the reader follows little."
    )
    since: datetime = Field(description="News from this moment on was considered.")
    generated_at: datetime = Field(description="When the picks were made.")
    candidates: int = Field(description="How many new stories were looked at.")


class PreviewOut(BaseModel):
    subject: str = Field(description="The email's subject.")
    html: str = Field(description="The email's HTML part.")
    text: str = Field(description="The email's plain-text part.")


# --- interests -----------------------------------------------------------------------------


class InterestOut(BaseModel):
    kind: str = Field(description="entity, topic, source, section, phrase or search.")
    key: str = Field(description="What stories are matched on.")
    label: str = Field(description="How to show it.")
    mode: InterestMode = Field(description="follow or mute.")
    thing: str = Field(description='How to type it again, unambiguously ("person:Vladimir Putin").')
    created_at: datetime = Field(description="When it was first followed or muted.")


class InterestsOut(BaseModel):
    follows: list[InterestOut] = Field(description="What the reader follows, oldest first.")
    mutes: list[InterestOut] = Field(description="What the reader mutes (mutes win), oldest first.")


class InterestCreate(_Request):
    thing: Text = Field(
        max_length=1000,
        description='What to follow or mute, as typed: "Putin", "topic:politics", '
        '"bbc.co.uk", \'"Florida Man"\'.',
    )
    mode: InterestMode = Field(default="follow", description="follow or mute.")


class InterestChanged(BaseModel):
    kind: str = Field(description="What kind of thing it was read as.")
    key: str = Field(description="What stories are matched on.")
    label: str = Field(description="How to show it.")
    mode: InterestMode = Field(description="The mode it has now.")
    before: InterestMode | None = Field(
        description="The mode it had before, or null when it is new."
    )
    thing: str = Field(description="How to type it again, unambiguously.")


# --- feedback ------------------------------------------------------------------------------


class FeedbackIn(_Request):
    article_id: Integer = Field(ge=1, le=MAX_ID, description="The article reacted to.")
    kind: FeedbackKind = Field(
        description="more: more like this; less: less like this; opened: it was read."
    )


# --- stories and articles ------------------------------------------------------------------


class StoryArticleOut(BaseModel):
    id: int = Field(description="The article's id.")
    title: str | None = Field(description="Its headline.")
    url: str = Field(description="Its canonical URL.")
    reader_url: str = Field(description="The clean view of it here.")
    site_name: str | None = Field(description="The outlet.")
    published: datetime | None = Field(description="When it was published.")
    duplicate_of: int | None = Field(description="The article it copies, if it is a copy.")
    is_copy: bool = Field(description="True for a syndicated copy of another article of the story.")


class OutletFactOut(BaseModel):
    kind: str = Field(description="number or quote.")
    text: str = Field(description="The sentence that carries it.")
    article_id: int = Field(description="The article that carries it.")


class OutletAdditionOut(BaseModel):
    outlet: str = Field(description="The outlet.")
    article_ids: list[int] = Field(description="Its articles in the story.")
    facts: list[OutletFactOut] = Field(description="Numbers and quotes no other outlet has.")
    people: list[str] = Field(description="People no other outlet names.")
    speakers: list[str] = Field(description="Whom its quotes are from.")
    copy_of: str | None = Field(description="For an outlet that only copies: the origin.")
    copy_of_article: int | None = Field(description="The origin's article in the story.")


class ThreadStoryOut(BaseModel):
    id: int = Field(description="The story's id.")
    title: str | None = Field(description="Its headline.")
    first_seen: datetime | None = Field(description="When its first article came out.")
    last_seen: datetime | None = Field(description="When its latest article came out.")
    continues_id: int | None = Field(description="The older story it continues.")


class StoryOut(BaseModel):
    id: int = Field(description="The story's id.")
    title: str | None = Field(description="The headline of its representative article.")
    representative_id: int | None = Field(description="The article shown for the story.")
    first_seen: datetime | None = Field(description="When its first article came out.")
    last_seen: datetime | None = Field(description="When its latest article came out.")
    article_count: int = Field(description="How many stored articles it has.")
    outlets: list[str] = Field(description="Every outlet that covered it.")
    also_covered_by: int = Field(description="Outlets beyond the first.")
    articles: list[StoryArticleOut] = Field(description="Its articles, oldest first.")
    outlet_additions: list[OutletAdditionOut] | None = Field(
        default=None,
        description="What each outlet adds that no other has (one story only; else null).",
    )
    thread: list[ThreadStoryOut] | None = Field(
        default=None,
        description="The stories of its thread, oldest first, when the matter went on past "
        "the grouping window (one story only; else null; empty when it has none).",
    )


class ArticleOut(BaseModel):
    id: int = Field(description="The article's id.")
    reader_url: str = Field(description="The clean view of it here.")
    source_id: int | None = Field(description="The source it came from, if still followed.")
    fetched_at: datetime = Field(description="When it was fetched.")
    content_hash: str = Field(description="sha256 of its normalised text.")
    url: str | None = Field(description="The URL it was fetched from.")
    canonical_url: str = Field(description="Its canonical URL.")
    title: str | None = Field(description="Its headline.")
    authors: list[str] = Field(description="Its authors.")
    published: datetime | None = Field(description="When it was published.")
    updated: datetime | None = Field(description="When it was last updated.")
    site_name: str | None = Field(description="The outlet.")
    language: str | None = Field(description="Its language (the detected one when known).")
    section: str | None = Field(description="The site's section.")
    tags: list[str] = Field(description="The site's tags.")
    lead: str | None = Field(description="Its lead paragraph or summary.")
    text: str = Field(description="The body as plain text, paragraphs split by a blank line.")
    paragraphs: list[str] = Field(description="The body's paragraphs.")
    pull_quotes: list[str] = Field(description="Pull quotes, kept out of the body.")
    images: list[ImageOut] = Field(description="Its pictures with caption and credit.")
    syndicated_from: str | None = Field(description="The original's URL, for syndicated copies.")
    editors: list[str] = Field(description="Its editors.")
    is_article: bool = Field(description="False when the page did not look like an article.")
    word_count: int = Field(description="Words in the body.")
    entities: list[dict[str, Any]] = Field(
        description="People, organisations and places found: name, kind, key, mentions."
    )
    topics: list[dict[str, Any]] = Field(description="Topics found: key, label, score.")
    duplicate_of: int | None = Field(description="The article it copies, if it is a copy.")
    story_id: int | None = Field(description="The story it belongs to.")


# --- sources -------------------------------------------------------------------------------


class SourceOut(BaseModel):
    id: int = Field(description="The source's id.")
    url: str = Field(description="The feed, sitemap, site or page followed.")
    kind: str = Field(description="feed, sitemap, page or site.")
    title: str | None = Field(description="Its title.")
    site_url: str | None = Field(description="The site it belongs to.")
    poll_interval_s: int = Field(description="Seconds between polls.")
    next_poll_at: datetime | None = Field(description="When it is polled next.")
    last_polled_at: datetime | None = Field(description="When it was last polled.")
    last_status: int | None = Field(description="The HTTP status of the last poll.")
    last_error: str | None = Field(description="Why the last poll failed, if it did.")
    error_count: int = Field(description="Failed polls in a row.")
    created_at: datetime = Field(description="When it was added.")


class SourceAdded(SourceOut):
    created: bool = Field(description="False when the source was followed already.")


class SourceCreate(_Request):
    url: Text = Field(
        max_length=2000,
        description="A feed, sitemap, site or article address (http:// or https://), "
        "or a bare domain such as bbc.co.uk (tried as https://bbc.co.uk/ first).",
    )


class OpmlRefusal(BaseModel):
    url: str = Field(description="The feed's address as the file gave it.")
    reason: str = Field(description="Why the desk will not fetch it (a private address...).")


class OpmlImported(BaseModel):
    added: int = Field(description="Feeds that were new.")
    total: int = Field(description="Feeds in the file.")
    refused: list[OpmlRefusal] = Field(
        default_factory=list, description="Feeds not added, with the reason."
    )


# --- deliveries ----------------------------------------------------------------------------


class DeliveryOut(BaseModel):
    id: int = Field(description="The delivery's id.")
    period: str = Field(description="The schedule slot it is for (UTC, e.g. 2026-11-25T07:00Z).")
    state: str = Field(
        description="claimed, sending, sent, failed, skipped or uncertain (may have been sent)."
    )
    attempts: int = Field(description="Failed tries before this state.")
    story_ids: list[int] = Field(description="The stories it held.")
    article_ids: list[int] = Field(description="The articles it held.")
    error: str | None = Field(description="Why it failed or was skipped.")
    since: datetime | None = Field(description="News from this moment on was considered.")
    created_at: datetime = Field(description="When the slot was first taken up.")
    sent_at: datetime | None = Field(description="When it was sent.")
