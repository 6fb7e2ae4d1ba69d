"""Our side of the benchmark: the suite deployed by its real deploy plan, and how it is prepared and measured.

The token goes through :func:`tenge.deploy.suite.suite_plan` and the :class:`~tenge.deploy.deployer.Deployer`
(proxy, initializer, roles, tier caps), with a throw-away deployment record. Our token keeps every check live:
holders are KYC'd on a capped tier (the cap is checked on each credit), freeze and pause are checked on each move.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3.contract import Contract

from tenge.bench import operations as ops
from tenge.bench.bridge import BridgeBench
from tenge.bench.cast import Cast
from tenge.bench.chain import BenchChain
from tenge.bench.programme_bench import ProgrammeBench
from tenge.bench.scenarios import (
    PAYMENT_ALLOWANCE,
    PAYOUT_AMOUNT,
    SIGNATURE_VALID_BEFORE,
    TRANSFER_AMOUNT,
    VAT_GROSS,
    Measurement,
    TokenBench,
    holder_funding,
)
from tenge.amounts import from_tiyn
from tenge.contracts import load_artifact
from tenge.deploy.deployer import Deployer
from tenge.deploy.record import DeploymentRecord
from tenge.deploy.suite import TOKEN, VAT, suite_plan
from tenge.deploy.suite_config import SuiteConfig, load_suite_config
from tenge.errors import TengeError
from tenge.token.authorizations import sign_transfer_authorization

#: Individuals (alice, bob, pupils, the newcomer) sit on a capped tier, so the cap check really runs.
PERSONAL_TIER = 1
#: The bank's mint allowance, set by the issuer.
BANK_MINT_ALLOWANCE = 10_000_000_000_00
#: VAT: the shipped schedule's standard category (16% from 1 January 2026; the bench chain's clock is pinned
#: after that date), and the merchant's id in the registry.
STANDARD_CATEGORY = 1
MERCHANT_ID = 1
TRANSFER_WITH_AUTHORIZATION_VRS = (
    "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)"
)


@dataclass(frozen=True)
class OurSuite:
    config: SuiteConfig
    #: DigitalTenge, addressed at its proxy.
    token: Contract
    vat_payments: Contract
    #: Record key -> address of everything the plan deployed (programmes and rewards among them).
    addresses: dict[str, str]


def bench_suite_config(cast: Cast) -> SuiteConfig:
    """The local suite configuration (tier caps, VAT rate schedule ... as shipped), with the roles the benchmark
    relies on held where it expects them and the tax account as VAT treasury."""
    config = load_suite_config("local")
    roles = {role: ["deployer"] for role in config.roles}
    roles["MINTER_ROLE"] = [cast.bank.address]
    vat_roles = {role: ["deployer"] for role in config.vat.roles}
    vat = replace(config.vat, treasury=cast.tax.address, roles=vat_roles)
    return replace(config, roles=roles, reserve_gated=False, vat=vat)


def deploy_our_suite(chain: BenchChain, cast: Cast) -> OurSuite:
    """Token proxy, roles, tier caps and VatPayments (rates, treasury, escrow tier) by the suite's deploy plan."""
    config = bench_suite_config(cast)
    sender = chain.sender(cast.admin)
    with tempfile.TemporaryDirectory(prefix="tenge-bench-") as scratch:
        record = DeploymentRecord(chain.network.name, chain.w3.eth.chain_id, path=Path(scratch) / "bench.json")
        Deployer(sender, record).run(suite_plan(config, cast.admin.address))
    token = chain.at(record.address(TOKEN), load_artifact("DigitalTenge"))
    vat_payments = chain.at(record.address(VAT), load_artifact("VatPayments"))
    addresses = {key: str(entry["address"]) for key, entry in record.contracts.items() if entry.get("address")}
    return OurSuite(config, token, vat_payments, addresses)


class OursBench(TokenBench):
    """DigitalTenge behind its proxy, every check live, and VatPayments on top of it."""

    column = ops.OURS

    def __init__(self, chain: BenchChain, cast: Cast, suite: OurSuite) -> None:
        super().__init__(chain, cast, suite.token)
        self.suite = suite

    @property
    def admin(self) -> LocalAccount:
        return self.cast.admin

    def admit(self, accounts: Sequence[str], tier: int = PERSONAL_TIER) -> None:
        for account in accounts:
            self.send(self.admin, self.token.functions.setTier(account, tier), "KYC tier")

    def fund(self, holder: str, amount: int) -> None:
        self.send(self.cast.bank, self.token.functions.mint(holder, amount), "bank funds holder")

    def prepare(self) -> None:
        cast, token = self.cast, self.token
        cap = int(token.functions.tierCap(PERSONAL_TIER).call())
        if cap == 0 or cap == 2**256 - 1:
            raise TengeError(
                f"bench: tier {PERSONAL_TIER} must have a finite, nonzero holding cap so the cap check is live "
                f"on every credit (the suite configuration gives it {cap})"
            )
        self.send(self.admin, token.functions.setMinterAllowance(cast.bank.address, BANK_MINT_ALLOWANCE), "allowance")
        business = [cast.budget.address, cast.merchant.address, cast.tax.address]
        self.admit(business, self.suite.config.business_tier)
        # The spender too: transferFrom requires an approved, unfrozen spender (a sanctioned one cannot spend).
        self.admit([cast.alice.address, cast.bob.address, cast.newcomer, cast.spender.address])
        for holder, amount in holder_funding(cast).items():
            self.fund(holder, amount)
        self.admit(cast.recipients)
        recipients = list(cast.recipients)
        self.send(cast.bank, token.functions.batchMint(recipients, [PAYOUT_AMOUNT] * len(recipients)), "pupils")
        self._prepare_vat()

    def _prepare_vat(self) -> None:
        cast, payments = self.cast, self.suite.vat_payments
        self.send(
            self.admin,
            payments.functions.registerMerchant(MERCHANT_ID, cast.merchant.address, True, STANDARD_CATEGORY),
            "VAT: merchant",
        )
        self.send(cast.alice, self.token.functions.approve(payments.address, PAYMENT_ALLOWANCE), "approve VAT")
        # A first payment, so the escrow is an existing holder like the peers' fee address.
        self._pay(b"bench warm-up invoice")
        self._programmes = ProgrammeBench.at(self, self.suite.addresses, STANDARD_CATEGORY, MERCHANT_ID)
        self._programmes.prepare()

    def _pay(self, invoice: bytes, invoice_no: int | None = None) -> Measurement:
        """Alice pays the merchant 116.00: by reference (``pay``) or, with ``invoice_no``, from its invoice book."""
        payments, cast = self.suite.vat_payments, self.cast
        merchant_before = self.balance(cast.merchant.address)
        escrow_before = self.balance(payments.address)
        payer_before = self.balance(cast.alice.address)
        if invoice_no is None:
            call = payments.functions.pay(MERCHANT_ID, VAT_GROSS, 0, keccak(invoice))
        else:
            call = payments.functions.payInvoice(MERCHANT_ID, invoice_no, VAT_GROSS, 0, keccak(invoice))
        sent = self.send(cast.alice, call, "VAT payment 116.00")
        return Measurement.of(
            sent,
            payer_paid=payer_before - self.balance(cast.alice.address),
            merchant_received=self.balance(cast.merchant.address) - merchant_before,
            tax_received=self.balance(payments.address) - escrow_before,
        )

    def transfer_with_authorization(self) -> Measurement | None:
        signer, to = self.cast.alice, self.cast.bob.address
        valid_before = SIGNATURE_VALID_BEFORE
        nonce = keccak(text="bench authorization 1")
        signature = sign_transfer_authorization(
            signer,
            self.domain(),
            to=to,
            value=from_tiyn(TRANSFER_AMOUNT),
            valid_after=0,
            valid_before=valid_before,
            nonce=nonce,
        ).signature
        call = self.token.get_function_by_signature(TRANSFER_WITH_AUTHORIZATION_VRS)(
            signer.address, to, TRANSFER_AMOUNT, 0, valid_before, nonce, signature.v, signature.r, signature.s
        )
        return Measurement.of(self.send(self.cast.relayer, call, "transferWithAuthorization alice -> bob"))

    def mint(self) -> Measurement | None:
        call = self.token.functions.mint(self.cast.bob.address, TRANSFER_AMOUNT)
        return Measurement.of(self.send(self.cast.bank, call, "bank mints to bob"))

    def mint_reserve_gated(self) -> Measurement | None:
        token, admin = self.token, self.admin
        max_age = self.suite.config.max_attestation_age
        self.send(admin, token.functions.setReserveGating(True, max_age), "reserve gating on")
        reserve = 2 * int(token.functions.totalSupply().call())
        self.send(admin, token.functions.attestReserve(reserve, self.chain.block_timestamp()), "attest reserve")
        call = token.functions.mint(self.cast.bob.address, TRANSFER_AMOUNT)
        return Measurement.of(self.send(self.cast.bank, call, "bank mints to bob, reserve-gated"))

    def batch_payout(self) -> Measurement | None:
        recipients = list(self.cast.recipients)
        call = self.token.functions.batchTransfer(recipients, [PAYOUT_AMOUNT] * len(recipients))
        sent = self.send(self.cast.budget, call, f"batch payout to {len(recipients)}")
        per_recipient = (sent.gas_used + len(recipients) // 2) // len(recipients)
        return Measurement(per_recipient, sent.tx_hash, {"total_gas": sent.gas_used, "recipients": len(recipients)})

    def vat_payment_page_first(self) -> Measurement | None:
        return self._pay(b"bench invoice 1", invoice_no=1)

    def vat_payment(self) -> Measurement | None:
        return self._pay(b"bench invoice 2", invoice_no=2)

    def vat_payment_by_reference(self) -> Measurement | None:
        return self._pay(b"bench invoice 3")

    def bridge(self) -> dict[str, Measurement | None]:
        bench = BridgeBench(self.chain, self.cast, self.suite.config, self.token)
        bench.prepare()
        return bench.measure()
    def programme_allocate(self) -> Measurement | None:
        return self._programmes.allocate()

    def programme_spend(self) -> Measurement | None:
        return self._programmes.spend()

    def reward_claim(self) -> Measurement | None:
        return self._programmes.claim()
