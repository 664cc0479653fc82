"""How a pick is put into words, the same in the email, on the web page and in the feed:
untrusted text made one clean line, leads cut at a word, reasons as one sentence (worded by
:mod:`handpicked.pick.reasons`), and "also covered by"."""

from __future__ import annotations

import re
from collections.abc import Sequence

from handpicked.pick.digest import DigestItem
from handpicked.pick.reasons import sentence

LEAD_CHARS = 300
NAMED_OUTLETS = 5
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
_SPACE = re.compile(r"\s+")


def clean(value: str | None) -> str:
    """One line of text: control characters out, runs of whitespace made one space."""
    if not value:
        return ""
    return _SPACE.sub(" ", _CONTROL.sub("", value)).strip()


def excerpt(text: str | None, limit: int = LEAD_CHARS) -> str:
    """The first ``limit`` characters or so of ``text``, cut at a word, "…" when cut."""
    text = clean(text)
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > limit // 2 else text[:limit]
    return cut.rstrip(" ,;:.-–—") + "…"


def reasons_sentence(reasons: Sequence[str]) -> str:
    """A pick's worded reasons (:attr:`DigestItem.reasons`) as the one sentence every
    channel shows: "Picked because you follow Vladimir Putin and because it mentions
    “IRGC”." (see :func:`handpicked.pick.reasons.sentence`)."""
    return sentence([clean(reason) for reason in reasons])


def also_covered(item: DigestItem, named: int = NAMED_OUTLETS) -> str:
    """ "Also covered by 3 outlets: A, B and 1 more" (empty when no one else did)."""
    count = item.also_covered_by
    if count <= 0:
        return ""
    others = [o for o in (clean(o) for o in item.outlets[1:]) if o]
    noun = "outlet" if count == 1 else "outlets"
    if not others:
        return f"Also covered by {count} {noun}"
    names = ", ".join(others[:named])
    rest = count - min(len(others), named)
    return f"Also covered by {count} {noun}: {names}" + (f" and {rest} more" if rest else "")
