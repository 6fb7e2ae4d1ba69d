"""Is the deployment record still true of the chain? The code at each recorded address, against its code hash.

A devnet that was restarted (or the in-process ``tester`` chain, new in every session) has no code at the
recorded addresses: a transaction to such an address "succeeds" and does nothing, and a read fails with
an undecodable empty reply. A session therefore checks each recorded contract it uses before the first
call: all recorded addresses are fetched in one batched ``eth_getCode`` request, once per session.

The recorded ``codeHash`` is keccak256 of the artifact's runtime code without the metadata trailer, where
solc leaves immutables as zero placeholders (``PUSH32 0``). The code on chain has the immutables filled in,
so the same placeholders are zeroed in it before hashing. The placeholders are taken from the packaged
artifact, so the hash is compared only while that artifact is the one recorded; after a contract changed
and before it is redeployed, the check is that code is present.
"""

from __future__ import annotations

from functools import lru_cache

from eth_utils.crypto import keccak
from web3 import Web3
from web3.exceptions import Web3TypeError

from tenge.contracts import load_artifact, strip_metadata
from tenge.deploy.record import DeploymentRecord
from tenge.errors import StaleRecord, ToolchainMissing

PUSH1, PUSH32 = 0x60, 0x7F


def immutable_placeholders(code: bytes) -> list[int]:
    """Offsets of the 32-byte zero immediates of ``PUSH32`` in ``code``: where solc puts immutables."""
    offsets, i = [], 0
    while i < len(code):
        op = code[i]
        if PUSH1 <= op <= PUSH32:
            width = op - PUSH1 + 1
            if op == PUSH32 and code[i + 1 : i + 33] == bytes(32):
                offsets.append(i + 1)
            i += width
        i += 1
    return offsets


def runtime_code_hash(on_chain: bytes, artifact_name: str | None = None) -> str:
    """The code hash of ``on_chain`` code as the record writes it: metadata stripped, and the immutables
    (at the placeholders of artifact ``artifact_name``'s compiled runtime code) zeroed."""
    code = bytearray(strip_metadata(on_chain))
    template_length, offsets, _ = _template(artifact_name) if artifact_name else (-1, (), "")
    if template_length == len(code):
        for offset in offsets:
            code[offset : offset + 32] = bytes(32)
    return "0x" + keccak(bytes(code)).hex()


@lru_cache(maxsize=None)
def _template(artifact_name: str) -> tuple[int, tuple[int, ...], str]:
    """The artifact's stripped runtime code length, its immutable placeholders and its code hash;
    ``(-1, (), "")`` for an unknown artifact."""
    try:
        artifact = load_artifact(artifact_name)
    except ToolchainMissing:
        return -1, (), ""
    code = strip_metadata(bytes.fromhex(artifact.deployed_bytecode.removeprefix("0x")))
    return len(code), tuple(immutable_placeholders(code)), artifact.code_hash


class CodeCheck:
    """The code of every recorded contract, fetched once; ``require(key)`` refuses a stale entry."""

    def __init__(self, w3: Web3, record: DeploymentRecord) -> None:
        self.record = record
        keys = [k for k, entry in record.contracts.items() if entry.get("address")]
        codes = _get_codes(w3, [Web3.to_checksum_address(record.contracts[k]["address"]) for k in keys])
        self.codes: dict[str, bytes] = dict(zip(keys, codes))
        self._checked: set[str] = set()

    def require(self, key: str) -> None:
        if key in self._checked:
            return
        entry = self.record.contracts[key]
        address, code = entry["address"], self.codes.get(key, b"")
        where = f"{key} in {self.record.path}" if self.record.path else key
        if not code:
            raise StaleRecord(
                f"no contract at {address} ({where}) — devnet restarted? run `tenge deploy --network "
                f"{self.record.network}` (nothing was sent)"
            )
        recorded, artifact = entry.get("codeHash"), str(entry.get("artifact") or "")
        # The immutables' places are known only from the artifact the code was compiled from: when the
        # artifact has changed since the deploy (not yet upgraded), only the presence of code is checked.
        comparable = recorded is not None and _template(artifact)[2] == recorded
        if comparable and runtime_code_hash(code, artifact) != recorded:
            raise StaleRecord(
                f"the code at {address} ({where}) is not the code the record names ({entry.get('artifact')}, "
                f"code hash {str(recorded)[:12]}…): another contract is deployed there; check the network "
                f"and the record, or run `tenge deploy --network {self.record.network}` (nothing was sent)"
            )
        self._checked.add(key)


def _get_codes(w3: Web3, addresses: list[str]) -> list[bytes]:
    """``eth_getCode`` of every address: one batched JSON-RPC request where the provider batches."""
    if not addresses:
        return []
    try:
        with w3.batch_requests() as batch:
            for address in addresses:
                batch.add(w3.eth.get_code(address))  # type: ignore[arg-type]
            replies = batch.execute()
        return [bytes(reply) for reply in replies]  # type: ignore[arg-type]  # web3 types batch replies loosely
    except (NotImplementedError, Web3TypeError):  # the in-process tester provider does not batch
        return [bytes(w3.eth.get_code(address)) for address in addresses]  # type: ignore[arg-type]
