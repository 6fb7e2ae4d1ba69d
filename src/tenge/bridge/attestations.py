"""Validator attestations: EIP-712 typed data signed by each validator, one JSON file per signature.

All hashing and signing is eth_account's (the EIP-712 hashing of ``encode_typed_data``, ``Account.sign_message``); this module only
knows the bridge's types (published in ``contracts/bridge/ITengeBridge.sol``):

- ``Transfer``: deliver a transfer, verified by the DESTINATION bridge;
- ``PayloadTransfer``: deliver a transfer sent with a payload (its fields and the payload), verified by the
  DESTINATION bridge's ``deliverWithPayload``;
- ``Refund``: refund a transfer that failed at its destination, verified by the SOURCE bridge;
- ``EscrowAttestation``: the escrow held at home for a remote chain, verified by the remote bridge;
- ``StrandedRelease``: release home escrow stranded by a burn outside the bridge on a remote chain, verified by
  the home bridge.

Domain: name "TengeBridge", version "1", chainId = the verifying chain, verifyingContract = the verifying bridge.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from eth_account import Account
from eth_account._utils.encode_typed_data.encoding_and_hashing import hash_domain, hash_eip712_message
from eth_account.messages import SignableMessage
from eth_account.signers.local import LocalAccount
from eth_keys.exceptions import BadSignature
from hexbytes import HexBytes

from tenge.addresses import checksum_address
from tenge.amounts import from_tiyn, parse_tenge, to_tiyn
from tenge.bridge.messages import TRANSFER_FIELDS, BridgeTransfer, PayloadTransfer
from tenge.errors import InvalidInput

DOMAIN_NAME = "TengeBridge"
DOMAIN_VERSION = "1"
FORMAT = "tenge-bridge-attestation/1"

Kind = Literal["Transfer", "Refund", "EscrowAttestation", "StrandedRelease", "PayloadTransfer"]
KINDS: tuple[Kind, ...] = ("Transfer", "Refund", "EscrowAttestation", "StrandedRelease", "PayloadTransfer")

_TRANSFER_TYPE = [{"name": name, "type": abi_type} for name, abi_type in TRANSFER_FIELDS]
TYPES: dict[Kind, list[dict[str, str]]] = {
    "Transfer": _TRANSFER_TYPE,
    "Refund": _TRANSFER_TYPE,
    "PayloadTransfer": [*_TRANSFER_TYPE, {"name": "payload", "type": "bytes"}],
    "EscrowAttestation": [
        {"name": "homeChainId", "type": "uint64"},
        {"name": "homeBridge", "type": "address"},
        {"name": "escrowed", "type": "uint256"},
        {"name": "sequence", "type": "uint64"},
        {"name": "timestamp", "type": "uint64"},
    ],
    "StrandedRelease": [
        {"name": "remoteChainId", "type": "uint64"},
        {"name": "strandedTotal", "type": "uint256"},
        {"name": "to", "type": "address"},
        {"name": "amount", "type": "uint256"},
        {"name": "sequence", "type": "uint64"},
    ],
}


class AttestationError(InvalidInput):
    """A signature file that is unreadable, for another message, or signed by someone else than it says."""


@dataclass(frozen=True)
class BridgeDomain:
    """The verifying bridge: what an attestation is bound to."""

    chain_id: int
    verifying_contract: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "verifying_contract", checksum_address(self.verifying_contract))
        if isinstance(self.chain_id, bool) or not isinstance(self.chain_id, int) or self.chain_id <= 0:
            raise InvalidInput(f"chain id must be a positive whole number, not {self.chain_id!r}")

    def as_eip712(self) -> dict[str, Any]:
        return {
            "name": DOMAIN_NAME,
            "version": DOMAIN_VERSION,
            "chainId": self.chain_id,
            "verifyingContract": self.verifying_contract,
        }


@dataclass(frozen=True)
class EscrowFigure:
    """``EscrowAttestation``: tenge escrowed at home for one remote chain, as of ``timestamp``."""

    home_chain_id: int
    home_bridge: str
    escrowed: Decimal
    sequence: int
    timestamp: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "home_bridge", checksum_address(self.home_bridge))
        object.__setattr__(self, "escrowed", parse_tenge(self.escrowed))

    def as_eip712(self) -> dict[str, Any]:
        return {
            "homeChainId": self.home_chain_id,
            "homeBridge": self.home_bridge,
            "escrowed": to_tiyn(self.escrowed),
            "sequence": self.sequence,
            "timestamp": self.timestamp,
        }

    def as_struct(self) -> tuple[Any, ...]:
        return tuple(self.as_eip712().values())

    def to_dict(self) -> dict[str, Any]:
        return {**self.as_eip712(), "escrowed": str(self.escrowed)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "EscrowFigure":
        return cls(
            int(data["homeChainId"]), str(data["homeBridge"]), parse_tenge(str(data["escrowed"])),
            int(data["sequence"]), int(data["timestamp"]),
        )  # fmt: skip


@dataclass(frozen=True)
class StrandedRelease:
    """``StrandedRelease``: release ``amount`` of home escrow to ``to``, stranded by burns outside the bridge on
    ``remote_chain_id`` (``stranded_total``: all of them since it started); release number ``sequence``."""

    remote_chain_id: int
    stranded_total: Decimal
    to: str
    amount: Decimal
    sequence: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "to", checksum_address(self.to))
        object.__setattr__(self, "stranded_total", parse_tenge(self.stranded_total, allow_zero=True))
        object.__setattr__(self, "amount", parse_tenge(self.amount))

    def as_eip712(self) -> dict[str, Any]:
        return {
            "remoteChainId": self.remote_chain_id,
            "strandedTotal": to_tiyn(self.stranded_total),
            "to": self.to,
            "amount": to_tiyn(self.amount),
            "sequence": self.sequence,
        }

    def as_struct(self) -> tuple[Any, ...]:
        return tuple(self.as_eip712().values())

    def to_dict(self) -> dict[str, Any]:
        return {**self.as_eip712(), "strandedTotal": str(self.stranded_total), "amount": str(self.amount)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "StrandedRelease":
        return cls(
            int(data["remoteChainId"]), parse_tenge(str(data["strandedTotal"]), allow_zero=True), str(data["to"]),
            parse_tenge(str(data["amount"])), int(data["sequence"]),
        )  # fmt: skip


Subject = BridgeTransfer | EscrowFigure | StrandedRelease | PayloadTransfer
_SUBJECTS: dict[Kind, type[BridgeTransfer] | type[EscrowFigure] | type[StrandedRelease] | type[PayloadTransfer]] = {
    "Transfer": BridgeTransfer, "Refund": BridgeTransfer, "EscrowAttestation": EscrowFigure,
    "StrandedRelease": StrandedRelease, "PayloadTransfer": PayloadTransfer,
}  # fmt: skip


@lru_cache(maxsize=64)
def _domain_separator(domain: BridgeDomain) -> bytes:
    return hash_domain(domain.as_eip712())


@lru_cache(maxsize=8192)
def typed_message(kind: Kind, domain: BridgeDomain, subject: Subject) -> SignableMessage:
    """The EIP-712 message a validator signs: what eth_account's ``encode_typed_data`` builds (its own
    ``hash_domain`` and ``hash_eip712_message`` do the hashing), with the domain separator hashed once per verifying
    bridge and each message once (checking the 3-5 signatures of one message, or signing and then serving it);
    all three arguments are immutable. A test pins it to ``encode_typed_data``."""
    _check_kind(kind, subject)
    return SignableMessage(
        HexBytes(b"\x01"), _domain_separator(domain), hash_eip712_message({kind: TYPES[kind]}, subject.as_eip712())
    )


@dataclass(frozen=True)
class Attestation:
    """One validator's signature over one message for one verifying bridge."""

    kind: Kind
    domain: BridgeDomain
    subject: Subject
    signer: str
    signature: bytes

    def recovered_signer(self) -> str:
        try:
            return str(Account.recover_message(typed_message(self.kind, self.domain, self.subject), signature=self.signature))
        except (BadSignature, ValueError):
            return ""

    def is_genuine(self) -> bool:
        """True when the signature recovers to the signer it names, over this exact message."""
        return self.recovered_signer() == self.signer

    def same_message(self, other: "Attestation") -> bool:
        return (self.kind, self.domain, self.subject) == (other.kind, other.domain, other.subject)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "kind": self.kind,
            "domain": {"chainId": self.domain.chain_id, "verifyingContract": self.domain.verifying_contract},
            "message": self.subject.to_dict(),
            "signer": self.signer,
            "signature": "0x" + self.signature.hex(),
        }

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "attestation") -> "Attestation":
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise AttestationError(f"{source} is not a bridge attestation (no \"format\": \"{FORMAT}\")")
        kind = data.get("kind")
        if kind not in KINDS:
            raise AttestationError(f"{source}: unknown kind {kind!r}; kinds are {', '.join(KINDS)}")
        try:
            domain = BridgeDomain(int(data["domain"]["chainId"]), str(data["domain"]["verifyingContract"]))
            message = data["message"]
            subject: Subject = _SUBJECTS[kind].from_dict(message)
            signer = checksum_address(str(data["signer"]))
            signature = bytes.fromhex(str(data["signature"]).removeprefix("0x"))
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, InvalidInput):
                raise AttestationError(f"{source}: {exc}") from None
            raise AttestationError(f"{source} is malformed: {type(exc).__name__} {exc}") from None
        if len(signature) != 65:
            raise AttestationError(f"{source}: a signature is 65 bytes, not {len(signature)}")
        return cls(kind, domain, subject, signer, signature)

    def save(self, folder: Path) -> Path:
        """Write ``<kind>-<id>-<signer>.json`` into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        subject = self.subject
        if isinstance(subject, EscrowFigure):
            label = f"seq{subject.sequence}"
        elif isinstance(subject, StrandedRelease):
            label = f"chain{subject.remote_chain_id}-seq{subject.sequence}"
        else:
            label = subject.id_hex[:18]
        path = folder / f"{self.kind}-{label}-{self.signer}.json"
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n")
        return path


def sign(kind: Kind, validator: LocalAccount, domain: BridgeDomain, subject: Subject) -> Attestation:
    """``validator``'s attestation of ``subject`` for the bridge of ``domain``."""
    signed = validator.sign_message(typed_message(kind, domain, subject))
    return Attestation(kind, domain, subject, str(validator.address), bytes(signed.signature))


def load_attestations(paths: list[Path]) -> list[Attestation]:
    """Attestations from files and directories (every ``*.json`` in a directory, sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.json"))
            if not found:
                raise AttestationError(f"{path} holds no signature files (*.json)")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise AttestationError(f"{path}: no such signature file or directory")
    result = []
    for file in files:
        try:
            data = json.loads(file.read_text())
        except (OSError, ValueError) as exc:
            raise AttestationError(f"{file} is not JSON: {exc}") from None
        result.append(Attestation.from_dict(data, source=str(file)))
    return result


def one_message(attestations: list[Attestation], kind: Kind) -> tuple[Subject, list[str], list[bytes]]:
    """The single message of ``attestations`` and its (signers, signatures), in the contract's shape.

    Refuses a mix of messages or kinds: a signature for another message would only make the call fail on chain.
    Signatures are passed as given (a duplicate or unknown signer is the contract's to refuse, by name).
    """
    if not attestations:
        raise AttestationError("no signatures given")
    first = attestations[0]
    for attestation in attestations:
        if attestation.kind != kind:
            raise AttestationError(f"a {attestation.kind} signature by {attestation.signer} was given where {kind} ones are needed")
        if not attestation.same_message(first):
            raise AttestationError(
                f"the signatures are for different messages (signer {attestation.signer} signed another one than "
                f"{first.signer}); give the signatures of one message"
            )
    return first.subject, [a.signer for a in attestations], [a.signature for a in attestations]


def _check_kind(kind: Kind, subject: Subject) -> None:
    expected = _SUBJECTS.get(kind, BridgeTransfer)
    if kind not in KINDS or not isinstance(subject, expected):
        raise InvalidInput(f"a {kind} attestation needs a {expected.__name__}, not {type(subject).__name__}")


def escrow_from_tiyn(home_chain_id: int, home_bridge: str, escrowed_tiyn: int, sequence: int, timestamp: int) -> EscrowFigure:
    return EscrowFigure(home_chain_id, home_bridge, from_tiyn(escrowed_tiyn), sequence, timestamp)

