"""A story's article as the understand stage reads it, for tests that build stories by hand."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Piece:
    id: int
    title: str | None
    paragraphs: tuple[str, ...]
    site_name: str | None = "Paper"
    duplicate_of: int | None = None
    entities: Sequence[Mapping[str, Any]] = ()
    url: str | None = None
    canonical_url: str = ""
