"""Event tables for the hardened bridges (issue 18): deferred deliveries (DeliveryDeferred, DeferralTimeoutSet), the
delayed queue under review (MaxTransferSet, QueueDelaySet, TransferHoldSet, QueuedTransferRejected), validator-set
governance (ValidatorUpdateScheduled, ValidatorUpdateCancelled, ValidatorUpdateDelaySet) and bridge replacement
(BridgeRetired, EscrowFigureAdopted).

Revision ID: 0006
"""

from __future__ import annotations

from alembic import op

from tenge.index.schema import build_metadata

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    build_metadata("0006", with_bookkeeping=False).create_all(op.get_bind())


def downgrade() -> None:
    build_metadata("0006", with_bookkeeping=False).drop_all(op.get_bind())
