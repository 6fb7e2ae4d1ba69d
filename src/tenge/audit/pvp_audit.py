"""The PvP settlement contract in `tenge audit` (issue 21).

- **Rebuilt facts** (:class:`PvPRebuild`, compared with the chain like every other fact): each corridor's daily
  limit (``CorridorLimitSet``), each cancelled nonce (``NonceCancelled``), the bridges allowed to deliver a
  payment (``InboundBridgeSet``) and where bought currency is forwarded (``ForwardingSet``), and for every token a
  settlement moved, the settlement contract's balance of it: nothing is ever left there (``pvp held`` = 0.00).
- **Legs** (:func:`reconcile_legs`): every ``Settled`` event is matched, in its own transaction's receipt, with the
  two token ``Transfer`` events it claims — the sold currency to the provider, the bought currency from it (from the
  payer / to the recipient; for a bridge payment from and to the settlement contract; interbank from and to the
  counterparty bank) — each Transfer used once.
- **LP positions** (:func:`lp_positions`): each provider's (and interbank counterparty's) net position per
  currency, rebuilt from the ``Settled`` events and again from the matched ``Transfer`` legs; the two must agree.
- **Balance of payments** (:func:`balance_of_payments`): per corridor (``KZT->KGS``), every settlement's amounts in
  both currencies, rate, provider and time, and totals — no payer, no recipient (they are not in ``Settled``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from eth_utils.crypto import keccak
from web3 import Web3

from tenge.amounts import from_tiyn
from tenge.index.reader import IndexedEvent
from tenge.pvp.quotes import rate_decimal

KINDS = ("payment", "interbank", "bridge-payment")
TRANSFER_TOPIC = keccak(text="Transfer(address,address,uint256)")
_CURRENCY_ABI = [
    {"type": "function", "name": "currency", "stateMutability": "view", "inputs": [], "outputs": [{"name": "", "type": "string"}]},
]  # fmt: skip


def _amount(value: Any) -> str:
    """A base-unit amount as the facts hold it: a decimal string (each currency has 2 decimals)."""
    return str(from_tiyn(int(value)))


class PvPRebuild:
    """The settlement contract's state from its events (see the module)."""

    def __init__(self, out: Any) -> None:
        self.out = out

    def apply(self, e: IndexedEvent) -> None:
        a = e.args
        if e.name == "CorridorLimitSet":
            self.out.set("pvp corridor limit", f"{a['sellToken']}:{a['buyToken']}", _amount(a["newLimit"]), e)
        elif e.name == "NonceCancelled":
            self.out.set("pvp nonce", f"{a['signer']}:{int(a['nonce'])}", "cancelled", e)
        elif e.name == "InboundBridgeSet":
            self.out.set("pvp inbound", a["bridge"], str(a["token"]), e)
        elif e.name == "ForwardingSet":
            self.out.set("pvp forwarding", a["token"], (str(a["bridge"]), int(a["chainId"])), e)
        elif e.name == "Settled":
            for token in (a["sellToken"], a["buyToken"]):
                self.out.set("pvp held", f"{token}:{e.contract}", "0.00", e)


def pvp_chain_call(w3: Web3, pvp: Any, token_abi: Any, kind: str, key: str) -> tuple[Any, Any]:
    """The chain counterpart of a ``pvp ...`` fact: (call, convert)."""
    f = pvp.functions
    if kind == "pvp corridor limit":
        sell, buy = key.split(":")
        return f.corridor(sell, buy), lambda r: _amount(r[0])
    if kind == "pvp nonce":
        signer, nonce = key.split(":")
        return f.nonceState(signer, int(nonce)), lambda r: ("open", "used", "cancelled")[int(r)]
    if kind == "pvp inbound":
        return f.inboundBridgeToken(key), str
    if kind == "pvp forwarding":
        return f.forwarding(key), lambda r: (str(r[0]), int(r[1]))
    if kind == "pvp held":
        token, holder = key.split(":")
        contract = w3.eth.contract(address=Web3.to_checksum_address(token), abi=token_abi)
        return contract.functions.balanceOf(holder), _amount
    raise KeyError((kind, key))


@dataclass(frozen=True)
class Leg:
    token: str
    sender: str
    recipient: str
    amount: int


@dataclass
class PvPAudit:
    settlements: int = 0
    #: (kind, key, from events, from chain) of every leg or position that does not reconcile
    differences: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    balance_of_payments: list[dict[str, Any]] = field(default_factory=list)
    lp_positions: list[dict[str, Any]] = field(default_factory=list)


def settled_events(history: Iterable[IndexedEvent]) -> list[IndexedEvent]:
    return [e for e in history if e.prefix == "pvp" and e.name == "Settled"]


def expected_legs(e: IndexedEvent) -> tuple[Leg, Leg]:
    """The two Transfers a ``Settled`` event claims (an empty sender/recipient: anyone, i.e. the payer's or the
    recipient's own address, which the event does not carry)."""
    a = e.args
    kind, provider, other = KINDS[int(a["kind"])], str(a["provider"]), str(a["counterparty"])
    sell, buy = str(a["sellToken"]), str(a["buyToken"])
    if kind == "interbank":
        return Leg(sell, other, provider, int(a["sellAmount"])), Leg(buy, provider, other, int(a["buyAmount"]))
    if kind == "bridge-payment":
        return Leg(sell, e.contract, provider, int(a["sellAmount"])), Leg(buy, provider, e.contract, int(a["buyAmount"]))
    return Leg(sell, "", provider, int(a["sellAmount"])), Leg(buy, provider, "", int(a["buyAmount"]))


def transfers_of(receipt: Any) -> list[Leg]:
    """Every ERC-20 Transfer in a receipt."""
    found = []
    for log in receipt["logs"]:
        topics = [bytes(t) for t in log["topics"]]
        if len(topics) == 3 and topics[0] == TRANSFER_TOPIC:
            data = bytes(log["data"])
            found.append(Leg(Web3.to_checksum_address(log["address"]), Web3.to_checksum_address(topics[1][-20:]),
                             Web3.to_checksum_address(topics[2][-20:]), int.from_bytes(data[:32], "big")))  # fmt: skip
    return found


def _matches(leg: Leg, transfer: Leg) -> bool:
    return (
        leg.token == transfer.token and leg.amount == transfer.amount and leg.recipient in ("", transfer.recipient)
        and leg.sender in ("", transfer.sender)
    )  # fmt: skip


def reconcile_legs(w3: Web3, settled: list[IndexedEvent]) -> tuple[list[tuple[str, str, Any, Any]], list[tuple[IndexedEvent, Leg, Leg]]]:
    """Differences, and each settlement with the two Transfers that carried its legs."""
    differences: list[tuple[str, str, Any, Any]] = []
    matched: list[tuple[IndexedEvent, Leg, Leg]] = []
    by_tx: dict[str, list[IndexedEvent]] = defaultdict(list)
    for e in settled:
        by_tx[e.tx_hash].append(e)
    for tx_hash, events in by_tx.items():
        pool = transfers_of(w3.eth.get_transaction_receipt(tx_hash))  # type: ignore[arg-type]
        for e in events:
            found: list[Leg] = []
            for side, leg in zip(("sell", "buy"), expected_legs(e)):
                hit = next((t for t in pool if _matches(leg, t)), None)
                if hit is None:
                    differences.append((f"pvp {side} leg", f"{e.args['ref']} (tx {tx_hash})",
                                        f"{_amount(leg.amount)} of {leg.token} to {leg.recipient or 'the recipient'}",
                                        None))  # fmt: skip
                    continue
                pool.remove(hit)
                found.append(hit)
            if len(found) == 2:
                matched.append((e, found[0], found[1]))
    return differences, matched


def lp_positions(settled: list[IndexedEvent], matched: list[tuple[IndexedEvent, Leg, Leg]]) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """(bank, token) -> net base units, from the Settled events and from the matched Transfer legs."""
    from_events: dict[tuple[str, str], int] = defaultdict(int)
    for e in settled:
        a = e.args
        provider, sell, buy = str(a["provider"]), str(a["sellToken"]), str(a["buyToken"])
        from_events[(provider, sell)] += int(a["sellAmount"])
        from_events[(provider, buy)] -= int(a["buyAmount"])
        if KINDS[int(a["kind"])] == "interbank":
            other = str(a["counterparty"])
            from_events[(other, sell)] -= int(a["sellAmount"])
            from_events[(other, buy)] += int(a["buyAmount"])
    from_legs: dict[tuple[str, str], int] = defaultdict(int)
    for e, sell_leg, buy_leg in matched:
        banks = {str(e.args["provider"])} | ({str(e.args["counterparty"])} if KINDS[int(e.args["kind"])] == "interbank" else set())
        for leg in (sell_leg, buy_leg):
            if leg.recipient in banks:
                from_legs[(leg.recipient, leg.token)] += leg.amount
            if leg.sender in banks:
                from_legs[(leg.sender, leg.token)] -= leg.amount
    return dict(from_events), dict(from_legs)


def currency_codes(w3: Web3, tokens: Iterable[str], block: int) -> dict[str, str]:
    codes = {}
    for token in sorted(set(tokens)):
        contract = w3.eth.contract(address=Web3.to_checksum_address(token), abi=_CURRENCY_ABI)
        try:
            codes[token] = str(contract.functions.currency().call(block_identifier=block))
        except Exception:  # not a currency token: shown by address
            codes[token] = token
    return codes


def balance_of_payments(settled: list[IndexedEvent], codes: dict[str, str]) -> list[dict[str, Any]]:
    """Per corridor: each settlement (amounts in both currencies, rate, provider, time) and the totals."""
    corridors: dict[str, dict[str, Any]] = {}
    for e in settled:
        a = e.args
        sell, buy = codes[str(a["sellToken"])], codes[str(a["buyToken"])]
        name = f"{sell}->{buy}"
        entry = corridors.setdefault(name, {"corridor": name, "sell_currency": sell, "buy_currency": buy,
                                            "settlements": [], "sell_total": Decimal("0.00"), "buy_total": Decimal("0.00")})  # fmt: skip
        sold, bought = from_tiyn(int(a["sellAmount"])), from_tiyn(int(a["buyAmount"]))
        entry["settlements"].append({
            "kind": KINDS[int(a["kind"])], "provider": str(a["provider"]), "sell_amount": str(sold),
            "buy_amount": str(bought), "rate": str(rate_decimal(int(a["rate"]))), "time": int(a["timestamp"]),
            "block": e.block_number, "tx_hash": e.tx_hash,
        })  # fmt: skip
        entry["sell_total"] += sold
        entry["buy_total"] += bought
    out = []
    for name in sorted(corridors):
        entry = corridors[name]
        entry["count"] = len(entry["settlements"])
        entry["sell_total"], entry["buy_total"] = str(entry["sell_total"]), str(entry["buy_total"])
        out.append(entry)
    return out


def audit_pvp(w3: Web3, history: list[IndexedEvent], block: int) -> PvPAudit:
    """Legs, positions and the balance-of-payments report of the settlements up to ``block`` (see the module)."""
    settled = settled_events(history)
    result = PvPAudit(settlements=len(settled))
    if not settled:
        return result
    differences, matched = reconcile_legs(w3, settled)
    result.differences.extend(differences)
    from_events, from_legs = lp_positions(settled, matched)
    tokens = {str(e.args[k]) for e in settled for k in ("sellToken", "buyToken")}
    codes = currency_codes(w3, tokens, block)
    if not differences:  # a missing leg is reported once, above
        for key in sorted(set(from_events) | set(from_legs)):
            if from_events.get(key, 0) != from_legs.get(key, 0):
                result.differences.append(("pvp lp position", f"{key[0]} in {codes.get(key[1], key[1])}",
                                           _amount(from_events.get(key, 0)), _amount(from_legs.get(key, 0))))  # fmt: skip
    result.lp_positions = [
        {"bank": bank, "currency": codes[token], "net": str(from_tiyn(value))}
        for (bank, token), value in sorted(from_events.items())
    ]
    result.balance_of_payments = balance_of_payments(settled, codes)
    return result
