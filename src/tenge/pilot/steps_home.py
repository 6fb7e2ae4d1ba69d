"""Pilot steps 1-5 on the home ledger: allowances and KYC, issuance against the reserve, the school-lunch
programme, lunches with VAT (one offline, a refund, two refusals), redemption and the term-end reclaim."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from tenge.errors import ContractRevert, TengeError
from tenge.programmes.client import domain_from_record, sign_offline_spend
from tenge.session import Session
from tenge.toolchain.anvil import dev_keys

from tenge.pilot.record import PilotRecord
from tenge.pilot.world import ACCOUNTS, BNB, HOME, SCHOOL_MEALS, WHO, address

if TYPE_CHECKING:
    from tenge.pilot.world import PilotWorld

DAY = 86400
TERM_DAYS = 30
PUPILS = ("pupil Aigerim", "pupil Daniyar", "pupil Madina")
CANTEENS = {"canteen School 17": 2001, "canteen School 42": 2002}
TOY_SHOP_ID, STANDARD = 3001, 1
LUNCH = Decimal("1160.00")
DAILY_LIMIT = Decimal("1200.00")
TERM_ALLOWANCE = Decimal("24000.00")
RESERVE = Decimal("3000000.00")
CITY_BUDGET = Decimal("2000000.00")
ALIYA_DEPOSIT = Decimal("400000.00")
TIERS = {
    "Halyk bank": 3, "Kaspi bank": 3, "Almaty city budget": 3, "canteen School 17": 3, "canteen School 42": 3,
    "toy shop": 3, "pupil Aigerim": 1, "pupil Daniyar": 1, "pupil Madina": 1, "parent Aliya": 2, "walker Timur": 1,
}  # fmt: skip


_SESSIONS: dict[tuple[str, str], Session] = {}


def session(name: str, network: str = HOME) -> Session:
    """``name``'s session on ``network`` (one per pair for the run: its clients keep their nonces)."""
    key = (name, network)
    if key not in _SESSIONS:
        _SESSIONS[key] = Session.open(network, account=f"dev:{WHO[name]}")
    return _SESSIONS[key]


def forget_sessions() -> None:
    """A new run (its own chains and records): no session of an earlier one is reused."""
    _SESSIONS.clear()


def sample(world: "PilotWorld", rec: PilotRecord, label: str) -> None:
    """Supply and attested reserve on each chain, now."""
    home, bnb = session("central bank").token(), session("central bank", BNB).token()
    rec.sample(label, {
        "homeSupply": home.total_supply(), "homeReserve": home.reserve().amount,
        "bnbSupply": bnb.total_supply(), "bnbReserve": bnb.reserve().amount,
    })  # fmt: skip


def step1_allowances_and_kyc(world: "PilotWorld", rec: PilotRecord) -> None:
    rec.step("The central bank sets mint allowances; banks approve accounts with KYC tiers")
    central = session("central bank").token()
    for bank, allowance in (("Halyk bank", "2500000"), ("Kaspi bank", "500000")):
        rec.did(f"MINTER_ROLE to {bank}", central.grant_role("MINTER_ROLE", address(bank)).gas_used)
        rec.did(f"{bank}'s mint allowance: {allowance}.00", central.set_minter_allowance(address(bank), allowance).gas_used)
    for name, tier in TIERS.items():
        rec.did(f"KYC: {name} approved, tier {tier}", central.set_tier(address(name), tier).gas_used)
    remote = session("central bank", BNB).token()
    for name, tier in (("parent Aliya", 2), ("BNB cafe", 3)):
        rec.did(f"KYC on the BNB side: {name} approved, tier {tier}", remote.set_tier(address(name), tier).gas_used)
    vat = session("central bank").payments()
    for name, mid in CANTEENS.items():
        gas = vat.register_merchant(mid, address(name), vat_registered=True, default_category=SCHOOL_MEALS).gas_used
        rec.did(f"tax authority registers {name} as merchant {mid} (category {SCHOOL_MEALS}: school meals)", gas)
    gas = vat.register_merchant(TOY_SHOP_ID, address("toy shop"), vat_registered=True, default_category=STANDARD).gas_used
    rec.did(f"tax authority registers the toy shop as merchant {TOY_SHOP_ID} (standard rate)", gas)
    programmes = session("central bank").programmes()
    rec.did("SPONSOR_ROLE of programmes to the city budget", programmes.grant_role("SPONSOR_ROLE", address("Almaty city budget")).gas_used)
    sample(world, rec, "allowances and KYC")


def step2_issuance(world: "PilotWorld", rec: PilotRecord) -> None:
    rec.step("Banks mint digital tenge against non-cash tenge (covered by the attested reserve)")
    central = session("central bank").token()
    rec.did(f"central bank attests the non-cash reserve: {RESERVE}", central.attest_reserve(RESERVE).gas_used)
    rec.did(f"Halyk mints {CITY_BUDGET} for the Almaty city budget",
            session("Halyk bank").token().mint(address("Almaty city budget"), CITY_BUDGET).gas_used)  # fmt: skip
    rec.did(f"Kaspi mints {ALIYA_DEPOSIT} for parent Aliya (her non-cash deposit converted)",
            session("Kaspi bank").token().mint(address("parent Aliya"), ALIYA_DEPOSIT).gas_used)  # fmt: skip
    try:
        session("Kaspi bank").token().mint(address("parent Aliya"), "200000")
    except TengeError as exc:
        rec.refused("Kaspi mints 200,000.00 more than its allowance", exc)
    supply, reserve = central.total_supply(), central.reserve().amount
    rec.did(f"home supply {supply} within the attested reserve {reserve} ({supply / reserve:.1%} covered)")
    sample(world, rec, "issuance")


def step3_programme(world: "PilotWorld", rec: PilotRecord) -> int:
    rec.step("The city creates the school-lunch programme and allocates it to pupils in one batch")
    city = session("Almaty city budget").programmes()
    expiry = city.block_time() + TERM_DAYS * DAY
    pid = city.create([SCHOOL_MEALS], expiry, budget="ALMATY-LUNCH-2026", daily_limit=DAILY_LIMIT)
    rec.did(f"programme {pid}: purpose school meals, {DAILY_LIMIT} a day, expires in {TERM_DAYS} days (term end)")
    fund = TERM_ALLOWANCE * len(PUPILS) + Decimal("28000.00")
    rec.did(f"city funds it with {fund}", city.fund(pid, fund).gas_used)
    batch = city.allocate(pid, [(address(p), TERM_ALLOWANCE) for p in PUPILS])
    rec.did(f"{len(PUPILS)} pupils get {TERM_ALLOWANCE} each in {len(batch)} transaction", sum(a.tx.gas_used for a in batch))
    rec.facts["programme"] = {"id": pid, "funded": str(fund), "allocated": str(TERM_ALLOWANCE * len(PUPILS))}
    return pid


def _lunch(rec: PilotRecord, pid: int, pupil: str, canteen: str, day: int, invoice: str, amount: Decimal = LUNCH) -> None:
    receipt = session(pupil).programmes().spend(pid, CANTEENS[canteen], amount, invoice)
    rec.spends.append({"day": day, "pupil": pupil, "merchant": CANTEENS[canteen], "amount": str(receipt.amount),
                       "vat": str(receipt.vat), "offline": False})  # fmt: skip
    rec.did(f"day {day}: {pupil} pays {canteen} {receipt.amount} (VAT {receipt.vat} at {receipt.rate_bps / 100:.0f}%, "
            f"net {receipt.net})", receipt.tx.gas_used)  # fmt: skip


def step4_lunches(world: "PilotWorld", rec: PilotRecord, pid: int) -> None:
    rec.step("Pupils pay canteens from the programme, VAT collected in the same transaction")
    # Madina's phone has no connection: she signs a lunch from the deployment record and her clock alone
    record = session("pupil Madina").record
    now = session("central bank").programmes().block_time()
    madina = dev_keys(ACCOUNTS)[WHO["pupil Madina"]]
    offline = sign_offline_spend(madina, domain_from_record(record), pid, CANTEENS["canteen School 17"], LUNCH,
                                 "LUNCH-D1-MADINA", now=now).encode()  # fmt: skip
    rec.did(f"day 1: Madina signs a lunch offline ({len(offline)}-character string, no connection)")
    _lunch(rec, pid, "pupil Aigerim", "canteen School 17", 1, "LUNCH-D1-AIGERIM")
    _lunch(rec, pid, "pupil Daniyar", "canteen School 42", 1, "LUNCH-D1-DANIYAR")
    aigerim = session("pupil Aigerim").programmes()
    try:
        aigerim.spend(pid, TOY_SHOP_ID, "900.00", "TOYS-1")
    except ContractRevert as exc:
        rec.refused("Aigerim pays the toy shop with lunch money", exc)
    try:
        aigerim.spend(pid, CANTEENS["canteen School 17"], "500.00", "LUNCH-D1-AIGERIM-2")
    except ContractRevert as exc:
        rec.refused("Aigerim's second lunch the same day", exc)
    submitted = session("canteen School 17").programmes().submit_spend(offline)
    rec.spends.append({"day": 1, "pupil": "pupil Madina", "merchant": CANTEENS["canteen School 17"],
                       "amount": str(submitted.amount), "vat": str(submitted.vat), "offline": True})  # fmt: skip
    rec.did(f"day 1: canteen School 17 submits Madina's offline lunch later: {submitted.amount} (VAT {submitted.vat})",
            submitted.tx.gas_used)  # fmt: skip
    for day in (2, 3):
        world.advance(DAY)
        for n, pupil in enumerate(PUPILS):
            canteen = "canteen School 42" if pupil == "pupil Daniyar" else "canteen School 17"
            amount = LUNCH if n != 2 or day == 2 else Decimal("980.00")
            _lunch(rec, pid, pupil, canteen, day, f"LUNCH-D{day}-{pupil.split()[1].upper()}", amount)
    # a parent pays the canteen directly (a school-trip packed lunch), then it is refunded
    aliya = session("parent Aliya").payments()
    paid = aliya.pay_with_permit(CANTEENS["canteen School 17"], "2320.00", "TRIP-LUNCH-ALIYA")
    rec.did(f"Aliya pays canteen School 17 {paid.gross} with a permit (VAT {paid.vat}, net {paid.net})", paid.tx.gas_used)
    refund = session("canteen School 17").payments().refund(CANTEENS["canteen School 17"], address("parent Aliya"), "TRIP-LUNCH-ALIYA")
    gas = refund.tx.gas_used + sum(p.gas_used for p in refund.preparations)
    rec.did(f"the trip is cancelled: the canteen refunds {refund.amount} (net {refund.net} and VAT {refund.vat} reversed)", gas)
    rec.facts["offlinePayment"] = offline[:24] + "..."
    sample(world, rec, "lunches")


def step5_redeem_and_reclaim(world: "PilotWorld", rec: PilotRecord, pid: int) -> None:
    rec.step("A canteen redeems its takings at its bank; at term's end the city reclaims what was not spent")
    canteen = session("canteen School 17").token()
    takings = canteen.balance_of(address("canteen School 17"))
    gas = canteen.redeem(address("Halyk bank"), takings, "CANTEEN17-PAYOUT-1").gas_used
    rec.did(f"canteen School 17 redeems {takings} to non-cash tenge at Halyk", gas)
    city = session("Almaty city budget").programmes()
    try:
        city.reclaim(pid)
    except ContractRevert as exc:
        rec.refused("the city reclaims before the term ends", exc)
    world.advance(TERM_DAYS * DAY)
    rec.did(f"{TERM_DAYS} days later (both chains' clocks): the term has ended")
    amount, tx = city.reclaim(pid)
    rec.did(f"the city reclaims {amount} unspent and unallocated", tx.gas_used)
    rec.facts["programme"]["reclaimed"] = str(amount)
    sample(world, rec, "term end")
