"""Event table for the PvP settlement's Unwound (a payment whose som the som bridge refunded, reversed).

Revision ID: 0009
"""

from __future__ import annotations

from alembic import op

from tenge.index.schema import build_metadata

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    build_metadata("0009", with_bookkeeping=False).create_all(op.get_bind())


def downgrade() -> None:
    build_metadata("0009", with_bookkeeping=False).drop_all(op.get_bind())

