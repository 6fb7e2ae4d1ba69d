"""Event tables for vat: MerchantCategoriesSet and RefundToRecoveredWallet (issue 8's compliance fixes).

Revision ID: 0002
"""

from __future__ import annotations

from alembic import op

from tenge.index.schema import build_metadata

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    build_metadata("0002", with_bookkeeping=False).create_all(op.get_bind())


def downgrade() -> None:
    build_metadata("0002", with_bookkeeping=False).drop_all(op.get_bind())
