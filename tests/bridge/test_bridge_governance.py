"""Validator-set governance (issue 18): a change of the set or the threshold waits the bridge's delay (48 h by
default) and can be cancelled meanwhile, so a compromised admin or VALIDATOR_MANAGER_ROLE cannot swap the set in
one block; the pending change is visible (`tenge bridge validators`); removing one validator while the threshold
still fits is immediate; the delay can be lowered only after the delay in force."""

from __future__ import annotations

import json
from typing import Any

from bridge_checks import rejected
from bridge_world import ADMIN, ALICE, BNB, BOB, HOME, ROGUE, STRANGER, VALIDATORS, BridgeWorld, validator_key
from click.testing import CliRunner

from tenge.cli.main import cli

DAY = 24 * 3600
DEFAULT_DELAY = 2 * DAY
ROGUE_KEYS = [validator_key(20), validator_key(21), validator_key(22)]


def _validators_json(network: str) -> Any:
    result = CliRunner(mix_stderr=False).invoke(cli, ["bridge", "validators", "--network", network, "--json"])
    assert result.exit_code == 0, result.stderr or result.output
    return json.loads(result.stdout)


def test_a_compromised_admin_cannot_swap_the_set_in_one_block(world: BridgeWorld) -> None:
    """The admin grants its accomplice the manager role at once (it can), and the accomplice swaps in three
    keys it owns: scheduled, not applied; it cannot be hurried (re-sent, or by lowering the delay) and the
    emergency role cancels it. Meanwhile the rogue keys cannot deliver anything."""
    bnb_admin = world.bridge(BNB, ADMIN)
    honest = world.bridge(BNB).validators()
    assert bnb_admin.validator_update_delay() == DEFAULT_DELAY
    grant = bnb_admin.contract.functions.grantRole(bnb_admin.contract.functions.VALIDATOR_MANAGER_ROLE().call(),
                                                   world.address(ROGUE))  # fmt: skip
    bnb_admin.session.signer.send(grant, description="the admin grants the manager role to its accomplice")
    rogue = world.bridge(BNB, ROGUE)
    swap = {"remove": [v.address for v in VALIDATORS[:3]], "add": [k.address for k in ROGUE_KEYS], "threshold": 3}
    rogue.update_validators(**swap)
    assert world.bridge(BNB).validators() == honest, "the swap took effect at once"

    # The forged transfer the rogue keys would sign is refused: they are not validators yet.
    transfer = world.send(HOME, ALICE, BOB, "10.00").transfer
    bnb = world.bridge(BNB)
    world.attest_escrow()
    forged = world.attest("Transfer", transfer, bnb, ROGUE_KEYS)
    rejected(world, "UnknownSigner", lambda: bnb.deliver(transfer, forged), signer=ROGUE_KEYS[0].address)
    # Not hurried: the same call again, a second change, a zero delay.
    pending = bnb.pending_validator_update()
    assert pending is not None and pending.added == swap["add"] and pending.threshold == 3
    rejected(world, "ValidatorUpdateNotReady", lambda: rogue.update_validators(**swap), executableAt=pending.executable_at)
    rejected(world, "ValidatorUpdatePending", lambda: rogue.update_validators(remove=[VALIDATORS[3].address], threshold=3))
    bnb_admin.set_validator_update_delay(0)
    assert bnb.validator_update_delay() == DEFAULT_DELAY, "a shorter delay must wait out the one in force"
    world.advance(BNB, DEFAULT_DELAY - 60)
    rejected(world, "ValidatorUpdateNotReady", lambda: rogue.update_validators(**swap))
    # Seen in `tenge bridge validators`, and cancelled by the emergency role (the pauser: the deployer here).
    shown = _validators_json(BNB)["pending_update"]
    assert shown["added"] == swap["add"] and shown["executable_at"] == pending.executable_at
    world.bridge(BNB, ADMIN).cancel_validator_update()
    assert bnb.pending_validator_update() is None and _validators_json(BNB)["pending_update"] is None
    world.advance(BNB, 120)
    assert world.deliver(transfer) == "Delivered"
    assert world.bridge(BNB).validators() == honest
    rejected(world, "NoValidatorUpdate", lambda: rogue.cancel_validator_update())


def test_a_scheduled_rotation_applies_after_the_delay_with_a_transfer_in_flight(world: BridgeWorld) -> None:
    joiners = [validator_key(5), validator_key(6)]
    transfer = world.send(HOME, ALICE, BOB, "75.00").transfer
    manager = world.bridge(BNB, ADMIN)
    change = {"remove": [v.address for v in VALIDATORS[:2]], "add": [j.address for j in joiners], "threshold": 3}
    manager.update_validators(**change)
    shown = _validators_json(BNB)
    assert shown["update_delay_seconds"] == DEFAULT_DELAY
    assert shown["pending_update"]["removed"] == change["remove"] and shown["pending_update"]["threshold"] == 3
    world.advance(BNB, DEFAULT_DELAY)
    manager.update_validators(**change)  # the same call, once due, applies it
    new_set = [VALIDATORS[2], VALIDATORS[3], VALIDATORS[4], *joiners]
    assert world.bridge(BNB).validators() == sorted(v.address for v in new_set)
    assert manager.pending_validator_update() is None
    bnb = world.bridge(BNB)
    world.attest_escrow(new_set[:3])
    old = world.attest("Transfer", transfer, bnb, VALIDATORS[:3])
    rejected(world, "UnknownSigner", lambda: bnb.deliver(transfer, old), signer=VALIDATORS[0].address)
    assert world.deliver(transfer, new_set[2:]) == "Delivered"


def test_removing_one_validator_is_immediate_while_the_threshold_holds(world: BridgeWorld) -> None:
    manager = world.bridge(HOME, ADMIN)
    manager.remove_validator(VALIDATORS[0].address)
    assert not manager.is_validator(VALIDATORS[0].address) and manager.pending_validator_update() is None
    rejected(world, "NotAValidator", lambda: manager.remove_validator(VALIDATORS[0].address))
    manager.remove_validator(VALIDATORS[1].address)  # 3 of 3 left
    rejected(world, "InvalidThreshold", lambda: manager.remove_validator(VALIDATORS[2].address), threshold=3, validatorCount=2)
    stranger = world.bridge(HOME, STRANGER)
    rejected(world, "AccessControlUnauthorizedAccount", lambda: stranger.remove_validator(VALIDATORS[2].address))
    # The removed validator's signature no longer counts at home.
    back = world.send(HOME, ALICE, BOB, "5.00").transfer
    assert world.deliver(back) == "Delivered"
    returning = world.send(BNB, BOB, ALICE, "5.00").transfer
    home = world.bridge(HOME)
    rejected(world, "UnknownSigner", lambda: home.deliver(returning, world.attest("Transfer", returning, home, VALIDATORS[:3])),
             signer=VALIDATORS[0].address)  # fmt: skip
    assert world.deliver(returning, VALIDATORS[2:]) == "Delivered"


def test_a_change_that_does_not_fit_the_set_is_refused_before_sending(world: BridgeWorld) -> None:
    manager = world.bridge(HOME, ADMIN)
    rejected(world, "InvalidThreshold", lambda: manager.update_validators(threshold=6), threshold=6, validatorCount=5)
    rejected(world, "InvalidValidator", lambda: manager.update_validators(add=[VALIDATORS[0].address]))
    rejected(world, "NotAValidator", lambda: manager.update_validators(remove=[validator_key(9).address]))
    rejected(world, "NoValidatorUpdate", lambda: manager.cancel_validator_update())
    too_long = manager.contract.functions.setValidatorUpdateDelay(31 * DAY)  # past the SDK's own check
    rejected(world, "ValidatorUpdateDelayTooLong", lambda: manager.session.signer.send(too_long, description="delay"),
             delay=31 * DAY, max=30 * DAY)  # fmt: skip


def test_a_longer_delay_applies_at_once_and_a_shorter_one_after_the_delay_in_force(world: BridgeWorld) -> None:
    admin = world.bridge(HOME, ADMIN)
    admin.set_validator_update_delay(3 * DAY)
    assert admin.validator_update_delay() == 3 * DAY
    admin.set_validator_update_delay(60)
    assert admin.validator_update_delay() == 3 * DAY
    world.advance(HOME, 3 * DAY)
    assert admin.validator_update_delay() == 60


def test_the_governance_commands_answer_in_json(world: BridgeWorld) -> None:
    """`tenge bridge validators delay | update | cancel | remove` as an operator runs them, with --json: each prints
    one JSON document, and the change each makes is what `tenge bridge validators` then shows."""

    def run(*args: str) -> Any:
        argv = ["bridge", "validators", *args, "--network", HOME, "--account", f"dev:{ADMIN}", "--json"]
        result = CliRunner(mix_stderr=False).invoke(cli, argv)
        assert result.exit_code == 0, result.stderr or result.output
        document = json.loads(result.stdout)
        assert isinstance(document, dict) and document
        return document

    run("delay", str(3 * DAY))  # a longer delay applies at once
    joiner = validator_key(23).address
    run("update", "--add", joiner)
    pending = _validators_json(HOME)["pending_update"]
    assert pending is not None and pending["added"] == [joiner]
    assert joiner not in _validators_json(HOME)["validators"]
    run("cancel")
    assert _validators_json(HOME)["pending_update"] is None
    run("remove", VALIDATORS[4].address)  # 4 left for a threshold of 3: immediate
    shown = _validators_json(HOME)
    assert VALIDATORS[4].address not in shown["validators"] and len(shown["validators"]) == 4
