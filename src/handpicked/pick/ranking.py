"""Ranking a pool of stories for one reader, with the reasons for every pick.

A story's score is relevance × prior. Relevance adds up what the reader follows that the
story has (entities and phrases weigh most, then sources, sections and topics), the weights
learned from their feedback on the same features, and how close the story's embedding is to
what they liked. The prior is freshness (half-life 36 h) times coverage (more outlets, a
bigger story). Mutes always win: a muted entity, topic or phrase drops the story, a muted
source or section drops that outlet's article (the story may still come from another).
Picking is greedy with diversity: each pick from the same outlet, or for the same reason,
lowers the next ones' scores, so one source or one follow cannot fill the digest.

Reasons are :class:`~handpicked.pick.reasons.Reason` records (:mod:`handpicked.pick.reasons`
words them) and are true of the article shown, not of the story: they come from that
article's own entities, topics, source and section. A followed thing is said once, as
followed, never also as liked. Opening an article is a weaker signal than liking it: it
nudges the ranking a little (at most :data:`OPENED_CAP` per feature), never makes a story a
candidate and is never given as a reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast, get_args

import numpy as np
import numpy.typing as npt

from handpicked.pick.interests import Thing
from handpicked.pick.pool import Member, Pool, Vector, entity_feature, section_feature
from handpicked.pick.reasons import Reason, ThingKind
from handpicked.store import FeedbackRecord, InterestRecord, ReaderRecord

FOLLOW_WEIGHTS = {
    "entity": 1.0, "phrase": 1.0, "search": 1.0, "source": 0.6, "section": 0.5, "topic": 0.5
}  # fmt: skip
FEEDBACK_WEIGHTS = {"more": 0.35, "less": -0.5}
OPENED_WEIGHT = 0.08
OPENED_CAP = 0.15
"""However often the reader opened articles with a feature, it gains at most this much."""
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
_THING_KINDS = frozenset(get_args(ThingKind))


@dataclass(frozen=True, slots=True)
class LikedArticle:
    """An article the reader liked: its unit embedding, title and id."""

    vector: Vector
    title: str
    article_id: int


@dataclass
class Profile:
    """What a reader wants, in the pool's feature ids."""

    follows: dict[int, tuple[float, Reason]] = field(default_factory=dict)
    """feature → (weight, the reason it gives)."""
    followed_labels: set[str] = field(default_factory=set)
    """Every followed thing's name, case-folded: such a thing is never also "liked"."""
    learned: dict[int, float] = field(default_factory=dict)
    """From "more" and "less": what the reader liked or did not, and can be told."""
    nudges: dict[int, float] = field(default_factory=dict)
    """From "opened": a small push in the ranking, never a reason."""
    story_mutes: set[int] = field(default_factory=set)
    member_mutes: set[str] = field(default_factory=set)
    """Muted source and section features, applied to each article of a story."""
    followed_sources: set[str] = field(default_factory=set)
    liked: list[LikedArticle] = field(default_factory=list)
    disliked: list[Vector] = field(default_factory=list)
    reasons: dict[int, Reason] = field(default_factory=dict)
    """feature → the reason it gives: what the reader follows, and what they liked that
    they do not follow."""
    liked_rows: set[int] = field(default_factory=set)
    """Pool rows of the stories that hold a liked article: not picked for being liked."""
    language: str | None = None
    has_follows: bool = False


@dataclass(frozen=True, slots=True)
class Pick:
    """A chosen story: its pool row, the article to show, and why (strongest first)."""

    row: int
    article_id: int
    score: float
    reasons: tuple[Reason, ...]
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
    rows_of_article: Mapping[int, int] | None = None,
) -> Profile:
    """Turn a reader's follows, mutes and feedback into weights on the pool's features.

    ``rows_of_article`` (article id → pool row) lets a liked article's own story be known,
    so that it is not picked for being like itself."""
    profile = Profile(language=reader.language)
    for interest in interests:
        name = feature_name(interest)
        if interest.mode == "follow":
            profile.has_follows = True
            profile.followed_labels.add(interest.label.casefold())
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
            profile.follows[feature] = (FOLLOW_WEIGHTS[interest.kind], _followed(thing))
    learned: dict[str, float] = {}
    opened: dict[str, float] = {}
    for reaction in feedback:
        info = feedback_info.get(reaction.article_id)
        if info is None:
            continue
        pairs, vector, title = info
        if reaction.kind == "opened":
            for name, _label in pairs:
                share = LEARNED_SHARE.get(name.split(":", 1)[0], 1.0)
                opened[name] = opened.get(name, 0.0) + OPENED_WEIGHT * share
            continue
        weight = FEEDBACK_WEIGHTS[reaction.kind]
        for name, _label in pairs:
            share = LEARNED_SHARE.get(name.split(":", 1)[0], 1.0)
            learned[name] = learned.get(name, 0.0) + weight * share
        if vector is not None and reaction.kind == "more":
            liked = LikedArticle(vector, title or "an article you liked", reaction.article_id)
            profile.liked.append(liked)
            row = (rows_of_article or {}).get(reaction.article_id)
            if row is not None:
                profile.liked_rows.add(row)
        elif vector is not None and reaction.kind == "less":
            profile.disliked.append(vector)
    for name, weight in learned.items():
        feature = pool.feature(name)
        if feature is not None and abs(weight) >= LEARNED_FLOOR:
            profile.learned[feature] = max(-1.0, min(1.0, weight))
    for name, weight in opened.items():
        feature = pool.feature(name)
        if feature is not None:
            profile.nudges[feature] = min(weight, OPENED_CAP)
    # Muted source/section features drop only their articles, not the whole story.
    for name in profile.member_mutes:
        feature = pool.feature(name)
        if feature is not None:
            profile.story_mutes.discard(feature)
    profile.reasons = {feature: reason for feature, (_weight, reason) in profile.follows.items()}
    for feature, weight in profile.learned.items():
        label = pool.feature_labels[feature]
        if (
            weight >= LEARNED_FLOOR
            and feature not in profile.reasons
            and label.casefold() not in profile.followed_labels
        ):
            kind = _thing_kind(pool.feature_kinds[feature])
            profile.reasons[feature] = Reason("liked", kind, label, weight)
    return profile


def rank(
    pool: Pool,
    profile: Profile,
    limit: int,
    exclude: Iterable[int] = (),
    since: datetime | None = None,
    outside: npt.NDArray[np.bool_] | None = None,
    follow_outside: bool = False,
) -> list[Pick]:
    """The reader's best ``limit`` stories from the pool, most relevant first: stories in
    ``exclude`` (rows already sent to them) and those first seen before ``since`` left out.
    Rows marked ``outside`` (from none of the reader's sources) are left out too, unless
    ``follow_outside`` lets what the reader follows explicitly pick them."""
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
    if profile.liked_rows:  # a liked story is not picked, nor raised, for being liked
        rows = np.fromiter(profile.liked_rows, dtype=np.int64)
        learned[rows] = np.minimum(learned[rows], 0.0)
    # Feedback moves a followed story down, never out: only a mute takes it out.
    relevance = np.maximum(followed + learned, FOLLOW_FLOOR * followed)
    candidate = (followed > 0) | (learned >= LEARNED_CANDIDATE)
    for feature, weight in profile.nudges.items():
        if feature not in profile.follows:
            relevance[pool.postings[feature]] += weight
    similarity = _similarity(pool, profile)
    if similarity is not None:
        boost = np.clip(similarity - SIMILARITY_FLOOR, 0.0, None) * SIMILARITY_WEIGHT
        relevance += boost.astype(np.float32)
        candidate |= similarity >= SIMILARITY_FLOOR + 0.1
    for feature in profile.story_mutes:
        candidate[pool.postings[feature]] = False
    if since is not None:
        candidate &= pool.first_seen_ts >= since.timestamp()
    if outside is not None:
        candidate &= ~outside | (followed > 0) if follow_outside else ~outside
    excluded = [row for row in exclude if 0 <= row < size]
    if excluded:
        candidate[np.asarray(excluded, dtype=np.int64)] = False
    scores = np.where(candidate & (relevance > 0), relevance * pool.prior, 0.0).astype(np.float64)
    return _greedy(pool, profile, scores, similarity, limit)


def is_muted(pool: Pool, profile: Profile, row: int) -> bool:
    """Whether the reader mutes something the story has (an entity, topic or phrase)."""
    return any(feature in profile.story_mutes for feature in pool.story_features[row])


def _similarity(pool: Pool, profile: Profile) -> npt.NDArray[np.float32] | None:
    if not profile.liked:
        return None
    centroid = np.mean([liked.vector for liked in profile.liked], axis=0)
    if profile.disliked:
        centroid = centroid - 0.5 * np.mean(profile.disliked, axis=0)
    norm = float(np.linalg.norm(centroid))
    if norm == 0:
        return None
    result: npt.NDArray[np.float32] = pool.embeddings @ (centroid / norm).astype(np.float32)
    if profile.liked_rows:  # a liked story is not "like" itself
        result[np.fromiter(profile.liked_rows, dtype=np.int64)] = 0.0
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
    """How often each top reason was used, by :func:`_key`."""
    picks: list[Pick] = []
    cache: dict[int, tuple[tuple[Reason, ...], Member | None, tuple[str, ...], str]] = {}
    while remaining and len(picks) < limit:
        best_row, best_score = -1, 0.0
        for row, base in remaining.items():
            if row not in cache:
                reasons, member, outlets = _explain(pool, profile, row, similarity)
                cache[row] = (reasons, member, outlets, _key(reasons[0]) if reasons else "")
            _reasons, member, _outlets, key = cache[row]
            if member is None:
                continue
            score = base * SAME_OUTLET_PENALTY ** outlet_uses.get(member.outlet, 0)
            score *= SAME_REASON_PENALTY ** reason_uses.get(key, 0)
            if score > best_score:
                best_row, best_score = row, score
        if best_row < 0:
            break
        reasons, member, outlets, key = cache[best_row]
        del remaining[best_row]
        assert member is not None
        outlet_uses[member.outlet] = outlet_uses.get(member.outlet, 0) + 1
        reason_uses[key] = reason_uses.get(key, 0) + 1
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
) -> tuple[tuple[Reason, ...], Member | None, tuple[str, ...]]:
    """The article to show, its reasons (strongest first) and the story's outlets; no
    article when none that the reader may see has anything true to be picked for."""
    members = _visible(pool, profile, row)
    if not members:
        return (), None, ()
    chosen = _best_member(pool, profile, row, members)
    if chosen is None:
        return (), None, ()
    member, weighed = chosen
    like = _like(pool, profile, row, similarity)
    if like is not None:
        weighed.append(like)
    if not weighed:
        return (), None, ()
    reasons = tuple(sorted(weighed, key=lambda reason: -reason.weight))
    others = [m.outlet for m in members if m.outlet != member.outlet]
    outlets = tuple(dict.fromkeys([member.outlet, *others]))
    return reasons, member, outlets


def _key(reason: Reason) -> str:
    """A reason as a string, which hashes once (a record hashes its fields every time)."""
    return f"{reason.kind}\t{reason.thing}\t{reason.label}"


def _reasons_of(profile: Profile, member: Member, with_liked: bool) -> list[Reason]:
    """What one article is picked for: what it has that the reader follows, then (unless
    it is in the story of a liked article) what it has of the articles they liked."""
    found = [profile.reasons[f] for f in member.features if f in profile.reasons]
    followed = [reason for reason in found if reason.kind == "follow"]
    if not with_liked or len(followed) == len(found):
        return followed
    return followed + [reason for reason in found if reason.kind != "follow"]


def _like(
    pool: Pool, profile: Profile, row: int, similarity: npt.NDArray[np.float32] | None
) -> Reason | None:
    """ "Like “X”, which you liked" for the nearest liked article that is not in the story."""
    if similarity is None or not profile.liked or row in profile.liked_rows:
        return None
    own = {member.article_id for member in pool.members[row]}
    vector = pool.embeddings[row]
    best: tuple[float, LikedArticle] | None = None
    for liked in profile.liked:
        if liked.article_id in own:
            continue
        closeness = float(liked.vector @ vector)
        if closeness >= SIMILARITY_FLOOR and (best is None or closeness > best[0]):
            best = (closeness, liked)
    if best is None:
        return None
    return Reason("like", "article", best[1].title, best[0])


def _visible(pool: Pool, profile: Profile, row: int) -> list[Member]:
    if not profile.member_mutes:
        return list(pool.members[row])
    return [
        member
        for member in pool.members[row]
        if f"source:{member.source}" not in profile.member_mutes
        and not (member.section and section_feature(member.section) in profile.member_mutes)
    ]


def _best_member(
    pool: Pool, profile: Profile, row: int, members: Sequence[Member]
) -> tuple[Member, list[Reason]] | None:
    """The article to show and its own reasons: in the reader's language, from a source
    they follow, one that has what they follow or liked, an original rather than a
    syndicated copy, the story's representative, the earliest. None when no article is in
    the reader's language."""
    with_liked = row not in profile.liked_rows
    if len(members) == 1:  # most stories: no choice to make
        member = members[0]
        if profile.language and member.language and member.language != profile.language:
            return None
        return member, _reasons_of(profile, member, with_liked)
    group = list(members)
    language, followed = profile.language, profile.followed_sources
    if language or followed:  # the reader's language first, then the sources they follow
        keyed = [
            ((bool(language) and m.language != language, m.source not in followed), m)
            for m in members
        ]
        best = min(key for key, _member in keyed)
        group = [member for key, member in keyed if key == best]
        if best[0]:  # none in the reader's language: one whose language is unknown, or none
            group = [member for member in group if not member.language]
            if not group:
                return None
    representative = pool.representative[row]

    def then(member: Member) -> tuple[bool, bool, datetime]:
        return (member.is_copy, member.article_id != representative, member.when)

    # Reasons are worked out only until an article has some: mostly the first one tried.
    chosen = min(group, key=then)
    reasons = _reasons_of(profile, chosen, with_liked)
    if reasons or len(group) == 1:
        return chosen, reasons
    for member in sorted(group, key=then):
        reasons = _reasons_of(profile, member, with_liked)
        if reasons:
            return member, reasons
    return chosen, []


def _thing_kind(feature_kind: str) -> ThingKind:
    return cast(ThingKind, feature_kind) if feature_kind in _THING_KINDS else "entity"


def _followed(thing: Thing) -> Reason:
    return Reason("follow", _thing_kind(thing.kind), thing.label, FOLLOW_WEIGHTS[thing.kind])
