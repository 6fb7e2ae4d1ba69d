"""The terminal's tables (SQLAlchemy ORM); created and upgraded by the alembic migrations next to this file.

uint64/uint256 values are stored as decimal text (SQLite integers are signed 64-bit)."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class AcceptedPayment(Base):
    __tablename__ = "offline_accepted_payments"
    __table_args__ = (UniqueConstraint("purse_id", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    purse_id: Mapped[str] = mapped_column(String(66), nullable=False)
    sequence: Mapped[str] = mapped_column(String(20), nullable=False)
    amount: Mapped[str] = mapped_column(String(78), nullable=False)
    cumulative: Mapped[str] = mapped_column(String(78), nullable=False)
    bank: Mapped[str] = mapped_column(String(42), nullable=False)
    #: The whole ``dtoff1:`` string: what settlement submits (certificate and both signatures included).
    text: Mapped[str] = mapped_column(Text, nullable=False)
    accepted_at: Mapped[int] = mapped_column(Integer, nullable=False)
    settled_tx: Mapped[str | None] = mapped_column(String(66), nullable=True)
    #: After settlement: ``settled``, or the contract's skip reason (e.g. ``after_revocation``).
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)


class PurseSeen(Base):
    __tablename__ = "offline_purses_seen"

    purse_id: Mapped[str] = mapped_column(String(66), primary_key=True)
    sequence: Mapped[str] = mapped_column(String(20), nullable=False)
    cumulative: Mapped[str] = mapped_column(String(78), nullable=False)


class Revocation(Base):
    __tablename__ = "offline_revocations"

    purse_id: Mapped[str] = mapped_column(String(66), primary_key=True)
    learned_at: Mapped[int] = mapped_column(Integer, nullable=False)


class Setting(Base):
    __tablename__ = "offline_terminal_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)
