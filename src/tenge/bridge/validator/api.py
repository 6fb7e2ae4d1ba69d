"""The validator's read-only HTTP API (aiohttp), as fixed in the team's services contract:

- ``GET /v1/status`` -> ``{"validator": "0x..", "chains": {"<chainId>": {"latest_signed_nonce", "finalized_block",
  "halted", "reason", ...}}}``
- ``GET /v1/transfers/<id>`` -> the Transfer attestation (``Attestation.to_dict()``), 404 ``{"error": ...}`` if none
- ``GET /v1/transfers?source=<chainId>&from_nonce=<n>&limit=<k>`` -> ``{"transfers": [...]}`` by nonce
- ``GET /v1/refunds/<id>`` -> the Refund attestation of a transfer that failed at its destination
- ``GET /v1/escrow/<remoteChainId>/latest`` (and ``/<sequence>``) -> an EscrowAttestation
- ``GET /metrics`` -> Prometheus text
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tenge.bridge.messages import parse_transfer_id
from tenge.bridge.validator.metrics import CONTENT_TYPE_LATEST, ValidatorMetrics
from tenge.bridge.validator.store import ValidatorStore
from tenge.errors import InvalidInput

MAX_LIMIT = 500


def build_app(store: ValidatorStore, validator: str, metrics: ValidatorMetrics, names: dict[int, str]) -> web.Application:
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
        except InvalidInput as exc:
            return error(400, str(exc))
        return web.json_response({"transfers": store.transfers(source, from_nonce, limit)})

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
