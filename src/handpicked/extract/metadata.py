"""Page metadata from every source a page offers, reconciled into one record.

Reads the tree without changing it: body extraction runs afterwards and prunes it.
Sources, strongest first for most fields: JSON-LD, OpenGraph and other <meta> tags, microdata,
then what the visible page shows (the <h1>, bylines, datelines, tag lists) and the URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

from lxml.html import HtmlElement

from handpicked.extract.meta.authors import credit_line, last_first, merge_names, split_authors
from handpicked.extract.meta.dates import date_from_url, parse_date
from handpicked.extract.meta.head import HeadInfo, read_head
from handpicked.extract.meta.headline import (
    core_headline,
    in_breadcrumb,
    is_logo,
    kicker_free,
    printed_headings,
    with_printed_kicker,
)
from handpicked.extract.meta.jsonld import JsonLdInfo, parse_jsonld
from handpicked.extract.meta.outlets import is_outlet, outlet_keys, person_like
from handpicked.extract.meta.people import opens_with_given_name
from handpicked.extract.meta.scripts import labelled_date, script_date
from handpicked.extract.meta.titles import (
    domain_label,
    drop_tail,
    host_of,
    names_site,
    normal,
    pick_title,
    site_from_title,
    strip_site,
)
from handpicked.extract.meta.visible import (
    Cue,
    byline_dates,
    bylines,
    datelines,
    read_cues,
    read_tags,
)
from handpicked.extract.meta.zone import ZoneDate, ZoneInfo, find_date, read_zone


@dataclass(slots=True)
class PageMetadata:
    """What the page says about itself, before the body is looked at."""

    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    updated: datetime | None = None
    site_name: str | None = None
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    description: str | None = None
    image_url: str | None = None
    page_types: list[str] = field(default_factory=list)
    """Declared types, lower-cased: og:type values and JSON-LD @type values ("newsarticle")."""
    article_body: str | None = None
    """JSON-LD articleBody, when the page publishes one: a strong hint for the body."""
    credit: str | None = None
    """Who is credited when no person is (an organisation, "Staff", the site): not an
    author, but a sign that the page is an authored piece."""


@dataclass(slots=True)
class _Sources:
    """Everything read from the page, before it is reconciled."""

    root: HtmlElement
    url: str | None
    head: HeadInfo
    jsonld: JsonLdInfo
    site_name: str | None = None
    title: str | None = None
    _headline: HtmlElement | None = None
    _headline_found: bool = False
    _cues: list[Cue] | None = None
    _zone: ZoneInfo | None = None

    @property
    def zone(self) -> ZoneInfo:
        """Dates and bylines around the headline, read only when a field needs them."""
        if self._zone is None:
            locale = (self.root.get("lang") or "").lower()
            day_first = locale not in _MONTH_FIRST_LOCALES
            self._zone = read_zone(
                self.headline_element(), self.site_name, day_first, self.title or ""
            )
        return self._zone

    def scope(self) -> HtmlElement:
        """The <article> or <main> holding the headline: bylines and tag lists elsewhere on the
        page belong to other stories. The whole page when there is no such container."""
        headline = self.headline_element()
        if headline is not None:
            for ancestor in headline.iterancestors("article", "main"):
                return ancestor
        return self.root

    def headline_element(self) -> HtmlElement | None:
        """The <h1> that holds the chosen title, else the first <h1>, else an element whose
        own text is the title; looked up once."""
        if not self._headline_found:
            self._headline = self._find_headline()
            self._headline_found = True
        return self._headline

    def _find_headline(self) -> HtmlElement | None:
        """Search for :meth:`headline_element`."""
        for text, element in zip(self.head.h1, self.head.h1_elements, strict=True):
            if text == self.title:
                return element
        if self.head.h1_elements:
            return self.head.h1_elements[0]
        if not self.title:
            return None
        found = self.root.xpath(_TITLE_ELEMENT, title=self.title)
        return (
            found[0]
            if isinstance(found, list) and found and isinstance(found[0], HtmlElement)
            else None
        )

    @property
    def cues(self) -> list[Cue]:
        """Author- and date-named elements, searched for once and only when a field needs
        them (it is the costliest query)."""
        if self._cues is None:
            self._cues = read_cues(self.scope(), host_of(self.url))
        return self._cues


_DATELINE_CHARS = 60
_MAX_OWNER_WORDS = 3
_WEB_SCHEMES = frozenset(("http", "https"))
_MONTH_FIRST_LOCALES = frozenset(("", "en", "en-us", "en_us"))
"""Locales that write 03/10/2023 for March 10th; the rest of the world means October 3rd."""
_TITLE_ELEMENT = "(//body//*[normalize-space(text()) = $title])[1]"
_DATE_KEY = re.compile(r"publish|date|created")
_NOT_PUBLISHED = re.compile(r"publisher|modif|updat|expir|valid|revis|end|start|event|birth")
_NEWS_TYPE = re.compile(r"newsarticle|liveblogposting")
"""Schema.org and OpenGraph types of news reports ("newsarticle", "liveblogposting")."""
_LANGUAGE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*$")
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "date",
    "created",
    "datecreated",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
)
_AUTHOR_META = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
)
_TITLE_META = ("og:title", "twitter:title", "parsely-title", "citation_title", "dc.title")


def _site_name(head: HeadInfo, jsonld: JsonLdInfo) -> str | None:
    """The publication's name as the page declares it."""
    return (
        head.first("og:site_name", "application-name", "apple-mobile-web-app-title")
        or jsonld.publisher
        or jsonld.site_name
    )


def _title(src: _Sources) -> str | None:
    """The visible headline when the declared titles confirm it, else the best declared one."""
    domain = domain_label(src.url)
    pairs = [
        (text, element)
        for text, element in zip(src.head.h1, src.head.h1_elements, strict=True)
        if not in_breadcrumb(element) and not is_logo(element)
    ]
    first_h1 = pairs[0][0] if pairs else None
    declared = [
        strip_site(value, src.site_name, domain, first_h1)
        for value in (
            src.jsonld.title,
            *src.head.all(*_TITLE_META),
            src.head.first("headline"),
            src.head.title,
        )
        if value
    ]
    declared = [value for value in declared if value]
    h1s = [
        core_headline(kicker_free(text, element, declared), element, declared)
        for text, element in pairs
    ]
    if not h1s:
        h1s = printed_headings(src.root, declared) or [
            text
            for text, element in zip(src.head.h1, src.head.h1_elements, strict=True)
            if not is_logo(element)
        ]
    title = pick_title(h1s, declared, src.site_name)
    for text, element in pairs:
        if title == text:
            title = with_printed_kicker(title, element, declared)
            break
    return drop_tail(title) if title else None


def _weak_name(name: str, site_name: str | None, domain: str | None) -> bool:
    """A declared author that may be a CMS default rather than the writer: the site's own
    name, or a single-word account name ("KatieS", "editor2")."""
    return len(name.split()) == 1 or names_site(name, site_name, domain)


def _outlets(src: _Sources) -> set[str]:
    """The outlet's names (see :func:`outlet_keys`); a publisher typed Person is the author
    of a one-person site, not an outlet."""
    publisher = None if src.jsonld.publisher_is_person else src.jsonld.publisher
    return outlet_keys(src.url, src.site_name, publisher, src.jsonld.site_name)


def _declared_authors(src: _Sources) -> tuple[list[str], bool]:
    """People named as authors in JSON-LD, else in author meta tags (URLs there are
    profiles, not names), else in citation metadata; and whether they are weak (see
    :func:`_weak_name`). The outlet named as its own author is no one's byline."""
    domain = domain_label(src.url)
    outlets = _outlets(src)
    citations = [last_first(value) for value in src.head.all("citation_author")]
    for group in (
        src.jsonld.authors,
        [value for value in src.head.all(*_AUTHOR_META) if "://" not in value],
        citations,
    ):
        names = merge_names([split_authors(value) for value in group])
        names = [name for name in names if not is_outlet(name, outlets)]
        if names:
            return names, all(_weak_name(name, src.site_name, domain) for name in names)
    return [], False


def _shown_authors(src: _Sources) -> list[str]:
    """Authors the page prints: a "By" line near the headline, an author-named element, a
    name printed beside the date."""
    outlets = _outlets(src)
    candidates = [
        *src.zone.bylines,
        *(split_authors(byline, src.site_name, strict=True) for byline in bylines(src.cues)),
        src.zone.dated_names[:1],
    ]
    for names in candidates:
        people = [name for name in names if not is_outlet(name, outlets)]
        if people:
            return people
    return []


def _authors(src: _Sources) -> list[str]:
    """The people who wrote the page: declared names, else printed ones; none when no one
    is credited (the publication is the site, not an author).

    A weak declared author (an account name) is often a CMS default: a "By" line under the
    headline wins over it.
    """
    declared, weak = _declared_authors(src)
    if declared:
        return src.zone.bylines[0] if weak and src.zone.bylines else declared
    return _shown_authors(src) or _site_owner(src)


def _site_owner(src: _Sources) -> list[str]:
    """The person a personal site is named after, for a page that credits no one else:
    "Erin Walsh" at erin.blog.example, "Brett Larkin" of "Brett Larkin Yoga" at
    brettlarkin.com. The site's name must open with a given name and the host must spell
    part of it, so a paper named like a person ("Evening Standard") is not taken for one."""
    site = src.site_name or ""
    words = site.split()
    if not 2 <= len(words) <= _MAX_OWNER_WORDS or not person_like(site):
        return []
    if not opens_with_given_name(site):
        return []
    host = normal(host_of(src.url) or "")
    name = " ".join(words[:2])
    return [name] if normal(words[0]) in host or normal(words[1]) in host else []


def _credit(src: _Sources) -> str | None:
    """Who the page credits when it names no person: a declared credit ("Staff"), the
    organisation JSON-LD names as author, else the site."""
    declared = [*src.jsonld.authors, *src.head.all(*_AUTHOR_META)]
    organizations = [*declared, *src.jsonld.organization_authors, src.site_name]
    return next((line for line in map(credit_line, organizations) if line), None)


def _first_date(values: list[str]) -> datetime | None:
    """The first value that parses as a plausible date."""
    for value in values:
        parsed = parse_date(value)
        if parsed is not None:
            return parsed
    return None


def _near(first: datetime, second: datetime) -> bool:
    """Same day give or take one: a printed local date beside a declared UTC timestamp."""
    return abs((first.date() - second.date()).days) <= 1


def _agrees(printed: ZoneDate, declared: datetime) -> bool:
    """A printed date that is the declared one, in either reading of an all-numeric date."""
    return _near(printed.value, declared) or (
        printed.other is not None and printed.other.date() == declared.date()
    )


def _shown(src: _Sources, declared: list[datetime], updated: datetime | None) -> datetime | None:
    """The date the page prints under its headline, weighed against the declared ones.

    Readers take a page's date from its dateline, and declared dates are often wrong (a CMS
    stamping the last rebuild). A printed date confirms the first declared publication date it
    agrees with, or else the modification date (unless printed as "Updated ..."); a single
    printed date that agrees with none of them wins. A declared publication date that the
    page prints only as "Updated ..." is confirmed last, after the plain printed dates.

    A news report is the exception: its date is when the story broke, so one that prints
    only its last revision (a live ticker, a corrected story) keeps its declared
    publication date. A guide or a blog post is dated by the revision it shows.
    """
    published = declared[0] if declared else None
    shown = src.zone.dates
    if not shown:
        return published
    plain = [printed for printed in shown if not printed.update]
    for candidate in declared:
        if any(_agrees(printed, candidate) for printed in plain):
            return candidate
    if updated is not None and any(_agrees(printed, updated) for printed in plain):
        return published if published is not None and _is_news(src) else updated
    if plain and (published is None or len({printed.value.date() for printed in plain}) == 1):
        return plain[0].value
    for candidate in declared:
        if any(_agrees(printed, candidate) for printed in shown):
            return candidate
    return published or shown[0].value


def _is_news(src: _Sources) -> bool:
    """The page declares itself a news report (NewsArticle, ReportageNewsArticle,
    LiveBlogPosting, ...), in JSON-LD or as its og:type."""
    types = [*src.jsonld.types, *(value.lower() for value in src.head.all("og:type"))]
    return any(_NEWS_TYPE.search(kind) for kind in types)


def _declared_published(src: _Sources) -> list[datetime]:
    """Publication dates the metadata declares, JSON-LD first, then known and then any other
    publication-date-looking meta names."""
    head = src.head
    generic = [key for key in head.meta if _DATE_KEY.search(key) and not _NOT_PUBLISHED.search(key)]
    values = [src.jsonld.published, *head.all(*_PUBLISHED_META), *head.all(*generic)]
    return [date for date in map(parse_date, filter(None, values)) if date is not None]


def _undeclared_published(src: _Sources) -> datetime | None:
    """With no date declared: the URL's date, the dateline, a date opening the description,
    <time> elements, date-named elements, a date beside the author."""
    from_url = date_from_url(src.url)
    if from_url is not None:
        return from_url
    if src.zone.dates:
        return src.zone.dates[0].value
    scripted = script_date(src.root)
    if scripted is not None:
        return scripted
    described = find_date(src.head.first("description", "og:description") or "")
    if described is not None and described[1] <= _DATELINE_CHARS:
        return described[0]
    times = src.head.times
    return (
        _first_date([value for value, marked in times if marked])
        or _first_date([value for value, marked in times if not marked])
        or next(iter(datelines(src.cues)), None)
        or next(iter(byline_dates(src.cues)), None)
        or _first_date([src.jsonld.created] if src.jsonld.created else [])
        or labelled_date(src.root)
    )


def _on_url_day(src: _Sources, value: datetime) -> datetime:
    """The URL's date instead of a timestamp a few hours across midnight from it: the site
    filed the story under its own calendar day, which a UTC timestamp can shift by one."""
    from_url = date_from_url(src.url)
    if from_url is not None and _near(from_url, value) and from_url.date() != value.date():
        return from_url
    return value


def _published(src: _Sources, updated: datetime | None) -> datetime | None:
    """The publication date: declared and confirmed by the page, else the best other clue,
    else the modification date."""
    declared = _declared_published(src)
    if declared or updated is not None:
        shown = _shown(src, declared, updated)
        if shown is not None:
            return _on_url_day(src, shown)
    return _undeclared_published(src) or updated


def _updated(src: _Sources) -> datetime | None:
    """Declared modification date."""
    values = [src.jsonld.modified, *src.head.all(*_MODIFIED_META)]
    return _first_date([value for value in values if value])


def normalise_language(value: str | None) -> str | None:
    """A primary language subtag, lower-cased: "en-US" → "en", "pt_BR" → "pt"."""
    if not value:
        return None
    match = _LANGUAGE.match(value.strip().split(",")[0].strip())
    return match[1].lower() if match else None


def _language(root: HtmlElement, src: _Sources) -> str | None:
    """<html lang>, then meta declarations, then JSON-LD inLanguage."""
    for value in (
        root.get("lang"),
        root.get("xml:lang"),
        src.head.first("content-language", "language", "lang", "dc.language", "og:locale"),
        src.jsonld.language,
    ):
        language = normalise_language(value)
        if language:
            return language
    return None


def _dedupe(values: list[str]) -> list[str]:
    """Drop repeats case-insensitively, keeping the first spelling and the order."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        value = " ".join(value.split())
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out


def _visible_tags(src: _Sources) -> list[str]:
    """Tag links inside the article's container; none when there is no container, as a
    page-wide tag cloud is no description of this article."""
    scope = src.scope()
    return [] if scope is src.root else read_tags(scope)


def _tags(src: _Sources) -> list[str]:
    """Declared article tags and the visible tag list; SEO keywords only if there are none."""
    head = src.head
    parsely = [part for value in head.all("parsely-tags") for part in value.split(",")]
    shown = _visible_tags(src)
    tags = _dedupe([*head.all("article:tag"), *src.jsonld.keywords, *parsely, *shown])
    if tags:
        return tags
    keywords = head.all("news_keywords", "keywords")
    return _dedupe([part for value in keywords for part in value.split(",")])


def _page_types(src: _Sources) -> list[str]:
    """og:type values and JSON-LD @type values, lower-cased, without repeats."""
    return _dedupe([value.lower() for value in src.head.all("og:type")] + src.jsonld.types)


def _absolute(value: str | None, base: str | None) -> str | None:
    """A URL made absolute against the page's URL; None when it cannot be, or is no web
    address ("javascript:1", a malformed "http://[::1")."""
    if not value or not value.strip():
        return None
    try:
        resolved = urljoin(base, value.strip()) if base else value.strip()
    except ValueError:
        return None
    scheme = resolved.partition(":")[0].lower()
    return resolved if scheme in _WEB_SCHEMES and host_of(resolved) else None


def extract_metadata(root: HtmlElement, url: str | None = None) -> PageMetadata:
    """Read the page's metadata from all its sources, without modifying the tree."""
    head = read_head(root)
    jsonld = parse_jsonld(
        root, [value for key in head.meta if "ld+json" in key for value in head.meta[key]]
    )
    src = _Sources(root=root, url=url, head=head, jsonld=jsonld)
    src.site_name = _site_name(head, jsonld)
    src.title = _title(src)
    src.site_name = src.site_name or site_from_title(head.title, src.title)
    updated = _updated(src)
    authors = _authors(src)
    canonical = head.canonical or head.first("og:url") or jsonld.url
    return PageMetadata(
        url=url,
        canonical_url=_absolute(canonical, url),
        title=src.title,
        authors=authors,
        published=_published(src, updated),
        updated=updated,
        site_name=src.site_name,
        language=_language(root, src),
        section=head.first("article:section", "parsely-section") or jsonld.section,
        tags=_tags(src),
        description=head.first("og:description", "description", "twitter:description")
        or jsonld.description,
        image_url=_absolute(head.first("og:image", "twitter:image") or jsonld.image, url),
        page_types=_page_types(src),
        article_body=jsonld.article_body,
        credit=None if authors else _credit(src),
    )
