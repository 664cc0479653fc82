"""Search: a full-text index of the articles, and followed searches.

SQLite gets an FTS5 table with the articles table as its external content (so the text is
stored once), kept in step by triggers; PostgreSQL a generated, weighted ``tsvector`` column
with a GIN index. Interests may now be searches ("search:" follows).

Revision ID: 0008_search
Revises: 0007_reading
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_search"
down_revision: str | None = "0007_reading"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS_BEFORE = ("entity", "topic", "source", "section", "phrase")
_KINDS_AFTER = (*_KINDS_BEFORE, "search")

# Kept in this file (not imported) so that the migration stays as it was written.
_FTS_COLUMNS = "title, lead, text, authors, site_name"
_SQLITE = [
    "CREATE VIRTUAL TABLE articles_fts USING fts5("
    f"{_FTS_COLUMNS}, content='articles', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    f"INSERT INTO articles_fts(rowid, {_FTS_COLUMNS}) "
    "VALUES (new.id, new.title, new.lead, new.text, new.authors, new.site_name); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    f"INSERT INTO articles_fts(articles_fts, rowid, {_FTS_COLUMNS}) "
    "VALUES ('delete', old.id, old.title, old.lead, old.text, old.authors, old.site_name); END",
    f"CREATE TRIGGER articles_fts_update AFTER UPDATE OF {_FTS_COLUMNS} ON articles BEGIN "
    f"INSERT INTO articles_fts(articles_fts, rowid, {_FTS_COLUMNS}) "
    "VALUES ('delete', old.id, old.title, old.lead, old.text, old.authors, old.site_name); "
    f"INSERT INTO articles_fts(rowid, {_FTS_COLUMNS}) "
    "VALUES (new.id, new.title, new.lead, new.text, new.authors, new.site_name); END",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
    # What ranking and the usual filters read of each match, so that SQLite never reads the
    # article's row: its flag and dates sit behind the body, in overflow pages.
    "CREATE INDEX ix_articles_search_filters ON articles "
    "(id, is_article, published, fetched_at, language, detected_language, source_id, "
    "canonical_url)",
]
_POSTGRES = [
    "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(lead, '')), 'B') || "
    "setweight(to_tsvector('simple', coalesce(site_name, '') || ' ' || "
    "coalesce(authors::text, '')), 'C') || "
    "setweight(to_tsvector('simple', coalesce(text, '')), 'D')) STORED",
    "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)",
]


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _interest_kinds(kinds: tuple[str, ...]) -> None:
    with op.batch_alter_table("interests", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_interests_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_interests_kind"), _in("kind", kinds))


def upgrade() -> None:
    statements = _SQLITE if op.get_bind().dialect.name == "sqlite" else _POSTGRES
    for statement in statements:
        op.execute(statement)
    _interest_kinds(_KINDS_AFTER)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM interests WHERE kind = 'search'"))
    _interest_kinds(_KINDS_BEFORE)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP INDEX IF EXISTS ix_articles_search_filters")
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS articles_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_articles_search_vector")
        op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector")
