"""The pilot scenario end to end on a devnet it starts itself: `make demo` / `tenge demo`.

Almaty's school lunches: the central bank deploys the suite and sets a commercial bank's mint
allowance; the bank mints to the city budget; the city pays lunch allowances to pupils in one
batch; a pupil pays the school canteen with VAT collected in the same transaction; another pupil
pays offline (signed with no connection, submitted later by the canteen); the canteen redeems
digital tenge to non-cash tenge at its bank. The devnet is stopped on success, error or Ctrl-C.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

from web3 import Web3

from tenge import paths
from tenge.chain.networks import get_network
from tenge.chain.transactions import TxSender
from tenge.deploy.deployer import Deployer
from tenge.deploy.record import DeploymentRecord
from tenge.deploy.suite import suite_plan
from tenge.deploy.suite_config import load_suite_config
from tenge.errors import ContractRevert
from tenge.session import Session
from tenge.toolchain.anvil import dev_keys, start_anvil
from tenge.toolchain.compiler import compile_project

ROLES = ("central bank", "commercial bank", "Almaty city budget", "pupil Aigerim", "pupil Daniyar", "pupil Madina", "school canteen")
PUPIL_TIER = 1
BUSINESS_TIER = 3
LUNCH_ALLOWANCE = Decimal("1500.00")
CANTEEN_MERCHANT_ID = 1001


@dataclass
class DemoSummary:
    rpc_url: str = ""
    chain_id: int = 0
    contracts: dict[str, str] = field(default_factory=dict)
    steps: list[tuple[str, int]] = field(default_factory=list)
    balances: dict[str, Decimal] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)


def run_demo(say: Callable[[str], None] = print) -> DemoSummary:
    summary = DemoSummary()
    if paths.source_checkout() is None:
        say("compile: the compiled contracts shipped in the package (no project checkout)")
    else:
        compiled = compile_project()
        say(f"compile: {'up to date' if compiled.cached else f'{len(compiled.contracts)} contracts'}")
    keys = dev_keys(len(ROLES))
    who = {name: str(key.address) for name, key in zip(ROLES, keys)}
    with start_anvil() as devnet, tempfile.TemporaryDirectory(prefix="tenge-demo-") as records:
        summary.rpc_url, summary.chain_id = devnet.rpc_url, devnet.chain_id
        say(f"devnet: anvil at {devnet.rpc_url} (chain id {devnet.chain_id})")
        record_dir = Path(records)
        _deploy(devnet.rpc_url, keys[0], record_dir, summary, say)

        def session(name: str) -> Session:
            index = ROLES.index(name)
            return Session.open("local", account=f"dev:{index}", rpc_url=devnet.rpc_url, record_dir=record_dir)

        def step(label: str, gas: int) -> None:
            summary.steps.append((label, gas))
            say(f"  {label:<58} gas {gas:>9,}")

        central = session("central bank").token()
        for name in ("commercial bank", "Almaty city budget", "school canteen"):
            step(f"KYC: {name} approved (tier {BUSINESS_TIER}, uncapped)", central.set_tier(who[name], BUSINESS_TIER).gas_used)
        for pupil in ROLES[3:6]:
            step(f"KYC: {pupil} approved (tier {PUPIL_TIER})", central.set_tier(who[pupil], PUPIL_TIER).gas_used)
        step("central bank grants MINTER_ROLE to the commercial bank", central.grant_role("MINTER_ROLE", who["commercial bank"]).gas_used)
        step("central bank sets the bank's mint allowance: 10,000,000.00", central.set_minter_allowance(who["commercial bank"], "10000000").gas_used)

        bank = session("commercial bank").token()
        step("bank mints 1,000,000.00 to the city budget", bank.mint(who["Almaty city budget"], "1000000").gas_used)

        city = session("Almaty city budget").token()
        payouts = [(who[p], LUNCH_ALLOWANCE) for p in ROLES[3:6]]
        batch = city.batch_transfer(payouts)
        step(f"city pays {len(payouts)} lunch allowances of {LUNCH_ALLOWANCE} in one batch", sum(r.gas_used for r in batch))

        _vat_and_offline(session, who, step, summary)

        canteen = session("school canteen").token()
        step("canteen redeems 1,000.00 to non-cash tenge at its bank", canteen.redeem(who["commercial bank"], "1000", "CANTEEN-PAYOUT-1").gas_used)

        for name in ROLES[1:]:
            summary.balances[name] = central.balance_of(who[name])
        summary.facts["total supply"] = str(central.total_supply())
        summary.facts["audit"] = _audit(devnet.rpc_url, record_dir, say)
    return summary


def _audit(rpc_url: str, record_dir: Path, say: Callable[[str], None]) -> str:
    """`tenge audit` on the demo's chain before it stops: state rebuilt from events against chain state."""
    from tenge.audit.audit import audit
    from tenge.index.service import open_session_index, sync_session

    session = Session.open("local", read_only=True, rpc_url=rpc_url, record_dir=record_dir)
    engine = open_session_index(session)
    sync_session(session, engine, confirmations=0)
    result = audit(session, engine)
    engine.dispose()
    verdict = "no difference" if result.clean else f"{len(result.differences)} difference(s)"
    say(f"audit: {result.events} events rebuilt and compared with chain state at block {result.block}: {verdict}")
    for difference in result.differences:
        say(f"  {difference.describe()}")
    return verdict


def _deploy(rpc_url: str, deployer_key: object, record_dir: Path, summary: DemoSummary, say: Callable[[str], None]) -> None:
    network = get_network("local")
    w3 = Web3(Web3.HTTPProvider(rpc_url))
    record = DeploymentRecord("local", w3.eth.chain_id, path=record_dir / "local.json")
    sender = TxSender(w3, deployer_key, network)  # type: ignore[arg-type]
    report = Deployer(sender, record).run(suite_plan(load_suite_config("local"), sender.address))
    summary.contracts = {key: entry["address"] for key, entry in record.contracts.items()}
    say(f"deploy: {report.transactions_sent} transactions, {report.gas_used:,} gas")
    for key, address in summary.contracts.items():
        say(f"  {key:<28} {address}")


def _vat_and_offline(
    session: Callable[[str], Session], who: dict[str, str], step: Callable[[str, int], None], summary: DemoSummary
) -> None:
    tax = session("central bank").payments()
    step("tax authority registers the canteen (VAT-registered, standard)",
         tax.register_merchant(CANTEEN_MERCHANT_ID, who["school canteen"], vat_registered=True, default_category=1).gas_used)  # fmt: skip
    pupil = session("pupil Aigerim").payments()
    try:  # the payer cannot pick a category the tax side did not allow the canteen (e.g. 3, zero-rated)
        pupil.quote(CANTEEN_MERCHANT_ID, Decimal("1160.00"), category=3)
        summary.facts["payer-chosen 0% category"] = "accepted (unexpected)"
    except ContractRevert as refused:
        summary.facts["payer-chosen 0% category"] = f"refused: {refused.error_name}"
    paid = pupil.pay_with_permit(CANTEEN_MERCHANT_ID, Decimal("1160.00"), "LUNCH-2026-11-001")
    step(f"Aigerim pays 1,160.00 (permit, no approve): VAT {paid.vat} to escrow, net {paid.net}", paid.tx.gas_used)

    madina = session("pupil Madina").payments()
    offline = madina.sign_offline_payment(CANTEEN_MERCHANT_ID, Decimal("450.00"), "LUNCH-2026-11-002")
    text = offline.encode()
    summary.facts["offline payment string"] = text
    submitted = session("school canteen").payments().submit_offline_payment(text)
    step(f"Madina pays 450.00 offline; canteen submits it later (VAT {submitted.vat})", submitted.tx.gas_used)
    summary.facts["VAT collected in escrow"] = str(tax.escrow_balance())
