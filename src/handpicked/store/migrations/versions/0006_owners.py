"""Ownership and roles: who subscribes to which source, desk-wide sources, admins, verified
addresses, invite links and the desk's own settings (the sign-up mode, the shared pool).

Existing sources become desk-wide (every reader had them before); existing readers count as
verified; the oldest reader becomes the admin (``handpicked admin`` changes that).

Revision ID: 0006_owners
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_owners"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(
            sa.Column("desk_wide", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute("UPDATE sources SET desk_wide = true")
    with op.batch_alter_table("readers") as batch:
        batch.add_column(
            sa.Column("is_admin", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("verified_at", _WHEN, nullable=True))
    op.execute("UPDATE readers SET verified_at = created_at")
    op.execute("UPDATE readers SET is_admin = true WHERE id = (SELECT min(id) FROM readers)")
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reader_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["reader_id"], ["readers.id"], name=op.f("fk_subscriptions_reader_id_readers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_subscriptions_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
    )  # fmt: skip
    op.create_index(
        "uq_subscriptions_reader_id_source_id",
        "subscriptions",
        ["reader_id", "source_id"],
        unique=True,
    )
    op.create_index(op.f("ix_subscriptions_source_id"), "subscriptions", ["source_id"])
    op.create_table(
        "invites",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("expires_at", _WHEN, nullable=False),
        sa.Column("used_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["readers.id"], name=op.f("fk_invites_created_by_readers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_invites")),
    )  # fmt: skip
    op.create_table(
        "desk_settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_desk_settings")),
    )


def downgrade() -> None:
    op.drop_table("desk_settings")
    op.drop_table("invites")
    op.drop_table("subscriptions")
    with op.batch_alter_table("readers") as batch:
        batch.drop_column("verified_at")
        batch.drop_column("is_admin")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("desk_wide")
