"""The pilot's world: two anvils (the home ledger, and a BNB-side chain with chain id 97 and 1-second blocks), the
suite deployed on both through `tenge deploy`'s own path (suite plan + Deployer, from one configuration file),
five validators and a relayer as real ``tenge`` subprocesses with SQLite stores.

Everything it starts is registered on an :class:`contextlib.ExitStack` and stopped when the world closes: on
success, on an error, on Ctrl-C (KeyboardInterrupt) and on SIGTERM (turned into :class:`SystemExit`).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from web3 import Web3

from tenge.errors import TengeError
from tenge.toolchain.anvil import Devnet, dev_keys, free_port, start_anvil

HOME, BNB, GOLD, SOM = "kz-home", "bnb-local", "kz-gold", "kg-som"
HOME_CHAIN, BNB_CHAIN = 31337, 97
ACCOUNTS = 22
#: dev accounts (anvil's public keys of the well-known mnemonic) of the pilot's parties
WHO: dict[str, int] = {
    "central bank": 0, "Halyk bank": 1, "Kaspi bank": 2, "Almaty city budget": 3,
    "canteen School 17": 4, "canteen School 42": 5, "toy shop": 6,
    "pupil Aigerim": 7, "pupil Daniyar": 8, "pupil Madina": 9, "parent Aliya": 10,
    "relayer": 11, "BNB cafe": 12, "non-KYC stranger": 13, "move-to-earn app": 14, "walker Timur": 15,
    "village shop": 21,
}  # fmt: skip
VALIDATOR_INDEXES = (16, 17, 18, 19, 20)
THRESHOLD = 3
#: The school-meals VAT category of the default configuration (src/tenge/defaults/suite.toml).
SCHOOL_MEALS = 5

Say = Callable[[str], None]


class PilotFailed(TengeError):
    """The pilot could not complete a step (a service did not come up, a transfer did not settle, an audit differed).
    Everything it started is stopped all the same."""

    exit_code = 1


def address(name: str) -> str:
    return str(dev_keys(ACCOUNTS)[WHO[name]].address)


def config_text(home_url: str, bnb_url: str) -> str:
    """The pilot's tenge.toml: the networks, the bridge (validators, 3 of 5), and the gold token and digital som as configuration only (currency tables on their own network names)."""
    keys = dev_keys(ACCOUNTS)
    validators = ", ".join(f'"{keys[i].address}"' for i in VALIDATOR_INDEXES)
    return f"""
[networks.{HOME}]
chain_id = {HOME_CHAIN}
rpc_url = "{home_url}"
local = true

[networks.{BNB}]
rpc_url = "{bnb_url}"
local = true

[networks.{GOLD}]
chain_id = {HOME_CHAIN}
rpc_url = "{home_url}"
local = true

[networks.{SOM}]
chain_id = {HOME_CHAIN}
rpc_url = "{home_url}"
local = true

# The central bank attests the non-cash reserve at home; on the BNB side the validators attest the home escrow.
[suite.network.{HOME}.token]
reserve_gated = true

[suite.network.{BNB}.token]
reserve_gated = true

# A gold-backed token: grams (2 decimals), its own reserve attestation, beside the tenge.
[suite.network.{GOLD}.currency]
name = "Tokenised Gold"
symbol = "GOLDG"
code = "XAU"

[suite.network.{GOLD}.token]
reserve_gated = true

# Kyrgyzstan's digital som: the same suite, another currency table.
[suite.network.{SOM}.currency]
name = "Digital Som"
symbol = "DKGS"
code = "KGS"

[suite.bridge]
home = "{HOME}"
validators = [{validators}]
threshold = {THRESHOLD}

[suite.bridge.remotes.{BNB}]
chain_id = {BNB_CHAIN}
"""


def http_json(url: str, timeout: float = 2.0) -> tuple[int, Any]:
    """(status, body) of a GET; status 0 when nothing answers. The body is JSON where it parses, else text."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            raw = response.read()
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code), None
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0, None
    try:
        return status, json.loads(raw or b"null")
    except ValueError:
        return status, raw.decode(errors="replace")


@dataclass
class Service:
    """One real subprocess (`tenge bridge validator run` or `tenge bridge relayer run`) and its log."""

    name: str
    args: list[str]
    env: dict[str, str]
    log: Path
    port: int
    ready_path: str
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> "Service":
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tenge.cli", *self.args], env=self.env, stdout=out, stderr=out,
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ready(self) -> bool:
        status, body = http_json(f"http://127.0.0.1:{self.port}{self.ready_path}")
        if self.ready_path == "/v1/status":
            return status == 200 and isinstance(body, dict) and bool(body.get("chains"))
        return status == 200

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise PilotFailed(f"{self.name} exited with {self.process and self.process.returncode}:\n{self.tail()}")
            if self.ready():
                return
            time.sleep(0.1)
        raise PilotFailed(f"{self.name} did not answer on port {self.port} within {timeout:.0f} s:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL: no clean-up, no flush - what a crash looks like."""
        if self.process is not None and self.alive():
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or not self.alive():
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()

    def tail(self, lines: int = 15) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class PilotWorld:
    folder: Path
    say: Say
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    home: Devnet | None = None
    bnb: Devnet | None = None
    validators: list[Service] = field(default_factory=list)
    relayers: list[Service] = field(default_factory=list)
    deployments: dict[str, dict[str, Any]] = field(default_factory=dict)

    # --- paths and environment ----------------------------------------------------------------------------

    @property
    def config(self) -> Path:
        return self.folder / "tenge.toml"

    @property
    def records(self) -> Path:
        return self.folder / "deployments"

    def env(self) -> dict[str, str]:
        return {
            **os.environ, "TENGE_CONFIG": str(self.config), "TENGE_DEPLOYMENTS_DIR": str(self.records),
            "TENGE_HOME": str(self.folder / "home"), "PYTHONUNBUFFERED": "1",
        }  # fmt: skip

    def w3(self, chain: str) -> Web3:
        devnet = self.home if chain == HOME else self.bnb
        assert devnet is not None
        return Web3(Web3.HTTPProvider(devnet.rpc_url))

    # --- chains ---------------------------------------------------------------------------------------------

    def start_chains(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "home").mkdir(exist_ok=True)
        self.home = self.stack.enter_context(start_anvil(chain_id=HOME_CHAIN, accounts=ACCOUNTS, log_file=self.folder / "anvil-home.log"))
        self.say(f"home ledger: anvil at {self.home.rpc_url} (chain id {HOME_CHAIN}, a block per transaction, pid {self.home.info.pid})")
        self.bnb = self.stack.enter_context(
            start_anvil(chain_id=BNB_CHAIN, accounts=ACCOUNTS, block_time=1, log_file=self.folder / "anvil-bnb.log")
        )
        self.say(f"BNB side:    anvil at {self.bnb.rpc_url} (chain id {BNB_CHAIN}, 1-second blocks, pid {self.bnb.info.pid})")
        self.config.write_text(config_text(self.home.rpc_url, self.bnb.rpc_url))
        for name, value in self.env().items():
            if name.startswith("TENGE_"):
                self.stack.callback(_restore_env, name, os.environ.get(name))
                os.environ[name] = value

    def rpc(self, chain: str, method: str, params: list[Any] | None = None) -> Any:
        return self.w3(chain).provider.make_request(method, params or [])["result"]  # type: ignore[arg-type]

    def advance(self, seconds: int) -> None:
        """Move both chains' clocks forward together (the BNB side refuses escrow figures from its future)."""
        for chain in (HOME, BNB):
            self.rpc(chain, "evm_increaseTime", [seconds])
            self.rpc(chain, "evm_mine")

    # --- deployment -----------------------------------------------------------------------------------------

    def deploy(self, network: str) -> dict[str, Any]:
        """What `tenge deploy --network NETWORK` does: the suite plan for NETWORK's configuration, run by the
        Deployer from the central bank's key, the record written under the pilot's deployments folder."""
        from tenge.deploy.deployer import Deployer
        from tenge.deploy.suite import suite_plan
        from tenge.deploy.suite_config import load_suite_config
        from tenge.session import Session

        session = Session.open(network, account=f"dev:{WHO['central bank']}")
        sender = session.signer
        plan = suite_plan(load_suite_config(session.network.name), sender.address, chain_id=session.w3.eth.chain_id)
        deployer = Deployer.for_network(sender)
        report = deployer.run(plan)
        entry = {
            "network": network, "chainId": report.chain_id, "transactions": report.transactions_sent,
            "gas": report.gas_used, "contracts": {k: v["address"] for k, v in deployer.record.contracts.items()},
        }  # fmt: skip
        previous = self.deployments.get(network)
        if previous is not None:  # a re-run (the home's, registering the remote): the record adds up both
            total = {**entry, "transactions": entry["transactions"] + previous["transactions"], "gas": entry["gas"] + previous["gas"]}
            self.deployments[network] = total
        else:
            self.deployments[network] = entry
        return entry

    def deploy_bridge_suite(self) -> None:
        """Home, then the BNB side, then home again (registers the BNB-side bridge as the home's peer). The BNB
        side is deployed with automining for speed, then goes back to 1-second blocks."""
        self.rpc(BNB, "evm_setAutomine", [True])
        try:
            for network in (HOME, BNB, HOME):
                entry = self.deploy(network)
                self.say(f"deploy {network}: {entry['transactions']} transactions, {entry['gas']:,} gas")
        finally:
            self.rpc(BNB, "evm_setIntervalMining", [1])

    # --- services -------------------------------------------------------------------------------------------

    def start_validators(self, *, wait: bool = True) -> None:
        for n, index in enumerate(VALIDATOR_INDEXES):
            port = free_port()
            args = [
                "bridge", "validator", "run", "--network", HOME, "--peer", BNB, "--account", f"dev:{index}",
                "--listen", f"127.0.0.1:{port}", "--db", f"sqlite:///{self.folder / f'validator-{n}.sqlite'}",
                "--poll-interval-ms", "200", "--escrow-every-blocks", "20",
            ]  # fmt: skip
            service = Service(f"validator {n}", args, self.env(), self.folder / f"validator-{n}.log", port, "/v1/status")
            self.validators.append(service.start())
            self.stack.callback(service.stop)
            self.say(f"  {service.name} starting: http://127.0.0.1:{port} (pid {service.process and service.process.pid})")
        if wait:
            self.wait_validators()

    def wait_validators(self) -> None:
        for service in self.validators:
            service.wait_ready()
        self.say(f"  {len(self.validators)} validators ready (each answers /v1/status with both chains)")

    def start_relayer(self, instance: str, *, wait: bool = True) -> Service:
        port = free_port()
        args = [
            "bridge", "relayer", "run", "-n", HOME, "-n", BNB, "-a", f"dev:{WHO['relayer']}",
            "--db", f"sqlite:///{self.folder / 'relayer.sqlite'}", "--instance", instance,
            "--poll-interval", "0.2", "--lease-seconds", "5", "--metrics", f"127.0.0.1:{port}",
        ]  # fmt: skip
        for v in self.validators:
            args += ["--validator", f"http://127.0.0.1:{v.port}"]
        service = Service(f"relayer {instance}", args, self.env(), self.folder / f"relayer-{instance}.log", port, "/metrics")
        self.relayers.append(service.start())
        self.stack.callback(service.stop)
        self.say(f"  relayer {instance} starting: metrics http://127.0.0.1:{port}/metrics (pid {service.process and service.process.pid})")
        if wait:
            service.wait_ready()
            self.say(f"  relayer {instance} ready")
        return service

    def pids(self) -> list[int]:
        """Every process this world started (anvils, validators, relayers)."""
        found = [d.process.pid for d in (self.home, self.bnb) if d is not None]
        return found + [s.process.pid for s in (*self.validators, *self.relayers) if s.process is not None]

    def ports(self) -> list[int]:
        found = [d.info.port for d in (self.home, self.bnb) if d is not None]
        return found + [s.port for s in (*self.validators, *self.relayers)]

    def close(self) -> None:
        self.stack.close()


def _restore_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


@contextlib.contextmanager
def pilot_world(folder: Path, say: Say) -> Iterator[PilotWorld]:
    """The world, closed (every process stopped) however the block ends; SIGTERM ends it like Ctrl-C does."""
    world = PilotWorld(folder, say)
    previous = signal.getsignal(signal.SIGTERM)
    in_main = _is_main_thread()
    if in_main:
        signal.signal(signal.SIGTERM, _sigterm)
    try:
        yield world
    finally:
        world.close()
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def _sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _is_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()
