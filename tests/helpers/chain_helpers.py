"""Helpers every anvil-backed test world shares: raw RPC, snapshot roll-back, and the assertions that a
refused call sent nothing.

Imported by name (``from chain_helpers import ...``; pyproject's pytest ``pythonpath`` lists this folder).
It lives in a folder of its own so that ``tests`` itself (whose sub-packages are called ``token``,
``payments``, ...) need not go on ``sys.path``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, Protocol

import pytest
from web3 import Web3
from web3.logs import DISCARD

import tenge.errors
from tenge.amounts import from_tiyn
from tenge.chain.readable import AMOUNT_NAMES
from tenge.errors import ContractRevert, TengeError


class HasNonces(Protocol):
    def nonce(self, index: int) -> int: ...


def rpc(w3: Web3, method: str, params: list[Any] | None = None) -> Any:
    reply = w3.provider.make_request(method, params or [])  # type: ignore[arg-type]
    if "error" in reply:
        raise RuntimeError(f"{method}: {reply['error']}")
    return reply["result"]


@contextmanager
def rolled_back(rpc_url: str, what: str) -> Iterator[Web3]:
    """Take an anvil snapshot, run the body, then revert to it (failing loudly if anvil cannot).

    The pattern of the test worlds' fixtures: a package-scoped world built once and rolled back when the
    package is done, and each test inside a snapshot of its own.
    """
    w3 = Web3(Web3.HTTPProvider(rpc_url))
    resync_clock(w3)
    snapshot = rpc(w3, "evm_snapshot")
    yield w3
    assert rpc(w3, "evm_revert", [snapshot]), f"anvil failed to roll back {what}"
    resync_clock(w3)


def resync_clock(w3: Web3) -> None:
    """anvil's evm_revert puts the clock back to the snapshot's block time and keeps it running from there, so
    after a rolled-back body the chain lags the wall clock by the body's duration, and the lags of a long run add
    up. What is signed offline takes its window from the wall clock (opening 300 s before it) and expects the
    chain within minutes of it, as a real chain is: put the clock back in step (never backwards)."""
    now = int(time.time())
    if int(w3.eth.get_block("latest")["timestamp"]) < now:
        rpc(w3, "evm_setTime", [now])
        rpc(w3, "evm_mine")  # so the latest block, which tests read as "now", is in step too


def events(client: Any, result: Any, name: str) -> list[dict[str, Any]]:
    """The ``name`` events the transaction of ``result`` (a TxResult or SentTransaction) emitted from
    ``client``'s contract, as dicts."""
    receipt = client.w3.eth.get_transaction_receipt(result.tx_hash)
    logs = client.contract.events[name]().process_receipt(receipt, errors=DISCARD)
    return [dict(log["args"]) for log in logs]


def assert_revert(revert: ContractRevert, error: str, expected_args: dict[str, Any]) -> None:
    """``revert`` is the custom error ``error`` (its exception class too) and carries ``expected_args``.

    A decoded amount must be ``Decimal`` tenge exactly when its name is an amount; an expected amount may be
    written as an ``int`` in tiyn (as the contract counts) and is compared in tenge."""
    assert revert.error_name == error, str(revert)
    assert isinstance(revert, getattr(tenge.errors, error))
    for key, value in expected_args.items():
        actual = revert.error_args[key]
        assert isinstance(actual, Decimal) == (key in AMOUNT_NAMES), f"{key} must be Decimal tenge exactly when an amount"
        if isinstance(actual, Decimal) and isinstance(value, int) and not isinstance(value, bool):
            value = from_tiyn(value)  # an expected amount written in tiyn, as the contract counts
        assert actual == value, (key, revert.error_args)


def rejected(
    world: HasNonces, sender: int, error: str, action: Callable[[], object], /, **expected_args: Any
) -> ContractRevert:
    """Run ``action`` (sent by dev account ``sender``), expect the custom error ``error`` with
    ``expected_args``, and prove nothing reached the chain (the sender's nonce did not move)."""
    nonce_before = world.nonce(sender)
    with pytest.raises(ContractRevert) as caught:
        action()
    assert_revert(caught.value, error, expected_args)
    assert world.nonce(sender) == nonce_before, "a rejected call must send nothing"
    return caught.value


def refused(
    world: HasNonces, sender: int, error: type[TengeError], action: Callable[[], object], match: str | None = None
) -> TengeError:
    """Like :func:`rejected` for SDK-side refusals (bad input caught before signing)."""
    nonce_before = world.nonce(sender)
    with pytest.raises(error, match=match) as caught:
        action()
    assert world.nonce(sender) == nonce_before, "a refused call must send nothing"
    return caught.value
