"""What a block explorer's verifier needs for each deployed contract, and the offline proof that it reproduces the code.

The standard-JSON input recorded by ``tenge compile`` (``build-info.json`` → ``input``: every source unit with its
content, and the settings) is what a verifier compiles. For each contract in ``deployments/<network>.json`` a
:class:`Submission` carries the fully qualified name (``contracts/token/DigitalTenge.sol:DigitalTenge``), the
compiler version as explorers spell it (``v0.8.28+commit.7893614a``) and the constructor arguments, ABI-encoded
from the record (a proxy: its implementation and initializer call data).

:func:`reproduce` compiles the recorded input again and compares each contract's runtime code with ``eth_getCode``
byte for byte, immutables masked (their positions from solc's ``immutableReferences``): the metadata hash at the end
of the code covers every source's content, so a single changed character in any source is a mismatch.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from eth_abi import encode
from hexbytes import HexBytes
from web3 import Web3

from tenge.contracts import load_artifact
from tenge.deploy.record import DeploymentRecord
from tenge.errors import DeploymentError, ToolchainMissing

_VERSION = re.compile(r"^(\d+\.\d+\.\d+\+commit\.[0-9a-f]{8})")


@dataclass(frozen=True)
class Submission:
    key: str
    address: str
    #: ``source:Name``
    contract_name: str
    #: ``v0.8.28+commit.7893614a``
    compiler_version: str
    #: hex without 0x ("" when the constructor takes none)
    constructor_args: str
    #: the record key of the implementation, when this contract is a proxy
    implementation: str | None = None


def build_info() -> dict[str, Any]:
    """The recorded build-info with its standard-JSON input; refuses artifacts compiled before it was recorded."""
    from tenge.toolchain.compiler import recorded_build_info

    info = recorded_build_info()
    if info is None or "input" not in info:
        raise ToolchainMissing("the packaged build-info has no standard-JSON input (compiled by an older tenge): "
                               "run `tenge compile --force` in the project checkout")  # fmt: skip
    return info


def explorer_compiler_version(long_version: str) -> str:
    """``0.8.28+commit.7893614a.Emscripten.clang`` -> ``v0.8.28+commit.7893614a`` (the explorers' list)."""
    match = _VERSION.match(long_version)
    if match is None:
        raise ToolchainMissing(f"cannot read the compiler version from {long_version!r}")
    return "v" + match.group(1)


def constructor_arguments(artifact_name: str, args: list[Any]) -> str:
    """The constructor arguments as the deploy transaction carried them after the creation code (hex, no 0x)."""
    abi = load_artifact(artifact_name).abi
    constructor = next((item for item in abi if item.get("type") == "constructor"), None)
    inputs = constructor.get("inputs", []) if constructor else []
    if len(inputs) != len(args):
        raise DeploymentError(f"{artifact_name}: the record holds {len(args)} constructor arguments, its ABI {len(inputs)}")
    types = [str(i["type"]) for i in inputs]
    values = [_abi_value(t, v) for t, v in zip(types, args)]
    return encode(types, values).hex() if types else ""


def _abi_value(abi_type: str, value: Any) -> Any:
    if abi_type.startswith("bytes") and isinstance(value, str):
        return bytes(HexBytes(value))
    if abi_type == "address" and isinstance(value, str):
        return Web3.to_checksum_address(value)
    if abi_type.endswith("[]") and isinstance(value, list):
        return [_abi_value(abi_type[:-2], v) for v in value]
    return value


def submissions(record: DeploymentRecord, keys: tuple[str, ...] = ()) -> list[Submission]:
    """One submission per recorded contract (or per key in ``keys``), implementations before their proxies."""
    info = build_info()
    version = explorer_compiler_version(str(info["solcLongVersion"]))
    _require_keys(record, keys)
    result = []
    for key, entry in record.contracts.items():
        if keys and key not in keys:
            continue
        artifact = load_artifact(str(entry["artifact"]))
        implementation = next((k for k, e in record.contracts.items() if e["address"] == entry.get("implementation")), None)
        result.append(Submission(key, Web3.to_checksum_address(entry["address"]), f"{artifact.source_name}:{artifact.name}",
                                 version, constructor_arguments(artifact.name, list(entry.get("args", []))),
                                 implementation))  # fmt: skip
    return sorted(result, key=lambda s: s.implementation is not None)


def _require_keys(record: DeploymentRecord, keys: tuple[str, ...]) -> None:
    """Refuse an unknown key, or a record with nothing in it: a check of nothing must not pass."""
    if not record.contracts:
        raise DeploymentError(f"the deployment record of {record.network!r} ({record.path}) holds no contracts")
    unknown = [k for k in keys if k not in record.contracts]
    if unknown:
        raise DeploymentError(f"not in the deployment record of {record.network!r}: {', '.join(unknown)}; "
                              f"recorded: {', '.join(sorted(record.contracts))}")  # fmt: skip


def source_code(info: dict[str, Any]) -> str:
    """The standard-JSON input as the explorers' ``sourceCode`` field takes it."""
    return json.dumps(info["input"], sort_keys=True)


# --- the offline proof ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reproduction:
    key: str
    address: str
    contract_name: str
    matches: bool
    detail: str


def masked(code: bytes, references: dict[str, list[dict[str, int]]]) -> bytes:
    """``code`` with every immutable's bytes zeroed (solc leaves them zero in the compiled runtime code)."""
    out = bytearray(code)
    for spans in references.values():
        for span in spans:
            start, length = int(span["start"]), int(span["length"])
            out[start : start + length] = bytes(min(length, max(0, len(out) - start)))
    return bytes(out)


def reproduce(
    w3: Web3, record: DeploymentRecord, *, standard_input: dict[str, Any] | None = None, keys: tuple[str, ...] = ()
) -> list[Reproduction]:
    """Compile the recorded standard-JSON input (or ``standard_input``) and compare every recorded contract's
    runtime code with the chain's, immutables masked. Needs the project checkout (solc)."""
    from tenge.toolchain.compiler import compile_standard

    _require_keys(record, keys)
    info = build_info()
    source_input = standard_input or info["input"]
    targets = {key: load_artifact(str(entry["artifact"])) for key, entry in record.contracts.items()
               if not keys or key in keys}  # fmt: skip
    wanted = ["evm.deployedBytecode.object", "evm.deployedBytecode.immutableReferences"]
    selection: dict[str, dict[str, list[str]]] = {}
    for artifact in targets.values():
        selection.setdefault(artifact.source_name, {})[artifact.name] = wanted
    compiled = compile_standard({**source_input, "settings": {**source_input["settings"], "outputSelection": selection}})
    results = []
    for key, artifact in targets.items():
        address = Web3.to_checksum_address(record.contracts[key]["address"])
        name = f"{artifact.source_name}:{artifact.name}"
        output = compiled.get("contracts", {}).get(artifact.source_name, {}).get(artifact.name)
        if output is None:
            results.append(Reproduction(key, address, name, False, "the recorded input does not define this contract"))
            continue
        runtime = output["evm"]["deployedBytecode"]
        expected = bytes.fromhex(runtime["object"])
        on_chain = bytes(w3.eth.get_code(address))
        references = runtime.get("immutableReferences") or {}
        if not on_chain:
            results.append(Reproduction(key, address, name, False, "no code at this address"))
        elif masked(on_chain, references) == masked(expected, references):
            results.append(Reproduction(key, address, name, True, f"{len(on_chain):,} bytes identical "
                                        f"({sum(len(v) for v in references.values())} immutables masked)"))  # fmt: skip
        else:
            detail = _difference(masked(on_chain, references), masked(expected, references))
            built = record.contracts[key].get("build")
            if built and built != info.get("fingerprint"):
                detail += (f"; it was deployed from build {built[:12]}, the recorded input is build "
                           f"{str(info.get('fingerprint'))[:12]} (run `tenge deploy --upgrade`, or verify from the "
                           "checkout it was deployed from)")  # fmt: skip
            results.append(Reproduction(key, address, name, False, detail))
    return results


def _difference(on_chain: bytes, expected: bytes) -> str:
    if len(on_chain) != len(expected):
        return f"differs: {len(on_chain):,} bytes on chain, {len(expected):,} compiled"
    first = next(i for i, (a, b) in enumerate(zip(on_chain, expected)) if a != b)
    trailer = int.from_bytes(expected[-2:], "big") + 2 if len(expected) >= 2 else 0
    where = "in the metadata hash (a source's content differs)" if first >= len(expected) - trailer else "in the code"
    return f"differs from byte {first:,} of {len(expected):,}, {where}"
