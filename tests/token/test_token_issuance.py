"""Two-tier issuance: the issuer sets bank allowances, banks mint within them, burn, and redeem."""

from __future__ import annotations

from decimal import Decimal

from token_world import (
    ADMIN,
    ALICE,
    BANK,
    ALLOWANCE_LEFT,
    BOB,
    CAROL,
    MERCHANT,
    STRANGER,
    TIER1_CAP,
    World,
    events,
    refused,
    rejected,
    tiyn,
)

from tenge.errors import InvalidAmount, InvalidInput


def test_metadata_and_roles_as_deployed(world: World) -> None:
    token = world.token(ADMIN)
    assert (token.name, token.symbol, token.currency, token.decimals) == ("Digital Tenge", "DKZT", "KZT", 2)
    assert token.total_supply() == Decimal("1500.00")
    assert token.default_admin() == world.address(ADMIN)
    assert token.roles_of(world.address(ADMIN)) == [
        "DEFAULT_ADMIN_ROLE", "ISSUER_ROLE", "COMPLIANCE_ROLE", "PAUSER_ROLE", "RESERVE_ATTESTOR_ROLE", "UPGRADER_ROLE",
    ]  # fmt: skip
    assert token.roles_of(world.address(BANK)) == ["MINTER_ROLE"]
    assert token.roles_of(world.address(STRANGER)) == []


def test_issuer_sets_raises_lowers_and_revokes_a_bank_allowance(world: World) -> None:
    issuer, bank = world.token(ADMIN), world.address(BANK)
    result = issuer.set_minter_allowance(bank, "2000000")
    assert events(issuer, result, "MinterAllowanceSet") == [
        {"minter": bank, "oldAllowance": tiyn(ALLOWANCE_LEFT), "newAllowance": tiyn("2000000")}
    ]
    issuer.set_minter_allowance(bank, "10.01")
    assert issuer.minter_allowance(bank) == Decimal("10.01")
    issuer.set_minter_allowance(bank, 0)
    assert issuer.minter_allowance(bank) == 0
    rejected(world, BANK, "MinterAllowanceExceeded", lambda: world.token(BANK).mint(world.address(ALICE), "0.01"))


def test_only_the_issuer_sets_allowances(world: World) -> None:
    rejected(
        world, BANK, "AccessControlUnauthorizedAccount",
        lambda: world.token(BANK).set_minter_allowance(world.address(BANK), "1"),
        account=world.address(BANK), neededRole="ISSUER_ROLE",
    )  # fmt: skip


def test_an_allowance_needs_a_minter(world: World) -> None:
    rejected(
        world, ADMIN, "BankNotMinter",
        lambda: world.token(ADMIN).set_minter_allowance(world.address(CAROL), "1"), bank=world.address(CAROL),
    )  # fmt: skip


def test_a_bank_mints_within_its_allowance_which_shrinks(world: World) -> None:
    bank = world.token(BANK)
    result = bank.mint(world.address(CAROL), "250.75")
    assert bank.balance_of(world.address(CAROL)) == Decimal("250.75")
    assert bank.minter_allowance(bank.me) == ALLOWANCE_LEFT - Decimal("250.75")
    assert bank.total_supply() == Decimal("1750.75")
    assert events(bank, result, "Minted") == [{"minter": bank.me, "to": world.address(CAROL), "amount": 25075}]


def test_minting_beyond_the_allowance_is_refused(world: World) -> None:
    world.token(ADMIN).set_minter_allowance(world.address(BANK), "100")
    rejected(
        world, BANK, "MinterAllowanceExceeded", lambda: world.token(BANK).mint(world.address(CAROL), "100.01"),
        minter=world.address(BANK), allowance=10000, needed=10001,
    )  # fmt: skip


def test_only_minters_mint(world: World) -> None:
    rejected(
        world, ADMIN, "AccessControlUnauthorizedAccount", lambda: world.token(ADMIN).mint(world.address(ALICE), "1"),
        account=world.address(ADMIN), neededRole="MINTER_ROLE",
    )  # fmt: skip


def test_minting_to_an_unapproved_account_is_refused(world: World) -> None:
    rejected(
        world, BANK, "AccountNotApproved", lambda: world.token(BANK).mint(world.address(STRANGER), "1"),
        account=world.address(STRANGER),
    )  # fmt: skip


def test_minting_above_the_tier_cap_is_refused(world: World) -> None:
    over = TIER1_CAP - Decimal("1000.00") + Decimal("0.01")
    rejected(
        world, BANK, "TierCapExceeded", lambda: world.token(BANK).mint(world.address(ALICE), over),
        account=world.address(ALICE), balanceAfter=tiyn(TIER1_CAP) + 1, cap=tiyn(TIER1_CAP),
    )  # fmt: skip
    world.token(BANK).mint(world.address(ALICE), over - Decimal("0.01"))
    assert world.token(BANK).balance_of(world.address(ALICE)) == TIER1_CAP


def test_zero_and_malformed_amounts_are_refused_before_signing(world: World) -> None:
    bank = world.token(BANK)
    refused(world, BANK, InvalidAmount, lambda: bank.mint(world.address(ALICE), 0), match="greater than zero")
    refused(world, BANK, InvalidAmount, lambda: bank.mint(world.address(ALICE), "1.001"), match="2 decimals")
    refused(world, BANK, InvalidAmount, lambda: bank.mint(world.address(ALICE), "-5"), match="negative")
    refused(world, BANK, InvalidAmount, lambda: bank.mint(world.address(ALICE), 1.5), match="not float")  # type: ignore[arg-type]


def test_batch_mint_pays_every_recipient_and_spends_the_sum(world: World) -> None:
    bank = world.token(BANK)
    rows = [(world.address(CAROL), "10.00"), (world.address(MERCHANT), "20.50"), (world.address(CAROL), "0.01")]
    (result,) = bank.batch_mint(rows)
    assert bank.balance_of(world.address(CAROL)) == Decimal("10.01")
    assert bank.balance_of(world.address(MERCHANT)) == Decimal("20.50")
    assert bank.minter_allowance(bank.me) == ALLOWANCE_LEFT - Decimal("30.51")
    assert len(events(bank, result, "Minted")) == 3


def test_batch_mint_is_all_or_nothing(world: World) -> None:
    bank = world.token(BANK)
    rows = [(world.address(CAROL), "10.00"), (world.address(STRANGER), "1.00")]
    rejected(world, BANK, "AccountNotApproved", lambda: bank.batch_mint(rows), account=world.address(STRANGER))
    assert bank.balance_of(world.address(CAROL)) == 0


def test_batch_arrays_of_different_lengths_are_refused(world: World) -> None:
    bank = world.token(BANK)
    call = bank.contract.functions.batchMint([world.address(CAROL), world.address(BOB)], [100])
    rejected(
        world, BANK, "ArrayLengthMismatch", lambda: bank.session.signer.send(call, description="batch"),
        recipients=2, amounts=1,
    )  # fmt: skip
    call = bank.contract.functions.batchTransfer([world.address(CAROL)], [1, 2])
    rejected(world, BANK, "ArrayLengthMismatch", lambda: bank.session.signer.send(call, description="batch"))


def test_revoking_the_minter_role_zeroes_the_allowance(world: World) -> None:
    admin = world.token(ADMIN)
    result = admin.revoke_role("minter", world.address(BANK))
    assert admin.minter_allowance(world.address(BANK)) == 0
    assert events(admin, result, "MinterAllowanceSet")[0]["newAllowance"] == 0
    rejected(world, BANK, "AccessControlUnauthorizedAccount", lambda: world.token(BANK).mint(world.address(ALICE), "1"))


def test_a_bank_burns_its_own_holdings(world: World) -> None:
    bank = world.token(BANK)
    bank.mint(bank.me, "100")
    result = bank.burn("40.25")
    assert bank.balance_of(bank.me) == Decimal("59.75")
    assert bank.total_supply() == Decimal("1559.75")
    assert events(bank, result, "Burned") == [{"minter": bank.me, "amount": 4025}]
    rejected(
        world, BANK, "ERC20InsufficientBalance", lambda: bank.burn("59.76"),
        sender=bank.me, balance=5975, needed=5976,
    )  # fmt: skip


def test_only_minters_burn(world: World) -> None:
    rejected(world, ALICE, "AccessControlUnauthorizedAccount", lambda: world.token(ALICE).burn("1"))


def test_a_holder_redeems_at_a_bank(world: World) -> None:
    alice = world.token(ALICE)
    result = alice.redeem(world.address(BANK), "100.10", "KZ-INV-2026-000123")
    assert alice.balance_of(alice.me) == Decimal("899.90")
    assert alice.total_supply() == Decimal("1399.90")
    (redeemed,) = events(alice, result, "Redeemed")
    assert redeemed["holder"] == alice.me and redeemed["bank"] == world.address(BANK)
    assert redeemed["amount"] == 10010
    assert redeemed["redemptionReference"].rstrip(b"\0") == b"KZ-INV-2026-000123"


def test_redemption_needs_a_bank_and_a_balance(world: World) -> None:
    alice = world.token(ALICE)
    rejected(
        world, ALICE, "BankNotMinter", lambda: alice.redeem(world.address(MERCHANT), "1", "ref"),
        bank=world.address(MERCHANT),
    )  # fmt: skip
    rejected(world, ALICE, "ERC20InsufficientBalance", lambda: alice.redeem(world.address(BANK), "1000.01", "ref"))
    rejected(
        world, STRANGER, "AccountNotApproved", lambda: world.token(STRANGER).redeem(world.address(BANK), "1", "ref")
    )


def test_a_reference_longer_than_32_bytes_is_refused_before_signing(world: World) -> None:
    alice = world.token(ALICE)
    refused(world, ALICE, InvalidInput, lambda: alice.redeem(world.address(BANK), "1", "x" * 33), match="at most 32")
    refused(world, ALICE, InvalidInput, lambda: alice.redeem(world.address(BANK), "1", "ж" * 17), match="34 bytes")
    refused(world, ALICE, InvalidInput, lambda: alice.redeem(world.address(BANK), "1", "  "), match="required")
