"""The relayer tests' world: two real anvils (home 31337, BNB side 97) with the suite and bridge deployed by
`tenge deploy`, five signing servers (3 of 5), and relayer PROCESSES (`tenge bridge relayer run`) started,
SIGKILLed and restarted by the tests. Deliveries are counted from the chain (every deliver transaction mined,
reverted ones included), never from the relayer's own word."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bridge_world import BNB, BNB_CHAIN, HOME, HOME_CHAIN, VALIDATORS, BridgeWorld
from signing_validators import ChainView, SigningServer

from tenge.bridge.client import BridgeClient

RELAYER_KEYS = (4, 8)  # dev accounts: one key per relayer instance


@dataclass
class RelayerProc:
    name: str
    args: list[str]
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> "RelayerProc":
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "tenge.cli", *self.args], env=self.env, stdout=out, stderr=out)
        return self

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def pause(self) -> None:
        """SIGSTOP: a stalled instance (its leases and any open transaction stay as they are)."""
        assert self.proc and self.proc.poll() is None
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.resume()  # a paused instance would not act on SIGTERM
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


@dataclass
class RelayerWorld:
    bridge: BridgeWorld
    tmp: Path
    servers: list[SigningServer] = field(default_factory=list)
    relayers: list[RelayerProc] = field(default_factory=list)

    def start_validators(self, modes: dict[int, str] | None = None) -> None:
        view = ChainView([self.bridge.bridge(HOME), self.bridge.bridge(BNB)])
        self.servers = [SigningServer(VALIDATORS[i], view, (modes or {}).get(i, "good")).start() for i in range(5)]

    def relayer(self, name: str, key: int, db: str, *extra: str, instance: bool = True) -> RelayerProc:
        """A relayer process named ``name`` (its log file); ``instance=False`` leaves ``--instance`` to its default."""
        env = {**os.environ, "TENGE_CONFIG": str(self.bridge.config), "TENGE_DEPLOYMENTS_DIR": str(self.bridge.records),
               "TENGE_HOME": str(self.tmp / "home"), "PYTHONUNBUFFERED": "1"}  # fmt: skip
        args = ["bridge", "relayer", "run", "-n", HOME, "-n", BNB, "-a", f"dev:{key}", "--db", db,
                *(["--instance", name] if instance else []), "--poll-interval", "0.2", "--lease-seconds", "5", *extra]  # fmt: skip
        for server in self.servers:
            args += ["--validator", server.url]
        proc = RelayerProc(name, args, env, self.tmp / f"{name}.log").start()
        self.relayers.append(proc)
        return proc

    def stop_all(self) -> None:
        for relayer in self.relayers:
            relayer.stop()
        for server in self.servers:
            server.stop()

    # --- reading the chains -----------------------------------------------------------------------------

    def dest(self, chain_id: int) -> BridgeClient:
        return self.bridge.bridge(BNB if chain_id == BNB_CHAIN else HOME)

    def settled(self) -> dict[str, str]:
        """Every transfer of the test -> its status (delivered / queued / failed at the destination, refunded...)."""
        result = {}
        for t in self.bridge.transfers:
            at_source = self.bridge.bridge(HOME if t.source_chain_id == HOME_CHAIN else BNB).outbound_status(t.nonce)
            result[t.id_hex] = "refunded" if at_source == "Refunded" else self.dest(t.dest_chain_id).inbound_status(t.id).lower()
        return result

    def wait_for(self, done: Callable[[dict[str, str]], bool], timeout: float, what: str) -> dict[str, str]:
        deadline = time.monotonic() + timeout
        while True:
            state = self.settled()
            if done(state):
                return state
            if time.monotonic() > deadline:
                logs = "\n".join(r.log.read_text()[-3000:] for r in self.relayers if r.log.exists())
                raise AssertionError(f"{what}: not reached in {timeout}s: {Counter(state.values())}\n{logs}")
            for relayer in self.relayers:
                if relayer.proc is not None and not relayer.alive() and relayer.proc.returncode not in (-9, 0):
                    raise AssertionError(f"relayer {relayer.name} exited {relayer.proc.returncode}:\n{relayer.log.read_text()[-3000:]}")
            time.sleep(0.3)

    def batch_transactions(self, chain_id: int, since: int) -> list[int]:
        """The size of every deliverBatch transaction mined on ``chain_id`` since block ``since``."""
        bridge = self.dest(chain_id)
        sizes = []
        for number in range(since, int(bridge.w3.eth.block_number) + 1):
            for tx in bridge.w3.eth.get_block(number, full_transactions=True)["transactions"]:
                if tx["to"] == bridge.address:  # type: ignore[index]
                    function, args = bridge.contract.decode_function_input(tx["input"])  # type: ignore[index]
                    if function.fn_name == "deliverBatch":
                        sizes.append(len(args["deliveries"]))
        return sizes

    def deliver_calls(self, chain_id: int, since: int) -> Counter[str]:
        """Deliver transactions (and items of deliverBatch ones) mined on ``chain_id`` since block ``since``, per transfer
        id (reverted ones too)."""
        return Counter(transfer_id for transfer_id, _, _ in self.deliver_submissions(chain_id, since))

    def deliver_submissions(self, chain_id: int, since: int) -> list[tuple[str, str, bool]]:
        """(transfer id, sender, mined without revert) for each transfer in each deliver/deliverWithPayload/deliverBatch
        transaction mined on ``chain_id`` since block ``since``, read from the chain."""
        bridge = self.dest(chain_id)
        w3, found = bridge.w3, []
        for number in range(since, int(w3.eth.block_number) + 1):
            for tx in w3.eth.get_block(number, full_transactions=True)["transactions"]:
                if tx["to"] != bridge.address:  # type: ignore[index]
                    continue
                function, args = bridge.contract.decode_function_input(tx["input"])  # type: ignore[index]
                if function.fn_name in ("deliver", "deliverWithPayload"):
                    ids = [_id_of(args["transfer"])]
                elif function.fn_name == "deliverBatch":  # each item counts as a submission of its transfer
                    ids = [_id_of(item["transfer"] if isinstance(item, dict) else item[0]) for item in args["deliveries"]]
                else:
                    continue
                ok = int(w3.eth.get_transaction_receipt(tx["hash"])["status"]) == 1  # type: ignore[index]
                found += [(i, str(tx["from"]), ok) for i in ids]  # type: ignore[index]
        return found


def _id_of(struct: Any) -> str:
    from tenge.bridge.messages import BridgeTransfer

    return BridgeTransfer.from_struct(struct).id_hex
