"""Upgrade safety: `tenge deploy --upgrade` compares the recorded implementation's storage layout (solc's, with the
ERC-7201 namespaced structs) with the new one's and refuses an incompatible upgrade, naming the clashing variables."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from web3 import Web3

from tenge.chain.networks import get_network
from tenge.chain.transactions import TxSender
from tenge.cli.exit_codes import UNSAFE_UPGRADE
from tenge.cli.main import cli
from tenge.contracts import load_artifact
from tenge.deploy.deployer import Deployer
from tenge.deploy.layout import storage_clashes
from tenge.deploy.plan import DeployContract, DeployPlan
from tenge.deploy.record import DeploymentRecord
from tenge.deploy.suite import TOKEN, TOKEN_IMPLEMENTATION, suite_plan
from tenge.deploy.suite_config import load_suite_config
from tenge.errors import UnsafeUpgrade
from tenge.toolchain.anvil import Devnet, dev_keys

KEY = dev_keys(1)[0]
IMPLEMENTATION_SLOT = int("360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc", 16)


def _plan(implementation: str = "DigitalTenge") -> DeployPlan:
    plan = suite_plan(load_suite_config("local"), KEY.address)
    plan.steps = [dataclasses.replace(s, artifact=implementation)
                  if isinstance(s, DeployContract) and s.key == TOKEN_IMPLEMENTATION else s for s in plan.steps]  # fmt: skip
    return plan


def _deployer(url: str, records: Path, **options: bool) -> Deployer:
    w3 = Web3(Web3.HTTPProvider(url))
    record = DeploymentRecord.load("local", records) or DeploymentRecord("local", w3.eth.chain_id, path=records / "local.json")
    return Deployer(TxSender(w3, KEY, get_network("local")), record, **options)


def _implementation(url: str, proxy: str) -> str:
    word = Web3(Web3.HTTPProvider(url)).eth.get_storage_at(proxy, IMPLEMENTATION_SLOT)  # type: ignore[arg-type]
    return Web3.to_checksum_address(bytes(word)[-20:])


def _nonce(url: str) -> int:
    return Web3(Web3.HTTPProvider(url)).eth.get_transaction_count(KEY.address)


# --- the comparison, on the compiled layouts ------------------------------------------------------------------


def test_layouts_of_the_compatible_mock_match_and_the_incompatible_mock_clashes_by_name() -> None:
    v1 = load_artifact("DigitalTenge").upgrade_layout
    assert v1 is not None
    namespaces = {e["label"] for e in v1["storage"]}
    assert {"erc7201:digitaltenge.storage.Token", "erc7201:openzeppelin.storage.AccessControl"} <= namespaces
    assert storage_clashes(v1, load_artifact("DigitalTengeV2").upgrade_layout or {}) == []

    clashes = " | ".join(storage_clashes(v1, load_artifact("DigitalTengeV2Incompatible").upgrade_layout or {}))
    assert "namespace erc7201:digitaltenge.storage.Token is declared by 2 structs" in clashes
    assert "TokenStorageV2.policy` reordered" in clashes and "TokenStorageV2.totalSupply` reordered" in clashes
    assert "extraTierCaps` changed type: mapping(uint8 => uint256) -> mapping(uint8 => uint128)" in clashes
    assert "recoveredTo` (mapping(address => address)) removed" in clashes
    # nothing is said about the members that kept their place and type
    assert "accounts`" not in clashes and "nameHash`" not in clashes


def _struct_layout(members: list[tuple[str, str]], extra_types: dict[str, dict[str, str]] | None = None) -> dict:  # type: ignore[type-arg]
    """A one-namespace layout of ``members`` (label, type id), slots one after another."""
    types = {"t_uint256": {"label": "uint256", "encoding": "inplace", "numberOfBytes": "32"},
             "t_address": {"label": "address", "encoding": "inplace", "numberOfBytes": "20"},
             **(extra_types or {})}  # fmt: skip
    types["t_struct(S)_storage"] = {
        "label": "struct C.S", "encoding": "inplace", "numberOfBytes": str(32 * len(members)),
        "members": [{"label": l, "type": t, "slot": str(i), "offset": 0} for i, (l, t) in enumerate(members)],
    }  # type: ignore[assignment]
    entry = {"label": "erc7201:x.main", "contract": "C.S", "slot": "0", "offset": 0, "type": "t_struct(S)_storage"}
    return {"storage": [entry], "types": types}


def test_appending_is_allowed_removing_retyping_reordering_and_dropping_a_namespace_are_not() -> None:
    old = _struct_layout([("a", "t_uint256"), ("b", "t_address")])
    assert storage_clashes(old, _struct_layout([("a", "t_uint256"), ("b", "t_address"), ("c", "t_uint256")])) == []
    assert storage_clashes(old, _struct_layout([("a", "t_uint256")])) == ["`C.S.b` (address) removed"]
    assert storage_clashes(old, _struct_layout([("a", "t_uint256"), ("b", "t_uint256")])) == [
        "`C.S.b` changed type: address -> uint256"
    ]
    assert storage_clashes(old, _struct_layout([("b", "t_address"), ("a", "t_uint256")]))[0].startswith(
        "`C.S.a` reordered: it was member 1, now 2"
    )
    assert storage_clashes(old, {"storage": [], "types": {}}) == [
        "namespace erc7201:x.main (C.S) removed: its storage is orphaned"
    ]


# --- the deploy, on anvil ---------------------------------------------------------------------------------------


def test_upgrade_to_the_compatible_v2_goes_through_and_to_the_incompatible_mock_is_refused(
    chain: Devnet, records: Path
) -> None:
    _deployer(chain.rpc_url, records).run(_plan())
    record = json.loads((records / "local.json").read_text())
    assert record["contracts"][TOKEN_IMPLEMENTATION]["storageLayout"] == load_artifact("DigitalTenge").upgrade_layout
    proxy = record["contracts"][TOKEN]["address"]

    sent = _nonce(chain.rpc_url)
    with pytest.raises(UnsafeUpgrade) as refused:
        _deployer(chain.rpc_url, records, apply_changes=True).run(_plan("DigitalTengeV2Incompatible"))
    message = str(refused.value)
    assert message.startswith(f"upgrade of DigitalTenge ({proxy}) from DigitalTenge to DigitalTengeV2Incompatible refused")
    assert "TokenStorageV2.policy` reordered" in message and "recoveredTo` (mapping(address => address)) removed" in message
    assert message.endswith("(nothing was sent)")
    assert _nonce(chain.rpc_url) == sent, "a refused upgrade sent something"

    report = _deployer(chain.rpc_url, records, apply_changes=True).run(_plan("DigitalTengeV2"))
    actions = {o.key: o.action for o in report.outcomes}
    assert actions[TOKEN_IMPLEMENTATION] == "deployed" and actions[TOKEN] == "upgraded"
    upgraded = json.loads((records / "local.json").read_text())["contracts"]
    assert _implementation(chain.rpc_url, proxy) == upgraded[TOKEN_IMPLEMENTATION]["address"]
    token = Web3(Web3.HTTPProvider(chain.rpc_url)).eth.contract(address=proxy, abi=load_artifact("DigitalTengeV2").abi)
    assert token.functions.version().call() == 2
    # the new implementation's layout is recorded: the next upgrade is checked against it
    assert upgraded[TOKEN_IMPLEMENTATION]["storageLayout"] == load_artifact("DigitalTengeV2").upgrade_layout


def _cli_deploy(url: str, *options: str) -> tuple[int, str]:
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["deploy", "--network", "local", "--rpc-url", url, "--account", "dev:0", *options]
    )
    return result.exit_code, result.stderr


def test_cli_refuses_with_exit_7_a_clashing_recorded_layout_and_a_record_without_layout(
    chain: Devnet, records: Path
) -> None:
    assert _cli_deploy(chain.rpc_url)[0] == 0
    record_file = records / "local.json"
    record = json.loads(record_file.read_text())
    implementation = record["contracts"][TOKEN_IMPLEMENTATION]
    implementation["codeHash"] = "0x" + "00" * 32  # as if the code had changed since
    # The deployed implementation had one more member in the token namespace than today's code: dropping it is unsafe.
    layout = copy.deepcopy(implementation["storageLayout"])
    token_ns = next(e for e in layout["storage"] if e["label"] == "erc7201:digitaltenge.storage.Token")
    members = layout["types"][token_ns["type"]]["members"]
    members.append({**members[-1], "label": "frozenSince", "slot": str(int(members[-1]["slot"]) + 1)})
    implementation["storageLayout"] = layout
    record_file.write_text(json.dumps(record))
    sent = _nonce(chain.rpc_url)

    code, stderr = _cli_deploy(chain.rpc_url, "--upgrade")
    assert code == UNSAFE_UPGRADE, stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert "`TengeERC20.TokenStorage.frozenSince` (mapping(address => address)) removed" in stderr

    del implementation["storageLayout"]
    record_file.write_text(json.dumps(record))
    code, stderr = _cli_deploy(chain.rpc_url, "--upgrade")
    assert code == UNSAFE_UPGRADE, stderr
    assert "holds no storage layout for its implementation DigitalTenge" in stderr
    assert "--unsafe-skip-storage-check" in stderr
    code, stderr = _cli_deploy(chain.rpc_url, "--upgrade", "--dry-run")
    assert code == UNSAFE_UPGRADE, stderr
    assert _nonce(chain.rpc_url) == sent, "a refused upgrade sent something"

    code, stderr = _cli_deploy(chain.rpc_url, "--upgrade", "--unsafe-skip-storage-check")
    assert code == 0, stderr
    assert _nonce(chain.rpc_url) == sent + 2  # the new implementation, the upgrade


def test_namespaced_members_carry_solcs_own_slots_offsets_and_types() -> None:
    """The namespaced structs are laid out by solc (packing included), not guessed: ReserveGateStorage packs
    uint128 + uint64 + uint64 into one slot."""
    layout = load_artifact("DigitalTenge").upgrade_layout or {}
    entry = next(e for e in layout["storage"] if e["label"] == "erc7201:digitaltenge.storage.ReserveGate")
    assert entry["contract"] == "TengeReserveGate.ReserveGateStorage"
    struct = layout["types"][entry["type"]]
    assert [(m["label"], m["slot"], m["offset"], layout["types"][m["type"]]["label"]) for m in struct["members"]] == [
        ("reserve", "0", 0, "uint128"), ("attestedAt", "0", 16, "uint64"), ("maxAttestationAge", "0", 24, "uint64"),
        # appended in a later slot (issue 18: who may mint against the reserve); the first slot is unchanged
        ("minters", "1", 0, "uint128"), ("bridges", "1", 16, "uint128"),
    ]
    # a contract without namespaces keeps solc's plain storageLayout, first variable at slot 0
    vat = load_artifact("VatPayments").upgrade_layout or {}
    assert vat["storage"][0]["slot"] == "0" and not any(e["label"].startswith("erc7201:") for e in vat["storage"])
