"""Reading state per reader: read or unread, saved for later, and "mark all as read" horizons.

Revision ID: 0007_reading
Revises: 0006_owners
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_reading"
down_revision: str | None = "0006_owners"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)


def _reader_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["reader_id"], ["readers.id"], name=op.f(f"fk_{table}_reader_id_readers"),
        ondelete="CASCADE",
    )  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "reading_marks",
        sa.Column("reader_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("read", sa.Boolean(), nullable=True),
        sa.Column("read_changed_at", _WHEN, nullable=True),
        sa.Column("saved_at", _WHEN, nullable=True),
        _reader_fk("reading_marks"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_reading_marks_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("reader_id", "article_id", name=op.f("pk_reading_marks")),
    )
    op.create_index(op.f("ix_reading_marks_article_id"), "reading_marks", ["article_id"])
    op.create_index(
        "ix_reading_marks_reader_id_saved_at", "reading_marks", ["reader_id", "saved_at"]
    )
    op.create_table(
        "read_horizons",
        sa.Column("reader_id", sa.Integer(), nullable=False),
        sa.Column("up_to", _WHEN, nullable=False),
        sa.Column("changed_at", _WHEN, nullable=False),
        _reader_fk("read_horizons"),
        sa.PrimaryKeyConstraint("reader_id", name=op.f("pk_read_horizons")),
    )


def downgrade() -> None:
    op.drop_table("read_horizons")
    op.drop_index("ix_reading_marks_reader_id_saved_at", table_name="reading_marks")
    op.drop_index(op.f("ix_reading_marks_article_id"), table_name="reading_marks")
    op.drop_table("reading_marks")
