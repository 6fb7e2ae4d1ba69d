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
from web3._utils.contracts import encode_transaction_data
from web3.contract.contract import ContractFunction
from web3.exceptions import ContractLogicError, Web3Exception, Web3RPCError
from web3.types import Nonce, TxParams, TxReceipt, Wei

from tenge.chain.duplicates import Earlier, Policy, call_digest, find_earlier, replacement_fees
from tenge.chain.journal import TxJournal
from tenge.chain.lifecycle import Listener, TxEvent, TxWatcher
from tenge.chain.fees import FeeCache
from tenge.chain.networks import Network
from tenge.chain.preflight import EstimateRefused, preflight
from tenge.chain.reverts import decode_revert
from tenge.contracts import Artifact
from tenge.errors import InsufficientFunds, TransactionFailed

#: Headroom over the estimate; unused gas is not charged.
GAS_MARGIN = 1.2
#: What nodes (geth, BSC, anvil) say when refusing a nonce or a fee that a fresh read would correct.
_NONCE_REFUSALS = ("nonce too low", "replacement transaction underpriced")
_FEE_REFUSALS = ("max fee per gas less than block base fee", "transaction underpriced", "fee cap less than block base fee")


def _calldata(call: ContractFunction) -> str:
    """The call's data, encoded by web3 against the one ABI entry the call already resolved: web3's own
    ``build_transaction`` searches the contract's whole ABI again on every call (~10 ms for the token's)."""
    element = getattr(call, "abi_element", None)
    if element is not None:
        try:
            return str(encode_transaction_data(call.w3, element["name"], [element], element, call.args, call.kwargs))
        except (Web3Exception, TypeError, ValueError, KeyError):
            pass
    return str(call._encode_transaction_data())


class _Retry(Exception):
    """The node refused the transaction for a stale nonce or fee: build it again (it was not sent)."""


@dataclass(frozen=True)
class SentTransaction:
    tx_hash: str
    receipt: TxReceipt
    #: the network's coin, in which the fee was paid (BNB on BNB networks)
    fee_symbol: str = ""

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

    ``duplicates`` guards against sending the same write twice (:mod:`tenge.chain.duplicates`): with a journal,
    an identical transaction still pending (or recently mined, its outcome never reported) makes a send raise
    :class:`~tenge.errors.DuplicateTransaction` (``"refuse"``, the default); ``"again"`` sends anyway,
    ``"replace"`` sends with the pending one's nonce and a higher fee.
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
        duplicates: Policy = "refuse",
    ) -> None:
        self.w3 = w3
        self.duplicates: Policy = duplicates
        self.account = account
        self.network = network
        self.confirmations = confirmations
        self.timeout = timeout
        self.journal = journal if journal is not None or network.local else TxJournal.default()
        self.listener = listener
        self.fees = FeeCache(w3, network)
        self._next_nonce: int | None = None
        self._chain_id: int | None = None
        self._sent_hashes: set[str] = set()  # sent by this sender: deliberate, never "duplicates"

    @property
    def address(self) -> str:
        return str(self.account.address)

    def watcher(self) -> TxWatcher:
        return TxWatcher(self.w3, self.network, confirmations=self.confirmations, timeout=self.timeout,
                         journal=self.journal, listener=self.listener)  # fmt: skip

    # --- building -------------------------------------------------------------------------------

    @property
    def chain_id(self) -> int:
        """The chain id, asked once (it was checked when the session connected)."""
        if self._chain_id is None:
            self._chain_id = int(self.w3.eth.chain_id)
        return self._chain_id

    def fee_fields(self) -> dict[str, int]:
        """``gasPrice`` or the EIP-1559 fields, reused for a few seconds (:mod:`tenge.chain.fees`)."""
        return self.fees.fields()

    def max_fee_per_gas(self, fees: dict[str, int] | None = None) -> int:
        fees = fees or self.fee_fields()
        return fees.get("gasPrice") or fees["maxFeePerGas"]

    def _unsigned(self, call: ContractFunction | TxParams, value: int) -> TxParams:
        """from, to, data and value, without asking the node anything."""
        if isinstance(call, ContractFunction):
            tx = cast(TxParams, {"from": self.address, "to": call.address, "value": Wei(value), "data": _calldata(call)})
        else:
            tx = dict(call)  # type: ignore[assignment]
            tx.setdefault("from", self.address)
            tx.setdefault("value", Wei(value))
        for key in ("gas", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "nonce", "chainId"):
            tx.pop(key, None)  # type: ignore[misc]
        return tx

    def build(
        self, call: ContractFunction | TxParams, *, description: str, value: int = 0, block: str = "latest",
        replacing: Earlier | None = None,
    ) -> TxParams:
        """A complete transaction (gas, fees, chain id, nonce); raises the decoded revert if it would fail and
        :class:`InsufficientFunds` if the account cannot pay. One batched request asks the node for the estimate,
        the nonce and the balance; chain id and fees are cached."""
        tx = self._unsigned(call, value)
        try:
            checked = preflight(self.w3, tx, self.address, description=description, block=block)
        except EstimateRefused as exc:
            if "insufficient funds" in str(exc).lower():
                raise self._unfunded(description) from None
            raise
        tx["gas"] = int(checked.gas * GAS_MARGIN)
        fees = self.fee_fields()
        if replacing is not None:
            fees = replacement_fees(self.w3, replacing.tx_hash, fees)
        tx.update(fees)  # type: ignore[typeddict-item]
        tx["chainId"] = self.chain_id
        cost = int(tx["gas"]) * self.max_fee_per_gas(tx) + int(tx.get("value", 0))  # type: ignore[arg-type]
        if checked.balance < cost:
            raise self._unfunded(description, checked.balance)
        # The pending count covers transactions sent by other tools; the local counter covers back-to-back
        # sends the node has not counted yet.
        tx["nonce"] = Nonce(max(checked.pending_nonce, self._next_nonce or 0) if replacing is None else replacing.nonce)
        return tx

    def earlier_duplicate(self, call: ContractFunction | TxParams, *, value: int = 0) -> Earlier | None:
        """An identical transaction from this account, pending or recently mined with its outcome never reported
        (:mod:`tenge.chain.duplicates`); None without a journal."""
        if self.journal is None:
            return None
        return find_earlier(self.w3, self.journal, network=self.network.name, chain_id=self.chain_id,
                            address=self.address, digest=call_digest(self._unsigned(call, value)),
                            skip=self._sent_hashes)  # fmt: skip

    def _guard(self, call: ContractFunction | TxParams, description: str, value: int) -> Earlier | None:
        """Refuse a duplicate (policy ``refuse``, or ``replace`` of a mined one); the pending one to replace."""
        if self.duplicates == "again":
            return None
        earlier = self.earlier_duplicate(call, value=value)
        if earlier is None:
            return None
        if self.duplicates == "refuse" or earlier.state != "pending":
            raise earlier.refusal(description, self.address, self.network.name)
        return earlier

    def estimate(self, tx: TxParams, *, description: str) -> int:
        """The gas ``tx`` needs; raises the decoded revert (nothing is sent)."""
        return preflight(self.w3, tx, self.address, description=description).gas

    def _unfunded(self, description: str, balance: int | None = None) -> InsufficientFunds:
        if balance is None:
            balance = int(self.w3.eth.get_balance(self.address))  # type: ignore[arg-type]
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
        that ends early raises ``NotYetMined`` / ``NotYetConfirmed`` carrying it. On a local devnet this is
        three JSON-RPC requests: the batched preflight, the send and the receipt.
        """
        watcher = self.watcher()
        tx_hash, tx = self.submit(call, description=description, value=value, on_sent=on_sent, watcher=watcher)
        return self.wait(tx_hash, tx, description=description, watcher=watcher)

    def submit(
        self,
        call: ContractFunction | TxParams,
        *,
        description: str,
        value: int = 0,
        on_sent: Callable[[str], None] | None = None,
        watcher: TxWatcher | None = None,
        block: str = "latest",
    ) -> tuple[str, TxParams]:
        """Build, sign and send without waiting: the hash and the transaction as sent (journaled as sent).

        A node refusing the nonce (another tool sent from this account) or the fee (it rose) is asked again
        once: a refused transaction was not sent, so sending a corrected one cannot do anything twice.
        """
        watcher = watcher or self.watcher()
        replacing = self._guard(call, description, value)
        for attempt in (1, 2):
            tx = self.build(call, description=description, value=value, block=block, replacing=replacing)
            try:
                tx_hash = self._sign_and_send(tx, watcher, description, on_sent)
                break
            except _Retry:
                if attempt == 2:
                    raise TransactionFailed(f"{description}: the node refused it twice (nonce or fee); not sent") from None
        self._next_nonce = max(int(tx["nonce"]) + 1, self._next_nonce or 0)
        self._sent_hashes.add(tx_hash.lower())
        if replacing is not None and watcher.journal is not None:
            watcher.journal.append(hash=replacing.tx_hash, network=self.network.name, state="replaced",
                                   replacedBy=tx_hash)  # fmt: skip
        if watcher.listener:
            watcher.listener(TxEvent("sent", tx_hash, description, nonce=int(tx["nonce"]), required=watcher.required))
        return tx_hash, tx

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
            if "already known" in str(exc).lower():
                return tx_hash  # this very transaction is in the node's mempool: it is on its way
            if watcher.journal is not None:
                watcher.journal.append(hash=tx_hash, network=self.network.name, state="refused", error=str(exc))
            message = str(exc).lower()
            if any(marker in message for marker in _NONCE_REFUSALS):
                self._next_nonce = None
                raise _Retry() from None
            if any(marker in message for marker in _FEE_REFUSALS):
                if self.fees.overrides:  # asking again would offer the same fee
                    raise TransactionFailed(f"{description}: the node refused the fee set by hand "
                                            f"({self.fees.overrides.describe()}): {exc} (not sent)") from None
                self.fees.forget()
                raise _Retry() from None
            if "insufficient funds" in message:
                raise self._unfunded(description) from None
            raise TransactionFailed(f"{description}: the node refused transaction {tx_hash}: {exc} (not sent)") from None
        return tx_hash

    def _note_sent(
        self, tx_hash: str, tx: TxParams, watcher: TxWatcher, description: str, on_sent: Callable[[str], None] | None
    ) -> None:
        if watcher.journal is not None:
            watcher.journal.append(hash=tx_hash, network=self.network.name, chainId=int(tx["chainId"]), state="sent",
                                   description=description, nonce=int(tx["nonce"]), call=call_digest(tx),
                                   to=str(tx.get("to") or ""), **{"from": self.address})  # fmt: skip
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
            raise self.reverted_on_chain(receipt, tx, description)
        return SentTransaction(receipt["transactionHash"].to_0x_hex(), receipt, self.network.native_symbol)

    def reverted_on_chain(self, receipt: TxReceipt, tx: TxParams | None, description: str) -> Exception:
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
        replay: dict[str, Any] = {k: tx[k] for k in ("from", "to", "data", "value") if k in tx}
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
        tx: TxParams = {"data": factory.constructor(*args).data_in_transaction}
        sent = self.send(tx, description=description or f"deploy {artifact.name}", on_sent=on_sent)
        address = sent.receipt["contractAddress"]
        if not address:
            raise TransactionFailed(f"deploy {artifact.name}: no contract address in receipt {sent.tx_hash}")
        return Web3.to_checksum_address(address), sent
