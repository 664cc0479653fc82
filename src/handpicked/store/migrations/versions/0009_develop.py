"""Stories that develop: each story's provenance (reports and copies), earlier versions of
articles that were re-fetched and changed, and the validators and times of those re-fetches.

Revision ID: 0009_develop
Revises: 0008_search
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_develop"
down_revision: str | None = "0008_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)


def _article_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["article_id"], ["articles.id"], name=op.f(f"fk_{table}_article_id_articles"),
        ondelete="CASCADE",
    )  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provenance", sa.JSON(), nullable=True))
    op.create_table(
        "article_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("paragraphs", sa.JSON(), nullable=False),
        sa.Column("replaced_at", _WHEN, nullable=False),
        _article_fk("article_revisions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_revisions")),
    )
    with op.batch_alter_table("article_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_article_revisions_article_id"), ["article_id"])
    op.create_table(
        "article_checks",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("checked_at", _WHEN, nullable=False),
        sa.Column("revised_at", _WHEN, nullable=True),
        _article_fk("article_checks"),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_checks")),
    )


def downgrade() -> None:
    op.drop_table("article_checks")
    with op.batch_alter_table("article_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_revisions_article_id"))
    op.drop_table("article_revisions")
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_column("provenance")
