"""Gas rows with their own contracts and their own peer, declared in one place.

The token table's rows (:data:`tenge.bench.operations.OPERATIONS`) are measured on every token column. A row
for a contract only our suite has - a PvP settlement, an offline-purse settlement - measures ours and, in the
same run on the same anvil, the peer it is compared with. Adding such a row is one entry in :data:`EXTRA_ROWS`:

    GasRow(
        Operation("pvp_settle", "PvP settlement, tenge <-> som", target=150_000),
        ours=measure_pvp_settle,                  # (OursBench) -> Measurement | None
        peer_label="two ERC-20 transfers (HTLC)", # what the peer is, for the tables
        peer=measure_pvp_peer,                    # (OursBench) -> Measurement | None
        peer_is_target=False,                     # True: ours must not use more gas than the peer
    )

The measuring functions live in their own modules and get the prepared :class:`~tenge.bench.our_suite.OursBench`
(its ``chain``, ``cast``, ``suite.addresses`` and ``suite.config``); they deploy whatever else they need on
``bench.chain``. Everything else - the table, the JSON, `tenge bench` summary with target and met - follows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tenge.bench.operations import OPERATIONS, Operation
from tenge.bench.pvp_bench import measure_pvp_peer, measure_pvp_settle
from tenge.bench.scenarios import Measurement

if TYPE_CHECKING:
    from tenge.bench.our_suite import OursBench

Measure = Callable[["OursBench"], Measurement | None]


@dataclass(frozen=True)
class GasRow:
    operation: Operation
    #: Measures ours on the prepared bench.
    ours: Measure
    #: What the peer is (shown in the tables); None: the row has no peer of its own.
    peer_label: str | None = None
    #: Measures the peer in the same run.
    peer: Measure | None = None
    #: The row's target is "at most the peer's gas" (besides ``operation.target`` if any).
    peer_is_target: bool = False

    def __post_init__(self) -> None:
        if (self.peer is None) != (self.peer_label is None):
            raise ValueError(f"gas row {self.operation.key}: a peer needs both its label and its measurement")
        if self.peer_is_target and self.peer is None:
            raise ValueError(f"gas row {self.operation.key}: peer_is_target without a peer")


def _offline_rows() -> tuple[GasRow, ...]:
    from tenge.bench.offline_bench import measure_offline_settle, measure_plain_transfer

    return (
        GasRow(
            Operation("offline_settle_100", "offline purse payment, settleBatch of 100 (per payment)", target=25_000),
            ours=measure_offline_settle,
            peer_label="one plain token transfer (ours)",
            peer=measure_plain_transfer,
            peer_is_target=True,
        ),
    )


#: Rows with their own contracts and peers, in table order after the token table's rows. One entry per row.
EXTRA_ROWS: tuple[GasRow, ...] = (
    GasRow(
        Operation("pvp_settle", "PvP settlement, tenge -> som, signed quote (both legs)", target=120_000),
        ours=measure_pvp_settle,
        peer_label="two plain transfers (tenge, som)",
        peer=measure_pvp_peer,
    ),
    *_offline_rows(),
)


def all_operations(extra: tuple[GasRow, ...] | None = None) -> tuple[Operation, ...]:
    """Every row of the gas table, in order: the token table's, then the extra rows'."""
    rows = EXTRA_ROWS if extra is None else extra
    return (*OPERATIONS, *(row.operation for row in rows))
