"""Address parsing: malformed addresses and wrong EIP-55 checksums are refused, never "fixed"."""

from __future__ import annotations

from functools import lru_cache

from eth_utils import is_address, is_checksum_address, to_checksum_address

from tenge.errors import InvalidAddress


@lru_cache(maxsize=16384)
def checksum_address(value: str) -> str:
    """``value`` as a checksummed address.

    All-lowercase (or all-uppercase) hex carries no checksum and is accepted; mixed case must be a
    valid EIP-55 checksum, because a wrong one means a typo. Cached (the same few addresses - bridges,
    senders, recipients - come back in every message a relayer or validator handles; a refusal is not cached).
    """
    text = str(value).strip()
    if not is_address(text) or not text.startswith("0x"):
        raise InvalidAddress(f"{value!r} is not an address (expected 0x followed by 40 hex digits)")
    body = text[2:]
    if body != body.lower() and body != body.upper() and not is_checksum_address(text):
        raise InvalidAddress(f"{value!r} has a wrong EIP-55 checksum: check it for a typo")
    return to_checksum_address(text)
