"""EIP-2612 permits and EIP-3009 transfer / receive / cancel authorizations, signed by the SDK."""

from __future__ import annotations

from decimal import Decimal

import pytest
from token_world import ADMIN, ALICE, BOB, CAROL, MERCHANT, STRANGER, World, events, rejected

from tenge.errors import InvalidInput
from tenge.token.authorizations import (
    SignedAuthorization,
    TokenDomain,
    TransferAuthorization,
    random_nonce,
    sign_cancel_authorization,
    sign_permit,
    sign_transfer_authorization,
)


def authorize(world: World, payer: int, payee: int, value: str, *, kind: str = "transfer", **window: int) -> SignedAuthorization:
    now = world.block_time()
    return sign_transfer_authorization(
        world.suite.keys[payer], world.token(ADMIN).domain, to=world.address(payee), value=value,
        valid_after=window.get("valid_after", now - 60), valid_before=window.get("valid_before", now + 3600),
        kind=kind,  # type: ignore[arg-type]
    )  # fmt: skip


def test_the_sdk_domain_is_the_contracts(world: World) -> None:
    token = world.token(ADMIN)
    assert token.domain.separator() == bytes(token.contract.functions.DOMAIN_SEPARATOR().call())
    other = TokenDomain("Digital Som", token.domain.chain_id, token.address)
    assert other.separator() != token.domain.separator()


def test_a_permit_approves_and_bumps_the_nonce(world: World) -> None:
    bob = world.token(BOB)  # Bob pays the gas; Alice only signs
    result = bob.permit(world.suite.keys[ALICE], world.address(BOB), "250.50")
    assert bob.allowance(world.address(ALICE), world.address(BOB)) == Decimal("250.50")
    assert bob.permit_nonce(world.address(ALICE)) == 1
    assert events(bob, result, "Approval")[0]["value"] == 25050
    bob.transfer_from(world.address(ALICE), world.address(MERCHANT), "250.50")
    assert bob.balance_of(world.address(MERCHANT)) == Decimal("250.50")
    rejected(
        world, BOB, "ERC20InsufficientAllowance",
        lambda: bob.transfer_from(world.address(ALICE), world.address(MERCHANT), "0.01"),
        spender=world.address(BOB), allowance=0, needed=1,
    )  # fmt: skip


def test_expired_forged_and_replayed_permits_are_refused(world: World) -> None:
    bob, alice_key = world.token(BOB), world.suite.keys[ALICE]
    now = world.block_time()
    expired = sign_permit(alice_key, bob.domain, spender=bob.me, value="1", nonce=0, deadline=now - 1)
    rejected(world, BOB, "ERC2612ExpiredSignature", lambda: bob.submit_permit(expired), deadline=now - 1)
    forged = sign_permit(world.suite.keys[CAROL], bob.domain, spender=bob.me, value="1", nonce=0, deadline=now + 600)
    claimed = type(forged.permit)(world.address(ALICE), bob.me, Decimal("1.00"), 0, now + 600)
    rejected(
        world, BOB, "ERC2612InvalidSigner", lambda: bob.submit_permit(type(forged)(claimed, forged.signature)),
        owner=world.address(ALICE),
    )  # fmt: skip  (the signer recovered over Alice's claimed digest is some unrelated address)
    good = sign_permit(alice_key, bob.domain, spender=bob.me, value="1", nonce=0, deadline=now + 600)
    bob.submit_permit(good)
    rejected(world, BOB, "ERC2612InvalidSigner", lambda: bob.submit_permit(good), owner=world.address(ALICE))


def test_permits_work_while_paused(world: World) -> None:
    world.token(ADMIN).pause()
    world.token(BOB).permit(world.suite.keys[ALICE], world.address(BOB), "5")
    assert world.token(BOB).allowance(world.address(ALICE), world.address(BOB)) == Decimal("5.00")


def test_transfer_with_authorization_is_submitted_by_anyone_once(world: World) -> None:
    signed = authorize(world, ALICE, BOB, "12.34")
    submitter = world.token(STRANGER)  # unapproved, no roles: only pays gas
    result = submitter.submit_authorization(signed)
    assert submitter.balance_of(world.address(BOB)) == Decimal("512.34")
    assert submitter.authorization_state(world.address(ALICE), signed.authorization.nonce)
    assert events(submitter, result, "AuthorizationUsed") == [
        {"authorizer": world.address(ALICE), "nonce": signed.authorization.nonce}
    ]
    rejected(
        world, STRANGER, "AuthorizationAlreadyUsed", lambda: submitter.submit_authorization(signed),
        authorizer=world.address(ALICE), nonce="0x" + signed.authorization.nonce.hex(),
    )  # fmt: skip


def test_authorizations_outside_their_window_are_refused(world: World) -> None:
    now = world.block_time()
    early = authorize(world, ALICE, BOB, "1", valid_after=now + 600, valid_before=now + 3600)
    rejected(world, BOB, "AuthorizationNotYetValid", lambda: world.token(BOB).submit_authorization(early), validAfter=now + 600)
    late = authorize(world, ALICE, BOB, "1", valid_after=0, valid_before=now - 1)
    rejected(world, BOB, "AuthorizationExpired", lambda: world.token(BOB).submit_authorization(late), validBefore=now - 1)
    world.advance_time(601)
    world.token(BOB).submit_authorization(early)


def test_a_tampered_authorization_is_refused(world: World) -> None:
    signed = authorize(world, ALICE, BOB, "1")
    a = signed.authorization
    raised = TransferAuthorization(a.kind, a.from_address, a.to, Decimal("900.00"), a.valid_after, a.valid_before, a.nonce)
    redirected = TransferAuthorization(a.kind, a.from_address, world.address(CAROL), a.value, a.valid_after, a.valid_before, a.nonce)
    for authorization in (raised, redirected):
        rejected(
            world, BOB, "AuthorizationInvalidSignature",
            lambda: world.token(BOB).submit_authorization(SignedAuthorization(authorization, signed.signature)),
            authorizer=world.address(ALICE),
        )  # fmt: skip


def test_an_authorized_transfer_obeys_every_token_rule(world: World) -> None:
    signed = authorize(world, ALICE, STRANGER, "1")
    rejected(world, BOB, "AccountNotApproved", lambda: world.token(BOB).submit_authorization(signed))
    world.token(ADMIN).freeze(world.address(ALICE), "999.50")
    signed = authorize(world, ALICE, BOB, "1")
    rejected(world, BOB, "InsufficientSpendableBalance", lambda: world.token(BOB).submit_authorization(signed))


def test_receive_with_authorization_only_from_the_payee(world: World) -> None:
    signed = authorize(world, ALICE, BOB, "3", kind="receive")
    rejected(
        world, CAROL, "AuthorizationCallerNotPayee", lambda: world.token(CAROL).submit_authorization(signed),
        caller=world.address(CAROL), payee=world.address(BOB),
    )  # fmt: skip
    world.token(BOB).submit_authorization(signed)
    assert world.token(BOB).balance_of(world.address(BOB)) == Decimal("503.00")


def test_a_receive_signature_is_not_a_transfer_signature(world: World) -> None:
    signed = authorize(world, ALICE, BOB, "3", kind="receive")
    a = signed.authorization
    as_transfer = TransferAuthorization("transfer", a.from_address, a.to, a.value, a.valid_after, a.valid_before, a.nonce)
    rejected(
        world, BOB, "AuthorizationInvalidSignature",
        lambda: world.token(BOB).submit_authorization(SignedAuthorization(as_transfer, signed.signature)),
    )  # fmt: skip


def test_a_canceled_authorization_cannot_be_used(world: World) -> None:
    signed = authorize(world, ALICE, BOB, "2")
    token = world.token(CAROL)
    cancel = sign_cancel_authorization(world.suite.keys[ALICE], token.domain, signed.authorization.nonce)
    result = token.cancel_authorization(cancel)
    assert events(token, result, "AuthorizationCanceled") == [
        {"authorizer": world.address(ALICE), "nonce": signed.authorization.nonce}
    ]
    assert token.authorization_state(world.address(ALICE), signed.authorization.nonce)
    rejected(world, CAROL, "AuthorizationAlreadyUsed", lambda: token.submit_authorization(signed))
    rejected(world, CAROL, "AuthorizationAlreadyUsed", lambda: token.cancel_authorization(cancel))
    forged = sign_cancel_authorization(world.suite.keys[CAROL], token.domain, random_nonce())
    claimed = type(forged)(world.address(ALICE), forged.nonce, forged.signature)
    rejected(world, CAROL, "AuthorizationInvalidSignature", lambda: token.cancel_authorization(claimed))


def test_the_bytes_signature_variant(world: World) -> None:
    signed = authorize(world, ALICE, BOB, "4")
    a, token = signed.authorization, world.token(BOB)
    function = token.contract.get_function_by_signature(
        "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)"
    )
    call = function(a.from_address, a.to, a.value_tiyn, a.valid_after, a.valid_before, a.nonce, signed.signature.to_bytes())
    token.session.signer.send(call, description="transferWithAuthorization (bytes)")
    assert token.balance_of(world.address(BOB)) == Decimal("504.00")


def test_sdk_refuses_malformed_authorizations_before_signing() -> None:
    with pytest.raises(InvalidInput, match="validity window is empty"):
        TransferAuthorization("transfer", "0x" + "11" * 20, "0x" + "22" * 20, Decimal(1), 100, 100, bytes(32))
    with pytest.raises(InvalidInput, match="32 bytes"):
        TransferAuthorization("transfer", "0x" + "11" * 20, "0x" + "22" * 20, Decimal(1), 0, 100, bytes(31))
