"""The independent review's token findings and the mutation-testing gaps, one direct test each.

- a wholly frozen or de-KYC'd *spender* cannot move other holders' money under allowances it already holds
  (``transferFrom``, ``transferFromWithFee``), as USDC's blacklist stops it;
- a wallet recovery records where the lost account's holdings went (``recoveredTo``);
- the pause stops the ``bytes``-signature variants of EIP-3009 too; a receive authorization cannot be replayed;
- a wholly frozen sender cannot use ``batchTransfer`` or ``transferWithFee``; a frozen amount above the balance
  leaves nothing spendable.
"""

from __future__ import annotations

from decimal import Decimal

from token_world import ADMIN, ALICE, BANK, BOB, CAROL, MERCHANT, NEWKEY, STRANGER, World, rejected, tiyn

from tenge.chain.transactions import SentTransaction
from tenge.token.authorizations import SignedAuthorization, sign_transfer_authorization
from tenge.token.client import DigitalTengeClient

COURT_ORDER = "ALMATY-COURT-2-5678/2026"
BYTES_VARIANT = "{}(address,address,uint256,uint256,uint256,bytes32,bytes)"


def transfer_from_with_fee(token: DigitalTengeClient, owner: str, to: str, value: str, fee_to: str, fee: str) -> None:
    """``transferFromWithFee`` as the SDK sends any call (estimated first: a refusal is decoded, nothing sent)."""
    call = token.contract.functions.transferFromWithFee(owner, to, tiyn(value), fee_to, tiyn(fee))
    token.session.signer.send(call, description="transferFromWithFee")


def submit_bytes_variant(token: DigitalTengeClient, signed: SignedAuthorization) -> SentTransaction:
    """Submit an EIP-3009 authorization through the ``bytes signature`` overload (ERC-1271-capable)."""
    a = signed.authorization
    name = "transferWithAuthorization" if a.kind == "transfer" else "receiveWithAuthorization"
    function = token.contract.get_function_by_signature(BYTES_VARIANT.format(name))
    call = function(a.from_address, a.to, a.value_tiyn, a.valid_after, a.valid_before, a.nonce, signed.signature.to_bytes())
    return token.session.signer.send(call, description=f"{name} (bytes)")


def authorize(world: World, payer: int, payee: int, value: str, kind: str = "transfer") -> SignedAuthorization:
    now = world.block_time()
    return sign_transfer_authorization(
        world.suite.keys[payer], world.token(ADMIN).domain, to=world.address(payee), value=value,
        valid_after=now - 60, valid_before=now + 3600, kind=kind,  # type: ignore[arg-type]
    )  # fmt: skip


# --- spenders ------------------------------------------------------------------------------------------


def test_a_wholly_frozen_spender_cannot_use_the_allowances_it_holds(world: World) -> None:
    alice, bob = world.token(ALICE), world.token(BOB)
    alice.approve(bob.me, "100")
    world.token(ADMIN).freeze(bob.me)
    rejected(
        world, BOB, "AccountFrozen", lambda: bob.transfer_from(alice.me, world.address(CAROL), "10"), account=bob.me
    )
    rejected(
        world, BOB, "AccountFrozen",
        lambda: transfer_from_with_fee(bob, alice.me, world.address(CAROL), "10", world.address(MERCHANT), "1"),
        account=bob.me,
    )  # fmt: skip
    assert bob.allowance(alice.me, bob.me) == Decimal("100.00")  # nothing spent
    world.token(ADMIN).unfreeze(bob.me)
    bob.transfer_from(alice.me, world.address(CAROL), "10")
    assert bob.balance_of(world.address(CAROL)) == Decimal("10.00")


def test_a_de_kyced_spender_cannot_use_the_allowances_it_holds(world: World) -> None:
    alice, bob = world.token(ALICE), world.token(BOB)
    alice.approve(bob.me, "100")
    world.token(ADMIN).set_tier(bob.me, 0)
    rejected(
        world, BOB, "AccountNotApproved", lambda: bob.transfer_from(alice.me, world.address(CAROL), "10"),
        account=bob.me,
    )  # fmt: skip
    rejected(
        world, BOB, "AccountNotApproved",
        lambda: transfer_from_with_fee(bob, alice.me, world.address(CAROL), "10", world.address(MERCHANT), "1"),
        account=bob.me,
    )  # fmt: skip
    # An account that was never approved cannot spend an allowance either.
    alice.approve(world.address(STRANGER), "5")
    stranger = world.token(STRANGER)
    rejected(
        world, STRANGER, "AccountNotApproved", lambda: stranger.transfer_from(alice.me, world.address(CAROL), "1"),
        account=stranger.me,
    )  # fmt: skip


def test_a_frozen_amount_of_the_spender_does_not_stop_it_spending_for_others(world: World) -> None:
    alice, bob = world.token(ALICE), world.token(BOB)
    alice.approve(bob.me, "10")
    world.token(ADMIN).freeze(bob.me, amount="500")  # all of Bob's own money
    transfer_from_with_fee(bob, alice.me, world.address(CAROL), "9", world.address(MERCHANT), "1")
    assert (bob.balance_of(world.address(CAROL)), bob.balance_of(world.address(MERCHANT))) == (
        Decimal("9.00"),
        Decimal("1.00"),
    )


# --- wallet recovery -----------------------------------------------------------------------------------


def test_recovery_records_where_the_lost_account_went(world: World) -> None:
    compliance = world.token(ADMIN)
    lost, fresh, third = world.address(ALICE), world.address(NEWKEY), world.address(STRANGER)
    assert compliance.recovered_to(lost) is None
    compliance.set_tier(fresh, 1)
    compliance.recover(lost, fresh, COURT_ORDER)
    assert compliance.recovered_to(lost) == fresh
    assert compliance.recovered_to(fresh) is None
    # Lost again: successive recoveries are followed to the wallet in use now.
    compliance.set_tier(third, 1)
    compliance.recover(fresh, third, COURT_ORDER)
    assert (compliance.recovered_to(lost), compliance.recovered_to(fresh)) == (third, third)
    # A once-lost key re-approved and used as a recovery target is live again (no cycle).
    compliance.set_tier(lost, 1)
    compliance.recover(third, lost, COURT_ORDER)
    assert compliance.recovered_to(lost) is None
    assert (compliance.recovered_to(fresh), compliance.recovered_to(third)) == (lost, lost)
    assert compliance.balance_of(lost) == Decimal("1000.00")


# --- the pause and the bytes-signature variants --------------------------------------------------------


def test_the_pause_stops_the_bytes_signature_variants(world: World) -> None:
    transfer = authorize(world, ALICE, BOB, "4")
    receive = authorize(world, ALICE, BOB, "5", kind="receive")
    world.token(ADMIN).pause()
    bob = world.token(BOB)
    rejected(world, BOB, "EnforcedPause", lambda: submit_bytes_variant(bob, transfer))
    rejected(world, BOB, "EnforcedPause", lambda: submit_bytes_variant(bob, receive))
    world.token(ADMIN).unpause()
    submit_bytes_variant(bob, transfer)
    submit_bytes_variant(bob, receive)
    assert bob.balance_of(bob.me) == Decimal("509.00")


def test_a_receive_authorization_cannot_be_replayed(world: World) -> None:
    signed = authorize(world, ALICE, BOB, "3", kind="receive")
    bob = world.token(BOB)
    bob.submit_authorization(signed)
    nonce = "0x" + signed.authorization.nonce.hex()
    rejected(world, BOB, "AuthorizationAlreadyUsed", lambda: bob.submit_authorization(signed), nonce=nonce)
    rejected(world, BOB, "AuthorizationAlreadyUsed", lambda: submit_bytes_variant(bob, signed), nonce=nonce)
    assert bob.balance_of(bob.me) == Decimal("503.00")


# --- frozen senders ------------------------------------------------------------------------------------


def test_a_wholly_frozen_sender_can_use_neither_batch_transfer_nor_transfer_with_fee(world: World) -> None:
    world.token(ADMIN).freeze(world.address(ALICE))
    alice = world.token(ALICE)
    rejected(
        world, ALICE, "AccountFrozen", lambda: alice.batch_transfer([(world.address(BOB), "1"), (world.address(CAROL), "1")]),
        account=alice.me,
    )  # fmt: skip
    rejected(
        world, ALICE, "AccountFrozen",
        lambda: alice.transfer_with_fee(world.address(BOB), "10", world.address(MERCHANT), "1"), account=alice.me,
    )  # fmt: skip
    assert alice.balance_of(alice.me) == Decimal("1000.00")


def test_a_frozen_amount_above_the_balance_leaves_nothing_spendable(world: World) -> None:
    compliance, carol = world.token(ADMIN), world.token(CAROL)
    compliance.freeze(carol.me, amount="100")  # Carol holds nothing yet
    world.token(BANK).mint(carol.me, "50")
    assert carol.spendable_balance_of(carol.me) == 0
    rejected(
        world, CAROL, "InsufficientSpendableBalance", lambda: carol.transfer(world.address(BOB), "0.01"),
        account=carol.me, spendable=0, needed=1,
    )  # fmt: skip
    rejected(
        world, CAROL, "InsufficientSpendableBalance",
        lambda: carol.transfer_with_fee(world.address(BOB), "0.01", world.address(MERCHANT), "0"),
        account=carol.me, spendable=0, needed=1,
    )  # fmt: skip
