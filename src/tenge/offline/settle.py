"""Settling a merchant terminal's store on chain (online), and teaching the terminal the chain's revocations.

``settle_terminal`` takes what the terminal accepted and has not settled, oldest first, submits it in batches of up
to 100 and marks each batch's rows only after its receipt, with the contract's outcome per payment (``settled``, or
the reason it was skipped). A crash between submitting and marking is safe: the rows stay unsettled, the re-run
submits them again and the contract skips each as ``already_settled`` (a replay pays nothing), which the re-run
records as settled (outcome ``already_settled``). ``sync_revocations`` reads the purse contract's ``PurseRevoked`` and ``DoubleSpendProven``
events since the last sync into the store, so ``tenge offline accept`` refuses those purses' new payments; the
payments already accepted stay in the store and are submitted (the contract honours those signed before the
revocation time).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from tenge.errors import InvalidInput
from tenge.offline.purses import MAX_BATCH, BatchResult, OfflinePursesClient, SkipReason
from tenge.offline.terminal.terminal import Terminal
from tenge.offline.types import SignedPayment

#: Store setting: the last block whose revocations the terminal has learned.
REVOCATIONS_BLOCK = "revocations_synced_block"
#: Blocks per ``eth_getLogs`` call (RPC providers cap the range).
LOG_RANGE = 5_000


@dataclass
class TerminalSettlement:
    """What one ``settle_terminal`` run did (amounts in tenge)."""

    batches: list[BatchResult] = field(default_factory=list)
    settled: int = 0
    replayed: int = 0  # already settled by an earlier run (crash between submit and mark): paid nothing now
    gross: Decimal = Decimal("0.00")
    vat: Decimal = Decimal("0.00")
    skipped: list[tuple[int, bytes, int, SkipReason]] = field(default_factory=list)  # (row, purse, sequence, why)
    revocations_learned: int = 0


def sync_revocations(client: OfflinePursesClient, terminal: Terminal) -> int:
    """Learn the purses revoked (by their bank or holder) or proven cheated since the last sync; returns how many
    new purse ids the store learned."""
    settings = terminal.store.settings()
    start = int(settings.get(REVOCATIONS_BLOCK, "-1")) + 1
    latest = int(client.w3.eth.block_number)
    known = terminal.store.revoked()
    learned: list[bytes] = []
    for first in range(start, latest + 1, LOG_RANGE):
        last = min(first + LOG_RANGE - 1, latest)
        for name in ("PurseRevoked", "DoubleSpendProven"):
            for log in client.contract.events[name]().get_logs(from_block=first, to_block=last):
                pid = bytes(log["args"]["purseId"])
                if "0x" + pid.hex() not in known and pid not in learned:
                    learned.append(pid)
    if learned:
        terminal.learn_revocations(learned)
    terminal.store.save_settings({REVOCATIONS_BLOCK: str(latest)})
    return len(learned)


def _check_terminal(client: OfflinePursesClient, terminal: Terminal, merchant_id: int) -> None:
    """The terminal settles on this contract and chain, and ``merchant_id`` pays out to the terminal's merchant."""
    domain = terminal.settings.domain
    if (domain.chain_id, domain.verifying_contract.lower()) != (client.chain_id, client.address.lower()):
        raise InvalidInput(
            f"the terminal takes purses of contract {domain.verifying_contract} on chain {domain.chain_id}, not "
            f"{client.address} on chain {client.chain_id}; nothing was sent"
        )
    merchant = client.session.payments().merchant(merchant_id)
    if not merchant.registered or merchant.payout.lower() != terminal.settings.merchant.lower():
        raise InvalidInput(
            f"merchant {merchant_id} pays out to {merchant.payout if merchant.registered else 'nobody (unregistered)'}, "
            f"not to this terminal's merchant {terminal.settings.merchant}; nothing was sent"
        )


def settle_terminal(
    client: OfflinePursesClient,
    terminal: Terminal,
    merchant_id: int,
    *,
    on_submitted: Callable[[BatchResult], None] | None = None,
) -> TerminalSettlement:
    """Submit the terminal's unsettled payments to merchant ``merchant_id`` in batches of up to 100, marking each
    batch's rows settled (or skipped, with the reason) only after its receipt. ``on_submitted`` runs between a
    batch's receipt and its marking (the CLI reports there)."""
    _check_terminal(client, terminal, merchant_id)
    out = TerminalSettlement(revocations_learned=sync_revocations(client, terminal))
    pending = terminal.unsettled()
    for start in range(0, len(pending), MAX_BATCH):
        rows = pending[start : start + MAX_BATCH]
        batch = client.settle_batch(merchant_id, [signed for _, signed in rows])
        if on_submitted is not None:
            on_submitted(batch)
        outcomes = _outcomes(rows, batch)
        terminal.mark_settled([row for row, _ in rows], batch.result.tx_hash, outcomes)
        out.batches.append(batch)
        out.gross += batch.gross
        out.vat += batch.vat
        out.settled += batch.settled
        for row, signed in rows:
            outcome = outcomes[row]
            if outcome == SkipReason.ALREADY_SETTLED.name.lower():
                out.replayed += 1
            elif outcome != "settled":
                out.skipped.append((row, signed.payment.purse_id, signed.payment.sequence, SkipReason[outcome.upper()]))
    return out


def _outcomes(rows: list[tuple[int, SignedPayment]], batch: BatchResult) -> dict[int, str]:
    """Each row's outcome in ``batch``: ``settled`` or the skip reason's name (lower case)."""
    reasons = {(purse, sequence): reason for purse, sequence, reason in batch.skipped}
    return {
        row: reasons[key].name.lower() if (key := (s.payment.purse_id, s.payment.sequence)) in reasons else "settled"
        for row, s in rows
    }


__all__ = ["REVOCATIONS_BLOCK", "TerminalSettlement", "settle_terminal", "sync_revocations"]
