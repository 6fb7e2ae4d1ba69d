"""Chain counterparts of the bridge, programme, reward-pool and PvP facts (and of their pause flags and roles), read in
JSON-RPC batches at the audit's block. The rebuild side: :mod:`tenge.audit.bridge_rebuild`,
:mod:`tenge.audit.programme_rebuild`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from web3 import Web3
from web3.contract import Contract

from tenge.audit.bridge_rebuild import INBOUND, OUTBOUND
from tenge.audit.pvp_audit import pvp_chain_call
from tenge.audit.rebuild import Fact

#: Table prefixes whose facts this module reads (and :mod:`tenge.audit.chain_state` does not).
PREFIXES = ("bridge", "programme", "rewards", "pvp")

Convert = Callable[[Any], Any]


def is_extension_fact(fact: Fact) -> bool:
    kind, key = fact
    if kind == "role":
        return key.split(":")[0] in PREFIXES
    return kind.split(" ")[0] in PREFIXES


def _hex(value: Any) -> str:
    return "0x" + bytes(value).hex()


class ExtensionReader:
    """``contracts``: table prefix -> the deployed contract; ``token``: the suite's token (balances, supply)."""

    def __init__(self, w3: Web3, contracts: dict[str, Contract], token: Contract, at: int) -> None:
        self.w3, self.contracts, self.token, self.at = w3, contracts, token, at

    def _call(self, fact: Fact) -> tuple[Any, Convert]:
        kind, key = fact
        if kind == "role":
            prefix, role, account = key.split(":")
            return self.contracts[prefix].functions.hasRole(bytes.fromhex(role[2:]), account), bool
        prefix = kind.split(" ")[0]
        f = self.contracts[prefix].functions
        if kind.endswith(" paused"):
            return f.paused(), bool
        if prefix == "bridge":
            return self._bridge(f, kind, key)
        if prefix == "programme":
            return self._programme(f, kind, key)
        if prefix == "pvp":
            return pvp_chain_call(self.w3, self.contracts["pvp"], self.token.abi, kind, key)
        return self._rewards(f, kind, key)

    def _bridge(self, f: Any, kind: str, key: str) -> tuple[Any, Convert]:
        if kind == "bridge outbound":
            nonce = int(key) if key.isdigit() else 2**64 - 1  # an id no TransferSent/OutboundQueued announced
            return f.outboundStatus(nonce), lambda r: OUTBOUND[int(r)]
        if kind == "bridge inbound":
            return f.inboundStatus(bytes.fromhex(key[2:])), lambda r: INBOUND[int(r)]
        if kind == "bridge locked":
            return f.locked(int(key)), int
        if kind == "bridge escrow":
            return self.token.functions.balanceOf(self.contracts["bridge"].address), int
        if kind == "bridge minted supply":
            return self.token.functions.totalSupply(), int
        if kind == "bridge escrow attestation":
            return f.lastEscrowAttestation(), lambda r: (int(r[0]), int(r[1]), int(r[2]))
        if kind == "bridge next nonce":
            return f.nextNonce(), int
        if kind == "bridge threshold":
            return f.threshold(), int
        if kind == "bridge validators":
            return f.validators(), lambda r: tuple(sorted(str(v) for v in r))
        if kind == "bridge remote":
            return f.remoteBridge(int(key)), str
        raise KeyError((kind, key))

    def _programme(self, f: Any, kind: str, key: str) -> tuple[Any, Convert]:
        if kind == "programme":
            return f.programme(int(key)), lambda r: (str(r[0]), int(r[2]), int(r[3]), bool(r[4]))
        if kind == "programme locked":
            return f.locked(int(key)), int
        if kind == "programme total locked":
            return f.totalLocked(), int
        if kind == "programme vouchers":
            pid, holder = key.split(":")
            return f.balanceOf(holder, int(pid)), int
        raise KeyError((kind, key))

    def _rewards(self, f: Any, kind: str, key: str) -> tuple[Any, Convert]:
        if kind == "rewards pool":
            return f.pool(int(key)), lambda r: (str(r[0]), str(r[1]), int(r[2]), int(r[3]), int(r[4]), bool(r[5]), bool(r[6]), _hex(r[7]))
        if kind == "rewards claimed":
            pid, beneficiary, period = key.split(":")
            return f.claimed(int(pid), beneficiary, int(period)), bool
        if kind == "rewards paid in period":
            pid, period = key.split(":")
            return f.paidInPeriod(int(pid), int(period)), int
        raise KeyError((kind, key))

    def read(self, facts: list[Fact], run: Callable[[list[Any]], list[Any]]) -> dict[Fact, Any]:
        """Chain values of ``facts`` (those of a prefix with no contract here read as None: a difference)."""
        plan: list[tuple[Fact, Convert]] = []
        calls: list[Any] = []
        values: dict[Fact, Any] = {}
        for fact in facts:
            prefix = fact[1].split(":")[0] if fact[0] == "role" else fact[0].split(" ")[0]
            if prefix not in self.contracts:
                values[fact] = None
                continue
            call, convert = self._call(fact)
            plan.append((fact, convert))
            calls.append(call)
        for (fact, convert), raw in zip(plan, run(calls)):
            values[fact] = convert(raw)
        return values
