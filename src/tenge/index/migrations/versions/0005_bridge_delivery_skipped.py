"""Event table for the bridges: DeliverySkipped (deliverBatch passed over a transfer already processed).

Revision ID: 0005
"""

from __future__ import annotations

from alembic import op

from tenge.index.schema import build_metadata

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    build_metadata("0005", with_bookkeeping=False).create_all(op.get_bind())


def downgrade() -> None:
    build_metadata("0005", with_bookkeeping=False).drop_all(op.get_bind())
