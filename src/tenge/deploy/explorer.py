"""Submit source code to a block explorer's Etherscan-compatible verification API (BscScan, opBNBScan).

``module=contract&action=verifysourcecode`` with ``codeformat=solidity-standard-json-input`` returns a GUID;
``action=checkverifystatus&guid=…`` is polled until it passes or fails. A proxy is then linked to its
implementation (``action=verifyproxycontract``, polled with ``checkproxyverification``) so the explorer shows the
implementation's functions on the proxy's page. The API key comes from an environment variable
(``TENGE_BSCSCAN_API_KEY`` on BSC, ``TENGE_OPBNBSCAN_API_KEY`` on opBNB; ``explorer_api_key_env`` in the config).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any, Callable

import requests

from tenge.chain.networks import Network
from tenge.deploy.verification import Submission
from tenge.errors import InvalidInput, TengeError

HTTP_TIMEOUT_SECONDS = 30
#: Answers meaning the explorer already holds this source.
_ALREADY = ("already verified",)
_PENDING = ("pending", "in queue", "queue")


class ExplorerError(TengeError):
    """The explorer is unreachable, refused the submission, or failed to verify the contract."""


@dataclass(frozen=True)
class Verified:
    key: str
    address: str
    status: str  # verified | already-verified | proxy-linked
    detail: str


@dataclass
class Explorer:
    network: Network
    api_url: str
    api_key: str
    chain_id: int
    poll_seconds: float = 5.0
    wait_seconds: float = 300.0
    #: told of each submission and answer (the CLI prints them)
    progress: Callable[[str], None] | None = None

    @classmethod
    def for_network(cls, network: Network, chain_id: int, **options: Any) -> "Explorer":
        if not network.explorer_api_url:
            raise InvalidInput(f"network {network.name!r} has no explorer API: set explorer_api_url under "
                               f"[networks.{network.name}] in the configuration file")  # fmt: skip
        key = os.environ.get(network.explorer_api_key_env, "")
        if not key:
            raise InvalidInput(f"no explorer API key: set ${network.explorer_api_key_env} "
                               f"(the key of {network.explorer_api_url}); nothing was submitted")  # fmt: skip
        return cls(network, network.explorer_api_url, key, chain_id, **options)

    # --- the API --------------------------------------------------------------------------------------------

    def _call(self, method: str, fields: dict[str, str]) -> dict[str, Any]:
        params = {"chainid": str(self.chain_id), "module": "contract", **fields}
        form = {"apikey": self.api_key, **params}
        try:
            if method == "POST":
                reply = requests.post(self.api_url, data=form, timeout=HTTP_TIMEOUT_SECONDS)
            else:
                reply = requests.get(self.api_url, params=form, timeout=HTTP_TIMEOUT_SECONDS)
            reply.raise_for_status()
            answer = reply.json()
        except requests.RequestException as exc:
            # Named by kind only: a GET's URL carries the key, which is never printed.
            response = getattr(exc, "response", None)
            status = f" HTTP {response.status_code}" if response is not None else ""
            raise ExplorerError(f"explorer API {self.api_url} is unreachable or failed ({type(exc).__name__}{status}); "
                                "nothing more was submitted") from None  # fmt: skip
        except ValueError:
            raise ExplorerError(f"explorer API {self.api_url} answered something that is not JSON") from None
        if not isinstance(answer, dict) or "status" not in answer:
            raise ExplorerError(f"explorer API {self.api_url} answered {str(answer)[:200]!r}, not an Etherscan-style reply")
        return answer

    def verify(self, submission: Submission, source_code: str) -> Verified:
        """Submit one contract and wait for the verdict."""
        self._tell(f"submitting {submission.key} ({submission.contract_name}) at {submission.address}")
        answer = self._call("POST", {
            "action": "verifysourcecode",
            "contractaddress": submission.address,
            "sourceCode": source_code,
            "codeformat": "solidity-standard-json-input",
            "contractname": submission.contract_name,
            "compilerversion": submission.compiler_version,
            # sic: Etherscan's API spells the field this way
            "constructorArguements": submission.constructor_args,
        })  # fmt: skip
        result = str(answer.get("result", ""))
        if str(answer["status"]) != "1":
            if any(marker in result.lower() for marker in _ALREADY):
                return Verified(submission.key, submission.address, "already-verified", result)
            raise ExplorerError(f"{submission.key} ({submission.address}): the explorer refused the submission: {result}")
        verdict = self._poll(submission, "checkverifystatus", result)
        return Verified(submission.key, submission.address, "verified", verdict)

    def link_proxy(self, proxy: Submission, implementation: str) -> Verified:
        """Tell the explorer that ``proxy`` is a proxy of ``implementation`` (shown as "Read/Write as Proxy")."""
        answer = self._call("POST", {"action": "verifyproxycontract", "address": proxy.address,
                                     "expectedimplementation": implementation})  # fmt: skip
        result = str(answer.get("result", ""))
        if str(answer["status"]) != "1":
            raise ExplorerError(f"{proxy.key} ({proxy.address}): the explorer refused to link the proxy: {result}")
        verdict = self._poll(proxy, "checkproxyverification", result)
        return Verified(proxy.key, proxy.address, "proxy-linked", verdict)

    def _poll(self, submission: Submission, action: str, guid: str) -> str:
        deadline = time.monotonic() + self.wait_seconds
        while True:
            time.sleep(self.poll_seconds)
            answer = self._call("GET", {"action": action, "guid": guid})
            result = str(answer.get("result", ""))
            if str(answer["status"]) == "1" or any(marker in result.lower() for marker in _ALREADY):
                self._tell(f"  {submission.key}: {result}")
                return result
            if not any(marker in result.lower() for marker in _PENDING):
                raise ExplorerError(f"{submission.key} ({submission.address}): verification failed: {result}")
            if time.monotonic() >= deadline:
                raise ExplorerError(f"{submission.key} ({submission.address}): still '{result}' after "
                                    f"{self.wait_seconds:g}s (guid {guid}); check on the explorer later")  # fmt: skip

    def _tell(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)

