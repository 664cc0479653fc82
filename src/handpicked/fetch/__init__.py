"""Gathering: fetching pages, feeds and sitemaps politely and safely."""

from handpicked.fetch.client import Fetcher, FetcherOptions, FetchResult, fetch_sync
from handpicked.fetch.errors import (
    FetchError,
    FetchTimeout,
    ResponseTooLarge,
    RobotsDisallowed,
    UnsafeAddressError,
)
from handpicked.fetch.robots import RobotsCache
from handpicked.fetch.safety import check_url, is_public_address

__all__ = [
    "FetchError",
    "FetchResult",
    "FetchTimeout",
    "Fetcher",
    "FetcherOptions",
    "ResponseTooLarge",
    "RobotsCache",
    "RobotsDisallowed",
    "UnsafeAddressError",
    "check_url",
    "fetch_sync",
    "is_public_address",
]
