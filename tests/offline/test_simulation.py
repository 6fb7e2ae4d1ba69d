"""The offline simulation with cloned devices in it, settled on a real anvil by the real OfflinePurses: every
honest merchant is paid in full (by the chain: batch receipts and balances), every bank's loss (its deposit on
chain before minus after) stays within the stated bound, and the clones really cost the deposits something (the
adversary acted); every payment drawn was a real payment (drawn only from purses with money left)."""

from __future__ import annotations

from tenge.bench.offline_report import offline_summary
from tenge.bench.offline_sim import SimParams, run


def test_cloned_devices_cost_the_banks_at_most_the_bound_and_every_merchant_is_paid_on_chain() -> None:
    result = run(SimParams(purses=20, merchants=8, payments=200, cheating_share=0.1, seed=7)).to_dict()
    assert result["drawn"] == 200 and result["accepted"] > 0
    assert result["honestPaidPercent"] == 100.0 and result["unpaidTiyn"] == 0
    assert result["settledPayments"] == result["accepted"] and result["skipped"] == {}
    assert result["chainBalancesMatch"] is True and result["paidGrossTiyn"] > 0
    assert result["gasPerPayment"] > 0
    banks = result["banks"].values()
    assert sum(b["cheating"] for b in banks) == 2
    assert sum(b["paid_from_deposit"] for b in banks) > 0  # the clones' double spends were paid from deposits
    assert all(b["paid_from_deposit"] <= b["bound"] for b in banks)
    assert "100.0%" in offline_summary(result).text()
