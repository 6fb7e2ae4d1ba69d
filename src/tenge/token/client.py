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
from contextlib import nullcontext
from decimal import Decimal
from functools import cached_property

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction

from tenge.plural import counted
from tenge.addresses import checksum_address
from tenge.amounts import MAX_TIYN, AmountLike, format_tenge, parse_tenge, to_tiyn
from tenge.chain.events import ContractEvents
from tenge.chain.pipeline import Progress
from tenge.errors import InvalidInput
from tenge.times import iso
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
from tenge.token.reads import MAX_TIER, AccountState, ReserveState, TokenReads, _tier
from tenge.token.roles import role_id, role_name

__all__ = ["DEFAULT_PERMIT_SECONDS", "MAX_TIER", "MAX_UINT64", "TOKEN_KEY", "AccountState", "DigitalTengeClient", "ReserveState"]

#: The deployment record key of the token proxy.
TOKEN_KEY = "DigitalTenge"
MAX_UINT64 = 2**64 - 1
#: Default lifetime of a permit signed by :meth:`DigitalTengeClient.permit`.
DEFAULT_PERMIT_SECONDS = 3600

_AUTH_ARGS = "address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32"


class DigitalTengeClient(TokenReads, ContractEvents):
    """The DigitalTenge proxy of a session's deployment (or at ``address``).

    Besides its reads and writes: ``events("Redeemed", from_block=...)`` and ``follow("Redeemed")`` yield the
    token's events decoded (:class:`~tenge.chain.events.DecodedEvent`)."""

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
        """The token's name (also its EIP-712 domain name)."""
        return str(self.contract.functions.name().call())

    @cached_property
    def symbol(self) -> str:
        """The token's ticker symbol."""
        return str(self.contract.functions.symbol().call())

    @cached_property
    def currency(self) -> str:
        """The ISO 4217 code the token stands for (``KZT``), as amounts are shown."""
        return str(self.contract.functions.currency().call())

    @cached_property
    def decimals(self) -> int:
        """The token's decimals: 2 (1 tenge = 100 tiyn)."""
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

    # --- payments -----------------------------------------------------------------------------------

    def transfer(self, to: str, amount: AmountLike) -> TxResult:
        """Send ``amount`` tenge from the signer to ``to``."""
        to, value = checksum_address(to), parse_tenge(amount, allow_zero=False)
        return self._send(self.contract.functions.transfer(to, to_tiyn(value)), f"transfer {self._fmt(value)} to {to}")

    def approve(self, spender: str, amount: AmountLike) -> TxResult:
        """Let ``spender`` move up to ``amount`` tenge of the signer's (0 revokes the allowance)."""
        spender, value = checksum_address(spender), parse_tenge(amount)
        return self._send(
            self.contract.functions.approve(spender, to_tiyn(value)), f"approve {spender} for {self._fmt(value)}"
        )

    def transfer_from(self, owner: str, to: str, amount: AmountLike) -> TxResult:
        """Move ``amount`` tenge from ``owner`` to ``to`` within the signer's allowance from ``owner``."""
        owner, to, value = checksum_address(owner), checksum_address(to), parse_tenge(amount, allow_zero=False)
        return self._send(
            self.contract.functions.transferFrom(owner, to, to_tiyn(value)),
            f"transferFrom {owner} to {to} of {self._fmt(value)}",
        )

    def transfer_with_fee(self, to: str, amount: AmountLike, fee_recipient: str, fee: AmountLike) -> TxResult:
        """Send ``amount`` to ``to`` and ``fee`` to ``fee_recipient`` in one transaction."""
        to, fee_to = checksum_address(to), checksum_address(fee_recipient)
        value, fee_value = parse_tenge(amount), parse_tenge(fee)
        return self._send(
            self.contract.functions.transferWithFee(to, to_tiyn(value), fee_to, to_tiyn(fee_value)),
            f"transfer {self._fmt(value)} to {to} with fee {self._fmt(fee_value)} to {fee_to}",
        )

    def batch_transfer(
        self, payouts: Iterable[Payout | tuple[str, AmountLike]], *, chunk_size: int = DEFAULT_CHUNK_SIZE,
        progress: Progress | None = None,
    ) -> list[TxResult]:  # fmt: skip
        """Pay every recipient from the signer's balance; one transaction per ``chunk_size`` recipients, all
        chunks pipelined (``progress(settled, sent)`` hears the receipts come in)."""
        return self._batch("batchTransfer", "payout", payouts, chunk_size, progress)

    # --- issuance -----------------------------------------------------------------------------------

    def set_minter_allowance(self, minter: str, amount: AmountLike) -> TxResult:
        """Set how much ``minter`` (a bank holding MINTER_ROLE) may mint, in tenge (ISSUER_ROLE)."""
        minter, value = checksum_address(minter), parse_tenge(amount)
        return self._send(
            self.contract.functions.setMinterAllowance(minter, to_tiyn(value)),
            f"set minter allowance of {minter} to {self._fmt(value)}",
        )

    def mint(self, to: str, amount: AmountLike) -> TxResult:
        """Mint ``amount`` tenge to ``to`` within the signing bank's minter allowance (MINTER_ROLE)."""
        to, value = checksum_address(to), parse_tenge(amount, allow_zero=False)
        return self._send(self.contract.functions.mint(to, to_tiyn(value)), f"mint {self._fmt(value)} to {to}")

    def batch_mint(
        self, payouts: Iterable[Payout | tuple[str, AmountLike]], *, chunk_size: int = DEFAULT_CHUNK_SIZE,
        progress: Progress | None = None,
    ) -> list[TxResult]:  # fmt: skip
        """Mint to every recipient within the signer's allowance; one transaction per ``chunk_size``, pipelined."""
        return self._batch("batchMint", "batch mint", payouts, chunk_size, progress)

    def burn(self, amount: AmountLike) -> TxResult:
        """Destroy ``amount`` tenge of the signer's own holdings."""
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

    def set_tier(self, account: str, tier: int, *, over_cap: bool = False) -> TxResult:
        """Set ``account``'s KYC tier (0 revokes approval; COMPLIANCE_ROLE).

        A balance above the new tier's cap is refused (:class:`InvalidInput`, nothing sent) unless ``over_cap``:
        the holder would keep it, but could receive nothing until it is below the cap."""
        account, tier = checksum_address(account), _tier(tier)
        if tier != 0 and not over_cap:
            cap, balance = self.tier_cap(tier), self.balance_of(account)
            if cap is not None and balance > cap:
                raise InvalidInput(
                    f"{account} holds {self._fmt(balance)}, above tier {tier}'s cap of {self._fmt(cap)}: it would keep "
                    "that balance but could receive nothing until it is below the cap; set it anyway with --over-cap "
                    "(SDK: over_cap=True); nothing was sent"
                )
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
        """Move ``amount`` from ``from_account`` to ``to`` without its holder (COMPLIANCE_ROLE), citing a court
        order or other ``legal_reference``."""
        source, to = checksum_address(from_account), checksum_address(to)
        value, ref = parse_tenge(amount, allow_zero=False), reference_to_bytes32(legal_reference)
        return self._send(
            self.contract.functions.forceTransfer(source, to, to_tiyn(value), ref),
            f"forced transfer of {self._fmt(value)} from {source} to {to} ({legal_reference!r})",
        )

    def wipe(self, from_account: str, amount: AmountLike, legal_reference: str) -> TxResult:
        """Destroy ``amount`` of ``from_account``'s tenge (COMPLIANCE_ROLE), citing a ``legal_reference``."""
        source = checksum_address(from_account)
        value, ref = parse_tenge(amount, allow_zero=False), reference_to_bytes32(legal_reference)
        return self._send(
            self.contract.functions.wipe(source, to_tiyn(value), ref),
            f"wipe {self._fmt(value)} from {source} ({legal_reference!r})",
        )

    def recover(self, lost_account: str, new_account: str, legal_reference: str) -> TxResult:
        """Move everything of a lost wallet to ``new_account`` and remember where it went (COMPLIANCE_ROLE,
        with a ``legal_reference``)."""
        lost, new, ref = checksum_address(lost_account), checksum_address(new_account), reference_to_bytes32(legal_reference)
        return self._send(
            self.contract.functions.recover(lost, new, ref), f"recover {lost} to {new} ({legal_reference!r})"
        )

    # --- pause, reserve, rescue ---------------------------------------------------------------------

    def pause(self) -> TxResult:
        """Stop every transfer, mint and burn (PAUSER_ROLE)."""
        return self._send(self.contract.functions.pause(), "pause the token")

    def unpause(self) -> TxResult:
        """Resume transfers, mints and burns (PAUSER_ROLE)."""
        return self._send(self.contract.functions.unpause(), "unpause the token")

    def attest_reserve(self, amount: AmountLike, attested_at: int | None = None) -> TxResult:
        """Post the attested reserve; ``attested_at`` defaults to the latest block's time."""
        value = parse_tenge(amount)
        when = int(self.w3.eth.get_block("latest")["timestamp"]) if attested_at is None else int(attested_at)
        if not 0 <= when <= MAX_UINT64:
            raise InvalidInput(f"attestation time {when} is not a unix timestamp")
        return self._send(
            self.contract.functions.attestReserve(to_tiyn(value), when),
            f"attest reserve of {self._fmt(value)} at {iso(when)}",
        )

    def set_reserve_gating(self, enabled: bool, max_attestation_age: int) -> TxResult:
        """Turn reserve gating on or off: with it, a mint must stay within an attestation at most
        ``max_attestation_age`` seconds old."""
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
        """Grant ``role`` (by name: ``minter``, ``MINTER_ROLE`` ...) to ``account`` (the role's admin signs)."""
        name, account = role_name(role), checksum_address(account)
        return self._send(self.contract.functions.grantRole(role_id(name), account), f"grant {name} to {account}")

    def revoke_role(self, role: str, account: str) -> TxResult:
        """Revoke ``role`` (by name) from ``account`` (the role's admin signs)."""
        name, account = role_name(role), checksum_address(account)
        return self._send(self.contract.functions.revokeRole(role_id(name), account), f"revoke {name} from {account}")

    def begin_admin_transfer(self, new_admin: str) -> TxResult:
        """Step one of handing over the admin role; the new admin accepts after the configured delay."""
        new_admin = checksum_address(new_admin)
        return self._send(
            self.contract.functions.beginDefaultAdminTransfer(new_admin), f"begin admin transfer to {new_admin}"
        )

    def accept_admin_transfer(self) -> TxResult:
        """Step two of the admin hand-over, sent by the new admin once the delay has passed."""
        return self._send(self.contract.functions.acceptDefaultAdminTransfer(), "accept the admin role")

    def cancel_admin_transfer(self) -> TxResult:
        """Cancel a pending admin hand-over (sent by the current admin)."""
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
        """Submit an EIP-2612 permit signed elsewhere (anyone may submit it)."""
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
        """Cancel a signed EIP-3009 authorization before anyone submits it."""
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
        progress: Progress | None = None,
    ) -> list[TxResult]:
        """One transaction per chunk, pipelined: every chunk is sent without waiting, then the receipts are
        collected (``progress(settled, sent)``). A chunk the contract would reject stops the run before it is
        sent; the error then says which chunks were sent and what became of them."""
        rows = normalise_payouts(payouts)
        chunks = chunked(rows, chunk_size)
        if len(chunks) > 1:
            self._check_batch_funds(function, total(rows))
        results: list[TxResult] = []
        opened = self.session.pipeline(progress=progress) if self.session._pipeline is None else nullcontext()
        with opened:
            for number, chunk in enumerate(chunks, start=1):
                call = self.contract.functions[function]([p.to for p in chunk], [to_tiyn(p.amount) for p in chunk])
                results.append(self._send(call, f"{label} chunk {number}/{len(chunks)} ({counted(len(chunk), 'recipient')})"))
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
        return self.session.write(call, description)

    def _fmt(self, amount: Decimal) -> str:
        return format_tenge(amount, self.currency)
