"""The VAT merchant registry: register, update, allow categories, activate/deactivate, list."""

from __future__ import annotations

from collections.abc import Iterable

from tenge.addresses import checksum_address
from tenge.errors import InvalidInput
from tenge.payments.base import VatClientBase
from tenge.payments.ids import category_id, merchant_id
from tenge.payments.logs import DEFAULT_CHUNK_BLOCKS, scan_events
from tenge.payments.records import Merchant
from tenge.token.results import TxResult


class VatMerchants(VatClientBase):
    """Merchants of the VatPayments contract (mixed into :class:`~tenge.payments.client.VatPaymentsClient`)."""

    def merchant(self, merchant: int) -> Merchant:
        """The registered merchant ``merchant``: payout address, VAT registration, default category, active flag."""
        mid = merchant_id(merchant)
        payout, vat_registered, default_category, active, registered = self.contract.functions.merchant(mid).call()
        categories = tuple(int(c) for c in self.contract.functions.merchantCategories(mid).call()) if registered else ()
        return Merchant(
            mid, str(payout), bool(vat_registered), int(default_category), bool(active), bool(registered), categories
        )

    def set_merchant_categories(self, merchant: int, categories: Iterable[int]) -> TxResult:
        """Allow merchant ``merchant`` to be paid under ``categories`` besides its default (replaces the set;
        empty: its default only). REGISTRAR_ROLE or TAX_AUTHORITY_ROLE; a payment under any other is refused."""
        mid, cids = merchant_id(merchant), self.check_categories(categories)
        shown = ", ".join(map(str, cids)) or "none"
        return self._tx(
            self.contract.functions.setMerchantCategories(mid, cids), f"allow merchant {mid} categories: {shown}"
        )

    def check_categories(self, categories: Iterable[int]) -> list[int]:
        """``categories`` as a merchant's allowed set (sorted, no repeats), each a scheduled category; refused here,
        before anything is sent, otherwise (so a register-then-allow sequence never stops half-way)."""
        cids = sorted({category_id(c) for c in categories})
        for cid in cids:
            has_current, _, has_pending, _, _ = self.contract.functions.rateSchedule(cid).call()
            if cid == 0 or not (has_current or has_pending):
                raise InvalidInput(f"VAT category {cid} has no rate scheduled: a merchant cannot be allowed it; nothing was sent")
        return cids

    def register_merchant(
        self, merchant: int, payout: str, *, vat_registered: bool = True, default_category: int = 1
    ) -> TxResult:
        """Register merchant ``merchant`` (active). A VAT-registered merchant needs a scheduled default category."""
        mid, payout, category = merchant_id(merchant), checksum_address(payout), category_id(default_category)
        return self._tx(
            self.contract.functions.registerMerchant(mid, payout, bool(vat_registered), category),
            f"register merchant {mid} (payout {payout}, {'VAT-registered' if vat_registered else 'not VAT-registered'}, "
            f"category {category})",
        )

    def update_merchant(
        self,
        merchant: int,
        *,
        payout: str | None = None,
        vat_registered: bool | None = None,
        default_category: int | None = None,
    ) -> TxResult:
        """Change payout address, VAT registration and/or default category; what is not given stays."""
        current = self.merchant(merchant)
        if not current.registered:
            # Let the contract say it (UnknownMerchant), from the estimate: nothing is sent.
            current = Merchant(current.merchant_id, self.me, False, 0, False, False)
        new_payout = current.payout if payout is None else checksum_address(payout)
        new_registered = current.vat_registered if vat_registered is None else bool(vat_registered)
        new_category = current.default_category if default_category is None else category_id(default_category)
        return self._tx(
            self.contract.functions.updateMerchant(current.merchant_id, new_payout, new_registered, new_category),
            f"update merchant {current.merchant_id}",
        )

    def set_merchant_active(self, merchant: int, active: bool) -> TxResult:
        """Activate or deactivate merchant ``merchant`` (tax authority or registrar)."""
        mid = merchant_id(merchant)
        return self._tx(
            self.contract.functions.setMerchantActive(mid, bool(active)),
            f"{'activate' if active else 'deactivate'} merchant {mid}",
        )

    def activate_merchant(self, merchant: int) -> TxResult:
        """Allow merchant ``merchant`` to be paid again (tax authority or registrar)."""
        return self.set_merchant_active(merchant, True)

    def deactivate_merchant(self, merchant: int) -> TxResult:
        """Stop payments to merchant ``merchant`` (refunds stay possible)."""
        return self.set_merchant_active(merchant, False)

    def merchants(self, *, chunk_blocks: int = DEFAULT_CHUNK_BLOCKS) -> list[Merchant]:
        """Every registered merchant (found from ``MerchantRegistered`` events), as the registry holds it now."""
        events = scan_events(
            self.contract, ["MerchantRegistered"], self.deployment_block, int(self.w3.eth.block_number),
            chunk_blocks=chunk_blocks,
        )  # fmt: skip
        ids = sorted({int(e.args["merchantId"]) for e in events})
        return [self.merchant(mid) for mid in ids]
