"""Plumbing both programme clients share: the contract, sending with decoded and readable errors, events.

Contract errors arrive as :class:`tenge.errors.ContractRevert` subclasses named after the Solidity error;
for this package's errors the message is rewritten in words with amounts in tenge (the class and
``error_args`` stay as decoded, amounts in Decimal tenge, so ``except tenge.errors.DailyLimitExceeded`` works).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from decimal import Decimal
from functools import cached_property
from typing import Any

from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.exceptions import ContractLogicError
from web3.logs import DISCARD

from tenge.addresses import checksum_address
from tenge.amounts import format_tenge, from_tiyn
from tenge.chain.reverts import decode_revert
from tenge.chain.transactions import SentTransaction
from tenge.contracts import load_artifact
from tenge.errors import ContractRevert, TengeError
from tenge.session import Session
from tenge.token.client import DigitalTengeClient

_T = Callable[[dict[str, Any], Callable[[Any], str]], str]


def _when(unix: Any) -> str:
    """A contract's unix time as ISO 8601 (UTC) in a message: ``2026-12-10T10:56:32+00:00``."""
    if isinstance(unix, int) and not isinstance(unix, bool):
        return datetime.fromtimestamp(unix, timezone.utc).isoformat()
    return str(unix)

#: error name -> readable message (``fmt`` formats an amount in tiyn as tenge).
MESSAGES: dict[str, _T] = {
    "UnknownProgramme": lambda a, f: f"there is no programme {a['programmeId']}",
    "NotSponsor": lambda a, f: f"only the sponsor of programme {a['programmeId']} may do this, not {a['caller']}",
    "NotCompliance": lambda a, f: f"{a['caller']} does not hold the token's COMPLIANCE_ROLE",
    "InvalidTerms": lambda a, f: "a programme needs a purpose, a budget code and a validity window ending in the future",
    "ProgrammeNotStarted": lambda a, f: f"programme {a['programmeId']} is not valid before {_when(a['validFrom'])}",
    "ProgrammeExpired": lambda a, f: f"programme {a['programmeId']} expired at {_when(a['expiry'])}",
    "ProgrammeNotExpired": lambda a, f: f"programme {a['programmeId']} runs until {_when(a['expiry'])}; reclaim after",
    "ProgrammeClosed": lambda a, f: f"programme {a['programmeId']} was reclaimed and is closed",
    "InsufficientUnallocated": lambda a, f: (
        f"programme {a['programmeId']} has {f(a['unallocated'])} unallocated, {f(a['needed'])} needed"
    ),
    "OutsidePurpose": lambda a, f: (
        f"merchant {a['merchantId']} sells under VAT category {a['categoryId']}, "
        f"outside the purpose of programme {a['programmeId']}"
    ),
    "DailyLimitExceeded": lambda a, f: (
        f"{a['beneficiary']} may spend only {f(a['remaining'])} more of programme {a['programmeId']} today, "
        f"not {f(a['requested'])}"
    ),
    "VoucherNotTransferable": lambda a, f: f"vouchers of programme {a['programmeId']} are bound to their beneficiary",
    "AccountNotEligible": lambda a, f: f"{a['account']} is not KYC-approved on the token or is frozen",
    "InsufficientVouchers": lambda a, f: (
        f"{a['beneficiary']} holds {f(a['balance'])} of programme {a['programmeId']}, {f(a['needed'])} needed"
    ),
    "BatchLengthMismatch": lambda a, f: f"{a['beneficiaries']} beneficiaries but {a['amounts']} amounts",
    "AuthorizationNotYetValid": lambda a, f: f"the spend authorization is not valid before {_when(a['validAfter'])}",
    "AuthorizationExpired": lambda a, f: f"the spend authorization expired at {_when(a['validBefore'])}",
    "InvalidSpendSignature": lambda a, f: f"the signature is not {a['beneficiary']}'s over this spend",
    "SurplusExceeded": lambda a, f: f"only {f(a['available'])} surplus is held, {f(a['requested'])} asked",
    "UnknownPool": lambda a, f: f"there is no reward pool {a['poolId']}",
    "NotPoolSponsor": lambda a, f: f"only the sponsor of pool {a['poolId']} may do this, not {a['caller']}",
    "PoolClosedAlready": lambda a, f: f"reward pool {a['poolId']} is closed",
    "PoolPaused": lambda a, f: f"reward pool {a['poolId']} is paused by its sponsor",
    "InvalidPoolTerms": lambda a, f: "a pool needs an attester and caps with 0 < max per claim <= period cap",
    "InvalidAttestation": lambda a, f: f"the claim is not signed by the attester {a['attester']} of pool {a['poolId']}",
    "AlreadyClaimed": lambda a, f: f"{a['beneficiary']} was already paid for period {a['period']} from pool {a['poolId']}",
    "ClaimAboveCap": lambda a, f: f"the claim of {f(a['amount'])} is above the cap of {f(a['maxPerClaim'])} per claim",
    "PeriodCapExceeded": lambda a, f: (
        f"period {a['period']} has only {f(a['remaining'])} left under its cap, {f(a['requested'])} asked"
    ),
    "PoolExhausted": lambda a, f: f"reward pool {a['poolId']} holds {f(a['balance'])}, {f(a['requested'])} asked",
}


class ProgrammeContractClient:
    """A contract of this package, from a session's deployment record (or at ``address``)."""

    KEY = ""

    def __init__(self, session: Session, *, address: str | None = None) -> None:
        self.session = session
        self.w3 = session.w3
        self.contract: Contract = (
            session.contract(self.KEY)
            if address is None
            else self.w3.eth.contract(
                address=Web3.to_checksum_address(checksum_address(address)), abi=load_artifact(self.KEY).abi
            )
        )
        self.address: str = str(self.contract.address)

    @property
    def me(self) -> str:
        """The session account's address (read without unlocking its key)."""
        return self.session.signer.address

    @cached_property
    def token(self) -> DigitalTengeClient:
        """The DigitalTenge client of the token this contract moves."""
        return DigitalTengeClient(self.session, address=str(self.contract.functions.token().call()))

    @cached_property
    def chain_id(self) -> int:
        """The chain id of the connected node (read once)."""
        return int(self.w3.eth.chain_id)

    @cached_property
    def deployment_block(self) -> int:
        """The block this contract was deployed in, from the record (0 when not recorded): where event scans start."""
        try:
            entry = self.session.record.contracts.get(self.KEY) or {}
        except TengeError:
            return 0
        if str(entry.get("address", "")).lower() != self.address.lower():
            return 0
        return int(entry.get("blockNumber") or 0)

    def block_time(self) -> int:
        """The latest block's timestamp (unix seconds): the chain's clock, used for validity windows."""
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def fmt(self, amount: Decimal) -> str:
        """``amount`` written in the token's currency (e.g. ``1,300.00 KZT``)."""
        return format_tenge(amount, self.token.currency)

    def has_role(self, role: str, account: str) -> bool:
        """Whether ``account`` holds ``role`` (its name, e.g. ``SPONSOR_ROLE``) on this contract."""
        role_id = bytes(32) if role == "DEFAULT_ADMIN_ROLE" else Web3.keccak(text=role)
        return bool(self.contract.functions.hasRole(role_id, checksum_address(account)).call())

    def grant_role(self, role: str, account: str) -> SentTransaction:
        """Grant ``role`` (its name) to ``account``; the signer must hold the role's admin role."""
        role_id = bytes(32) if role == "DEFAULT_ADMIN_ROLE" else Web3.keccak(text=role)
        address = checksum_address(account)
        return self.send(self.contract.functions.grantRole(role_id, address), f"grant {role} to {address}")

    def send(self, call: ContractFunction, description: str) -> SentTransaction:
        """Sign and send ``call``; a revert comes back as a readable error (amounts in tenge, roles by name)."""
        try:
            return self.session.signer.send(call, description=description)
        except ContractRevert as exc:
            raise readable(exc, self.fmt) from None

    def view(self, call: ContractFunction, description: str) -> Any:
        """Call the read-only ``call``; a revert comes back as a readable error naming ``description``."""
        try:
            return call.call()
        except ContractLogicError as exc:
            error = decode_revert(exc.data if isinstance(exc.data, str) else None, context=description)
            raise readable(error, self.fmt) from None

    def events(self, sent: SentTransaction, name: str) -> list[Any]:
        """This contract's events called ``name`` in the receipt of ``sent``, decoded (raw units)."""
        logs = self.contract.events[name]().process_receipt(sent.receipt, errors=DISCARD)
        return [log["args"] for log in logs if log["address"] == self.address]


def readable(error: ContractRevert, fmt: Callable[[Decimal], str]) -> ContractRevert:
    """``error`` with its message in words (amounts in tenge) when it is one of this package's errors."""
    explain = MESSAGES.get(error.error_name)
    if explain is None:
        return error
    context = str(error).split(f"{error.error_name}(")[0]
    # error_args carry amounts as Decimal tenge (tenge.chain.readable); a bare integer is still tiyn.
    text = explain(error.error_args, lambda v: fmt(v if isinstance(v, Decimal) else from_tiyn(int(v))))
    return type(error)(f"{context}{text}; nothing was sent", error.error_args, error.data)
