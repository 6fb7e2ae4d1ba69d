"""Edge errors: amounts beyond the packed storage, the zero address, malformed permit signatures, renouncing
for someone else."""

from __future__ import annotations

from token_world import ADMIN, ALICE, BANK, BOB, World, rejected

from tenge.amounts import from_tiyn
from tenge.token.authorizations import SECP256K1_N, Signature, SignedPermit, sign_permit
from tenge.token.roles import role_id

MAX_AMOUNT = 2**96 - 1  # the packed balance / frozen-amount / supply field
ZERO = "0x" + "00" * 20


def test_amounts_beyond_the_packed_fields_are_refused(world: World) -> None:
    admin, bank = world.token(ADMIN), world.token(BANK)
    admin.set_minter_allowance(bank.me, from_tiyn(2**100))
    supply = 150_000
    rejected(
        world, BANK, "AmountTooLarge", lambda: bank.mint(world.address(ALICE), from_tiyn(MAX_AMOUNT)),
        amount=MAX_AMOUNT, max=MAX_AMOUNT - supply,
    )  # fmt: skip
    rejected(world, BANK, "AmountTooLarge", lambda: bank.batch_mint([(world.address(ALICE), from_tiyn(MAX_AMOUNT + 1))]))
    rejected(world, ALICE, "AmountTooLarge", lambda: world.token(ALICE).batch_transfer([(world.address(BOB), from_tiyn(MAX_AMOUNT + 1))]))
    admin.freeze(world.address(ALICE), from_tiyn(MAX_AMOUNT))
    rejected(world, ADMIN, "AmountTooLarge", lambda: admin.freeze(world.address(ALICE), "0.01"), amount=1, max=0)
    rejected(world, ADMIN, "AmountTooLarge", lambda: admin.attest_reserve(from_tiyn(2**128)), max=2**128 - 1)


def test_the_zero_address_is_neither_receiver_nor_spender(world: World) -> None:
    alice = world.token(ALICE)
    rejected(world, ALICE, "ERC20InvalidReceiver", lambda: alice.transfer(ZERO, "1"), receiver=ZERO)
    rejected(world, ALICE, "ERC20InvalidSpender", lambda: alice.approve(ZERO, "1"), spender=ZERO)


def test_malformed_permit_signatures_are_refused(world: World) -> None:
    bob = world.token(BOB)
    deadline = world.block_time() + 600
    good = sign_permit(world.suite.keys[ALICE], bob.domain, spender=bob.me, value="1", nonce=0, deadline=deadline)
    sig = good.signature
    high_s = Signature(55 - sig.v, sig.r, (SECP256K1_N - int.from_bytes(sig.s, "big")).to_bytes(32, "big"))
    rejected(world, BOB, "ECDSAInvalidSignatureS", lambda: bob.submit_permit(SignedPermit(good.permit, high_s)))
    rejected(world, BOB, "ECDSAInvalidSignature", lambda: bob.submit_permit(SignedPermit(good.permit, Signature(29, sig.r, sig.s))))
    bob.submit_permit(good)


def test_nobody_renounces_a_role_for_someone_else(world: World) -> None:
    admin = world.token(ADMIN)
    call = admin.contract.functions.renounceRole(role_id("MINTER_ROLE"), world.address(BANK))
    rejected(world, ADMIN, "AccessControlBadConfirmation", lambda: admin.session.signer.send(call, description="renounce"))
