"""Room in the bridges: TengeBridgeHome and TengeBridgeRemote stay at least 256 bytes under EIP-170 (their
initcode, which carries the admin module's, under EIP-3860), the administrative module they delegate to declares
their storage field for field, adds no function of its own, and refuses when called directly."""

from __future__ import annotations

from typing import Any

import pytest
import rlp
from bridge_checks import rejected
from bridge_world import ADMIN, BNB, HOME, BridgeWorld
from eth_utils import keccak
from web3 import Web3

from tenge.contracts import load_artifact

#: EIP-170: BSC, opBNB and anvil refuse to deploy runtime code above this size.
EIP170 = 24_576
#: EIP-3860: largest initcode (the bridge's creation code, which includes its admin module's).
EIP3860 = 49_152
#: Room each bridge must keep (1,024 until transfers with a payload and the predecessor refunds landed together
#: and used it: TengeBridgeRemote is 24,308 bytes; the next feature of the BNB-side bridge first moves code into its
#: admin module).
MIN_ROOM = 256
BRIDGES = ("TengeBridgeHome", "TengeBridgeRemote")
MODULE = "TengeBridgeAdmin"


def _size(code: str) -> int:
    return len(bytes.fromhex(code.removeprefix("0x")))


@pytest.mark.parametrize("name", BRIDGES)
def test_each_bridge_keeps_room_under_eip170(name: str) -> None:
    artifact = load_artifact(name)
    size = _size(artifact.deployed_bytecode)
    assert EIP170 - size >= MIN_ROOM, f"{name} runtime is {size:,} bytes: only {EIP170 - size:,} under EIP-170"
    assert _size(artifact.bytecode) <= EIP3860, f"{name} initcode is over EIP-3860's {EIP3860:,} bytes"


def _fields(name: str) -> list[tuple[str, str, int, str]]:
    layout: Any = load_artifact(name).upgrade_layout
    assert layout and layout["storage"], f"{name} has no storage layout in its artifact"
    types = layout["types"]
    return [(f["label"], f["slot"], f["offset"], types[f["type"]]["label"]) for f in layout["storage"]]


@pytest.mark.parametrize("name", BRIDGES)
def test_the_admin_module_declares_the_bridge_storage_field_for_field(name: str) -> None:
    module = _fields(MODULE)
    bridge = _fields(name)
    # Every field of the module is the bridge's at the same slot, offset and type, in the same order; the module
    # stops at TengeBridgeBase's last field (the remote bridge's own come after it).
    assert bridge[: len(module)] == module
    assert module[-1][0] == "deferralTimeout"


def test_the_remote_admin_module_declares_the_remote_bridge_storage_field_for_field() -> None:
    """TengeBridgeRemoteAdmin (the BNB-side bridge's module: retire, adopt, its setRemoteBridge, setPayloadHandler)
    declares TengeBridgeRemote's whole storage: the shared fields, then the remote's own."""
    assert _fields("TengeBridgeRemoteAdmin") == _fields("TengeBridgeRemote")


def test_every_function_of_the_admin_module_is_a_function_of_both_bridges() -> None:
    """The module is reached only through the bridges' functions of the same selectors (their rows of the
    access-control matrix); its own AccessControl functions are the bridges' too."""

    def functions(name: str) -> set[str]:
        return {
            f"{i['name']}({','.join(x['type'] for x in i['inputs'])})"
            for i in load_artifact(name).abi
            if i["type"] == "function" and i["stateMutability"] in ("nonpayable", "payable")
        }

    for bridge in BRIDGES:
        assert functions(MODULE) <= functions(bridge)


def _module_of(bridge: str) -> str:
    # Created by the bridge's constructor: the CREATE address of the bridge with nonce 1.
    return Web3.to_checksum_address(keccak(rlp.encode([bytes.fromhex(bridge[2:]), 1]))[12:])


@pytest.mark.parametrize("chain", [HOME, BNB])
def test_the_admin_module_refuses_when_called_directly_and_works_through_the_bridge(
    world: BridgeWorld, chain: str
) -> None:
    admin = world.bridge(chain, ADMIN)
    w3 = world.chain(chain).w3
    module_address = _module_of(admin.contract.address)
    assert w3.eth.get_code(module_address), "the bridge created no admin module"
    module = w3.eth.contract(address=module_address, abi=load_artifact(MODULE).abi)
    me = world.address(ADMIN)
    # The bridge's admin holds every role on the bridge, none on the module: called directly, each path refuses.
    assert admin.contract.functions.hasRole(bytes(32), me).call()
    calls = {
        "setQueueDelay": (3600,),
        "setDeferralTimeout": (7200,),
        "setRemoteBridge": (97, me),
        "setRateLimits": (97, 1, 1, 1, 1),
        "setMaxTransfer": (97, 1, 1),
        "holdQueued": (bytes(32), True),
        "updateValidators": ([], [me], 1),
        "removeValidator": (me,),
        "setValidatorUpdateDelay": (0,),
        "cancelValidatorUpdate": (),
    }
    for function, args in calls.items():
        with pytest.raises(Exception, match="0xe2517d3f"):  # AccessControlUnauthorizedAccount
            module.functions[function](*args).call({"from": me})
    # Through the bridge the same call sets the bridge's own state, and a stranger is refused as before.
    before = admin.queue_delay()
    admin.set_queue_delay(before + 60)
    assert admin.queue_delay() == before + 60
    assert module.functions.hasRole(bytes(32), me).call() is False
    rejected(world, "AccessControlUnauthorizedAccount", lambda: world.bridge(chain).set_queue_delay(before))
