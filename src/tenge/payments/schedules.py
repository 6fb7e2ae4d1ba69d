"""VAT rates per category: schedule, cancel, label, read the rate in force and the schedules."""

from __future__ import annotations

from tenge.errors import InvalidInput
from tenge.times import iso
from tenge.payments import vat_math
from tenge.payments.base import VatClientBase, view
from tenge.payments.ids import category_id
from tenge.payments.logs import DEFAULT_CHUNK_BLOCKS, scan_events
from tenge.payments.rates import format_rate
from tenge.payments.records import RateSchedule
from tenge.token.results import TxResult


class VatRates(VatClientBase):
    """Rate schedules of the VatPayments contract (mixed into :class:`~tenge.payments.client.VatPaymentsClient`)."""

    def schedule_rate(self, category: int, rate_bps: int, effective_from: int | None = None) -> TxResult:
        """Rate ``rate_bps`` for ``category`` from ``effective_from`` (unix seconds; None or past: at once)."""
        cid, bps = category_id(category), vat_math.check_rate_bps(rate_bps)
        when = 0 if effective_from is None else int(effective_from)
        if not 0 <= when <= 2**64 - 1:
            raise InvalidInput(f"effective-from {effective_from} is not a unix time")
        shown = "now" if when == 0 else f"from {iso(when)}"
        return self._tx(
            self.contract.functions.scheduleRate(cid, bps, when), f"schedule {format_rate(bps)} for category {cid} {shown}"
        )

    def cancel_rate_change(self, category: int) -> TxResult:
        """Cancel the scheduled (not yet in force) rate change of ``category`` (TAX_AUTHORITY_ROLE)."""
        cid = category_id(category)
        return self._tx(self.contract.functions.cancelRateChange(cid), f"cancel the pending rate change of category {cid}")

    def label_category(self, category: int, label: str) -> TxResult:
        """Give VAT category ``category`` a readable label (TAX_AUTHORITY_ROLE)."""
        cid = category_id(category)
        if not str(label).strip():
            raise InvalidInput("a category label cannot be empty")
        return self._tx(self.contract.functions.labelCategory(cid, str(label).strip()), f"label category {cid}")

    def rate_in_force(self, category: int) -> int:
        """The rate of ``category`` in force at the latest block, in basis points."""
        cid = category_id(category)
        return int(view(self.contract.functions.rateInForce(cid), f"rate in force of category {cid}"))

    def rate_schedule(self, category: int, *, label: str | None = None) -> RateSchedule:
        """Category ``category``'s rate in force and any scheduled change."""
        cid = category_id(category)
        has_current, current, has_pending, pending, pending_from = self.contract.functions.rateSchedule(cid).call()
        return RateSchedule(
            cid,
            int(current) if has_current else None,
            int(pending) if has_pending else None,
            int(pending_from) if has_pending else None,
            label,
        )

    def category_labels(self, *, chunk_blocks: int = DEFAULT_CHUNK_BLOCKS) -> dict[int, str]:
        """category id -> its latest label (labels live in ``CategoryLabelled`` events only)."""
        events = scan_events(
            self.contract, ["CategoryLabelled"], self.deployment_block, int(self.w3.eth.block_number),
            chunk_blocks=chunk_blocks,
        )  # fmt: skip
        return {int(e.args["categoryId"]): str(e.args["label"]) for e in events}

    def rate_schedules(self, *, chunk_blocks: int = DEFAULT_CHUNK_BLOCKS) -> list[RateSchedule]:
        """Every category ever scheduled (from ``RateScheduled`` events), with its label and schedule now."""
        events = scan_events(
            self.contract, ["RateScheduled", "CategoryLabelled"], self.deployment_block, int(self.w3.eth.block_number),
            chunk_blocks=chunk_blocks,
        )  # fmt: skip
        labels = {int(e.args["categoryId"]): str(e.args["label"]) for e in events if e.name == "CategoryLabelled"}
        ids = sorted({int(e.args["categoryId"]) for e in events if e.name == "RateScheduled"})
        return [self.rate_schedule(cid, label=labels.get(cid)) for cid in ids]
