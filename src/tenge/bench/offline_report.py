"""The table of `tenge bench offline`, in the bench summary's form (rows with target and met)."""

from __future__ import annotations

from typing import Any

from tenge.amounts import format_tenge, from_tiyn
from tenge.bench.summary import Row, Section, Summary

VERIFY_MS_TARGET = 2.0
GAS_TARGET = 25_000


def offline_section(data: dict[str, Any]) -> Section:
    params = data["params"]
    rows = [
        Row("honest merchants paid in full", f"{data['honestPaidPercent']:.1f}% ({data['honestPaidInFull']} of "
            f"{data['honestMerchants']})", target="= 100%", met=data["honestPaidPercent"] >= 100.0,
            value=data["honestPaidPercent"]),
        Row("payments made / accepted offline / refused",
            f"{data['drawn']:,} / {data['accepted']:,} / {sum(data['refused'].values()):,}",
            value=float(data["accepted"])),
        Row("settled on chain (batches of <= 100)", f"{data['settledPayments']:,} in {data['batches']:,} batches",
            target="= accepted", met=data["settledPayments"] == data["accepted"], value=float(data["settledPayments"])),
        Row("merchants' balances + VAT escrow = settled gross (chain)",
            f"{format_tenge(from_tiyn(data['paidGrossTiyn']))}", target="equal", met=data["chainBalancesMatch"]),
    ]
    for n, (bank, book) in enumerate(sorted(data["banks"].items())):
        loss, bound = book["paid_from_deposit"], book["bound"]
        rows.append(Row(
            f"bank {n + 1} loss (deposit paid), {book['cheating']} cheating of {book['purses']} purses",
            format_tenge(from_tiyn(loss)), target=f"<= {format_tenge(from_tiyn(bound))} (bound)",
            met=loss <= bound, value=float(loss),
        ))  # fmt: skip
    for label, key in (("p50", "verifyMsP50"), ("p95", "verifyMsP95")):
        value = data[key]
        rows.append(Row(f"terminal verification, CPU ms per payment ({label}, one core)",
                        "—" if value is None else f"{value:.2f} ms", target=f"<= {VERIFY_MS_TARGET:g} ms",
                        met=None if value is None else value <= VERIFY_MS_TARGET, value=value))  # fmt: skip
    gas, full = data["gasPerPayment"], data["gasPerPaymentFullBatches"]
    rows.append(Row("settlement gas per payment (all batches)", "—" if gas is None else f"{gas:,}",
                    value=None if gas is None else float(gas)))  # fmt: skip
    rows.append(Row(f"settlement gas per payment (batches of >= 90: {data['fullBatches']})",
                    "—" if full is None else f"{full:,}", target=f"<= {GAS_TARGET:,}",
                    met=None if full is None else full <= GAS_TARGET, value=None if full is None else float(full)))
    rows.append(Row("reconnect -> settled on chain and marked (p50 / p95, wall)",
                    f"{data['reconnectToSettledMsP50']} / {data['reconnectToSettledMsP95']} ms"))
    notes = (
        f"{params['purses']:,} purses from {params['banks']} banks, {params['merchants']} merchants, "
        f"{params['payments']:,} payments over 7 simulated days, {params['cheating_share']:.0%} cloned devices "
        f"(each copy at its own merchant, reach {params['reach']}), seed {params['seed']}; {data['wallSeconds']} s wall "
        f"({data['setupSeconds']} s to deploy, fund and open the purses).",
        "Bound per bank: amount x (reach - 1) summed over its cheating purses (the deposit reserved per purse); a "
        "bank's loss is its guarantee deposit on chain before the week minus after.",
        "Settled by the real OfflinePurses on anvil through `tenge offline settle`'s code (revocations learned from "
        "the chain, batches of <= 100, rows marked after the receipt); the chain's clock follows the simulated one.",
    )
    return Section("offline", "Offline purses: a simulated week (real device, terminal and contract)", tuple(rows), notes)


def offline_summary(data: dict[str, Any]) -> Summary:
    return Summary((offline_section(data),), {})


__all__ = ["VERIFY_MS_TARGET", "offline_section", "offline_summary"]
