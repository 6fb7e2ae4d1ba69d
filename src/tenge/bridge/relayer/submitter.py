"""Sending from this instance's own key on one chain: pipelined, persisted, escalated.

Pipelining: each call (one ``deliver``, one ``deliverBatch`` of many transfers, an escrow attestation) is
estimated (a call the contract would refuse raises its decoded custom error and sends nothing) - or, right behind
an escrow attestation it needs and that is not mined yet, given a fixed gas limit - signed locally with the next
nonce, recorded in the store *before* it is broadcast, and broadcast without waiting; receipts are collected
later for every transaction in flight at once. A restart finds the recorded transactions and resumes: a
signed transaction the node never saw is broadcast again, one the node lost is re-checked on chain.

Gas escalation (Hyperlane's Lander rule): a transaction not mined after ``stuck_after`` seconds is replaced
with the same nonce and fees ``max(old x (1 + bump%), current estimate)``, never above ``cap x current
estimate``; BSC-style networks (``fee_model = "legacy"``) use a legacy ``gasPrice``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from eth_account.signers.local import LocalAccount
from hexbytes import HexBytes
from web3.contract.contract import ContractFunction
from web3.exceptions import TransactionNotFound, Web3RPCError
from web3.types import TxParams, TxReceipt

from tenge.bridge.client import BridgeClient
from tenge.bridge.relayer.settings import RelayerSettings
from tenge.bridge.relayer.store import Store
from tenge.chain.transactions import TxSender

log = logging.getLogger("tenge.relayer")


@dataclass(frozen=True)
class Outcome:
    """What became of a transaction: mined (receipt), reverted (receipt), or dropped (nonce used elsewhere)."""

    transfer_id: str
    action: str
    status: str
    receipt: TxReceipt | None
    #: every transfer the transaction was for (a batch: many; an escrow attestation: none)
    transfer_ids: tuple[str, ...] = ()
    #: why it reverted (the contract's error, replayed where it ran), for the transfers' reason and the log
    reason: str = ""


class Submitter:
    def __init__(self, bridge: BridgeClient, store: Store, settings: RelayerSettings, on_bump: Callable[[], None] | None = None) -> None:
        self.on_bump = on_bump
        self.bridge, self.store, self.settings = bridge, store, settings
        self.w3 = bridge.w3
        self.signer: TxSender = bridge.session.signer
        self.account: LocalAccount = self.signer.account
        self.address = str(self.account.address)
        self.chain_id = bridge.chain_id
        self.legacy = bridge.session.network.fee_model == "legacy"
        self._nonce: int | None = None
        self.bumps = 0

    def in_flight(self) -> int:
        return len({row["nonce"] for row in self.store.pending_txs(self.address, self.chain_id)})

    # --- sending --------------------------------------------------------------------------------------

    def _next_nonce(self) -> int:
        pending = int(self.w3.eth.get_transaction_count(self.account.address, "pending"))
        self._nonce = max(pending, self._nonce or 0)
        return self._nonce

    def send(
        self, transfer_id: str, action: str, call: ContractFunction | TxParams, description: str, *,
        ids: Sequence[str] | None = None, gas: int | None = None,
    ) -> str:  # fmt: skip
        """Estimate (or take ``gas`` as the limit), sign, record, broadcast; return the hash without waiting for the
        receipt. ``ids``: the transfers the transaction is for (default: ``transfer_id`` alone). ``call``: a contract
        call, or ``to`` and ``data`` already encoded (a batch: encoded once, see :func:`tenge.bridge.batch.batch_tx`)."""
        if gas is None:
            tx: dict[str, Any] = dict(self.signer.build(call, description=description))
        else:
            fields = {"from": self.address, "gas": gas, "chainId": self.chain_id, "nonce": 0, **self.current_fees()}
            if isinstance(call, ContractFunction):
                tx = dict(call.build_transaction(cast(TxParams, fields)))
            else:
                tx = {"value": 0, **call, **fields}
        tx["nonce"] = self._next_nonce()
        return self._sign_and_send(transfer_id, action, tx, ids=[transfer_id] if ids is None else list(ids))

    def _sign_and_send(
        self, transfer_id: str, action: str, tx: dict[str, Any], *, ids: list[str], replacement: bool = False
    ) -> str:
        signed = self.account.sign_transaction(tx)
        tx_hash = signed.hash.to_0x_hex()
        fee = int(tx.get("gasPrice") or tx["maxFeePerGas"])
        raw = {"tx": {k: (HexBytes(v).to_0x_hex() if isinstance(v, (bytes, HexBytes)) else v) for k, v in tx.items()},
               "signed": signed.raw_transaction.to_0x_hex()}  # fmt: skip
        self.store.record_tx(
            ids=ids, tx_hash=tx_hash, sender=self.address, chain_id=self.chain_id, nonce=int(tx["nonce"]), transfer_id=transfer_id,
            action=action, fee=fee, tip=int(tx.get("maxPriorityFeePerGas", 0)), raw=raw, sent_at=time.time(),
        )  # fmt: skip
        try:
            self.w3.eth.send_raw_transaction(signed.raw_transaction)
        except (Web3RPCError, ValueError) as exc:
            # Nothing reached the chain: settle the attempt and re-read the nonce from the node next time.
            if replacement:
                self.store.forget_tx(tx_hash)
            else:
                self.store.close_tx(self.address, self.chain_id, int(tx["nonce"]), "dropped", ids)
                self._nonce = None
            raise exc
        self._nonce = max(self._nonce or 0, int(tx["nonce"]) + 1)
        return tx_hash

    # --- collecting -----------------------------------------------------------------------------------

    def collect(self) -> list[Outcome]:
        """Settle what was mined; rebroadcast what the node lost; replace what is stuck."""
        rows = self.store.pending_txs(self.address, self.chain_id)
        by_nonce: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            by_nonce.setdefault(int(row["nonce"]), []).append(row)
        outcomes: list[Outcome] = []
        mined_nonce: int | None = None
        for nonce, attempts in sorted(by_nonce.items()):
            latest = max(attempts, key=lambda r: r["sent_at"])
            receipt = self._receipt([r["tx_hash"] for r in attempts])
            transfer_id, action, ids = str(latest["transfer_id"]), str(latest["action"]), tuple(latest["ids"])
            if receipt is not None:
                status = "mined" if receipt["status"] == 1 else "reverted"
                self.store.close_tx(self.address, self.chain_id, nonce, status, ids)
                reason = self._why_reverted(latest, receipt) if status == "reverted" else ""
                outcomes.append(Outcome(transfer_id, action, status, receipt, ids, reason))
                continue
            if mined_nonce is None:
                mined_nonce = int(self.w3.eth.get_transaction_count(self.account.address, "latest"))
            if mined_nonce > nonce:
                # The nonce was used by a transaction we hold no receipt for: re-check the transfer on chain.
                self.store.close_tx(self.address, self.chain_id, nonce, "dropped", ids)
                outcomes.append(Outcome(transfer_id, action, "dropped", None, ids))
                continue
            if not self._known(latest["tx_hash"]):
                self._rebroadcast(latest)
            elif time.time() - float(latest["sent_at"]) > self.settings.stuck_after:
                self._bump(latest)
        return outcomes

    def _why_reverted(self, row: dict[str, Any], receipt: TxReceipt) -> str:
        """The contract's error of a transaction of ours that reverted when mined (the node's trace, else a replay),
        logged with it."""
        tx = cast(TxParams, {**row["raw"]["tx"], "from": self.address})
        reason = str(self.signer.reverted_on_chain(receipt, tx, str(row["action"]).replace("_", " ")))
        log.warning("transaction reverted", extra={"fields": {"tx": row["tx_hash"], "nonce": row["nonce"], "action": row["action"],
                                                              "transfers": len(row["ids"]), "reason": reason[:300]}})  # fmt: skip
        return reason

    def _receipt(self, hashes: list[str]) -> TxReceipt | None:
        for tx_hash in hashes:
            try:
                return self.w3.eth.get_transaction_receipt(tx_hash)  # type: ignore[arg-type]
            except TransactionNotFound:
                continue
        return None

    def _known(self, tx_hash: str) -> bool:
        try:
            self.w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
            return True
        except TransactionNotFound:
            return False

    def _rebroadcast(self, row: dict[str, Any]) -> None:
        try:
            self.w3.eth.send_raw_transaction(row["raw"]["signed"])
            log.info("transaction rebroadcast", extra={"fields": {"tx": row["tx_hash"], "nonce": row["nonce"]}})
        except (Web3RPCError, ValueError) as exc:
            log.warning("rebroadcast refused", extra={"fields": {"tx": row["tx_hash"], "error": str(exc)[:200]}})

    def current_fees(self) -> dict[str, int]:
        return self.signer.fee_fields()

    def _bump(self, row: dict[str, Any]) -> None:
        """Replace a stuck transaction: same nonce, fees raised by bump%, capped at cap x the current estimate."""
        tx: dict[str, Any] = dict(row["raw"]["tx"])
        estimate = self.current_fees()
        factor = 1 + self.settings.gas_bump_percent / 100
        cap = self.settings.gas_cap_multiplier
        keys = ("gasPrice",) if "gasPrice" in tx else ("maxFeePerGas", "maxPriorityFeePerGas")
        raised = False
        for key in keys:
            now = int(estimate.get(key, 0) or (estimate.get("gasPrice", 0) if key != "maxPriorityFeePerGas" else 0))
            old = int(tx[key])
            new = min(max(int(old * factor) + 1, now), max(cap * now, old))
            raised |= new > old
            tx[key] = new
        if not raised:
            log.warning("gas cap reached; waiting", extra={"fields": {"tx": row["tx_hash"], "nonce": row["nonce"]}})
            return
        if "maxFeePerGas" in tx and tx["maxPriorityFeePerGas"] > tx["maxFeePerGas"]:
            tx["maxPriorityFeePerGas"] = tx["maxFeePerGas"]
        tx["data"] = HexBytes(tx["data"])
        try:
            new_hash = self._sign_and_send(str(row["transfer_id"]), str(row["action"]), tx, ids=row["ids"], replacement=True)
        except (Web3RPCError, ValueError) as exc:
            for transfer_id in row["ids"]:
                self.store.save(str(transfer_id), pending_tx=row["tx_hash"])
            log.warning("replacement refused", extra={"fields": {"tx": row["tx_hash"], "error": str(exc)[:200]}})
            return
        self.bumps += 1
        if self.on_bump:
            self.on_bump()
        fee_key = keys[0]
        log.info("gas escalated", extra={"fields": {"id": row["transfer_id"], "nonce": row["nonce"], "old": row["tx_hash"],
                                                    "new": new_hash, fee_key: tx[fee_key]}})  # fmt: skip

