"""Reading state and the keyboard in a real browser (Debian's Chromium through Playwright,
against uvicorn on loopback, as in :mod:`.test_browser`): j/k move between stories, m and s
mark read and save in place, o opens, v opens the original, + and - give feedback, / goes to
the search box, ? lists the keys; one Tab stop per story; what was opened is dimmed."""

from __future__ import annotations

import re

from newsroom import Newsroom
from playwright.sync_api import BrowserContext, Page, expect

from handpicked.store import Store

from . import test_browser as browsing
from .conftest import Seeded

# The browser, the server and a fresh profile, as the other browser tests have them.
playwright = browsing.playwright
browser = browsing.browser
server = browsing.server
context = browsing.context
sign_up = browsing.sign_up


READ = re.compile(r"(^|\s)is-read(\s|$)")
"""The class of a story the reader has read (shown dimmed)."""


def _reader_id(store: Store, email: str) -> int:
    reader = store.readers.get(email=email)
    assert reader is not None
    return reader.id


def _current(page: Page) -> str:
    """The id of the story the keys act on."""
    found: str = page.evaluate("document.querySelector('[data-card].current')?.id ?? ''")
    return found


def _focused_story(page: Page) -> str:
    found: str = page.evaluate(
        "document.activeElement.closest('[data-card]')?.id ?? document.activeElement.tagName"
    )
    return found


def test_keys_move_mark_save_and_give_feedback(
    context: BrowserContext, seeded: Seeded, newsroom: Newsroom
) -> None:
    newsroom_store = newsroom.store
    page = context.new_page()
    sign_up(page, "keys@example.com")
    reader_id = _reader_id(newsroom_store, "keys@example.com")
    page.goto("/all")
    cards = page.locator("[data-card]")
    first, second = cards.nth(0), cards.nth(1)
    first_id = int(first.get_attribute("data-article-id") or 0)
    expect(page.locator("[data-unread-count]")).to_have_text("5")

    page.keyboard.press("j")
    assert _current(page) == f"story-{first_id}" == _focused_story(page)
    page.keyboard.press("j")
    assert _current(page) == (second.get_attribute("id") or "")
    page.keyboard.press("k")
    assert _current(page) == f"story-{first_id}"

    page.keyboard.press("m")
    expect(first).to_have_class(READ)
    expect(page.locator("[data-unread-count]")).to_have_text("4")
    expect(first.get_by_role("status")).to_have_text("Marked read.")
    assert newsroom_store.reading.read_ids(reader_id, [first_id]) == {first_id}
    page.keyboard.press("m")
    expect(first.get_by_role("button", name="Mark read")).to_be_attached()
    assert newsroom_store.reading.read_ids(reader_id, [first_id]) == set()

    page.keyboard.press("s")
    expect(first.get_by_role("button", name="Unsave")).to_be_attached()
    expect(first.locator("[data-saved-mark]")).to_have_text("· Saved")
    assert newsroom_store.reading.saved_ids(reader_id, [first_id]) == {first_id}

    page.keyboard.press("+")
    expect(first.get_by_role("status")).to_have_text("Noted: more like this.")
    [feedback] = newsroom_store.feedback.of_readers([reader_id])[reader_id]
    assert (feedback.article_id, feedback.kind) == (first_id, "more")

    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()

    # "/" goes to the header's search box.
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "header-q"
    assert page.evaluate("document.activeElement.value") == ""
    page.locator("#header-q").press("j")  # typing in a box is typing, not a shortcut
    assert page.evaluate("document.activeElement.value") == "j"
    page.locator("#header-q").blur()

    original = first.get_attribute("data-original") or ""
    with context.expect_page() as popup:
        page.keyboard.press("v")
    assert popup.value.url == original
    popup.value.close()

    page.keyboard.press("o")
    page.wait_for_url(f"**/articles/{first_id}")
    page.goto("/saved")
    expect(page.locator("[data-card]")).to_have_count(1)
    expect(page.locator(f"#story-{first_id}")).to_have_class(READ)


def test_one_tab_stop_per_story_and_opened_picks_are_dimmed(
    context: BrowserContext, seeded: Seeded
) -> None:
    page = context.new_page()
    sign_up(page, "tabs@example.com")
    page.get_by_label("Follow or mute").fill("topic:politics")
    page.get_by_role("button", name="Follow", exact=True).click()
    page.goto("/")
    picks = page.locator("[data-card]")
    expect(picks).to_have_count(3)
    ids = [picks.nth(n).get_attribute("id") or "" for n in range(3)]
    picks.nth(0).locator("h2 a").focus()
    stops = []
    for _ in range(2):
        page.keyboard.press("Tab")
        stops.append(_focused_story(page))
    assert stops == ids[1:]

    page.keyboard.press("k")
    page.keyboard.press("k")
    assert _current(page) == ids[0]
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles/*")
    page.go_back()
    page.reload()
    expect(page.locator("[data-card]")).to_have_count(3)
    assert [page.locator("[data-card]").nth(n).get_attribute("id") for n in range(3)] == ids
    expect(page.locator(f"#{ids[0]}")).to_have_class(READ)
    expect(page.locator(f"#{ids[1]}")).not_to_have_class(READ)
    expect(page.locator(f"#{ids[0]} [data-read-mark]")).to_have_text("Read")
