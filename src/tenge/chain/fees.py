"""Fee fields for a network's fee model, cached for a few seconds: a burst of writes asks the node once.

Legacy networks (BSC) get ``gasPrice``; EIP-1559 networks ``maxFeePerGas`` (twice the base fee plus the tip,
so a few blocks of rising base fee still fit) and ``maxPriorityFeePerGas``. A node that refuses a fee as too
low makes the sender :meth:`FeeCache.forget` the cached one and ask again.

:class:`FeeOverrides` (the CLI's ``--gas-price`` / ``--max-fee`` / ``--priority-fee``, in gwei) replace what the node
suggests: ``gasPrice`` on legacy networks only, ``maxFeePerGas`` / ``maxPriorityFeePerGas`` on EIP-1559 networks
only; any other combination is refused before anything is signed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal

from web3 import Web3

from tenge.chain.networks import Network
from tenge.errors import InvalidInput

#: How long fetched fee fields are reused.
FEE_TTL_SECONDS = 10.0
#: Highest tip offered on EIP-1559 networks (wei).
MAX_PRIORITY_FEE = 2 * 10**9


def _gwei(wei: int) -> str:
    return f"{Decimal(wei) / 10**9:f}".rstrip("0").rstrip(".") + " gwei"


@dataclass(frozen=True)
class FeeOverrides:
    """Fees set by hand, in wei (None: what the node suggests)."""

    gas_price: int | None = None
    max_fee: int | None = None
    priority_fee: int | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.gas_price, self.max_fee, self.priority_fee))

    def describe(self) -> str:
        parts = [(self.gas_price, "--gas-price"), (self.max_fee, "--max-fee"), (self.priority_fee, "--priority-fee")]
        return ", ".join(f"{flag} {_gwei(v)}" for v, flag in parts if v is not None)

    def check(self, network: Network) -> None:
        """Refuse a combination that means nothing on ``network``'s fee model (nothing is signed)."""
        if network.fee_model == "legacy":
            if self.max_fee is not None or self.priority_fee is not None:
                raise InvalidInput(f"{network.name} takes legacy transactions (one gasPrice): --max-fee and "
                                   "--priority-fee mean nothing there; use --gas-price")  # fmt: skip
            return
        if self.gas_price is not None:
            raise InvalidInput(f"{network.name} takes EIP-1559 transactions: --gas-price means nothing there; use "
                               "--max-fee (the most paid per gas) and/or --priority-fee (the tip)")  # fmt: skip
        if self.max_fee is not None and self.priority_fee is not None and self.priority_fee > self.max_fee:
            raise InvalidInput(f"--priority-fee {_gwei(self.priority_fee)} exceeds --max-fee {_gwei(self.max_fee)}: "
                               "the tip is part of the maximum fee")  # fmt: skip


class FeeCache:
    """The fee fields of one network, fetched at most once per :data:`FEE_TTL_SECONDS`."""

    def __init__(self, w3: Web3, network: Network, ttl: float = FEE_TTL_SECONDS) -> None:
        self.w3 = w3
        self.network = network
        self.ttl = ttl
        self._fields: dict[str, int] | None = None
        self._fetched_at = 0.0
        self.overrides = FeeOverrides()

    def override(self, overrides: FeeOverrides) -> None:
        """Use ``overrides`` (checked against the network's fee model) instead of the node's suggestions."""
        overrides.check(self.network)
        self.overrides = overrides
        self.forget()

    def fields(self) -> dict[str, int]:
        if self._fields is None or time.monotonic() - self._fetched_at > self.ttl:
            self._fields = self._fetch()
            self._fetched_at = time.monotonic()
        return dict(self._fields)

    def forget(self) -> None:
        self._fields = None

    def _fetch(self) -> dict[str, int]:
        wanted = self.overrides
        if self.network.fee_model == "legacy":
            return {"gasPrice": wanted.gas_price if wanted.gas_price is not None else int(self.w3.eth.gas_price)}
        if wanted.max_fee is not None and wanted.priority_fee is not None:
            return {"maxFeePerGas": wanted.max_fee, "maxPriorityFeePerGas": wanted.priority_fee}
        base_fee = int(self.w3.eth.get_block("latest").get("baseFeePerGas", 0) or 0)
        if wanted.priority_fee is not None:
            priority = wanted.priority_fee
        else:
            priority = min(int(self.w3.eth.max_priority_fee), MAX_PRIORITY_FEE) if base_fee else 0
        if wanted.max_fee is not None:
            return {"maxFeePerGas": wanted.max_fee, "maxPriorityFeePerGas": min(priority, wanted.max_fee)}
        return {"maxFeePerGas": 2 * base_fee + priority, "maxPriorityFeePerGas": priority}
