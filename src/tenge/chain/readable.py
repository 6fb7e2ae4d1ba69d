"""Contract values as people read them: amounts in Decimal tenge, roles by name, references as text.

Decoded custom errors (``error_args``) and decoded events go through here, so an integrator never sees
``spendable=125000`` (tiyn) or ``neededRole=0x9f2d…`` (a role hash). Which arguments are amounts is decided
by name, over every error and event of our ABIs (kept in one list below and checked by a test).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from eth_utils import to_checksum_address

from tenge.amounts import format_tenge, from_tiyn
from tenge.contracts import artifact_names, load_artifact

#: uint256 arguments that hold an amount of tenge (in tiyn on chain), in errors and events.
AMOUNT_NAMES = frozenset({
    "allowance", "amount", "available", "balance", "balanceAfter", "cap", "escrow", "frozen", "frozenAmount",
    "gross", "max", "needed", "net", "newAllowance", "newCap", "newReserve", "oldAllowance", "oldCap",
    "previousReserve", "refundable", "requested", "reserve", "spendable", "supplyAfter", "totalFrozen",
    "totalRefunded", "treasuryAllowance", "vat",
    # bridge
    "escrowed", "locked", "inboundCapacity", "inboundRatePerSecond", "outboundCapacity", "outboundRatePerSecond",
    "inboundMax", "outboundMax", "releasable", "strandedTotal", "released",
    # programmes and reward pools
    "maxPerClaim", "periodCap", "remainder", "remaining", "total", "unallocated", "unspent",
    # PvP settlement (each in its own currency: both currencies have 2 decimals)
    "maxAmount", "sellAmount", "buyAmount", "minBuyAmount", "limit", "oldLimit", "newLimit",
    # offline purses: a bank's guarantee deposit and its free part, a purse's cap, reserve and refund
    "deposit", "free", "maxPurseAmount", "reserved", "returned",
})  # fmt: skip
#: Also an amount in events (ERC-20 Transfer/Approval ``value``); in errors ``value`` may be something else.
EVENT_AMOUNT_NAMES = AMOUNT_NAMES | {"value"}
#: bytes32 arguments that hold a role id.
ROLE_ARG_NAMES = frozenset({"role", "neededRole", "previousAdminRole", "newAdminRole"})
#: bytes32 arguments that hold a short text reference.
REFERENCE_NAMES = frozenset({"legalReference", "redemptionReference", "settlementRef", "invoiceRef"})
_ROLE_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*_ROLE$")


@lru_cache(maxsize=1)
def role_names_by_id() -> dict[bytes, str]:
    """Role id -> name, for every ``*_ROLE`` constant in our ABIs (and the default admin's zero id)."""
    from tenge.chain.roles import DEFAULT_ADMIN_ROLE, role_id_of

    names = {DEFAULT_ADMIN_ROLE}
    for artifact in artifact_names():
        for item in load_artifact(artifact).abi:
            if item.get("type") == "function" and _ROLE_CONSTANT.match(str(item.get("name", ""))) and not item["inputs"]:
                names.add(str(item["name"]))
    return {role_id_of(name): name for name in names}


def readable_value(name: str, abi_type: str, value: Any, *, amounts: frozenset[str] = AMOUNT_NAMES) -> Any:
    """``value`` of argument ``name`` as people read it (see the module)."""
    if abi_type == "uint256" and name in amounts and isinstance(value, int):
        return from_tiyn(value)
    if abi_type == "bytes32" and isinstance(value, (bytes, str)):
        raw = bytes.fromhex(value.removeprefix("0x")) if isinstance(value, str) else bytes(value)
        if name in ROLE_ARG_NAMES:
            return role_names_by_id().get(raw, "0x" + raw.hex())
        if name in REFERENCE_NAMES:
            if name == "invoiceRef":
                from tenge.payments.invoices import describe_invoice_ref

                return describe_invoice_ref(raw)
            from tenge.token.references import reference_from_bytes32  # (tenge.token imports the SDK)

            return reference_from_bytes32(raw)
        return "0x" + raw.hex()
    if abi_type == "address" and isinstance(value, str):
        return to_checksum_address(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, (tuple, list)):
        return type(value)(readable_value("", "", v) for v in value)
    return value


def shown(value: Any, currency: str = "KZT") -> str:
    """How an argument is printed in a message: amounts as ``1,250.00 KZT``."""
    return format_tenge(value, currency) if isinstance(value, Decimal) else str(value)
