"""The network-safety rules: which URLs and addresses the fetcher refuses, and why."""

from __future__ import annotations

import pickle
from ipaddress import IPv4Address, IPv6Address, ip_address

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from handpicked.fetch.errors import FetchError, UnsafeAddressError
from handpicked.fetch.safety import (
    ALLOW_HINT,
    AddressPolicy,
    address_problem,
    check_url,
    check_url_async,
    is_public_address,
    safe_transport,
)

from .conftest import LocalServer, Reply

REFUSED = [
    ("http://10.1.2.3/", "private"),
    ("http://172.16.0.1/", "private"),
    ("http://172.31.255.254/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://127.0.0.1/", "loopback"),
    ("http://127.8.9.10:8080/x", "loopback"),
    ("https://[::1]/", "loopback"),
    ("http://[fe80::1]/", "link-local"),
    ("http://169.254.1.1/", "link-local"),
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://[fd00:ec2::254]/", "metadata"),
    ("http://[::ffff:169.254.169.254]/", "metadata"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[::ffff:10.0.0.1]/", "private"),
    ("http://[2002:7f00:1::]/", "loopback"),  # 6to4 around 127.0.0.1
    ("http://[64:ff9b::a00:1]/", "private"),  # NAT64 around 10.0.0.1
    ("http://[::127.0.0.1]/", "loopback"),  # IPv4-compatible, deprecated but parsed
    ("http://[::a00:1]/", "private"),  # the same form, around 10.0.0.1
    ("http://[::ffff:0:c0a8:101]/", "private"),  # IPv4-translated 192.168.1.1
    ("http://[2002:c0a8:101::1]/", "private"),  # 6to4 around 192.168.1.1
    ("http://168.63.129.16/", "metadata"),  # Azure's wire server, a public address
    ("http://[fc00::1]/", "private"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://[::]/", "unspecified"),
    ("http://2130706433/", "loopback"),  # 127.0.0.1 as one decimal number
    ("http://0x7f.1/", "loopback"),  # hex and shorthand
    ("http://127.1/", "loopback"),
    ("http://100.64.0.1/", "shared"),
    ("http://224.0.0.1/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://localhost/", "loopback"),
    ("http://LOCALHOST/", "loopback"),
]


@pytest.mark.parametrize(("url", "kind"), REFUSED)
def test_non_public_addresses_are_refused(url: str, kind: str) -> None:
    with pytest.raises(UnsafeAddressError) as caught:
        check_url(url, allow_private_networks=False)
    assert kind in caught.value.reason
    assert not caught.value.retryable
    assert caught.value.reason.startswith("refused: ")


def test_ambiguous_ipv4_forms_that_httpx_rejects_are_errors() -> None:
    # An octal form is refused by httpx's parser, before any lookup: never fetched either way.
    with pytest.raises(FetchError, match="not a valid URL"):
        check_url("http://0177.0.0.1/", allow_private_networks=False)


def test_message_names_the_host_the_kind_of_address_and_the_way_out() -> None:
    with pytest.raises(UnsafeAddressError) as caught:
        check_url("http://2130706433/", allow_private_networks=False)
    assert caught.value.reason == (
        f"refused: 2130706433 resolves to a loopback address ({ALLOW_HINT})"
    )
    assert "HANDPICKED_ALLOW_PRIVATE_NETWORKS=1" in str(caught.value)


def test_a_literal_address_is_named_as_typed() -> None:
    with pytest.raises(UnsafeAddressError) as caught:
        check_url("http://[::1]:8080/", allow_private_networks=False)
    assert caught.value.reason == f"refused: ::1 is a loopback address ({ALLOW_HINT})"


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/", "http://[::1]/", "http://10.0.0.5/", "http://localhost/"]
)
def test_private_addresses_are_allowed_when_asked(url: str) -> None:
    check_url(url, allow_private_networks=True)


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/",
        "http://[fd00:ec2::254]/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://Metadata.Google.Internal./",
        "http://168.63.129.16/machine/?comp=goalstate",
        "http://[::a9fe:a9fe]/",  # 169.254.169.254 in every IPv6 form that carries it
        "http://[::169.254.169.254]/",
        "http://[::ffff:169.254.169.254]/",
        "http://[::ffff:0:a9fe:a9fe]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:a9fe:a9fe::]/",
        "http://[::ffff:a83f:8110]/",  # 168.63.129.16, mapped
    ],
)
def test_metadata_endpoints_are_refused_even_when_private_networks_are_allowed(url: str) -> None:
    with pytest.raises(UnsafeAddressError, match="never fetched"):
        check_url(url, allow_private_networks=True)


def test_allowed_networks_open_only_those_networks() -> None:
    check_url("http://10.1.2.3/", False, allowed_networks=["10.0.0.0/8"])
    with pytest.raises(UnsafeAddressError):
        check_url("http://192.168.1.1/", False, allowed_networks=["10.0.0.0/8"])


def test_setting_decides_when_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDPICKED_ALLOW_PRIVATE_NETWORKS", "1")
    check_url("http://127.0.0.1/")
    monkeypatch.setenv("HANDPICKED_ALLOW_PRIVATE_NETWORKS", "0")
    with pytest.raises(UnsafeAddressError):
        check_url("http://127.0.0.1/")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/feed.xml",
        "gopher://127.0.0.1:70/",
        "javascript:alert(1)",
        "data:text/html,hi",
        "ws://example.com/",
    ],
)
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(UnsafeAddressError, match="only http and https"):
        check_url(url, allow_private_networks=True)


def test_urls_without_a_host_are_errors() -> None:
    with pytest.raises(FetchError, match="no host name"):
        check_url("http:///path", allow_private_networks=True)


@pytest.mark.parametrize(
    "address",
    [
        "93.184.215.14",
        "8.8.8.8",
        "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
        "::ffff:93.184.215.14",
        "64:ff9b::5db8:d70e",  # NAT64 (DNS64 on an IPv6-only host) around 93.184.215.14
    ],
)
def test_public_addresses_are_allowed(address: str) -> None:
    # Classification only: nothing may leave this machine.
    assert address_problem(ip_address(address)) is None
    assert is_public_address(ip_address(address))
    assert AddressPolicy().refusal("example.com", ip_address(address)) is None


@given(st.ip_addresses(v=4))
def test_ipv4_mapped_form_is_judged_like_the_ipv4_address(address: IPv4Address) -> None:
    mapped = IPv6Address(f"::ffff:{address}")
    assert (address_problem(mapped) is None) == (address_problem(address) is None)


@given(st.ip_addresses())
def test_every_allowed_address_is_global_and_unicast(address: IPv4Address | IPv6Address) -> None:
    if is_public_address(address):
        assert address.is_global
        assert not (address.is_multicast or address.is_private or address.is_loopback)


def test_unsafe_error_survives_pickling() -> None:
    error = UnsafeAddressError("refused: x", status=None, url="http://x/")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is UnsafeAddressError
    assert (copy.reason, copy.retryable, copy.url) == ("refused: x", False, "http://x/")


@pytest.mark.anyio
async def test_transport_connects_to_the_checked_address_not_the_name_again(
    server: LocalServer,
) -> None:
    """A name is resolved once: the socket goes to the checked address (no DNS rebinding),
    while the Host header still carries the name."""
    server.route("/", Reply(200, b"hello"))
    lookups: list[str] = []

    async def resolver(host: str, port: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    policy = AddressPolicy(allow_private_networks=True)
    async with httpx.AsyncClient(transport=safe_transport(policy, resolver=resolver)) as client:
        response = await client.get(f"http://rebind.invalid:{server.port}/")
    assert response.content == b"hello"
    assert lookups == ["rebind.invalid"]
    assert server.hits[0].headers["host"] == f"rebind.invalid:{server.port}"


@pytest.mark.anyio
async def test_transport_refuses_a_name_with_any_private_address(server: LocalServer) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "127.0.0.1"]

    policy = AddressPolicy(allow_private_networks=False)
    async with httpx.AsyncClient(transport=safe_transport(policy, resolver=resolver)) as client:
        with pytest.raises(UnsafeAddressError) as caught:
            await client.get(f"http://mixed.invalid:{server.port}/")
    assert caught.value.reason.startswith("refused: mixed.invalid resolves to a loopback address")
    assert "127.0.0.1" not in caught.value.reason  # our DNS answers are not for the user
    assert server.connections == 0


@pytest.mark.parametrize("answer", ["10.0.0.7", "fd12:3456::7", "::ffff:10.0.0.7"])
def test_messages_never_echo_what_a_name_resolves_to(answer: str) -> None:
    policy = AddressPolicy(allow_private_networks=False)
    with pytest.raises(UnsafeAddressError) as caught:
        policy.check("intranet.example", [answer])
    assert caught.value.reason == (
        f"refused: intranet.example resolves to a private address ({ALLOW_HINT})"
    )


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("url", "answers", "refused"),
    [
        ("http://news.example/feed", ["93.184.215.14"], None),
        ("http://intranet.example/feed", ["10.0.0.7"], "resolves to a private address"),
        ("http://wire.example/", ["168.63.129.16"], "never fetched"),
        ("http://metadata.google.internal/", ["93.184.215.14"], "never fetched"),
        ("file:///etc/passwd", [], "only http and https"),
        ("http://gone.example/feed", None, None),  # does not resolve now: checked when fetched
    ],
)
async def test_check_url_async_judges_a_url_before_it_is_stored(
    url: str, answers: list[str] | None, refused: str | None
) -> None:
    async def resolver(host: str, port: int) -> list[str]:
        if answers is None:
            raise FetchError(f"could not resolve {host}")
        return answers

    policy = AddressPolicy(allow_private_networks=False)
    if refused is None:
        await check_url_async(url, policy, resolver=resolver)
        return
    with pytest.raises(UnsafeAddressError, match=refused):
        await check_url_async(url, policy, resolver=resolver)
