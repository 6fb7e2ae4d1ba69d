"""Assertions of the bridge tests: a refusal names its custom error and sends nothing on either chain."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from bridge_world import BNB, HOME, BridgeWorld

import tenge.errors
from tenge.amounts import from_tiyn
from tenge.chain.readable import AMOUNT_NAMES
from tenge.errors import ContractRevert, TengeError


def chain_state(world: BridgeWorld) -> tuple[int, int]:
    return int(world.home.w3.eth.block_number), int(world.bnb.w3.eth.block_number)


def rejected(world: BridgeWorld, error: str, action: Callable[[], object], /, **expected_args: Any) -> ContractRevert:
    """``action`` raises the custom error ``error`` (with ``expected_args``), and no block was mined on either chain."""
    before = chain_state(world)
    with pytest.raises(ContractRevert) as caught:
        action()
    assert caught.value.error_name == error, str(caught.value)
    assert isinstance(caught.value, getattr(tenge.errors, error))
    for key, value in expected_args.items():
        actual = caught.value.error_args[key]
        assert isinstance(actual, Decimal) == (key in AMOUNT_NAMES), f"{key} must be Decimal tenge exactly when an amount"
        if isinstance(actual, Decimal) and isinstance(value, int) and not isinstance(value, bool):
            value = from_tiyn(value)  # an expected amount written in tiyn, as the contract counts
        assert actual == value, (key, caught.value.error_args)
    assert chain_state(world) == before, "a rejected call must send nothing"
    world.assert_conserved()
    return caught.value


def refused(world: BridgeWorld, error: type[TengeError], action: Callable[[], object], match: str | None = None) -> TengeError:
    """An SDK-side refusal (before signing): ``error`` matching ``match``; nothing sent."""
    before = chain_state(world)
    with pytest.raises(error, match=match) as caught:
        action()
    assert chain_state(world) == before, "a refused call must send nothing"
    return caught.value


__all__ = ["BNB", "HOME", "rejected", "refused"]
