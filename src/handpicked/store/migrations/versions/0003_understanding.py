"""What the understanding stage learns of each article: entities, topics, detected language,
its duplicate and its story; plus the fingerprints and embeddings the indexes are rebuilt from.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("representative_id", sa.Integer(), nullable=True),
        sa.Column("first_seen", _WHEN, nullable=True),
        sa.Column("last_seen", _WHEN, nullable=True),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.Column("outlets", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
    )
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stories_last_seen"), ["last_seen"], unique=False)
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entities", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("topics", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("detected_language", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("duplicate_of", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("story_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("fingerprint", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("embedding", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("understood_at", _WHEN, nullable=True))
        batch_op.create_index(batch_op.f("ix_articles_story_id"), ["story_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_articles_understood_at"), ["understood_at"])
        batch_op.create_foreign_key(
            batch_op.f("fk_articles_duplicate_of_articles"),
            "articles",
            ["duplicate_of"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_articles_story_id_stories"),
            "stories",
            ["story_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_articles_story_id_stories"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("fk_articles_duplicate_of_articles"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_articles_understood_at"))
        batch_op.drop_index(batch_op.f("ix_articles_story_id"))
        for column in ("understood_at", "embedding", "fingerprint", "story_id", "duplicate_of",
                       "detected_language", "topics", "entities"):  # fmt: skip
            batch_op.drop_column(column)
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stories_last_seen"))
    op.drop_table("stories")
