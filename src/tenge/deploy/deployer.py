"""Execute a :class:`~tenge.deploy.plan.DeployPlan` idempotently against a network.

- The record is saved after every confirmed transaction, and a sent-but-unconfirmed transaction
  is noted as pending first, so a deploy killed at any point resumes without redeploying.
- Re-running with nothing changed sends zero transactions.
- A contract whose code changed is reported; it is redeployed (and its proxy upgraded) only
  when ``apply_changes`` is set.
- Configuration is compared with the chain (each step's :class:`~tenge.deploy.plan.Check`): a configuration
  step whose value differs on chain (or whose configured arguments changed) is reported as ``changed`` and
  sent again only when ``apply_config`` is set; an initializer argument that differs is reported as
  ``redeploy`` (no transaction can change it).
- Before its first transaction on an existing deployment, an account other than the recorded deployer is
  checked for the admin role: refused up front, naming the deployer and the roles it lacks.
- Before an upgrade (``apply_changes``), the storage layout recorded with the proxy's implementation is compared
  with the new implementation's (:mod:`tenge.deploy.layout`): an incompatible upgrade is refused before anything
  is sent, naming the clashing variables (:class:`~tenge.errors.UnsafeUpgrade`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from eth_typing import HexStr
from web3 import Web3
from web3.exceptions import TransactionNotFound

from tenge.chain.networks import Network
from tenge.chain.transactions import SentTransaction, TxSender
from tenge.contracts import Artifact, load_artifact
from tenge.deploy.checks import check_drift
from tenge.deploy.layout import check_upgrades
from tenge.deploy.plan import Call, Check, DeployContract, DeployPlan, DeployProxy, LabelCheck, RateCheck, Ref, RoleId, Step
from tenge.deploy.record import DeploymentRecord
from tenge.deploy.setup_roles import TemporaryRoles
from tenge.errors import DeploymentError, NotYetMined

PENDING_WAIT_SECONDS = 30


@dataclass
class StepOutcome:
    key: str
    action: str  # deployed | upgraded | called | unchanged | changed | redeploy | resumed
    detail: str = ""
    gas_used: int = 0
    tx_hash: str | None = None


@dataclass
class DeployReport:
    network: str
    chain_id: int
    outcomes: list[StepOutcome] = field(default_factory=list)
    #: transactions beside the steps: roles taken and renounced for an --apply-config run
    side: list[SentTransaction] = field(default_factory=list)

    @property
    def transactions_sent(self) -> int:
        return sum(1 for o in self.outcomes if o.tx_hash and o.action != "resumed") + len(self.side)

    @property
    def gas_used(self) -> int:
        return sum(o.gas_used for o in self.outcomes) + sum(s.gas_used for s in self.side)


class Deployer:
    def __init__(
        self,
        sender: TxSender,
        record: DeploymentRecord,
        *,
        apply_changes: bool = False,
        apply_config: bool = False,
        progress: Callable[[StepOutcome], None] | None = None,
        skip_storage_check: bool = False,
    ) -> None:
        self.sender = sender
        self.w3: Web3 = sender.w3
        self.network: Network = sender.network
        self.record = record
        self.apply_changes = apply_changes
        self.apply_config = apply_config
        self.progress = progress
        self.skip_storage_check = skip_storage_check
        #: told the key of each step before it runs (the CLI says which step was pending on Ctrl-C)
        self.starting: Callable[[str], None] | None = None
        self._roles = TemporaryRoles(sender)
        self._compiler, self._build = _compiler_version()

    @classmethod
    def for_network(cls, sender: TxSender, **kwargs: Any) -> "Deployer":
        """A deployer with the network's record, checked against the chain it is connected to."""
        chain_id = sender.w3.eth.chain_id
        record = DeploymentRecord.load(sender.network.name)
        if record is not None and record.chain_id != chain_id:
            raise DeploymentError(
                f"deployment record {record.path} is for chain id {record.chain_id}, but the RPC serves "
                f"chain id {chain_id}; refusing to mix deployments"
            )
        if record is not None and sender.network.local and not _record_is_live(sender.w3, record):
            # A local devnet restarted from genesis: the old record describes a chain that is gone.
            record = DeploymentRecord(sender.network.name, chain_id, path=record.path)
        return cls(sender, record or DeploymentRecord(sender.network.name, chain_id), **kwargs)

    # --- running ---------------------------------------------------------------------------------

    def run(self, plan: DeployPlan) -> DeployReport:
        report = DeployReport(self.network.name, self.record.chain_id)
        self._check_authority()
        if self.apply_changes and not self.skip_storage_check:
            check_upgrades(plan, self.record)
        try:
            for step in plan.steps:
                if self.starting:
                    self.starting(step.key)
                outcome = self._run_step(step)
                report.outcomes.append(outcome)
                if self.progress:
                    self.progress(outcome)
        finally:
            self._roles.release()
            report.side = list(self._roles.sent)
        return report

    def _run_step(self, step: Step) -> StepOutcome:
        if isinstance(step, DeployContract):
            return self._deploy_contract(step)
        if isinstance(step, DeployProxy):
            return self._deploy_proxy(step)
        return self._call(step)

    def _deploy_contract(self, step: DeployContract) -> StepOutcome:
        artifact = load_artifact(step.artifact)
        args = self._resolve(step.args)
        resumed = self._resume(step.key)
        if resumed is not None:
            return self._record_contract(step.key, artifact, args, resumed, action="resumed")
        entry = self.record.contracts.get(step.key)
        if entry is not None:
            same = entry["codeHash"] == artifact.code_hash and entry["args"] == _jsonable(args)
            if same:
                return StepOutcome(step.key, "unchanged", entry["address"])
            if not self.apply_changes:
                return StepOutcome(step.key, "changed", "code or arguments differ; re-run with --upgrade to apply")
        address, sent = self.sender.deploy(artifact, args, on_sent=self._pending(step.key),
                                           description=f"{step.key}: deploy {artifact.name}")  # fmt: skip
        return self._record_contract(step.key, artifact, args, sent, address=address)

    def _deploy_proxy(self, step: DeployProxy) -> StepOutcome:
        implementation = self.record.address(step.implementation)
        impl_artifact = load_artifact(self.record.contracts[step.implementation]["artifact"])
        entry = self.record.contracts.get(step.key)
        if entry is not None and self._resume(step.key) is None:
            proxy_view = self.w3.eth.contract(address=entry["address"], abi=impl_artifact.abi)
            drift = [d for d in (self._drift(proxy_view, c) for c in step.checks) if d]
            if drift:
                return StepOutcome(step.key, "redeploy", "; ".join(drift) + " (an initializer argument: only a "
                                   "redeploy to a new address changes it)")  # fmt: skip
            if entry.get("implementation") == implementation:
                return StepOutcome(step.key, "unchanged", entry["address"])
            if not self.apply_changes:
                return StepOutcome(step.key, "changed", "implementation changed; re-run with --upgrade")
            proxy = self.w3.eth.contract(address=entry["address"], abi=impl_artifact.abi)
            sent = self.sender.send(
                proxy.functions.upgradeToAndCall(implementation, b""),
                description=f"upgrade {step.key}",
                on_sent=self._pending(step.key),
            )
            entry.update(implementation=implementation, upgradeTxHash=sent.tx_hash)
            self.record.pending.pop(step.key, None)
            self.record.save()
            return StepOutcome(step.key, "upgraded", implementation, sent.gas_used, sent.tx_hash)
        init_args = self._resolve(step.init_args)
        calldata = self.w3.eth.contract(abi=impl_artifact.abi).encode_abi(step.initializer, init_args)
        proxy_artifact = load_artifact(step.proxy_artifact)
        args = [implementation, calldata]
        # Recorded with the proxy in one write: a deploy killed between two writes would leave a proxy without
        # its implementation, reported as changed forever.
        extra = {"implementation": implementation, "abi": impl_artifact.name,
                 "initializer": {"function": step.initializer, "args": _jsonable(init_args)}}  # fmt: skip
        resumed = self._resume(step.key)
        if resumed is not None:
            return self._record_contract(step.key, proxy_artifact, args, resumed, action="resumed", extra=extra)
        address, sent = self.sender.deploy(proxy_artifact, args, on_sent=self._pending(step.key),
                                           description=f"{step.key}: deploy {proxy_artifact.name}")  # fmt: skip
        return self._record_contract(step.key, proxy_artifact, args, sent, address=address, extra=extra)

    def _call(self, step: Call) -> StepOutcome:
        target = self.record.address(step.target)
        args = self._resolve(step.args)
        wanted = {"target": target, "function": step.function, "args": _jsonable(args)}
        resumed = self._resume(step.key)
        if resumed is None:
            contract = self.w3.eth.contract(address=Web3.to_checksum_address(target), abi=load_artifact(step.artifact).abi)
            done = self.record.calls.get(step.key)
            same = done is not None and {k: done.get(k) for k in wanted} == wanted
            if done is not None or step.only_if_differs:
                drift = self._drift(contract, step.check) if step.check is not None else None
                if drift is None and (same or step.check is not None):
                    if done is not None and not same:  # the chain already holds the new configuration
                        done.update(wanted)
                        self.record.save()
                    return StepOutcome(step.key, "unchanged")
                if not self.apply_config:
                    detail = drift or f"{step.function}: the configured arguments differ from those applied"
                    return StepOutcome(step.key, "changed", f"{detail}; --apply-config applies it")
            sent = self._roles.send(
                contract,
                contract.functions[step.function](*args),
                description=f"{step.key}: {step.function} on {step.target}",
                on_sent=self._pending(step.key),
                take_roles=self.apply_config and done is not None,
            )
            action = "called"
        else:
            sent, action = resumed, "resumed"
        self.record.calls[step.key] = {**wanted, "txHash": sent.tx_hash, "blockNumber": sent.block_number}
        self.record.pending.pop(step.key, None)
        self.record.save()
        return StepOutcome(step.key, action, step.function, sent.gas_used, sent.tx_hash)

    # --- configuration and authority ------------------------------------------------------------------

    def _drift(self, contract: Any, check: Check | RateCheck | LabelCheck) -> str | None:
        deployed = next((e for e in self.record.contracts.values() if e.get("address") == contract.address), {})
        return check_drift(contract, check, lambda v: _jsonable(self._resolve_one(v)),
                           lambda: int(self.w3.eth.get_block("latest")["timestamp"]),
                           int(deployed.get("blockNumber", 0)))  # fmt: skip

    def _check_authority(self) -> None:
        """Refuse up front when another account than the deployer, without the admin role, would send."""
        me = self.sender.address
        deployers = {str(e["deployer"]) for e in self.record.contracts.values() if e.get("deployer")}
        if not deployers or deployers == {me}:
            return
        lacking = []
        for key, entry in self.record.contracts.items():
            abi = load_artifact(entry.get("abi") or entry["artifact"]).abi
            if not any(f.get("name") == "hasRole" for f in abi) or not self.w3.eth.get_code(entry["address"]):
                continue
            contract = self.w3.eth.contract(address=Web3.to_checksum_address(entry["address"]), abi=abi)
            if not contract.functions.hasRole(bytes(32), me).call():
                lacking.append(f"DEFAULT_ADMIN_ROLE on {key} ({entry['address']})")
        if lacking:
            raise DeploymentError(
                f"this deployment ({self.record.path}) was deployed by {', '.join(sorted(deployers))}; the current "
                f"account {me} lacks {', '.join(lacking)}; deploy with the deployer's account, or have an admin grant "
                "the role first (nothing was sent)"
            )

    # --- record keeping ------------------------------------------------------------------------------

    def _pending(self, key: str) -> Callable[[str], None]:
        def note(tx_hash: str) -> None:
            self.record.pending[key] = tx_hash
            self.record.save()

        return note

    def _resume(self, key: str) -> SentTransaction | None:
        """The confirmed transaction of a step that was sent before an interruption, if it landed."""
        tx_hash = self.record.pending.get(key)
        if tx_hash is None:
            return None
        receipt = None
        try:
            self.w3.eth.get_transaction(HexStr(tx_hash))
        except TransactionNotFound:
            pass  # never sent (killed between recording and sending) or dropped: safe to send again
        else:
            watcher = self.sender.watcher()
            watcher.timeout = min(watcher.timeout, PENDING_WAIT_SECONDS)
            try:
                # Mined or not, it waits for the network's confirmations like any other (NotYetConfirmed if short).
                receipt = watcher.wait(tx_hash, description=f"step {key} (sent by an earlier run)")
            except NotYetMined:
                # Still in the mempool: sending again could deploy twice. Let the operator re-run later.
                raise NotYetMined(
                    f"step {key}: transaction {tx_hash} (sent by an earlier run) is still not mined after "
                    f"{watcher.timeout:g}s; do not resend; re-run the deploy once it is mined or dropped",
                    tx_hash,
                ) from None
        if receipt is None or receipt["status"] != 1:
            # Dropped or reverted: nothing was done, so the step runs again.
            self.record.pending.pop(key)
            self.record.save()
            return None
        return SentTransaction(tx_hash, receipt)

    def _record_contract(
        self,
        key: str,
        artifact: Artifact,
        args: list[Any],
        sent: SentTransaction,
        *,
        address: str | None = None,
        action: str = "deployed",
        extra: dict[str, Any] | None = None,
    ) -> StepOutcome:
        address = address or Web3.to_checksum_address(str(sent.receipt["contractAddress"]))
        self.record.contracts[key] = {
            "artifact": artifact.name,
            "address": address,
            "txHash": sent.tx_hash,
            "blockNumber": sent.block_number,
            "args": _jsonable(args),
            "codeHash": artifact.code_hash,
            "compiler": self._compiler,
            # the build-info fingerprint: which recorded standard-JSON input `tenge verify` reproduces it from
            "build": self._build,
            "deployer": self.sender.address,
            **(extra or {}),
        }
        if artifact.upgrade_layout:
            # What an upgrade of this implementation is checked against (`tenge deploy --upgrade`).
            self.record.contracts[key]["storageLayout"] = artifact.upgrade_layout
        self.record.pending.pop(key, None)
        self.record.save()
        return StepOutcome(key, action, address, sent.gas_used, sent.tx_hash)

    def _resolve(self, args: tuple[Any, ...]) -> list[Any]:
        return [self._resolve_one(a) for a in args]

    def _resolve_one(self, value: Any) -> Any:
        if isinstance(value, Ref):
            return self.record.address(value.key)
        if isinstance(value, RoleId):
            return value.value()
        if isinstance(value, (list, tuple)):
            return [self._resolve_one(v) for v in value]
        return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _record_is_live(w3: Web3, record: DeploymentRecord) -> bool:
    return all(len(w3.eth.get_code(entry["address"])) > 0 for entry in record.contracts.values())


def _compiler_version() -> tuple[str, str]:
    """The compiler's long version and the build-info fingerprint of the packaged artifacts."""
    from tenge.toolchain.compiler import recorded_build_info

    info = recorded_build_info() or {}
    return str(info.get("solcLongVersion", "unknown")), str(info.get("fingerprint", "unknown"))
