"""The audit as text: what was checked, VAT due per merchant and period, and every difference."""

from __future__ import annotations

from tenge.audit.audit import AuditResult
from tenge.audit.readable import money
from tenge.audit.privacy import PrivacyReport


def render_audit(result: AuditResult, currency: str = "KZT") -> str:
    lines = [f"audit at block {result.block}: {result.events:,} events rebuilt, compared with chain state"]
    for kind, count in sorted(result.checked.items()):
        lines.append(f"  {kind:<22} {count:>7,} checked")
    if result.vat_due_by_period:
        lines.append("VAT due per merchant and period (from events):")
        for (merchant, period), due in sorted(result.vat_due_by_period.items()):
            lines.append(f"  merchant {merchant:<10} {period}  {money(due, currency):>22}")
    if result.totals:
        lines.append("bridge, programmes and reward pools (from events):")
        for key, value in sorted(result.totals.items()):
            if isinstance(value, tuple):  # bridge: (transfers, tiyn)
                lines.append(f"  {key:<40} {value[0]:>7,} {'transfer' if value[0] == 1 else 'transfers'} {money(value[1], currency):>22}")
            elif key.endswith(" claims"):
                lines.append(f"  {key:<40} {value:>7,}")
            else:
                lines.append(f"  {key:<40} {money(value, currency):>32}")
    if result.balance_of_payments:
        lines.append("PvP balance of payments per corridor (from Settled events; no payer or recipient):")
        for c in result.balance_of_payments:
            lines.append(f"  {c['corridor']:<12} {c['count']:>5,} settlements  {c['sell_total']} {c['sell_currency']} -> "
                         f"{c['buy_total']} {c['buy_currency']}")
            for s in c["settlements"]:
                lines.append(f"    {s['kind']:<15} {s['sell_amount']} {c['sell_currency']} -> {s['buy_amount']} "
                             f"{c['buy_currency']} at {s['rate']}, provider {s['provider']}, time {s['time']}")
        lines.append("PvP net positions (from events, reconciled with the token Transfers):")
        lines.extend(f"  {p['bank']} {p['net']} {p['currency']}" for p in result.lp_positions)
    if result.clean:
        lines.append("no difference: the state rebuilt from events equals the chain's")
    else:
        lines.append(f"{len(result.differences)} DIFFERENCE(S):")
        lines.extend(f"  {d.describe()}" for d in result.differences)
    return "\n".join(lines)


def render_privacy_summary(report: PrivacyReport) -> str:
    """One paragraph: how many fields an auditor sees, of which kinds, and the verdict (the list: `tenge audit privacy`)."""
    counts: dict[str, int] = {}
    for f in report.fields:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
    free = ", ".join(sorted({f.name for f in report.free_text}))
    verdict = (
        f"no personal data by type; free text ({free}) only in the reference format the SDK and CLI check"
        if report.clean
        else "PERSONAL-DATA RISK: " + ", ".join(f"{f.contract} {f.where} {f.name}" for f in report.fields if not f.allowed)
    )  # fmt: skip
    return f"privacy: {len(report.fields)} fields visible (events, view functions, storage): {kinds} - {verdict} (list: tenge audit privacy)"
