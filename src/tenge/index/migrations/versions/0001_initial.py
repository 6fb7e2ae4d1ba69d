"""The token and VAT payments: bookkeeping tables, one table per event (ABIs frozen in 0001_events.json), views.

Revision ID: 0001
"""

from __future__ import annotations

from alembic import op

from tenge.index.schema import build_metadata
from tenge.index.views import create_views, drop_views

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    metadata = build_metadata("0001")
    metadata.create_all(bind)
    create_views(bind, metadata)


def downgrade() -> None:
    bind = op.get_bind()
    drop_views(bind)
    build_metadata("0001").drop_all(bind)
