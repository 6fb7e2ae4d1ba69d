"""Event tables for the PvP settlement contract (issue 21): Settled, Forwarded, NonceCancelled, CorridorLimitSet,
its links to the bridges and its roles — 16 events; and the bridge events that landed without a migration
(PredecessorTransferRefunded, the payload transfers).

Revision ID: 0008
"""

from __future__ import annotations

from alembic import op

from tenge.index.schema import build_metadata

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    build_metadata("0008", with_bookkeeping=False).create_all(op.get_bind())


def downgrade() -> None:
    build_metadata("0008", with_bookkeeping=False).drop_all(op.get_bind())
