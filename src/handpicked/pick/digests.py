"""Building digests: the pool of new stories, each reader's profile, their picks in words.

One :class:`DigestBuilder` serves any number of readers: the pool is read from the store
once and ranked per reader, which is how ten thousand digests are made in seconds.

Opening an article counts only in digests whose window starts after it was opened: it
shapes the next digest, never the page the reader is reading (today's picks do not move
because an article on them was read).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np
import numpy.typing as npt

from handpicked.pick.digest import Digest, DigestItem, Suggestion
from handpicked.pick.followups import FOLLOW_UPS, FollowUp, FollowUps
from handpicked.pick.interests import InterestError, parse_thing
from handpicked.pick.pool import Pool, build_pool, feedback_articles, load_articles, outside_rows
from handpicked.pick.ranking import Profile, build_profile, feature_name, is_muted, rank
from handpicked.pick.reasons import worded
from handpicked.store import FeedbackRecord, InterestRecord, ReaderRecord, Store, StoredArticle
from handpicked.store.invites import SHARED_POOL
from handpicked.understand.topics import TOPIC_WORDS

SUGGESTIONS = 8
SUGGESTION_OUTLETS = 2
"""A suggestion must have been in the articles of at least this many outlets (originals,
not syndicated copies): one site's oddity is not news worth following."""
_SUGGESTED = ("entity:person:", "entity:organisation:", "entity:place:", "topic:")
_CONSIDERED = 200
"""How many of the features in the most stories are looked at for suggestions."""


def phrases_of(interests: Mapping[int, Sequence[InterestRecord]]) -> set[str]:
    """Every phrase followed or muted among these readers' interests."""
    return {
        interest.key
        for items in interests.values()
        for interest in items
        if interest.kind == "phrase"
    }


def searches_of(interests: Mapping[int, Sequence[InterestRecord]]) -> set[str]:
    """Every search followed or muted among these readers' interests."""
    return {
        interest.key
        for items in interests.values()
        for interest in items
        if interest.kind == "search"
    }


def pool_for(store: Store, readers: Sequence[ReaderRecord], since: datetime, now: datetime) -> Pool:
    """One pool that serves every builder for ``readers`` (read once for a whole run)."""
    interests = store.interests.of_readers([reader.id for reader in readers])
    return build_pool(store, since, now, phrases_of(interests), searches_of(interests))


class DigestBuilder:
    """Digests for ``readers`` over the stories stored since the earliest of their windows."""

    def __init__(
        self,
        store: Store,
        readers: Sequence[ReaderRecord],
        since: Mapping[int, datetime],
        now: datetime,
        pool: Pool | None = None,
    ) -> None:
        """``pool`` may be shared by several builders (one per batch of readers): it must
        reach back to the earliest ``since`` and know every phrase and search these readers
        follow, as :func:`pool_for` makes it.

        Each reader's picks come from the sources they subscribe to and the desk-wide ones
        (and articles stored by hand); when the desk shares its pool, what they follow
        explicitly may also pick stories from any other source."""
        self.store = store
        self.readers = list(readers)
        self.since = dict(since)
        self.now = now
        ids = [reader.id for reader in self.readers]
        self.interests = store.interests.of_readers(ids)
        self.feedback = store.feedback.of_readers(ids)
        earliest = min(self.since.values(), default=now)
        self.pool: Pool = pool or build_pool(
            store, earliest, now, phrases_of(self.interests), searches_of(self.interests)
        )
        self.history = store.deliveries.history(ids, since=earliest)
        self.follow_ups = FollowUps(store, ids, now)
        reacted = {f.article_id for items in self.feedback.values() for f in items}
        self.feedback_info = feedback_articles(store, reacted)
        self.rows_of_story = {
            story_id: row for row, story_id in enumerate(self.pool.story_ids) if story_id
        }
        self._articles: dict[int, StoredArticle] = {}
        """Articles loaded for picks: many readers get the same stories."""
        self._rows_of_article: dict[int, int] | None = None
        self._suggestable: list[tuple[str, str, int]] | None = None
        self.subscriptions = store.subscriptions.of_readers(ids)
        self.shared_pool = store.desk_settings.get(SHARED_POOL) == "on"
        desk_wide = [source.id for source in store.sources.list(desk_wide=True)]
        self._outside = outside_rows(self.pool, desk_wide)
        """Story rows from no desk-wide source: a reader's own sources may bring some in."""

    def _outside_for(self, reader: ReaderRecord) -> npt.NDArray[np.bool_] | None:
        if not self._outside.any():
            return None
        own = self.subscriptions.get(reader.id, set())
        if not own:
            return self._outside
        outside = self._outside.copy()
        for source_id in own:
            rows = self.pool.rows_of_source.get(source_id)
            if rows is not None:
                outside[rows] = False
        return outside

    def _load(self, article_ids: Sequence[int]) -> dict[int, StoredArticle]:
        missing = [a for a in article_ids if a not in self._articles]
        if missing:
            self._articles.update(load_articles(self.store, missing))
        return {a: self._articles[a] for a in article_ids if a in self._articles}

    def build(
        self, reader: ReaderRecord, period: str | None = None, exclude_sent: bool = True
    ) -> Digest:
        """One reader's digest; articles are loaded for the picks only. Stories already
        emailed to the reader are left out unless ``exclude_sent`` is false (the web page of
        today's picks shows them again)."""
        since = self.since.get(reader.id, self.pool.since)
        interests = self.interests.get(reader.id, [])
        feedback = _counted(self.feedback.get(reader.id, []), since)
        rows = self.rows_of_article if any(f.kind == "more" for f in feedback) else None
        profile = build_profile(self.pool, reader, interests, feedback, self.feedback_info, rows)
        sent_before, _last = self.history.get(reader.id, (set(), None))
        followed = self.follow_ups.followed_stories(reader.id)
        exclude = [
            self.rows_of_story[s]
            for s in (set(sent_before) | set(followed) if exclude_sent else ())
            if s in self.rows_of_story
        ]
        follow_ups = self._follow_ups(reader, profile) if followed else []
        exclude += [self.rows_of_story[s] for f in follow_ups for s in (f.story_id, *f.continued_in)
                    if s in self.rows_of_story]  # fmt: skip
        picks = rank(
            self.pool,
            profile,
            reader.max_items - len(follow_ups),
            exclude=exclude,
            since=since,
            outside=self._outside_for(reader),
            follow_outside=self.shared_pool,
        )
        articles = self._load([pick.article_id for pick in picks])
        items = tuple(self._follow_up_item(f) for f in follow_ups) + tuple(
            DigestItem(
                story_id=self.pool.story_ids[pick.row],
                article=articles[pick.article_id],
                reasons=worded(pick.reasons),
                outlets=pick.outlets,
                score=pick.score,
                article_ids=pick.article_ids,
                why=pick.reasons,
                provenance=self.pool.provenance(pick.row),
            )
            for pick in picks
            if pick.article_id in articles
        )
        new_stories = int((self.pool.first_seen_ts >= since.timestamp()).sum())
        empty_reason = None
        suggestions: tuple[Suggestion, ...] = ()
        if not items:
            empty_reason = self._empty_reason(bool(interests or feedback), since, new_stories)
        if not profile.has_follows or not items:
            suggestions = self.suggestions(interests)
        return Digest(
            reader=reader,
            items=items,
            since=since,
            generated_at=self.now,
            suggestions=suggestions,
            empty_reason=empty_reason,
            candidates=new_stories,
            period=period,
        )

    def _follow_ups(self, reader: ReaderRecord, profile: Profile) -> list[FollowUp]:
        """The reader's stories that developed since they were sent them and that nothing
        they mute now is in (at most :data:`FOLLOW_UPS`)."""
        found = []
        for follow_up in self.follow_ups.of(reader.id):
            row = self.rows_of_story.get(follow_up.story_id)
            if row is not None and is_muted(self.pool, profile, row):
                continue
            found.append(follow_up)
            if len(found) == min(FOLLOW_UPS, reader.max_items):
                break
        return found

    def _follow_up_item(self, follow_up: FollowUp) -> DigestItem:
        """A follow-up as a digest item: the article with the first new thing, every
        outlet of the story, and what is new since the reader was sent it."""
        row = self.rows_of_story.get(follow_up.story_id)
        outlets = [follow_up.article.site_name or ""]
        if row is not None:
            outlets += [m.outlet for m in self.pool.members[row]]
        return DigestItem(
            story_id=follow_up.story_id,
            article=follow_up.article,
            reasons=(),
            outlets=tuple(dict.fromkeys(o for o in outlets if o)),
            score=0.0,
            article_ids=follow_up.development.article_ids,
            provenance=self.pool.provenance(row) if row is not None else None,
            development=follow_up.development,
            seen_at=follow_up.seen_at,
        )

    @property
    def rows_of_article(self) -> dict[int, int]:
        """Every pooled article's story row (worked out once, when a reader liked something)."""
        if self._rows_of_article is None:
            self._rows_of_article = {
                member.article_id: row
                for row, members in enumerate(self.pool.members)
                for member in members
            }
        return self._rows_of_article

    def suggestions(self, interests: Sequence[InterestRecord]) -> tuple[Suggestion, ...]:
        """The people, organisations, places and topics in the most new stories that several
        outlets carried and the reader neither follows nor mutes."""
        taken = {feature_name(interest) for interest in interests}
        found: list[Suggestion] = []
        for name, label, stories in self._suggestable_features():
            if name in taken:
                continue
            kind = name.split(":")[1] if name.startswith("entity:") else "topic"
            thing = f"{kind}:{label}" if kind != "topic" else f"topic:{name.split(':', 1)[1]}"
            found.append(Suggestion(label=label, thing=thing, stories=stories))
            if len(found) == SUGGESTIONS:
                break
        return tuple(found)

    def _suggestable_features(self) -> list[tuple[str, str, int]]:
        """(feature, label, stories) worth suggesting, in the most stories first: entities
        and taxonomy topics that :data:`SUGGESTION_OUTLETS` outlets wrote about and that
        following them, typed as suggested, would match (found once per builder)."""
        if self._suggestable is None:
            self._suggestable = [
                (name, label, stories)
                for name, label, stories in self.pool.top_features(_SUGGESTED, _CONSIDERED)
                if _followable(name, label) and self._outlets(name) >= SUGGESTION_OUTLETS
            ]
        return self._suggestable

    def _outlets(self, name: str) -> int:
        """How many outlets' own articles (not syndicated copies) have the feature, counted
        up to :data:`SUGGESTION_OUTLETS`."""
        feature = self.pool.feature(name)
        if feature is None:
            return 0
        outlets: set[str] = set()
        for row in self.pool.postings[feature]:
            for member in self.pool.members[row]:
                if not member.is_copy and feature in member.features:
                    outlets.add(member.source or member.outlet)
            if len(outlets) >= SUGGESTION_OUTLETS:
                break
        return len(outlets)

    def _empty_reason(self, has_interests: bool, since: datetime, new_stories: int) -> str:
        when = since.strftime("%d %b %Y %H:%M UTC")
        if new_stories == 0:
            return f"No new stories have come in since {when}."
        if not has_interests:
            return (
                "You don't follow anything yet, so there is nothing to pick from the "
                f"{new_stories} new stories. Follow a few of the suggestions below."
            )
        return f"None of the {new_stories} stories since {when} matched what you follow."


def _counted(feedback: Sequence[FeedbackRecord], since: datetime) -> list[FeedbackRecord]:
    """The feedback a digest picking from ``since`` on uses: likes and dislikes always,
    opens only when made before the window began (so reading never reorders the page)."""
    return [f for f in feedback if f.kind != "opened" or f.created_at < since]


def _followable(name: str, label: str) -> bool:
    """Whether a suggested feature is a topic of the taxonomy or an entity that, followed
    as suggested, matches this very feature (not a tag, not a name read as something else)."""
    if name.startswith("topic:"):
        return name.removeprefix("topic:") in TOPIC_WORDS
    kind = name.split(":")[1]
    try:
        return feature_name(parse_thing(f"{kind}:{label}")) == name
    except InterestError:
        return False
