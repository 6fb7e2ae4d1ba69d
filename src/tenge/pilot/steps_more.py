"""Pilot steps 7-8: a move-to-earn reward (and a refused second claim), a gold-backed token and a digital som
deployed by configuration alone, a compliance freeze, the VAT report, `tenge audit` on both chains, the privacy
listing; and the closing figures (balances, reserve coverage)."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tenge.audit.audit import audit
from tenge.audit.privacy import privacy_report
from tenge.audit.report import render_privacy_summary
from tenge.errors import ContractRevert
from tenge.index.service import open_session_index, sync_session
from tenge.session import Session
from tenge.toolchain.anvil import dev_keys

from tenge.pilot.record import PilotRecord, money
from tenge.pilot.steps_home import TOY_SHOP_ID, session
from tenge.pilot.world import ACCOUNTS, BNB, GOLD, HOME, SOM, WHO, PilotFailed, address

if TYPE_CHECKING:
    from tenge.pilot.world import PilotWorld

REWARD_PERIOD = 20261207


def deploy_other_currencies(world: "PilotWorld") -> "Future[None]":
    """Deploy the gold token and the digital som (`tenge deploy`'s path, configuration only) in the background:
    the central bank's key is idle at home while the bridge step waits on the validators and the relayer."""
    def deploy_both() -> None:
        for network in (GOLD, SOM):
            world.deploy(network)

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="deploy")
    future = pool.submit(deploy_both)
    pool.shutdown(wait=False)
    return future


def step7_rewards_gold_som(world: "PilotWorld", rec: PilotRecord, deployed: "Future[None]") -> None:
    rec.step("A move-to-earn reward; a gold token and a digital som deployed by configuration alone")
    central = session("central bank").rewards()
    rec.did("SPONSOR_ROLE of reward pools to the city budget", central.grant_role("SPONSOR_ROLE", address("Almaty city budget")).gas_used)
    city = session("Almaty city budget").rewards()
    pool = city.create_pool(address("move-to-earn app"), max_per_claim="500.00", period_cap="100000.00", budget="STEPS-2026")
    rec.did(f"city creates reward pool {pool} (attester: the move-to-earn app) and funds it with 10,000.00",
            city.fund(pool, "10000.00").gas_used)  # fmt: skip
    app = dev_keys(ACCOUNTS)[WHO["move-to-earn app"]]
    signed = city.sign_claim(app, pool, address("walker Timur"), "120.00", REWARD_PERIOD)
    walker = session("walker Timur").rewards()
    paid = walker.claim(signed)
    rec.did(f"Timur walked 12,000 steps: claims {paid.amount} for period {REWARD_PERIOD}", paid.tx.gas_used)
    try:
        walker.claim(signed)
    except ContractRevert as exc:
        rec.refused("Timur claims the same period again", exc)
    deployed.result()
    rec.facts["tokens"] = [_other_token(world, rec, GOLD, "Halyk bank", "1000.00", "100.00", "2.50"),
                           _other_token(world, rec, SOM, "Kaspi bank", None, "5000.00", "1200.00")]  # fmt: skip


def _other_token(world: "PilotWorld", rec: PilotRecord, network: str, bank: str, reserve: str | None, mint: str,
                 pay: str) -> dict[str, Any]:  # fmt: skip
    entry = world.deployments[network]
    admin = session("central bank", network).token()
    name, symbol, code = admin.name, admin.symbol, admin.currency
    rec.did(f"deploy {network} (the same suite, configuration only): {name} ({symbol}, {code}), "
            f"{entry['transactions']} transactions", entry["gas"])  # fmt: skip
    for who, tier in ((bank, 3), ("parent Aliya", 2), ("walker Timur", 1)):
        admin.set_tier(address(who), tier)
    admin.grant_role("MINTER_ROLE", address(bank))
    admin.set_minter_allowance(address(bank), mint)
    if reserve is not None:
        rec.did(f"{symbol}: the vault attests {reserve} held in reserve", admin.attest_reserve(reserve).gas_used)
    rec.did(f"{symbol}: {bank} issues {mint} to Aliya", session(bank, network).token().mint(address("parent Aliya"), mint).gas_used)
    gas = session("parent Aliya", network).token().transfer(address("walker Timur"), pay).gas_used
    rec.did(f"{symbol}: Aliya transfers {pay} to Timur", gas)
    return {"network": network, "name": name, "symbol": symbol, "currency": code, "supply": money(admin.total_supply()),
            "reserve": money(admin.reserve().amount), "timur": money(admin.balance_of(address("walker Timur")))}  # fmt: skip


def step8_compliance_and_audit(world: "PilotWorld", rec: PilotRecord) -> None:
    rec.step("Compliance freezes an account; the VAT report; `tenge audit` on both chains; the privacy listing")
    central = session("central bank").token()
    rec.did("compliance freezes the toy shop (court order)", central.freeze(address("toy shop")).gas_used)
    try:
        session("parent Aliya").payments().pay_with_permit(TOY_SHOP_ID, "2320.00", "TOYS-ALIYA-1")
    except ContractRevert as exc:
        rec.refused("Aliya pays the frozen toy shop", exc)
    rows = []
    for chain in (HOME, BNB):
        report = session("central bank", chain).payments().report()
        for row in report.rows:
            data = row.to_dict()
            rows.append({"chain": chain, "merchantId": data["merchantId"], "category": data["categoryLabel"] or str(data["categoryId"]),
                         "rate": data["rate"], "payments": data["payments"], "gross": money(data["gross"]),
                         "vat": money(data["vat"]), "refundedVat": money(data["refundedVat"]), "vatDue": money(data["vatDue"])})  # fmt: skip
            rec.did(f"VAT report {chain}: merchant {data['merchantId']} {data['categoryLabel']} {data['rate']}: "
                    f"{data['payments']} payments, gross {money(data['gross'])}, VAT due {money(data['vatDue'])}")  # fmt: skip
    rec.facts["vat"] = rows
    audits = {}
    for chain in (HOME, BNB):
        reader = Session.open(chain, read_only=True)
        engine = open_session_index(reader)
        try:
            sync_session(reader, engine, confirmations=0)
            result = audit(reader, engine)
        finally:
            engine.dispose()
        verdict = "no difference" if result.clean else f"{len(result.differences)} difference(s)"
        audits[chain] = {"events": result.events, "block": result.block, "differences": len(result.differences), "verdict": verdict}
        rec.did(f"tenge audit {chain}: {result.events} events rebuilt, compared with chain state at block {result.block}: {verdict}")
        for difference in result.differences:
            rec.did(f"  {difference.describe()}")
    rec.facts["audit"] = audits
    privacy = privacy_report()
    kinds: dict[str, int] = {}
    for f in privacy.fields:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    rec.facts["privacy"] = {"fields": len(privacy.fields), "kinds": dict(sorted(kinds.items())), "clean": privacy.clean}
    rec.did(render_privacy_summary(privacy))
    if not all(a["differences"] == 0 for a in audits.values()) or not privacy.clean:
        raise PilotFailed("the audit found differences or the privacy check failed (see above)")


def closing_figures(world: "PilotWorld", rec: PilotRecord) -> None:
    """Balances per party on each chain, reserve coverage on each chain, and the programme's use."""
    balances: dict[str, dict[str, str]] = {}
    for chain in (HOME, BNB):
        token = session("central bank", chain).token()
        for name in WHO:
            value = token.balance_of(address(name))
            if value:
                balances.setdefault(name, {})[chain] = money(value)
    rec.facts["balances"] = balances
    coverage = {}
    for chain in (HOME, BNB):
        token = session("central bank", chain).token()
        supply, reserve = token.total_supply(), token.reserve().amount
        ratio = (reserve / supply) if supply else Decimal(0)
        coverage[chain] = {"supply": money(supply), "reserve": money(reserve), "coverage": f"{ratio:.4f}"}
    rec.facts["reserve"] = coverage
    rec.facts["vatByMerchant"] = _vat_by_merchant(rec.facts.get("vat", []))


def _vat_by_merchant(rows: list[dict[str, Any]]) -> dict[str, str]:
    totals: dict[str, Decimal] = {}
    for row in rows:
        key = f"{row['merchantId']} ({row['rate']})"
        totals[key] = totals.get(key, Decimal(0)) + Decimal(row["vatDue"])
    return {k: money(v) for k, v in sorted(totals.items())}
