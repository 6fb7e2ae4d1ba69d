"""The table of `tenge bench offline`, in the bench summary's form (rows with target and met)."""

from __future__ import annotations

from typing import Any

from tenge.amounts import format_tenge, from_tiyn
from tenge.bench.summary import Row, Section, Summary

VERIFY_MS_TARGET = 2.0


def offline_section(data: dict[str, Any]) -> Section:
    params = data["params"]
    rows = [
        Row("honest merchants paid in full", f"{data['honestPaidPercent']:.1f}% ({data['honestPaidInFull']} of "
            f"{data['honestMerchants']})", target="= 100%", met=data["honestPaidPercent"] >= 100.0,
            value=data["honestPaidPercent"]),
        Row("payments accepted offline / refused", f"{data['accepted']:,} / {sum(data['refused'].values()):,}",
            value=float(data["accepted"])),
        Row("settled payments (batches of <= 100)", f"{data['settledPayments']:,} in {data['batches']:,} batches",
            value=float(data["settledPayments"])),
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
    rows.append(Row("reconnect -> held payments batched and marked (off-chain part, p50 / p95)",
                    f"{data['reconnectOffchainMsP50']} / {data['reconnectOffchainMsP95']} ms"))
    rows.append(Row("settlement gas per payment / reconnect -> settled on chain", "not measured"))
    notes = (
        f"{params['purses']:,} purses from {params['banks']} banks, {params['merchants']} merchants, "
        f"{params['payments']:,} payments over 7 simulated days, {params['cheating_share']:.0%} cloned devices "
        f"(each copy at its own merchant, reach {params['reach']}), seed {params['seed']}; {data['wallSeconds']} s wall.",
        "Bound per bank: amount x (reach - 1) summed over its cheating purses (the deposit reserved per purse).",
        f"Settlement is an off-chain model of the contract's rules: {data['onchain']}.",
    )
    return Section("offline", "Offline purses: a simulated week (real device and terminal code)", tuple(rows), notes)


def offline_summary(data: dict[str, Any]) -> Summary:
    return Summary((offline_section(data),), {})


__all__ = ["VERIFY_MS_TARGET", "offline_section", "offline_summary"]
