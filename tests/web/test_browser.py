"""The pages in a real browser (Debian's Chromium, driven by Playwright) against a real server
(uvicorn on loopback): sign up, follow, see the pick with its reason, feedback in place with
htmx, the keyboard's skip link, a phone-sized screen without sideways scrolling, sign out.

Chromium is never downloaded: without /usr/bin/chromium these tests skip, except in CI
(``CI=true``), where they fail, as the PostgreSQL tests do."""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from newsroom import Newsroom
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Route,
    ViewportSize,
    expect,
    sync_playwright,
)
from served import free_port, serving

from handpicked.web.app import create_app

from .conftest import Seeded, web_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
PHONE: ViewportSize = {"width": 375, "height": 740}
TIMEOUT_MS = 10_000


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain one-colour PNG: the stand-in for every picture from outside."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))  # fmt: skip


PICTURE = _png(800, 450, (120, 140, 160))


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if _in_ci():
            pytest.fail(f"The browser tests need Chromium in CI: {reason}", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture
def server(newsroom: Newsroom, seeded: Seeded, tmp_path: Path) -> Iterator[str]:
    """The app on a real uvicorn server in a thread, over the seeded newsroom."""
    port = free_port()
    app = create_app(web_settings(tmp_path, f"http://127.0.0.1:{port}"), newsroom.store)
    with serving(app, port) as base:
        yield base


def _offline(route: Route) -> None:
    """Nothing outside the test server is reached: pictures get a stand-in, the rest 404."""
    if route.request.resource_type == "image":
        route.fulfill(status=200, content_type="image/png", body=PICTURE)
    else:
        route.fulfill(status=404, content_type="text/plain", body="offline")


def _context(browser: Browser, server: str, *, phone: bool = False) -> BrowserContext:
    """A fresh browser profile on the test server; ``phone``: 375×740, touch, 2× pixels."""
    if phone:
        context = browser.new_context(
            base_url=server, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
        )
    else:
        context = browser.new_context(base_url=server)
    context.set_default_timeout(TIMEOUT_MS)
    context.route(lambda url: not url.startswith(server), _offline)
    return context


@pytest.fixture
def context(browser: Browser, server: str) -> Iterator[BrowserContext]:
    context = _context(browser, server)
    try:
        yield context
    finally:
        context.close()


def sign_up(page: Page, email: str = "browser@example.com") -> None:
    page.goto("/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/follows")


def no_sideways_scroll(page: Page) -> bool:
    """Whether the page fits the screen's width. Measured against the layout viewport
    (``clientWidth``): a mobile browser widens ``innerWidth`` to fit content that is too
    wide (it zooms out), which would hide exactly what this looks for."""
    widths: list[int] = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    scroll_width, screen_width = widths
    assert screen_width == PHONE["width"]
    return scroll_width <= screen_width


def test_a_reader_signs_up_follows_and_gives_feedback_in_place(
    context: BrowserContext, seeded: Seeded
) -> None:
    page = context.new_page()
    sign_up(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Follows")

    page.get_by_label("Follow or mute").fill("Putin")
    page.get_by_role("button", name="Follow", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Now following Vladimir Putin.")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    page.wait_for_url("**/")
    pick = page.locator(f"#pick-{seeded.putin}")
    expect(pick.get_by_role("heading", level=2)).to_have_text("Putin meets envoy in the Kremlin")
    expect(pick.locator(".reasons")).to_have_text("Picked because you follow Vladimir Putin.")

    url = page.url
    page.evaluate("window.notReloaded = true")
    pick.get_by_role("button", name="More like this").click()
    expect(pick.get_by_role("status")).to_have_text("Noted: more like this.")
    assert page.url == url
    assert page.evaluate("window.notReloaded") is True

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signin")
    page.goto("/")
    assert page.url.endswith("/signin?next=/")


def test_a_reader_searches_from_the_header_and_follows_the_search(
    context: BrowserContext, seeded: Seeded
) -> None:
    page = context.new_page()
    sign_up(page, "searcher@example.com")
    page.get_by_role("search").get_by_role("searchbox", name="Search").fill("kremlin")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=kremlin")
    first = page.locator(".search-results article").first
    expect(first.get_by_role("heading", level=3)).to_have_text("Putin meets envoy in the Kremlin")
    expect(first.locator("mark")).to_have_text("Kremlin")
    page.get_by_role("button", name="Follow this search").click()
    expect(page.get_by_role("status")).to_have_text("Now following the search “kremlin”.")
    expect(page.get_by_role("link", name="Atom feed of this search")).to_be_visible()


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_main(
    context: BrowserContext,
) -> None:
    page = context.new_page()
    page.goto("/signin")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    expect(page.get_by_role("link", name="Skip to content")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_a_phone_screen_needs_no_sideways_scrolling(
    browser: Browser, server: str, seeded: Seeded, newsroom: Newsroom, tmp_path: Path
) -> None:
    long_url = "https://feeds.example/" + "averylongaddress" * 10 + ".xml"  # no break in it
    newsroom.store.sources.add(long_url, "feed", title="A source with a long address")
    phone = _context(browser, server, phone=True)
    try:
        page = phone.new_page()
        sign_up(page, "phone@example.com")
        page.get_by_label("Follow or mute").fill("Putin")
        page.get_by_role("button", name="Follow", exact=True).click()
        expect(page.get_by_role("status")).to_be_visible()
        assert no_sideways_scroll(page)

        page.goto("/")
        expect(page.locator(f"#pick-{seeded.putin} img")).to_be_visible()
        assert no_sideways_scroll(page)
        buttons = page.locator(".feedback button")
        heights = [box["height"] for box in (b.bounding_box() for b in buttons.all()) if box]
        assert heights and min(heights) >= 44  # touch targets
        shot = tmp_path / "today-phone.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

        for path in (f"/articles/{seeded.putin_copy}", f"/stories/{seeded.putin_story}",
                     "/sources", "/settings"):  # fmt: skip
            page.goto(path)
            expect(page.get_by_role("heading", level=1)).to_have_count(1)
            assert no_sideways_scroll(page), path
    finally:
        phone.close()


def test_the_api_docs_render_their_operations_with_the_network_unused(
    context: BrowserContext, server: str
) -> None:
    outside: list[str] = []
    context.on(
        "request",
        lambda request: None if request.url.startswith(server) else outside.append(request.url),
    )
    page = context.new_page()
    page.goto("/api/docs")
    # Swagger UI lays out the whole document in one go: on a busy machine it takes seconds.
    expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/sources").first).to_be_visible()
    assert page.locator(".opblock").count() >= 10
    assert outside == []


def test_the_pages_work_under_their_content_security_policy(
    browser: Browser, server: str, seeded: Seeded
) -> None:
    """Nothing a page loads or runs is blocked by the policy: the sign-up form's time zone
    script, htmx and its error notes, the settings page's framed digest preview."""
    context = browser.new_context(base_url=server, timezone_id="Asia/Tokyo")
    context.set_default_timeout(TIMEOUT_MS)
    context.route(lambda url: not url.startswith(server), _offline)
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip
    page.goto("/signup")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    sign_up(page, "csp@example.com")
    page.get_by_label("Follow or mute").fill("Putin")
    page.get_by_role("button", name="Follow", exact=True).click()
    page.goto("/")
    pick = page.locator(f"#pick-{seeded.putin}")
    page.route("**/feedback", lambda route: route.fulfill(status=500, body="broken"))
    pick.get_by_role("button", name="Less like this").click()
    expect(pick.get_by_role("status")).to_have_text(
        "That did not work: reload the page and try again."
    )
    page.goto("/settings")
    expect(page.frame_locator("iframe.preview").locator("body")).not_to_be_empty()
    context.close()
    assert blocked == []
