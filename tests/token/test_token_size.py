"""Room in the token: DigitalTenge (and the V2 mock of the upgrade test) stay at least 1,024 bytes under EIP-170,
its administrative module works only through the token, and the module's copies of the token's storage namespaces
are the token's own."""

from __future__ import annotations

import re

import pytest
import rlp
from eth_utils import keccak
from token_world import ADMIN, ALICE, BOB, World
from web3 import Web3

from tenge import paths
from tenge.contracts import load_artifact

IMPLEMENTATION_SLOT = int("360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc", 16)
#: EIP-170: BSC, opBNB and anvil refuse to deploy runtime code above this size.
EIP170 = 24_576
#: Room the token must keep for what comes next (a per-bridge reserve, later modules).
MIN_ROOM = 1_024


def _runtime_size(name: str) -> int:
    return len(bytes.fromhex(load_artifact(name).deployed_bytecode.removeprefix("0x")))


@pytest.mark.parametrize("name", ["DigitalTenge", "DigitalTengeV2", "DigitalTengeV2Incompatible"])
def test_the_token_keeps_1024_bytes_under_eip170(name: str) -> None:
    size = _runtime_size(name)
    assert EIP170 - size >= MIN_ROOM, f"{name} runtime is {size:,} bytes: only {EIP170 - size:,} under EIP-170"


def test_the_admin_module_keeps_the_token_namespaces() -> None:
    source = (paths.project_root() / "contracts" / "token").joinpath
    module = source("DigitalTengeAdmin.sol").read_text()
    for owner in ("TengeERC20.sol", "TengeIssuance.sol"):
        slots = re.findall(r"STORAGE_LOCATION =\s+(0x[0-9a-f]{64})", source(owner).read_text())
        assert slots and all(slot in module for slot in slots), f"{owner}'s namespace is not the module's"


def test_the_admin_module_refuses_when_called_directly_and_works_through_the_token(world: World) -> None:
    admin = world.token(ADMIN)
    w3 = world.w3
    token = w3.eth.contract(address=admin.address, abi=load_artifact("DigitalTenge").abi)
    implementation = Web3.to_checksum_address(bytes(w3.eth.get_storage_at(admin.address, IMPLEMENTATION_SLOT))[-20:])
    # Created by the implementation's constructor: the CREATE address of the implementation with nonce 1.
    module_address = Web3.to_checksum_address(keccak(rlp.encode([bytes.fromhex(implementation[2:]), 1]))[12:])
    assert w3.eth.get_code(module_address), "the implementation created no admin module"
    module = w3.eth.contract(address=module_address, abi=load_artifact("DigitalTengeAdmin").abi)
    compliance_role = token.functions.COMPLIANCE_ROLE().call()
    assert token.functions.hasRole(compliance_role, world.address(ADMIN)).call()
    # The token's compliance officer is nobody on the module itself: called directly, it refuses.
    with pytest.raises(Exception, match="0xe2517d3f"):  # AccessControlUnauthorizedAccount
        module.functions.freeze(world.address(BOB)).call({"from": world.address(ADMIN)})
    # Through the token the same call freezes in the token's storage.
    assert admin.is_frozen(world.address(ALICE)) is False
    admin.freeze(world.address(ALICE))
    assert admin.is_frozen(world.address(ALICE)) is True


def test_every_function_of_the_admin_module_is_the_tokens_own() -> None:
    """The module is reached only through the token's functions of the same selectors (covered by the token's rows
    of the access-control matrix); it adds no function of its own."""
    def functions(name: str) -> set[str]:
        return {
            f"{i['name']}({','.join(x['type'] for x in i['inputs'])})"
            for i in load_artifact(name).abi
            if i["type"] == "function" and i["stateMutability"] in ("nonpayable", "payable")
        }

    assert functions("DigitalTengeAdmin") <= functions("DigitalTenge")
