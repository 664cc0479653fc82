"""A loopback picture host: a PNG, an SVG, an HTML page sent as an image, a feed with one
article whose picture is on the host, and a count of the requests made."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

import pytest
from loopback import SEED, QuietHandler
from served import handler_on_loopback

from handpicked.images import image_key
from handpicked.sample import SAMPLE_IMAGES, sample_articles


def a_png() -> bytes:
    """A real picture: one of the sample's stand-ins."""
    url = next(image.url for article in sample_articles() for image in article.images)
    picture = resources.files("handpicked").joinpath(f"{SAMPLE_IMAGES}/{image_key(url)}.png")
    return picture.read_bytes()


PNG = a_png()
SEED_PICTURE = "https://ledger.example/img/wagner-rostov.jpg"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


class PictureHost(QuietHandler):
    hits: dict[str, int] = {}  # noqa: RUF012  (shared on purpose: counts every request)

    def do_GET(self) -> None:
        type(self).hits[self.path] = type(self).hits.get(self.path, 0) + 1
        if self.path.startswith("/pic.png"):
            self._send(PNG, "image/png")
        elif self.path == "/lying.png":
            self._send(b"<!doctype html><script>alert(1)</script>", "image/png")
        elif self.path == "/drawing.svg":
            self._send(SVG, "image/svg+xml")
        elif self.path == "/feed.xml":
            self._send(self._feed(), "application/rss+xml")
        elif self.path == "/story.html":
            self._send(self._story(), "text/html; charset=utf-8")
        else:
            self.send_error(404)

    def _base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"  # type: ignore[index]

    def _feed(self) -> bytes:
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            "<title>Pictures News</title><link>/</link>"
            f"<item><title>One</title><link>{self._base()}/story.html</link></item>"
            "</channel></rss>"
        ).encode()

    def _story(self) -> bytes:
        """The seed article, its picture on this host."""
        page = (SEED / "page.html").read_text(encoding="utf-8")
        return page.replace(SEED_PICTURE, f"{self._base()}/pic.png").encode()


def picture_hits() -> dict[str, int]:
    """The requests for pictures so far (robots.txt left out), by path."""
    return {path: n for path, n in PictureHost.hits.items() if path != "/robots.txt"}


@pytest.fixture
def picture_host() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a fresh picture host."""
    PictureHost.hits = {}
    with handler_on_loopback(PictureHost) as base:
        yield base
