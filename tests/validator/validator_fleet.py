"""Real validator processes for tests: ``tenge bridge validator run`` subprocesses, one keystore and one SQLite
store each, reached over HTTP on 127.0.0.1. Reusable (the relayer tests import it by name)::

    from validator_fleet import ValidatorFleet
    fleet = ValidatorFleet(tmp_path, config=world.config, records=world.records, keys=VALIDATORS)
    fleet.start_all()                       # five processes, each answering /v1/status
    fleet.urls                              # ["http://127.0.0.1:PORT", ...] for the relayer
    fleet.wait_signed(transfer.id_hex, 3)   # until 3 of them serve a Transfer attestation
    fleet.kill(2); fleet.start(2)           # SIGKILL, then restart on the same store and port
    fleet.stop_all()

The keys are imported into keystores under ``<folder>/home`` (TENGE_HOME), password from TENGE_KEYSTORE_PASSWORD.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount

from tenge.bridge.attestations import Attestation
from tenge.toolchain.anvil import free_port

HOME, BNB = "kz-home", "bnb-local"
PASSWORD = "validator-test-password"
TENGE = Path(sys.executable).with_name("tenge")


def http_get(url: str, timeout: float = 2.0) -> tuple[int, Any]:
    """(status, JSON body) of a GET; status 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return int(exc.code), json.loads(exc.read() or b"null")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, None


@dataclass
class ValidatorProcess:
    index: int
    alias: str
    port: int
    database: Path
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str) -> tuple[int, Any]:
        return http_get(self.url + path)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class ValidatorFleet:
    folder: Path
    config: Path
    records: Path
    keys: Sequence[LocalAccount]
    network: str = HOME
    peers: tuple[str, ...] = (BNB,)
    poll_interval_ms: int = 100
    extra_args: tuple[str, ...] = ()
    validators: list[ValidatorProcess] = field(default_factory=list)

    def __post_init__(self) -> None:
        from tenge.chain.accounts import import_account

        self.folder.mkdir(parents=True, exist_ok=True)
        home = self.folder / "home"
        home.mkdir(exist_ok=True)
        old = os.environ.get("TENGE_HOME")
        os.environ["TENGE_HOME"] = str(home)
        try:
            for index, key in enumerate(self.keys):
                alias = f"validator-{index}"
                if not (home / "keystores" / f"{alias}.json").exists():
                    import_account(alias, key.key.hex(), PASSWORD)
                self.validators.append(
                    ValidatorProcess(index, alias, free_port(), self.folder / f"v{index}.db", self.folder / f"v{index}.log")
                )
        finally:
            if old is None:
                os.environ.pop("TENGE_HOME", None)
            else:
                os.environ["TENGE_HOME"] = old

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "TENGE_HOME": str(self.folder / "home"),
            "TENGE_CONFIG": str(self.config),
            "TENGE_DEPLOYMENTS_DIR": str(self.records),
            "TENGE_KEYSTORE_PASSWORD": PASSWORD,
        }

    @property
    def urls(self) -> list[str]:
        return [v.url for v in self.validators]

    def command(self, index: int, *extra: str) -> list[str]:
        v = self.validators[index]
        peers = [arg for peer in self.peers for arg in ("--peer", peer)]
        return [
            str(TENGE), "bridge", "validator", "run", "--network", self.network, *peers, "--account", v.alias,
            "--listen", f"127.0.0.1:{v.port}", "--db", f"sqlite:///{v.database}",
            "--poll-interval-ms", str(self.poll_interval_ms), *self.extra_args, *extra,
        ]  # fmt: skip

    def start(self, index: int, *extra: str, wait: bool = True) -> ValidatorProcess:
        v = self.validators[index]
        assert not v.alive(), f"validator {index} is already running"
        with v.log.open("ab") as log:
            v.process = subprocess.Popen(self.command(index, *extra), env=self.env, stdout=log, stderr=log)
        if wait:
            self.wait_ready(index)
        return v

    def start_all(self) -> None:
        """Start every validator and wait until each answers; if one does not, none is left running (a fixture
        whose set-up fails gets no teardown: its processes would outlive the test run)."""
        try:
            for index in range(len(self.validators)):
                self.start(index, wait=False)
            for index in range(len(self.validators)):
                self.wait_ready(index)
        except BaseException:
            self.stop_all()
            raise

    def wait_ready(self, index: int, timeout: float = 60.0) -> None:
        v = self.validators[index]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert v.process is not None
            if v.process.poll() is not None:
                raise AssertionError(f"validator {index} exited with {v.process.returncode}:\n{self.tail(index)}")
            status, body = v.get("/v1/status")
            if status == 200 and body["chains"]:
                return
            time.sleep(0.1)
        raise AssertionError(f"validator {index} did not answer within {timeout} s:\n{self.tail(index)}")

    def kill(self, index: int) -> None:
        """SIGKILL: no clean-up, no flush — what a crash looks like."""
        v = self.validators[index]
        if v.alive():
            assert v.process is not None
            v.process.send_signal(signal.SIGKILL)
            v.process.wait(10)

    def stop(self, index: int) -> int | None:
        v = self.validators[index]
        if v.process is None:
            return None
        if v.alive():
            v.process.send_signal(signal.SIGTERM)
            try:
                v.process.wait(15)
            except subprocess.TimeoutExpired:
                v.process.kill()
                v.process.wait(5)
        return v.process.returncode

    def stop_all(self) -> None:
        for index in range(len(self.validators)):
            self.stop(index)

    def tail(self, index: int, lines: int = 20) -> str:
        log = self.validators[index].log
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""

    # --- signatures -----------------------------------------------------------------------------------

    def attestation(self, index: int, kind_path: str, transfer_id: str) -> Attestation | None:
        status, body = self.validators[index].get(f"/v1/{kind_path}/{transfer_id}")
        return Attestation.from_dict(body) if status == 200 else None

    def signed(self, transfer_id: str, kind_path: str = "transfers") -> list[Attestation]:
        found = (self.attestation(i, kind_path, transfer_id) for i, v in enumerate(self.validators) if v.alive())
        return [a for a in found if a is not None]

    def wait_signed(self, transfer_id: str, count: int, kind_path: str = "transfers", timeout: float = 30.0) -> list[Attestation]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.signed(transfer_id, kind_path)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"{transfer_id}: {len(self.signed(transfer_id, kind_path))} of {count} {kind_path} signatures")

    def status(self, index: int) -> dict[str, Any]:
        code, body = self.validators[index].get("/v1/status")
        assert code == 200, f"validator {index} status: {code}"
        result: dict[str, Any] = body
        return result

    def wait_processed(self, index: int, chain_id: int, block: int, timeout: float = 30.0) -> None:
        """Until validator ``index`` has processed ``chain_id`` up to ``block`` (its finalized cursor)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            chain = self.status(index)["chains"].get(str(chain_id))
            if chain and chain["finalized_block"] >= block:
                return
            time.sleep(0.05)
        raise AssertionError(f"validator {index} did not reach block {block} of chain {chain_id}:\n{self.tail(index)}")


__all__ = ["BNB", "HOME", "PASSWORD", "ValidatorFleet", "ValidatorProcess", "http_get"]
