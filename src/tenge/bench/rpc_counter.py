"""Counting JSON-RPC requests: an HTTP provider that counts every request it posts over HTTP (a batch is one;
a request answered from web3's cache is none)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from web3 import Web3
from web3.types import RPCEndpoint, RPCResponse

from tenge.chain.connection import CHAIN_ID_CACHE, _Provider


class CountingProvider(_Provider):
    """The SDK's HTTP provider, counting requests (``count``) and methods (``methods``; a batch as ``a+b+c``)."""

    def __init__(self, endpoint_uri: str, **kwargs: Any) -> None:
        super().__init__(endpoint_uri, **kwargs)
        self.count = 0
        self.methods: Counter[str] = Counter()

    def _make_request(self, method: RPCEndpoint, request_data: bytes) -> bytes:
        # Below web3's request cache: what is counted is what goes over HTTP.
        self.count += 1
        self.methods[str(method)] += 1
        return super()._make_request(method, request_data)

    def make_batch_request(self, batch_requests: list[tuple[RPCEndpoint, Any]]) -> list[RPCResponse] | RPCResponse:
        self.count += 1
        self.methods["batch:" + "+".join(sorted({str(m) for m, _ in batch_requests}))] += 1
        return super().make_batch_request(batch_requests)

    def reset(self) -> None:
        self.count = 0
        self.methods.clear()


def counting_web3(rpc_url: str, *, sdk: bool = True) -> tuple[Web3, CountingProvider]:
    """A Web3 counting its requests: configured as the SDK connects (``sdk``), or as web3.py's defaults."""
    if not sdk:
        plain = CountingProvider(rpc_url, request_kwargs={"timeout": 60})
        return Web3(plain), plain
    provider = CountingProvider(rpc_url, request_kwargs={"timeout": 60}, **CHAIN_ID_CACHE)
    return Web3(provider), provider
