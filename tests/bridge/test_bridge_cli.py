"""`tenge bridge ...` end to end on the two anvils: the manual path (send, validators sign files, anyone delivers),
status, limits and validators, a queued transfer cancelled, a failed one refunded, and refusals as one-line
errors with a non-zero exit and nothing sent."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from bridge_checks import chain_state
from bridge_world import ALICE, BNB, BNB_CHAIN, BOB, HOME, HOME_CHAIN, STRANGER, THRESHOLD, VALIDATORS, BridgeWorld
from click.testing import CliRunner, Result

from tenge.bridge.messages import BridgeTransfer
from tenge.chain.readable import EVENT_AMOUNT_NAMES
from tenge.cli.main import cli


AMOUNT_KEYS = {re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", n).lower() for n in EVENT_AMOUNT_NAMES}


def tenge(*args: str, key: Any = None) -> Result:
    env = {"TENGE_PRIVATE_KEY": "0x" + bytes(key.key).hex()} if key is not None else {"TENGE_PRIVATE_KEY": None}
    return CliRunner(mix_stderr=False).invoke(cli, list(args), env=env)


def _transfer(output: Any) -> BridgeTransfer:
    """The transfer a `bridge send --json` printed (snake_case keys, as all CLI JSON) as the SDK's object."""
    fields = {re.sub(r"_([a-z])", lambda m: m.group(1).upper(), k): v for k, v in output["transfer"].items()}
    return BridgeTransfer.from_dict(fields)


def ok(*args: str, key: Any = None) -> Any:
    result = tenge(*args, "--json", key=key)
    assert result.exit_code == 0, result.stderr or result.output
    if key is not None:  # a validator signed: its key is never shown
        assert bytes(key.key).hex() not in (result.stdout + result.stderr).lower()
    return json.loads(result.stdout)


def fails(world: BridgeWorld, message: str, *args: str) -> str:
    before = chain_state(world)
    result = tenge(*args)
    assert result.exit_code != 0 and message in result.stderr, (result.exit_code, result.stderr, result.output)
    assert "Traceback" not in result.stderr + result.output and result.stderr.count("\n") == 1, result.stderr
    assert chain_state(world) == before, "a refused command must send nothing"
    return result.stderr


def sign(kind: str, transfer_id: str, source: str, dest: str, folder: Path, signers: list[Any]) -> None:
    for validator in signers:
        if kind == "escrow":
            ok("bridge", "sign", "escrow", "--network", HOME, "--peer-network", BNB, "--out", str(folder), key=validator)
        else:
            ok("bridge", "sign", kind, transfer_id, "--network", source, "--peer-network", dest, "--out", str(folder), key=validator)


def test_the_manual_path_both_ways(world: BridgeWorld, tmp_path: Path) -> None:
    sent = ok("bridge", "send", str(BNB_CHAIN), world.address(BOB), "25.00", "--network", HOME, "--account", f"dev:{ALICE}")
    tid = sent["id"]
    assert sent["queued"] is False and sent["transfer"]["amount"] == "25.00"
    world.transfers.append(_transfer(sent))  # for the conservation check
    assert ok("bridge", "status", tid, "--network", HOME, "--peer-network", BNB)["status"] == "sent"

    folder = tmp_path / "signatures"
    sign("transfer", tid, HOME, BNB, folder, VALIDATORS[:THRESHOLD])
    status = ok("bridge", "status", tid, "--network", BNB, "--peer-network", HOME, "--signatures", str(folder))
    assert (status["status"], status["valid_signatures"]) == ("attested", THRESHOLD)

    few = tmp_path / "two"
    few.mkdir()
    for file in sorted(folder.glob("*.json"))[:2]:
        (few / file.name).write_text(file.read_text())
    sign("escrow", tid, HOME, BNB, few, VALIDATORS[:THRESHOLD])
    fails(world, "InsufficientSignatures(valid=2, threshold=3)", "bridge", "deliver", str(few), "--network", BNB, "--account", "dev:4")

    sign("escrow", tid, HOME, BNB, folder, VALIDATORS[:THRESHOLD])
    delivered = ok("bridge", "deliver", str(folder), "--network", BNB, "--account", "dev:4")
    assert delivered["status"] == "delivered"
    world.assert_conserved()
    assert world.balance(BNB, BOB) == Decimal("25.00")
    assert ok("bridge", "status", tid, "--network", HOME, "--peer-network", BNB)["status"] == "delivered"
    fails(world, "AlreadyProcessed", "bridge", "deliver", str(folder), "--network", BNB)

    back = ok("bridge", "send", str(HOME_CHAIN), world.address(ALICE), "5.00", "--network", BNB, "--account", f"dev:{BOB}")
    world.transfers.append(_transfer(back))
    home_sigs = tmp_path / "home"
    sign("transfer", back["id"], BNB, HOME, home_sigs, VALIDATORS[1:4])
    assert ok("bridge", "deliver", str(home_sigs), "--network", HOME)["status"] == "delivered"
    world.assert_conserved()


def test_limits_validators_cancel_and_refund(world: BridgeWorld, tmp_path: Path) -> None:
    limits = ok("bridge", "limits", "--network", HOME)
    assert limits["chains"][str(BNB_CHAIN)]["inbound"] == {"capacity": "200000.00", "available": "200000.00", "refill_per_second": "10.00", "max_transfer": None}
    validators = ok("bridge", "validators", "--network", BNB)
    assert validators["threshold"] == THRESHOLD and validators["validators"] == sorted(v.address for v in VALIDATORS)

    ok("bridge", "limits", "set", str(BNB_CHAIN), "--inbound", "200000", "10", "--outbound", "10", "0.01", "--network", HOME, "--account", "dev:0")
    before = world.balance(HOME, ALICE)
    queued = ok("bridge", "send", str(BNB_CHAIN), world.address(BOB), "20.00", "--network", HOME, "--account", f"dev:{ALICE}")
    assert queued["queued"] is True
    world.transfers.append(_transfer(queued))
    fails(world, "NotSender", "bridge", "cancel", queued["id"], "--network", HOME, "--account", f"dev:{BOB}")
    ok("bridge", "cancel", queued["id"], "--network", HOME, "--account", f"dev:{ALICE}")
    assert world.balance(HOME, ALICE) == before
    assert ok("bridge", "status", queued["id"], "--network", HOME)["status"] == "cancelled"

    failed = ok("bridge", "send", str(BNB_CHAIN), world.address(STRANGER), "5.00", "--network", HOME, "--account", f"dev:{ALICE}")
    world.transfers.append(_transfer(failed))
    folder = tmp_path / "failed"
    sign("escrow", failed["id"], HOME, BNB, folder, VALIDATORS[:THRESHOLD])
    sign("transfer", failed["id"], HOME, BNB, folder, VALIDATORS[:THRESHOLD])
    result = ok("bridge", "deliver", str(folder), "--network", BNB)
    assert result["status"] == "failed" and "NotApproved" in result["reason"]
    refunds = tmp_path / "refunds"
    sign("refund", failed["id"], HOME, BNB, refunds, VALIDATORS[2:5])
    ok("bridge", "refund", str(refunds), "--network", HOME)
    assert world.balance(HOME, ALICE) == before
    fails(world, "RefundNotAllowed", "bridge", "refund", str(refunds), "--network", HOME)
    world.assert_conserved()


def test_refund_signatures_are_refused_for_a_delivered_transfer(world: BridgeWorld, tmp_path: Path) -> None:
    transfer = world.send(HOME, ALICE, BOB, "3.00").transfer
    world.deliver(transfer)
    result = tenge("bridge", "sign", "refund", transfer.id_hex, "--network", HOME, "--peer-network", BNB,
                   "--out", str(tmp_path), key=VALIDATORS[0])  # fmt: skip
    assert result.exit_code == 2 and "is Delivered on bnb-local, not Failed" in result.stderr
    assert not list(tmp_path.glob("*.json"))


def test_a_non_validator_signing_a_transfer_is_refused_without_force(world: BridgeWorld, tmp_path: Path) -> None:
    """Issue 19: `bridge sign transfer ID -a dev:7` by an account the destination does not list wrote a useless
    signature file without a word."""
    transfer = world.send(HOME, ALICE, BOB, "2.00").transfer
    result = tenge("bridge", "sign", "transfer", transfer.id_hex, "--network", HOME, "--peer-network", BNB,
                   "--out", str(tmp_path), "--account", f"dev:{STRANGER}")  # fmt: skip
    assert result.exit_code == 2, result.stderr
    assert f"{world.address(STRANGER)} is not a validator of the bridge on {BNB}" in result.stderr
    assert "nothing was written (sign anyway with --force)" in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.json"))
    forced = ok("bridge", "sign", "transfer", transfer.id_hex, "--network", HOME, "--peer-network", BNB,
                "--out", str(tmp_path), "--account", f"dev:{STRANGER}", "--force")  # fmt: skip
    assert Path(forced["file"]).exists()
    world.deliver(transfer)


def test_bridge_send_json_gives_every_amount_in_tenge_and_the_native_fee_symbol(world: BridgeWorld) -> None:
    """Issue 19: `"amount": 2550` (tiyn) beside `"value": "25.50"`, and `fee_symbol` "" in `bridge send`."""
    sent = ok("bridge", "send", str(BNB_CHAIN), world.address(BOB), "25.50", "--network", HOME, "--account", f"dev:{ALICE}")
    world.transfers.append(_transfer(sent))
    transfer_sent = [e for e in sent["events"] if e["event"] == "TransferSent"]
    assert transfer_sent and transfer_sent[0]["args"]["transfer"]["amount"] == "25.50", sent["events"]

    def ints(value: Any, key: str = "") -> list[str]:
        if isinstance(value, dict):
            return [k for n, v in value.items() for k in ints(v, n)]
        if isinstance(value, list):
            return [k for v in value for k in ints(v, key)]
        return [key] if isinstance(value, int) and not isinstance(value, bool) and key in AMOUNT_KEYS else []

    assert ints(sent) == [], "every amount in --json is a decimal string in tenge"
    assert sent["fee_symbol"] == world.session(HOME, ALICE).network.native_symbol != ""
    world.deliver(_transfer(sent))


def test_a_queued_inbound_transfer_is_completed_from_the_command_line(world: BridgeWorld, tmp_path: Path) -> None:
    # A slow refill (0.01 a second): however long the commands take, the bucket has not refilled 15.00 by then.
    ok("bridge", "limits", "set", str(HOME_CHAIN), "--inbound", "30", "0.01", "--outbound", "200000", "10", "--network", BNB, "--account", "dev:0")
    first = world.send(HOME, ALICE, BOB, "20.00").transfer
    assert world.deliver(first) == "Delivered"  # 10.00 of inbound capacity left
    sent = ok("bridge", "send", str(BNB_CHAIN), world.address(BOB), "25.00", "--network", HOME, "--account", f"dev:{ALICE}")
    world.transfers.append(_transfer(sent))
    folder = tmp_path / "sigs"
    sign("escrow", sent["id"], HOME, BNB, folder, VALIDATORS[:THRESHOLD])
    sign("transfer", sent["id"], HOME, BNB, folder, VALIDATORS[:THRESHOLD])
    assert ok("bridge", "deliver", str(folder), "--network", BNB)["status"] == "queued"
    assert ok("bridge", "status", sent["id"], "--network", BNB, "--peer-network", HOME)["status"] == "queued"
    fails(world, "name its source with --peer-network", "bridge", "complete", sent["id"], "--network", BNB)
    fails(world, "RateLimitExceeded", "bridge", "complete", sent["id"], "--network", BNB, "--peer-network", HOME)
    world.advance(BNB, 2000)
    fresh = tmp_path / "escrow"
    sign("escrow", sent["id"], HOME, BNB, fresh, VALIDATORS[:THRESHOLD])
    done = ok("bridge", "complete", sent["id"], "--network", BNB, "--peer-network", HOME, "--escrow", str(fresh), "--account", "dev:4")
    assert done["status"] == "delivered"
    assert world.balance(BNB, BOB) == Decimal("45.00")
    world.assert_conserved()


def test_an_oversized_transfer_is_delayed_held_released_and_rejected_from_the_command_line(world: BridgeWorld) -> None:
    """`tenge bridge limits` shows the largest single transfer and the delay; an oversized inbound transfer is
    "delayed until <time>", held ("held"), released and rejected by the roles (then refundable), and a stranger's
    hold is refused."""
    ok("bridge", "limits", "max-transfer", str(HOME_CHAIN), "--inbound", "100", "--network", BNB, "--account", "dev:0")
    limits = ok("bridge", "limits", "--network", BNB)
    lane = limits["chains"][str(HOME_CHAIN)]
    assert lane["inbound"]["max_transfer"] == "100.00" and lane["outbound"]["max_transfer"] is None
    assert limits["queue_delay_seconds"] == 86400
    assert ok("bridge", "limits", "delay", "7200", "--network", BNB, "--account", "dev:0")["seconds"] == 7200
    assert ok("bridge", "limits", "--network", BNB)["queue_delay_seconds"] == 7200
    transfer = world.send(HOME, ALICE, BOB, "150.00").transfer
    assert world.deliver(transfer) == "Queued"
    tid, where = transfer.id_hex, ("--network", BNB, "--peer-network", HOME)
    status = ok("bridge", "status", tid, *where)["status"]
    assert status.startswith("delayed until ") and status.endswith("Z"), status
    fails(world, "TransferDelayed", "bridge", "complete", tid, *where)
    fails(world, "AccessControlUnauthorizedAccount", "bridge", "hold", tid, *where, "--account", f"dev:{STRANGER}")
    assert ok("bridge", "hold", tid, *where, "--account", "dev:0")["action"] == "held"
    assert ok("bridge", "status", tid, *where)["status"] == "held"
    assert ok("bridge", "release", tid, *where, "--account", "dev:0")["action"] == "released"
    assert ok("bridge", "reject", tid, *where, "--account", "dev:0")["action"] == "rejected"
    assert ok("bridge", "status", tid, *where)["status"] == "failed"
    before = world.balance(HOME, ALICE)
    world.refund(transfer)
    assert world.balance(HOME, ALICE) == before + Decimal("150.00")
