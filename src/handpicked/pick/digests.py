"""Building digests: the pool of new stories, each reader's profile, their picks in words.

One :class:`DigestBuilder` serves any number of readers: the pool is read from the store
once and ranked per reader, which is how ten thousand digests are made in seconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from handpicked.pick.digest import Digest, DigestItem, Suggestion
from handpicked.pick.pool import Pool, build_pool, feedback_articles, load_articles
from handpicked.pick.ranking import build_profile, feature_name, rank
from handpicked.store.reader_repository import delivery_history, list_feedback, list_interests
from handpicked.store.readers import InterestRecord, ReaderRecord
from handpicked.store.repository import Store, StoredArticle

SUGGESTIONS = 8
_SUGGESTED = ("entity:person:", "entity:organisation:", "entity:place:", "topic:")


def phrases_of(interests: Mapping[int, Sequence[InterestRecord]]) -> set[str]:
    """Every phrase followed or muted among these readers' interests."""
    return {
        interest.key
        for items in interests.values()
        for interest in items
        if interest.kind == "phrase"
    }


def pool_for(store: Store, readers: Sequence[ReaderRecord], since: datetime, now: datetime) -> Pool:
    """One pool that serves every builder for ``readers`` (read once for a whole run)."""
    interests = list_interests(store, [reader.id for reader in readers])
    return build_pool(store, since, now, phrases_of(interests))


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
        reach back to the earliest ``since`` and know every phrase these readers follow,
        as :func:`pool_for` makes it."""
        self.store = store
        self.readers = list(readers)
        self.since = dict(since)
        self.now = now
        ids = [reader.id for reader in self.readers]
        self.interests = list_interests(store, ids)
        self.feedback = list_feedback(store, ids)
        earliest = min(self.since.values(), default=now)
        self.pool: Pool = pool or build_pool(store, earliest, now, phrases_of(self.interests))
        self.history = delivery_history(store, ids, since=earliest)
        reacted = {f.article_id for items in self.feedback.values() for f in items}
        self.feedback_info = feedback_articles(store, reacted)
        self.rows_of_story = {
            story_id: row for row, story_id in enumerate(self.pool.story_ids) if story_id
        }
        self._articles: dict[int, StoredArticle] = {}
        """Articles loaded for picks: many readers get the same stories."""

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
        feedback = self.feedback.get(reader.id, [])
        profile = build_profile(self.pool, reader, interests, feedback, self.feedback_info)
        sent_before, _last = self.history.get(reader.id, (set(), None))
        exclude = [
            self.rows_of_story[s] for s in sent_before if exclude_sent and s in self.rows_of_story
        ]
        picks = rank(self.pool, profile, reader.max_items, exclude=exclude, since=since)
        articles = self._load([pick.article_id for pick in picks])
        items = tuple(
            DigestItem(
                story_id=self.pool.story_ids[pick.row],
                article=articles[pick.article_id],
                reasons=pick.reasons,
                outlets=pick.outlets,
                score=pick.score,
                article_ids=pick.article_ids,
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

    def suggestions(self, interests: Sequence[InterestRecord]) -> tuple[Suggestion, ...]:
        """The people, organisations, places and topics in the most new stories that the
        reader neither follows nor mutes."""
        taken = {feature_name(interest) for interest in interests}
        found: list[Suggestion] = []
        for name, label, stories in self.pool.top_features(_SUGGESTED, SUGGESTIONS * 3):
            if name in taken or stories < 1:
                continue
            kind = name.split(":")[1] if name.startswith("entity:") else "topic"
            thing = f"{kind}:{label}" if kind != "topic" else f"topic:{name.split(':', 1)[1]}"
            found.append(Suggestion(label=label, thing=thing, stories=stories))
            if len(found) == SUGGESTIONS:
                break
        return tuple(found)

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
