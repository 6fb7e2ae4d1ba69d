"""TEST FIXTURE (not a mock of the chain): tiny real HTTP servers speaking the validators' read-only API
(/work/team/services.md), each signing with one test validator key what it reads from the real anvil chains.

Stands in for `tenge bridge validator run` until that service lands (branch i10-validator): it signs at once
what the chain shows (no finality wait, no reorg checks - those are the validator's own tests). A server can
misbehave on purpose: ``garbage`` (not an attestation), ``impostor`` (a genuine signature by a key that is not
a validator), ``forged`` (names a validator, signed by another key), ``tampered`` (signs another amount).
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount

from tenge.bridge.attestations import Attestation, escrow_from_tiyn
from tenge.bridge.client import BridgeClient
from tenge.bridge.messages import BridgeTransfer

ROGUE = Account.from_key(b"\x42" * 32)


class ChainView:
    """Both bridges' TransferSent events, indexed incrementally (shared by the servers)."""

    def __init__(self, bridges: list[BridgeClient]) -> None:
        self.bridges = {b.chain_id: b for b in bridges}
        self.next_block = {b.chain_id: b.deploy_block for b in bridges}
        self.transfers: dict[str, BridgeTransfer] = {}
        self.lock = threading.Lock()

    def transfer(self, transfer_id: str) -> BridgeTransfer | None:
        with self.lock:
            if transfer_id not in self.transfers:
                for chain_id, bridge in self.bridges.items():
                    latest = int(bridge.w3.eth.block_number)
                    if latest >= self.next_block[chain_id]:
                        for entry in bridge.contract.events.TransferSent().get_logs(from_block=self.next_block[chain_id], to_block=latest):
                            t = BridgeTransfer.from_struct(entry["args"]["transfer"])
                            self.transfers[t.id_hex] = t
                        self.next_block[chain_id] = latest + 1
            return self.transfers.get(transfer_id)


class SigningServer:
    def __init__(self, key: LocalAccount, view: ChainView, mode: str = "good") -> None:
        self.key, self.view, self.mode = key, view, mode
        self.server: ThreadingHTTPServer | None = None
        self.port = 0
        self.requests = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "SigningServer":
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                outer.requests += 1
                status, body = outer.answer(self.path)
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    # --- the API ------------------------------------------------------------------------------------

    def answer(self, path: str) -> tuple[int, Any]:
        parts = path.strip("/").split("/")
        if self.mode == "garbage":
            return 200, b"<html>not json"
        if parts[:2] == ["v1", "transfers"] and len(parts) == 3:
            transfer = self.view.transfer(parts[2])
            if transfer is None:
                return 404, {"error": "not signed"}
            return 200, self.sign("Transfer", self.view.bridges[transfer.dest_chain_id], transfer)
        if parts[:2] == ["v1", "refunds"] and len(parts) == 3:
            if self.mode == "no-refunds":  # signs transfers, not (yet) refunds
                return 404, {"error": "refund not signed yet"}
            transfer = self.view.transfer(parts[2])
            if transfer is None or self.view.bridges[transfer.dest_chain_id].inbound_status(transfer.id) != "Failed":
                return 404, {"error": "no failed transfer"}
            return 200, self.sign("Refund", self.view.bridges[transfer.source_chain_id], transfer)
        if parts[:2] == ["v1", "escrow"] and len(parts) == 4:
            remote = self.view.bridges[int(parts[2])]
            home = self.view.bridges[remote.home_chain_id()]
            # what every honest server reads alike: the home's locked figure at its latest block, numbered by that
            # block, timed no later than either chain's clock
            block = home.w3.eth.get_block("latest")
            locked = home.contract.functions.locked(remote.chain_id).call(block_identifier=block["number"])
            stamp = min(int(block["timestamp"]), int(remote.w3.eth.get_block("latest")["timestamp"]))
            figure = escrow_from_tiyn(home.chain_id, home.address, int(locked), int(block["number"]), stamp)
            return 200, self.sign("EscrowAttestation", remote, figure)
        return 404, {"error": "unknown path"}

    def sign(self, kind: Any, verifier: BridgeClient, subject: Any) -> dict[str, Any]:
        if self.mode == "tampered" and isinstance(subject, BridgeTransfer):
            subject = replace(subject, amount=subject.amount + Decimal("1.00"))
        key = ROGUE if self.mode in ("impostor", "forged") else self.key
        attestation = verifier.sign(kind, key, subject)
        if self.mode == "forged":
            attestation = Attestation(attestation.kind, attestation.domain, attestation.subject, str(self.key.address), attestation.signature)
        return attestation.to_dict()
