"""The Google Reader API at ``/api/greader.php``, as FreshRSS serves it, so that apps set up
for FreshRSS (and newsboat in FeedHQ mode) sync with the desk: sign-in
(:mod:`.auth`), subscriptions, the reader's picks as a label, item streams and read and
starred state (:mod:`.reader`), subscribing and unsubscribing (:mod:`.subscriptions`), in
Google's id formats (:mod:`.ids`)."""

from __future__ import annotations

from fastapi import APIRouter

from handpicked.web.greader import auth, reader, subscriptions

PREFIX = "/api/greader.php"
router = APIRouter(prefix=PREFIX)
router.include_router(auth.router)
router.include_router(reader.router)
router.include_router(subscriptions.router)

__all__ = ["PREFIX", "router"]
