"""Stranded home escrow: money that left a BNB-side supply without the bridge, and its governed release.

A wipe, redeem or burn on the BNB side takes tenge out of the supply there without the bridge: it never comes back
through the bridge, so the home escrow that backed it is stranded. :func:`reserve_report` measures it from both
chains (the BNB-side token's burns that were not the bridge's own ``crosschainBurn``, minus what the home bridge
already released) together with the reserve accounting — and the gap while the BNB-side reserve still counts a
lock the home bridge gave back (a refund or cancel at home, until the next escrow attestation).

:func:`release_message` builds the ``StrandedRelease`` a validator signs — refused when the amount exceeds what is
stranded now — and ``BridgeClient.release_stranded`` submits a threshold of those signatures (the admin's call).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tenge.amounts import AmountLike, format_tenge, from_tiyn, parse_tenge
from tenge.bridge.attestations import StrandedRelease
from tenge.errors import InvalidInput
from tenge.payments.logs import scan_events

if TYPE_CHECKING:
    from tenge.bridge.client import BridgeClient

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ReserveReport:
    """The home escrow for one BNB-side chain against that chain's supply and reserve (tenge)."""

    remote_chain_id: int
    #: the home bridge's lock count for the chain (sent or queued, net of cancels, refunds, stranded releases)
    home_locked: Decimal
    #: the home bridge's whole token balance (every chain's escrow)
    home_escrow: Decimal
    #: the lock count as the BNB-side bridge last accepted it, and that attestation's sequence
    attested_locked: Decimal
    attested_sequence: int
    #: the BNB-side token's reserve and supply
    remote_reserve: Decimal
    remote_supply: Decimal
    #: burned on the BNB side outside the bridge since it started (wipes, redemptions, burns)
    burned_outside_bridge: Decimal
    #: stranded escrow released at home so far, and the number of the last release
    released: Decimal
    release_sequence: int

    @property
    def stranded(self) -> Decimal:
        """Home escrow that backs nothing on the BNB side any more and was not released yet."""
        return max(ZERO, self.burned_outside_bridge - self.released)

    @property
    def attestation_gap(self) -> Decimal:
        """How much the BNB-side reserve counts above the home lock (a refund or cancel at home not attested yet)."""
        return max(ZERO, self.attested_locked - self.home_locked)

    @property
    def supply_within_escrow(self) -> bool:
        return self.remote_supply <= self.home_escrow

    def to_dict(self) -> dict[str, Any]:
        """Decimal amounts (``--json`` prints them as decimal strings)."""
        return {
            "remoteChainId": self.remote_chain_id, "homeLocked": self.home_locked, "homeEscrow": self.home_escrow,
            "attestedLocked": self.attested_locked, "attestedSequence": self.attested_sequence,
            "remoteReserve": self.remote_reserve, "remoteSupply": self.remote_supply,
            "burnedOutsideBridge": self.burned_outside_bridge, "released": self.released,
            "releaseSequence": self.release_sequence, "stranded": self.stranded,
            "attestationGap": self.attestation_gap, "supplyWithinEscrow": self.supply_within_escrow,
        }  # fmt: skip

    def lines(self, currency: str) -> list[str]:
        """The report as text."""
        def money(amount: Decimal) -> str:
            return format_tenge(amount, currency)

        gap = self.attestation_gap
        return [
            f"bridge reserve for chain {self.remote_chain_id}:",
            f"  home locked {money(self.home_locked)}, home escrow {money(self.home_escrow)}",
            f"  BNB-side supply {money(self.remote_supply)}, reserve {money(self.remote_reserve)} "
            f"(attested lock {money(self.attested_locked)}, sequence {self.attested_sequence})",
            f"  burned outside the bridge {money(self.burned_outside_bridge)}, released {money(self.released)} "
            f"({self.release_sequence} releases): stranded {money(self.stranded)}",
            f"  reserve above the home lock until the next escrow attestation: {money(gap)}"
            if gap else "  reserve attested up to date with the home lock",
            "  BNB-side supply within the home escrow" if self.supply_within_escrow
            else "  BNB-SIDE SUPPLY ABOVE THE HOME ESCROW",
        ]  # fmt: skip


def burned_outside_bridge(remote: "BridgeClient", to_block: int | None = None) -> Decimal:
    """Everything burned on the BNB-side token without the bridge: every burn (``Transfer`` to the zero address)
    minus the bridge's own ``crosschainBurn``s (sends), from the token's deployment block."""
    token = remote.session.contract("DigitalTenge")
    start = int(remote.session.record.contracts["DigitalTenge"].get("blockNumber", 0))
    end = int(remote.w3.eth.block_number) if to_block is None else to_block
    burned = 0
    for event in scan_events(token, ["Transfer", "CrosschainBurn"], start, end):
        if event.name == "Transfer" and int(event.args["to"], 16) == 0:
            burned += int(event.args["value"])
        elif event.name == "CrosschainBurn":
            burned -= int(event.args["amount"])
    return from_tiyn(max(0, burned))


def reserve_report(home: "BridgeClient", remote: "BridgeClient") -> ReserveReport:
    """Both chains' view of the reserve for ``remote``'s chain (home first, then the BNB side)."""
    if home.role != "home" or remote.role != "remote":
        raise InvalidInput("the reserve report compares a home bridge with a BNB-side bridge")
    chain = remote.chain_id
    released_tiyn, sequence = home.contract.functions.strandedReleased(chain).call()
    home_token, remote_token = home.session.token(), remote.session.token()
    attested, attested_sequence, _ = remote.last_escrow_attestation()
    return ReserveReport(
        remote_chain_id=chain, home_locked=home.locked(chain), home_escrow=home_token.balance_of(home.address),
        attested_locked=attested, attested_sequence=attested_sequence, remote_reserve=remote_token.reserve().amount,
        remote_supply=remote_token.total_supply(), burned_outside_bridge=burned_outside_bridge(remote),
        released=from_tiyn(int(released_tiyn)), release_sequence=int(sequence),
    )  # fmt: skip


def release_message(home: "BridgeClient", remote: "BridgeClient", to: str, amount: AmountLike) -> StrandedRelease:
    """The next ``StrandedRelease`` of ``amount`` to ``to`` for ``remote``'s chain, as a validator signs it:
    refused (nothing signed) when ``amount`` is more than what is stranded now."""
    value = parse_tenge(amount, allow_zero=False)
    report = reserve_report(home, remote)
    if value > report.stranded:
        currency = home.currency
        raise InvalidInput(
            f"a release of {format_tenge(value, currency)} is more than the {format_tenge(report.stranded, currency)} "
            f"stranded for chain {report.remote_chain_id} (burned outside the bridge "
            f"{format_tenge(report.burned_outside_bridge, currency)}, released {format_tenge(report.released, currency)});"
            " nothing was signed"
        )
    return StrandedRelease(report.remote_chain_id, report.released + report.stranded, to, value, report.release_sequence + 1)
