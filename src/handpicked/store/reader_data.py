"""Everything the database holds of one reader, found from the schema itself: read out for an
export, or erased when they delete their account.

Both walk every table with a foreign key to ``readers.id`` rather than a hand-kept list, so a
table added later (subscriptions, reading state, ...) is exported and erased with the rest
without anyone remembering to add it here. Columns that hold secrets (password and token
hashes, the feed token) are never exported.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Select, Table, delete, or_, select, update

from handpicked.addresses import email_key
from handpicked.store.readers import retire_id
from handpicked.store.sessions import Repository
from handpicked.store.tables import Base, LoginFailureRow, ReaderRow

_SECRET = re.compile(r"hash|token|secret|password|claimed_by", re.IGNORECASE)
"""Column names whose values an export never shows: secrets, and which worker process
claimed a digest (the server's host name, nothing of the reader's)."""

Row = dict[str, Any]


def reader_columns(table: Table) -> list[Column[Any]]:
    """The columns of ``table`` that point at a reader."""
    return [
        column
        for column in table.columns
        for key in column.foreign_keys
        if key.column.table.name == ReaderRow.__tablename__
    ]


def tables_of_readers() -> list[Table]:
    """Every table with a row per reader's something, parents before children."""
    return [table for table in Base.metadata.sorted_tables if reader_columns(table)]


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return None  # embeddings and other binary data: not for people
    return value


def _shown(row: Row) -> Row:
    return {name: _plain(value) for name, value in row.items() if not _SECRET.search(name)}


def _with_urls(table: Table) -> Select[Any]:
    """``SELECT`` the table's rows, each column that points at a row with a URL (an article,
    a source) followed by that URL, as ``article_url`` beside ``article_id``."""
    query = select(table)
    for column in table.columns:
        for key in column.foreign_keys:
            target = key.column.table
            if "url" not in target.columns or not column.name.endswith("_id"):
                continue
            linked = target.alias()
            label = f"{column.name.removesuffix('_id')}_url"
            query = query.add_columns(linked.c.url.label(label)).outerjoin(
                linked, column == linked.c[key.column.name]
            )
    return query


class ReaderDataRepository(Repository):
    """``store.reader_data``: a reader's rows in every table, to export or erase."""

    def export(self, reader_id: int) -> dict[str, list[Row]]:
        """The reader's own row (``readers``) and their rows of every other table, by table
        name, without secrets. A column that points at another table with a ``url`` (an
        article, a source) gets that URL beside it, so the export makes sense on its own."""
        found: dict[str, list[Row]] = {}
        with self._sessions.read() as session:
            readers = Base.metadata.tables[ReaderRow.__tablename__]
            own = session.execute(select(readers).where(readers.c.id == reader_id)).mappings()
            found[readers.name] = [_shown(dict(row)) for row in own]
            for table in tables_of_readers():
                pointers = reader_columns(table)
                names = {column.name for column in pointers}
                mine = or_(*(column == reader_id for column in pointers))
                order = list(table.primary_key.columns)
                query = _with_urls(table).where(mine).order_by(*order)
                found[table.name] = [
                    _shown({k: v for k, v in row.items() if k not in names})
                    for row in session.execute(query).mappings()
                ]
        return found

    def erase(self, reader_id: int) -> bool:
        """Remove the reader and everything of theirs, in one transaction: their rows in every
        table that points at them (a pointer the schema sets to NULL on delete is set to NULL,
        so a shared thing they once added stays), their failed sign-ins, then the reader.
        False when there was no such reader."""
        with self._sessions.write() as session:
            email = session.scalar(select(ReaderRow.email).where(ReaderRow.id == reader_id))
            if email is None:
                return False
            for table in reversed(tables_of_readers()):
                for column in reader_columns(table):
                    [key] = column.foreign_keys
                    if (key.ondelete or "").upper() == "SET NULL":
                        session.execute(
                            update(table).where(column == reader_id).values({column.name: None})
                        )
                    else:
                        session.execute(delete(table).where(column == reader_id))
            keys = [f"{kind}:{email_key(email)}" for kind in ("account", "link-account")]
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.key.in_(keys)))
            session.execute(delete(ReaderRow).where(ReaderRow.id == reader_id))
            retire_id(session, reader_id)
        return True
