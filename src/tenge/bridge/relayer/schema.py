"""The relayer store's tables (SQLAlchemy Core). Changed only through a new alembic revision."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

#: One row per transfer seen on a source bridge. ``state``: sent, attested, delivered, queued, failed, refunded.
transfers = Table(
    "relayer_transfers",
    metadata,
    Column("id", String(66), primary_key=True),
    Column("source_chain", BigInteger, nullable=False),
    Column("dest_chain", BigInteger, nullable=False),
    Column("nonce", BigInteger, nullable=False),
    Column("body", Text, nullable=False),  # BridgeTransfer.to_dict() as JSON
    Column("state", String(16), nullable=False),
    Column("reason", Text),
    Column("retries", Integer, nullable=False, default=0),
    Column("next_attempt", Float, nullable=False),  # unix time
    Column("final_at", Float, nullable=False),  # when the relayer saw it final at the source
    Column("done_at", Float),
    Column("signatures", Text),  # JSON list of Attestation.to_dict(): the threshold gathered
    Column("pending_tx", String(66)),  # a submission not yet mined (deliver, complete or refund)
    Column("lease_owner", String(64)),
    Column("lease_until", Float),
    Column("updated_at", Float, nullable=False),
)
Index("relayer_transfers_due", transfers.c.state, transfers.c.next_attempt)

#: Every transaction an instance signed: its key, nonce and fees; a replacement reuses the nonce.
transactions = Table(
    "relayer_transactions",
    metadata,
    Column("tx_hash", String(66), primary_key=True),
    Column("sender", String(42), nullable=False),
    Column("chain_id", BigInteger, nullable=False),
    Column("nonce", BigInteger, nullable=False),
    Column("transfer_id", String(66), nullable=False),
    Column("action", String(16), nullable=False),  # deliver, complete, refund
    Column("fee", BigInteger, nullable=False),  # gasPrice or maxFeePerGas (wei)
    Column("tip", BigInteger, nullable=False),  # maxPriorityFeePerGas (0 for legacy)
    Column("raw", Text, nullable=False),  # the call's tx fields as JSON (to rebuild a replacement)
    Column("sent_at", Float, nullable=False),
    Column("status", String(16), nullable=False),  # pending, mined, reverted, replaced, dropped
)
Index("relayer_transactions_pending", transactions.c.sender, transactions.c.chain_id, transactions.c.status)

#: Next block to scan per source chain (shared by every instance: scanning twice inserts nothing twice).
cursors = Table(
    "relayer_cursors",
    metadata,
    Column("chain_id", BigInteger, primary_key=True),
    Column("next_block", BigInteger, nullable=False),
)
