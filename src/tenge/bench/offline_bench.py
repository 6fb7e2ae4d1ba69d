"""Our offline-purse row of the gas benchmark (issue 22): ``settleBatch`` of 100 payments, per payment.

The worst case for storage: 100 payments from 100 different purses (every purse's key and ledger words cold), to
the VAT-registered benchmark merchant (the VAT share goes to the VatPayments escrow: two token transfers per
batch). The figure is the transaction's gas / 100 (the total in the detail); its peer is one plain token transfer
(alice -> bob) in the same run. Target: 25,000 gas per payment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eth_account import Account
from eth_utils.crypto import keccak

from tenge.bench.scenarios import Measurement
from tenge.contracts import load_artifact
from tenge.offline.purses import compact_signature
from tenge.offline.types import OfflinePayment, PurseCertificate, PurseDomain, sign_certificate, sign_digest

if TYPE_CHECKING:
    from tenge.bench.our_suite import OursBench

PURSES_KEY = "OfflinePurses"
BATCH = 100
PURSE_AMOUNT = 10_00
#: Fixed, so the calldata (and the gas) is the same on every run: the bench chain's clock is pinned before it.
EXPIRY = 4_102_444_800
PAYMENT_TIME = 4_000_000_000


def measure_offline_settle(bench: "OursBench") -> Measurement | None:
    from tenge.bench.our_suite import MERCHANT_ID

    chain, cast, admin = bench.chain, bench.cast, bench.admin
    address = bench.suite.addresses.get(PURSES_KEY)
    if address is None:
        return None
    purses = chain.at(address, load_artifact(PURSES_KEY))
    holder = cast.budget
    bench.admit([holder.address], bench.suite.config.business_tier)
    bench.fund(holder.address, PURSE_AMOUNT * BATCH)
    bench.send(admin, purses.functions.setBankLimits(admin.address, PURSE_AMOUNT, 2**39, BATCH, 1), "bank limits")
    bench.send(holder, bench.token.functions.approve(purses.address, PURSE_AMOUNT * BATCH), "approve purses")
    domain = PurseDomain(int(chain.w3.eth.chain_id), purses.address)
    payments = []
    for i in range(BATCH):
        device = Account.from_key(keccak(text=f"bench offline device {i}"))
        purse_id = keccak(text=f"bench offline purse {i}")
        signed = sign_certificate(PurseCertificate(purse_id, device.address, PURSE_AMOUNT, EXPIRY, admin.address),
                                  domain, bytes(admin.key))  # fmt: skip
        c = signed.certificate
        bench.send(holder, purses.functions.openPurse((c.purse_id, c.device, c.amount, c.expiry, c.bank),
                                                      signed.signature), "open purse")  # fmt: skip
        payment = OfflinePayment(purse_id, 1, PURSE_AMOUNT, PURSE_AMOUNT, cast.merchant.address,
                                 keccak(text=f"bench offline invoice {i}"), PAYMENT_TIME)  # fmt: skip
        r, vs = compact_signature(sign_digest(payment.digest(domain), bytes(device.key)))
        payments.append((purse_id, 1, PURSE_AMOUNT, PURSE_AMOUNT, payment.invoice, PAYMENT_TIME, r, vs))
    sent = bench.send(cast.relayer, purses.functions.settleBatch(MERCHANT_ID, payments), "settle 100 payments")
    return Measurement(sent.gas_used // BATCH, sent.tx_hash, {"total": sent.gas_used, "payments": BATCH})


def measure_plain_transfer(bench: "OursBench") -> Measurement | None:
    sent = bench.send(bench.cast.alice, bench.token.functions.transfer(bench.cast.bob.address, 1_00), "transfer")
    return Measurement.of(sent)
