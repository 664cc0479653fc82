"""Reading web archives: the HTML pages in a WARC file, one at a time, broken records skipped.

Crawl archives are big and never perfectly clean, so a record that cannot be read is counted
(with a reason) and stepped over, never fatal: after a decompression error or a record whose
Content-Length runs past its data, reading starts again at the next record boundary. A file
cut off mid-record ends the iteration with :attr:`WarcStats.truncated` set.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from handpicked.errors import HandpickedError

if TYPE_CHECKING:  # fastwarc comes with the ``bulk`` extra; loaded when a WARC is read
    from fastwarc.warc import WarcRecord

__all__ = [
    "HTML_TYPES",
    "WARC_SUFFIXES",
    "WarcOpenError",
    "WarcPage",
    "WarcStats",
    "check_warc",
    "is_warc_path",
    "iter_html_responses",
]

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
_GZIP_MEMBER = b"\x1f\x8b\x08"
_PLAIN_RECORD = b"WARC/1."
_SCAN_CHUNK = 1 << 20
_MAX_BODY = 64 << 20  # a decoded body past this is a bomb or not a page; either way skip it


class WarcOpenError(HandpickedError):
    """A WARC file that cannot be read at all (missing, unreadable, not a WARC)."""


@dataclass(frozen=True, slots=True)
class WarcPage:
    """One archived HTML response, reduced to what extraction needs (plain data, pickles)."""

    url: str | None
    date: datetime | None
    content: bytes
    content_type: str | None


@dataclass(slots=True)
class WarcStats:
    """What reading one file saw; ``bad_reasons`` tallies why records were skipped as broken,
    ``skipped`` why readable records were not pages (request, status 404, not html...)."""

    records: int = 0
    pages: int = 0
    bad_records: int = 0
    bad_reasons: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    truncated: bool = False

    def bad(self, reason: str) -> None:
        self.bad_records += 1
        self.bad_reasons[reason] += 1


def is_warc_path(name: str) -> bool:
    """True for names that the CLI routes to the bulk job (.warc, .warc.gz)."""
    return name.lower().endswith(WARC_SUFFIXES)


def check_warc(path: Path) -> None:
    """Fail early, with a message that names the file and says why, for a file that cannot
    be a WARC at all; everything past its first bytes is judged record by record."""
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except FileNotFoundError as error:
        raise WarcOpenError(f"{path}: no such file; check the path") from error
    except IsADirectoryError as error:
        raise WarcOpenError(f"{path}: is a folder, not a WARC file") from error
    except PermissionError as error:
        raise WarcOpenError(f"{path}: permission denied; check the file's permissions") from error
    except OSError as error:
        raise WarcOpenError(f"{path}: could not read ({error.strerror or error})") from error
    if not head:
        raise WarcOpenError(f"{path}: file is empty")
    if not (head.startswith(_GZIP_MEMBER) or head.startswith(_PLAIN_RECORD)):
        raise WarcOpenError(f"{path}: not a WARC file (it starts with neither gzip nor WARC/1.x)")


def _decode_body(body: bytes, encoding: str) -> bytes | None:
    """Undo a Content-Encoding the archive kept; None when it cannot be undone."""
    encoding = encoding.strip().lower()
    try:
        if encoding in ("", "identity"):
            return body
        if encoding in ("gzip", "x-gzip"):
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            # Servers send both zlib-wrapped and raw deflate under this name.
            inflater = zlib.decompressobj(zlib.MAX_WBITS if body[:1] == b"\x78" else -15)
        elif encoding == "br":
            return _unbrotli(body)
        else:
            return None
        data = inflater.decompress(body, _MAX_BODY)
        return None if inflater.unconsumed_tail else data
    except zlib.error:
        return None


def _unbrotli(body: bytes) -> bytes | None:
    try:
        import brotli  # type: ignore[import-untyped,import-not-found,unused-ignore]  # optional extra
    except ImportError:
        return None
    try:
        data: bytes = brotli.decompress(body)
    except brotli.error:
        return None
    return data


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _broken_reason(record: WarcRecord) -> str | None:
    """Why a record that parsed is still garbage: a cut-off gzip member can decode into a
    header block missing its mandatory fields, or HTTP headers that do not parse."""
    from fastwarc.warc import WarcRecordType

    headers = record.headers
    if headers.get("Content-Length") is None:
        return "WARC header without Content-Length"
    if (
        record.record_type == WarcRecordType.response
        and _media_type(headers.get("Content-Type")) == "application/http"
        and not record.is_http
    ):
        return "unparseable HTTP header"
    return None


def _skip_reason(record: WarcRecord) -> str | None:
    """Why a readable record is not a page to extract, or None when it is one."""
    from fastwarc.warc import WarcRecordType

    if record.record_type != WarcRecordType.response:
        return str(record.record_type)
    if not record.is_http:
        return "not http"
    status = record.http_headers.status_code
    if status != 200:
        return f"status {status}"
    if _media_type(record.http_content_type) not in HTML_TYPES:
        return "not html"
    return None


def _next_boundary(stream: BinaryIO, after: int, marker: bytes) -> int | None:
    """Offset of the next possible record start past ``after``, scanning raw bytes."""
    position = after + 1
    stream.seek(position)
    carry = b""
    while chunk := stream.read(_SCAN_CHUNK):
        data = carry + chunk
        found = data.find(marker)
        if found >= 0:
            return position - len(carry) + found
        carry = data[-(len(marker) - 1) :]
        position += len(chunk)
    return None


def iter_html_responses(path: Path, stats: WarcStats | None = None) -> Iterator[WarcPage]:
    """Yield every HTTP 200 HTML response in ``path`` (.warc or .warc.gz).

    Pass a :class:`WarcStats` to learn what was skipped; it is filled in as the iteration
    goes. Raises :class:`WarcOpenError` only when the file cannot be read at all.
    """
    stats = stats if stats is not None else WarcStats()
    check_warc(path)
    with path.open("rb") as stream:
        marker = _GZIP_MEMBER if stream.read(3) == _GZIP_MEMBER else _PLAIN_RECORD
        start: int | None = 0
        while start is not None:
            stream.seek(start)
            failure = yield from _read_from(stream, start, stats)
            if failure is None:
                return
            broken, reason = failure.broken, failure.reason
            if broken is None:  # the failing record starts at the next boundary
                broken = _next_boundary(stream, failure.after, marker)
            start = None if broken is None else _next_boundary(stream, broken, marker)
            if start is None:
                stats.truncated = True
                reason = "file ends mid-record (truncated)"
            stats.bad(reason)


@dataclass(frozen=True, slots=True)
class _Failure:
    """Where reading broke: the broken record's offset when known, else the offset of the
    last good record (the broken one is the next), and why."""

    broken: int | None
    after: int
    reason: str


def _read_from(
    stream: BinaryIO, start: int, stats: WarcStats
) -> Generator[WarcPage, None, _Failure | None]:
    """Read records from ``start`` to the end (returns None) or to a broken record."""
    from fastwarc.warc import ArchiveIterator

    current, consumed, seen = start, True, False
    try:
        for record in ArchiveIterator(stream, parse_http=True):
            current, consumed, seen = record.stream_pos, False, True
            stats.records += 1
            page = _page(record, stats)
            consumed = True
            if isinstance(page, str):
                return _Failure(current, current, page)
            if page is not None:
                stats.pages += 1
                yield page
    except OSError as error:
        reason = f"unreadable record ({error})"
        if not consumed:
            return _Failure(current, current, reason)
        if not seen:  # the very first record here is the broken one
            return _Failure(start, start, reason)
        return _Failure(None, current, reason)
    return None


def _page(record: WarcRecord, stats: WarcStats) -> WarcPage | str | None:
    """The page in a record; None for a record that is not one (tallied in ``stats``); a
    reason string for a broken record that reading cannot go on past."""
    broken = _broken_reason(record)
    if broken is not None:
        return broken
    reason = _skip_reason(record)
    if reason is not None:
        stats.skipped[reason] += 1
        return None
    expected = record.content_length
    body = record.reader.read()
    if len(body) < expected:
        return "content shorter than its Content-Length"
    encoding = record.http_headers.get("Content-Encoding") or ""
    content = _decode_body(body, encoding)
    if content is None:
        stats.bad(f"undecodable Content-Encoding {encoding.strip().lower()!r}")
        return None
    return WarcPage(
        url=record.headers.get("WARC-Target-URI"),
        date=record.record_date,
        content=content,
        # The whole header, not http_content_type: the charset parameter guides decoding.
        content_type=record.http_headers.get("Content-Type") or record.http_content_type,
    )
