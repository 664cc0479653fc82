"""Threads: a story that continues an older one past the grouping window, and the thread
(its earliest story) both belong to.

Revision ID: 0010_threads
Revises: 0009_develop
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_threads"
down_revision: str | None = "0009_develop"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.add_column(sa.Column("continues_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("thread_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_stories_thread_id"), ["thread_id"])


def downgrade() -> None:
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stories_thread_id"))
        batch_op.drop_column("thread_id")
        batch_op.drop_column("continues_id")
