"""`tenge bench`: every figure side by side - gas, SDK throughput, relayer, index - each row beside its peer
measured in the same run, with its target and whether it is met; as text, Markdown and JSON.

Built from the JSON each benchmark writes (``gas.json``, ``throughput.json``, ``relayer.json``, ``index.json``),
so a summary can be rebuilt from figures measured earlier (`tenge bench summary --from DIR`). Met or not is
computed here from the measured figures and the targets below (the gas rows' verdicts come from
:class:`tenge.bench.report.GasReport`, computed from the gas figures of the same run).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JSON_FORMAT = "tenge-bench-summary-1"
SECTION_FILES = {"gas": "gas.json", "throughput": "throughput.json", "relayer": "relayer.json", "index": "index.json"}
MET, UNMET = "met", "UNMET"

#: Targets of issues 13 and 23 for the services (the gas targets live on the rows, :mod:`tenge.bench.operations`).
SDK_OVER_RAW = 0.9
REQUESTS_PER_SINGLE_WRITE = 4
RELAYER_OVER_RAW = 0.9
STEADY_P50_S = 1.0  # one BNB block after finality
INDEX_EVENTS_PER_S = 20_000
REPORT_FROM_INDEX_S = 1.0


@dataclass(frozen=True)
class Target:
    """``value <op> bound``: ``<=``, ``<`` or ``>=``."""

    op: str
    bound: float
    unit: str = ""

    def met(self, value: float | None) -> bool | None:
        if value is None:
            return None
        checks: dict[str, Callable[[float, float], bool]] = {
            "<=": lambda v, b: v <= b,
            "<": lambda v, b: v < b,
            ">=": lambda v, b: v >= b,
        }
        return checks[self.op](value, self.bound)

    def text(self) -> str:
        sign = {"<=": "≤", "<": "<", ">=": "≥"}[self.op]
        bound = f"{self.bound:,.0f}" if float(self.bound).is_integer() and self.bound >= 100 else f"{self.bound:g}"
        return f"{sign} {bound}{self.unit}"


@dataclass(frozen=True)
class Row:
    name: str
    #: Our figure, formatted.
    figure: str
    #: Peer label -> its figure (formatted), measured in the same run.
    peers: dict[str, str] = field(default_factory=dict)
    target: str = ""
    met: bool | None = None
    #: Our figure as a number (JSON).
    value: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "figure": self.figure, "value": self.value, "peers": self.peers,
                "target": self.target or None, "met": self.met}  # fmt: skip


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: tuple[Row, ...] = ()
    notes: tuple[str, ...] = ()
    #: Why the section has no figures (its benchmark failed or its file is missing).
    error: str | None = None

    @property
    def peer_labels(self) -> list[str]:
        labels: list[str] = []
        for row in self.rows:
            labels += [label for label in row.peers if label not in labels]
        return labels

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "rows": [r.to_json() for r in self.rows],
                "notes": list(self.notes), "error": self.error}  # fmt: skip


def _verdict(met: bool | None) -> str:
    return "" if met is None else (MET if met else UNMET)


def _rows_with_target(section: Section) -> list[Row]:
    return [row for row in section.rows if row.met is not None]


@dataclass(frozen=True)
class Summary:
    sections: tuple[Section, ...]
    environment: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> tuple[int, int]:
        """(targets met, targets with a verdict)."""
        judged = [row for section in self.sections for row in _rows_with_target(section)]
        return sum(1 for row in judged if row.met), len(judged)

    def to_json(self) -> dict[str, Any]:
        met, judged = self.counts()
        return {"format": JSON_FORMAT, "environment": self.environment, "targetsMet": met, "targetsJudged": judged,
                "sections": [s.to_json() for s in self.sections]}  # fmt: skip

    def markdown(self) -> str:
        met, judged = self.counts()
        lines = ["# `tenge bench`: every figure beside its peer and target", "",
                 f"{met} of {judged} targets met. Peers are measured in the same run on the same machine.", ""]  # fmt: skip
        for section in self.sections:
            lines += [f"## {section.title}", ""]
            if section.error:
                lines += [f"**not measured:** {section.error}", ""]
                continue
            peers = section.peer_labels
            header = ["", "ours", *peers, "target", "met"]
            lines += ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 3) + ["---", "---"]) + "|"]
            for row in section.rows:
                cells = [row.name, row.figure, *(row.peers.get(p, "") for p in peers), row.target,
                         f"**{UNMET}**" if row.met is False else _verdict(row.met)]  # fmt: skip
                lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
            lines += ["", *(f"- {note}" for note in section.notes), ""] if section.notes else [""]
        return "\n".join(lines).rstrip() + "\n"

    def text(self) -> str:
        met, judged = self.counts()
        out = [f"tenge bench: {met} of {judged} targets met (peers measured in the same run)"]
        for section in self.sections:
            out += ["", f"== {section.title}"]
            if section.error:
                out.append(f"not measured: {section.error}")
                continue
            peers = section.peer_labels
            table = [["", "ours", *peers, "target", "met"]]
            table += [[r.name, r.figure, *(r.peers.get(p, "") for p in peers), r.target, _verdict(r.met)]
                      for r in section.rows]  # fmt: skip
            widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
            for row in table:
                cells = [row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:-2], widths[1:-2])),
                         row[-2].ljust(widths[-2]), row[-1]]  # fmt: skip
                out.append("  ".join(cells).rstrip())
            out += [f"  {note}" for note in section.notes]
        return "\n".join(out)


# --- sections from each benchmark's JSON ----------------------------------------------------------------


def _gas_number(value: Any) -> str:
    return "—" if value is None else f"{int(value):,}"


def gas_section(data: dict[str, Any]) -> Section:
    columns = data.get("columns", {})
    peer_keys = [key for key in columns if key != "ours"]
    rows = []
    for op in data["operations"]:
        gas = op["gas"]
        peers = {columns[key]["label"]: _gas_number(gas.get(key)) for key in peer_keys}
        if "peer" in op:
            peers["own peer"] = f"{op['peer']['label']}: {_gas_number(op['peer']['gas'])}"
        target = op.get("targetText") or (f"≤ {op['target']:,}" if op.get("target") is not None else "")
        ours = gas.get("ours")
        rows.append(Row(op["label"], _gas_number(ours), peers, target, op.get("targetMet"), ours))
    env = data.get("environment", {})
    cctp = ", ".join(f"{k} {v:,}" for k, v in data.get("bridgeReferenceCctpV1", {}).items())
    notes = [f"gasUsed per transaction, exact; anvil {env.get('anvil')}, hardfork {env.get('hardfork')}, "
             f"solc {env.get('compiler', {}).get('solc')}"]  # fmt: skip
    notes += [f"bridge rows: no peer measured in the run; Circle CCTP v1 quoted: {cctp}"] if cctp else []
    return Section("gas", "Gas per operation (token, payments, programmes, bridge)", tuple(rows), tuple(notes))


def _ratio(ours: float, peer: float) -> float | None:
    return ours / peer if peer else None


def throughput_section(data: dict[str, Any]) -> Section:
    figures = {(f["operation"], f["way"]): f for f in data["figures"]}
    rows = []
    for op in dict.fromkeys(f["operation"] for f in data["figures"]):
        sdk, raw = figures[(op, "SDK pipelined")], figures[(op, "raw web3.py pipelined")]
        tuned = figures.get((op, "raw web3.py tuned"), raw)
        single = figures[(op, "SDK single")]
        peers = {"raw web3.py pipelined": f"{raw['perSecond']:.1f}/s", "raw web3.py tuned": f"{tuned['perSecond']:.1f}/s"}
        ratio = _ratio(sdk["perSecond"], tuned["perSecond"])
        target = Target(">=", SDK_OVER_RAW, " × raw tuned")
        figure = f"{sdk['perSecond']:.1f}/s" + (f" ({ratio:.2f} ×)" if ratio is not None else "")
        rows.append(Row(f"{op}: SDK pipelined writes/s", figure, peers, target.text(), target.met(ratio), ratio))
        requests = Target("<=", REQUESTS_PER_SINGLE_WRITE, " requests")
        rows.append(Row(f"{op}: SDK single write, JSON-RPC requests", f"{single['requestsPerWrite']:.2f}",
                        {"raw web3.py pipelined": f"{raw['requestsPerWrite']:.2f}"}, requests.text(),
                        requests.met(single["requestsPerWrite"]), single["requestsPerWrite"]))  # fmt: skip
    writes = data.get("environment", {}).get("writesPerScenario")
    notes = (f"{writes} writes per way, taking turns in rounds on one anvil; ratio = SDK pipelined / raw tuned",)
    return Section("throughput", "SDK throughput beside raw web3.py", tuple(rows), notes)


def relayer_section(data: dict[str, Any]) -> Section:
    burst, steady, raw = data["relayer_burst"], data["relayer_steady"], data["raw_web3_pipelined"]
    ratio = _ratio(burst["transfers_per_second"], raw["transfers_per_second"])
    over_raw = Target(">=", RELAYER_OVER_RAW, " × raw")
    steady_target = Target("<=", STEADY_P50_S, " s (1 block)")
    raw_label = "raw web3.py pipelined, signatures in hand"
    rows = (
        Row(f"burst of {burst['transfers']}: transfers/s",
            f"{burst['transfers_per_second']:.1f}/s" + (f" ({ratio:.2f} ×)" if ratio is not None else ""),
            {raw_label: f"{raw['transfers_per_second']:.1f}/s"}, over_raw.text(), over_raw.met(ratio), ratio),
        Row("burst: latency p50 / p95", f"{burst['latency_p50_s']:.2f} / {burst['latency_p95_s']:.2f} s",
            {raw_label: f"{raw['latency_p50_s']:.2f} / {raw['latency_p95_s']:.2f} s"}, value=burst["latency_p50_s"]),
        Row(f"steady {steady['offered_rate_per_second']:g}/s ({steady['transfers']}): latency p50 after finality",
            f"{steady['latency_p50_s']:.2f} s", {}, steady_target.text(), steady_target.met(steady["latency_p50_s"]),
            steady["latency_p50_s"]),
        Row("steady: latency p95; the relayer's own share p50 / p95",
            f"{steady['latency_p95_s']:.2f} s; {steady['relayer_share_p50_s']:.2f} / {steady['relayer_share_p95_s']:.2f} s",
            value=steady["latency_p95_s"]),
    )  # fmt: skip
    machine = data.get("machine", {})
    notes = (f"home -> BNB, 1 s blocks, depth {data.get('confirmations')}, validators {data.get('validators')}; "
             f"machine: {machine.get('cores')} cores, load {machine.get('load_average_1m')} (1 min)",)  # fmt: skip
    return Section("relayer", "Relayer latency and throughput (burst and steady)", rows, notes)


def index_section(data: dict[str, Any]) -> Section:
    rate = data.get("sync_events_per_second")
    pg_rate = data.get("postgres_sync_events_per_second")
    sync = Target(">=", INDEX_EVENTS_PER_S, " events/s")
    report = Target("<", REPORT_FROM_INDEX_S, " s")
    payments = data["payments"]
    rows = (
        Row(f"index sync (SQLite), {data['events']:,} events", f"{rate:,} events/s" if rate is not None else "—", {},
            sync.text(), sync.met(rate), rate),
        Row(f"index sync (PostgreSQL), {data.get('postgres_events') or data['events']:,} events",
            f"{pg_rate:,} events/s" if pg_rate is not None else f"— ({data.get('postgres_note') or 'not measured'})", {},
            sync.text() if pg_rate is not None else "", sync.met(pg_rate), pg_rate),
        Row(f"VAT report over {payments:,} payments", f"{data['index_report_seconds']:.3f} s from the index",
            {"a scan of every event": f"{data['scan_report_seconds']:.3f} s"}, report.text(),
            report.met(data["index_report_seconds"]), data["index_report_seconds"]),
        Row("same report row for row", "yes" if data["same_report"] else "NO", {}, "yes", bool(data["same_report"])),
    )  # fmt: skip
    return Section("index", "VAT report from the index versus a scan", rows)


BUILDERS: dict[str, tuple[str, Callable[[dict[str, Any]], Section]]] = {
    "gas": ("Gas per operation (token, payments, programmes, bridge)", gas_section),
    "throughput": ("SDK throughput beside raw web3.py", throughput_section),
    "relayer": ("Relayer latency and throughput (burst and steady)", relayer_section),
    "index": ("VAT report from the index versus a scan", index_section),
}


def build_summary(figures: dict[str, dict[str, Any] | None], errors: dict[str, str] | None = None,
                  environment: dict[str, Any] | None = None) -> Summary:  # fmt: skip
    """One section per benchmark, in the order of :data:`BUILDERS`; a benchmark without figures gets its
    section with the reason (``errors``) instead of rows."""
    errors = errors or {}
    sections = []
    for key, (title, build) in BUILDERS.items():
        data = figures.get(key)
        if data is None:
            sections.append(Section(key, title, error=errors.get(key, "not run")))
            continue
        try:
            sections.append(build(data))
        except (KeyError, TypeError, ValueError) as exc:
            sections.append(Section(key, title, error=f"figures in an unknown shape ({type(exc).__name__}: {exc})"))
    return Summary(tuple(sections), environment or {})
