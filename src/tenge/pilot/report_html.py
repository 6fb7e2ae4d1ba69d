"""The pilot report as one self-contained HTML page: the figures are matplotlib SVG inlined in the page (no script,
no CDN, no network), the tables carry every number with a ``data-json`` attribute naming where the JSON report holds
it (the browser test compares the two)."""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import Any

from tenge.pilot.report_json import programme_by_day

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em auto;max-width:1100px;color:#1d2433;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:2px solid #0b6e4f;padding-bottom:.2em}
.sub{color:#5b6475} table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
td,th{border:1px solid #d5dae3;padding:.25em .6em;text-align:left} td.n{text-align:right;font-variant-numeric:tabular-nums}
th{background:#eef2f7} .grid{display:grid;grid-template-columns:1fr 1fr;gap:1em}
figure[data-figure=supply]{grid-column:1/-1} figure{margin:0;border:1px solid #d5dae3;border-radius:6px;padding:.5em;background:#fff}
figure svg{width:100%;height:auto} figcaption{font-size:.9em;color:#5b6475}
.ok{color:#0b6e4f;font-weight:600} .bad{color:#b00020;font-weight:600}
"""


def _svg(fig: Any) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    text = out.getvalue()
    return text[text.index("<svg") :]


def figures(report: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """name -> (caption, inline SVG) of every figure of the report."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "tenge-pilot", "font.size": 9})
    found: dict[str, tuple[str, str]] = {}

    samples = report["samples"]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    t = [s["t"] for s in samples]
    for ax, chain, title in ((axes[0], "home", "home ledger"), (axes[1], "bnb", "BNB side (chain 97)")):
        ax.step(t, [float(s[f"{chain}Supply"]) for s in samples], where="post", label="supply", color="#0b6e4f")
        ax.step(t, [float(s[f"{chain}Reserve"]) for s in samples], where="post", label="attested reserve", color="#e08a00", linestyle="--")
        ax.set_title(title)
        ax.set_xlabel("seconds into the run")
        ax.legend(loc="upper left")
        ax.ticklabel_format(axis="y", style="plain")
    axes[0].set_ylabel("tenge")
    found["supply"] = ("Supply and attested reserve over the run, each chain", _svg(fig))

    rows = report.get("vat", [])
    fig, ax = plt.subplots(figsize=(4.6, 3.2))
    labels = [f"{r['chain'].split('-')[0]} {r['merchantId']}\n{r['category']} {r['rate']}" for r in rows]
    ax.bar(range(len(rows)), [float(r["vatDue"]) for r in rows], color="#3a6ea5")
    ax.set_xticks(range(len(rows)), labels, fontsize=7)
    ax.set_ylabel("VAT due (tenge)")
    ax.set_title("VAT per merchant and rate")
    found["vat"] = ("VAT due per merchant and rate (refunds deducted)", _svg(fig))

    days = programme_by_day(report)
    fig, ax = plt.subplots(figsize=(4.6, 3.2))
    ax.bar([f"day {d}" for d in days], [float(v) for v in days.values()], color="#0b6e4f")
    ax.set_ylabel("tenge")
    ax.set_title("School-lunch programme: spending per day")
    found["programme"] = ("Programme spending per day", _svg(fig))

    transfers = report["transfers"]
    fig, ax = plt.subplots(figsize=(4.6, 3.2))
    colours = {"delivered": "#0b6e4f", "refunded": "#b00020"}
    ax.barh(range(len(transfers)), [t["latencySeconds"] for t in transfers],
            color=[colours.get(t["outcome"], "#777") for t in transfers])  # fmt: skip
    ax.set_yticks(range(len(transfers)), [f"{t['direction']} {t['amount']}\n{t['outcome']}" for t in transfers], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("seconds from send to settled")
    ax.set_title("Bridge transfers and their latency")
    found["bridge"] = ("Bridge transfers: latency from send to delivered (or refunded)", _svg(fig))
    return found


def _td(value: Any, path: str, numeric: bool = True) -> str:
    return f'<td class="{"n" if numeric else ""}" data-json="{html.escape(path)}">{html.escape(str(value))}</td>'


def _table(headers: list[str], rows: list[str]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    return f"<table><tr>{head}</tr>{''.join(f'<tr>{r}</tr>' for r in rows)}</table>"


def render(report: dict[str, Any]) -> str:
    e = html.escape
    parts = [f"<h1>{e(report['title'])}</h1>",
             f'<p class="sub">{len(report["steps"])} steps in <span data-json="wallSeconds">{report["wallSeconds"]}</span> s, '
             f'<span data-json="gasTotal">{report["gasTotal"]}</span> gas; five validators (3 of 5) and a relayer as real '
             "processes; the BNB side is chain 97 with 1-second blocks.</p>"]  # fmt: skip
    parts.append('<div class="grid">')
    for name, (caption, svg) in figures(report).items():
        parts.append(f'<figure data-figure="{name}">{svg}<figcaption>{e(caption)}</figcaption></figure>')
    parts.append("</div>")

    parts.append("<h2>Steps</h2>")
    parts.append(_table(["#", "step", "gas", "seconds"], [
        _td(s["number"], f"steps.{i}.number") + _td(s["title"], f"steps.{i}.title", False) + _td(s["gas"], f"steps.{i}.gas")
        + _td(s["seconds"], f"steps.{i}.seconds") for i, s in enumerate(report["steps"])]))  # fmt: skip
    parts.append("<h2>Reserve coverage</h2>")
    parts.append(_table(["chain", "supply", "attested reserve", "reserve / supply"], [
        f"<td>{e(c)}</td>" + _td(f["supply"], f"reserve.{c}.supply") + _td(f["reserve"], f"reserve.{c}.reserve")
        + _td(f["coverage"], f"reserve.{c}.coverage") for c, f in report.get("reserve", {}).items()]))  # fmt: skip
    parts.append("<h2>VAT due per merchant and rate</h2>")
    parts.append(_table(["chain", "merchant", "category", "rate", "payments", "gross", "VAT", "VAT refunded", "VAT due"], [
        _td(r["chain"], f"vat.{i}.chain", False) + _td(r["merchantId"], f"vat.{i}.merchantId") + _td(r["category"], f"vat.{i}.category", False)
        + _td(r["rate"], f"vat.{i}.rate") + _td(r["payments"], f"vat.{i}.payments") + _td(r["gross"], f"vat.{i}.gross")
        + _td(r["vat"], f"vat.{i}.vat") + _td(r["refundedVat"], f"vat.{i}.refundedVat") + _td(r["vatDue"], f"vat.{i}.vatDue")
        for i, r in enumerate(report.get("vat", []))]))  # fmt: skip
    programme = report.get("programme", {})
    parts.append("<h2>School-lunch programme</h2><p>" + " ".join(
        f'{e(k)} <b data-json="programme.{k}">{e(str(v))}</b>' for k, v in programme.items()) + "</p>")  # fmt: skip
    parts.append(_table(["pupil", "day", "merchant", "amount", "VAT", "offline"], [
        _td(s["pupil"], f"spends.{i}.pupil", False) + _td(s["day"], f"spends.{i}.day") + _td(s["merchant"], f"spends.{i}.merchant")
        + _td(s["amount"], f"spends.{i}.amount") + _td(s["vat"], f"spends.{i}.vat") + _td(s["offline"], f"spends.{i}.offline", False)
        for i, s in enumerate(report["spends"])]))  # fmt: skip
    parts.append("<h2>Bridge transfers</h2>")
    parts.append(_table(["transfer", "direction", "amount", "queued by the rate limit", "outcome", "latency (s)"], [
        _td(t["label"], f"transfers.{i}.label", False) + _td(t["direction"], f"transfers.{i}.direction", False)
        + _td(t["amount"], f"transfers.{i}.amount") + _td(t["queuedByRateLimit"], f"transfers.{i}.queuedByRateLimit", False)
        + _td(t["outcome"], f"transfers.{i}.outcome", False)
        + _td(t["latencySeconds"], f"transfers.{i}.latencySeconds") for i, t in enumerate(report["transfers"])]))  # fmt: skip
    parts.append("<h2>Refused, as the rules say</h2>")
    parts.append(_table(["what", "error", "reason"], [
        _td(r["what"], f"refusals.{i}.what", False) + _td(r["error"], f"refusals.{i}.error", False)
        + _td(r["reason"], f"refusals.{i}.reason", False) for i, r in enumerate(report["refusals"])]))  # fmt: skip
    parts.append("<h2>Balances</h2>")
    parts.append(_table(["holder", "chain", "balance"], [
        f"<td>{e(name)}</td><td>{e(chain)}</td>" + _td(value, f"balances.{name}.{chain}")
        for name, chains in report.get("balances", {}).items() for chain, value in chains.items()]))  # fmt: skip
    parts.append("<h2>Other currencies, by configuration alone</h2>")
    parts.append(_table(["network", "name", "symbol", "supply", "reserve", "Timur holds"], [
        _td(t["network"], f"tokens.{i}.network", False) + _td(t["name"], f"tokens.{i}.name", False) + _td(t["symbol"], f"tokens.{i}.symbol", False)
        + _td(t["supply"], f"tokens.{i}.supply") + _td(t["reserve"], f"tokens.{i}.reserve") + _td(t["timur"], f"tokens.{i}.timur")
        for i, t in enumerate(report.get("tokens", []))]))  # fmt: skip
    parts.append("<h2>Audit and privacy</h2>")
    parts.append(_table(["chain", "events rebuilt", "differences"], [
        f"<td>{e(c)}</td>" + _td(a["events"], f"audit.{c}.events") + _td(a["differences"], f"audit.{c}.differences")
        for c, a in report.get("audit", {}).items()]))  # fmt: skip
    privacy = report.get("privacy", {})
    verdict = '<span class="ok">no personal data</span>' if privacy.get("clean") else '<span class="bad">personal-data risk</span>'
    parts.append(f'<p><span data-json="privacy.fields">{privacy.get("fields")}</span> fields visible on chain: {verdict}</p>')
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(report["title"])}</title>'
            f"<style>{STYLE}</style></head><body>\n{body}\n</body></html>\n")  # fmt: skip


def write_html(report: dict[str, Any], path: Path) -> Path:
    path.write_text(render(report))
    return path


def lookup(report: dict[str, Any], dotted: str) -> Any:
    """The JSON value at ``a.0.b`` (list indexes as numbers): what a ``data-json`` cell must show."""
    value: Any = report
    for part in dotted.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


__all__ = ["figures", "lookup", "render", "write_html"]
