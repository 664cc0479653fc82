"""Where pages come from: files, folders, URLs and standard input, each read to raw bytes.

Reading is kept apart from extraction so that every way an input can fail (missing file, HTTP
error, timeout, a body over the size cap, a broken gzip) ends as one :class:`SourceError` with a
message that says what to do, and the CLI can report it and go on with the other inputs.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from handpicked.errors import HandpickedError
from handpicked.extract.document import MAX_INPUT_BYTES
from handpicked.fetch.client import Fetcher, FetchResult
from handpicked.fetch.errors import FetchError, FetchTimeout, ResponseTooLarge
from handpicked.fetch.safety import ALLOW_HINT

__all__ = [
    "DEFAULT_TIMEOUT",
    "HTML_SUFFIXES",
    "MAX_REDIRECTS",
    "STDIN",
    "Kind",
    "Page",
    "Source",
    "SourceError",
    "expand_sources",
    "fetch_url",
    "is_url",
    "read_file",
    "read_source",
    "read_stream",
]

DEFAULT_TIMEOUT = 20.0
MAX_REDIRECTS = 5
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
STDIN = "-"
_GZIP_MAGIC = b"\x1f\x8b"


class SourceError(HandpickedError):
    """An input could not be read; the message says why and what to do about it."""


class Kind(Enum):
    """How a source is read."""

    FILE = "file"
    URL = "url"
    STDIN = "stdin"
    EMPTY_FOLDER = "empty-folder"


@dataclass(frozen=True, slots=True)
class Source:
    """One input as the user named it (``name`` is what messages and ``--json`` show)."""

    name: str
    kind: Kind
    location: str


@dataclass(frozen=True, slots=True)
class Page:
    """A page's raw bytes with what the transport said about them."""

    data: bytes
    url: str | None = None
    content_type: str | None = None


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size < 10 * 1_048_576 else f"{size // 1_048_576} MB"


def _too_large(limit: int) -> SourceError:
    return SourceError(
        f"input is over the {_megabytes(limit)} limit; pass a larger --max-bytes if it really "
        "is one article"
    )


def is_url(text: str) -> bool:
    """True for http and https URLs, the only remote sources we fetch."""
    return text.lower().startswith(("http://", "https://"))


def _is_html_file(path: Path) -> bool:
    return path.is_file() and path.name.lower().endswith(HTML_SUFFIXES)


def expand_sources(arguments: Iterable[str]) -> list[Source]:
    """Turn command-line arguments into sources, in order; folders expand to their HTML files.

    A folder is searched recursively and its files are sorted, so runs are repeatable. Nothing
    is checked here beyond that: a missing file fails when it is read, next to the other inputs.
    """
    sources: list[Source] = []
    for argument in arguments:
        if argument == STDIN:
            sources.append(Source("<stdin>", Kind.STDIN, STDIN))
        elif is_url(argument):
            sources.append(Source(argument, Kind.URL, argument))
        elif (folder := Path(argument)).is_dir():
            files = sorted(
                (path for path in folder.rglob("*") if _is_html_file(path)),
                key=lambda path: path.relative_to(folder).parts,
            )
            if not files:
                sources.append(Source(argument, Kind.EMPTY_FOLDER, argument))
            sources.extend(Source(str(path), Kind.FILE, str(path)) for path in files)
        else:
            sources.append(Source(argument, Kind.FILE, argument))
    return sources


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip data, stopping as soon as the output passes ``max_bytes`` (no bombs)."""
    output = bytearray()
    while data:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            output += inflater.decompress(data, max_bytes + 1 - len(output))
        except zlib.error as error:
            raise SourceError(f"input is not valid gzip data ({error})") from error
        if len(output) > max_bytes:
            raise _too_large(max_bytes)
        if not inflater.eof:
            raise SourceError("gzip data is truncated; check that the file is complete")
        # A gzip file may hold several members one after another.
        data = inflater.unused_data
        if data and not data.startswith(_GZIP_MAGIC):
            break
    return bytes(output)


def _maybe_gunzip(data: bytes, max_bytes: int) -> bytes:
    """Gzip is recognised by its magic bytes, so a compressed page works whatever its name."""
    return _gunzip(data, max_bytes) if data.startswith(_GZIP_MAGIC) else data


def _read_capped(stream: BinaryIO, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    return data


def read_stream(stream: BinaryIO, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """Read a byte stream (standard input), refusing more than ``max_bytes``."""
    # Compressed input may be far smaller than the page; allow it, then cap the page itself.
    return _maybe_gunzip(_read_capped(stream, max_bytes), max_bytes)


def read_file(path: str | Path, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """Read a page file (plain or gzip), refusing more than ``max_bytes`` of page."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            return _maybe_gunzip(_read_capped(stream, max_bytes), max_bytes)
    except FileNotFoundError as error:
        raise SourceError("no such file; check the path") from error
    except IsADirectoryError as error:
        raise SourceError("is a folder, not a file") from error
    except PermissionError as error:
        raise SourceError("permission denied; check the file's permissions") from error
    except OSError as error:
        raise SourceError(f"could not read the file ({error.strerror or error})") from error


def fetch_url(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_INPUT_BYTES,
    allow_private_networks: bool | None = None,
) -> Page:
    """Fetch a page over HTTP(S) through the same guarded :class:`Fetcher` as polling.

    So the command line gets the same rules: private and loopback addresses refused unless
    ``allow_private_networks`` (``None`` takes ``HANDPICKED_ALLOW_PRIVATE_NETWORKS``), cloud
    metadata never, every redirect checked again (up to five), the body decompressed in
    bounded pieces and refused past ``max_bytes``, no proxy taken from the environment, and one
    user agent. ``timeout`` bounds the whole fetch, connecting, headers, body and redirects
    included, so a server that trickles bytes cannot hold a run. robots.txt is not consulted
    and nothing is retried: the user asked for this one page and is waiting for it.
    """
    try:
        result = asyncio.run(_fetch(url, timeout, max_bytes, allow_private_networks))
    except (TimeoutError, FetchTimeout) as error:
        raise SourceError(
            f"timed out after {timeout:g} s; try again or pass a larger --timeout"
        ) from error
    except ResponseTooLarge as error:
        raise _too_large(max_bytes) from error
    except FetchError as error:
        reason = error.reason.replace(f"({ALLOW_HINT})", "(pass --allow-private to allow)")
        raise SourceError(reason) from error
    return Page(
        data=_maybe_gunzip(result.content, max_bytes),
        url=result.url,
        content_type=result.content_type,
    )


async def _fetch(
    url: str, timeout: float, max_bytes: int, allow_private_networks: bool | None
) -> FetchResult:
    async with (
        asyncio.timeout(timeout),
        Fetcher(
            allow_private_networks=allow_private_networks,
            timeout=timeout,
            max_bytes=max_bytes,
            max_redirects=MAX_REDIRECTS,
            retries=0,
            respect_robots=False,
            per_host_interval=0.0,  # the hops of one redirect chain need no spacing
        ) as fetcher,
    ):
        return await fetcher.fetch(url)


def read_source(
    source: Source,
    *,
    stdin: bytes | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_INPUT_BYTES,
    allow_private_networks: bool | None = None,
) -> Page:
    """Read any source to a :class:`Page`. Standard input is read once by the caller and
    passed in as ``stdin``, since worker processes cannot share it."""
    if source.kind is Kind.URL:
        return fetch_url(
            source.location,
            timeout=timeout,
            max_bytes=max_bytes,
            allow_private_networks=allow_private_networks,
        )
    if source.kind is Kind.STDIN:
        return Page(stdin or b"")
    if source.kind is Kind.EMPTY_FOLDER:
        raise SourceError("folder holds no .html, .htm or .html.gz files; check the path")
    return Page(read_file(source.location, max_bytes))
