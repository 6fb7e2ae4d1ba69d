"""Connect to a named network: bounded timeouts, chain id checked before anything is signed."""

from __future__ import annotations

from typing import Any

import requests
from web3 import HTTPProvider, Web3
from web3.middleware import ExtraDataToPOAMiddleware
from web3.types import RPCEndpoint, RPCResponse

from tenge.chain.networks import Network
from tenge.errors import ChainIdMismatch, InvalidInput, RpcUnreachable, UnknownNetwork

#: An unreachable RPC fails within seconds, never hangs: one attempt per request, each bounded by this (web3's own
#: retries stacked five of them into 53 s against a node that accepts connections and never answers).
RPC_TIMEOUT_SECONDS = 10
#: The chain id is asked once per connection and then remembered: web3's validation middleware asks for it
#: before every ``eth_call``, which doubled the requests of every read. Nothing else is cached.
CHAIN_ID_CACHE: dict[str, Any] = {"cache_allowed_requests": True, "cacheable_requests": {RPCEndpoint("eth_chainId")}}


def connect(network: Network, *, rpc_url: str | None = None) -> Web3:
    """A Web3 for ``network``; raises before returning if the endpoint is down or on another chain."""
    if network.name == "tester":
        return _tester_web3()
    url = rpc_url or network.rpc_url
    if not url:
        raise UnknownNetwork(f"network {network.name!r} has no RPC URL; set {network.rpc_env_var}")
    check_rpc_url(url)
    w3 = Web3(_Provider(url, request_kwargs={"timeout": RPC_TIMEOUT_SECONDS}, exception_retry_configuration=None,
                        **CHAIN_ID_CACHE))  # fmt: skip
    if network.poa:
        w3.middleware_onion.inject(ExtraDataToPOAMiddleware, layer=0)
    try:
        chain_id = w3.eth.chain_id
    except Exception as exc:  # requests/aiohttp/JSON errors all mean the same thing to the user
        cause = exc.__cause__ if isinstance(exc, RpcUnreachable) and exc.__cause__ else exc
        raise RpcUnreachable(f"RPC {url} for network {network.name!r} is unreachable: {_why(cause)}") from None
    if network.chain_id is not None and chain_id != network.chain_id:
        raise ChainIdMismatch(
            f"RPC {url} serves chain id {chain_id}, but network {network.name!r} is chain id "
            f"{network.chain_id}; refusing to continue (nothing was signed)"
        )
    return w3


def check_rpc_url(url: str) -> str:
    """``url`` if it is an HTTP(S) URL with a host; else :class:`InvalidInput` (exit 2), never "unreachable"."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(str(url).strip())
        parts.port  # noqa: B018 - a port that is no number raises here
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"{url!r} is not an RPC URL (e.g. http://127.0.0.1:8545 or https://rpc.example)")
    return str(url).strip()


def _why(exc: BaseException) -> str:
    """``did not answer within 10 s (ReadTimeout)``, or the error's class name."""
    if isinstance(exc, requests.Timeout):
        return f"did not answer within {RPC_TIMEOUT_SECONDS} s ({type(exc).__name__})"
    return type(exc).__name__


class _Provider(HTTPProvider):
    """HTTP JSON-RPC whose connection lost mid-session (a node restarting, a network outage) raises
    :class:`RpcUnreachable` - a one-line CLI error - instead of a requests traceback."""

    def make_request(self, method: RPCEndpoint, params: Any) -> RPCResponse:
        try:
            return super().make_request(method, params)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise RpcUnreachable(
                f"RPC {self.endpoint_uri} became unreachable ({method}: {_why(exc)}); "
                "check the node, then re-run (a deploy resumes from its record)"
            ) from exc

    def make_batch_request(self, batch_requests: list[tuple[RPCEndpoint, Any]]) -> list[RPCResponse] | RPCResponse:
        try:
            return super().make_batch_request(batch_requests)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise RpcUnreachable(
                f"RPC {self.endpoint_uri} became unreachable (a batch of {len(batch_requests)}: "
                f"{_why(exc)}); check the node, then re-run"
            ) from exc


def _tester_web3() -> Web3:
    """In-process py-evm chain with the anvil dev accounts funded, so the same keys work everywhere.

    eth-tester and py-evm are imported here, only for the ``tester`` network (they cost ~1 s of start-up)."""
    from eth_tester import EthereumTester, PyEVMBackend
    from web3 import EthereumTesterProvider

    from tenge.toolchain.anvil import dev_accounts

    tester = EthereumTester(PyEVMBackend())
    funder = tester.get_accounts()[0]
    for address in dev_accounts():
        tester.send_transaction(
            {"from": funder, "to": address, "value": 10_000 * 10**18, "gas": 21_000, "gas_price": 10**9}
        )
    return Web3(EthereumTesterProvider(tester))
