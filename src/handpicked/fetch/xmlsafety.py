"""A cheap pre-scan that refuses hostile XML before any parser sees it.

Feeds, sitemaps and OPML files come from strangers. Entity declarations are what XML bombs
(billion laughs, quadratic blowup) and external-entity reads (file:///etc/passwd) are made
of, and no honest feed needs one, so any ``<!ENTITY`` is refused outright, as defusedxml
does, without expanding anything. Scanning bytes is linear and never builds a tree.
"""

from __future__ import annotations

import re

from lxml import etree

from handpicked.errors import HandpickedError

MAX_XML_BYTES = 10 * 1024 * 1024

_ENTITY = re.compile(rb"<!\s*ENTITY\b", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!\s*DOCTYPE\b", re.IGNORECASE)
_SYSTEM_IN_SUBSET = re.compile(rb"\b(?:SYSTEM|PUBLIC)\b", re.IGNORECASE)
# UTF-16 and UTF-32 put NUL bytes between ASCII characters; dropping them lets one
# ASCII scan see "<!ENTITY" in any of those encodings.
_WIDE_PROBE = 4096


class FeedError(HandpickedError):
    """A feed, sitemap or OPML document is not one, is unreadable, or is unsafe to parse."""


def _ascii_view(content: bytes) -> bytes:
    """The bytes to scan: NULs dropped when the document looks UTF-16 or UTF-32."""
    if b"\x00" in content[:_WIDE_PROBE]:
        return content.replace(b"\x00", b"")
    return content


def check_xml_safe(content: bytes, max_bytes: int = MAX_XML_BYTES) -> None:
    """Raise FeedError when ``content`` is too large or declares entities (XML bombs, XXE)."""
    if len(content) > max_bytes:
        raise FeedError(
            f"unsafe XML: document is {len(content):,} bytes, over the {max_bytes:,} byte limit"
        )
    view = _ascii_view(content)
    if _ENTITY.search(view):
        raise FeedError(
            "unsafe XML: the document declares entities (an XML bomb or external-entity "
            "attack such as billion laughs or file:///etc/passwd); refused without expanding"
        )
    doctype = _DOCTYPE.search(view)
    if doctype:
        # An internal subset ("[...]") may pull in external parameter entities or DTDs.
        subset_start = view.find(b"[", doctype.end())
        tag_end = view.find(b">", doctype.end())
        if subset_start != -1 and (tag_end == -1 or subset_start < tag_end):
            subset_end = view.find(b"]", subset_start)
            subset = view[subset_start : subset_end if subset_end != -1 else len(view)]
            if _SYSTEM_IN_SUBSET.search(subset) or b"%" in subset:
                raise FeedError(
                    "unsafe XML: the DOCTYPE's internal subset references external "
                    "or parameter entities; refused"
                )


def _parser() -> etree.XMLParser:
    """An lxml parser that never expands entities, never touches the network, caps trees."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml_safely(content: bytes, what: str, max_bytes: int = MAX_XML_BYTES) -> etree._Element:
    """The root element of ``content`` after check_xml_safe; FeedError when none comes out.

    ``what`` names the expected document ("a sitemap", "an OPML file") for error messages.
    """
    check_xml_safe(content, max_bytes)
    if not content.strip():
        raise FeedError(f"not {what}: the document is empty")
    try:
        root = etree.fromstring(content, _parser())
    except (etree.LxmlError, ValueError, LookupError) as error:
        raise FeedError(f"not {what}: unreadable XML ({error!s:.120})") from error
    if root is None or not isinstance(root.tag, str):
        raise FeedError(f"not {what}: no XML element found")
    return root


def local_name(element: etree._Element) -> str:
    """An element's tag without its namespace, lower-cased: "{ns}urlset" -> "urlset"."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def element_text(element: etree._Element) -> str | None:
    """An element's text, or None when recovery let an unencodable character ref through."""
    try:
        return element.text
    except UnicodeDecodeError:
        return None


def attribute(element: etree._Element, name: str) -> str | None:
    """An attribute matched case-insensitively; None when absent or undecodable (see above)."""
    wanted = name.lower()
    for key in element.attrib:
        if isinstance(key, str) and key.lower() == wanted:
            try:
                value = element.get(key)
            except UnicodeDecodeError:
                return None
            return value if isinstance(value, str) else None
    return None
