"""Offline payments: signed with no connection, one compact string, every alteration rejected."""

from __future__ import annotations

import base64
from decimal import Decimal

import pytest
from eth_utils import keccak
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from token_world import ADMIN, ALICE, BOB, CAROL, STRANGER, World, rejected

from tenge.errors import InvalidInput, OfflinePaymentError
from tenge.toolchain.anvil import dev_keys
from tenge.token.authorizations import TokenDomain, sign_cancel_authorization
from tenge.token.offline import (
    ENCODED_BYTES,
    PREFIX,
    OfflinePaymentRejected,
    decode_offline_payment,
    parse_offline_payment,
    sign_offline_payment,
)

PAYER, PAYEE, OTHER = dev_keys(3)
DOMAIN = TokenDomain("Digital Tenge", 31337, "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512")
NOW = 1_800_000_000
PAYMENT = sign_offline_payment(PAYER, DOMAIN, to=PAYEE.address, amount="1234.56", now=NOW, nonce=bytes(range(32)))
TEXT = PAYMENT.encode()


def raw(text: str) -> bytes:
    payload = text[len(PREFIX) :]
    return base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))


def text_of(data: bytes) -> str:
    return PREFIX + base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def with_checksum(body: bytes) -> bytes:
    return body + keccak(body)[:4]


def reason(text: str, domain: TokenDomain = DOMAIN) -> str:
    with pytest.raises(OfflinePaymentRejected) as caught:
        decode_offline_payment(text, domain)
    assert isinstance(caught.value, OfflinePaymentError) and isinstance(caught.value, InvalidInput)
    return caught.value.reason


def test_round_trip() -> None:
    decoded = decode_offline_payment(TEXT, DOMAIN)
    assert decoded == PAYMENT
    assert (decoded.payer, decoded.payee, decoded.amount) == (PAYER.address, PAYEE.address, Decimal("1234.56"))
    assert decoded.authorization.valid_before == NOW + 7 * 24 * 3600
    assert decoded.authorization.valid_after == NOW - 300
    assert decoded.nonce == bytes(range(32))


def test_the_string_is_compact_and_copy_paste_safe() -> None:
    assert TEXT.startswith("dtenge1:") and len(TEXT) == len(PREFIX) + 270
    assert set(TEXT[len(PREFIX) :]) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert len(raw(TEXT)) == ENCODED_BYTES
    wrapped = "  " + TEXT[:100] + "\n" + TEXT[100:200] + "\r\n " + TEXT[200:] + "\n"
    assert decode_offline_payment(wrapped, DOMAIN) == PAYMENT


def test_each_signing_picks_a_fresh_random_nonce() -> None:
    first = sign_offline_payment(PAYER, DOMAIN, to=PAYEE.address, amount="1", now=NOW)
    second = sign_offline_payment(PAYER, DOMAIN, to=PAYEE.address, amount="1", now=NOW)
    assert first.nonce != second.nonce and len(first.nonce) == 32


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dtenge2:" + TEXT[len(PREFIX) :], "prefix"),
        (TEXT[len(PREFIX) :], "prefix"),
        (TEXT + "!", "encoding"),
        (TEXT[:-1], "encoding"),
        (TEXT + "AAAA", "length"),
        (text_of(raw(TEXT)[:-4]), "length"),
        (text_of(bytes([2]) + raw(TEXT)[1:]), "version"),
        (text_of(with_checksum(bytes([2]) + raw(TEXT)[1:-4])), "version"),
        (text_of(raw(TEXT)[:-1] + bytes([raw(TEXT)[-1] ^ 1])), "checksum"),
        ("", "prefix"),
    ],
    ids=["prefix", "no-prefix", "bad-char", "truncated-char", "too-long", "too-short", "version", "version-resummed", "checksum", "empty"],
)
def test_malformed_strings_are_rejected(text: str, expected: str) -> None:
    assert reason(text) == expected


def test_a_non_canonical_last_character_is_rejected() -> None:
    # 202 bytes leave 2 spare bits in the last base64 character: changing them must not pass silently.
    last = TEXT[-1]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    sibling = alphabet[alphabet.index(last) ^ 1]
    assert raw(TEXT[:-1] + sibling) == raw(TEXT)  # base64 itself would accept it
    assert reason(TEXT[:-1] + sibling) == "encoding"


def test_wrong_chain_token_and_forged_signatures_are_rejected() -> None:
    assert reason(TEXT, TokenDomain(DOMAIN.name, 56, DOMAIN.verifying_contract)) == "chain"
    assert reason(TEXT, TokenDomain(DOMAIN.name, DOMAIN.chain_id, "0x" + "11" * 20)) == "token"
    assert reason(TEXT, TokenDomain("Digital Som", DOMAIN.chain_id, DOMAIN.verifying_contract)) == "signature"
    body = bytearray(raw(TEXT)[:-4])
    body[29 + 20 : 29 + 40] = bytes.fromhex(OTHER.address[2:])  # payee swapped, checksum recomputed
    assert reason(text_of(with_checksum(bytes(body)))) == "signature"
    forged = sign_offline_payment(OTHER, DOMAIN, to=PAYEE.address, amount="1234.56", now=NOW)
    body = bytearray(raw(forged.encode())[:-4])
    body[29:49] = bytes.fromhex(PAYER.address[2:])  # claims to be from PAYER, signed by OTHER
    assert reason(text_of(with_checksum(bytes(body)))) == "signature"


def test_a_malleable_high_s_signature_is_rejected() -> None:
    n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    body = bytearray(raw(TEXT)[:-4])
    v, s = body[-65], int.from_bytes(body[-32:], "big")
    body[-65], body[-32:] = 55 - v, (n - s).to_bytes(32, "big")  # the other valid (v, s) for the same r
    assert reason(text_of(with_checksum(bytes(body)))) == "signature"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(position=st.integers(0, ENCODED_BYTES - 1), flip=st.integers(1, 255))
def test_any_byte_flip_is_rejected(position: int, flip: int) -> None:
    data = bytearray(raw(TEXT))
    data[position] ^= flip
    with pytest.raises(OfflinePaymentRejected):
        decode_offline_payment(text_of(bytes(data)), DOMAIN)


@settings(max_examples=100, deadline=None)
@given(position=st.integers(1, ENCODED_BYTES - 4 - 65 - 1), flip=st.integers(1, 255))
def test_any_field_change_with_a_fresh_checksum_is_rejected(position: int, flip: int) -> None:
    """An attacker who recomputes the checksum still cannot change a field: the signature binds it."""
    body = bytearray(raw(TEXT)[:-4])
    body[position] ^= flip
    with pytest.raises(OfflinePaymentRejected) as caught:
        decode_offline_payment(text_of(with_checksum(bytes(body))), DOMAIN)
    assert caught.value.reason in ("chain", "token", "signature", "window")


@settings(max_examples=50, deadline=None)
@given(text=st.text(max_size=300))
def test_arbitrary_text_never_decodes_by_accident(text: str) -> None:
    with pytest.raises(OfflinePaymentRejected):
        parse_offline_payment(text)


@settings(max_examples=25, deadline=None)
@given(tiyn=st.integers(1, 2**96 - 1), valid_for=st.integers(1, 10 * 365 * 24 * 3600))
def test_round_trip_any_amount_and_window(tiyn: int, valid_for: int) -> None:
    amount = Decimal(tiyn).scaleb(-2)
    payment = sign_offline_payment(PAYER, DOMAIN, to=PAYEE.address, amount=amount, now=NOW, valid_for_seconds=valid_for)
    decoded = decode_offline_payment(payment.encode(), DOMAIN)
    assert decoded.amount == amount and decoded.authorization.valid_before == NOW + valid_for


def test_bad_signing_input_is_refused() -> None:
    with pytest.raises(InvalidInput, match="greater than zero"):
        sign_offline_payment(PAYER, DOMAIN, to=PAYEE.address, amount="0")
    with pytest.raises(InvalidInput, match="checksum"):
        sign_offline_payment(PAYER, DOMAIN, to="0x" + PAYEE.address[2:].swapcase(), amount="1")
    with pytest.raises(InvalidInput, match="validity must be positive"):
        sign_offline_payment(PAYER, DOMAIN, to=PAYEE.address, amount="1", valid_for_seconds=0)


# --- on chain -------------------------------------------------------------------------------------------


def sign_for(world: World, payer: int, payee: int, amount: str, valid_for_seconds: int = 7 * 24 * 3600) -> str:
    domain = world.token(ADMIN).domain
    return sign_offline_payment(world.suite.keys[payer], domain, to=world.address(payee), amount=amount,
                                now=world.block_time(), valid_for_seconds=valid_for_seconds).encode()  # fmt: skip


def test_a_payee_submits_an_offline_payment_later(world: World) -> None:
    text = sign_for(world, ALICE, BOB, "42.50")
    world.advance_time(3 * 24 * 3600)  # days later, back online
    bob = world.token(BOB)
    bob.submit_offline_payment(text)
    assert bob.balance_of(world.address(BOB)) == Decimal("542.50")
    assert bob.balance_of(world.address(ALICE)) == Decimal("957.50")
    rejected(world, BOB, "AuthorizationAlreadyUsed", lambda: bob.submit_offline_payment(text))


def test_anyone_may_submit_it_but_the_rules_still_apply(world: World) -> None:
    world.token(STRANGER).submit_offline_payment(sign_for(world, ALICE, CAROL, "1"))
    assert world.token(ADMIN).balance_of(world.address(CAROL)) == Decimal("1.00")
    rejected(world, BOB, "ERC20InsufficientBalance", lambda: world.token(BOB).submit_offline_payment(sign_for(world, ALICE, BOB, "1000")))
    rejected(world, BOB, "AccountNotApproved", lambda: world.token(BOB).submit_offline_payment(sign_for(world, ALICE, STRANGER, "1")))


def test_an_expired_offline_payment_is_refused_on_submission(world: World) -> None:
    text = sign_for(world, ALICE, BOB, "5", valid_for_seconds=3600)
    world.advance_time(3601)
    rejected(world, BOB, "AuthorizationExpired", lambda: world.token(BOB).submit_offline_payment(text))


def test_a_tampered_string_never_reaches_the_chain(world: World) -> None:
    text = sign_for(world, ALICE, BOB, "5")
    data = bytearray(raw(text)[:-4])
    data[69 + 15] ^= 0x01  # value's last byte, checksum recomputed
    nonce = world.nonce(BOB)
    with pytest.raises(OfflinePaymentRejected, match="signature"):
        world.token(BOB).submit_offline_payment(text_of(with_checksum(bytes(data))))
    assert world.nonce(BOB) == nonce


def test_the_payer_can_cancel_before_the_payee_submits(world: World) -> None:
    text = sign_for(world, ALICE, BOB, "5")
    payment = world.token(ALICE).decode_offline_payment(text)
    cancel = sign_cancel_authorization(world.suite.keys[ALICE], world.token(ALICE).domain, payment.nonce)
    world.token(ALICE).cancel_authorization(cancel)
    rejected(world, BOB, "AuthorizationAlreadyUsed", lambda: world.token(BOB).submit_offline_payment(text))
