"""`tenge bench relayer`: the relayer's latency (finality -> delivery) and throughput, beside raw web3.py.

Two fresh anvils (home 31337, BNB side 97) with the suite and bridge deployed by `tenge deploy`, then mining a
block every second; confirmation depth 2; five real validator processes (`tenge bridge validator run`, 3 of 5)
with devnet keys derived from a public phrase; one relayer process (`tenge bridge relayer run`, SQLite). All on
the same machine, in one run (see :mod:`tenge.bench.relayer_timing` for the finality point and the figures).

- relayer, burst (saturation): N transfers home -> BNB sent at once (pipelined; they land in a few home blocks);
  latency from each transfer's finality point to its delivery, throughput = N / (last delivery - first finality).
- relayer, steady rate: M transfers sent at R a second (well under saturation), in equal segments over ten phases of
  the BNB blocks against the home blocks (:mod:`tenge.bench.relayer_phases`); latency as above, and the relayer's own
  share: from the finality point to its delivery transaction first seen in the BNB node's pool.
- raw web3.py peer, after the relayer has been stopped (nothing competes with it): N transfers, signatures gathered
  first (not timed), then one escrow attestation and N ``deliver`` transactions signed locally and sent without
  waiting from one key; latency = delivery block seen - the first send (it has no finality to wait for: its
  signatures are in hand), throughput = N / that span.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak
from web3 import Web3
from web3.types import TxParams

from tenge.bench.relayer_phases import PhaseRun, steady_over_phases
from tenge.bench.relayer_timing import BlockClock, CpuWatch, Figures, await_deliveries, figures, rpc, send_transfers
from tenge.bridge.attestations import Attestation
from tenge.bridge.client import BridgeClient
from tenge.session import Session
from tenge.toolchain.anvil import dev_keys, free_port, start_anvil

HOME, BNB, HOME_CHAIN, BNB_CHAIN = "bench-home", "bench-bnb", 31337, 97
ADMIN, BANK, ALICE, BOB, RELAYER, RAW = 0, 1, 2, 3, 4, 5
PASSWORD = "bench-validator-password"
FINALITY_POINT = "the home block at depth 2 over the transfer's block first seen, 20 ms polling"
#: phases of the BNB blocks against the home blocks the steady run is spread over (offsets 0, 0.1 ... 0.9 s)
PHASES = 10
Say = Callable[[str], None]


def _validators() -> list[LocalAccount]:
    return [Account.from_key(keccak(text=f"digital tenge relayer bench validator {i}")) for i in range(5)]


def _config(home: str, bnb: str, confirmations: int) -> str:
    validators = ", ".join(f'"{v.address}"' for v in _validators())
    limits = 'capacity = "100000000.00"\nrefill_per_second = "1000000.00"'
    return f"""
[networks.{HOME}]
chain_id = {HOME_CHAIN}
rpc_url = "{home}"
local = true
confirmations = {confirmations}

[networks.{BNB}]
rpc_url = "{bnb}"
local = true
confirmations = {confirmations}

[suite.network.{BNB}.token]
reserve_gated = true

[suite.bridge]
home = "{HOME}"
validators = [{validators}]
threshold = 3

[suite.bridge.limits.inbound]
{limits}

[suite.bridge.limits.outbound]
{limits}

[suite.bridge.remotes.{BNB}]
chain_id = {BNB_CHAIN}
"""


@dataclass
class RelayerBench:
    burst: Figures
    steady: PhaseRun
    raw: Figures
    context: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"block_time_s": 1, "confirmations": 2, "validators": "3 of 5",
                "finality_point": FINALITY_POINT, "relayer_burst": self.burst.to_dict(),
                "relayer_steady": self.steady.to_dict(),
                "raw_web3_pipelined": self.raw.to_dict(), "machine": self.context}  # fmt: skip

    def table(self) -> str:
        steady = self.steady
        def row(name: str, f: Figures) -> str:
            return f"{name:46} {f.p50:7.2f} {f.p95:7.2f} {f.per_second:7.1f}"

        lines = [
            f"{'deliveries home -> BNB (1 s blocks, depth 2)':46} {'p50 s':>7} {'p95 s':>7} {'per s':>7}",
            row(f"relayer, burst of {self.burst.transfers} (saturation)", self.burst),
            row(f"relayer, steady {steady.rate:g}/s ({steady.steady.transfers}, {len(steady.phases)} phases)", steady.steady),
            f"{'  its own share: finality -> BNB node pool':46} {steady.share_p50:7.2f} {steady.share_p95:7.2f}",
            row(f"raw web3.py pipelined, sigs in hand ({self.raw.transfers})", self.raw),
        ]
        by_phase = " ".join(f"{p['offset_s']:.1f}:{p['latency_p50_s']:.2f}" for p in steady.phases)
        busy = ", ".join(f"{k} {v}" for k, v in self.context["cores_busy"].items())
        lines += ["", f"latency: relayer rows from the finality point ({FINALITY_POINT}) to the delivery block; raw row",
                  "from its first send (no finality to wait for). per s: transfers / (last delivery - first finality",
                  "point, or first send). Steady row: latency when not saturated, the BNB blocks restarted at ten offsets",
                  "from the home blocks (two real chains tick independently); its per s is the offered rate.",
                  f"steady p50 by BNB block offset (s): {by_phase}",
                  f"machine: {self.context['cores']} cores, load average {self.context['load_average_1m']} (1 min) at the "
                  f"end; cores busy during the burst: {busy}"]  # fmt: skip
        return "\n".join(lines)


def _tenge(*args: str, env: dict[str, str], log: Path | None = None) -> subprocess.Popen[bytes]:
    out = log.open("ab") if log else subprocess.DEVNULL
    profile = os.environ.get("TENGE_BENCH_PROFILE")  # a folder: each service runs under cProfile (<log name>.prof there)
    prefix = ["-m", "cProfile", "-o", str(Path(profile) / f"{log.stem}.prof")] if profile and log else []
    return subprocess.Popen([sys.executable, *prefix, "-m", "tenge.cli", *args], env=env, stdout=out, stderr=out)


@contextmanager
def _env(values: dict[str, str]) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            if time.time() > deadline:
                raise TimeoutError(f"{url} did not answer") from None
            time.sleep(0.2)


def _setup_holders(records: Path, count: int) -> None:
    keys = dev_keys(10)
    home = Session.open(HOME, account="dev:0", record_dir=records).token()
    home.grant_role("MINTER_ROLE", keys[BANK].address)
    home.set_minter_allowance(keys[BANK].address, Decimal(count * 3))
    for network in (HOME, BNB):
        token = Session.open(network, account="dev:0", record_dir=records).token()
        for index in (BANK, ALICE, BOB):
            token.set_tier(keys[index].address, 2 if index != BANK else 3)
    Session.open(HOME, account=f"dev:{BANK}", record_dir=records).token().mint(keys[ALICE].address, Decimal(count * 3))
    bridge = Session.open(HOME, account=f"dev:{ALICE}", record_dir=records).bridge()
    Session.open(HOME, account=f"dev:{ALICE}", record_dir=records).token().approve(bridge.address, Decimal(count * 3))


def run_relayer_bench(count: int = 300, progress: Say | None = None, *, steady_rate: float = 10.0,
                      steady_count: int = 100) -> RelayerBench:  # fmt: skip
    say = progress or (lambda message: None)
    procs: list[subprocess.Popen[bytes]] = []
    with start_anvil(chain_id=HOME_CHAIN) as home_net, start_anvil(chain_id=BNB_CHAIN) as bnb_net, \
            tempfile.TemporaryDirectory(prefix="tenge-bench-relayer-") as tmp:  # fmt: skip
        folder = Path(tmp)
        records, deploy_cfg, run_cfg = folder / "deployments", folder / "deploy.toml", folder / "tenge.toml"
        deploy_cfg.write_text(_config(home_net.rpc_url, bnb_net.rpc_url, 1))
        run_cfg.write_text(_config(home_net.rpc_url, bnb_net.rpc_url, 2))
        env = {"TENGE_CONFIG": str(deploy_cfg), "TENGE_DEPLOYMENTS_DIR": str(records), "TENGE_HOME": str(folder / "home")}
        try:
            with _env(env):
                say("deploying the suite and the bridge on both chains")
                for network in (HOME, BNB, HOME):
                    subprocess.run([sys.executable, "-m", "tenge.cli", "deploy", "--network", network], env=os.environ.copy(),
                                   check=True, capture_output=True, timeout=600)  # fmt: skip
                _setup_holders(records, count * 2 + steady_count)
                from tenge.chain.accounts import import_account

                for i, key in enumerate(_validators()):
                    import_account(f"bench-validator-{i}", key.key.hex(), PASSWORD)
                home_bridge = Session.open(HOME, account="dev:0", record_dir=records).bridge()
                bnb_bridge = Session.open(BNB, account=f"dev:{RAW}", record_dir=records).bridge()
            hw3, bw3 = Web3(Web3.HTTPProvider(home_net.rpc_url)), Web3(Web3.HTTPProvider(bnb_net.rpc_url))
            gap = int(hw3.eth.get_block("latest")["timestamp"]) - int(bw3.eth.get_block("latest")["timestamp"])
            if gap >= 0:
                rpc(bw3, "evm_increaseTime", [gap + 1])
            for w3 in (hw3, bw3):
                rpc(w3, "evm_setAutomine", [False])
                rpc(w3, "evm_setIntervalMining", [1])
            run_env = {**os.environ, **env, "TENGE_CONFIG": str(run_cfg), "TENGE_KEYSTORE_PASSWORD": PASSWORD}
            urls = []
            say("starting five validator processes (3 of 5, depth 2)")
            for i in range(5):
                port = free_port()
                urls.append(f"http://127.0.0.1:{port}")
                procs.append(_tenge("bridge", "validator", "run", "--network", HOME, "--peer", BNB, "--account",
                                    f"bench-validator-{i}", "--listen", f"127.0.0.1:{port}", "--db",
                                    f"sqlite:///{folder / f'v{i}.db'}", "--poll-interval-ms", "100", env=run_env,
                                    log=folder / f"v{i}.log"))  # fmt: skip
            for url in urls:
                _wait_http(url + "/v1/status")
            home_clock, bnb_clock = BlockClock(hw3), BlockClock(bw3)
            alice, bob = dev_keys(10)[ALICE], dev_keys(10)[BOB]
            say(f"relayer: {count} transfers home -> BNB")
            procs.append(_tenge("bridge", "relayer", "run", "-n", HOME, "-n", BNB, "-a", f"dev:{RELAYER}", "--db",
                                f"sqlite:///{folder / 'relayer.db'}", "--poll-interval", "0.05", "--instance", "bench",
                                *[a for u in urls for a in ("--validator", u)], env=run_env, log=folder / "relayer.log"))  # fmt: skip
            deadline = time.time() + 60
            while b'"relayer started"' not in (folder / "relayer.log").read_bytes():  # measure the relayer, not its boot
                if time.time() > deadline:
                    raise TimeoutError("the relayer did not start")
                time.sleep(0.1)
            watch = CpuWatch({"relayer": [procs[-1].pid], "validators": [p.pid for p in procs[:5]]})
            since = int(bw3.eth.block_number)
            sent = send_transfers(home_bridge, hw3, alice, bob.address, BNB_CHAIN, count)
            final = [home_clock.at(block + 1) for _, block in sent]
            burst = figures(final, await_deliveries(bnb_bridge, [t.id_hex for t, _ in sent], bnb_clock, since))
            context = watch.report()
            say(f"relayer: {steady_count} transfers at {steady_rate:g}/s over {PHASES} phases of the BNB blocks")
            steady = steady_over_phases(home_bridge, bnb_bridge, hw3, bw3, alice, bob.address, BNB_CHAIN,
                                        dev_keys(10)[RELAYER].address, (home_clock, bnb_clock), steady_count, steady_rate,
                                        PHASES)  # fmt: skip
            relayer = procs.pop()  # stopped before the raw peer: nothing competes with it, nothing to catch up
            relayer.terminate()
            relayer.wait(30)
            raw = _raw_peer(home_bridge, bnb_bridge, hw3, bw3, alice, bob.address, urls, count, bnb_clock, say)
            home_clock.stop(); bnb_clock.stop()  # fmt: skip
            context["load_average_1m"] = round(os.getloadavg()[0], 1)
            return RelayerBench(burst, steady, raw, context)
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
            keep = os.environ.get("TENGE_BENCH_LOGS")  # a folder to keep the services' logs in
            if keep:
                Path(keep).mkdir(parents=True, exist_ok=True)
                for log in folder.glob("*.log"):
                    (Path(keep) / log.name).write_bytes(log.read_bytes())


def _raw_peer(home: BridgeClient, bnb: BridgeClient, hw3: Web3, bw3: Web3, alice: LocalAccount, bob: str, urls: list[str],
              count: int, clock: BlockClock, say: Say) -> Figures:  # fmt: skip
    """The same deliveries by hand: signatures gathered first (untimed), then sent pipelined from one key."""
    from tenge.bridge.relayer.gatherer import Gatherer

    say(f"raw web3.py peer: {count} transfers, signatures gathered first")
    sent = send_transfers(home, hw3, alice, bob, BNB_CHAIN, count)
    gatherer = Gatherer(urls)
    validators = set(bnb.validators())
    signed: dict[str, list[Attestation]] = {}
    deadline = time.time() + 300
    while len(signed) < count:
        if time.time() > deadline:
            raise TimeoutError("validators did not sign the raw peer's transfers")
        for transfer, _ in sent:
            if transfer.id_hex not in signed:
                got = gatherer.gather(f"/v1/transfers/{transfer.id_hex}", "Transfer", bnb.domain, transfer, validators)
                if len(got.valid) >= 3:
                    signed[transfer.id_hex] = got.valid[:3]
        time.sleep(0.2)
    last_block = max(b for _, b in sent)
    while True:
        escrow = gatherer.escrow(BNB_CHAIN, bnb.domain, validators, 3)
        if escrow and escrow[0].sequence >= last_block:
            break
        time.sleep(0.2)
    gatherer.close()
    key = bnb.session.signer.account
    nonce = int(bw3.eth.get_transaction_count(key.address, "pending"))
    fees = {"maxFeePerGas": int(bw3.eth.gas_price) * 2, "maxPriorityFeePerGas": 1, "chainId": BNB_CHAIN}
    figure, escrow_sigs = escrow
    calls = [bnb.contract.functions.attestEscrow(figure.as_struct(), [a.signer for a in escrow_sigs], [a.signature for a in escrow_sigs])]
    for transfer, _ in sent:
        sigs = signed[transfer.id_hex]
        calls.append(bnb.contract.functions.deliver(transfer.as_struct(), [a.signer for a in sigs], [a.signature for a in sigs]))
    started = time.time()
    hashes = [bw3.eth.send_raw_transaction(key.sign_transaction(cast(Any,
        call.build_transaction(cast(TxParams, {"from": key.address, "nonce": nonce + i, "gas": 300_000, **fees})))).raw_transaction)
        for i, call in enumerate(calls)]  # fmt: skip
    blocks = [int(bw3.eth.wait_for_transaction_receipt(h, timeout=120)["blockNumber"]) for h in hashes[1:]]
    delivered = [clock.at(b) for b in blocks]
    return figures([started] * len(delivered), delivered)
