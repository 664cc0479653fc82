"""JSON-LD blocks to one record of the fields that describe the page's main item.

Pages publish JSON-LD in every shape: one object, a list, an ``@graph``, several objects in one
script, references by ``@id``, and often JSON that is not quite valid. Every block is read
leniently and the node that best describes an article wins.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from handpicked.extract.meta.head import squash

_WRAPPER = re.compile(r"^\s*(?:<!--|<!\[CDATA\[|//\s*<!\[CDATA\[)|(?:-->|\]\]>|//\s*\]\]>)\s*$")
_CONTROL = re.compile(r"[\x00-\x1f]")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_ARTICLE_HINTS = ("article", "posting", "report", "review", "recipe", "howto", "newsarticle")
_PAGE_TYPES = frozenset({"webpage", "itempage", "aboutpage", "faqpage", "qapage", "profilepage"})
_PERSON = "person"
_MAX_NODES = 500

Node = dict[str, Any]


@dataclass(slots=True)
class JsonLdInfo:
    """The fields read from a page's JSON-LD, each None or empty when absent."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    organization_authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    created: str | None = None
    section: str | None = None
    keywords: list[str] = field(default_factory=list)
    language: str | None = None
    publisher: str | None = None
    publisher_is_person: bool = False
    """The publisher is typed Person: a one-person site, whose name is its author's."""
    site_name: str | None = None
    url: str | None = None
    description: str | None = None
    image: str | None = None
    article_body: str | None = None
    types: list[str] = field(default_factory=list)


def _loads(text: str) -> list[Any]:
    """Every JSON value in a script's text, repairing the common breakages."""
    text = _WRAPPER.sub("", text.strip()).strip()
    if not text:
        return []
    try:
        return [json.loads(text)]
    except ValueError:
        pass
    text = _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", text))
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    index = 0
    while index < len(text):
        start = min(
            (i for i in (text.find("{", index), text.find("[", index)) if i >= 0), default=-1
        )
        if start < 0:
            break
        try:
            value, index = decoder.raw_decode(text, start)
        except ValueError:
            index = start + 1
            continue
        values.append(value)
    return values


def _nodes(values: list[Any]) -> list[Node]:
    """All objects at the top of the blocks, with ``@graph`` and lists flattened."""
    out: list[Node] = []
    stack = list(reversed(values))
    while stack and len(out) < _MAX_NODES:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(reversed(value))
        elif isinstance(value, dict):
            graph = value.get("@graph")
            if graph is not None:
                stack.extend(reversed(graph if isinstance(graph, list) else [graph]))
            if "@type" in value or "@graph" not in value:
                out.append(value)
            main = value.get("mainEntity")
            if isinstance(main, (dict, list)):
                stack.append(main)
    return out


def types_of(node: Node) -> list[str]:
    """A node's ``@type`` values, lower-cased, whether one string or a list."""
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return [value.split("/")[-1].lower() for value in values if isinstance(value, str)]


def _text(value: Any) -> str | None:
    """A string field, which may be a string, a list of them, or an object with a name."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("url") or value.get("@id")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    return squash(value) or None


def _score(node: Node) -> int:
    """How likely a node is to describe the page's main article."""
    types = types_of(node)
    if any(t.endswith(_ARTICLE_HINTS) for t in types):
        return 3
    if any(t in _PAGE_TYPES for t in types):
        return 1
    return 0


def _resolve(value: Any, index: dict[str, Node]) -> Any:
    """Follow an ``{"@id": ...}`` reference to the full node when the page has it."""
    if isinstance(value, dict) and "@id" in value and len(value) <= 2:
        target = index.get(str(value["@id"]))
        if target is not None:
            return target
    return value


def _people(value: Any, index: dict[str, Node]) -> tuple[list[str], list[str]]:
    """Names of persons and of organisations in an ``author`` value of any shape."""
    persons: list[str] = []
    organizations: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        item = _resolve(item, index)
        if isinstance(item, str):
            persons.append(item)
            continue
        if not isinstance(item, dict):
            continue
        name = _text(item.get("name"))
        if not name:
            given, family = _text(item.get("givenName")), _text(item.get("familyName"))
            name = " ".join(part for part in (given, family) if part) or None
        if not name:
            continue
        types = types_of(item)
        if types and _PERSON not in types:
            organizations.append(name)
        else:
            persons.append(name)
    return persons, organizations


def _keywords(value: Any) -> list[str]:
    """``keywords`` as a comma-separated string or a list of strings."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.extend(part.strip() for part in item.split(",") if part.strip())
    return out


def _fill_from(info: JsonLdInfo, node: Node, index: dict[str, Node]) -> None:
    """Copy the fields a node has into the record where the record has none yet."""
    info.title = info.title or _text(node.get("headline")) or _text(node.get("name"))
    if not info.authors and not info.organization_authors:
        author = node.get("author") or node.get("creator")
        info.authors, info.organization_authors = _people(author, index)
    info.published = info.published or _text(node.get("datePublished"))
    info.modified = info.modified or _text(node.get("dateModified"))
    info.created = info.created or _text(node.get("dateCreated"))
    info.section = info.section or _text(node.get("articleSection"))
    info.keywords = info.keywords or _keywords(node.get("keywords"))
    info.language = info.language or _text(node.get("inLanguage"))
    publisher = _resolve(node.get("publisher"), index)
    if not info.publisher:
        info.publisher = _text(publisher)
        info.publisher_is_person = isinstance(publisher, dict) and _PERSON in types_of(publisher)
    info.url = (
        info.url or _text(_resolve(node.get("mainEntityOfPage"), index)) or _text(node.get("url"))
    )
    info.description = info.description or _text(node.get("description"))
    info.image = info.image or _text(_resolve(node.get("image"), index))
    body = node.get("articleBody")
    if not info.article_body and isinstance(body, str) and body.strip():
        info.article_body = body.strip()


def parse_jsonld(root: HtmlElement, extra: list[str] | None = None) -> JsonLdInfo:
    """Read every JSON-LD script of the page into one record, the main article first.

    ``extra`` holds JSON-LD the page carries elsewhere, such as the content of a
    ``<meta name="script:ld+json">`` that some frameworks render instead of a script.
    """
    info = JsonLdInfo()
    # A C-level walk over the scripts: an XPath over every node cost twice as much.
    scripts = [
        script.text
        for script in root.iter("script")
        if script.text and "ld+json" in (script.get("type") or "")
    ]
    values: list[Any] = []
    for text in [*scripts, *(extra or ())]:
        values.extend(_loads(str(text)))
    nodes = _nodes(values)
    if not nodes:
        return info
    index = {str(node["@id"]): node for node in nodes if isinstance(node.get("@id"), str)}
    for node in nodes:
        for kind in types_of(node):
            if kind not in info.types:
                info.types.append(kind)
        if "website" in types_of(node) and not info.site_name:
            info.site_name = _text(node.get("name"))
    ranked = sorted(nodes, key=_score, reverse=True)
    for node in ranked:
        if _score(node) > 0:
            _fill_from(info, node, index)
    return info
