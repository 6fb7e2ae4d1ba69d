"""The audit as text: what was checked, VAT due per merchant and period, and every difference."""

from __future__ import annotations

from tenge.amounts import from_tiyn
from tenge.audit.audit import AuditResult


def render_audit(result: AuditResult) -> str:
    lines = [f"audit at block {result.block}: {result.events} events rebuilt, compared with chain state"]
    for kind, count in sorted(result.checked.items()):
        lines.append(f"  {kind:<22} {count:>7} checked")
    if result.vat_due_by_period:
        lines.append("VAT due per merchant and period (from events):")
        for (merchant, period), due in sorted(result.vat_due_by_period.items()):
            lines.append(f"  merchant {merchant:<10} {period}  {from_tiyn(due):>18}")
    if result.clean:
        lines.append("no difference: the state rebuilt from events equals the chain's")
    else:
        lines.append(f"{len(result.differences)} DIFFERENCE(S):")
        lines.extend(f"  {d.describe()}" for d in result.differences)
    return "\n".join(lines)
