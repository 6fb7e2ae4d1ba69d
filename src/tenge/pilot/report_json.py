"""The pilot report as JSON (amounts as decimal strings) and as a readable summary for the terminal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_json(report: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return path


def programme_by_day(report: dict[str, Any]) -> dict[int, str]:
    """Programme spending per day (sum of the lunches paid that day), as decimal strings."""
    from decimal import Decimal

    days: dict[int, Decimal] = {}
    for spend in report["spends"]:
        days[int(spend["day"])] = days.get(int(spend["day"]), Decimal(0)) + Decimal(spend["amount"])
    return {day: f"{value:.2f}" for day, value in sorted(days.items())}


def summary_text(report: dict[str, Any]) -> str:
    lines = ["", f"== {report['title']}: {len(report['steps'])} steps in {report['wallSeconds']:.0f} s, "
             f"{report['gasTotal']:,} gas ==", "", "gas per step:"]  # fmt: skip
    for step in report["steps"]:
        lines.append(f"  {step['number']}. {step['title'][:70]:<72} {step['gas']:>10,}  {step['seconds']:>6.1f} s")
    lines += ["", "balances (home / BNB side):"]
    for name, chains in report.get("balances", {}).items():
        lines.append(f"  {name:<22} " + "  ".join(f"{chain} {value}" for chain, value in chains.items()))
    lines += ["", "VAT due per merchant and rate:"]
    for row in report.get("vat", []):
        lines.append(f"  {row['chain']:<10} merchant {row['merchantId']:<5} {row['category']:<14} {row['rate']:>6}: "
                     f"{row['payments']} payments, gross {row['gross']}, VAT due {row['vatDue']}")  # fmt: skip
    programme = report.get("programme", {})
    lines += ["", f"programme {programme.get('id')}: funded {programme.get('funded')}, allocated {programme.get('allocated')}, "
              f"reclaimed at term end {programme.get('reclaimed')}"]  # fmt: skip
    for day, amount in programme_by_day(report).items():
        lines.append(f"  day {day}: {amount} spent on lunches")
    lines += ["", "reserve coverage:"]
    for chain, figures in report.get("reserve", {}).items():
        lines.append(f"  {chain:<10} supply {figures['supply']:>14}  attested reserve {figures['reserve']:>14}  ({figures['coverage']})")
    lines += ["", "bridge transfers:"]
    for t in report["transfers"]:
        lines.append(f"  {t['direction']:<12} {t['amount']:>10}  {t['outcome']:<9} {t['latencySeconds']:>5.1f} s  {t['label']}")
    lines += ["", "refused as expected:"]
    lines += [f"  {r['what']}: {r['error']}" for r in report["refusals"]]
    audits = report.get("audit", {})
    lines += ["", "audit: " + "; ".join(f"{chain} {a['events']} events, {a['verdict']}" for chain, a in audits.items())]
    privacy = report.get("privacy", {})
    lines.append(f"privacy: {privacy.get('fields')} fields visible on chain, "
                 f"{'no personal data' if privacy.get('clean') else 'PERSONAL-DATA RISK'}")  # fmt: skip
    return "\n".join(lines)
