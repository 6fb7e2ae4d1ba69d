"""`tenge audit`: rebuild the suite's state from the index's events, read it from the chain, list differences.

Both sides are taken at one block - the index's last final block (:mod:`tenge.finality`) - so a busy chain cannot make them disagree.
A difference is then traced to index rows: the rows that built the disagreeing fact are compared with the
chain's own logs at the same positions, and every row that differs (or that the chain does not have) is named.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from web3 import Web3

from tenge.amounts import from_tiyn
from tenge.audit.bridge_rebuild import bridge_totals
from tenge.audit.chain_state import batched, read_chain
from tenge.audit.extension_chain import ExtensionReader, is_extension_fact
from tenge.audit.programme_rebuild import programme_totals
from tenge.audit.pvp_audit import audit_pvp
from tenge.audit.readable import money
from tenge.audit.rebuild import Fact, Rebuilt, rebuild
from tenge.index import rpc
from tenge.index.contracts import FOLLOWED
from tenge.index.db import IndexDatabaseError, database_errors
from tenge.index.decode import RawLog, decode_args
from tenge.index.reader import IndexedEvent, events, synced_to
from tenge.index.schema import specs_by_topic
from tenge.session import Session

AMOUNT_KINDS = {"balance", "frozen amount", "minter allowance", "total supply", "tier cap", "vat escrow", "vat reserve", "vat due",
                "bridge locked", "bridge escrow", "bridge minted supply", "programme locked", "programme total locked",
                "programme vouchers", "rewards paid in period"}  # fmt: skip
#: Deployment-record key -> table prefix of the contracts the extension reader reads.
EXTENSION_KEYS = {"TengeBridgeHome": "bridge", "TengeBridgeRemote": "bridge", "PurposeBoundProgrammes": "programme",
                  "RewardPools": "rewards", "PvPSettlement": "pvp"}  # fmt: skip


@dataclass(frozen=True)
class Difference:
    kind: str
    key: str
    from_events: Any
    from_chain: Any
    #: index rows found to differ from the chain's logs (table, primary key, what differs)
    bad_rows: tuple[str, ...] = ()

    def describe(self) -> str:
        subject = f"{self.kind} {self.key}".strip()
        text = f"{subject}: events say {_show(self.kind, self.from_events)}, chain says {_show(self.kind, self.from_chain)}"
        for row in self.bad_rows:
            text += f"\n    index row {row}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "from_events": _plain(self.kind, self.from_events),
                "from_chain": _plain(self.kind, self.from_chain), "bad_rows": list(self.bad_rows)}  # fmt: skip


@dataclass
class AuditResult:
    block: int
    events: int
    checked: Counter[str] = field(default_factory=Counter)
    differences: list[Difference] = field(default_factory=list)
    vat_due_by_period: dict[tuple[int, str], int] = field(default_factory=dict)
    #: the bridge's transfers by status (count, tiyn) and the programmes' and pools' flows (tiyn), from events
    totals: dict[str, Any] = field(default_factory=dict)
    #: PvP: per corridor, every settlement (both amounts, rate, provider, time) and totals; each bank's net position
    balance_of_payments: list[dict[str, Any]] = field(default_factory=list)
    lp_positions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.differences

    def to_dict(self) -> dict[str, Any]:
        """As ``--json`` prints it: snake_case keys, amounts as decimal strings in tenge (never tiyn integers)."""
        return {
            "block": self.block,
            "events": self.events,
            "checked": {_key(k): n for k, n in sorted(self.checked.items())},
            "differences": [d.to_dict() for d in self.differences],
            "vat_due_by_merchant_and_period": [
                {"merchant_id": m, "period": p, "vat_due": str(from_tiyn(v))}
                for (m, p), v in sorted(self.vat_due_by_period.items())
            ],
            "totals": {_key(k): _total(k, v) for k, v in sorted(self.totals.items())},
            "balance_of_payments": self.balance_of_payments,
            "lp_positions": self.lp_positions,
        }


def _key(text: str) -> str:
    """``programme 1 allocated`` -> ``programme_1_allocated``; ``bridge outbound Sent`` -> ``bridge_outbound_sent``."""
    return "_".join(text.lower().split())


def _total(key: str, value: Any) -> Any:
    if isinstance(value, tuple):  # bridge: (transfers, tiyn)
        return {"transfers": value[0], "amount": str(from_tiyn(value[1]))}
    if key.endswith(" claims"):
        return value
    return str(from_tiyn(value))


def _show(kind: str, value: Any) -> str:
    if value is None:
        return "nothing"
    if kind in AMOUNT_KINDS and isinstance(value, int):
        return f"{money(value)} ({value} tiyn)"
    return str(value)


def _plain(kind: str, value: Any) -> Any:
    if kind in AMOUNT_KINDS and isinstance(value, int) and not isinstance(value, bool):
        return str(from_tiyn(value))
    return list(value) if isinstance(value, tuple) else value


def audit(session: Session, engine: Engine, *, verify_all_rows: bool = False) -> AuditResult:
    """Compare the index's rebuilt state with the chain at the index's last synced block."""
    with database_errors("audit"):
        return _audit(session, engine, verify_all_rows)


def _audit(session: Session, engine: Engine, verify_all_rows: bool) -> AuditResult:
    cursors = synced_to(engine)
    block = min(cursors.values()) if cursors else int(session.w3.eth.block_number)
    if block < 0:
        raise IndexDatabaseError("the index holds no final block yet: nothing to audit (run `tenge index sync` once "
                                 "the deployment's blocks have their confirmations)")
    history = [e for e in events(engine) if e.block_number <= block]
    stamp = rpc.header(session.w3, block)
    rebuilt = rebuild(history, at_time=None if stamp is None else stamp[1], bridge_home="TengeBridgeRemote" not in session.record.contracts)
    token = session.contract("DigitalTenge")
    vat = session.contract("VatPayments") if "VatPayments" in session.record.contracts else None
    chain = read_chain(session.w3, token, vat, block, rebuilt)
    extensions = {prefix: session.contract(key) for key, prefix in EXTENSION_KEYS.items() if key in session.record.contracts}
    reader = ExtensionReader(session.w3, extensions, token, block)
    chain.update(reader.read([f for f in rebuilt.facts if is_extension_fact(f)], lambda calls: batched(session.w3, calls, block)))
    result = AuditResult(block=block, events=len(history), vat_due_by_period=dict(rebuilt.vat_due_by_period))
    result.totals = {f"bridge {k}": v for k, v in bridge_totals(history).items()} | programme_totals(history)
    for fact in sorted(rebuilt.facts):
        result.checked[fact[0]] += 1
    if "PvPSettlement" in session.record.contracts:
        pvp = audit_pvp(session.w3, history, block)
        result.checked["pvp settlement legs"] += pvp.settlements
        result.differences += [Difference(kind, key, events_say, chain_says) for kind, key, events_say, chain_says in pvp.differences]
        result.balance_of_payments, result.lp_positions = pvp.balance_of_payments, pvp.lp_positions
    wrong = [fact for fact in sorted(rebuilt.facts) if rebuilt.facts[fact] != chain.get(fact)]
    suspects = history if verify_all_rows else _sources(rebuilt, wrong)
    bad = verify_rows(session.w3, suspects)
    for fact in wrong:
        named = tuple(bad[e.position] for e in rebuilt.sources.get(fact, []) if e.position in bad)
        result.differences.append(Difference(fact[0], fact[1], rebuilt.facts[fact], chain.get(fact), named))
    if verify_all_rows:
        seen = {row for d in result.differences for row in d.bad_rows}
        for text in bad.values():
            if text not in seen:
                result.differences.append(Difference("index row", "", "a stored event", "another log", (text,)))
    return result


def _sources(rebuilt: Rebuilt, facts: list[Fact]) -> list[IndexedEvent]:
    found: dict[tuple[int, int], IndexedEvent] = {}
    for fact in facts:
        for e in rebuilt.sources.get(fact, []):
            found[e.position] = e
    return sorted(found.values(), key=lambda e: e.position)


def verify_rows(w3: Web3, rows: list[IndexedEvent]) -> dict[tuple[int, int], str]:
    """Index rows that differ from the chain's log at the same (block, log index), with what differs."""
    bad: dict[tuple[int, int], str] = {}
    by_block: dict[int, list[IndexedEvent]] = {}
    for row in rows:
        by_block.setdefault(row.block_number, []).append(row)
    prefixes = {e.contract: e.prefix for e in rows}
    known = specs_by_topic()
    for number, stored in sorted(by_block.items()):
        addresses = sorted({e.contract for e in stored})
        on_chain = {log.log_index: log for log in (RawLog.from_rpc(x) for x in rpc.logs(w3, addresses, number, number))}
        for row in stored:
            log = on_chain.get(row.log_index)
            spec = known.get((prefixes[row.contract], log.topics[0])) if log is not None and log.topics else None
            if log is None or spec is None or spec.table_name != row.table or log.tx_hash != row.tx_hash:
                bad[row.position] = f"{row.where()}: the chain has no such {row.name} event there"
                continue
            actual = decode_args(spec, log)
            fields = [f"{name}={row.args[name]!r} (chain: {actual[name]!r})" for name in actual if actual[name] != row.args[name]]
            if fields:
                bad[row.position] = f"{row.where()}: {', '.join(fields)}"
    return bad


def followed_keys() -> list[str]:
    return [c.record_key for c in FOLLOWED]
