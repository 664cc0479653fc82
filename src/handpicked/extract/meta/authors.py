"""Author strings, as pages write them, to a clean list of names.

Bylines carry more than names: "By", roles, dates, emails, "and" joins. Only what looks like a
name survives, so a sentence or a URL that happens to sit in an author slot does not.
"""

from __future__ import annotations

import re

_PREFIX = re.compile(
    r"^\s*(?:(?:[^\W\d]+\s+){0,3}?by|von|par|por|door|przez|автор|author(?:ed)?|authors?|written"
    r"|(?:(?:read|learn)\s+)?(?:more\s+)?about(?:\s+the\s+authors?)?)\b\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
_JOB = re.compile(
    r"\b(?:writer|reporter|editor|contributor|correspondent|columnist|consultant|director|"
    r"manager|founder|co-founder|ceo|cto|president|officer|head of|expert|specialist|"
    r"educator|attorney|lawyer|analyst|producer|photographer|journalist|strategist|marketer|"
    r"designer|developer|engineer|scientist|researcher|professor|dietitian|nutritionist|"
    r"reviewer|winemaker|intern|coordinator|associate|advisor|fellow)s?\b",
    re.IGNORECASE,
)
_NOT_NAME_WORDS_TEXT = (
    "view posts read follow subscribe comments share loading min minute minutes updated "
    "published profile articles stories update newsletter sign directory contact authors cart "
    "login menu search home mon tue wed thu fri sat sun today yesterday tags tag category "
    "categories "
)
_NOT_NAME_WORDS = frozenset(_NOT_NAME_WORDS_TEXT.split())
_LABEL = re.compile(r"^\s*(?:authors?|writers?|autor(?:in)?|auteur)\s*:\s*", re.IGNORECASE)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bi\b|\|)\s*", re.IGNORECASE)
_DATE_TAIL = re.compile(
    r"\s*(?:[-–—|•·,]\s*|\s)(?:(?:published|updated|posted|last updated)\b.*|on\s+(?:\w+\s+)?\d.*"
    r"|on\s+(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b.*"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d.*"
    r"|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}.*|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
    r"nov|dec)[a-z]*.*|\d+\s+(?:min|minute|hour|day)s?\b.*)$",
    re.IGNORECASE,
)
_AFFILIATION = re.compile(r"\s+/\s+[^/]*$")
"""What follows a spaced slash in a byline: the writers' paper and role ("Takeo Maeda and
Tatsuya Tanoue / Yomiuri Shimbun Staff Writers"), never a name of its own."""
_ROLE_WORDS_TEXT = (
    "staff writer writers reporter reporters correspondent correspondents editor editors "
    "contributor contributors columnist columnists senior chief managing associate deputy "
    "contributing special digital news team desk producer photographer photographers intern "
    "freelance freelancer journalist journalists author authors guest analyst the "
)
_ROLE_WORDS = frozenset(_ROLE_WORDS_TEXT.split())
_NOT_NAMES_TEXT = (
    "admin administrator anonymous unknown guest user null none undefined staff editorial "
    "author by share follow twitter facebook email more read posted "
)
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
_CREDENTIAL = re.compile(
    r"^(?:[A-Z]{2,6}|[A-Z][a-z]?\.(?:[A-Z][a-z]?\.)*|Ph\.?D\.?|M\.?D\.?|Jr\.?|Sr\.?|I{2,3}|IV)$"
)
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)+$")
"""A URL or template slug ("sophie-foster", "page.head.author"): no one writes a name so."""
_PHOTO_CREDIT = re.compile(
    r"^\(|\b(?:image|images|photo|photos|foto|fotos|bild|picture|pictures|credit|getty|"
    r"istock|shutterstock|imago)\b|©",
    re.IGNORECASE,
)
"""A picture credit that a CMS filed as an author: "(Image: Getty Images)", "Foto: dpa"."""
_ROLE_SUFFIX = re.compile(
    r"\s*(?:기자|특파원|선임기자|논설위원|객원기자|記者|记者|特派員|特派员|編集委員|通讯员)$"
)
"""A job title written after the name without a space or comma, as Korean, Japanese and
Chinese bylines do ("신현주 기자": "reporter Shin Hyun-joo")."""
OUTLET_WORDS = frozenset(
    "news times post daily journal magazine online media tribune herald press gazette review "
    "today weekly radio tv network digital group agency blog zeitung nachrichten blatt kurier "
    "rundschau tagblatt anzeiger presse agentur redaktion noticias diario journal nouvelles "
    "giornale notizie nyheter avis".split()
)
"""Words in publications' names and never in people's, in the languages news is read in."""
_MAX_NAME_WORDS = 6
_MAX_NAME_CHARS = 60
_MAX_CREDIT_WORDS = 4
_COLLECTIVE = frozenset(("the", "our"))
"""A credit starting with these is a collective ("The Upwork Team"): its role word belongs."""
_FUNCTION_WORDS = frozenset(
    ("the", "a", "an", "meet", "from", "in", "by", "about", "with", "our", "your", "my", "of",
     "insights", "and", "for", "to")
)  # fmt: skip


def _is_role(part: str) -> bool:
    """ "Staff Writer", "Senior Editor": a job title, not a person."""
    words = part.lower().replace(".", "").split()
    return bool(words) and all(word in _ROLE_WORDS for word in words)


def looks_like_name(text: str, site_name: str | None = None) -> bool:
    """Short, no digits, no URL, not a sentence, not the site: plausibly a person's name."""
    if not text or len(text) > _MAX_NAME_CHARS or any(ch.isdigit() for ch in text):
        return False
    words = text.split()
    if not 1 <= len(words) <= _MAX_NAME_WORDS:
        return False
    if "/" in text or "@" in text or text.endswith((".com", ".org", ".net")) or "?" in text:
        return False
    if _SLUG.match(text) or _PHOTO_CREDIT.search(text):
        return False
    if text.lower() in _NOT_NAMES or _is_role(text) or _JOB.search(text):
        return False
    if any(word.lower() in _NOT_NAME_WORDS for word in words):
        return False
    if all(part.casefold() in OUTLET_WORDS for part in re.split(r"[\s\-]+", text) if part):
        return False
    if site_name and text.casefold() == site_name.casefold():
        return False
    return any(ch.isalpha() for ch in text)


def _strip_role_tail(name: str) -> str:
    """ "Linda Rosencrance Contributing Writer" → "Linda Rosencrance": a title run on after the
    name, with no comma between, in a byline made of separate elements. The name is taken to
    be the first two words, three with a middle initial; "" when those are not name words."""
    words = name.split()
    if not words or len(words) > _MAX_NAME_WORDS or words[0].lower() in _COLLECTIVE:
        return name
    for index in range(2, len(words)):
        if _JOB.search(words[index]) or words[index].lower() in _ROLE_WORDS:
            keep = 3 if index >= 3 and len(words[1].rstrip(".")) == 1 else 2
            kept = words[: min(index, keep)]
            if any(word.lower() in _FUNCTION_WORDS for word in kept):
                return ""
            return " ".join(kept)
    return name


def _capitalised(name: str) -> bool:
    """A multi-word name has a capital somewhere: a lower-case phrase is running text."""
    words = name.split()
    return len(words) == 1 or any(word[0].isupper() for word in words if word[0].isalpha())


def _clean(text: str) -> str:
    """Drop emails, URLs, the "By" prefix, a trailing date and an affiliation after a slash
    from one byline string."""
    text = _URL.sub(" ", _EMAIL.sub(" ", text))
    text = " ".join(text.split())
    text = _LABEL.sub("", text)
    text = _PREFIX.sub("", text)
    text = _DATE_TAIL.sub("", text)
    text = _AFFILIATION.sub("", text)
    return text.strip(" \t-–—|•·:,;[]\"'“”")


def _parts(text: str) -> list[str]:
    """Split a joined byline; a credential after a comma ("Jane Doe, MD") stays with its name."""
    out: list[str] = []
    for raw in _SPLIT.split(text):
        part = _ROLE_SUFFIX.sub("", raw.strip(" .-–—:")).strip()
        if not part:
            continue
        if out and all(_CREDENTIAL.match(word) for word in part.split()):
            out[-1] = f"{out[-1]}, {part}"
            continue
        out.append(part)
    return out


def split_authors(
    text: str | None, site_name: str | None = None, *, strict: bool = False
) -> list[str]:
    """Names in one author string: "By Jane Doe and John Roe, Staff Writers" → two names.

    ``strict`` is for text read off the visible page rather than declared as an author: it
    must then also be written like a name, with capitals.
    """
    if not text:
        return []
    cleaned = _clean(text)
    if not cleaned:
        return []
    names: list[str] = []
    for part in _parts(cleaned):
        part = _PREFIX.sub("", part).strip()
        if strict:
            part = _strip_role_tail(part)
        if _is_role(part) or not looks_like_name(part, site_name):
            continue
        if strict and (not _capitalised(part) or part.split()[-1].lower() in _FUNCTION_WORDS):
            continue
        names.append(part)
    return names


def credit_line(text: str | None) -> str | None:
    """A short declared credit that is not a person's name ("Staff", "Our Editors",
    "Example.com"): kept as the author when the page declares nothing better."""
    if not text:
        return None
    cleaned = _clean(text)
    words = cleaned.split()
    if not 1 <= len(words) <= _MAX_CREDIT_WORDS or len(cleaned) > _MAX_NAME_CHARS:
        return None
    if "://" in cleaned or any(ch.isdigit() for ch in cleaned):
        return None
    return cleaned if any(ch.isalpha() for ch in cleaned) else None


def last_first(text: str) -> str:
    """ "Turing, Alan" → "Alan Turing": citation metadata writes the family name first."""
    family, comma, given = text.partition(",")
    if comma and family.strip() and given.strip() and "," not in given:
        return f"{given.strip()} {family.strip()}"
    return text


def merge_names(groups: list[list[str]]) -> list[str]:
    """Names from several strings, de-duplicated case-insensitively, order kept."""
    seen: set[str] = set()
    out: list[str] = []
    for group in groups:
        for name in group:
            key = name.casefold()
            if key not in seen:
                seen.add(key)
                out.append(name)
    return out
