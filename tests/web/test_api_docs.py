"""``/api/docs`` works with no network: every script and style it names is served by the app
itself, the page has no inline script, and the Settings page links to it."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

from starlette.testclient import TestClient


class _Assets(HTMLParser):
    """The scripts and stylesheets a page references, and whether it has inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script":
            self._in_script = True
            if named.get("src"):
                self.urls.append(named["src"] or "")
        elif tag == "link" and named.get("rel") == "stylesheet":
            self.urls.append(named.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1


def test_the_docs_page_needs_nothing_from_another_host(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    assets = _Assets()
    assets.feed(page.text)
    assert len(assets.urls) >= 3  # the stylesheet, the bundle and the starter
    assert assets.inline_scripts == 0
    for url in assets.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, url
        served = client.get(url)
        assert served.status_code == 200, url
        assert len(served.content) > 100, url
    assert client.get("/openapi.json").json()["info"]["title"] == "handpicked"


def test_settings_links_to_the_api_docs(reader_client: TestClient) -> None:
    html = reader_client.get("/settings").text
    assert 'href="/api/docs"' in html
