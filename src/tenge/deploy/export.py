"""A deployment record as other tools read deployments: hardhat-deploy's folder, or one JSON file for a frontend.

- ``hardhat``: ``<out>/<network>/<Key>.json`` per recorded contract (address, abi, transactionHash, receipt,
  args, bytecode, deployedBytecode; a proxy also ``implementation`` and its implementation's ABI) and
  ``<out>/<network>/.chainId`` — the layout hardhat-deploy writes and reads (``deployments.get("DigitalTenge")``).
- ``json``: ``{"chainId": …, "contracts": {key: {"address": …, "abi": […]}}}``.

A proxy is exported with the ABI it answers with: its implementation's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tenge.contracts import load_artifact
from tenge.deploy.record import DeploymentRecord


def _abi_name(entry: dict[str, Any]) -> str:
    return str(entry.get("abi") or entry["artifact"])


def rows(record: DeploymentRecord) -> list[dict[str, Any]]:
    """One row per recorded contract: key, artifact, address, block, tx, implementation (proxies)."""
    return [
        {
            "contract": key,
            "artifact": entry["artifact"],
            "address": entry["address"],
            "block": entry.get("blockNumber"),
            "tx": entry.get("txHash"),
            "implementation": entry.get("implementation"),
        }
        for key, entry in record.contracts.items()
    ]


def as_json(record: DeploymentRecord) -> dict[str, Any]:
    return {
        "network": record.network,
        "chainId": record.chain_id,
        "contracts": {key: {"address": entry["address"], "abi": load_artifact(_abi_name(entry)).abi}
                      for key, entry in record.contracts.items()},
    }  # fmt: skip


def hardhat_files(record: DeploymentRecord) -> dict[str, str]:
    """File name (inside ``<out>/<network>/``) -> content, in hardhat-deploy's format."""
    files = {".chainId": str(record.chain_id)}
    for key, entry in record.contracts.items():
        artifact = load_artifact(str(entry["artifact"]))
        tx_hash = entry.get("txHash")
        receipt = {
            "from": entry.get("deployer"),
            "to": None,
            "contractAddress": entry["address"],
            "transactionHash": tx_hash,
            "blockNumber": entry.get("blockNumber"),
            "status": 1,
        }
        data: dict[str, Any] = {
            "address": entry["address"],
            "abi": load_artifact(_abi_name(entry)).abi,
            "transactionHash": tx_hash,
            "receipt": receipt,
            "args": entry.get("args", []),
            "numDeployments": 1,
            "bytecode": artifact.bytecode,
            "deployedBytecode": artifact.deployed_bytecode,
            "contractName": artifact.name,
            "sourceName": artifact.source_name,
        }
        if entry.get("implementation"):
            data["implementation"] = entry["implementation"]
            if entry.get("upgradeTxHash"):
                data["upgradeTransactionHash"] = entry["upgradeTxHash"]
        files[f"{key}.json"] = json.dumps(data, indent=2) + "\n"
    return files


def write_hardhat(record: DeploymentRecord, out: Path) -> Path:
    """Write the hardhat-deploy folder ``out/<network>/``; returns it. Files of keys no longer recorded are left."""
    folder = out / record.network
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in hardhat_files(record).items():
        (folder / name).write_text(content)
    return folder
