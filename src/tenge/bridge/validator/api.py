"""The validator's read-only HTTP API (aiohttp), as fixed in the team's services contract:

- ``GET /v1/status`` -> ``{"validator": "0x..", "chains": {"<chainId>": {"latest_signed_nonce", "finalized_block",
  "halted", "reason", ...}}}``
- ``GET /v1/transfers/<id>`` -> the Transfer attestation (``Attestation.to_dict()``), 404 ``{"error": ...}`` if none
- ``GET /v1/transfers?source=<chainId>&from_nonce=<n>&limit=<k>[&wait_ms=<w>]`` -> a JSON list of Transfer
  attestations by nonce; with ``wait_ms`` (long polling, at most 1000) a list shorter than ``limit`` is answered
  only when a signing pass signed more, or after ``wait_ms``: a relayer gets each signature the moment it exists
- ``GET /v1/refunds/<id>`` -> the Refund attestation of a transfer that failed at its destination
- ``GET /v1/escrow/<remoteChainId>/latest`` (and ``/<sequence>``) -> an EscrowAttestation
- ``GET /metrics`` -> Prometheus text
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from tenge.bridge.messages import parse_transfer_id
from tenge.bridge.validator.metrics import CONTENT_TYPE_LATEST, ValidatorMetrics
from tenge.bridge.validator.store import ValidatorStore
from tenge.errors import InvalidInput

MAX_LIMIT = 500
#: longest a list request may wait for more signatures (``wait_ms``)
MAX_WAIT_MS = 1000


class Passes:
    """Wakes the requests waiting for more signatures after each signing pass of the watch loop."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def done(self) -> None:
        """A signing pass has committed (called on the event loop)."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout: float) -> None:
        """Until the next pass, or ``timeout`` seconds."""
        try:
            await asyncio.wait_for(self._event.wait(), max(0.0, timeout))
        except asyncio.TimeoutError:
            pass


def build_app(
    store: ValidatorStore, validator: str, metrics: ValidatorMetrics, names: dict[int, str], passes: Passes | None = None
) -> web.Application:  # fmt: skip
    def error(status: int, message: str) -> web.Response:
        return web.json_response({"error": message}, status=status)

    def transfer_key(request: web.Request) -> str | web.Response:
        try:
            return "0x" + parse_transfer_id(request.match_info["id"]).hex()
        except InvalidInput as exc:
            return error(400, str(exc))

    async def status(request: web.Request) -> web.Response:
        chains: dict[str, Any] = {}
        for state in store.chains():
            chains[str(state.chain_id)] = {
                "network": names.get(state.chain_id),
                "bridge": state.bridge,
                "latest_signed_nonce": state.highest_signed_nonce,
                "finalized_block": state.block_number,
                "contiguous_nonce": state.contiguous_nonce,
                "halted": state.halted,
                "reason": state.reason,
            }
        return web.json_response({"validator": validator, "chains": chains})

    async def one(request: web.Request, kind: str, what: str) -> web.Response:
        key = transfer_key(request)
        if isinstance(key, web.Response):
            return key
        body = store.attestation(kind, key)
        if body is None and kind == "Transfer":  # a transfer with a payload is signed as a PayloadTransfer
            body = store.attestation("PayloadTransfer", key)
        return error(404, f"no {what} signed for {key} (yet)") if body is None else web.json_response(body)

    async def transfer(request: web.Request) -> web.Response:
        return await one(request, "Transfer", "transfer attestation")

    async def refund(request: web.Request) -> web.Response:
        return await one(request, "Refund", "refund attestation")

    async def transfers(request: web.Request) -> web.Response:
        try:
            source = _whole(request.query.get("source"), "source", None)
            from_nonce = _whole(request.query.get("from_nonce"), "from_nonce", 0)
            limit = min(_whole(request.query.get("limit"), "limit", 100), MAX_LIMIT)
            wait = min(_whole(request.query.get("wait_ms"), "wait_ms", 0), MAX_WAIT_MS) / 1000
        except InvalidInput as exc:
            return error(400, str(exc))
        found = store.transfers(source, from_nonce, limit)
        if passes is not None and wait > 0:
            deadline = asyncio.get_running_loop().time() + wait
            while len(found) < limit and (left := deadline - asyncio.get_running_loop().time()) > 0:
                await passes.wait(left)
                found = store.transfers(source, from_nonce, limit)
        return web.json_response(found)

    async def escrow(request: web.Request) -> web.Response:
        try:
            remote = _whole(request.match_info["remote"], "remote chain id", None)
            which = request.match_info["which"]
            body = store.latest_escrow(remote) if which == "latest" else store.escrow(remote, _whole(which, "sequence", None))
        except InvalidInput as exc:
            return error(400, str(exc))
        return error(404, f"no escrow attestation for chain {remote} (yet)") if body is None else web.json_response(body)

    async def prometheus(request: web.Request) -> web.Response:
        response = web.Response(body=metrics.render())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    app = web.Application()
    app.router.add_get("/v1/status", status)
    app.router.add_get("/v1/transfers", transfers)
    app.router.add_get("/v1/transfers/{id}", transfer)
    app.router.add_get("/v1/refunds/{id}", refund)
    app.router.add_get("/v1/escrow/{remote}/{which}", escrow)
    app.router.add_get("/metrics", prometheus)
    return app


def _whole(value: str | None, what: str, default: int | None) -> int:
    if value is None or value == "":
        if default is None:
            raise InvalidInput(f"{what} is required (a whole number)")
        return default
    if not value.isdigit():
        raise InvalidInput(f"{what} must be a whole number, not {value!r}")
    return int(value)
