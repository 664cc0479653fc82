"""Build small WARC files at test time, good records and deliberately broken ones.

Fixtures are generated rather than checked in so that each broken record is described by the
code that breaks it, and nobody has to wonder what bytes a binary fixture holds.
"""

from __future__ import annotations

import gzip
import io
import uuid
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "seed-article"
SEED_URL = "https://ledger.example/world/its-time-for-russias-remaining-jews-to-leave"
SEED_TITLE = "It’s Time For Russia’s Remaining Jews To Leave"
EMPTY_URL = "https://ledger.example/empty"
SYNDICATED_URL = "https://wire.example/2024/russia-jews-syndicated"
XHTML_URL = "https://ledger.example/xhtml/story"
AFTER_BROKEN_URL = "https://ledger.example/after/broken-records"
WARC_DATE = "2024-03-01T12:00:00Z"

XHTML_PAGE = b"""<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>An XHTML story</title></head>
<body><article><h1>An XHTML story</h1>
<p>This page is served as application/xhtml+xml, which the archive reader must accept as HTML
just as it accepts text/html, because some newsrooms still serve their pages this way.</p>
<p>A second paragraph gives the extractor enough words to work with and call it a body.</p>
</article></body></html>"""

SHORT_PAGE = b"""<!doctype html><html><head><title>After the broken records</title></head>
<body><article><h1>After the broken records</h1>
<p>This page comes after every broken record in the fixture, so finding it shows that the
reader went on past them rather than giving up on the rest of the archive.</p></article>
</body></html>"""


def seed_html() -> bytes:
    return (FIXTURES / "page.html").read_bytes()


def syndicated_html() -> bytes:
    return (FIXTURES / "syndicated-copy.html").read_bytes()


@dataclass(frozen=True, slots=True)
class Response:
    """One HTTP response to archive; ``encoding`` stores the body compressed on the wire."""

    url: str
    body: bytes
    status: str = "200 OK"
    content_type: str = "text/html; charset=utf-8"
    encoding: str | None = None


@dataclass(slots=True)
class Fixture:
    """What a generated archive holds, so tests compare against facts rather than numbers."""

    path: Path
    good_urls: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    bad_records: int = 0
    empty_urls: list[str] = field(default_factory=list)


def _encode(body: bytes, encoding: str | None) -> bytes:
    if encoding == "gzip":
        return gzip.compress(body)
    if encoding == "deflate":
        return zlib.compress(body)
    return body


def _record_id(url: str) -> str:
    """Fixed IDs keep the compressed bytes, and so how a broken member breaks, the same on
    every run (gzip is deterministic, but warcio's random IDs are not)."""
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}>"


def record_bytes(response: Response, *, compress: bool = True) -> bytes:
    """One response record (one gzip member when ``compress``), as warcio writes it."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    headers = [("Content-Type", response.content_type)]
    if response.encoding:
        headers.append(("Content-Encoding", response.encoding))
    payload = _encode(response.body, response.encoding)
    headers.append(("Content-Length", str(len(payload))))
    record = writer.create_warc_record(
        response.url,
        "response",
        payload=io.BytesIO(payload),
        length=len(payload),  # without it warcio spools to temporary files it never closes
        http_headers=StatusAndHeaders(response.status, headers, protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": WARC_DATE, "WARC-Record-ID": _record_id(response.url)},
    )
    writer.write_record(record)
    return buffer.getvalue()


def _other_record(kind: str, url: str) -> bytes:
    """A request or revisit record: valid WARC, but never a page to extract."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    if kind == "request":
        http = StatusAndHeaders(
            "GET / HTTP/1.1", [("Host", "ledger.example")], is_http_request=True
        )
        record = writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), length=0, http_headers=http
        )
    else:
        record = writer.create_revisit_record(
            url,
            digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            refers_to_uri=url,
            refers_to_date=WARC_DATE,
        )
    writer.write_record(record)
    return buffer.getvalue()


def write_warc(path: Path, responses: Sequence[Response], *, compress: bool = True) -> Path:
    """A plain archive of good responses (the building block for benchmarks too)."""
    with path.open("wb") as out:
        for response in responses:
            out.write(record_bytes(response, compress=compress))
    return path


def _bogus_length(response: Response) -> bytes:
    """A record whose WARC Content-Length claims far more bytes than the member holds."""
    raw = record_bytes(response, compress=False)
    head, _, rest = raw.partition(b"\r\n\r\n")
    lines = [
        b"Content-Length: 99999999" if line.lower().startswith(b"content-length:") else line
        for line in head.split(b"\r\n")
    ]
    return gzip.compress(b"\r\n".join(lines) + b"\r\n\r\n" + rest)


def build_fixture(path: Path, cut: float = 0.5) -> Fixture:
    """The main test archive: good pages, skipped records, then broken ones (a gzip member
    cut to ``cut`` of its length, a bogus Content-Length), then a last good page that shows
    the reader carried on."""
    fixture = Fixture(path)
    good = [
        Response(SEED_URL, seed_html()),
        Response(SYNDICATED_URL, syndicated_html(), encoding="gzip"),
        Response(XHTML_URL, XHTML_PAGE, content_type="application/xhtml+xml"),
    ]
    chunks = [record_bytes(response) for response in good]
    fixture.good_urls += [response.url for response in good]
    chunks.append(record_bytes(Response(EMPTY_URL, b"")))  # a page, but nothing to extract
    fixture.empty_urls.append(EMPTY_URL)
    chunks.append(_other_record("request", SEED_URL))
    chunks.append(_other_record("revisit", SEED_URL))
    chunks.append(
        record_bytes(
            Response("https://ledger.example/photo.png", b"\x89PNG\r\n", content_type="image/png")
        )
    )
    chunks.append(
        record_bytes(Response("https://ledger.example/gone", b"gone", status="404 Not Found"))
    )
    fixture.skipped = {"request": 1, "revisit": 1, "not html": 1, "status 404": 1}
    fixture.bad_records = 2
    truncated = record_bytes(Response("https://ledger.example/truncated", SHORT_PAGE))
    chunks.append(truncated[: int(len(truncated) * cut)])
    chunks.append(_bogus_length(Response("https://ledger.example/bogus-length", SHORT_PAGE)))
    chunks.append(record_bytes(Response(AFTER_BROKEN_URL, SHORT_PAGE)))
    fixture.good_urls.append(AFTER_BROKEN_URL)
    path.write_bytes(b"".join(chunks))
    return fixture


def build_truncated(path: Path) -> Fixture:
    """An archive cut off in the middle of its last record, as a failed download leaves it."""
    first = record_bytes(Response(SEED_URL, seed_html()))
    second = record_bytes(Response(SYNDICATED_URL, syndicated_html()))
    path.write_bytes(first + second[: len(second) // 2])
    return Fixture(path, good_urls=[SEED_URL])
