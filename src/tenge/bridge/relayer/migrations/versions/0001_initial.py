"""The relayer's tables: transfers (state, retries, lease), transactions (per key and nonce), scan cursors.

Revision ID: r0001
"""

from __future__ import annotations

from alembic import op

from tenge.bridge.relayer.schema import metadata

revision = "r0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    metadata.create_all(op.get_bind())


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
