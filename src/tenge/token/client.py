"""DigitalTengeClient: the token from Python, in Decimal tenge and checksummed addresses.

    from tenge.session import Session
    token = Session.open("local", account="dev:1").token()
    token.transfer("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "12.50")
    token.balance_of(token.me)          # Decimal('987.50')

Integers in tiyn appear only where this module calls the contract. Every write is estimated
first, so a call the contract would reject raises the decoded custom error
(``tenge.errors.TierCapExceeded`` ...) and sends nothing; a sent write returns a :class:`TxResult`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction

from tenge.addresses import checksum_address
from tenge.amounts import MAX_TIYN, AmountLike, format_tenge, from_tiyn, parse_tenge, to_tiyn
from tenge.errors import InvalidInput, TengeError
from tenge.session import Session
from tenge.token.authorizations import (
    SignedAuthorization,
    SignedCancellation,
    SignedPermit,
    TokenDomain,
    sign_permit,
)
from tenge.token.offline import OfflinePayment, decode_offline_payment
from tenge.token.payouts import DEFAULT_CHUNK_SIZE, Payout, chunked, normalise_payouts, total
from tenge.token.references import reference_to_bytes32
from tenge.token.results import TxResult
from tenge.token.roles import ROLE_NAMES, role_id, role_name

#: The deployment record key of the token proxy.
TOKEN_KEY = "DigitalTenge"
MAX_TIER = 255
MAX_UINT64 = 2**64 - 1
#: Default lifetime of a permit signed by :meth:`DigitalTengeClient.permit`.
DEFAULT_PERMIT_SECONDS = 3600

_AUTH_ARGS = "address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32"


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


class DigitalTengeClient:
    """The DigitalTenge proxy of a session's deployment (or at ``address``)."""

    def __init__(self, session: Session, *, address: str | None = None) -> None:
        self.session = session
        self.w3 = session.w3
        recorded = session.contract(TOKEN_KEY)
        self.contract: Contract = (
            recorded
            if address is None
            else self.w3.eth.contract(address=Web3.to_checksum_address(checksum_address(address)), abi=recorded.abi)
        )
        self.address: str = str(self.contract.address)

    # --- identity -----------------------------------------------------------------------------------

    @property
    def me(self) -> str:
        """The session account's address (no key is unlocked to know it)."""
        return self.session.address

    @cached_property
    def name(self) -> str:
        return str(self.contract.functions.name().call())

    @cached_property
    def symbol(self) -> str:
        return str(self.contract.functions.symbol().call())

    @cached_property
    def currency(self) -> str:
        return str(self.contract.functions.currency().call())

    @cached_property
    def decimals(self) -> int:
        return int(self.contract.functions.decimals().call())

    @cached_property
    def domain(self) -> TokenDomain:
        """The EIP-712 domain, checked against the contract's own ``DOMAIN_SEPARATOR()``."""
        domain = TokenDomain(self.name, int(self.w3.eth.chain_id), self.address)
        on_chain = bytes(self.contract.functions.DOMAIN_SEPARATOR().call())
        if domain.separator() != on_chain:
            raise InvalidInput(
                f"the token's EIP-712 domain is not ({domain.name!r}, version {domain.version!r}); "
                "refusing to sign messages it would not accept"
            )
        return domain

    # --- views --------------------------------------------------------------------------------------

    def total_supply(self) -> Decimal:
        return from_tiyn(self.contract.functions.totalSupply().call())

    def balance_of(self, account: str) -> Decimal:
        return from_tiyn(self.contract.functions.balanceOf(checksum_address(account)).call())

    def spendable_balance_of(self, account: str) -> Decimal:
        return from_tiyn(self.contract.functions.spendableBalanceOf(checksum_address(account)).call())

    def frozen_amount_of(self, account: str) -> Decimal:
        return from_tiyn(self.contract.functions.frozenAmountOf(checksum_address(account)).call())

    def is_frozen(self, account: str) -> bool:
        return bool(self.contract.functions.isFrozen(checksum_address(account)).call())

    def tier_of(self, account: str) -> int:
        return int(self.contract.functions.tierOf(checksum_address(account)).call())

    def tier_cap(self, tier: int) -> Decimal | None:
        """Holding cap of ``tier`` in tenge; None when the tier is uncapped."""
        cap = int(self.contract.functions.tierCap(_tier(tier)).call())
        return None if cap == MAX_TIYN else from_tiyn(cap)

    def account(self, account: str) -> AccountState:
        address = checksum_address(account)
        tier = self.tier_of(address)
        return AccountState(
            address=address,
            balance=self.balance_of(address),
            spendable=self.spendable_balance_of(address),
            frozen_amount=self.frozen_amount_of(address),
            wholly_frozen=self.is_frozen(address),
            tier=tier,
            tier_cap=self.tier_cap(tier),
        )

    def recovered_to(self, account: str) -> str | None:
        """The wallet now holding what ``account`` held before a wallet recovery (following successive
        recoveries); None if it was never recovered."""
        current = str(self.contract.functions.recoveredTo(checksum_address(account)).call())
        return None if int(current, 16) == 0 else current

    def allowance(self, owner: str, spender: str) -> Decimal:
        return from_tiyn(self.contract.functions.allowance(checksum_address(owner), checksum_address(spender)).call())

    def minter_allowance(self, minter: str) -> Decimal:
        return from_tiyn(self.contract.functions.minterAllowance(checksum_address(minter)).call())

    def has_role(self, role: str, account: str) -> bool:
        return bool(self.contract.functions.hasRole(role_id(role), checksum_address(account)).call())

    def roles_of(self, account: str) -> list[str]:
        """Names of the roles ``account`` holds."""
        address = checksum_address(account)
        return [name for name in ROLE_NAMES if self.has_role(name, address)]

    def default_admin(self) -> str:
        return str(self.contract.functions.defaultAdmin().call())

    def pending_default_admin(self) -> tuple[str, int]:
        """(pending admin, unix time from which it may accept); the zero address when none."""
        admin, schedule = self.contract.functions.pendingDefaultAdmin().call()
        return str(admin), int(schedule)

    def paused(self) -> bool:
        return bool(self.contract.functions.paused().call())

    def reserve(self) -> ReserveState:
        amount, attested_at = self.contract.functions.reserveAttestation().call()
        enabled, max_age = self.contract.functions.reserveGating().call()
        return ReserveState(from_tiyn(amount), int(attested_at), bool(enabled), int(max_age))

    def permit_nonce(self, owner: str) -> int:
        return int(self.contract.functions.nonces(checksum_address(owner)).call())

    def authorization_state(self, authorizer: str, nonce: bytes) -> bool:
        """True when the EIP-3009 ``nonce`` of ``authorizer`` was used or canceled."""
        return bool(self.contract.functions.authorizationState(checksum_address(authorizer), _nonce(nonce)).call())

    # --- payments -----------------------------------------------------------------------------------

    def transfer(self, to: str, amount: AmountLike) -> TxResult:
        to, value = checksum_address(to), parse_tenge(amount, allow_zero=False)
        return self._send(self.contract.functions.transfer(to, to_tiyn(value)), f"transfer {self._fmt(value)} to {to}")

    def approve(self, spender: str, amount: AmountLike) -> TxResult:
        spender, value = checksum_address(spender), parse_tenge(amount)
        return self._send(
            self.contract.functions.approve(spender, to_tiyn(value)), f"approve {spender} for {self._fmt(value)}"
        )

    def transfer_from(self, owner: str, to: str, amount: AmountLike) -> TxResult:
        owner, to, value = checksum_address(owner), checksum_address(to), parse_tenge(amount, allow_zero=False)
        return self._send(
            self.contract.functions.transferFrom(owner, to, to_tiyn(value)),
            f"transferFrom {owner} to {to} of {self._fmt(value)}",
        )

    def transfer_with_fee(self, to: str, amount: AmountLike, fee_recipient: str, fee: AmountLike) -> TxResult:
        to, fee_to = checksum_address(to), checksum_address(fee_recipient)
        value, fee_value = parse_tenge(amount), parse_tenge(fee)
        return self._send(
            self.contract.functions.transferWithFee(to, to_tiyn(value), fee_to, to_tiyn(fee_value)),
            f"transfer {self._fmt(value)} to {to} with fee {self._fmt(fee_value)} to {fee_to}",
        )

    def batch_transfer(
        self, payouts: Iterable[Payout | tuple[str, AmountLike]], *, chunk_size: int = DEFAULT_CHUNK_SIZE
    ) -> list[TxResult]:
        """Pay every recipient from the signer's balance; one transaction per ``chunk_size`` recipients."""
        return self._batch("batchTransfer", "payout", payouts, chunk_size)

    # --- issuance -----------------------------------------------------------------------------------

    def set_minter_allowance(self, minter: str, amount: AmountLike) -> TxResult:
        minter, value = checksum_address(minter), parse_tenge(amount)
        return self._send(
            self.contract.functions.setMinterAllowance(minter, to_tiyn(value)),
            f"set minter allowance of {minter} to {self._fmt(value)}",
        )

    def mint(self, to: str, amount: AmountLike) -> TxResult:
        to, value = checksum_address(to), parse_tenge(amount, allow_zero=False)
        return self._send(self.contract.functions.mint(to, to_tiyn(value)), f"mint {self._fmt(value)} to {to}")

    def batch_mint(
        self, payouts: Iterable[Payout | tuple[str, AmountLike]], *, chunk_size: int = DEFAULT_CHUNK_SIZE
    ) -> list[TxResult]:
        """Mint to every recipient within the signer's allowance; one transaction per ``chunk_size``."""
        return self._batch("batchMint", "batch mint", payouts, chunk_size)

    def burn(self, amount: AmountLike) -> TxResult:
        value = parse_tenge(amount, allow_zero=False)
        return self._send(self.contract.functions.burn(to_tiyn(value)), f"burn {self._fmt(value)}")

    def redeem(self, bank: str, amount: AmountLike, reference: str) -> TxResult:
        """Burn ``amount`` of the signer's holdings; ``bank`` credits the signer's non-cash account."""
        bank, value, ref = checksum_address(bank), parse_tenge(amount, allow_zero=False), reference_to_bytes32(reference)
        return self._send(
            self.contract.functions.redeem(bank, to_tiyn(value), ref),
            f"redeem {self._fmt(value)} at {bank} (reference {reference!r})",
        )

    # --- compliance ---------------------------------------------------------------------------------

    def set_tier(self, account: str, tier: int) -> TxResult:
        account = checksum_address(account)
        return self._send(self.contract.functions.setTier(account, _tier(tier)), f"set tier of {account} to {tier}")

    def set_tier_cap(self, tier: int, cap: AmountLike | None) -> TxResult:
        """Holding cap of ``tier`` in tenge; None makes the tier uncapped."""
        cap_tiyn = MAX_TIYN if cap is None else to_tiyn(cap)
        shown = "unlimited" if cap is None else self._fmt(parse_tenge(cap))
        return self._send(self.contract.functions.setTierCap(_tier(tier), cap_tiyn), f"set cap of tier {tier} to {shown}")

    def freeze(self, account: str, amount: AmountLike | None = None) -> TxResult:
        """Freeze the whole account, or (with ``amount``) that much more of its balance."""
        account = checksum_address(account)
        if amount is None:
            return self._send(self.contract.functions.freeze(account), f"freeze {account}")
        value = parse_tenge(amount, allow_zero=False)
        return self._send(
            self.contract.functions.freezeAmount(account, to_tiyn(value)), f"freeze {self._fmt(value)} of {account}"
        )

    def unfreeze(self, account: str, amount: AmountLike | None = None) -> TxResult:
        """Lift a whole-account freeze, or (with ``amount``) release that much of the frozen amount."""
        account = checksum_address(account)
        if amount is None:
            return self._send(self.contract.functions.unfreeze(account), f"unfreeze {account}")
        value = parse_tenge(amount, allow_zero=False)
        return self._send(
            self.contract.functions.unfreezeAmount(account, to_tiyn(value)), f"unfreeze {self._fmt(value)} of {account}"
        )

    def force_transfer(self, from_account: str, to: str, amount: AmountLike, legal_reference: str) -> TxResult:
        source, to = checksum_address(from_account), checksum_address(to)
        value, ref = parse_tenge(amount, allow_zero=False), reference_to_bytes32(legal_reference)
        return self._send(
            self.contract.functions.forceTransfer(source, to, to_tiyn(value), ref),
            f"forced transfer of {self._fmt(value)} from {source} to {to} ({legal_reference!r})",
        )

    def wipe(self, from_account: str, amount: AmountLike, legal_reference: str) -> TxResult:
        source = checksum_address(from_account)
        value, ref = parse_tenge(amount, allow_zero=False), reference_to_bytes32(legal_reference)
        return self._send(
            self.contract.functions.wipe(source, to_tiyn(value), ref),
            f"wipe {self._fmt(value)} from {source} ({legal_reference!r})",
        )

    def recover(self, lost_account: str, new_account: str, legal_reference: str) -> TxResult:
        lost, new, ref = checksum_address(lost_account), checksum_address(new_account), reference_to_bytes32(legal_reference)
        return self._send(
            self.contract.functions.recover(lost, new, ref), f"recover {lost} to {new} ({legal_reference!r})"
        )

    # --- pause, reserve, rescue ---------------------------------------------------------------------

    def pause(self) -> TxResult:
        return self._send(self.contract.functions.pause(), "pause the token")

    def unpause(self) -> TxResult:
        return self._send(self.contract.functions.unpause(), "unpause the token")

    def attest_reserve(self, amount: AmountLike, attested_at: int | None = None) -> TxResult:
        """Post the attested reserve; ``attested_at`` defaults to the latest block's time."""
        value = parse_tenge(amount)
        when = int(self.w3.eth.get_block("latest")["timestamp"]) if attested_at is None else int(attested_at)
        if not 0 <= when <= MAX_UINT64:
            raise InvalidInput(f"attestation time {when} is not a unix timestamp")
        return self._send(
            self.contract.functions.attestReserve(to_tiyn(value), when),
            f"attest reserve of {self._fmt(value)} at {when}",
        )

    def set_reserve_gating(self, enabled: bool, max_attestation_age: int) -> TxResult:
        if not 0 <= int(max_attestation_age) <= MAX_UINT64:
            raise InvalidInput(f"maximum attestation age {max_attestation_age} is out of range")
        return self._send(
            self.contract.functions.setReserveGating(bool(enabled), int(max_attestation_age)),
            f"{'enable' if enabled else 'disable'} reserve gating (max age {max_attestation_age}s)",
        )

    def rescue_erc20(self, token: str, to: str, amount_units: int) -> TxResult:
        """Return a foreign token sent here by mistake; ``amount_units`` in that token's smallest unit."""
        token, to = checksum_address(token), checksum_address(to)
        if amount_units <= 0:
            raise InvalidInput("the amount to rescue must be positive")
        return self._send(
            self.contract.functions.rescueERC20(token, to, int(amount_units)), f"rescue {amount_units} of {token} to {to}"
        )

    # --- roles --------------------------------------------------------------------------------------

    def grant_role(self, role: str, account: str) -> TxResult:
        name, account = role_name(role), checksum_address(account)
        return self._send(self.contract.functions.grantRole(role_id(name), account), f"grant {name} to {account}")

    def revoke_role(self, role: str, account: str) -> TxResult:
        name, account = role_name(role), checksum_address(account)
        return self._send(self.contract.functions.revokeRole(role_id(name), account), f"revoke {name} from {account}")

    def begin_admin_transfer(self, new_admin: str) -> TxResult:
        """Step one of handing over the admin role; the new admin accepts after the configured delay."""
        new_admin = checksum_address(new_admin)
        return self._send(
            self.contract.functions.beginDefaultAdminTransfer(new_admin), f"begin admin transfer to {new_admin}"
        )

    def accept_admin_transfer(self) -> TxResult:
        return self._send(self.contract.functions.acceptDefaultAdminTransfer(), "accept the admin role")

    def cancel_admin_transfer(self) -> TxResult:
        return self._send(self.contract.functions.cancelDefaultAdminTransfer(), "cancel the pending admin transfer")

    # --- signed authorizations ----------------------------------------------------------------------

    def permit(
        self, owner: LocalAccount, spender: str, amount: AmountLike, *, deadline: int | None = None
    ) -> TxResult:
        """Sign an EIP-2612 permit as ``owner`` and submit it from this session's signer."""
        if deadline is None:
            deadline = int(self.w3.eth.get_block("latest")["timestamp"]) + DEFAULT_PERMIT_SECONDS
        signed = sign_permit(
            owner, self.domain, spender=spender, value=amount, nonce=self.permit_nonce(owner.address), deadline=deadline
        )
        return self.submit_permit(signed)

    def submit_permit(self, signed: SignedPermit) -> TxResult:
        p, sig = signed.permit, signed.signature
        return self._send(
            self.contract.functions.permit(p.owner, p.spender, to_tiyn(p.value), p.deadline, sig.v, sig.r, sig.s),
            f"permit {p.spender} to spend {self._fmt(p.value)} of {p.owner}",
        )

    def submit_authorization(self, signed: SignedAuthorization) -> TxResult:
        """Submit a signed EIP-3009 authorization (``receive`` ones only from the payee)."""
        a, sig = signed.authorization, signed.signature
        name = "transferWithAuthorization" if a.kind == "transfer" else "receiveWithAuthorization"
        function = self.contract.get_function_by_signature(f"{name}({_AUTH_ARGS})")
        return self._send(
            function(a.from_address, a.to, a.value_tiyn, a.valid_after, a.valid_before, a.nonce, sig.v, sig.r, sig.s),
            f"{name}: {self._fmt(a.value)} from {a.from_address} to {a.to}",
        )

    def cancel_authorization(self, signed: SignedCancellation) -> TxResult:
        sig = signed.signature
        function = self.contract.get_function_by_signature("cancelAuthorization(address,bytes32,uint8,bytes32,bytes32)")
        return self._send(
            function(signed.authorizer, signed.nonce, sig.v, sig.r, sig.s),
            f"cancel authorization 0x{signed.nonce.hex()} of {signed.authorizer}",
        )

    def decode_offline_payment(self, text: str) -> OfflinePayment:
        """Decode and verify an offline payment string for this token and chain (nothing is sent)."""
        return decode_offline_payment(text, self.domain)

    def submit_offline_payment(self, payment: str | OfflinePayment) -> TxResult:
        """Verify (chain, token, signature) and submit an offline payment; anyone may submit it."""
        if isinstance(payment, str):
            payment = self.decode_offline_payment(payment)
        else:
            payment.verify(self.domain)
        return self.submit_authorization(payment.signed)

    # --- plumbing -----------------------------------------------------------------------------------

    def _batch(
        self,
        function: str,
        label: str,
        payouts: Iterable[Payout | tuple[str, AmountLike]],
        chunk_size: int,
    ) -> list[TxResult]:
        rows = normalise_payouts(payouts)
        chunks = chunked(rows, chunk_size)
        if len(chunks) > 1:
            self._check_batch_funds(function, total(rows))
        results: list[TxResult] = []
        for number, chunk in enumerate(chunks, start=1):
            call = self.contract.functions[function]([p.to for p in chunk], [to_tiyn(p.amount) for p in chunk])
            try:
                results.append(self._send(call, f"{label} chunk {number}/{len(chunks)} ({len(chunk)} recipients)"))
            except TengeError as exc:
                if results:
                    sent = ", ".join(r.tx_hash for r in results)
                    exc.args = (f"{exc.args[0]} (chunks 1-{len(results)} were already sent: {sent})",)
                raise
        return results

    def _check_batch_funds(self, function: str, needed: Decimal) -> None:
        """A batch sent in several transactions must not stop half-way for lack of funds: check up front."""
        if function == "batchMint":
            available, what = self.minter_allowance(self.me), "mint allowance"
        else:
            available, what = self.spendable_balance_of(self.me), "spendable balance"
        if needed > available:
            raise InvalidInput(
                f"the batch needs {self._fmt(needed)} but {self.me} has a {what} of {self._fmt(available)}; "
                "nothing was sent"
            )

    def _send(self, call: ContractFunction, description: str) -> TxResult:
        return TxResult.from_sent(self.session.signer.send(call, description=description))

    def _fmt(self, amount: Decimal) -> str:
        return format_tenge(amount, self.currency)


def _tier(tier: int) -> int:
    if isinstance(tier, bool) or not isinstance(tier, int) or not 0 <= tier <= MAX_TIER:
        raise InvalidInput(f"tier must be a whole number from 0 to {MAX_TIER}, not {tier!r}")
    return tier


def _nonce(nonce: bytes) -> bytes:
    if len(nonce) != 32:
        raise InvalidInput(f"an authorization nonce is 32 bytes, not {len(nonce)}")
    return bytes(nonce)
