"""The store: one type that the rest of the desk talks to, with a repository per entity hanging
off it (``store.articles``, ``store.sources``, ``store.queue``, ``store.readers``,
``store.interests``, ``store.feedback``, ``store.deliveries``, ``store.accounts``,
``store.stories``, ``store.subscriptions``, ``store.invites``, ``store.desk_settings``,
``store.reader_data`` (all of one reader's rows, to export or erase), ``store.reading``,
``store.streams``, ``store.search``, ``store.revisions``, ``store.threads``).

Each repository call is one transaction and returns frozen records (:mod:`.model`), never live
ORM rows, so callers cannot touch the database behind the store's back. Calls made inside
``with store.transaction():`` join one transaction instead: all of them are kept, or none.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from handpicked.store.accounts import AccountRepository
from handpicked.store.articles import ArticleRepository
from handpicked.store.deliveries import DeliveryRepository
from handpicked.store.feedback import FeedbackRepository
from handpicked.store.interests import InterestRepository
from handpicked.store.invites import DeskSettingRepository, InviteRepository
from handpicked.store.queue import FetchQueue
from handpicked.store.reader_data import ReaderDataRepository
from handpicked.store.readers import ReaderRepository
from handpicked.store.reading import ReadingRepository
from handpicked.store.revisions import RevisionRepository
from handpicked.store.search import SearchRepository
from handpicked.store.sessions import WRITE_OPTION, Sessions
from handpicked.store.sources import SourceRepository
from handpicked.store.stories import StoryRepository
from handpicked.store.streams import StreamRepository
from handpicked.store.subscriptions import SubscriptionRepository
from handpicked.store.threads import ThreadRepository

__all__ = ["WRITE_OPTION", "Store"]


class Store:
    """The news desk's database: sources, the fetch queue, articles and stories, readers and
    what they follow, their feedback, digests sent, and sign-in state."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = Sessions(engine)
        self.sources = SourceRepository(self._sessions)
        self.queue = FetchQueue(self._sessions)
        self.articles = ArticleRepository(self._sessions)
        self.stories = StoryRepository(self._sessions)
        self.threads = ThreadRepository(self._sessions)
        self.readers = ReaderRepository(self._sessions)
        self.interests = InterestRepository(self._sessions)
        self.feedback = FeedbackRepository(self._sessions)
        self.deliveries = DeliveryRepository(self._sessions)
        self.accounts = AccountRepository(self._sessions)
        self.subscriptions = SubscriptionRepository(self._sessions)
        self.invites = InviteRepository(self._sessions)
        self.desk_settings = DeskSettingRepository(self._sessions)
        self.reader_data = ReaderDataRepository(self._sessions)
        self.streams = StreamRepository(self._sessions)
        self.reading = ReadingRepository(self._sessions)
        self.search = SearchRepository(self._sessions)
        self.revisions = RevisionRepository(self._sessions)

    def close(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Join every store call in the block (on this thread) into one write transaction,
        committed when the block ends and rolled back if it raises."""
        with self._sessions.transaction():
            yield self
