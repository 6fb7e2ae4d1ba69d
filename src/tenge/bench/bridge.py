"""Bridge rows of the gas benchmark: send and receive in both directions, receive with 1, 3 and 5 signatures.

Both bridges live on the benchmark's one anvil: the home bridge over our token (the one the token rows measured)
and a remote bridge over a second DigitalTenge deployed by the suite's token plan with reserve gating on, as on
BSC. The contracts read the chain id from ``block.chainid`` (the EIP-712 domain must bind the real chain), so here
home and remote share it and are told apart by their addresses (the transfer id and every attestation bind
both); the gas of every measured transaction is the same as on two chains — nothing in it depends on the two
chain ids being different. The Python engineer's two-anvil tests cover the two-chain paths.

Steady state: before measuring, one transfer each way has gone through, so the escrow, the rate-limit buckets
and the recipients' balances are nonzero (the destination's per-transfer status slot is new for every transfer,
as it is in production). Validators sign with anvil's well-known dev keys (not funded: they only sign), with
eth_account's EIP-712 encoder. Each receive row sets the threshold to the number of signatures it sends (1-of-5,
3-of-5, 5-of-5); the remote receive rows post a fresh escrow attestation first (a separate transaction, as a
relayer does).
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from web3.contract import Contract
from web3.logs import DISCARD

from tenge.bench import operations as ops
from tenge.bench.cast import SIGNERS, Cast
from tenge.bench.chain import BenchChain
from tenge.bench.scenarios import Measurement
from tenge.contracts import load_artifact
from tenge.deploy.deployer import Deployer
from tenge.deploy.plan import DeployPlan
from tenge.deploy.record import DeploymentRecord
from tenge.deploy.suite import REMOTE_SKIPPED_ROLES, TOKEN, token_steps
from tenge.deploy.suite_config import SuiteConfig
from tenge.toolchain.anvil import dev_keys

#: Validators: dev keys after the benchmark's signers (anvil derives them from the same well-known mnemonic).
VALIDATORS = 5
#: Amount of every bridged transfer (tiyn) and the alice's allowance for the home bridge (finite, so it goes
#: nonzero -> nonzero as a real user's would).
BRIDGE_AMOUNT = 10_00
BRIDGE_ALLOWANCE = 1_000_000_00
#: What alice brings to the remote side before measuring (she sends from it there).
WARM_UP_AMOUNT = 1_000_00
#: Rate limits far above the benchmark's traffic (capacity; tiyn). The refill (tiyn per second) is kept so slow that
#: a bucket never refills to its capacity during the run: the bucket arithmetic then takes the same path whatever
#: the wall-clock seconds between blocks, so the figures are exact from run to run.
LIMIT_CAPACITY = 1_000_000_000_00
LIMIT_RATE = 1
ADMIN_DELAY = 0

TRANSFER_FIELDS = [
    {"name": "sourceChainId", "type": "uint64"},
    {"name": "sourceBridge", "type": "address"},
    {"name": "destChainId", "type": "uint64"},
    {"name": "destBridge", "type": "address"},
    {"name": "nonce", "type": "uint64"},
    {"name": "sender", "type": "address"},
    {"name": "recipient", "type": "address"},
    {"name": "amount", "type": "uint256"},
]
ESCROW_FIELDS = [
    {"name": "homeChainId", "type": "uint64"},
    {"name": "homeBridge", "type": "address"},
    {"name": "escrowed", "type": "uint256"},
    {"name": "sequence", "type": "uint64"},
    {"name": "timestamp", "type": "uint64"},
]
DOMAIN_FIELDS = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]


def sign_typed(
    signers: list[LocalAccount], bridge: Contract, chain_id: int, primary: str, fields: list[dict[str, str]],
    message: dict[str, Any],
) -> tuple[list[str], list[bytes]]:
    """``signers``' EIP-712 signatures over ``message`` in ``bridge``'s domain (the verifying bridge)."""
    typed = {
        "types": {"EIP712Domain": DOMAIN_FIELDS, primary: fields},
        "primaryType": primary,
        "domain": {"name": "TengeBridge", "version": "1", "chainId": chain_id, "verifyingContract": bridge.address},
        "message": message,
    }
    signable = encode_typed_data(full_message=typed)
    return [s.address for s in signers], [bytes(s.sign_message(signable).signature) for s in signers]


@dataclass
class BridgeBench:
    chain: BenchChain
    cast: Cast
    config: SuiteConfig
    home_token: Contract
    remote_token: Contract | None = None
    home: Contract | None = None
    remote: Contract | None = None
    sequence: int = 0

    @property
    def validators(self) -> list[LocalAccount]:
        return dev_keys(SIGNERS + VALIDATORS)[SIGNERS:]

    @property
    def chain_id(self) -> int:
        return int(self.chain.w3.eth.chain_id)

    def send(self, account: LocalAccount, call: Any, what: str) -> Any:
        return self.chain.send(account, call, f"bridge: {what}")

    # --- preparing ----------------------------------------------------------------------------------

    def prepare(self) -> None:
        cast, admin = self.cast, self.cast.admin
        self.remote_token = self._deploy_remote_token()
        self.home = self.chain.deploy(
            admin, load_artifact("TengeBridgeHome"), (self.home_token.address, admin.address, ADMIN_DELAY)
        )
        self.remote = self.chain.deploy(
            admin,
            load_artifact("TengeBridgeRemote"),
            (self.remote_token.address, self.chain_id, admin.address, ADMIN_DELAY),
        )
        home, remote, home_token, remote_token = self.home, self.remote, self.home_token, self.remote_token
        tier = self.config.business_tier
        self.send(admin, home_token.functions.setTier(home.address, tier), "home escrow: business tier")
        for role in ("TOKEN_BRIDGE_ROLE", "RESERVE_ATTESTOR_ROLE"):
            role_id = remote_token.functions[role]().call()
            self.send(admin, remote_token.functions.grantRole(role_id, remote.address), f"remote token: {role}")
        for account in (cast.alice.address, cast.bob.address):
            self.send(admin, remote_token.functions.setTier(account, tier), "remote token: KYC")
        for bridge, peer in ((home, remote), (remote, home)):
            for role in ("VALIDATOR_MANAGER_ROLE", "RATE_LIMITER_ROLE"):
                self.send(admin, bridge.functions.grantRole(bridge.functions[role]().call(), admin.address), role)
            self.send(admin, bridge.functions.setRemoteBridge(self.chain_id, peer.address), "peer")
            validators = [v.address for v in self.validators]
            # The bench re-sets the threshold between measurements: no governance delay on its own bridges.
            self.send(admin, bridge.functions.setValidatorUpdateDelay(0), "no validator update delay")
            self.send(admin, bridge.functions.updateValidators([], validators, 3), "validators")
            call = bridge.functions.setRateLimits(self.chain_id, LIMIT_CAPACITY, LIMIT_RATE, LIMIT_CAPACITY, LIMIT_RATE)
            self.send(admin, call, "rate limits")
        self.send(cast.alice, home_token.functions.approve(home.address, BRIDGE_ALLOWANCE), "alice approves home")
        # Warm-up, one transfer each way: alice (enough for the remote sends) and bob hold on the remote side,
        # escrow and buckets are nonzero.
        for recipient, amount in ((cast.alice.address, WARM_UP_AMOUNT), (cast.bob.address, BRIDGE_AMOUNT)):
            self._deliver(self.remote, self._sent(self.home, cast.alice, recipient, amount), 3)
        self._deliver(self.home, self._sent(self.remote, cast.alice, cast.bob.address), 3)

    def _deploy_remote_token(self) -> Contract:
        config = replace(self.config, reserve_gated=True)
        deployer = self.cast.admin.address
        with tempfile.TemporaryDirectory(prefix="tenge-bench-bridge-") as scratch:
            record = DeploymentRecord(
                self.chain.network.name, self.chain_id, path=Path(scratch) / "bench-remote.json"
            )
            Deployer(self.chain.sender(self.cast.admin), record).run(
                DeployPlan("bench-remote-token", token_steps(config, deployer, skip_roles=REMOTE_SKIPPED_ROLES))
            )
            return self.chain.at(record.address(TOKEN), load_artifact("DigitalTenge"))

    # --- transfers ------------------------------------------------------------------------------------

    def _send_call(self, bridge: Contract, sender: LocalAccount, recipient: str, amount: int = BRIDGE_AMOUNT) -> Any:
        return self.send(sender, bridge.functions.send(self.chain_id, recipient, amount), "send")

    def _sent(
        self, bridge: Contract, sender: LocalAccount, recipient: str, amount: int = BRIDGE_AMOUNT
    ) -> dict[str, Any]:
        return self._transfer_of(bridge, self._send_call(bridge, sender, recipient, amount))

    @staticmethod
    def _transfer_of(bridge: Contract, sent: Any) -> dict[str, Any]:
        (event,) = bridge.events.TransferSent().process_receipt(sent.receipt, errors=DISCARD)
        transfer = event["args"]["transfer"]
        names = [f["name"] for f in TRANSFER_FIELDS]
        values = [transfer[n] for n in names] if isinstance(transfer, Mapping) else list(transfer)
        return dict(zip(names, values))

    def _attest_escrow(self, count: int) -> None:
        assert self.home is not None and self.remote is not None
        self.sequence += 1
        message = {
            "homeChainId": self.chain_id,
            "homeBridge": self.home.address,
            "escrowed": int(self.home.functions.locked(self.chain_id).call()),
            "sequence": self.sequence,
            "timestamp": self.chain.block_timestamp(),
        }
        signers, signatures = sign_typed(
            self.validators[:count], self.remote, self.chain_id, "EscrowAttestation", ESCROW_FIELDS, message
        )
        call = self.remote.functions.attestEscrow(tuple(message.values()), signers, signatures)
        self.send(self.cast.relayer, call, "escrow attestation")

    def _deliver(self, bridge: Contract, transfer: dict[str, Any], count: int) -> Measurement:
        if int(bridge.functions.threshold().call()) != count:
            self.send(self.cast.admin, bridge.functions.updateValidators([], [], count), "threshold")
        if bridge is self.remote:
            self._attest_escrow(count)
        signers, sigs = sign_typed(self.validators[:count], bridge, self.chain_id, "Transfer", TRANSFER_FIELDS, transfer)
        call = bridge.functions.deliver(tuple(transfer.values()), signers, sigs)
        sent = self.send(self.cast.relayer, call, f"deliver with {count} signatures")
        if not bridge.events.TransferDelivered().process_receipt(sent.receipt, errors=DISCARD):
            raise AssertionError("bench: the bridged transfer was not delivered")
        return Measurement.of(sent, signatures=count)

    def _deliver_batch(self, bridge: Contract, transfers: list[dict[str, Any]]) -> Measurement:
        """One ``deliverBatch`` of ``transfers`` with 3-of-5 signatures each; gas per transfer (rounded)."""
        if int(bridge.functions.threshold().call()) != 3:
            self.send(self.cast.admin, bridge.functions.updateValidators([], [], 3), "threshold")
        if bridge is self.remote:
            self._attest_escrow(3)
        items = []
        for transfer in transfers:
            signers, sigs = sign_typed(self.validators[:3], bridge, self.chain_id, "Transfer", TRANSFER_FIELDS, transfer)
            items.append((tuple(transfer.values()), signers, sigs))
        sent = self.send(self.cast.relayer, bridge.functions.deliverBatch(items), f"deliver a batch of {len(items)}")
        if len(bridge.events.TransferDelivered().process_receipt(sent.receipt, errors=DISCARD)) != len(items):
            raise AssertionError("bench: the batch was not delivered in full")
        per_transfer = (sent.gas_used + len(items) // 2) // len(items)
        return Measurement(per_transfer, sent.tx_hash, {"total_gas": sent.gas_used, "transfers": len(items)})

    # --- measuring ------------------------------------------------------------------------------------

    def measure(self) -> dict[str, Measurement | None]:
        assert self.home is not None and self.remote is not None
        cast, home, remote = self.cast, self.home, self.remote
        results: dict[str, Measurement | None] = {}
        sent = self._send_call(home, cast.alice, cast.bob.address)
        results[ops.BRIDGE_SEND_HOME.key] = Measurement.of(sent)
        pending = [self._transfer_of(home, sent)]
        pending += [self._sent(home, cast.alice, cast.bob.address) for _ in range(2)]
        for row, k, transfer in zip(ops.BRIDGE_RECEIVE_REMOTE, (1, 3, 5), pending):
            results[row.key] = self._deliver(remote, transfer, k)
        batch = [self._sent(home, cast.alice, cast.bob.address) for _ in range(ops.BRIDGE_BATCH_SIZE)]
        results[ops.BRIDGE_RECEIVE_BATCH_REMOTE.key] = self._deliver_batch(remote, batch)
        sent = self._send_call(remote, cast.alice, cast.bob.address)
        results[ops.BRIDGE_SEND_REMOTE.key] = Measurement.of(sent)
        pending = [self._transfer_of(remote, sent)]
        pending += [self._sent(remote, cast.alice, cast.bob.address) for _ in range(2)]
        for row, k, transfer in zip(ops.BRIDGE_RECEIVE_HOME, (1, 3, 5), pending):
            results[row.key] = self._deliver(home, transfer, k)
        batch = [self._sent(remote, cast.alice, cast.bob.address) for _ in range(ops.BRIDGE_BATCH_SIZE)]
        results[ops.BRIDGE_RECEIVE_BATCH_HOME.key] = self._deliver_batch(home, batch)
        return results
