"""Raw JSON-RPC reads the sync needs: logs over a range, block headers (hash and time), the head."""

from __future__ import annotations

from typing import Any

import requests
from web3 import Web3

from tenge.errors import RpcUnreachable, TengeError


class RangeRefused(TengeError):
    """The node refused an ``eth_getLogs`` range (too many blocks or results)."""


def _request(w3: Web3, method: str, params: list[Any]) -> Any:
    try:
        reply = w3.provider.make_request(method, params)  # type: ignore[arg-type]
    except (requests.ConnectionError, requests.Timeout, OSError) as exc:
        raise RpcUnreachable(f"the RPC endpoint did not answer {method}: {exc}") from None
    if "error" in reply:
        raise TengeError(f"{method} failed: {reply['error']}")
    return reply["result"]


def head(w3: Web3) -> int:
    return int(_request(w3, "eth_blockNumber", []), 16)


def header(w3: Web3, number: int) -> tuple[str, int] | None:
    """(hash, timestamp) of block ``number``; None when the chain is shorter."""
    block = _request(w3, "eth_getBlockByNumber", [hex(number), False])
    if block is None:
        return None
    return str(block["hash"]), int(block["timestamp"], 16)


def logs(w3: Web3, addresses: list[str], start: int, end: int) -> list[dict[str, Any]]:
    """Every log of ``addresses`` in blocks ``start..end`` (inclusive), raw."""
    params = [{"address": addresses, "fromBlock": hex(start), "toBlock": hex(end)}]
    try:
        reply = w3.provider.make_request("eth_getLogs", params)  # type: ignore[arg-type]
    except (requests.ConnectionError, requests.Timeout, OSError) as exc:
        raise RpcUnreachable(f"the RPC endpoint did not answer eth_getLogs: {exc}") from None
    if "error" in reply:
        raise RangeRefused(f"eth_getLogs {start}-{end}: {reply['error']}")
    result: list[dict[str, Any]] = reply["result"]
    return result
