"""Accepted payments record their settlement outcome: ``settled``, or why the contract skipped them.

Revision ID: t0002
Revises: t0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "t0002"
down_revision = "t0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("offline_accepted_payments") as batch:
        batch.add_column(sa.Column("outcome", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("offline_accepted_payments") as batch:
        batch.drop_column("outcome")
