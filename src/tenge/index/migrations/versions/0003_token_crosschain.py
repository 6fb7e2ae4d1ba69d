"""Event tables for token: CrosschainMint and CrosschainBurn (ERC-7802, the bridge).

Revision ID: 0003
"""

from __future__ import annotations

from alembic import op

from tenge.index.schema import build_metadata

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    build_metadata("0003", with_bookkeeping=False).create_all(op.get_bind())


def downgrade() -> None:
    build_metadata("0003", with_bookkeeping=False).drop_all(op.get_bind())
