"""Initial terminal store: accepted payments, purses seen, revocations, settings.

Revision ID: t0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "t0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offline_accepted_payments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("purse_id", sa.String(66), nullable=False),
        sa.Column("sequence", sa.String(20), nullable=False),
        sa.Column("amount", sa.String(78), nullable=False),
        sa.Column("cumulative", sa.String(78), nullable=False),
        sa.Column("bank", sa.String(42), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("accepted_at", sa.Integer(), nullable=False),
        sa.Column("settled_tx", sa.String(66), nullable=True),
        sa.UniqueConstraint("purse_id", "sequence"),
    )
    op.create_table(
        "offline_purses_seen",
        sa.Column("purse_id", sa.String(66), primary_key=True),
        sa.Column("sequence", sa.String(20), nullable=False),
        sa.Column("cumulative", sa.String(78), nullable=False),
    )
    op.create_table(
        "offline_revocations",
        sa.Column("purse_id", sa.String(66), primary_key=True),
        sa.Column("learned_at", sa.Integer(), nullable=False),
    )
    op.create_table(
        "offline_terminal_settings",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    for table in ("offline_terminal_settings", "offline_revocations", "offline_purses_seen", "offline_accepted_payments"):
        op.drop_table(table)
