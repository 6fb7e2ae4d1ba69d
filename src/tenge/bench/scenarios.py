"""Bring each token to the same state, then measure every operation's exact ``gasUsed``.

Every token gets the same holders and the same sequence of transactions. "Existing" means the account
already holds a nonzero balance (its balance slot goes nonzero -> nonzero); the newcomer is approved where
approval exists but has never held a token. A peer without an operation reports None (shown as "—").
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3.contract import Contract
from web3.contract.contract import ContractFunction

from tenge.bench import operations as ops
from tenge.bench.cast import Cast
from tenge.bench.chain import BenchChain
from tenge.amounts import from_tiyn
from tenge.chain.transactions import SentTransaction
from tenge.token.authorizations import TokenDomain, sign_permit

# Amounts in tiyn (1 tenge = 100 tiyn).
TRANSFER_AMOUNT = 10_00
ALLOWANCE = 1_000_00
PAYOUT_AMOUNT = 1_00
#: The VAT payment: gross 116.00 = 100.00 to the merchant + 16.00 VAT (16%).
VAT_GROSS = 116_00
VAT_NET = 100_00
VAT_AMOUNT = 16_00
#: Allowance the payer gives the payment contract up front (finite: it goes nonzero -> nonzero per payment).
PAYMENT_ALLOWANCE = 1_000_000_00
#: Permit deadline and authorization validBefore: a fixed time (2100-01-01), not "now + x", so the calldata,
#: the signatures and therefore the gas are the same on every run.
SIGNATURE_VALID_BEFORE = 4_102_444_800


@dataclass(frozen=True)
class Measurement:
    """One measured transaction; ``gas`` is what the table shows (per recipient for a batch)."""

    gas: int
    tx_hash: str
    #: Extra exact figures: a batch's total gas and size, a payment's balance movements.
    detail: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, sent: SentTransaction, **detail: int) -> "Measurement":
        return cls(sent.gas_used, sent.tx_hash, dict(detail))


Measurements = dict[str, Measurement | None]


def holder_funding(cast: Cast) -> dict[str, int]:
    """Starting balances (tiyn) of the existing holders, the same on every token."""
    return {
        cast.alice.address: 10_000_00,
        cast.bob.address: 1_000_00,
        cast.budget.address: 100_000_00,
        cast.merchant.address: 100_00,
        cast.tax.address: 100_00,
    }


class TokenBench(ABC):
    """One token under measurement. Subclasses say how accounts are admitted and funded on it."""

    column: ops.Column

    def __init__(self, chain: BenchChain, cast: Cast, token: Contract) -> None:
        self.chain = chain
        self.cast = cast
        self.token = token

    # --- preparing ----------------------------------------------------------------------------------

    @abstractmethod
    def admit(self, accounts: Sequence[str]) -> None:
        """Let ``accounts`` hold and move the token (KYC), where the token has such a rule."""

    @abstractmethod
    def fund(self, holder: str, amount: int) -> None:
        """Give ``holder`` ``amount`` tiyn, the token's ordinary way (mint or transfer)."""

    def prepare(self) -> None:
        cast = self.cast
        self.admit([*holder_funding(cast), cast.newcomer])
        for holder, amount in holder_funding(cast).items():
            self.fund(holder, amount)

    # --- measuring ------------------------------------------------------------------------------------

    def measure(self) -> Measurements:
        """Every operation in the table's order (the order matters: each leaves the state the next expects)."""
        measures: dict[str, Callable[[], Measurement | None]] = {
            ops.TRANSFER_EXISTING.key: self.transfer_existing,
            ops.TRANSFER_NEW.key: self.transfer_new_holder,
            ops.APPROVE.key: self.approve,
            ops.TRANSFER_FROM.key: self.transfer_from,
            ops.PERMIT.key: self.permit,
            ops.TRANSFER_WITH_AUTHORIZATION.key: self.transfer_with_authorization,
            ops.MINT.key: self.mint,
            ops.MINT_RESERVE_GATED.key: self.mint_reserve_gated,
            ops.BATCH_PAYOUT.key: self.batch_payout,
            ops.VAT_PAYMENT_PAGE_FIRST.key: self.vat_payment_page_first,
            ops.VAT_PAYMENT.key: self.vat_payment,
            ops.VAT_PAYMENT_BY_REFERENCE.key: self.vat_payment_by_reference,
            ops.PROGRAMME_ALLOCATE.key: self.programme_allocate,
            ops.PROGRAMME_SPEND.key: self.programme_spend,
            ops.REWARD_CLAIM.key: self.reward_claim,
        }
        results = {key: measure() for key, measure in measures.items()}
        results.update(self.bridge())
        return {op.key: results.get(op.key) for op in ops.OPERATIONS}

    def bridge(self) -> Measurements:
        """The bridge rows (only our suite has a bridge)."""
        return {}

    def send(self, account: LocalAccount, call: ContractFunction, what: str) -> SentTransaction:
        return self.chain.send(account, call, f"{self.column.key}: {what}")

    def balance(self, account: str) -> int:
        return int(self.token.functions.balanceOf(account).call())

    def domain(self) -> TokenDomain:
        """The token's EIP-712 domain as it reports it (ERC-5267 ``eip712Domain()``): one signer serves every peer."""
        _fields, name, version, chain_id, verifying_contract, _salt, _extensions = (
            self.token.functions.eip712Domain().call()
        )
        return TokenDomain(name, int(chain_id), verifying_contract, version)

    def transfer_existing(self) -> Measurement | None:
        call = self.token.functions.transfer(self.cast.bob.address, TRANSFER_AMOUNT)
        return Measurement.of(self.send(self.cast.alice, call, "transfer alice -> bob"))

    def transfer_new_holder(self) -> Measurement | None:
        call = self.token.functions.transfer(self.cast.newcomer, TRANSFER_AMOUNT)
        return Measurement.of(self.send(self.cast.alice, call, "transfer alice -> newcomer"))

    def approve(self) -> Measurement | None:
        call = self.token.functions.approve(self.cast.spender.address, ALLOWANCE)
        return Measurement.of(self.send(self.cast.alice, call, "approve spender"))

    def transfer_from(self) -> Measurement | None:
        call = self.token.functions.transferFrom(self.cast.alice.address, self.cast.bob.address, TRANSFER_AMOUNT)
        return Measurement.of(self.send(self.cast.spender, call, "transferFrom alice -> bob"))

    def permit(self) -> Measurement | None:
        owner, spender = self.cast.alice, self.cast.permit_spender
        nonce = self.token.functions.nonces(owner.address).call()
        # The SDK signs tenge; from_tiyn(n) converts back to exactly n base units on every token.
        signature = sign_permit(
            owner,
            self.domain(),
            spender=spender.address,
            value=from_tiyn(ALLOWANCE),
            nonce=nonce,
            deadline=SIGNATURE_VALID_BEFORE,
        ).signature
        call = self.token.functions.permit(
            owner.address, spender.address, ALLOWANCE, SIGNATURE_VALID_BEFORE, signature.v, signature.r, signature.s
        )
        return Measurement.of(self.send(spender, call, "permit (alice's first)"))

    def transfer_with_authorization(self) -> Measurement | None:
        return None

    def mint(self) -> Measurement | None:
        return None

    def mint_reserve_gated(self) -> Measurement | None:
        return None

    def batch_payout(self) -> Measurement | None:
        return None

    @abstractmethod
    def vat_payment(self) -> Measurement | None:
        """Pay the merchant 116.00 gross: 100.00 to the merchant, 16.00 to the tax side, in one transaction."""

    def vat_payment_page_first(self) -> Measurement | None:
        return None

    def vat_payment_by_reference(self) -> Measurement | None:
        return None

    def programme_allocate(self) -> Measurement | None:
        return None

    def programme_spend(self) -> Measurement | None:
        return None

    def reward_claim(self) -> Measurement | None:
        return None


class FeeProxyPayments:
    """VAT as the peers do it: Request Network's ERC20FeeProxy splitting one payment into amount + fee."""

    def __init__(self, bench: TokenBench, fee_proxy: Contract) -> None:
        self.bench = bench
        self.fee_proxy = fee_proxy

    def prepare(self) -> None:
        bench = self.bench
        call = bench.token.functions.approve(self.fee_proxy.address, PAYMENT_ALLOWANCE)
        bench.send(bench.cast.alice, call, "alice approves ERC20FeeProxy")

    def pay(self) -> Measurement:
        bench, cast = self.bench, self.bench.cast
        merchant, fee_address = cast.merchant.address, cast.tax.address
        merchant_before, fee_before = bench.balance(merchant), bench.balance(fee_address)
        payer_before = bench.balance(cast.alice.address)
        # Request's payment references are 8 bytes (the tail of a hash of request id, salt and address).
        reference = keccak(text="bench invoice 1")[-8:]
        call = self.fee_proxy.functions.transferFromWithReferenceAndFee(
            bench.token.address, merchant, VAT_NET, reference, VAT_AMOUNT, fee_address
        )
        sent = bench.send(cast.alice, call, "ERC20FeeProxy 116.00 = 100.00 + 16.00 fee")
        return Measurement.of(
            sent,
            payer_paid=payer_before - bench.balance(cast.alice.address),
            merchant_received=bench.balance(merchant) - merchant_before,
            tax_received=bench.balance(fee_address) - fee_before,
        )


class PlainBench(TokenBench):
    """An OpenZeppelin ERC20 without rules (with or without a proxy): the peer admin holds the supply and hands it out."""

    def __init__(self, chain: BenchChain, cast: Cast, token: Contract, fee_proxy: Contract, column: ops.Column):
        super().__init__(chain, cast, token)
        self.column = column
        self.payments = FeeProxyPayments(self, fee_proxy)

    def admit(self, accounts: Sequence[str]) -> None:
        """No rule: anyone holds it."""

    def fund(self, holder: str, amount: int) -> None:
        self.send(self.cast.peer_admin, self.token.functions.transfer(holder, amount), "fund holder")

    def prepare(self) -> None:
        super().prepare()
        self.payments.prepare()

    def vat_payment(self) -> Measurement | None:
        return self.payments.pay()


class NaiveBench(TokenBench):
    """The naive permissioned token: KYC and frozen mappings, a minter role, minting to fund holders."""

    column = ops.NAIVE

    def __init__(self, chain: BenchChain, cast: Cast, token: Contract, fee_proxy: Contract) -> None:
        super().__init__(chain, cast, token)
        self.payments = FeeProxyPayments(self, fee_proxy)

    def admit(self, accounts: Sequence[str]) -> None:
        for account in accounts:
            self.send(self.cast.peer_admin, self.token.functions.setKyc(account, True), "KYC")

    def fund(self, holder: str, amount: int) -> None:
        self.send(self.cast.peer_admin, self.token.functions.mint(holder, amount), "fund holder")

    def prepare(self) -> None:
        minter_role = self.token.functions.MINTER_ROLE().call()
        self.send(self.cast.peer_admin, self.token.functions.grantRole(minter_role, self.cast.bank.address), "bank role")
        super().prepare()
        self.payments.prepare()

    def mint(self) -> Measurement | None:
        call = self.token.functions.mint(self.cast.bob.address, TRANSFER_AMOUNT)
        return Measurement.of(self.send(self.cast.bank, call, "bank mints to bob"))

    def vat_payment(self) -> Measurement | None:
        return self.payments.pay()
