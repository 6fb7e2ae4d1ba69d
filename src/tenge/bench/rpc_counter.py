"""Counting JSON-RPC requests: an HTTP provider that counts every request it posts (a batch is one request)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from web3 import Web3
from web3.types import RPCEndpoint, RPCResponse

from tenge.chain.connection import _Provider


class CountingProvider(_Provider):
    """The SDK's HTTP provider, counting requests (``count``) and methods (``methods``; a batch as ``a+b+c``)."""

    def __init__(self, endpoint_uri: str, **kwargs: Any) -> None:
        super().__init__(endpoint_uri, **kwargs)
        self.count = 0
        self.methods: Counter[str] = Counter()

    def make_request(self, method: RPCEndpoint, params: Any) -> RPCResponse:
        self.count += 1
        self.methods[str(method)] += 1
        return super().make_request(method, params)

    def make_batch_request(self, batch_requests: list[tuple[RPCEndpoint, Any]]) -> list[RPCResponse] | RPCResponse:
        self.count += 1
        self.methods["batch:" + "+".join(sorted({str(m) for m, _ in batch_requests}))] += 1
        return super().make_batch_request(batch_requests)

    def reset(self) -> None:
        self.count = 0
        self.methods.clear()


def counting_web3(rpc_url: str) -> tuple[Web3, CountingProvider]:
    provider = CountingProvider(rpc_url, request_kwargs={"timeout": 60})
    return Web3(provider), provider
