"""The sponsor's report of one programme, from events, reconciled to the tiyn with the contract's state.

Sources: the programme contract's ``ProgrammeFunded``, ``VouchersAllocated``, ``VoucherSpent``, ``VouchersSeized``,
``UnallocatedWithdrawn``, ``SurplusAssigned`` and ``ProgrammeReclaimed``; for each spend, VatPayments' ``Paid``
of the same payment id (net and VAT). From events:

    unallocated = funded + surplus assigned + seized - allocated - withdrawn - reclaimed (unallocated part)
    outstanding = allocated - spent - seized - reclaimed (unspent part)

and both must equal ``programme(id)`` on chain (``reconciled``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tenge.plural import counted
from tenge.amounts import from_tiyn
from tenge.payments.logs import DEFAULT_CHUNK_BLOCKS, scan_events

if TYPE_CHECKING:
    from tenge.programmes.client import ProgrammesClient

PROGRAMME_EVENTS = (
    "ProgrammeFunded", "VouchersAllocated", "VoucherSpent", "VouchersSeized", "UnallocatedWithdrawn",
    "SurplusAssigned", "ProgrammeReclaimed",
)  # fmt: skip


@dataclass(frozen=True)
class MerchantLine:
    merchant_id: int
    category_id: int
    payments: int
    gross: Decimal
    net: Decimal
    vat: Decimal

    def to_dict(self) -> dict[str, Any]:
        """These fields as a dict of plain values (Decimal amounts); ``--json`` prints it in snake_case."""
        return {"merchantId": self.merchant_id, "categoryId": self.category_id, "payments": self.payments,
                "gross": self.gross, "net": self.net, "vat": self.vat}  # fmt: skip


@dataclass
class ProgrammeReport:
    """A sponsor's account of one programme rebuilt from events (funded, allocated, spent with VAT, seized,
    withdrawn, reclaimed, per merchant), beside the contract's own figures it is reconciled with."""

    programme_id: int
    currency: str
    funded: Decimal = Decimal("0.00")
    surplus_assigned: Decimal = Decimal("0.00")
    allocated: Decimal = Decimal("0.00")
    beneficiaries: int = 0
    spent: Decimal = Decimal("0.00")
    vat: Decimal = Decimal("0.00")
    seized: Decimal = Decimal("0.00")
    withdrawn: Decimal = Decimal("0.00")
    reclaimed: Decimal = Decimal("0.00")
    lines: list[MerchantLine] = field(default_factory=list)
    #: From events.
    unallocated: Decimal = Decimal("0.00")
    outstanding: Decimal = Decimal("0.00")
    #: On chain now.
    chain_unallocated: Decimal = Decimal("0.00")
    chain_outstanding: Decimal = Decimal("0.00")

    @property
    def reconciled(self) -> bool:
        """Whether the amounts rebuilt from events equal the contract's own unallocated and outstanding figures."""
        return self.unallocated == self.chain_unallocated and self.outstanding == self.chain_outstanding

    def to_dict(self) -> dict[str, Any]:
        """These fields as a dict of plain values (Decimal amounts); ``--json`` prints it in snake_case."""
        return {
            "programmeId": self.programme_id,
            "currency": self.currency,
            "funded": self.funded,
            "surplusAssigned": self.surplus_assigned,
            "allocated": self.allocated,
            "beneficiaries": self.beneficiaries,
            "spent": self.spent,
            "vatIncluded": self.vat,
            "seized": self.seized,
            "withdrawn": self.withdrawn,
            "reclaimed": self.reclaimed,
            "unallocated": self.unallocated,
            "outstanding": self.outstanding,
            "reconciled": self.reconciled,
            "byMerchant": [line.to_dict() for line in self.lines],
        }

    def render(self) -> str:
        """The report as the CLI prints it: one figure per line, in the token's currency."""
        c = self.currency
        rows = [
            f"Programme {self.programme_id} ({'reconciled with the contract' if self.reconciled else 'NOT RECONCILED'})",
            f"  funded        {self.funded:>16,.2f} {c}",
            f"  allocated     {self.allocated:>16,.2f} {c}  to {counted(self.beneficiaries, 'allocation')}",
            f"  spent         {self.spent:>16,.2f} {c}  (VAT included {self.vat:,.2f} {c})",
            f"  seized        {self.seized:>16,.2f} {c}",
            f"  withdrawn     {self.withdrawn:>16,.2f} {c}",
            f"  reclaimed     {self.reclaimed:>16,.2f} {c}",
            f"  unallocated   {self.unallocated:>16,.2f} {c}",
            f"  outstanding   {self.outstanding:>16,.2f} {c}",
        ]
        if self.lines:
            rows.append("  merchant  category  payments             gross               net               VAT")
            for x in self.lines:
                rows.append(
                    f"  {x.merchant_id:>8}  {x.category_id:>8}  {x.payments:>8}  {x.gross:>16,.2f}  {x.net:>16,.2f}  "
                    f"{x.vat:>16,.2f}"
                )
        if not self.reconciled:
            rows.append(
                f"  on chain: unallocated {self.chain_unallocated:,.2f}, outstanding {self.chain_outstanding:,.2f}"
            )
        return "\n".join(rows)


def build_programme_report(
    client: "ProgrammesClient", pid: int, *, chunk_blocks: int = DEFAULT_CHUNK_BLOCKS
) -> ProgrammeReport:
    from tenge.payments.client import VatPaymentsClient

    state = client.programme(pid)  # raises UnknownProgramme
    head = int(client.w3.eth.block_number)
    events = [
        e for e in scan_events(client.contract, PROGRAMME_EVENTS, client.deployment_block, head, chunk_blocks=chunk_blocks)
        if int(e.args["programmeId"]) == pid
    ]  # fmt: skip
    report = ProgrammeReport(pid, client.token.currency)
    tiyn: dict[str, int] = defaultdict(int)
    spends: dict[bytes, tuple[int, int, int]] = {}
    reclaimed_unallocated = reclaimed_unspent = 0
    for e in events:
        a = e.args
        if e.name == "ProgrammeFunded":
            tiyn["funded"] += int(a["amount"])
        elif e.name == "SurplusAssigned":
            tiyn["surplus"] += int(a["amount"])
        elif e.name == "VouchersAllocated":
            tiyn["allocated"] += int(a["total"])
            report.beneficiaries += int(a["beneficiaries"])
        elif e.name == "VoucherSpent":
            tiyn["spent"] += int(a["amount"])
            spends[bytes(a["paymentId"])] = (int(a["merchantId"]), int(a["categoryId"]), int(a["amount"]))
        elif e.name == "VouchersSeized":
            tiyn["seized"] += int(a["amount"])
        elif e.name == "UnallocatedWithdrawn":
            tiyn["withdrawn"] += int(a["amount"])
        elif e.name == "ProgrammeReclaimed":
            reclaimed_unallocated += int(a["unallocated"])
            reclaimed_unspent += int(a["unspent"])

    if spends:
        vat_client = VatPaymentsClient(client.session, address=str(client.contract.functions.vatPayments().call()))
        paid = [
            p for p in scan_events(vat_client.contract, ["Paid"], client.deployment_block, head, chunk_blocks=chunk_blocks)
            if bytes(p.args["paymentId"]) in spends and str(p.args["payer"]) == client.address
        ]  # fmt: skip
        lines: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for p in paid:
            merchant, category, _ = spends[bytes(p.args["paymentId"])]
            line = lines[(merchant, category)]
            line[0] += 1
            line[1] += int(p.args["gross"])
            line[2] += int(p.args["net"])
            line[3] += int(p.args["vat"])
            tiyn["vat"] += int(p.args["vat"])
        report.lines = [
            MerchantLine(m, c, n, from_tiyn(g), from_tiyn(net), from_tiyn(v))
            for (m, c), (n, g, net, v) in sorted(lines.items())
        ]

    report.funded, report.surplus_assigned = from_tiyn(tiyn["funded"]), from_tiyn(tiyn["surplus"])
    report.allocated, report.spent, report.vat = from_tiyn(tiyn["allocated"]), from_tiyn(tiyn["spent"]), from_tiyn(tiyn["vat"])
    report.seized, report.withdrawn = from_tiyn(tiyn["seized"]), from_tiyn(tiyn["withdrawn"])
    report.reclaimed = from_tiyn(reclaimed_unallocated + reclaimed_unspent)
    report.unallocated = from_tiyn(
        tiyn["funded"] + tiyn["surplus"] + tiyn["seized"] - tiyn["allocated"] - tiyn["withdrawn"] - reclaimed_unallocated
    )
    report.outstanding = from_tiyn(tiyn["allocated"] - tiyn["spent"] - tiyn["seized"] - reclaimed_unspent)
    report.chain_unallocated, report.chain_outstanding = state.unallocated, state.outstanding
    return report
