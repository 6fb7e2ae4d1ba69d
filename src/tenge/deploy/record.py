"""``deployments/<network>.json``: what is deployed where, written after every confirmed transaction."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenge import paths
from tenge.errors import DeploymentError

#: Separates a network from a currency bridged to it: ``bsc:KGS`` is the digital som's part of the ``bsc`` record.
CURRENCY_SEPARATOR = ":"
#: Contracts every currency on a network shares (a currency view of the record shows them unprefixed too).
SHARED_KEYS = ("PvPSettlement",)


def split_network(name: str) -> tuple[str, str | None]:
    """``"bsc:KGS"`` -> ``("bsc", "KGS")``; ``"bsc"`` -> ``("bsc", None)``."""
    base, _, currency = name.partition(CURRENCY_SEPARATOR)
    return base, currency or None


def currency_prefix(currency: str | None) -> str:
    """The record-key prefix of a currency that is not its network's own (``"KGS:"``; ``""`` for the own one)."""
    return f"{currency}{CURRENCY_SEPARATOR}" if currency else ""


@dataclass
class DeploymentRecord:
    network: str
    chain_id: int
    #: record key -> {artifact, address, txHash, blockNumber, args, codeHash, compiler, deployer, ...}
    contracts: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: call step key -> {txHash, blockNumber, args}
    calls: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: step key -> hash of a transaction sent but not yet seen confirmed (for resuming)
    pending: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    #: The currency this record is a read-only view of (``load("bsc:KGS")``), else None.
    view_of: str | None = None

    @classmethod
    def path_for(cls, network: str, folder: Path | None = None) -> Path:
        return (folder or paths.deployments_dir()) / f"{split_network(network)[0]}.json"

    @classmethod
    def load(cls, network: str, folder: Path | None = None) -> "DeploymentRecord | None":
        """The record of ``network``; for ``"bsc:KGS"`` the KGS view of the ``bsc`` record (see :meth:`view`)."""
        base, currency = split_network(network)
        if currency is not None:
            record = cls.load(base, folder)
            return None if record is None else record.view(currency)
        path = cls.path_for(network, folder)
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text())
            return cls(
                network=data["network"],
                chain_id=int(data["chainId"]),
                contracts=data.get("contracts", {}),
                calls=data.get("calls", {}),
                pending=data.get("pending", {}),
                path=path,
            )
        except (ValueError, KeyError) as exc:
            raise DeploymentError(f"deployment record {path} is unreadable: {exc}") from None

    @classmethod
    def require(cls, network: str, chain_id: int, folder: Path | None = None) -> "DeploymentRecord":
        """The record for ``network``; refuses a missing one or one made on another chain."""
        record = cls.load(network, folder)
        if record is None:
            raise DeploymentError(
                f"no deployment record for network {network!r} ({cls.path_for(network, folder)}); "
                f"run `tenge deploy --network {network}` first"
            )
        if record.chain_id != chain_id:
            raise DeploymentError(
                f"deployment record {record.path} is for chain id {record.chain_id}, but the RPC serves "
                f"chain id {chain_id}: a foreign record; refusing to use it"
            )
        return record

    def view(self, currency: str) -> "DeploymentRecord":
        """The read-only view of ``currency``'s contracts on this network: its ``"KGS:"``-prefixed keys without the
        prefix (``DigitalTenge`` is then the som token, ``TengeBridgeRemote`` the som bridge) and the shared ones
        (:data:`SHARED_KEYS`). Sessions, relayers and validators open it as network ``"bsc:KGS"``."""
        prefix = currency_prefix(currency)

        def strip(entries: dict[str, Any]) -> dict[str, Any]:
            return {k[len(prefix):]: v for k, v in entries.items() if k.startswith(prefix)}

        contracts = {k: v for k, v in self.contracts.items() if k in SHARED_KEYS} | strip(self.contracts)
        return DeploymentRecord(f"{self.network}{CURRENCY_SEPARATOR}{currency}", self.chain_id, contracts,
                                strip(self.calls), {}, self.path, view_of=currency)  # fmt: skip

    def address(self, key: str) -> str:
        entry = self.contracts.get(key)
        if entry is None:
            raise DeploymentError(f"{key} is not in the deployment record for {self.network!r}")
        return str(entry["address"])

    def save(self, folder: Path | None = None) -> None:
        """Atomic write: a deploy killed mid-write never leaves a half-written record."""
        if self.view_of is not None:
            raise DeploymentError(f"{self.network} is a read-only view of a deployment record; deploy its network")
        path = self.path or self.path_for(self.network, folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "network": self.network,
            "chainId": self.chain_id,
            "contracts": self.contracts,
            "calls": self.calls,
            "pending": self.pending,
        }
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
        os.replace(tmp, path)
        self.path = path
