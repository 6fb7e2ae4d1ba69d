"""Event tables for the bridge (TengeBridgeHome and TengeBridgeRemote share them, ``bridge_*``; the ``Transfer``
struct of TransferSent/OutboundQueued flattened into ``transfer_*`` columns), the purpose-bound programmes
(``programme_*``) and the reward pools (``rewards_*``).

Revision ID: 0004
"""

from __future__ import annotations

from alembic import op

from tenge.index.schema import build_metadata

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    build_metadata("0004", with_bookkeeping=False).create_all(op.get_bind())


def downgrade() -> None:
    build_metadata("0004", with_bookkeeping=False).drop_all(op.get_bind())
