"""The bridge's one message: a transfer from a source chain to a destination chain.

Amounts are :class:`~decimal.Decimal` tenge here and integer tiyn only in :meth:`BridgeTransfer.as_struct`
(the contract boundary). The transfer id is unique per (source chain, source bridge, nonce), as
``ITengeBridge.transferId`` defines it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal
from typing import Any

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from tenge.addresses import checksum_address
from tenge.amounts import from_tiyn, parse_tenge, to_tiyn
from tenge.errors import InvalidInput

MAX_UINT64 = 2**64 - 1

#: The message's fields in the order of the Solidity struct (and of its EIP-712 type).
TRANSFER_FIELDS: tuple[tuple[str, str], ...] = (
    ("sourceChainId", "uint64"),
    ("sourceBridge", "address"),
    ("destChainId", "uint64"),
    ("destBridge", "address"),
    ("nonce", "uint64"),
    ("sender", "address"),
    ("recipient", "address"),
    ("amount", "uint256"),
)


def transfer_id(source_chain_id: int, source_bridge: str, nonce: int) -> bytes:
    """``keccak256(abi.encode(uint64 sourceChainId, address sourceBridge, uint64 nonce))``: the id the source emits."""
    values = [_uint64(source_chain_id, "source chain id"), checksum_address(source_bridge), _uint64(nonce, "nonce")]
    return keccak(encode(["uint64", "address", "uint64"], values))


def parse_chain_id(value: int | str) -> int:
    """A chain id: a whole number from 1 to 2^64-1 (as the bridge stores it)."""
    text = str(value).strip() if not isinstance(value, bool) else ""
    if not text.isdigit() or not 0 < int(text) <= MAX_UINT64:
        raise InvalidInput(f"{value!r} is not a chain id (a whole number from 1 to {MAX_UINT64})")
    return int(text)


def parse_transfer_id(value: str | bytes) -> bytes:
    """A transfer id given as 32 bytes or 0x-prefixed hex; anything else is refused."""
    if isinstance(value, bytes):
        raw = value
    else:
        text = str(value).strip()
        try:
            raw = bytes.fromhex(text.removeprefix("0x"))
        except ValueError:
            raise InvalidInput(f"{value!r} is not a transfer id (0x followed by 64 hex digits)") from None
    if len(raw) != 32:
        raise InvalidInput(f"a transfer id is 32 bytes, not {len(raw)}: {value!r}")
    return raw


@dataclass(frozen=True)
class BridgeTransfer:
    """Every field a validator attests and a destination bridge verifies."""

    source_chain_id: int
    source_bridge: str
    dest_chain_id: int
    dest_bridge: str
    nonce: int
    sender: str
    recipient: str
    amount: Decimal

    def __post_init__(self) -> None:
        for name in ("source_bridge", "dest_bridge", "sender", "recipient"):
            object.__setattr__(self, name, checksum_address(getattr(self, name)))
        object.__setattr__(self, "amount", parse_tenge(self.amount))
        _uint64(self.source_chain_id, "source chain id")
        _uint64(self.dest_chain_id, "destination chain id")
        _uint64(self.nonce, "nonce")

    @cached_property
    def id(self) -> bytes:
        """Computed once per message (keccak of the ABI encoding; fields are immutable)."""
        return transfer_id(self.source_chain_id, self.source_bridge, self.nonce)

    @property
    def id_hex(self) -> str:
        return "0x" + self.id.hex()

    @property
    def amount_tiyn(self) -> int:
        return to_tiyn(self.amount)

    def as_struct(self) -> tuple[Any, ...]:
        """The Solidity ``Transfer`` struct, in tiyn, for a contract call."""
        return (
            self.source_chain_id,
            self.source_bridge,
            self.dest_chain_id,
            self.dest_bridge,
            self.nonce,
            self.sender,
            self.recipient,
            self.amount_tiyn,
        )

    def as_eip712(self) -> dict[str, Any]:
        """The message as EIP-712 typed-data values (amount in tiyn)."""
        return dict(zip((name for name, _ in TRANSFER_FIELDS), self.as_struct()))

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly: amount as a tenge string, chain ids and nonce as numbers."""
        return {
            "id": self.id_hex,
            "sourceChainId": self.source_chain_id,
            "sourceBridge": self.source_bridge,
            "destChainId": self.dest_chain_id,
            "destBridge": self.dest_bridge,
            "nonce": self.nonce,
            "sender": self.sender,
            "recipient": self.recipient,
            "amount": str(self.amount),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "BridgeTransfer":
        try:
            transfer = cls(
                source_chain_id=_whole(data["sourceChainId"], "sourceChainId"),
                source_bridge=str(data["sourceBridge"]),
                dest_chain_id=_whole(data["destChainId"], "destChainId"),
                dest_bridge=str(data["destBridge"]),
                nonce=_whole(data["nonce"], "nonce"),
                sender=str(data["sender"]),
                recipient=str(data["recipient"]),
                amount=parse_tenge(str(data["amount"])),
            )
        except KeyError as exc:
            raise InvalidInput(f"a bridge transfer needs the field {exc.args[0]!r}") from None
        if "id" in data and parse_transfer_id(str(data["id"])) != transfer.id:
            raise InvalidInput(f"transfer id {data['id']} does not match its source chain, bridge and nonce")
        return transfer

    @classmethod
    def from_struct(cls, values: Any) -> "BridgeTransfer":
        """From the struct a contract returns or an event carries (amount in tiyn)."""
        if isinstance(values, Mapping):
            values = [values[name] for name, _ in TRANSFER_FIELDS]
        source_chain, source_bridge, dest_chain, dest_bridge, nonce, sender, recipient, amount = values
        return cls(
            int(source_chain), str(source_bridge), int(dest_chain), str(dest_bridge),
            int(nonce), str(sender), str(recipient), from_tiyn(int(amount)),
        )  # fmt: skip


def _uint64(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_UINT64:
        raise InvalidInput(f"{what} must be a whole number from 0 to {MAX_UINT64}, not {value!r}")
    return value


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidInput(f"{what} must be a whole number, not {value!r}")
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(f"{what} must be a whole number, not {value!r}") from None


#: The payload a transfer may carry, at most (bytes): the relayer's delivery must fit a block comfortably.
MAX_PAYLOAD_BYTES = 4096


@dataclass(frozen=True)
class PayloadTransfer:
    """A transfer sent with a payload (``sendWithPayload``): validators sign it as EIP-712 ``PayloadTransfer`` —
    the ``Transfer`` fields, then ``bytes payload`` — and only the destination's ``deliverWithPayload`` accepts it.
    Its id is its transfer's (one nonce space per source bridge)."""

    transfer: BridgeTransfer
    payload: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.payload, bytes) or not 0 < len(self.payload) <= MAX_PAYLOAD_BYTES:
            raise InvalidInput(f"a payload is 1 to {MAX_PAYLOAD_BYTES} bytes, not {len(bytes(self.payload or b''))}")

    @property
    def id(self) -> bytes:
        return self.transfer.id

    @property
    def id_hex(self) -> str:
        return self.transfer.id_hex

    def as_eip712(self) -> dict[str, Any]:
        """The typed-data values: the transfer's (amount in tiyn), then the payload bytes."""
        return {**self.transfer.as_eip712(), "payload": self.payload}

    def to_dict(self) -> dict[str, Any]:
        return {**self.transfer.to_dict(), "payload": "0x" + self.payload.hex()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PayloadTransfer":
        if "payload" not in data:
            raise InvalidInput("a payload transfer needs the field 'payload'")
        text = str(data["payload"])
        try:
            payload = bytes.fromhex(text.removeprefix("0x"))
        except ValueError:
            raise InvalidInput(f"payload {text!r} is not 0x-prefixed hex") from None
        return cls(BridgeTransfer.from_dict(data), payload)
