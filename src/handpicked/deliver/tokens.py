"""Signed tokens for the links in a digest: one-click unsubscribe and "more / less like this".

Each purpose signs with its own salt, so a token made for one never verifies for the other.
The tokens carry no timestamp and never expire: an unsubscribe link in a years-old email must
still work (RFC 8058), and so should its feedback links. Changing the secret key invalidates
every link already sent.
"""

from __future__ import annotations

from typing import Any

from itsdangerous import BadData, URLSafeSerializer

from handpicked.errors import HandpickedError

UNSUBSCRIBE_SALT = "handpicked.deliver.unsubscribe"
FEEDBACK_SALT = "handpicked.deliver.feedback"
READ_SALT = "handpicked.deliver.read"
READ_KINDS = ("article", "story")
FEEDBACK_LINK_KINDS = ("more", "less")
"""The feedback a digest link can carry (``opened`` is recorded otherwise)."""


class BadToken(HandpickedError, ValueError):
    """A token that is not one of ours: tampered with, truncated, or made for another purpose."""


class Tokens:
    """Makes and reads the signed tokens in digest links with one secret key."""

    __slots__ = ("_feedback", "_read", "_unsubscribe")

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("Tokens needs a non-empty secret key")
        self._unsubscribe = URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT)
        self._feedback = URLSafeSerializer(secret, salt=FEEDBACK_SALT)
        self._read = URLSafeSerializer(secret, salt=READ_SALT)

    def __repr__(self) -> str:  # never show the secret
        return "Tokens(secret=<hidden>)"

    def unsubscribe_token(self, reader_id: int) -> str:
        """The token in a reader's unsubscribe link."""
        return str(self._unsubscribe.dumps(_id(reader_id, "reader id")))

    def read_unsubscribe(self, token: str) -> int:
        """The reader id an unsubscribe token was made for; :class:`BadToken` if it is not valid."""
        payload = _load(self._unsubscribe, token, "unsubscribe")
        if not _is_id(payload):
            raise BadToken("this unsubscribe link is not valid (unexpected contents)")
        return int(payload)

    def feedback_token(self, reader_id: int, article_id: int, kind: str) -> str:
        """The token in a "more like this" (``kind="more"``) or "less like this" link."""
        if kind not in FEEDBACK_LINK_KINDS:
            raise ValueError(f"feedback kind must be one of {FEEDBACK_LINK_KINDS}, not {kind!r}")
        payload = [_id(reader_id, "reader id"), _id(article_id, "article id"), kind]
        return str(self._feedback.dumps(payload))

    def read_feedback(self, token: str) -> tuple[int, int, str]:
        """``(reader_id, article_id, kind)`` from a feedback token; :class:`BadToken` if invalid."""
        payload = _load(self._feedback, token, "feedback")
        if (
            not isinstance(payload, list)
            or len(payload) != 3
            or not _is_id(payload[0])
            or not _is_id(payload[1])
            or payload[2] not in FEEDBACK_LINK_KINDS
        ):
            raise BadToken("this feedback link is not valid (unexpected contents)")
        return int(payload[0]), int(payload[1]), str(payload[2])

    def read_token(self, kind: str, item_id: int) -> str:
        """The token that lets a link from an email open one article or story signed out."""
        if kind not in READ_KINDS:
            raise ValueError(f"kind must be one of {READ_KINDS}, not {kind!r}")
        return str(self._read.dumps([kind, _id(item_id, f"{kind} id")]))

    def can_read(self, token: str, kind: str, item_id: int) -> bool:
        """Whether ``token`` was made by :meth:`read_token` for this article or story."""
        try:
            payload = _load(self._read, token, "reading")
        except BadToken:
            return False
        return bool(payload == [kind, item_id])


def _load(serializer: URLSafeSerializer, token: str, purpose: str) -> Any:
    if not isinstance(token, str) or not token:
        raise BadToken(f"this {purpose} link is not valid (no token)")
    try:
        return serializer.loads(token)
    except BadData as exc:
        raise BadToken(
            f"this {purpose} link is not valid: it was changed, cut short, or not made by us"
        ) from exc


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _id(value: int, what: str) -> int:
    if not _is_id(value):
        raise ValueError(f"{what} must be a non-negative int, not {value!r}")
    return value
