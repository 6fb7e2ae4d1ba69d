"""The audit as text: what was checked, VAT due per merchant and period, and every difference."""

from __future__ import annotations

from tenge.amounts import from_tiyn
from tenge.audit.audit import AuditResult
from tenge.audit.privacy import PrivacyReport


def render_audit(result: AuditResult) -> str:
    lines = [f"audit at block {result.block}: {result.events} events rebuilt, compared with chain state"]
    for kind, count in sorted(result.checked.items()):
        lines.append(f"  {kind:<22} {count:>7} checked")
    if result.vat_due_by_period:
        lines.append("VAT due per merchant and period (from events):")
        for (merchant, period), due in sorted(result.vat_due_by_period.items()):
            lines.append(f"  merchant {merchant:<10} {period}  {from_tiyn(due):>18}")
    if result.totals:
        lines.append("bridge, programmes and reward pools (from events):")
        for key, value in sorted(result.totals.items()):
            if isinstance(value, tuple):  # bridge: (transfers, tiyn)
                lines.append(f"  {key:<40} {value[0]:>7} transfers {from_tiyn(value[1]):>18}")
            elif key.endswith(" claims"):
                lines.append(f"  {key:<40} {value:>7}")
            else:
                lines.append(f"  {key:<40} {from_tiyn(value):>26}")
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
    verdict = (
        "no personal data" if report.clean
        else "PERSONAL-DATA RISK: " + ", ".join(f"{f.contract} {f.where} {f.name}" for f in report.fields if not f.allowed)
    )  # fmt: skip
    return f"privacy: {len(report.fields)} fields visible (events, view functions, storage): {kinds} - {verdict} (list: tenge audit privacy)"
