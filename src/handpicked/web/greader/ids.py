"""Item and stream ids in the Google Reader API's formats.

An item (an article) has two spellings: the long form ``tag:google.com,2005:reader/item/``
followed by 16 hex digits, and the short form, the same 64-bit number in decimal. Apps send
either back (and some send the 16 hex digits alone), so :func:`parse_item_id` takes all three.
Streams are ``feed/<source id>``, ``user/-/label/<name>`` and ``user/-/state/com.google/<state>``,
where ``-`` may also be the reader's own id.
"""

from __future__ import annotations

import re

from handpicked.desk.greader import PICKS_LABEL, Stream, StreamKind

LONG_PREFIX = "tag:google.com,2005:reader/item/"
STATE = "user/-/state/com.google/"
READING_LIST = STATE + "reading-list"
READ = STATE + "read"
STARRED = STATE + "starred"
KEPT_UNREAD = STATE + "kept-unread"
PICKS = f"user/-/label/{PICKS_LABEL}"
_HEX16 = re.compile(r"[0-9a-fA-F]{16}")
_DECIMAL = re.compile(r"-?[0-9]{1,20}")
_USER = re.compile(r"^user/(?:-|[0-9]{1,18})/")
_LIMIT = 1 << 64
_STATES: dict[str, StreamKind] = {"reading-list": "all", "read": "read", "starred": "starred"}


def long_item_id(article_id: int) -> str:
    return f"{LONG_PREFIX}{article_id:016x}"


def short_item_id(article_id: int) -> str:
    return str(article_id)


def parse_item_id(text: str) -> int | None:
    """The article id an app sent in any of the three spellings; None if it is none of them
    (or names no article a database could hold)."""
    text = text.strip()
    if text.startswith(LONG_PREFIX):
        digits = text[len(LONG_PREFIX) :]
        value = int(digits, 16) if _HEX16.fullmatch(digits) else None
    elif _DECIMAL.fullmatch(text):
        value = int(text) % _LIMIT  # Google's short ids are signed 64-bit numbers
    elif _HEX16.fullmatch(text):
        value = int(text, 16)
    else:
        value = None
    if value is None or not 0 < value < (1 << 63):
        return None
    return value


def source_stream(source_id: int) -> str:
    return f"feed/{source_id}"


def normalise_user(stream_id: str) -> str:
    """``user/<reader id>/...`` as ``user/-/...``."""
    return _USER.sub("user/-/", stream_id.strip(), count=1)


def parse_stream(stream_id: str) -> Stream | None:
    """The stream an id names; None for a stream the desk does not have."""
    text = normalise_user(stream_id)
    if text.startswith("feed/"):
        rest = text[len("feed/") :]
        if rest.isdigit() and len(rest) <= 18:
            return Stream("source", source_id=int(rest))
        return Stream("source", source_url=rest) if rest else None
    if text.startswith(STATE):
        kind = _STATES.get(text[len(STATE) :])
        return Stream(kind) if kind else None
    if text.casefold() == PICKS.casefold():
        return Stream("picks")
    return None


def stream_id(stream: Stream) -> str:
    """The id an app knows ``stream`` by."""
    if stream.kind == "source" and stream.source_id is not None:
        return source_stream(stream.source_id)
    return {"all": READING_LIST, "read": READ, "starred": STARRED, "picks": PICKS}.get(
        stream.kind, READING_LIST
    )
