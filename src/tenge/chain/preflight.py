"""Before signing: the gas estimate, the account's next nonce and its balance, in one JSON-RPC batch.

The three reads go to the node as one HTTP request where the provider batches (the in-process ``tester``
provider does not: it gets three calls). A revert in the estimate becomes the decoded custom error and
nothing is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web3 import Web3
from web3.exceptions import ContractLogicError, Web3RPCError
from web3.types import TxParams

from tenge.chain.reverts import decode_revert
from tenge.errors import TransactionFailed


@dataclass(frozen=True)
class Preflight:
    gas: int
    pending_nonce: int
    balance: int


class EstimateRefused(TransactionFailed):
    """The node refused the estimate for a reason other than a revert (e.g. insufficient funds)."""


def preflight(w3: Web3, tx: TxParams, address: str, *, description: str, block: str = "latest") -> Preflight:
    """Estimate ``tx`` (on ``block``: ``pending`` while earlier writes are on their way) and read the nonce and
    balance of ``address``; raises the decoded revert, or :class:`EstimateRefused` with the node's message."""
    call = {key: _hex(key, value) for key, value in tx.items() if key in ("from", "to", "data", "value")}
    requests: list[tuple[str, list[Any]]] = [
        ("eth_estimateGas", [call, block] if block != "latest" else [call]),
        ("eth_getTransactionCount", [address, "pending"]),
        ("eth_getBalance", [address, "latest"]),
    ]
    batch = getattr(w3.provider, "make_batch_request", None)
    if batch is None or not getattr(w3.provider, "endpoint_uri", None):
        return _one_by_one(w3, tx, address, description=description)
    replies = batch(requests)
    if not isinstance(replies, list):  # a node that refuses batches answers with one error
        return _one_by_one(w3, tx, address, description=description)
    by_id = sorted(replies, key=lambda reply: int(reply.get("id", 0)))
    estimate, nonce, balance = by_id
    for reply in (nonce, balance):
        if "error" in reply:
            raise TransactionFailed(f"{description}: the node did not answer: {reply['error']}")
    if "error" in estimate:
        raise _estimate_error(estimate["error"], description)
    return Preflight(int(estimate["result"], 16), int(nonce["result"], 16), int(balance["result"], 16))


def _estimate_error(error: Any, description: str) -> Exception:
    error = error if isinstance(error, dict) else {"message": str(error)}
    message, data = str(error.get("message", "")), error.get("data")
    if isinstance(data, dict):  # some nodes nest it
        data = data.get("data")
    if isinstance(data, str) and len(data) > 2 or "revert" in message.lower():
        return decode_revert(data if isinstance(data, str) else None, context=description)
    return EstimateRefused(f"{description}: the node refused the estimate: {message}")


def _one_by_one(w3: Web3, tx: TxParams, address: str, *, description: str) -> Preflight:
    try:
        gas = int(w3.eth.estimate_gas(tx))
    except ContractLogicError as exc:
        raise decode_revert(exc.data if isinstance(exc.data, str) else None, context=description) from None
    except Web3RPCError as exc:
        raise EstimateRefused(f"{description}: the node refused the estimate: {exc}") from None
    nonce = int(w3.eth.get_transaction_count(address, "pending"))  # type: ignore[arg-type]
    return Preflight(gas, nonce, int(w3.eth.get_balance(address)))  # type: ignore[arg-type]


def _hex(key: str, value: Any) -> Any:
    """A transaction field as JSON-RPC writes it."""
    if key in ("from", "to"):
        return Web3.to_checksum_address(value)
    if isinstance(value, int):
        return hex(value)
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    return value
