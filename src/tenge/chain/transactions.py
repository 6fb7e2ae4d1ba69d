"""Sending transactions: fees per network, collision-free nonces, confirmations, decoded reverts.

Every check that can fail (estimation, funds) runs before signing, so a rejected
transaction is never sent. Once sent, a transaction is journaled and reported by hash
(:mod:`tenge.chain.lifecycle`): a wait that ends early raises ``NotYetMined`` or
``NotYetConfirmed`` with the hash, never a plain failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, cast

from eth_account.signers.local import LocalAccount
from hexbytes import HexBytes
from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.exceptions import ContractLogicError, Web3Exception, Web3RPCError
from web3.types import Nonce, TxParams, TxReceipt, Wei

from tenge.chain.journal import TxJournal
from tenge.chain.lifecycle import Listener, TxEvent, TxWatcher
from tenge.chain.networks import Network
from tenge.chain.reverts import decode_revert
from tenge.contracts import Artifact
from tenge.errors import InsufficientFunds, TransactionFailed

#: Headroom over the estimate; unused gas is not charged.
GAS_MARGIN = 1.2


@dataclass(frozen=True)
class SentTransaction:
    tx_hash: str
    receipt: TxReceipt

    @property
    def gas_used(self) -> int:
        return int(self.receipt["gasUsed"])

    @property
    def block_number(self) -> int:
        return int(self.receipt["blockNumber"])


class TxSender:
    """Signs and sends from one account on one network, tracking its nonce locally.

    ``confirmations`` and ``timeout`` override the network's confirmations and the wait
    (:data:`tenge.chain.lifecycle.DEFAULT_TIMEOUT_SECONDS`, or ``$TENGE_TX_TIMEOUT``). ``journal``
    records every sent transaction (default: the user's journal on public networks, none on local
    ones); ``listener`` hears each step (sent, mined, confirmations, confirmed, reverted).
    """

    def __init__(
        self,
        w3: Web3,
        account: LocalAccount,
        network: Network,
        *,
        confirmations: int | None = None,
        timeout: float | None = None,
        journal: TxJournal | None = None,
        listener: Listener | None = None,
    ) -> None:
        self.w3 = w3
        self.account = account
        self.network = network
        self.confirmations = confirmations
        self.timeout = timeout
        self.journal = journal if journal is not None or network.local else TxJournal.default()
        self.listener = listener
        self._next_nonce: int | None = None

    @property
    def address(self) -> str:
        return str(self.account.address)

    def watcher(self) -> TxWatcher:
        return TxWatcher(self.w3, self.network, confirmations=self.confirmations, timeout=self.timeout,
                         journal=self.journal, listener=self.listener)  # fmt: skip

    # --- building -------------------------------------------------------------------------------

    def fee_fields(self) -> dict[str, int]:
        if self.network.fee_model == "legacy":
            return {"gasPrice": self.w3.eth.gas_price}
        base_fee = int(self.w3.eth.get_block("latest").get("baseFeePerGas", 0) or 0)
        priority = min(self.w3.eth.max_priority_fee, 2 * 10**9) if base_fee else 0
        return {"maxFeePerGas": 2 * base_fee + priority, "maxPriorityFeePerGas": priority}

    def max_fee_per_gas(self, fees: dict[str, int] | None = None) -> int:
        fees = fees or self.fee_fields()
        return fees.get("gasPrice") or fees["maxFeePerGas"]

    def _nonce(self) -> int:
        # Pending count covers transactions sent by other tools; the local counter covers
        # back-to-back sends before the node has seen them.
        pending = self.w3.eth.get_transaction_count(self.address, "pending")  # type: ignore[arg-type]
        self._next_nonce = max(pending, self._next_nonce or 0)
        return self._next_nonce

    def build(self, call: ContractFunction | TxParams, *, description: str, value: int = 0) -> TxParams:
        """A complete, estimated transaction; raises the decoded revert if it would fail."""
        if isinstance(call, ContractFunction):
            tx: TxParams = call.build_transaction(cast(TxParams, {"from": self.address, "value": value, "gas": 0}))
        else:
            tx = dict(call)  # type: ignore[assignment]
            tx.setdefault("from", self.address)
            tx.setdefault("value", Wei(value))
        tx.pop("gas", None)
        for key in ("gasPrice", "maxFeePerGas", "maxPriorityFeePerGas"):
            tx.pop(key, None)  # type: ignore[misc]
        tx["gas"] = int(self.estimate(tx, description=description) * GAS_MARGIN)
        tx.update(self.fee_fields())  # type: ignore[typeddict-item]
        tx["chainId"] = self.w3.eth.chain_id
        return tx

    def estimate(self, tx: TxParams, *, description: str) -> int:
        try:
            return int(self.w3.eth.estimate_gas(tx))
        except ContractLogicError as exc:
            raise decode_revert(exc.data if isinstance(exc.data, str) else None, context=description) from None
        except Web3RPCError as exc:
            message = str(exc)
            if "insufficient funds" in message.lower():
                raise self._unfunded(tx, description) from None
            raise TransactionFailed(f"{description}: the node refused the estimate: {message}") from None

    def _unfunded(self, tx: TxParams, description: str) -> InsufficientFunds:
        balance = self.w3.eth.get_balance(self.address)  # type: ignore[arg-type]
        return InsufficientFunds(
            f"{description}: {self.address} has {Web3.from_wei(balance, 'ether')} "
            f"{self.network.native_symbol}, not enough for gas on {self.network.name}; fund it first "
            "(nothing was sent)"
        )

    # --- sending --------------------------------------------------------------------------------

    def send(
        self,
        call: ContractFunction | TxParams,
        *,
        description: str,
        value: int = 0,
        on_sent: Callable[[str], None] | None = None,
    ) -> SentTransaction:
        """Estimate, check funds, sign, send and wait for confirmations; decode a revert.

        Once sent, the hash is journaled and told (``on_sent``, the listener) before any waiting: a wait
        that ends early raises ``NotYetMined`` / ``NotYetConfirmed`` carrying it.
        """
        tx = self.build(call, description=description, value=value)
        cost = int(tx["gas"]) * self.max_fee_per_gas(tx) + int(tx.get("value", 0))  # type: ignore[arg-type]
        if self.w3.eth.get_balance(self.address) < cost:  # type: ignore[arg-type]
            raise self._unfunded(tx, description)
        tx["nonce"] = Nonce(self._nonce())
        watcher = self.watcher()
        tx_hash = self._sign_and_send(tx, watcher, description, on_sent)
        self._next_nonce = int(tx["nonce"]) + 1
        if watcher.listener:
            watcher.listener(TxEvent("sent", tx_hash, description, nonce=int(tx["nonce"]), required=watcher.required))
        return self.wait(tx_hash, tx, description=description, watcher=watcher)

    def _sign_and_send(
        self, tx: TxParams, watcher: TxWatcher, description: str, on_sent: Callable[[str], None] | None
    ) -> str:
        signed = self.account.sign_transaction(tx)  # type: ignore[arg-type]
        tx_hash = signed.hash.to_0x_hex()
        # Noted before sending: a process killed right after the send still knows the hash.
        self._note_sent(tx_hash, tx, watcher, description, on_sent)
        try:
            self.w3.eth.send_raw_transaction(signed.raw_transaction)
        except Web3RPCError as exc:  # the node answered and refused it: it is not on its way
            if watcher.journal is not None:
                watcher.journal.append(hash=tx_hash, network=self.network.name, state="refused", error=str(exc))
            raise TransactionFailed(f"{description}: the node refused transaction {tx_hash}: {exc} (not sent)") from None
        return tx_hash

    def _note_sent(
        self, tx_hash: str, tx: TxParams, watcher: TxWatcher, description: str, on_sent: Callable[[str], None] | None
    ) -> None:
        if watcher.journal is not None:
            watcher.journal.append(hash=tx_hash, network=self.network.name, chainId=int(tx["chainId"]), state="sent",
                                   description=description, nonce=int(tx["nonce"]), **{"from": self.address})  # fmt: skip
        if on_sent:
            on_sent(tx_hash)

    def wait(
        self,
        tx_hash: HexBytes | str,
        tx: TxParams | None = None,
        *,
        description: str,
        watcher: TxWatcher | None = None,
    ) -> SentTransaction:
        """Wait for a sent transaction (also one sent earlier: resume by hash) and decode a revert."""
        receipt = (watcher or self.watcher()).wait(tx_hash, description=description)
        if receipt["status"] != 1:
            raise self._reverted_on_chain(receipt, tx, description)
        return SentTransaction(receipt["transactionHash"].to_0x_hex(), receipt)

    def _reverted_on_chain(self, receipt: TxReceipt, tx: TxParams | None, description: str) -> Exception:
        """Name the error of a transaction that passed estimation but reverted when mined.

        The node's call tracer replays it exactly where it ran, after the transactions before it in its
        block (e.g. a pause mined just ahead of it). Nodes without ``debug_traceTransaction`` get eth_call
        replays instead: on the state before its block, then after it.
        """
        tx_hash = receipt["transactionHash"].to_0x_hex()
        trace = self._trace(tx_hash)
        output = trace.get("output") if trace else None
        data = output if isinstance(output, str) and len(output) > 2 else None
        if data is None and tx is not None:
            data = self._replayed_revert_data(tx, int(receipt["blockNumber"]))
        if data is None:
            reason = f": {trace['error']}" if trace and trace.get("error") else ""  # e.g. "out of gas"
            return TransactionFailed(f"{description}: transaction {tx_hash} reverted on chain{reason}")
        error = decode_revert(data, context=description)
        error.args = (f"{error.args[0]} (mined in {tx_hash}, reverted on chain)",)
        return error

    def _trace(self, tx_hash: str) -> dict[str, Any] | None:
        """The node's call trace of a mined transaction, or None when the node does not trace."""
        try:
            reply = self.w3.provider.make_request(
                "debug_traceTransaction", [tx_hash, {"tracer": "callTracer"}]  # type: ignore[arg-type]
            )
        except (Web3Exception, OSError, ValueError):
            return None
        trace = reply.get("result")
        return trace if isinstance(trace, dict) else None

    def _replayed_revert_data(self, tx: TxParams, block_number: int) -> str | None:
        replay: dict[str, Any] = {k: tx[k] for k in ("from", "to", "data", "value") if k in tx}  # type: ignore[literal-required]
        for block in (block_number - 1, block_number):
            try:
                self.w3.eth.call(replay, block_identifier=block)  # type: ignore[arg-type]
            except ContractLogicError as exc:
                if isinstance(exc.data, str):
                    return exc.data
            except Web3RPCError:
                pass
        return None

    def deploy(
        self,
        artifact: Artifact,
        args: list[Any] | tuple[Any, ...] = (),
        *,
        on_sent: Callable[[str], None] | None = None,
        description: str | None = None,
    ) -> tuple[str, SentTransaction]:
        factory = self.w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        tx: TxParams = {"data": factory.constructor(*args).data_in_transaction}  # type: ignore[typeddict-item]
        sent = self.send(tx, description=description or f"deploy {artifact.name}", on_sent=on_sent)
        address = sent.receipt["contractAddress"]
        if not address:
            raise TransactionFailed(f"deploy {artifact.name}: no contract address in receipt {sent.tx_hash}")
        return Web3.to_checksum_address(address), sent
