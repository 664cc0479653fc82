"""``/images/{article_id}/{key}``: an article's pictures from our own address, never any other
URL, with the type read from the bytes."""

from __future__ import annotations

from pathlib import Path

from newsroom import Newsroom
from pictures import PNG, picture_hits
from starlette.testclient import TestClient

from handpicked.article import Image
from handpicked.images import ImageCache, image_key, image_path

from .conftest import Seeded

PUTIN_PICTURE = "https://jns.example/img/rostov.jpg"


def test_a_cached_picture_is_served_with_long_caching_and_its_true_type(
    client: TestClient, seeded: Seeded, tmp_path: Path
) -> None:
    ImageCache(tmp_path / "images").put(PUTIN_PICTURE, PNG)  # a PNG at a .jpg address
    response = client.get(image_path(seeded.putin, PUTIN_PICTURE))
    assert response.status_code == 200
    assert response.content == PNG
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "immutable" in response.headers["cache-control"]
    assert "max-age=31536000" in response.headers["cache-control"]
    assert client.head(image_path(seeded.putin, PUTIN_PICTURE)).status_code == 200


def test_a_missing_picture_is_a_plain_404(client: TestClient, seeded: Seeded) -> None:
    for path in (
        image_path(seeded.putin, PUTIN_PICTURE),  # not fetchable (.example): not cached
        image_path(999_999, PUTIN_PICTURE),  # no such article
        f"/images/{seeded.putin}/not-a-key",
        f"/images/{seeded.putin}/{'0' * 32}",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/plain")
        assert response.headers["cache-control"] == "no-store"


def test_only_pictures_of_stored_articles_are_fetched(
    client: TestClient, seeded: Seeded, picture_host: str
) -> None:
    """A key names a picture of a stored article: no key makes us fetch any other URL."""
    elsewhere = f"{picture_host}/pic.png"
    assert client.get(image_path(seeded.putin, elsewhere)).status_code == 404
    assert client.get(f"/images/{seeded.putin}/{image_key(elsewhere)}").status_code == 404
    assert picture_hits() == {}


def test_a_picture_not_fetched_yet_is_fetched_once_when_asked_for(
    client: TestClient, newsroom: Newsroom, picture_host: str
) -> None:
    url = f"{picture_host}/pic.png?size=large"
    article = newsroom.article("With a picture", images=[Image(url=url, caption="A picture")])
    first = client.get(image_path(article, url))
    assert first.status_code == 200 and first.content == PNG
    assert first.headers["content-type"] == "image/png"
    again = client.get(image_path(article, url))
    assert again.status_code == 200 and again.content == PNG
    assert picture_hits() == {"/pic.png?size=large": 1}


def test_svg_and_html_sent_as_pictures_are_refused(
    client: TestClient, newsroom: Newsroom, picture_host: str
) -> None:
    urls = [f"{picture_host}/drawing.svg", f"{picture_host}/lying.png"]
    article = newsroom.article("With bad pictures", images=[Image(url=url) for url in urls])
    for _ in range(2):
        for url in urls:
            response = client.get(image_path(article, url))
            assert response.status_code == 404
            assert b"<script" not in response.content
    assert picture_hits() == {"/drawing.svg": 1, "/lying.png": 1}  # not asked again soon
