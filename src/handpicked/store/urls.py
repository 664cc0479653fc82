"""One spelling per page: the canonical form of a URL, so that the same article reached through
a newsletter link, a feed and a share button is fetched and stored once."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, quote, unquote, urlsplit, urlunsplit

#: Query keys that only say where a click came from; they never change what the page shows.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "ref_url",
        "ocid",
        "cmpid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wt_mc",
        "wt.mc_id",
        "smid",
        "sr_share",
    }
)
TRACKING_PREFIXES = ("utm_",)

_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Characters left as they are: reserved ones keep their meaning, "%" starts an escape.
_PATH_SAFE = "%/:@!$&'()*+,;="
_QUERY_SAFE = "%/:@!$'()*+,;=?"


def canonical_url(url: str) -> str:
    """The canonical spelling of ``url``; never raises (an unparsable input comes back stripped).

    Scheme and host are lower-cased (the host turned to punycode), default ports, the fragment
    and tracking parameters dropped, the other parameters sorted, percent-escapes normalised,
    and a lone "/" path removed. "www." is kept: some sites serve different things without it.
    """
    stripped = url.strip()
    try:
        parts = urlsplit(stripped)
        if not parts.scheme or not parts.netloc:
            return stripped
        scheme = parts.scheme.lower()
        netloc = _netloc(parts, scheme)
        path = _normalise_escapes(parts.path, _PATH_SAFE)
        if path == "/":
            path = ""
        query = _query(parts.query)
        return urlunsplit((scheme, netloc, path, query, ""))
    except (ValueError, UnicodeError):
        return stripped


def is_tracking_param(key: str) -> bool:
    """Whether a query key only tracks the click (``utm_source``, ``fbclid``…)."""
    lowered = unquote(key).lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _netloc(parts: SplitResult, scheme: str) -> str:
    host = parts.hostname or ""
    if host and not host.isascii():
        host = host.encode("idna").decode("ascii")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port  # raises ValueError on a bad port, which the caller turns into "as given"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    userinfo, at, _ = parts.netloc.rpartition("@")
    return f"{userinfo}{at}{host}"


def _query(query: str) -> str:
    pairs: list[tuple[str, str]] = []
    for piece in query.split("&"):
        if not piece:
            continue
        key, eq, value = piece.partition("=")
        if is_tracking_param(key):
            continue
        pairs.append(
            (_normalise_escapes(key, _QUERY_SAFE), eq + _normalise_escapes(value, _QUERY_SAFE))
        )
    pairs.sort()
    return "&".join(key + value for key, value in pairs)


def _normalise_escapes(text: str, safe: str) -> str:
    """Escapes of unreserved characters decoded, other escapes upper-case, the rest encoded."""

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    text = _LONE_PERCENT.sub("%25", text)
    text = _ESCAPE.sub(fix, text)
    return quote(text, safe=safe)
