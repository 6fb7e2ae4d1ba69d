"""Several contract reads in one JSON-RPC batch (one HTTP request), or one by one where the provider does not
batch (the in-process ``tester`` chain)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.exceptions import Web3TypeError


def read_all(w3: Web3, calls: Sequence[ContractFunction]) -> list[Any]:
    """The results of ``calls`` (view functions), in order."""
    if len(calls) > 1 and getattr(w3.provider, "endpoint_uri", None):
        try:
            with w3.batch_requests() as batch:
                for call in calls:
                    batch.add(call)
                return list(batch.execute())
        except (NotImplementedError, Web3TypeError):
            pass
    return [call.call() for call in calls]
