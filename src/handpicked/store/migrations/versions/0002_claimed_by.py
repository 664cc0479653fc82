"""Who holds a queued URL: lets a restarted poll take back what a killed one had claimed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pending_urls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pending_urls", schema=None) as batch_op:
        batch_op.drop_column("claimed_by")
