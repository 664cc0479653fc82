"""The :class:`Desk`: one object for everything a news desk does, over one store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property

from handpicked.deliver.links import Links
from handpicked.deliver.runner import Deliverer
from handpicked.desk.admin import Admin
from handpicked.desk.context import DeskContext, utcnow
from handpicked.desk.digests import Digests
from handpicked.desk.feedback import Feedback
from handpicked.desk.gather import Gathering
from handpicked.desk.greader import AppSync
from handpicked.desk.reading import Reading
from handpicked.desk.search import Search
from handpicked.desk.sources import Sources
from handpicked.desk.stories import Stories
from handpicked.settings import Settings, load_settings
from handpicked.store import Store, open_store


class Desk:
    """The service layer that the command line, the web pages, the API and the scheduler
    call: each of them parses its input, calls one method here, and presents the result.

    ``desk.sources``, ``desk.admin``, ``desk.gathering``, ``desk.digests``, ``desk.feedback`` and
    ``desk.reading`` group the actions; readers and accounts are
    :mod:`handpicked.desk.readers` and :mod:`handpicked.desk.accounts`. The clock is a
    parameter so that tests and replays can fix "now".
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utcnow,
        links: Links | None = None,
    ) -> None:
        self._context = DeskContext(store, settings, clock, links)
        self.store = store
        self.settings = settings
        self.now = clock

    @classmethod
    def open(cls, settings: Settings | None = None) -> Desk:
        """A desk over the configured database (schema upgraded)."""
        settings = settings or load_settings()
        return cls(open_store(settings.database_url), settings)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def links(self) -> Links:
        return self._context.links

    @cached_property
    def sources(self) -> Sources:
        return Sources(self._context)

    @cached_property
    def admin(self) -> Admin:
        return Admin(self._context)

    @cached_property
    def gathering(self) -> Gathering:
        return Gathering(self._context)

    @cached_property
    def digests(self) -> Digests:
        return Digests(self._context)

    @cached_property
    def feedback(self) -> Feedback:
        return Feedback(self._context)

    @cached_property
    def apps(self) -> AppSync:
        """Sync for apps (the Google Reader API)."""
        return AppSync(self._context)

    @cached_property
    def reading(self) -> Reading:
        return Reading(self._context)

    @cached_property
    def search(self) -> Search:
        return Search(self._context)

    @cached_property
    def stories(self) -> Stories:
        """A story with its provenance, timeline, what each outlet adds, and its thread."""
        return Stories(self._context)

    def deliverer(self) -> Deliverer:
        """Sends the digests that are due (see :class:`~handpicked.deliver.runner.Deliverer`)."""
        return Deliverer(self.store, self.settings, links=self.links)
