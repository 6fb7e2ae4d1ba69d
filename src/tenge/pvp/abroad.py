"""One action from the home ledger (issue 21 ★): a payer on the tenge home ledger pays a merchant on the som home
ledger, in som, with one transaction.

    from tenge.pvp.abroad import CrossBorder
    xb = CrossBorder(Session.open("kz-ledger", account="dev:2"), Session.open("bnb-local", account="dev:2"),
                     Session.open("kg-ledger", read_only=True))
    payment = xb.pay(signed_quote, merchant="0xMerchant...", amount="1000.00")   # sent: transfer id
    final = xb.wait(payment, on_hop=print)                                         # sent, attested, settled, delivered

The payer's tenge goes over the tenge bridge with a typed payment order (:mod:`tenge.bridge.orders`) to the BNB-side
PvP settlement contract (the bridge's payload handler); on delivery the contract settles PvP with the LP and sends
the som on over the som bridge to the merchant's home ledger, in the same transaction. Hops, as read from the chains:

- ``sent``: the home bridge took the tenge (``PayloadTransferSent``);
- ``attested``: the BNB side processed it (a threshold of validators signed it: the delivery needs that);
- ``settled``: PvP settled on the BNB side (``Settled``/``Forwarded``: the som left towards the merchant) — or the
  delivery was refused (expired, cancelled or used quote, over the LP's maximum, LP out of som, merchant not
  eligible ...): the tenge bridge marks it Failed and the payer is refunded at home, once;
- ``delivered``: the som home bridge credited the merchant — or refused it there: the som comes back to the
  settlement contract, and :meth:`CrossBorder.unwind` (permissionless; :meth:`wait` calls it) reverses the payment:
  the LP's som back to the LP, the payer's tenge from the LP home to the payer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from web3 import Web3
from web3.contract import Contract

from tenge.addresses import checksum_address
from tenge.amounts import AmountLike, from_tiyn, parse_tenge, to_tiyn
from tenge.bridge.client import BridgeClient
from tenge.bridge.messages import PayloadTransfer
from tenge.bridge.payloads import send_with_payload
from tenge.contracts import load_artifact
from tenge.errors import InvalidInput
from tenge.payments.logs import scan_events
from tenge.pvp.client import Currency, PvPClient
from tenge.pvp.payload import encode_payload
from tenge.pvp.quotes import SignedQuote, buy_amount
from tenge.session import Session

HOPS = ("sent", "attested", "settled", "delivered")
#: Final outcomes: the merchant got the som; or the payer got the tenge back (refused on the BNB side, or on the
#: som home ledger and unwound).
FINAL = ("delivered", "refunded", "unwound")


@dataclass(frozen=True)
class Hop:
    name: str  # one of HOPS
    state: str  # done | waiting | refused
    detail: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"hop": self.name, "state": self.state, "detail": self.detail}


@dataclass(frozen=True)
class AbroadPayment:
    """Where a one-action payment is: its hops, its outcome and the amounts (Decimal, each currency's code)."""

    transfer: PayloadTransfer
    sell: Currency
    buy: Currency
    paid: Decimal
    hops: tuple[Hop, ...]
    outcome: str  # in-flight | delivered | refund-pending | refunded | returned | unwound
    received: Decimal | None = None
    outbound_id: str | None = None
    return_id: str | None = None
    reason: str | None = None

    @property
    def inbound_id(self) -> str:
        return self.transfer.id_hex

    @property
    def final(self) -> bool:
        return self.outcome in FINAL

    def to_dict(self) -> dict[str, Any]:
        return {
            "transferId": self.inbound_id, "outcome": self.outcome, "paid": str(self.paid),
            "paidCurrency": self.sell.code, "received": None if self.received is None else str(self.received),
            "receivedCurrency": self.buy.code, "outboundId": self.outbound_id, "returnId": self.return_id,
            "reason": self.reason, "hops": [h.to_dict() for h in self.hops],
        }  # fmt: skip

    def render(self) -> str:
        lines = [f"payment {self.inbound_id}: {self.sell.fmt(self.paid)} -> {self.outcome}"]
        lines += [f"  {h.name:<10} {h.state:<8} {h.detail}".rstrip() for h in self.hops]
        if self.received is not None:
            lines.append(f"  received by the merchant: {self.buy.fmt(self.received)}")
        return "\n".join(lines)


def _remote(w3: Web3, address: str) -> Contract:
    return w3.eth.contract(address=Web3.to_checksum_address(address), abi=load_artifact("TengeBridgeRemote").abi)


class CrossBorder:
    """The one-action payment across three ledgers: ``home`` (the payer's, with its account), ``bnb`` (the common
    platform where the PvP settlement contract is; an account there only for :meth:`unwind`) and ``dest_home`` (the
    merchant's home ledger, read only)."""

    def __init__(self, home: Session, bnb: Session, dest_home: Session, *, pvp_address: str | None = None) -> None:
        self.home = home.bridge()
        self.pvp = PvPClient(bnb, address=pvp_address)
        self.dest_home = dest_home.bridge()
        self.bnb_chain = int(bnb.w3.eth.chain_id)
        inbound = self.home.remote_bridge(self.bnb_chain)
        if inbound is None:
            raise InvalidInput(f"the home bridge serves no chain {self.bnb_chain}: nothing was sent")
        self.inbound = _remote(bnb.w3, inbound)  # the tenge's BNB-side bridge

    def _forwarding(self, token: str) -> tuple[Contract, int]:
        bridge, chain = self.pvp.contract.functions.forwarding(Web3.to_checksum_address(token)).call()
        if int(bridge, 16) == 0:
            raise InvalidInput(f"the settlement contract sends no {self.pvp.currency(token).code} on: nothing was sent")
        return _remote(self.pvp.w3, bridge), int(chain)

    # --- the one action --------------------------------------------------------------------------------------

    def check(self, signed: SignedQuote, merchant: str, amount: AmountLike) -> None:
        """What the payer can know before sending (a refusal later still refunds the payer at home, once)."""
        handler = str(self.inbound.functions.payloadHandler().call())
        if checksum_address(handler) != checksum_address(self.pvp.address):
            raise InvalidInput(f"the BNB-side bridge's payload handler is {handler}, not the settlement contract "
                               f"{self.pvp.address}: nothing was sent")  # fmt: skip
        value = parse_tenge(amount, allow_zero=False)
        status = self.pvp.status(signed)
        if status.state != "open":
            raise InvalidInput(f"the quote is {status.state}: nothing was sent")
        sell, buy = self.pvp.currency(signed.quote.sell_token), self.pvp.currency(signed.quote.buy_token)
        if value > status.max_amount:
            raise InvalidInput(f"{sell.fmt(value)} is over the quote's maximum {sell.fmt(status.max_amount)}: nothing was sent")
        _, chain = self._forwarding(signed.quote.buy_token)
        if chain != self.dest_home.chain_id:
            raise InvalidInput(f"the som goes on to chain {chain}, not the merchant's ledger {self.dest_home.chain_id}: "
                               "nothing was sent")  # fmt: skip
        token = self.pvp.w3.eth.contract(address=Web3.to_checksum_address(buy.address), abi=load_artifact("DigitalTenge").abi)
        who = Web3.to_checksum_address(checksum_address(merchant))
        if int(token.functions.tierOf(who).call()) == 0 or bool(token.functions.isFrozen(who).call()):
            raise InvalidInput(f"merchant {who} cannot receive {buy.code}: nothing was sent")

    def pay(
        self, signed: SignedQuote, merchant: str, amount: AmountLike, *, min_receive: AmountLike | None = None,
        check: bool = True,
    ) -> AbroadPayment:  # fmt: skip
        """Send ``amount`` tenge with the payment order (the quote, ``merchant``, the least the merchant must get:
        ``min_receive``, default as quoted). One transaction on the home ledger; see :meth:`wait`."""
        value = parse_tenge(amount, allow_zero=False)
        if check:
            self.check(signed, merchant, value)
        minimum = buy_amount(to_tiyn(value), signed.quote.rate) if min_receive is None else to_tiyn(parse_tenge(min_receive))
        payload = encode_payload(signed, checksum_address(merchant), minimum)
        message, _ = send_with_payload(self.home, self.bnb_chain, self.pvp.address, value, payload)
        return self.status(message)

    # --- where it is -----------------------------------------------------------------------------------------

    def status(self, message: PayloadTransfer) -> AbroadPayment:
        """The payment's hops as the three chains show them now (reads only)."""
        quote, _, _ = _order(message)
        sell, buy = self.pvp.currency(quote.sell_token), self.pvp.currency(quote.buy_token)
        paid = message.transfer.amount
        base = AbroadPayment(message, sell, buy, paid, (Hop("sent", "done", f"{sell.fmt(paid)} left the home ledger"),),
                             "in-flight")  # fmt: skip
        inbound = ("None", "Delivered", "Queued", "Failed", "Deferred")[int(self.inbound.functions.inboundStatus(message.id).call())]
        if inbound in ("None", "Queued", "Deferred"):
            waiting = "waiting for the validators and the relayer" if inbound == "None" else inbound.lower() + " on the BNB side"
            return replace(base, hops=(*base.hops, Hop("attested", "waiting", waiting)))
        hops = [*base.hops, Hop("attested", "done", "a threshold of validators signed it")]
        if inbound == "Failed":
            reason = self._failure(message)
            refunded = self.home.outbound_status(message.transfer.nonce) == "Refunded"
            hops.append(Hop("settled", "refused", reason))
            detail = f"{sell.fmt(paid)} refunded to the payer at home" if refunded else "refund at home pending"
            hops.append(Hop("delivered", "refused", detail))
            return replace(base, hops=tuple(hops), outcome="refunded" if refunded else "refund-pending", reason=reason)
        forwarded = self._event("Forwarded", message.id)
        if forwarded is None:  # pragma: no cover - a payment delivered to the handler settles or fails
            raise InvalidInput(f"transfer {message.id_hex} was delivered but the settlement contract shows no forward")
        outbound_id, received = "0x" + bytes(forwarded["outboundId"]).hex(), from_tiyn(int(forwarded["amount"]))
        hops.append(Hop("settled", "done", f"PvP settled on the BNB side: {sell.fmt(paid)} -> {buy.fmt(received)}"))
        result = replace(base, outbound_id=outbound_id)
        dest = self.dest_home.inbound_status(outbound_id)
        if dest == "Delivered":
            hops.append(Hop("delivered", "done", f"{buy.fmt(received)} credited to the merchant's home ledger"))
            return replace(result, hops=tuple(hops), outcome="delivered", received=received)
        if dest != "Failed":
            hops.append(Hop("delivered", "waiting", f"{buy.fmt(received)} on its way over the {buy.code} bridge"))
            return replace(result, hops=tuple(hops))
        unwound = self._event("Unwound", bytes.fromhex(outbound_id[2:]), topic=1)
        if unwound is None:
            flight = self.pvp.contract.functions.flight(bytes.fromhex(outbound_id[2:])).call()
            back = int(flight[1], 16) != 0 and self._returned(flight)
            detail = ("refused by the merchant's ledger; the som came back: unwind due" if back
                      else "refused by the merchant's ledger; the som is on its way back")  # fmt: skip
            hops.append(Hop("delivered", "refused", detail))
            return replace(result, hops=tuple(hops), outcome="returned" if back else "in-flight", reason=detail)
        return_id = "0x" + bytes(unwound["returnId"]).hex()
        home_done = self.home.inbound_status(return_id) == "Delivered"
        detail = (f"refused by the merchant's ledger; unwound: {sell.fmt(paid)} "
                  + ("returned to the payer at home" if home_done else "on its way back home"))  # fmt: skip
        hops.append(Hop("delivered", "refused", detail))
        return replace(result, hops=tuple(hops), outcome="unwound" if home_done else "in-flight", return_id=return_id,
                       reason="refused by the merchant's home ledger")  # fmt: skip

    def _returned(self, flight: Any) -> bool:
        status = int(_remote(self.pvp.w3, flight[7]).functions.outboundStatus(int(flight[8])).call())
        return status in (3, 4, 5)  # Cancelled, Refunded, Rejected

    def _event(self, name: str, key: bytes, topic: int = 0) -> Any:
        contract = self.pvp.contract
        event = contract.events[name]()
        wanted = Web3.to_hex(key)
        argument = [i["name"] for i in event.abi["inputs"] if i["indexed"]][topic]
        logs = event.get_logs(from_block=0, argument_filters={argument: wanted})
        return logs[-1]["args"] if logs else None

    def _failure(self, message: PayloadTransfer) -> str:
        logs = self.inbound.events.TransferFailed().get_logs(from_block=0, argument_filters={"id": message.id})
        if not logs:
            return "refused on the BNB side"
        from tenge.chain.reverts import decode_revert

        return "refused on the BNB side: " + str(decode_revert(bytes(logs[-1]["args"]["reason"])))

    # --- acting ----------------------------------------------------------------------------------------------

    def unwind(self, outbound_id: str) -> str:
        """Reverse a payment whose som came back (permissionless): returns the id of the tenge's way home."""
        call = self.pvp.contract.functions.unwind(bytes.fromhex(outbound_id.removeprefix("0x")))
        tx = self.pvp.session.write(call, f"unwind the payment forwarded as {outbound_id}")
        logs = self.pvp.contract.events.Unwound().process_receipt(tx.receipt)
        return "0x" + bytes(logs[0]["args"]["returnId"]).hex()

    def wait(
        self, payment: AbroadPayment, *, timeout: float = 300.0, poll: float = 1.0,
        on_hop: Callable[[AbroadPayment], None] | None = None, unwind: bool = True,
    ) -> AbroadPayment:  # fmt: skip
        """Poll until the payment is final (delivered, refunded, unwound) or ``timeout`` seconds pass; calls
        ``on_hop`` whenever a hop changes and :meth:`unwind` when the som came back."""
        deadline = time.monotonic() + timeout
        seen = payment
        if on_hop is not None:
            on_hop(payment)
        while not seen.final and time.monotonic() < deadline:
            time.sleep(poll)
            now = self.status(payment.transfer)
            if now.outcome == "returned" and unwind and now.outbound_id is not None:
                self.unwind(now.outbound_id)
                now = self.status(payment.transfer)
            if now.hops != seen.hops and on_hop is not None:
                on_hop(now)
            seen = now
        return seen


def _order(message: PayloadTransfer) -> Any:
    from tenge.pvp.payload import decode_payload

    signed, merchant, minimum = decode_payload(message.payload)
    return signed.quote, merchant, minimum
