"""Local devnets: anvil from the project's node_modules, started on a free port and always stopped."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import closing
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import requests

from tenge import paths
from tenge.errors import DevnetConflict, RpcUnreachable, ToolchainMissing

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

#: anvil's well-known development mnemonic; its keys are public and fund nothing real.
DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEFAULT_CHAIN_ID = 31337
DEFAULT_ACCOUNTS = 10
DEFAULT_BALANCE_ETH = 10_000


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: The npm package that carries the anvil binary (pinned in package.json): what a pip user installs.
ANVIL_NPM_PACKAGE = "@foundry-rs/anvil-linux-amd64@1.7.1"


def anvil_binary() -> Path:
    """anvil from the checkout's node_modules; in a wheel install, from ``./node_modules`` or the PATH."""
    checkout = paths.source_checkout()
    if checkout is not None:
        binary = checkout / "node_modules" / ".bin" / "anvil"
        if not binary.exists():
            raise ToolchainMissing(f"anvil is not installed ({binary} missing): run `make bootstrap` (npm ci)")
        return binary
    local = Path.cwd() / "node_modules" / ".bin" / "anvil"
    if local.exists():
        return local
    on_path = shutil.which("anvil")
    if on_path:
        return Path(on_path)
    raise ToolchainMissing(
        f"anvil is not installed: with a pip install, run `npm install --ignore-scripts {ANVIL_NPM_PACKAGE}` "
        "in this folder (Linux x64; it puts node_modules/.bin/anvil here) or put Foundry's anvil on the PATH"
    )


@dataclass
class DevnetInfo:
    """What a running devnet is: enough to find, use and stop it."""

    pid: int
    port: int
    chain_id: int
    rpc_url: str
    log_file: str | None = None


class Devnet:
    """An anvil process. Use as a context manager so it is stopped on error or Ctrl-C too."""

    def __init__(self, process: subprocess.Popen[bytes], info: DevnetInfo) -> None:
        self.process = process
        self.info = info

    @property
    def rpc_url(self) -> str:
        return self.info.rpc_url

    @property
    def chain_id(self) -> int:
        return self.info.chain_id

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def __enter__(self) -> "Devnet":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def start_anvil(
    *,
    port: int | None = None,
    chain_id: int = DEFAULT_CHAIN_ID,
    block_time: float | None = None,
    accounts: int = DEFAULT_ACCOUNTS,
    fork_url: str | None = None,
    log_file: Path | None = None,
    detach: bool = False,
    timeout: float = 30.0,
    state_file: Path | None = None,
) -> Devnet:
    """Start anvil and wait until it answers JSON-RPC.

    ``detach`` lets it outlive this process; ``fork_url`` forks another chain (used for dry runs);
    ``state_file`` is anvil's ``--state``: the chain is loaded from it when it exists and dumped to it
    when anvil exits (SIGTERM included), so a devnet can be stopped and restarted where it was.
    """
    port = port or free_port()
    args = [
        str(anvil_binary()),
        "--host", "127.0.0.1",
        "--port", str(port),
        "--chain-id", str(chain_id),
        "--accounts", str(accounts),
        "--balance", str(DEFAULT_BALANCE_ETH),
        "--mnemonic", DEV_MNEMONIC,
    ]  # fmt: skip
    if block_time:
        args += ["--block-time", str(block_time)]
    if fork_url:
        args += ["--fork-url", fork_url]
    if state_file is not None:
        args += ["--state", str(state_file)]
    log = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115 - handed to the child
    try:
        process = subprocess.Popen(
            args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=detach
        )
    finally:
        if log_file:
            log.close()  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}"
    devnet = Devnet(process, DevnetInfo(process.pid, port, chain_id, url, str(log_file) if log_file else None))
    try:
        _wait_until_ready(devnet, timeout)
    except BaseException:
        devnet.stop()
        raise
    return devnet


def _wait_until_ready(devnet: Devnet, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if devnet.process.poll() is not None:
            raise RpcUnreachable(
                f"anvil exited with code {devnet.process.returncode} before {devnet.rpc_url} was up{_log_tail(devnet)}"
            )
        if rpc_chain_id(devnet.rpc_url, timeout=1.0) is not None:
            return
        time.sleep(0.1)
    raise RpcUnreachable(f"anvil did not answer at {devnet.rpc_url} within {timeout:.0f}s")


def _log_tail(devnet: Devnet) -> str:
    """``: <anvil's last log line>`` (its reason, such as ``Address already in use``), when it logs to a file."""
    if not devnet.info.log_file:
        return ""
    try:
        lines = [line.strip() for line in Path(devnet.info.log_file).read_text(errors="replace").splitlines()]
    except OSError:
        return ""
    last = next((line for line in reversed(lines) if line), "")
    return f": {last[:300]} (log {devnet.info.log_file})" if last else ""


def rpc_chain_id(url: str, timeout: float = 3.0) -> int | None:
    """eth_chainId of ``url``, or None if nothing answers."""
    try:
        reply = requests.post(
            url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}, timeout=timeout
        )
        return int(reply.json()["result"], 16)
    except (requests.RequestException, ValueError, KeyError):
        return None


# --- devnets started by `tenge devnet up`, tracked by a state file so `down`/`status` find them ---


def _state_file(port: int) -> Path:
    return paths.user_config_dir() / "devnets" / f"{port}.json"


def up(*, port: int = 8545, chain_id: int = DEFAULT_CHAIN_ID, block_time: float | None = None) -> DevnetInfo:
    """Start a detached devnet on ``port``, or return the one ``tenge devnet up`` already runs there with the
    same chain id. Refuses a port that serves another chain or that another process holds."""
    state = _state_file(port)
    existing = status(port)
    if existing is not None:
        serving = rpc_chain_id(existing.rpc_url, timeout=1.0)
        if serving is not None and serving != chain_id:
            raise DevnetConflict(
                f"a devnet with chain id {serving} already runs on port {port} (pid {existing.pid}), not chain id "
                f"{chain_id}; stop it with `tenge devnet down --port {port}` or pick another --port"
            )
        return existing
    url = f"http://127.0.0.1:{port}"
    serving = rpc_chain_id(url, timeout=1.0)
    if serving is not None:
        raise DevnetConflict(
            f"port {port} is already served by another node (chain id {serving}) that `tenge devnet up` did not "
            "start; stop it or pick another --port"
        )
    busy = port_in_use(port)
    if busy:
        raise DevnetConflict(f"port {port} is in use by another process ({busy}); pick another --port")
    state.parent.mkdir(parents=True, exist_ok=True)
    devnet = start_anvil(
        port=port, chain_id=chain_id, block_time=block_time, log_file=state.with_suffix(".log"), detach=True
    )
    state.write_text(json.dumps(asdict(devnet.info)))
    return devnet.info


def port_in_use(port: int) -> str | None:
    """Why ``port`` on 127.0.0.1 cannot be listened on (``Address already in use``), or None if it can."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        # as anvil does: a port whose last connections linger in TIME_WAIT is free to listen on
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def status(port: int = 8545) -> DevnetInfo | None:
    state = _state_file(port)
    if not state.exists():
        return None
    info = DevnetInfo(**json.loads(state.read_text()))
    if rpc_chain_id(info.rpc_url, timeout=1.0) is None:
        state.unlink()
        return None
    return info


def down(port: int = 8545) -> bool:
    info = status(port)
    if info is None:
        return False
    try:
        os.kill(info.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and rpc_chain_id(info.rpc_url, timeout=0.5) is not None:
        time.sleep(0.1)
    _state_file(port).unlink(missing_ok=True)
    return True


def dev_accounts(count: int = DEFAULT_ACCOUNTS) -> list[str]:
    """Addresses of the funded development accounts (keys are anvil's public ones; never printed)."""
    return [key.address for key in dev_keys(count)]


def dev_keys(count: int = DEFAULT_ACCOUNTS) -> list["LocalAccount"]:
    return [_dev_key(i) for i in range(count)]


def dev_key(index: int) -> "LocalAccount":
    """anvil's public development key ``index`` (derived from its well-known mnemonic)."""
    return _dev_key(index)


@lru_cache(maxsize=None)
def _dev_key(index: int) -> "LocalAccount":
    # BIP-39 seed derivation costs ~0.15 s per key; sessions for dev:N are opened many times in tests.
    from eth_account import Account

    Account.enable_unaudited_hdwallet_features()
    account: LocalAccount = Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")
    return account

