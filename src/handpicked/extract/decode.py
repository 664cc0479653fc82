"""Bytes to text: the page's own word on its charset first, detection only as a fallback."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# Browsers read windows-1252 wherever a page says latin-1 or ascii; so do we.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "x-sjis": "shift_jis",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}
# Python codecs that a page may name but that are no page charset: utf-7 is banned on the web
# (an XSS vector), the rest are escape schemes or always fail.
_NOT_PAGE_CODECS = {
    "undefined",
    "unicode-escape",
    "raw-unicode-escape",
    "punycode",
    "idna",
    "utf-7",
}
_SNIFF_BYTES = 4096
_DETECT_BYTES = 200_000


def _codec(label: str | None) -> str | None:
    """Python's codec for a charset label, or None when the label names nothing we know."""
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # Bytes-to-bytes codecs (rot13, base64, zlib) are found by lookup but cannot decode text.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_CODECS:
        return None
    return info.name


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset that a BOM, the HTTP Content-Type or a <meta> tag declares, in that order."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    if content_type:
        header = _HEADER_CHARSET.search(content_type)
        if header and (codec := _codec(header.group(1))):
            return codec
    meta = _META_CHARSET.search(data[:_SNIFF_BYTES])
    if meta:
        return _codec(meta.group(1).decode("ascii", "ignore"))
    return None


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Decode a page's bytes. A declared charset that fails on the bytes is treated as a lie:
    we try UTF-8, then detection, then fall back to windows-1252 with replacements."""
    declared = declared_charset(data, content_type)
    if declared:
        if declared.startswith("utf-16") or declared.startswith("utf-32"):
            return data.decode(declared, errors="replace").lstrip("\ufeff")
        try:
            return data.decode(declared).lstrip("\ufeff")
        except UnicodeError:
            pass
    try:
        return data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:_DETECT_BYTES]).best()
    encoding = best.encoding if best else "cp1252"
    return data.decode(encoding, errors="replace")
