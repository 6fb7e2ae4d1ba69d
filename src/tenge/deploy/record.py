"""``deployments/<network>.json``: what is deployed where, written after every confirmed transaction."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenge import paths
from tenge.errors import DeploymentError


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

    @classmethod
    def path_for(cls, network: str, folder: Path | None = None) -> Path:
        return (folder or paths.deployments_dir()) / f"{network}.json"

    @classmethod
    def load(cls, network: str, folder: Path | None = None) -> "DeploymentRecord | None":
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

    def address(self, key: str) -> str:
        entry = self.contracts.get(key)
        if entry is None:
            raise DeploymentError(f"{key} is not in the deployment record for {self.network!r}")
        return str(entry["address"])

    def save(self, folder: Path | None = None) -> None:
        """Atomic write: a deploy killed mid-write never leaves a half-written record."""
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
