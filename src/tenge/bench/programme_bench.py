"""Our programme and reward rows of the gas benchmark (issue #11); the peers have neither (shown as "—").

- allocation: one ``allocate`` to the 100 benchmark pupils (KYC'd, first vouchers of this programme: each
  balance word goes zero -> nonzero); the figure is the transaction's gas / 100, the total in the detail.
- spend: a pupil (bob) pays the canteen 116.00 from vouchers: purpose, window, daily limit, KYC and freeze
  checks, voucher burn, then ``VatPayments.pay`` with the programme contract as payer (100.00 net to the
  merchant, 16.00 VAT to escrow) - beside the plain VAT payment row. A first spend warms the canteen, the escrow
  and the pupil's daily word, as the plain row's warm-up payment does.
- reward claim: bob's claim signed by the attester, submitted by the relayer (the period already has a claim).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eth_utils.crypto import keccak
from web3.contract import Contract

from tenge.amounts import from_tiyn
from tenge.bench.scenarios import VAT_GROSS, Measurement
from tenge.chain.transactions import SentTransaction
from tenge.contracts import load_artifact
from tenge.programmes.signing import REWARDS_DOMAIN_NAME, ContractDomain, RewardClaim, sign_claim

if TYPE_CHECKING:
    from tenge.bench.our_suite import OursBench

PROGRAMMES_KEY, REWARDS_KEY = "PurposeBoundProgrammes", "RewardPools"
ALLOCATION = 1_000_00
DAILY_LIMIT = 1_200_00
REWARD = 120_00
PERIOD = 20260301
#: A claim's deadline: fixed (a timestamp's four non-zero bytes, like any real one) so the measured gas is exact.
CLAIM_VALID_BEFORE = 2**32 - 1
#: Fixed: the benchmark chain's clock is pinned, so the calldata and gas are the same on every run.
EXPIRY = 4_102_444_800


class ProgrammeBench:
    def __init__(self, bench: "OursBench", programmes: Contract, rewards: Contract, category: int, merchant: int):
        self.bench, self.programmes, self.rewards = bench, programmes, rewards
        self.category, self.merchant = category, merchant

    @classmethod
    def at(cls, bench: "OursBench", record_addresses: dict[str, str], category: int, merchant: int) -> "ProgrammeBench":
        chain = bench.chain
        programmes = chain.at(record_addresses[PROGRAMMES_KEY], load_artifact(PROGRAMMES_KEY))
        rewards = chain.at(record_addresses[REWARDS_KEY], load_artifact(REWARDS_KEY))
        return cls(bench, programmes, rewards, category, merchant)

    def prepare(self) -> None:
        b, cast, admin = self.bench, self.bench.cast, self.bench.admin
        budget_total = ALLOCATION * (len(cast.recipients) + 1)
        b.admit([admin.address], b.suite.config.business_tier)
        b.fund(admin.address, budget_total + 10 * REWARD)
        b.send(admin, b.token.functions.approve(self.programmes.address, budget_total), "approve programmes")
        terms = (1 << self.category, 0, EXPIRY, DAILY_LIMIT, False, keccak(text="bench lunch programme"))
        b.send(admin, self.programmes.functions.createProgramme(terms), "create programme")
        b.send(admin, self.programmes.functions.fund(1, budget_total), "fund programme")
        b.send(admin, self.programmes.functions.allocate(1, [cast.bob.address], [ALLOCATION]), "allocate to bob")
        self._spend(b"bench lunch warm-up")
        b.send(admin, b.token.functions.approve(self.rewards.address, 10 * REWARD), "approve rewards")
        create = self.rewards.functions.createPool(cast.relayer.address, REWARD, 100 * REWARD, keccak(text="steps"))
        b.send(admin, create, "create pool")
        b.send(admin, self.rewards.functions.fund(1, 10 * REWARD), "fund pool")
        self._claim(cast.alice.address)

    def allocate(self) -> Measurement:
        recipients = list(self.bench.cast.recipients)
        call = self.programmes.functions.allocate(1, recipients, [ALLOCATION] * len(recipients))
        sent = self.bench.send(self.bench.admin, call, f"allocate to {len(recipients)}")
        per = (sent.gas_used + len(recipients) // 2) // len(recipients)
        return Measurement(per, sent.tx_hash, {"total_gas": sent.gas_used, "recipients": len(recipients)})

    def spend(self) -> Measurement:
        b, merchant = self.bench, self.bench.cast.merchant.address
        escrow = b.suite.vat_payments.address
        merchant_before, escrow_before = b.balance(merchant), b.balance(escrow)
        sent = self._spend(b"bench lunch 1")
        return Measurement.of(sent, payer_paid=VAT_GROSS, merchant_received=b.balance(merchant) - merchant_before,
                              tax_received=b.balance(escrow) - escrow_before)  # fmt: skip

    def claim(self) -> Measurement:
        return Measurement.of(self._claim(self.bench.cast.bob.address))

    def _spend(self, invoice: bytes) -> SentTransaction:
        call = self.programmes.functions.spend(1, self.merchant, VAT_GROSS, 0, keccak(invoice))
        return self.bench.send(self.bench.cast.bob, call, "programme spend 116.00")

    def _claim(self, beneficiary: str) -> SentTransaction:
        b = self.bench
        domain = ContractDomain(REWARDS_DOMAIN_NAME, int(b.chain.w3.eth.chain_id), self.rewards.address)
        signed = sign_claim(b.cast.relayer, domain, RewardClaim(1, beneficiary, from_tiyn(REWARD), PERIOD, CLAIM_VALID_BEFORE))
        call = self.rewards.functions.claim(signed.claim.as_tuple(), signed.signature.to_bytes())
        return b.send(b.cast.relayer, call, "reward claim")
