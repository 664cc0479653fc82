"""Credentials in a real browser on a phone-sized screen (Chromium against uvicorn, as in
:mod:`.test_browser`): a token made in Settings is shown once and opens the API, revoking it
closes the API at once, and deleting the account signs the browser out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from .conftest import Seeded
from .test_browser import (  # noqa: F401  (fixtures)
    _context,
    browser,
    no_sideways_scroll,
    playwright,
    server,
    sign_up,
)

PASSWORD = "a long enough password"  # what ``sign_up`` types


@pytest.fixture
def phone(browser: Browser, server: str) -> Iterator[BrowserContext]:  # noqa: F811
    context = _context(browser, server, phone=True)
    try:
        yield context
    finally:
        context.close()


def test_a_token_made_in_settings_opens_the_api_until_revoked_then_the_account_goes(
    phone: BrowserContext, seeded: Seeded
) -> None:
    page = phone.new_page()
    sign_up(page, "tokens@example.com")
    page.goto("/settings")
    page.get_by_label("Name of a new token").fill("phone app")
    page.get_by_role("button", name="Make a token").click()
    expect(page.get_by_text("it is shown only this once")).to_be_visible()
    secret = page.get_by_role("textbox", name="Secret of the new token").input_value()
    assert secret.startswith("hp_")
    assert no_sideways_scroll(page)
    tokens = page.get_by_role("list", name="Your API tokens")
    expect(tokens).to_contain_text("phone app")

    api = phone.request
    auth = {"Authorization": f"Bearer {secret}"}
    me = api.get("/api/v1/me", headers=auth)
    assert me.status == 200 and me.json()["email"] == "tokens@example.com"

    page.get_by_role("button", name="Revoke phone app").click()
    expect(page.get_by_role("status")).to_have_text(
        "Revoked the API token phone app: it no longer works."
    )
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    assert api.get("/api/v1/me", headers=auth).status == 401

    page.get_by_label("Your password, to confirm").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is deleted")
    page.goto("/settings")
    assert "/signin" in page.url
