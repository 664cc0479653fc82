"""Text to an lxml tree, refusing what is not HTML with a message that says why."""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
)

from handpicked.errors import ExtractionError

MAX_INPUT_BYTES = 20 * 1024 * 1024
"""Pages larger than this are refused: no real article page is near it, and parsing one costs
memory in proportion to its size. Callers that really need more can pass ``max_bytes``."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])
# libxml2 keeps these in HTML text, raw or as character references, but lxml refuses them
# (ValueError) whenever the engine sets such text back on a node, e.g. in drop_tree(). A form
# feed is whitespace; the rest is noise.
_UNSETTABLE = (("\x0c", " "), ("\ufffe", ""), ("\uffff", ""))
# Only the references that may name a character lxml cannot hold (controls, surrogates,
# U+FFFE/FFFF, past U+10FFFF) are matched, a superset that _safe_char_ref then checks:
# calling Python for every "&#39;" on a page cost more than the parse.
_CHAR_REF = re.compile(
    r"&#(?:[xX]0*((?:[0-8bcefBCEF]|1[0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF]"
    r"|1[1-9a-fA-F][0-9a-fA-F]{4}|[2-9a-fA-F][0-9a-fA-F]{5}|[0-9a-fA-F]{7,}))(?![0-9a-fA-F])"
    r"|0*((?:[0-8]|1[124-9]|2[0-9]|3[01]|5[5-7][0-9]{3}|6553[45]|[0-9]{7,}))(?![0-9]));?"
)


def _xml_char(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _safe_char_ref(match: re.Match[str]) -> str:
    """Keep a numeric character reference unless it names a character lxml cannot hold."""
    hex_digits, digits = match.groups()
    if len(hex_digits or digits) > 8:
        return ""
    code = int(hex_digits, 16) if hex_digits else int(digits)
    if _xml_char(code):
        return match.group(0)
    return " " if code == 0x0C else ""


def _without_unsettable(text: str) -> str:
    # str.replace behind a membership test: both are C scans, where str.translate with a
    # table costs milliseconds per page.
    for char, replacement in _UNSETTABLE:
        if char in text:
            text = text.replace(char, replacement)
    return text


_BINARY_SHARE = 0.1
_SNIFF_CHARS = 8192

# libxml2 caps the nesting depth of the tree it builds (256), so a hostile page nested 100,000
# deep is parsed flat-capped rather than blowing any stack. Comments and processing
# instructions never hold article text.
_PARSER = HTMLParser(
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    remove_blank_text=False,
    no_network=True,
    default_doctype=False,  # type: ignore[call-arg]  # lxml-stubs lacks this keyword
)
# Every element is an HtmlElement, chosen in C: lxml.html's own lookup runs a Python method
# for every element the engine touches (a tenth of all extraction time) to pick form and
# input classes that the engine never uses.
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
    )
)


def looks_binary(text: str) -> bool:
    """True when the start of the input is mostly control characters: an image, an archive."""
    sample = text[:_SNIFF_CHARS]
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) > _BINARY_SHARE * len(sample)


def check_size(size: int, max_bytes: int = MAX_INPUT_BYTES) -> None:
    """Refuse a page over the size limit before any work is spent on it."""
    if size > max_bytes:
        raise ExtractionError(
            f"page is {size / 1_048_576:.1f} MB, over the {max_bytes / 1_048_576:.0f} MB "
            "limit; pass a larger max_bytes if it really is one article"
        )


def parse_html(text: str, max_bytes: int = MAX_INPUT_BYTES) -> HtmlElement:
    """Parse a page into an lxml HTML tree.

    Raises :class:`ExtractionError` for empty input, binary data and pages over ``max_bytes``.
    """
    check_size(len(text), max_bytes)
    if not text.strip():
        raise ExtractionError("input is empty: there is no HTML to extract from")
    if looks_binary(text):
        raise ExtractionError("input looks like binary data, not HTML (check the file or URL)")
    text = _CHAR_REF.sub(_safe_char_ref, _without_unsettable(text))
    # Control characters go from the bytes: in UTF-8 they are never part of another
    # character, and bytes.translate is several times faster than a regex over the text.
    data = text.encode("utf-8", errors="replace").translate(None, _CONTROL_BYTES)
    try:
        root = etree.fromstring(data, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise ExtractionError(f"input could not be parsed as HTML: {error}") from error
    if root is None:
        raise ExtractionError("input holds no HTML elements")
    assert isinstance(root, HtmlElement)
    return root
