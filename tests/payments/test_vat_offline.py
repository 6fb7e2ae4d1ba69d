"""Offline VAT payments: signed with no connection as one ``dtvat1:`` string, submitted later by the
merchant (or anyone), bound to merchant, category and invoice; any tampering is refused before sending."""

from __future__ import annotations

import base64
import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from vat_world import ADMIN, ALICE, COURIER, PHARMACY_ID, SHOP, SHOP_ID, World, hex32, refused, rejected

from tenge.payments.client import VAT_KEY
from tenge.payments.ids import authorization_nonce
from tenge.payments.invoices import invoice_ref
from tenge.payments.offline import (
    ENCODED_BYTES,
    PREFIX,
    OfflineVatPayment,
    decode_offline_vat_payment,
    parse_offline_vat_payment,
    sign_offline_vat_payment,
)
from tenge.token.offline import OfflinePaymentRejected, domain_from_record

DAY = 86_400


def sign(
    world: World,
    gross: str = "1160.00",
    invoice: str = "R-OFF-1",
    *,
    now: int | None = None,
    category: int = 0,
    valid_for_seconds: int = 7 * DAY,
) -> str:
    """ALICE signs with nothing but the deployment record and her key: no connection."""
    record = world.suite.session(ADMIN).record
    payment = sign_offline_vat_payment(
        world.suite.keys[ALICE], domain_from_record(record), vat_payments=record.address(VAT_KEY),
        merchant=SHOP_ID, gross=gross, invoice_ref=invoice_ref(invoice), category=category,
        valid_for_seconds=valid_for_seconds, now=world.block_time() if now is None else now,
    )  # fmt: skip
    return payment.encode()


def tampered(text: str, **changes: Any) -> str:
    """The string re-encoded (valid checksum) with fields changed but the payer's signature kept."""
    payment = parse_offline_vat_payment(text)
    auth_changes = {k: changes.pop(k) for k in ("value", "valid_before") if k in changes}
    if auth_changes:
        authorization = dataclasses.replace(payment.authorization, **auth_changes)
        changes["signed"] = dataclasses.replace(payment.signed, authorization=authorization)
    return dataclasses.replace(payment, **changes).encode()


def test_sign_offline_then_the_merchant_submits(world: World) -> None:
    text = sign(world)
    assert text.startswith(PREFIX) and len(text) == len(PREFIX) + (ENCODED_BYTES * 4 + 2) // 3
    shown = parse_offline_vat_payment(text).to_dict()
    assert {k: shown[k] for k in ("payer", "merchantId", "categoryId", "invoiceRef", "gross")} == {
        "payer": world.address(ALICE), "merchantId": SHOP_ID, "categoryId": 0, "invoiceRef": "R-OFF-1",
        "gross": Decimal("1160.00"),
    }  # fmt: skip
    alice_before = world.balance(ALICE)
    receipt = world.vat(SHOP).submit_offline_payment(text)
    assert (receipt.payer, receipt.net, receipt.vat, receipt.rate_bps) == (
        world.address(ALICE), Decimal("1000.00"), Decimal("160.00"), 1600,
    )  # fmt: skip
    assert hex32(receipt.payment_id) == shown["paymentId"]
    assert world.balance(ALICE) == alice_before - Decimal("1160.00")
    assert world.balance(SHOP) == Decimal("1000.00")
    # Submitting the same string again cannot charge twice.
    rejected(world, SHOP, "PaymentAlreadyExists", lambda: world.vat(SHOP).submit_offline_payment(text),
             paymentId=hex32(receipt.payment_id))  # fmt: skip


def test_anyone_may_submit_and_the_string_survives_line_breaks(world: World) -> None:
    text = sign(world, "50.00", "R-OFF-2", category=4)
    wrapped = "\n".join(text[i : i + 60] for i in range(0, len(text), 60))
    receipt = world.vat(COURIER).submit_offline_payment(wrapped)
    assert (receipt.payer, receipt.category_id, receipt.vat) == (world.address(ALICE), 4, 0)
    assert world.balance(COURIER) == 0


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"merchant_id": PHARMACY_ID}, "signature"),
        ({"category_id": 3}, "signature"),
        ({"invoice_ref": invoice_ref("R-OFF-9")}, "signature"),
        ({"value": Decimal("1.00")}, "signature"),
        ({"valid_before": 2**40}, "signature"),
        ({"chain_id": 56}, "chain"),
    ],
)
def test_a_tampered_string_is_refused_before_sending(world: World, change: dict[str, Any], reason: str) -> None:
    forged = tampered(sign(world), **change)
    caught = refused(world, SHOP, OfflinePaymentRejected, lambda: world.vat(SHOP).submit_offline_payment(forged))
    assert caught.reason == reason  # type: ignore[attr-defined]
    assert world.balance(SHOP) == 0


def test_a_mistyped_string_is_refused_by_its_checksum_and_structure(world: World) -> None:
    text = sign(world)
    payload = text[len(PREFIX) :]
    flipped = PREFIX + payload[:100] + ("A" if payload[100] != "A" else "B") + payload[101:]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    short = PREFIX + base64.urlsafe_b64encode(raw[:-3]).decode().rstrip("=")
    cases = {
        flipped: "checksum",
        short: "length",
        "dtenge1:" + payload: "prefix",
        text + "!": "encoding",
    }
    for bad, reason in cases.items():
        with pytest.raises(OfflinePaymentRejected) as caught:
            parse_offline_vat_payment(bad)
        assert caught.value.reason == reason, (reason, str(caught.value))


def test_a_string_for_another_contract_is_refused(world: World) -> None:
    text = sign(world)
    domain = world.vat(SHOP).token.domain
    with pytest.raises(OfflinePaymentRejected) as caught:
        decode_offline_vat_payment(text, domain, world.address(ADMIN))
    assert caught.value.reason == "contract"


def test_the_signature_binds_merchant_and_invoice_even_when_submitted_by_hand(world: World) -> None:
    """A submitter who skips the SDK's checks and redirects the payment to another merchant meets the
    token's signature check: the nonce it derives no longer matches the signed one."""
    payment: OfflineVatPayment = parse_offline_vat_payment(sign(world))
    auth, sig = payment.authorization, payment.signed.signature
    vat = world.vat(COURIER)
    assert auth.nonce == authorization_nonce(vat.address, SHOP_ID, 0, payment.invoice_ref)
    redirected = vat.contract.functions.payWithAuthorization(
        auth.from_address, PHARMACY_ID, auth.value_tiyn, 0, payment.invoice_ref,
        auth.valid_after, auth.valid_before, sig.v, sig.r, sig.s,
    )  # fmt: skip
    rejected(world, COURIER, "AuthorizationInvalidSignature",
             lambda: vat.session.signer.send(redirected, description="redirected offline payment"))  # fmt: skip


def test_an_expired_authorization_is_refused_by_the_token(world: World) -> None:
    now = world.block_time()
    text = sign(world, now=now - 8 * DAY, valid_for_seconds=7 * DAY)
    rejected(world, SHOP, "AuthorizationExpired", lambda: world.vat(SHOP).submit_offline_payment(text),
             validBefore=now - DAY)  # fmt: skip
