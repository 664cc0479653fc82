"""Migration 0006_owners on a desk that already has sources and readers: the sources become
desk-wide (every reader had them), the readers count as verified, and the oldest is admin."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from handpicked.store import create_engine_for, migrate, open_store
from handpicked.store.database import _alembic_config


def test_existing_sources_become_desk_wide_and_the_oldest_reader_admin(
    database_url: str,
) -> None:
    engine = create_engine_for(database_url)
    try:
        migrate(engine)
        config = _alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0005")
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO sources (url, kind, poll_interval_s, error_count, created_at) "
                "VALUES ('https://old.example/feed.xml', 'feed', 1800, 0, '2026-01-01 00:00:00')"
            ))  # fmt: skip
            for email in ("first@example.com", "second@example.com"):
                connection.execute(
                    text(
                        "INSERT INTO readers (email, time_zone, schedule, max_items, "
                        "feed_token, created_at) VALUES (:email, 'UTC', 'daily 07:00', 10, "
                        ":token, '2026-01-01 00:00:00')"
                    ),
                    {"email": email, "token": f"token-{email}"},
                )
        migrate(engine)
    finally:
        engine.dispose()
    with open_store(database_url) as store:
        [source] = store.sources.list()
        assert source.desk_wide
        first, second = store.readers.list()
        assert (first.email, first.is_admin, second.is_admin) == ("first@example.com", True, False)
        assert first.verified_at is not None and second.verified_at is not None
        assert len(store.readers.list(active_only=True)) == 2  # both still get digests
