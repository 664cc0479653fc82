"""The image cache and its fetching: pictures only, each fetched once, failures remembered."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pictures import PNG, SVG, picture_hits

from handpicked.fetch.client import Fetcher
from handpicked.images import ImageCache, image_key, image_path, image_type
from handpicked.images.cache import MISS_RETRY, NotAnImage
from handpicked.images.fetching import cache_images, fetch_image

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00", "image/avif"),
        (SVG, None),
        (b"<?xml version='1.0'?><svg/>", None),
        (b"<!doctype html><p>Not found</p>", None),
        (b"%PDF-1.7", None),
        (b"", None),
    ],
)
def test_the_type_comes_from_the_bytes(data: bytes, expected: str | None) -> None:
    assert image_type(data) == expected


def test_keys_name_one_url_and_cannot_leave_the_folder(tmp_path: Path) -> None:
    url = "https://img.example/a.jpg"
    assert image_key(url) != image_key(url + "?v=2")
    assert len(image_key(url)) == 32 and image_key(url).isalnum()
    assert image_path(7, url) == f"/images/7/{image_key(url)}"
    cache = ImageCache(tmp_path)
    assert cache.get("../../etc/passwd") is None
    assert cache.get(image_key(url)) is None


def test_only_pictures_are_kept(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "images")
    kept = cache.put("https://img.example/a.png", PNG)
    assert kept.media_type == "image/png"
    again = cache.get(image_key("https://img.example/a.png"))
    assert again is not None and again.data == PNG
    with pytest.raises(NotAnImage):
        cache.put("https://img.example/b.svg", SVG)
    assert not cache.has("https://img.example/b.svg")
    assert [p.name for p in (tmp_path / "images").rglob("*") if p.is_file()] == [
        image_key("https://img.example/a.png")
    ]  # no partial files left behind


def test_a_picture_is_fetched_once(tmp_path: Path, picture_host: str) -> None:
    cache = ImageCache(tmp_path)
    url = f"{picture_host}/pic.png"

    async def twice() -> None:
        async with Fetcher(allow_private_networks=True, retries=0) as fetcher:
            first = await fetch_image(cache, fetcher, url, NOW)
            second = await fetch_image(cache, fetcher, url, NOW)
            assert first is not None and second is not None
            assert first.data == second.data == PNG

    asyncio.run(twice())
    assert picture_hits()["/pic.png"] == 1


def test_what_is_no_picture_is_refused_and_not_asked_for_again_soon(
    tmp_path: Path, picture_host: str
) -> None:
    cache = ImageCache(tmp_path)
    urls = [f"{picture_host}/lying.png", f"{picture_host}/drawing.svg", f"{picture_host}/gone"]

    async def run(now: datetime) -> None:
        async with Fetcher(allow_private_networks=True, retries=0) as fetcher:
            report = await cache_images(cache, fetcher, urls, now)
            assert (report.fetched, report.failed) == (0, 3)

    asyncio.run(run(NOW))
    asyncio.run(run(NOW + MISS_RETRY - timedelta(minutes=1)))
    assert [picture_hits()[path] for path in ("/lying.png", "/drawing.svg", "/gone")] == [1] * 3
    asyncio.run(run(NOW + MISS_RETRY))
    assert [picture_hits()[path] for path in ("/lying.png", "/drawing.svg", "/gone")] == [2] * 3
    assert not any(cache.has(url) for url in urls)


def test_private_addresses_are_refused(tmp_path: Path, picture_host: str) -> None:
    cache = ImageCache(tmp_path)

    async def run() -> None:
        async with Fetcher(allow_private_networks=False, retries=0) as fetcher:
            assert await fetch_image(cache, fetcher, f"{picture_host}/pic.png", NOW) is None

    asyncio.run(run())
    assert picture_hits() == {}


def test_a_picture_over_the_cap_is_refused(tmp_path: Path, picture_host: str) -> None:
    cache = ImageCache(tmp_path)

    async def run() -> None:
        async with Fetcher(allow_private_networks=True, retries=0, max_bytes=100) as fetcher:
            assert await fetch_image(cache, fetcher, f"{picture_host}/pic.png", NOW) is None

    asyncio.run(run())
    assert not cache.has(f"{picture_host}/pic.png")
