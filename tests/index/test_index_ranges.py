"""A public RPC that refuses wide `eth_getLogs` ranges (BSC's do): the sync halves its chunks until the node
accepts them, and stores the same events as a sync against a node with no limit."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from test_index_sync import snapshot_rows
from web3 import Web3

from tenge.index.db import open_index
from tenge.index.sync import IndexSync

MAX_RANGE = 5


@pytest.fixture
def picky_rpc(index_world) -> Iterator[tuple[str, list[int]]]:  # type: ignore[no-untyped-def]
    """A JSON-RPC proxy to the test anvil refusing eth_getLogs over more than MAX_RANGE blocks; yields its URL
    and the ranges it was asked for."""
    asked: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if isinstance(body, dict) and body.get("method") == "eth_getLogs":
                query = body["params"][0]
                span = int(query["toBlock"], 16) - int(query["fromBlock"], 16) + 1
                asked.append(span)
                if span > MAX_RANGE:
                    self._reply({"jsonrpc": "2.0", "id": body["id"], "error": {"code": -32005, "message": f"exceed maximum block range: {MAX_RANGE}"}})
                    return
            self._reply(requests.post(index_world.rpc_url, json=body, timeout=60).json())

        def _reply(self, payload: object) -> None:
            data = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", asked
    server.shutdown()
    server.server_close()


def test_refused_ranges_are_halved_until_accepted(index_world, picky_rpc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, asked = picky_rpc
    session = index_world.session()
    picky = open_index(f"sqlite:///{tmp_path / 'picky.sqlite'}")
    result = IndexSync(picky, Web3(Web3.HTTPProvider(url)), session.record, confirmations=0, chunk_blocks=1_000).run()
    assert result.events > 1_000
    assert max(asked) > MAX_RANGE and any(span <= MAX_RANGE for span in asked), asked
    reference = open_index(f"sqlite:///{tmp_path / 'reference.sqlite'}")
    IndexSync(reference, session.w3, session.record, confirmations=0).run()
    assert snapshot_rows(picky) == snapshot_rows(reference)
    picky.dispose()
    reference.dispose()
