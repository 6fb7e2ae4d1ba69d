"""Event table for the stranded-escrow release at home (issue 18): StrandedEscrowReleased.

Revision ID: 0007
"""

from __future__ import annotations

from alembic import op

from tenge.index.schema import build_metadata

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    build_metadata("0007", with_bookkeeping=False).create_all(op.get_bind())


def downgrade() -> None:
    build_metadata("0007", with_bookkeeping=False).drop_all(op.get_bind())

