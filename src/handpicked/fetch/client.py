"""The polite, safe fetcher: one :class:`Fetcher` per poll run, shared by all its tasks.

Each request goes through, in order: the safety rules (scheme and metadata names here; every
resolved address where the connection is made, see :mod:`handpicked.fetch.safety`), the site's
robots.txt, a per-host gate (at most ``per_host_concurrency`` requests at once, starts at least
``per_host_interval`` apart, slower if robots.txt asks), then the request under one deadline
that covers connecting, headers and the whole body. Redirects are followed by hand so that each
hop is checked again. The body is decompressed here, in bounded pieces, so neither a long body
nor a small compression bomb can use more than ``max_bytes`` of memory. Failures that may pass
are retried with exponential back-off and full jitter, honouring Retry-After.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Protocol, Self, TypedDict, Unpack

import httpx

from handpicked import __version__
from handpicked.fetch.errors import FetchError, FetchTimeout, ResponseTooLarge
from handpicked.fetch.robots import MAX_ROBOTS_BYTES, RobotsCache
from handpicked.fetch.safety import AddressPolicy, check_target, safe_transport

try:  # brotli is optional; it is used only when it can bound its output (brotli >= 1.2)
    import brotli  # type: ignore[import-untyped, import-not-found, unused-ignore]
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

_DECODE_ERRORS: tuple[type[Exception], ...] = (zlib.error,) + (
    (brotli.error,) if brotli is not None else ()
)

__all__ = [
    "DEFAULT_ACCEPT",
    "DEFAULT_USER_AGENT",
    "MAX_CRAWL_DELAY",
    "FetchResult",
    "Fetcher",
    "FetcherOptions",
    "fetch_sync",
    "parse_retry_after",
]

DEFAULT_USER_AGENT = f"handpicked/{__version__} (+https://github.com/handpicked/handpicked)"
DEFAULT_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ROBOTS_ACCEPT = "text/plain,*/*;q=0.5"
MAX_CRAWL_DELAY = 60.0  # a larger Crawl-delay would stall a whole run on one site
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PIECE = 64 * 1024  # most bytes a decoder returns at once
_BROTLI = brotli is not None and hasattr(brotli.Decompressor(), "can_accept_more_data")
ACCEPT_ENCODING = "gzip, deflate, br" if _BROTLI else "gzip, deflate"


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A fetched response: ``url`` is the final URL after redirects; a 304 has no content."""

    url: str
    status: int
    content: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool
    headers: Mapping[str, str]


def _size(limit: int) -> str:
    if limit >= 1_048_576:
        return (
            f"{limit // 1_048_576} MB" if limit % 1_048_576 == 0 else f"{limit / 1_048_576:.1f} MB"
        )
    return f"{limit // 1024} KB" if limit >= 1024 else f"{limit} bytes"


def _too_large(limit: int, url: httpx.URL, status: int) -> FetchError:
    return ResponseTooLarge(
        f"response is over the {_size(limit)} limit", status=status, url=str(url), retryable=False
    )


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None if unusable."""
    if not value or not (value := value.strip()):
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if 0 <= seconds < float("inf") else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


# -- bounded decompression ---------------------------------------------------------------------


class _Decoder(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...
    def finish(self) -> Iterator[bytes]: ...


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        yield data

    def finish(self) -> Iterator[bytes]:
        yield from ()


class _Zlib:
    """gzip (several members allowed) or deflate (zlib-wrapped, or raw as some servers send)."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._started = False
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        while True:
            try:
                piece = self._inflater.decompress(data, _PIECE)
            except zlib.error:
                if self._gzip or self._started:
                    raise
                self._started = True  # raw deflate, without the zlib wrapper
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._started = True
            data = self._inflater.unconsumed_tail
            if piece:
                yield piece
            if self._inflater.eof and self._gzip and self._inflater.unused_data[:2] == b"\x1f\x8b":
                data = self._inflater.unused_data
                self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                continue
            if not data and len(piece) < _PIECE:
                return

    def finish(self) -> Iterator[bytes]:
        if rest := self._inflater.flush():
            yield rest


class _Brotli:
    def __init__(self) -> None:
        assert brotli is not None
        self._decompressor = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        yield self._decompressor.process(data, output_buffer_limit=_PIECE)
        while not self._decompressor.can_accept_more_data():
            piece = self._decompressor.process(b"", output_buffer_limit=_PIECE)
            if not piece:
                return
            yield piece

    def finish(self) -> Iterator[bytes]:
        yield from ()


class _Chain:
    """Content codings applied in order, so they are undone last first."""

    def __init__(self, decoders: list[_Decoder]) -> None:
        self._decoders = decoders

    def feed(self, data: bytes) -> Iterator[bytes]:
        return self._through(0, self._decoders[0].feed(data))

    def finish(self) -> Iterator[bytes]:
        for index, decoder in enumerate(self._decoders):
            yield from self._through(index + 1, decoder.finish())

    def _through(self, index: int, pieces: Iterable[bytes]) -> Iterator[bytes]:
        if index == len(self._decoders):
            yield from pieces
            return
        for piece in pieces:
            yield from self._through(index + 1, self._decoders[index].feed(piece))


def _decoder(content_encoding: str | None, url: httpx.URL) -> _Decoder:
    codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
    decoders: list[_Decoder] = [_Identity()]
    for coding in reversed([c for c in codings if c not in ("", "identity")]):
        if coding in ("gzip", "x-gzip"):
            decoders.append(_Zlib(gzip=True))
        elif coding == "deflate":
            decoders.append(_Zlib(gzip=False))
        elif coding == "br" and _BROTLI:
            decoders.append(_Brotli())
        else:
            raise FetchError(
                f"{url.host} sent the body in {coding!r} encoding, which handpicked cannot "
                "decode; report this site if it should work",
                url=str(url),
            )
    return _Chain(decoders)


# -- politeness --------------------------------------------------------------------------------


class _HostGate:
    """At most ``concurrency`` requests to one host at once, starting ``interval`` s apart."""

    def __init__(self, concurrency: int, interval: float) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self._starting = asyncio.Lock()
        self._interval = interval
        self._last_start: float | None = None

    def slow_down(self, interval: float) -> None:
        """Leave at least ``interval`` s between starts from now on (robots.txt asked)."""
        self._interval = max(self._interval, interval)

    async def __aenter__(self) -> None:
        await self._slots.acquire()
        try:
            async with self._starting:
                loop = asyncio.get_running_loop()
                if self._last_start is not None:
                    wait = self._last_start + self._interval - loop.time()
                    if wait > 0:
                        await asyncio.sleep(wait)
                self._last_start = loop.time()
        except BaseException:
            self._slots.release()
            raise

    async def __aexit__(self, *exc_info: object) -> None:
        self._slots.release()


# -- errors from responses and transports ------------------------------------------------------


def _status_hint(status: int) -> str:
    if status in (401, 403):
        return "the site refuses access; check whether the page needs a login"
    if status == 404:
        return "check the URL; the page may have moved or been removed"
    if status == 410:
        return "the page was removed; drop it from your sources"
    if status in (408, 429):
        return "the site asks for fewer requests; try again later"
    if status >= 500:
        return "the site has a problem; try again later"
    if status < 400:
        return "the redirect gives no Location; the site is misconfigured"
    return "the site rejected the request; check the URL"


def _transport_error(error: httpx.HTTPError, url: httpx.URL, timeout: float) -> FetchError:
    host, shown = url.host, str(error) or type(error).__name__
    if isinstance(error, httpx.TimeoutException):
        return _timed_out(url, timeout)
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, httpx.ConnectError) and "CERTIFICATE_VERIFY_FAILED" in str(cause):
            return FetchError(
                f"the TLS certificate of {host} could not be verified ({shown}); "
                "the site's certificate is wrong or expired",
                url=str(url),
            )
        cause = cause.__cause__
    if isinstance(error, httpx.ConnectError):
        message = f"could not connect to {host} ({shown}); check the URL or try again later"
        return FetchError(message, retryable=True, url=str(url))
    if isinstance(error, httpx.TransportError) and not isinstance(
        error, httpx.UnsupportedProtocol | httpx.ProxyError
    ):
        message = f"the connection to {host} failed ({shown}); try again later"
        return FetchError(message, retryable=True, url=str(url))
    return FetchError(f"could not fetch {url} ({shown}); check the URL", url=str(url))


def _timed_out(url: httpx.URL, timeout: float) -> FetchError:
    return FetchTimeout(
        f"{url.host} did not answer in full within {timeout:g} s; it may be slow or down, "
        "try again later",
        retryable=True,
        url=str(url),
    )


# -- the fetcher -------------------------------------------------------------------------------


class FetcherOptions(TypedDict, total=False):
    """:class:`Fetcher`'s keyword arguments, for :func:`fetch_sync`."""

    allow_private_networks: bool | None
    allowed_networks: Iterable[str]
    user_agent: str
    timeout: float
    max_bytes: int
    max_redirects: int
    per_host_concurrency: int
    per_host_interval: float
    retries: int
    backoff_base: float
    backoff_max: float
    respect_robots: bool
    robots_cache: RobotsCache | None


class Fetcher:
    """Fetches URLs politely and safely; use as ``async with Fetcher() as fetcher:``.

    ``allow_private_networks=None`` takes ``HANDPICKED_ALLOW_PRIVATE_NETWORKS``;
    ``allowed_networks`` (CIDRs) opens a few intranet hosts without opening all private ones.
    ``timeout`` bounds each request (connect, headers, whole body), not the wait for a polite
    slot. ``retries`` is the number of tries after the first. Pass a ``robots_cache`` to keep
    robots.txt answers across runs. Asyncio only.
    """

    def __init__(
        self,
        *,
        allow_private_networks: bool | None = None,
        allowed_networks: Iterable[str] = (),
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: float = 20.0,
        max_bytes: int = 20 * 1024 * 1024,
        max_redirects: int = 5,
        per_host_concurrency: int = 2,
        per_host_interval: float = 1.0,
        retries: int = 3,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        respect_robots: bool = True,
        robots_cache: RobotsCache | None = None,
    ) -> None:
        if timeout <= 0 or max_bytes <= 0 or per_host_concurrency < 1:
            raise ValueError("timeout, max_bytes and per_host_concurrency must be positive")
        if max_redirects < 0 or retries < 0 or min(per_host_interval, backoff_base) < 0:
            raise ValueError("max_redirects, retries, intervals and back-off cannot be negative")
        self.user_agent = user_agent
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._per_host = (per_host_concurrency, per_host_interval)
        self._retries = retries
        self._backoff = (backoff_base, backoff_max)
        self._robots = (robots_cache or RobotsCache()) if respect_robots else None
        self._gates: dict[str, _HostGate] = {}
        self._random = random.Random()
        policy = AddressPolicy.create(allow_private_networks, allowed_networks)
        self._client = httpx.AsyncClient(
            transport=safe_transport(policy),
            follow_redirects=False,
            trust_env=False,
            timeout=timeout,
            headers={"User-Agent": user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
    ) -> FetchResult:
        """GET ``url``; raise :class:`FetchError` (with ``reason``) when that fails.

        With ``etag`` or ``last_modified`` the request is conditional, and an unchanged page
        comes back as ``not_modified`` with status 304 and no content.
        """
        headers = {"Accept": accept or DEFAULT_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        tries = 0
        while True:
            tries += 1
            try:
                return await self._follow(url, headers, self._max_bytes, robots=True)
            except FetchError as error:
                delay = self._retry_delay(error, tries)
                if delay is None and tries == 1:
                    raise
                if delay is None:
                    raise error.after_tries(tries) from error
                await asyncio.sleep(delay)

    def _retry_delay(self, error: FetchError, tries: int) -> float | None:
        """Seconds before the next try, or None to give up now."""
        base, cap = self._backoff
        if not error.retryable or tries > self._retries:
            return None
        if error.retry_after is not None:
            return error.retry_after if error.retry_after <= cap else None
        return self._random.uniform(0, min(cap, base * 2 ** (tries - 1)))

    async def _follow(
        self, url: str, headers: dict[str, str], max_bytes: int, *, robots: bool
    ) -> FetchResult:
        """Fetch ``url``, following redirects by hand and checking every hop."""
        try:
            current = httpx.URL(url)
        except httpx.InvalidURL as error:
            raise FetchError(f"{url!r} is not a valid URL ({error}); check it", url=url) from error
        chain = [str(current.copy_with(fragment=None))]
        for _ in range(self._max_redirects + 1):
            host = check_target(current)
            if robots and self._robots is not None:
                rules = await self._robots.check(current, self.user_agent, self._fetch_robots)
                if (delay := rules.delay(self.user_agent)) is not None:
                    self._gate(host).slow_down(min(delay, MAX_CRAWL_DELAY))
            outcome = await self._hop(current, host, headers, max_bytes)
            if isinstance(outcome, FetchResult):
                return outcome
            target = str(outcome.copy_with(fragment=None))
            if target in chain:
                shown = " -> ".join([*chain[chain.index(target) :], target])
                raise FetchError(
                    f"redirect loop ({shown}); the site is misconfigured, try the URL in a browser",
                    url=url,
                )
            chain.append(target)
            current = outcome
        raise FetchError(
            f"more than {self._max_redirects} redirects from {url}; the site may be "
            "misconfigured, try the URL in a browser",
            url=url,
        )

    async def _fetch_robots(self, url: str) -> bytes:
        robots_headers = {"Accept": ROBOTS_ACCEPT}
        return (await self._follow(url, robots_headers, MAX_ROBOTS_BYTES, robots=False)).content

    def _gate(self, host: str) -> _HostGate:
        key = host.lower().rstrip(".")
        if key not in self._gates:
            self._gates[key] = _HostGate(*self._per_host)
        return self._gates[key]

    async def _hop(
        self, url: httpx.URL, host: str, headers: dict[str, str], max_bytes: int
    ) -> FetchResult | httpx.URL:
        """One request: a result, or the URL a redirect points to."""
        async with self._gate(host):
            try:
                async with asyncio.timeout(self._timeout):
                    request = self._client.build_request("GET", url, headers=headers)
                    response = await self._client.send(request, stream=True)
                    try:
                        return await self._read(response, url, headers, max_bytes)
                    finally:
                        await response.aclose()
            except TimeoutError as error:
                raise _timed_out(url, self._timeout) from error
            except httpx.HTTPError as error:
                raise _transport_error(error, url, self._timeout) from error

    async def _read(
        self, response: httpx.Response, url: httpx.URL, headers: dict[str, str], max_bytes: int
    ) -> FetchResult | httpx.URL:
        status = response.status_code
        location = response.headers.get("location")
        if status in REDIRECTS and location:
            try:
                return url.join(location)
            except httpx.InvalidURL as error:
                raise FetchError(
                    f"{url} redirects to an invalid URL ({location!r}); the site is misconfigured",
                    url=str(url),
                ) from error
        if status >= 300 and status != 304:
            raise self._status_error(response, url)
        if status == 304:  # unchanged: the caller keeps its validators unless new ones came
            etag = response.headers.get("etag") or headers.get("If-None-Match")
            last_modified = response.headers.get("last-modified") or headers.get(
                "If-Modified-Since"
            )
            return self._result(response, url, b"", etag, last_modified)
        length = response.headers.get("content-length", "").strip()
        if length.isdigit() and int(length) > max_bytes:
            raise _too_large(max_bytes, url, status)
        content = await self._body(response, url, max_bytes)
        etag, last_modified = response.headers.get("etag"), response.headers.get("last-modified")
        return self._result(response, url, content, etag, last_modified)

    @staticmethod
    def _result(
        response: httpx.Response,
        url: httpx.URL,
        content: bytes,
        etag: str | None,
        last_modified: str | None,
    ) -> FetchResult:
        return FetchResult(
            url=str(url),
            status=response.status_code,
            content=content,
            content_type=response.headers.get("content-type"),
            etag=etag,
            last_modified=last_modified,
            not_modified=response.status_code == 304,
            headers=httpx.Headers(response.headers),
        )

    def _status_error(self, response: httpx.Response, url: httpx.URL) -> FetchError:
        status = response.status_code
        retryable = status in (408, 429) or status >= 500
        retry_after = parse_retry_after(response.headers.get("retry-after")) if retryable else None
        reason = f"HTTP {status} {response.reason_phrase}".strip()
        message = f"{reason} from {url}; {_status_hint(status)}"
        if retry_after is not None and retry_after > self._backoff[1]:
            message += f" (the site asks to wait {retry_after:.0f} s first)"
        return FetchError(
            message, retryable=retryable, retry_after=retry_after, status=status, url=str(url)
        )

    async def _body(self, response: httpx.Response, url: httpx.URL, max_bytes: int) -> bytes:
        """The decompressed body, refused as soon as it (or its compressed form) passes
        ``max_bytes``."""
        decoder = _decoder(response.headers.get("content-encoding"), url)
        body = bytearray()
        received = 0

        def take(pieces: Iterable[bytes]) -> None:
            for piece in pieces:
                body.extend(piece)
                if len(body) > max_bytes:
                    raise _too_large(max_bytes, url, response.status_code)

        try:
            async for raw in response.aiter_raw():
                received += len(raw)
                if received > max_bytes:
                    raise _too_large(max_bytes, url, response.status_code)
                take(decoder.feed(raw))
            take(decoder.finish())
        except _DECODE_ERRORS as error:
            raise FetchError(
                f"{url.host} sent a body that does not decompress ({error}); the site is "
                "sending broken data, try again later",
                url=str(url),
            ) from error
        return bytes(body)


def fetch_sync(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str | None = None,
    **options: Unpack[FetcherOptions],
) -> FetchResult:
    """Fetch one URL with a fresh :class:`Fetcher` (for the CLI; not inside an event loop)."""

    async def run() -> FetchResult:
        async with Fetcher(**options) as fetcher:
            return await fetcher.fetch(url, etag=etag, last_modified=last_modified, accept=accept)

    return asyncio.run(run())
