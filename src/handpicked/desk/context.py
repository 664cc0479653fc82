"""What every desk service is made with: the store, the settings, a clock, and links."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property

from handpicked.deliver.links import Links
from handpicked.settings import Settings
from handpicked.store import Store


def utcnow() -> datetime:
    return datetime.now(UTC)


class DeskContext:
    """The store, the settings and a clock (so that tests and replays can fix "now")."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
        links: Links | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.now = clock
        self._links = links

    @cached_property
    def links(self) -> Links:
        """Links to the web app, signed with the settings' key (read on first use)."""
        return self._links or Links.from_settings(self.settings)
