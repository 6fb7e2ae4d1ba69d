"""Fee fields for a network's fee model, cached for a few seconds: a burst of writes asks the node once.

Legacy networks (BSC) get ``gasPrice``; EIP-1559 networks ``maxFeePerGas`` (twice the base fee plus the tip,
so a few blocks of rising base fee still fit) and ``maxPriorityFeePerGas``. A node that refuses a fee as too
low makes the sender :meth:`FeeCache.forget` the cached one and ask again.
"""

from __future__ import annotations

import time

from web3 import Web3

from tenge.chain.networks import Network

#: How long fetched fee fields are reused.
FEE_TTL_SECONDS = 10.0
#: Highest tip offered on EIP-1559 networks (wei).
MAX_PRIORITY_FEE = 2 * 10**9


class FeeCache:
    """The fee fields of one network, fetched at most once per :data:`FEE_TTL_SECONDS`."""

    def __init__(self, w3: Web3, network: Network, ttl: float = FEE_TTL_SECONDS) -> None:
        self.w3 = w3
        self.network = network
        self.ttl = ttl
        self._fields: dict[str, int] | None = None
        self._fetched_at = 0.0

    def fields(self) -> dict[str, int]:
        if self._fields is None or time.monotonic() - self._fetched_at > self.ttl:
            self._fields = self._fetch()
            self._fetched_at = time.monotonic()
        return dict(self._fields)

    def forget(self) -> None:
        self._fields = None

    def _fetch(self) -> dict[str, int]:
        if self.network.fee_model == "legacy":
            return {"gasPrice": int(self.w3.eth.gas_price)}
        base_fee = int(self.w3.eth.get_block("latest").get("baseFeePerGas", 0) or 0)
        priority = min(int(self.w3.eth.max_priority_fee), MAX_PRIORITY_FEE) if base_fee else 0
        return {"maxFeePerGas": 2 * base_fee + priority, "maxPriorityFeePerGas": priority}
