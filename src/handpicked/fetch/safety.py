"""Network-safety rules: user-given URLs must not turn the server against its own network.

A feed URL, or a redirect it leads to, could point at ``127.0.0.1``, an intranet host or the
cloud metadata service (server-side request forgery). Only http and https are fetched, and every
address a host name resolves to must be public, unless private networks are allowed
(``HANDPICKED_ALLOW_PRIVATE_NETWORKS=1``, or ``allowed_networks`` for a few intranet hosts).
Cloud metadata endpoints are refused even then: they hand out credentials.

The check runs where the connection is made (:class:`SafeNetworkBackend`): the host is resolved
once, every address is checked, and the socket is opened to a checked address, never to the name
again, so DNS rebinding between check and connect is impossible. TLS certificate checks and SNI
still use the host name, which httpcore passes separately. URLs are parsed by httpx, as the
client does, so the checker and the connection cannot disagree about the host.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

import httpcore
import httpx

from handpicked.fetch.errors import FetchError, UnsafeAddressError
from handpicked.settings import load_settings

__all__ = [
    "ALLOW_HINT",
    "AddressPolicy",
    "IPAddress",
    "Resolver",
    "SafeNetworkBackend",
    "address_problem",
    "check_target",
    "check_url",
    "check_url_async",
    "is_public_address",
    "resolve",
    "resolve_async",
    "safe_transport",
]

IPAddress = IPv4Address | IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

ALLOW_HINT = "set HANDPICKED_ALLOW_PRIVATE_NETWORKS=1 to allow"
SCHEMES = frozenset({"http", "https"})
METADATA = "a cloud metadata address"
METADATA_HOSTS = frozenset(
    {"metadata", "metadata.google.internal", "metadata.goog", "instance-data.ec2.internal"}
)
METADATA_ADDRESSES = frozenset(
    ip_address(text)
    for text in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, ...
        "169.254.170.2",  # AWS ECS task credentials
        "169.254.170.23",  # AWS EKS pod identity
        "100.100.100.200",  # Alibaba Cloud
        "168.63.129.16",  # Azure's wire server (a public address that hands out VM secrets)
        "fd00:ec2::254",  # AWS over IPv6
        "fd00:ec2::23",  # AWS EKS pod identity over IPv6
    )
)
_SHARED = ip_network("100.64.0.0/10")
_NAT64 = ip_network("64:ff9b::/96")


def _embedded_ipv4(address: IPv6Address) -> tuple[IPv4Address, bool] | None:
    """The IPv4 address an IPv6 one carries, which is where packets to it may really go, and
    whether the IPv6 form is only a way of writing that IPv4 address (IPv4-mapped, NAT64), so
    that the IPv4 verdict is the whole verdict. IPv4-compatible (``::a.b.c.d``),
    IPv4-translated (``::ffff:0:a.b.c.d``), 6to4 and Teredo forms are judged by their embedded
    address first and then as IPv6 addresses (all but 6to4 are reserved or private anyway)."""
    value = int(address)
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped, True
    if address in _NAT64:
        return IPv4Address(value & 0xFFFFFFFF), True
    if value >> 32 in (0, 0xFFFF0000) and value > 1:  # ::a.b.c.d and ::ffff:0:a.b.c.d
        return IPv4Address(value & 0xFFFFFFFF), False
    if address.sixtofour is not None:
        return address.sixtofour, False
    if address.teredo is not None:
        return address.teredo[1], False
    return None


def address_problem(address: IPAddress) -> str | None:
    """Why ``address`` is not a public one ("a loopback address", ...), or None when it is."""
    if address in METADATA_ADDRESSES:
        return METADATA
    if isinstance(address, IPv6Address) and (embedded := _embedded_ipv4(address)) is not None:
        ipv4, only_a_form = embedded
        problem = address_problem(ipv4)
        if problem is not None or only_a_form:
            return problem
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (isinstance(address, IPv4Address) and address in _SHARED, "a shared (CGNAT) address"),
        (isinstance(address, IPv6Address) and address.is_site_local, "a private address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (not address.is_global, "a non-public address"),
    )
    return next((problem for failed, problem in checks if failed), None)


def is_public_address(address: IPAddress) -> bool:
    """True when the fetcher may reach ``address`` with private networks refused."""
    return address_problem(address) is None


def _is_literal(host: str, address: IPAddress) -> bool:
    """True when ``host`` is ``address`` written out (the user typed it: nothing to hide)."""
    try:
        return ip_address(host.strip("[]").split("%", 1)[0]) == address
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which addresses may be reached: public ones, plus private ones when allowed."""

    allow_private_networks: bool = False
    allowed_networks: tuple[IPv4Network | IPv6Network, ...] = ()

    @classmethod
    def create(
        cls, allow_private_networks: bool | None = None, allowed_networks: Iterable[str] = ()
    ) -> AddressPolicy:
        """A policy; ``allow_private_networks=None`` takes it from the settings."""
        if allow_private_networks is None:
            allow_private_networks = load_settings().allow_private_networks
        networks = tuple(ip_network(network, strict=False) for network in allowed_networks)
        return cls(allow_private_networks, networks)

    def refusal(self, host: str, address: IPAddress) -> str | None:
        """The message refusing ``address`` (which ``host`` resolved to), or None if allowed."""
        problem = address_problem(address)
        if problem is None:
            return None
        # The address itself is not shown for a name: it would tell whoever added the URL
        # what the server's own DNS answers, a map of the network it sits in.
        said = f"{host} is" if _is_literal(host, address) else f"{host} resolves to"
        if problem == METADATA:
            return f"refused: {said} {problem}, which is never fetched"
        if self.allow_private_networks or any(address in net for net in self.allowed_networks):
            return None
        return f"refused: {said} {problem} ({ALLOW_HINT})"

    def check(self, host: str, addresses: Iterable[str]) -> None:
        """Raise :class:`UnsafeAddressError` unless every address is allowed: a name with one
        public and one private record is refused, since either may be the one used."""
        for text in addresses:
            message = self.refusal(host, ip_address(text.split("%", 1)[0]))
            if message is not None:
                raise UnsafeAddressError(message, url=host)


def check_target(url: httpx.URL) -> str:
    """Check what can be known without DNS (scheme, host, metadata names); return the host."""
    if url.scheme not in SCHEMES:
        shown = f"{url.scheme}://" if url.scheme else "scheme-less"
        raise UnsafeAddressError(
            f"refused: {shown} URLs are not fetched, only http and https; check the URL",
            url=str(url),
        )
    host = url.raw_host.decode("ascii")
    if not host:
        raise FetchError(f"{url} has no host name; check the URL", url=str(url))
    if host.lower().rstrip(".") in METADATA_HOSTS:
        raise UnsafeAddressError(
            f"refused: {host} is a cloud metadata endpoint, which is never fetched", url=str(url)
        )
    return host


def _port(url: httpx.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)


def _unresolvable(host: str, error: socket.gaierror) -> FetchError:
    temporary = error.errno == socket.EAI_AGAIN
    hint = "try again later" if temporary else "check the host name"
    return FetchError(
        f"could not resolve {host} ({error.strerror or error}); {hint}", retryable=temporary
    )


def _addresses(infos: Iterable[tuple[object, ...]]) -> list[str]:
    found: list[str] = []
    for info in infos:
        sockaddr = info[4]
        assert isinstance(sockaddr, tuple)
        text = str(sockaddr[0])
        if text not in found:
            found.append(text)
    return found


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order (IP literals, in any form
    the C library accepts, such as ``2130706433`` or ``0x7f.1``, resolve to themselves)."""
    try:
        return _addresses(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
    except socket.gaierror as error:
        raise _unresolvable(host, error) from error


async def resolve_async(host: str, port: int) -> list[str]:
    """:func:`resolve` without blocking the event loop."""
    loop = asyncio.get_running_loop()
    try:
        return _addresses(await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM))
    except socket.gaierror as error:
        raise _unresolvable(host, error) from error


def check_url(
    url: str,
    allow_private_networks: bool | None = None,
    *,
    allowed_networks: Iterable[str] = (),
) -> None:
    """Raise :class:`UnsafeAddressError` if ``url`` may not be fetched (see the module's rules).

    ``allow_private_networks=None`` takes the setting. This looks the host up now; the fetcher
    repeats the check when it connects, so a later change of DNS answer cannot slip through.
    """
    parsed = _parse(url)
    host = check_target(parsed)
    policy = AddressPolicy.create(allow_private_networks, allowed_networks)
    policy.check(host, resolve(host, _port(parsed)))


async def check_url_async(
    url: str, policy: AddressPolicy, *, resolver: Resolver = resolve_async
) -> None:
    """:func:`check_url` without blocking the event loop, for URLs that are stored now and
    fetched later (an OPML import): a refused URL should not even be kept.

    A host that does not resolve at the moment passes: it cannot be judged yet, and the
    fetcher checks every address again when it connects.
    """
    parsed = _parse(url)
    host = check_target(parsed)
    try:
        addresses = await resolver(host, _port(parsed))
    except FetchError as error:
        if isinstance(error, UnsafeAddressError):
            raise
        return
    policy.check(host, addresses)


def _parse(url: str) -> httpx.URL:
    try:
        return httpx.URL(url)
    except httpx.InvalidURL as error:
        raise FetchError(f"{url!r} is not a valid URL ({error}); check it", url=url) from error


class SafeNetworkBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses the policy allows, resolving each host exactly once."""

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        resolver: Resolver = resolve_async,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._policy = policy
        self._resolver = resolver
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolver(host, port)
        self._policy.check(host, addresses)  # all of them, before any connection is tried
        error: Exception = httpcore.ConnectError(f"{host} resolved to no addresses")
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as failed:
                error = failed
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise UnsafeAddressError("refused: Unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _SafeTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a connection pool that uses :class:`SafeNetworkBackend`.

    httpx has no public way to pass a network backend, so ``__init__`` builds the pool that the
    inherited methods use (``_pool``) instead of calling the parent's; no proxies, by design.
    """

    def __init__(self, backend: SafeNetworkBackend, limits: httpx.Limits) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )


def safe_transport(
    policy: AddressPolicy,
    *,
    resolver: Resolver = resolve_async,
    limits: httpx.Limits | None = None,
) -> httpx.AsyncBaseTransport:
    """An httpx transport that refuses, at connect time, every address ``policy`` refuses."""
    backend = SafeNetworkBackend(policy, resolver=resolver)
    return _SafeTransport(
        backend, limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
    )
