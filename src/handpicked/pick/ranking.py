"""Ranking a pool of stories for one reader, with the reason for every pick in words.

A story's score is relevance × prior. Relevance adds up what the reader follows that the
story has (entities and phrases weigh most, then sources, sections and topics), the weights
learned from their feedback on the same features, and how close the story's embedding is to
what they liked. The prior is freshness (half-life 36 h) times coverage (more outlets, a
bigger story). Mutes always win: a muted entity, topic or phrase drops the story, a muted
source or section drops that outlet's article (the story may still come from another).
Picking is greedy with diversity: each pick from the same outlet, or for the same reason,
lowers the next ones' scores, so one source or one follow cannot fill the digest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from handpicked.pick.interests import Thing
from handpicked.pick.pool import Member, Pool, Vector, entity_feature, section_feature
from handpicked.store.readers import FeedbackRecord, InterestRecord, ReaderRecord

FOLLOW_WEIGHTS = {"entity": 1.0, "phrase": 1.0, "source": 0.6, "section": 0.5, "topic": 0.5}
FEEDBACK_WEIGHTS = {"more": 0.35, "less": -0.5, "opened": 0.08}
LEARNED_SHARE = {"entity": 1.0, "phrase": 1.0, "topic": 0.7, "source": 0.5, "section": 0.5}
"""How much of a reaction each kind of feature takes: one liked article says more about the
people in it than about its outlet or its broad topic."""
LEARNED_FLOOR = 0.1
"""Learned weights smaller than this are noise and left out."""
LEARNED_CANDIDATE = 0.3
"""Learned relevance that makes a story a candidate on its own (without a follow)."""
FOLLOW_FLOOR = 0.25
"""The least share of its follow weight a followed story keeps however much was disliked."""
SIMILARITY_FLOOR = 0.45
"""Cosine similarity to the liked articles above which a story counts as "like" them."""
SIMILARITY_WEIGHT = 1.5
SAME_OUTLET_PENALTY = 0.7
SAME_REASON_PENALTY = 0.85
SHORTLIST = 5


@dataclass
class Profile:
    """What a reader wants, in the pool's feature ids."""

    follows: dict[int, tuple[float, str]] = field(default_factory=dict)
    """feature → (weight, reason in words)."""
    learned: dict[int, float] = field(default_factory=dict)
    story_mutes: set[int] = field(default_factory=set)
    member_mutes: set[str] = field(default_factory=set)
    """Muted source and section features, applied to each article of a story."""
    followed_sources: set[str] = field(default_factory=set)
    liked: list[tuple[Vector, str]] = field(default_factory=list)
    """Unit embeddings and titles of liked articles."""
    disliked: list[Vector] = field(default_factory=list)
    language: str | None = None
    has_follows: bool = False


@dataclass(frozen=True, slots=True)
class Pick:
    """A chosen story: its pool row, the article to show, and why."""

    row: int
    article_id: int
    score: float
    reasons: tuple[str, ...]
    outlets: tuple[str, ...]
    article_ids: tuple[int, ...]


FeedbackInfo = Mapping[int, tuple[tuple[tuple[str, str], ...], Vector | None, str | None]]


def feature_name(interest: InterestRecord | Thing) -> str:
    """The pool feature an interest matches."""
    if interest.kind == "entity":
        return entity_feature(interest.key)
    return f"{interest.kind}:{interest.key}"


def build_profile(
    pool: Pool,
    reader: ReaderRecord,
    interests: Sequence[InterestRecord],
    feedback: Sequence[FeedbackRecord],
    feedback_info: FeedbackInfo,
) -> Profile:
    """Turn a reader's follows, mutes and feedback into weights on the pool's features."""
    profile = Profile(language=reader.language)
    for interest in interests:
        name = feature_name(interest)
        if interest.mode == "follow":
            profile.has_follows = True
            if interest.kind == "source":
                profile.followed_sources.add(interest.key)
        feature = pool.feature(name)
        if interest.mode == "mute":
            if interest.kind in ("source", "section"):
                profile.member_mutes.add(name)
            if feature is not None:
                profile.story_mutes.add(feature)
            continue
        if feature is not None:
            thing = Thing(interest.kind, interest.key, interest.label)
            profile.follows[feature] = (FOLLOW_WEIGHTS[interest.kind], _because(thing))
    learned: dict[str, float] = {}
    labels: dict[str, str] = {}
    for reaction in feedback:
        info = feedback_info.get(reaction.article_id)
        if info is None:
            continue
        pairs, vector, title = info
        weight = FEEDBACK_WEIGHTS[reaction.kind]
        for name, label in pairs:
            share = LEARNED_SHARE.get(name.split(":", 1)[0], 1.0)
            learned[name] = learned.get(name, 0.0) + weight * share
            labels.setdefault(name, label)
        if vector is not None and reaction.kind == "more":
            profile.liked.append((vector, title or "an article you liked"))
        elif vector is not None and reaction.kind == "less":
            profile.disliked.append(vector)
    for name, weight in learned.items():
        feature = pool.feature(name)
        if feature is not None and abs(weight) >= LEARNED_FLOOR:
            profile.learned[feature] = max(-1.0, min(1.0, weight))
    # Muted source/section features drop only their articles, not the whole story.
    for name in profile.member_mutes:
        feature = pool.feature(name)
        if feature is not None:
            profile.story_mutes.discard(feature)
    return profile


def rank(
    pool: Pool,
    profile: Profile,
    limit: int,
    exclude: Iterable[int] = (),
    since: datetime | None = None,
) -> list[Pick]:
    """The reader's best ``limit`` stories from the pool, most relevant first: stories in
    ``exclude`` (rows already sent to them) and those first seen before ``since`` left out."""
    size = len(pool)
    if size == 0 or limit <= 0:
        return []
    followed = np.zeros(size, dtype=np.float32)
    for feature, (weight, _reason) in profile.follows.items():
        followed[pool.postings[feature]] += weight
    learned = np.zeros(size, dtype=np.float32)
    for feature, weight in profile.learned.items():
        if feature not in profile.follows:  # what is followed explicitly is not relearned
            learned[pool.postings[feature]] += weight
    # Feedback moves a followed story down, never out: only a mute takes it out.
    relevance = np.maximum(followed + learned, FOLLOW_FLOOR * followed)
    candidate = (followed > 0) | (learned >= LEARNED_CANDIDATE)
    similarity = _similarity(pool, profile)
    if similarity is not None:
        boost = np.clip(similarity - SIMILARITY_FLOOR, 0.0, None) * SIMILARITY_WEIGHT
        relevance += boost.astype(np.float32)
        candidate |= similarity >= SIMILARITY_FLOOR + 0.1
    for feature in profile.story_mutes:
        candidate[pool.postings[feature]] = False
    if since is not None:
        candidate &= pool.first_seen_ts >= since.timestamp()
    excluded = [row for row in exclude if 0 <= row < size]
    if excluded:
        candidate[np.asarray(excluded, dtype=np.int64)] = False
    scores = np.where(candidate & (relevance > 0), relevance * pool.prior, 0.0).astype(np.float64)
    return _greedy(pool, profile, scores, similarity, limit)


def _similarity(pool: Pool, profile: Profile) -> npt.NDArray[np.float32] | None:
    if not profile.liked:
        return None
    centroid = np.mean([vector for vector, _title in profile.liked], axis=0)
    if profile.disliked:
        centroid = centroid - 0.5 * np.mean(profile.disliked, axis=0)
    norm = float(np.linalg.norm(centroid))
    if norm == 0:
        return None
    result: npt.NDArray[np.float32] = pool.embeddings @ (centroid / norm).astype(np.float32)
    return result


def _greedy(
    pool: Pool,
    profile: Profile,
    scores: npt.NDArray[np.float64],
    similarity: npt.NDArray[np.float32] | None,
    limit: int,
) -> list[Pick]:
    wanted = min(int(np.count_nonzero(scores)), limit * SHORTLIST)
    if wanted == 0:
        return []
    shortlist = np.argpartition(-scores, wanted - 1)[:wanted]
    remaining: dict[int, float] = {int(row): float(scores[row]) for row in shortlist}
    outlet_uses: dict[str, int] = {}
    reason_uses: dict[str, int] = {}
    picks: list[Pick] = []
    cache: dict[int, tuple[tuple[str, ...], Member | None, tuple[str, ...]]] = {}
    while remaining and len(picks) < limit:
        best_row, best_score = -1, 0.0
        for row, base in remaining.items():
            if row not in cache:
                cache[row] = _explain(pool, profile, row, similarity)
            reasons, member, _outlets = cache[row]
            if member is None:
                continue
            score = base * SAME_OUTLET_PENALTY ** outlet_uses.get(member.outlet, 0)
            if reasons:
                score *= SAME_REASON_PENALTY ** reason_uses.get(reasons[0], 0)
            if score > best_score:
                best_row, best_score = row, score
        if best_row < 0:
            break
        reasons, member, outlets = cache[best_row]
        del remaining[best_row]
        assert member is not None
        outlet_uses[member.outlet] = outlet_uses.get(member.outlet, 0) + 1
        if reasons:
            reason_uses[reasons[0]] = reason_uses.get(reasons[0], 0) + 1
        picks.append(
            Pick(
                row=best_row,
                article_id=member.article_id,
                score=best_score,
                reasons=reasons,
                outlets=outlets,
                article_ids=tuple(m.article_id for m in pool.members[best_row]),
            )
        )
    return picks


def _explain(
    pool: Pool, profile: Profile, row: int, similarity: npt.NDArray[np.float32] | None
) -> tuple[tuple[str, ...], Member | None, tuple[str, ...]]:
    """Reasons (strongest first), the article to show and the outlets of one story."""
    features = pool.story_features[row]
    weighed: list[tuple[float, str]] = []
    for feature in features:
        follow = profile.follows.get(feature)
        if follow is not None:
            weighed.append((follow[0] + 0.001, follow[1]))
    for feature in features:
        weight = profile.learned.get(feature, 0.0)
        if weight >= LEARNED_FLOOR and feature not in profile.follows:
            label = pool.feature_labels[feature]
            about = "from" if pool.feature_kinds[feature] == "source" else "about"
            weighed.append((weight, f"because you liked stories {about} {label}"))
    if similarity is not None and profile.liked:
        vector = pool.embeddings[row]
        nearest = max(profile.liked, key=lambda liked: float(liked[0] @ vector))
        closeness = float(nearest[0] @ vector)
        if closeness >= SIMILARITY_FLOOR:
            weighed.append((closeness, f"because it is like “{nearest[1]}”, which you liked"))
    weighed.sort(key=lambda item: -item[0])
    reasons = tuple(dict.fromkeys(reason for _weight, reason in weighed))
    member = _best_member(pool, profile, row)
    if member is None:
        return reasons, None, ()
    others = [m.outlet for m in _visible(pool, profile, row) if m.outlet != member.outlet]
    outlets = tuple(dict.fromkeys([member.outlet, *others]))
    return reasons, member, outlets


def _visible(pool: Pool, profile: Profile, row: int) -> list[Member]:
    if not profile.member_mutes:
        return list(pool.members[row])
    return [
        member
        for member in pool.members[row]
        if f"source:{member.source}" not in profile.member_mutes
        and not (member.section and section_feature(member.section) in profile.member_mutes)
    ]


def _best_member(pool: Pool, profile: Profile, row: int) -> Member | None:
    """The article to show: in the reader's language, from a source they follow, an original
    rather than a syndicated copy, the story's representative, the earliest."""
    members = _visible(pool, profile, row)
    if not members:
        return None
    representative = pool.representative[row]

    def preference(member: Member) -> tuple[bool, bool, bool, bool, object]:
        return (
            bool(profile.language) and member.language != profile.language,
            member.source not in profile.followed_sources,
            member.is_copy,
            member.article_id != representative,
            member.when,
        )

    best = min(members, key=preference)
    if profile.language and best.language and best.language != profile.language:
        return None
    return best


def _because(thing: Thing) -> str:
    if thing.kind == "phrase":
        return f"because it mentions {thing.describe()}"
    return f"because you follow {thing.describe()}"
