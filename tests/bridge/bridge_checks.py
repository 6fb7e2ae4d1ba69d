"""Assertions of the bridge tests: a refusal names its custom error and sends nothing on either chain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from bridge_world import BNB, HOME, BridgeWorld
from chain_helpers import assert_revert

from eth_abi.abi import encode

from tenge.bridge.orders import ORDER_PAYLOAD_TYPES
from tenge.errors import ContractRevert, TengeError

ZERO_ADDRESS = "0x" + "00" * 20


def forward_order(merchant: str, v: int = 27, tail: bytes = b"") -> bytes:
    """A payment order's canonical payload naming ``merchant``, with a dummy quote (contracts/mocks/
    PayloadForwarder.sol reads only the merchant); ``tail`` appends bytes (a non-canonical payload)."""
    quote = (ZERO_ADDRESS, ZERO_ADDRESS, ZERO_ADDRESS, 10**18, 10**6, ZERO_ADDRESS, 0, 2**40, 7)
    return encode(ORDER_PAYLOAD_TYPES, [quote, b"\x11" * 64 + bytes([v]), merchant, 0]) + tail


def chain_state(world: BridgeWorld) -> tuple[int, int]:
    return int(world.home.w3.eth.block_number), int(world.bnb.w3.eth.block_number)


def rejected(world: BridgeWorld, error: str, action: Callable[[], object], /, **expected_args: Any) -> ContractRevert:
    """``action`` raises the custom error ``error`` (with ``expected_args``), and no block was mined on either chain."""
    before = chain_state(world)
    with pytest.raises(ContractRevert) as caught:
        action()
    assert_revert(caught.value, error, expected_args)
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
