"""The validator's tables (SQLAlchemy ORM); created and upgraded by the alembic migrations next to this file."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ChainState(Base):
    """Per source chain: how far it is processed (a finalized block and its hash) and the nonces behind it."""

    __tablename__ = "validator_chains"

    chain_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    bridge: Mapped[str] = mapped_column(String(42))
    #: the last finalized block fully processed, and its hash as seen then
    block_number: Mapped[int] = mapped_column(BigInteger)
    block_hash: Mapped[str] = mapped_column(String(66))
    #: every nonce below this one was seen (sent or queued) — gap detection
    contiguous_nonce: Mapped[int] = mapped_column(BigInteger, default=0)
    highest_signed_nonce: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    halted: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class SeenNonce(Base):
    """A nonce of a source bridge seen at finality: ``sent`` (TransferSent) or ``queued`` (OutboundQueued)."""

    __tablename__ = "validator_nonces"

    chain_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    nonce: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    state: Mapped[str] = mapped_column(String(8))
    transfer_id: Mapped[str] = mapped_column(String(66), index=True)
    block_number: Mapped[int] = mapped_column(BigInteger)
    block_hash: Mapped[str] = mapped_column(String(66))
    tx_hash: Mapped[str] = mapped_column(String(66))


class SignedAttestation(Base):
    """One signature this validator made: ``Transfer``/``Refund`` keyed by transfer id, escrow by remote:sequence."""

    __tablename__ = "validator_attestations"
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_validator_attestation"),)

    row: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(24))
    key: Mapped[str] = mapped_column(String(96))
    #: source chain (Transfer, Refund) or remote chain (EscrowAttestation)
    chain_id: Mapped[int] = mapped_column(BigInteger, index=True)
    #: transfer nonce, or escrow sequence
    number: Mapped[int] = mapped_column(BigInteger)
    block_number: Mapped[int] = mapped_column(BigInteger)
    block_hash: Mapped[str] = mapped_column(String(66))
    #: Attestation.to_dict() as JSON
    body: Mapped[str] = mapped_column(Text)
