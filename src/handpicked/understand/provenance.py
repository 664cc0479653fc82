"""Who actually reported a story: independent reports versus copies of one origin.

Twelve outlets carrying a story can be three reports and nine copies of one agency's text.
A story's articles are grouped by what shows they share one origin:

- a near-duplicate fingerprint (``duplicate_of``: the copy joins its original);
- a syndication line ("This story originally appeared in ProPublica");
- a wire credit in the byline ("By The Associated Press") or the dateline
  ("KATHMANDU, Nepal (AP) —", "LONDON, March 3 (Reuters) -");
- the same editor credits ("Edited by A and B") on articles that are not each other's copies.

Each group is one report; every other member of it is a copy. A group is named after the
origin it credits, else after the agency in a photo credit that its members share ("AP
Photo/…"), else after the outlet of its original. Rule-based and explainable: every copy
can say why it counts as one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

#: Wire agencies and the forms their names take in bylines, datelines and credits. Short
#: forms ("AP", "PA") are matched only as a whole credit, never inside a word.
AGENCIES: dict[str, tuple[str, ...]] = {
    "AP": ("AP", "Associated Press", "The Associated Press", "AP News"),
    "Reuters": ("Reuters", "Thomson Reuters"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "dpa": ("dpa", "DPA", "Deutsche Presse-Agentur"),
    "EFE": ("EFE", "Agencia EFE"),
    "ANSA": ("ANSA",),
    "PA Media": ("PA", "PA Media", "Press Association", "PA Wire"),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Xinhua": ("Xinhua", "Xinhua News Agency"),
    "UPI": ("UPI", "United Press International"),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "The Canadian Press": ("CP", "The Canadian Press", "Canadian Press"),
    "AAP": ("AAP", "Australian Associated Press"),
    "Yonhap": ("Yonhap", "Yonhap News Agency"),
    "TASS": ("TASS",),
    "Anadolu": ("Anadolu", "Anadolu Agency", "AA"),
    "Europa Press": ("Europa Press",),
    "PTI": ("PTI", "Press Trust of India"),
    "IANS": ("IANS",),
    "ANI": ("ANI",),
    "Jiji Press": ("Jiji", "Jiji Press"),
    "KNA": ("KNA",),
    "epd": ("epd",),
    "APA": ("APA",),
    "Keystone-SDA": ("SDA", "Keystone-SDA", "ATS"),
    "Belga": ("Belga",),
    "ANP": ("ANP",),
    "NTB": ("NTB",),
    "Ritzau": ("Ritzau",),
    "Lusa": ("Lusa",),
    "Interfax": ("Interfax",),
    "Bernama": ("Bernama",),
    "Antara": ("Antara",),
    "PAP": ("PAP",),
}
_AGENCY_OF: dict[str, str] = {
    form.casefold(): name for name, forms in AGENCIES.items() for form in forms
}
_BYLINE_NOISE = re.compile(r"^\s*(?:by|von|par|por)\s+|\s+(?:staff|reporters?|wire|news desk)\s*$",
                           re.I)  # fmt: skip
#: "CITY (AP) —", "LONDON, March 3 (Reuters) -", "Berlin (dpa) -": a credit in parentheses
#: near the start of the first paragraph, followed by a dash or colon.
_DATELINE = re.compile(r"^[^()\n]{0,80}?\(([^()]{2,40})\)\s*[-–—:]")
_CREDIT_PART = re.compile(r"[/|,;()]|\s+(?:via|for|and)\s+", re.I)


class ArticleLike(Protocol):
    """What provenance reads of an article: ``StoredArticle`` qualifies."""

    @property
    def id(self) -> int: ...
    @property
    def site_name(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def canonical_url(self) -> str: ...
    @property
    def duplicate_of(self) -> int | None: ...
    @property
    def syndicated_from(self) -> str | None: ...
    @property
    def authors(self) -> Sequence[str]: ...
    @property
    def editors(self) -> Sequence[str]: ...
    @property
    def paragraphs(self) -> Sequence[str]: ...
    @property
    def images(self) -> Sequence[Any]: ...


@dataclass(frozen=True, slots=True)
class CopyGroup:
    """Copies of one origin: "9 copies of AP"."""

    origin: str
    copies: int


@dataclass(frozen=True, slots=True)
class Provenance:
    """How many independent reports a story has, and how many copies of which origin."""

    reports: int
    copies: tuple[CopyGroup, ...] = ()
    copy_ids: frozenset[int] = frozenset()
    """The articles that are copies (not the report of their group)."""

    @property
    def copy_count(self) -> int:
        return sum(group.copies for group in self.copies)

    def words(self) -> str:
        """ "3 reports, 9 copies of AP" ("1 report" when nothing was copied)."""
        text = f"{self.reports} report{'' if self.reports == 1 else 's'}"
        parts = [
            f"{g.copies} cop{'y' if g.copies == 1 else 'ies'} of {g.origin}" for g in self.copies
        ]
        if parts:
            text += ", " + ", ".join(parts)
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "copies": [{"origin": g.origin, "copies": g.copies} for g in self.copies],
            "copy_ids": sorted(self.copy_ids),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Provenance | None:
        """The inverse of :meth:`to_dict`; None for anything else (an older or empty row)."""
        if not isinstance(data, dict) or not isinstance(data.get("reports"), int):
            return None
        groups = tuple(
            CopyGroup(str(g["origin"]), int(g["copies"]))
            for g in data.get("copies") or ()
            if isinstance(g, dict) and "origin" in g and "copies" in g
        )
        ids = frozenset(int(i) for i in data.get("copy_ids") or () if isinstance(i, int))
        return cls(int(data["reports"]), groups, ids)


def agency(name: str | None) -> str | None:
    """The wire agency a credit names ("The Associated Press", "AP Photo/Evan Vucci",
    "dpa/AFP" gives the first), or None."""
    if not name:
        return None
    whole = _BYLINE_NOISE.sub("", name.strip()).strip(" .")
    found = _AGENCY_OF.get(whole.casefold())
    if found:
        return found
    for part in _CREDIT_PART.split(name):
        part = _BYLINE_NOISE.sub("", part.strip()).strip(" .")
        part = re.sub(r"\s+(?:photos?|images?|video)$", "", part, flags=re.I)
        found = _AGENCY_OF.get(part.casefold())
        if found:
            return found
    return None


def credited_origin(article: ArticleLike) -> str | None:
    """The origin an article credits for its text: its syndication line, else an agency
    byline, else an agency dateline."""
    if article.syndicated_from and article.syndicated_from.strip():
        named = article.syndicated_from.strip()
        return agency(named) or named
    for author in article.authors:
        found = agency(author)
        if found:
            return found
    if article.paragraphs:
        match = _DATELINE.match(article.paragraphs[0].strip())
        if match:
            return agency(match.group(1))
    return None


def photo_agency(article: ArticleLike) -> str | None:
    """The agency in the article's first credited photo ("AP Photo/Evan Vucci" gives AP)."""
    for image in article.images:
        found = agency(getattr(image, "credit", None))
        if found:
            return found
    return None


class _Placed(Protocol):
    @property
    def site_name(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def canonical_url(self) -> str: ...


def outlet(article: _Placed) -> str:
    """The outlet's name as readers know it: the site name, else the host."""
    if article.site_name and article.site_name.strip():
        return article.site_name.strip()
    host = urlsplit(article.canonical_url or article.url or "").hostname or ""
    return host.removeprefix("www.") or "an outlet"


def story_provenance(articles: Sequence[ArticleLike]) -> Provenance:
    """The reports and copies among one story's articles (see the module docstring)."""
    if not articles:
        return Provenance(0)
    ids = [a.id for a in articles]
    parent = {i: i for i in ids}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    credits = {a.id: credited_origin(a) for a in articles}
    by_credit: dict[str, int] = {}
    by_editors: dict[tuple[str, ...], int] = {}
    outside: dict[int, int] = {}  # an original not among these articles: its copies meet
    for article in articles:
        original = article.duplicate_of
        if original is not None:
            if original in parent:
                union(article.id, original)
            else:
                union(article.id, outside.setdefault(original, article.id))
        credit = credits[article.id]
        if credit:
            union(article.id, by_credit.setdefault(credit.casefold(), article.id))
        editors = tuple(sorted(e.casefold() for e in article.editors if e.strip()))
        if editors:
            union(article.id, by_editors.setdefault(editors, article.id))
    groups: dict[int, list[ArticleLike]] = {}
    for article in articles:
        groups.setdefault(find(article.id), []).append(article)
    copies: Counter[str] = Counter()
    copy_ids: set[int] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        report = _report_of(members)
        copy_ids.update(m.id for m in members if m.id != report.id)
        copies[_origin(members, report, credits)] += len(members) - 1
    ordered = sorted(copies.items(), key=lambda item: (-item[1], item[0]))
    return Provenance(
        reports=len(groups),
        copies=tuple(CopyGroup(origin, count) for origin, count in ordered),
        copy_ids=frozenset(copy_ids),
    )


def _report_of(members: Sequence[ArticleLike]) -> ArticleLike:
    """The member that counts as the report: an original (no ``duplicate_of``), the first
    stored one."""
    originals = [m for m in members if m.duplicate_of is None]
    return min(originals or members, key=lambda m: m.id)


def _origin(
    members: Sequence[ArticleLike], report: ArticleLike, credits: dict[int, str | None]
) -> str:
    named = Counter(c for c in (credits[m.id] for m in members) if c)
    if named:
        return named.most_common(1)[0][0]
    photos = Counter(p for p in (photo_agency(m) for m in members) if p)
    if photos:
        name, count = photos.most_common(1)[0]
        if count >= 2:
            return name
    return outlet(report)


def reports_among(outlets_and_copies: Iterable[tuple[str, bool]]) -> int:
    """How many outlets carried their own report, from (outlet, is_copy) pairs: what ranking
    counts as coverage, at least 1."""
    return len({name for name, is_copy in outlets_and_copies if name and not is_copy}) or 1
