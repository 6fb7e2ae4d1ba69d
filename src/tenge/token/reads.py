"""The token's reads, in Decimal tenge: balances, tiers, allowances, roles, pause and reserve state.

Mixed into :class:`~tenge.token.client.DigitalTengeClient`; reads never unlock a key.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from web3 import Web3
from web3.contract import Contract

from tenge.addresses import checksum_address
from tenge.amounts import MAX_TIYN, from_tiyn
from tenge.chain.batch_reads import read_all
from tenge.errors import InvalidInput
from tenge.token.roles import ROLE_NAMES, role_id

MAX_TIER = 255


@dataclass(frozen=True)
class AccountState:
    """Everything the token knows about one account (a tier and flags: no personal data)."""

    address: str
    balance: Decimal
    spendable: Decimal
    frozen_amount: Decimal
    wholly_frozen: bool
    tier: int
    #: Holding cap of the account's tier; None when uncapped.
    tier_cap: Decimal | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "balance": self.balance,
            "spendable": self.spendable,
            "frozenAmount": self.frozen_amount,
            "whollyFrozen": self.wholly_frozen,
            "tier": self.tier,
            "tierCap": "unlimited" if self.tier_cap is None else self.tier_cap,
        }


@dataclass(frozen=True)
class ReserveState:
    amount: Decimal
    attested_at: int
    gating_enabled: bool
    max_attestation_age: int


class TokenReads:
    """The token's view functions, in tenge (see the module)."""

    w3: Web3
    contract: Contract

    # --- views --------------------------------------------------------------------------------------

    def total_supply(self) -> Decimal:
        """All tenge in circulation."""
        return from_tiyn(self.contract.functions.totalSupply().call())

    def balance_of(self, account: str) -> Decimal:
        """The balance of ``account`` in tenge (frozen part included; see :meth:`spendable_balance_of`)."""
        return from_tiyn(self.contract.functions.balanceOf(checksum_address(account)).call())

    def spendable_balance_of(self, account: str) -> Decimal:
        """What ``account`` can spend now: its balance less the frozen part, in tenge."""
        return from_tiyn(self.contract.functions.spendableBalanceOf(checksum_address(account)).call())

    def frozen_amount_of(self, account: str) -> Decimal:
        """The part of ``account``'s balance that is frozen, in tenge."""
        return from_tiyn(self.contract.functions.frozenAmountOf(checksum_address(account)).call())

    def is_frozen(self, account: str) -> bool:
        """Whether the whole of ``account`` is frozen (it can neither send nor receive)."""
        return bool(self.contract.functions.isFrozen(checksum_address(account)).call())

    def tier_of(self, account: str) -> int:
        """``account``'s KYC tier (0: not approved)."""
        return int(self.contract.functions.tierOf(checksum_address(account)).call())

    def tier_cap(self, tier: int) -> Decimal | None:
        """Holding cap of ``tier`` in tenge; None when the tier is uncapped."""
        cap = int(self.contract.functions.tierCap(_tier(tier)).call())
        return None if cap == MAX_TIYN else from_tiyn(cap)

    def account(self, account: str) -> AccountState:
        """Everything the token knows about ``account``: balances, frozen part, tier and its cap (two batched
        requests)."""
        address = checksum_address(account)
        f = self.contract.functions
        balance, spendable, frozen, wholly, tier = read_all(self.w3, [
            f.balanceOf(address), f.spendableBalanceOf(address), f.frozenAmountOf(address), f.isFrozen(address),
            f.tierOf(address),
        ])  # fmt: skip
        return AccountState(
            address=address,
            balance=from_tiyn(balance),
            spendable=from_tiyn(spendable),
            frozen_amount=from_tiyn(frozen),
            wholly_frozen=bool(wholly),
            tier=int(tier),
            tier_cap=self.tier_cap(int(tier)),
        )

    def recovered_to(self, account: str) -> str | None:
        """The wallet now holding what ``account`` held before a wallet recovery (following successive
        recoveries); None if it was never recovered."""
        current = str(self.contract.functions.recoveredTo(checksum_address(account)).call())
        return None if int(current, 16) == 0 else current

    def allowance(self, owner: str, spender: str) -> Decimal:
        """How much ``spender`` may still move of ``owner``'s tenge (ERC-20 allowance), in tenge."""
        return from_tiyn(self.contract.functions.allowance(checksum_address(owner), checksum_address(spender)).call())

    def minter_allowance(self, minter: str) -> Decimal:
        """How much ``minter`` may still mint, in tenge."""
        return from_tiyn(self.contract.functions.minterAllowance(checksum_address(minter)).call())

    def has_role(self, role: str, account: str) -> bool:
        """Whether ``account`` holds ``role`` (by name)."""
        return bool(self.contract.functions.hasRole(role_id(role), checksum_address(account)).call())

    def roles_of(self, account: str) -> list[str]:
        """Names of the roles ``account`` holds (one batched request)."""
        address = checksum_address(account)
        held = read_all(self.w3, [self.contract.functions.hasRole(role_id(name), address) for name in ROLE_NAMES])
        return [name for name, has in zip(ROLE_NAMES, held) if has]

    def default_admin(self) -> str:
        """The address holding ``DEFAULT_ADMIN_ROLE`` (the one admin of OpenZeppelin's admin rules)."""
        return str(self.contract.functions.defaultAdmin().call())

    def pending_default_admin(self) -> tuple[str, int]:
        """(pending admin, unix time from which it may accept); the zero address when none."""
        admin, schedule = self.contract.functions.pendingDefaultAdmin().call()
        return str(admin), int(schedule)

    def paused(self) -> bool:
        """Whether the token is paused."""
        return bool(self.contract.functions.paused().call())

    def reserve(self) -> ReserveState:
        """The latest reserve attestation and whether minting is gated on it."""
        amount, attested_at = self.contract.functions.reserveAttestation().call()
        enabled, max_age = self.contract.functions.reserveGating().call()
        return ReserveState(from_tiyn(amount), int(attested_at), bool(enabled), int(max_age))

    def permit_nonce(self, owner: str) -> int:
        """The EIP-2612 nonce ``owner``'s next permit must carry."""
        return int(self.contract.functions.nonces(checksum_address(owner)).call())

    def authorization_state(self, authorizer: str, nonce: bytes) -> bool:
        """True when the EIP-3009 ``nonce`` of ``authorizer`` was used or canceled."""
        return bool(self.contract.functions.authorizationState(checksum_address(authorizer), _nonce(nonce)).call())


def _tier(tier: int) -> int:
    if isinstance(tier, bool) or not isinstance(tier, int) or not 0 <= tier <= MAX_TIER:
        raise InvalidInput(f"tier must be a whole number from 0 to {MAX_TIER}, not {tier!r}")
    return tier


def _nonce(nonce: bytes) -> bytes:
    if len(nonce) != 32:
        raise InvalidInput(f"an authorization nonce is 32 bytes, not {len(nonce)}")
    return bytes(nonce)
