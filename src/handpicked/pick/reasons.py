"""Why a story was picked: the reasons ranking finds, as records, and the one place they are
put into words, so that the email, the pages, the Atom feed and the API say the same thing.

Ranking knows *what* matched (a followed person, a liked topic, a liked article the story is
like); only this module knows how that reads. A reader sees at most :data:`SHOWN` reasons,
the strongest first, then how many more there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

ReasonKind = Literal["follow", "liked", "like"]
"""follow: the article has something the reader follows; liked: it has something of the
articles they liked; like: it is close to one article they liked."""
ThingKind = Literal["entity", "topic", "source", "section", "phrase", "search", "article"]

SHOWN = 3
"""How many reasons a reader is shown; the rest are counted ("and 2 more")."""


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason a story was picked, about the article shown."""

    kind: ReasonKind
    thing: ThingKind
    label: str
    """The followed or liked thing as people name it ("Vladimir Putin", "Politics",
    "bbc.co.uk", "Florida Man"), or the title of the liked article."""
    weight: float = field(default=0.0, compare=False)
    """How much it counted in the story's relevance (not part of what the reason is)."""

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "thing": self.thing, "label": self.label}


def clause(reason: Reason) -> str:
    """One reason in words: "because you follow Vladimir Putin"."""
    if reason.kind == "like":
        return f"because it is like “{reason.label}”, which you liked"
    if reason.kind == "liked":
        return f"because you liked stories {_liked(reason)}"
    if reason.thing == "phrase":
        return f"because it mentions “{reason.label}”"
    if reason.thing == "search":
        return f"because it matches your search “{reason.label}”"
    return f"because you follow {_described(reason)}"


def worded(reasons: Sequence[Reason], shown: int = SHOWN) -> tuple[str, ...]:
    """What a reader is shown: the first ``shown`` reasons in words, then "N more" when
    there are others (``reasons`` come strongest first; repeats are dropped)."""
    clauses = tuple(dict.fromkeys(clause(reason) for reason in reasons))
    if len(clauses) <= shown:
        return clauses
    return (*clauses[:shown], more(len(clauses) - shown))


def more(count: int) -> str:
    """The last item when reasons were left out: "2 more"."""
    return f"{count} more"


def sentence(clauses: Sequence[str]) -> str:
    """The worded reasons as one sentence: "Picked because you follow Vladimir Putin, because
    it mentions “IRGC”, because you follow the topic Politics, and 2 more."; "" for none."""
    parts = [" ".join(part.split()).rstrip(".").strip() for part in clauses]
    parts = [part for part in parts if part]
    if not parts:
        return ""
    if len(parts) <= 2:
        return "Picked " + " and ".join(parts) + "."
    return "Picked " + ", ".join(parts[:-1]) + f", and {parts[-1]}."


def _liked(reason: Reason) -> str:
    if reason.thing == "source":
        return f"from {reason.label}"
    if reason.thing == "section":
        return f"in the section {reason.label}"
    return f"about {reason.label}"


def _described(reason: Reason) -> str:
    if reason.thing == "topic":
        return f"the topic {reason.label}"
    if reason.thing == "section":
        return f"the section {reason.label}"
    if reason.thing == "phrase":
        return f"“{reason.label}”"
    return reason.label
