"""Alembic environment: migrations run on the connection and in the transaction that
``handpicked.store.database.migrate`` hands over, so its lock covers the whole upgrade."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from handpicked.store.tables import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    if context.is_offline_mode():
        raise RuntimeError("handpicked migrations run against a live database only")
    connection = context.config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run(connection)
        return
    # Started by hand (``alembic`` with a config naming this folder): open the database.
    from handpicked.settings import load_settings
    from handpicked.store.database import create_engine_for

    url = context.config.get_main_option("sqlalchemy.url") or load_settings().database_url
    engine = create_engine_for(url)
    try:
        with engine.begin() as own:
            _run(own)
    finally:
        engine.dispose()


_main()
