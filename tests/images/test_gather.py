"""Gathering fetches the pictures of new articles ahead of time, once, into the cache."""

from __future__ import annotations

import asyncio
from pathlib import Path

from newsroom import Newsroom
from pictures import PNG, picture_hits

from handpicked.desk import Desk
from handpicked.images import ImageCache, image_key
from handpicked.settings import Settings


def test_new_articles_pictures_are_cached_when_gathered(
    newsroom: Newsroom, tmp_path: Path, picture_host: str
) -> None:
    settings = Settings(data_dir=tmp_path, database_url="sqlite://",
                        allow_private_networks=True, secret_key_value="test")  # fmt: skip
    desk = Desk(newsroom.store, settings)
    asyncio.run(desk.sources.add(f"{picture_host}/feed.xml"))

    first = asyncio.run(desk.gathering.poll_and_understand())
    assert first.polled.articles_added == 1
    assert first.images is not None and (first.images.fetched, first.images.failed) == (1, 0)
    picture = f"{picture_host}/pic.png"
    cached = ImageCache.for_settings(settings).get(image_key(picture))
    assert cached is not None and cached.data == PNG
    [article] = newsroom.store.articles.list()
    assert [image.url for image in article.images] == [picture]

    again = asyncio.run(desk.gathering.poll_and_understand())
    assert again.polled.articles_added == 0 and again.images is None
    assert picture_hits()["/pic.png"] == 1
