// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IInvoiceBooks
 * @notice Invoice books: the cheap way to pay a merchant's numbered invoice with the same two guarantees as a
 * payment by reference - the invoice pays once, and refunds never exceed what was paid - without a new storage
 * slot per payment.
 *
 * Each merchant numbers its invoices (`uint64`, sequentially by convention: 1, 2, 3 ...). Invoice number `n` of
 * merchant `m` lives in *page* `n / 32` of `m`'s book, one storage word per page:
 *
 *   bits  0..31   paid bits: bit `n % 32` set once invoice `n` is paid (it never clears) - invoice idempotency
 *   bits 32..255  the page's *chain head*, a 224-bit hash chain over the page's payments in the order they were
 *                 paid: `head' = uint224(keccak256(abi.encode(head, invoiceNo, payer, gross, rateBps)))`, from 0
 *
 * So a payment into a page already in use rewrites one used word (a cold read and a dirty write, 5 000 gas) instead
 * of filling a new slot (22 100); only the first payment of each page of 32 invoices fills a new word.
 *
 * A refund names the payment by passing its {BookEntry} back in calldata, together with the chain head just before
 * it and every later entry of the same page (all from the {IVatPayments-Paid} events: the payment id of a book
 * payment encodes merchant and invoice number, see {bookPaymentId}). The contract recomputes the chain and requires
 * the stored head. Forging an entry (another payer, a larger gross or rate) means finding a second preimage of a
 * 224-bit truncated keccak256 - about 2^224 hash evaluations, more than any refund could ever pay - so the refund is
 * bounded by what was really paid, and the cumulative refunded amount is kept per invoice ({invoiceRefunded}).
 *
 * The shape of the guarantee: a book payment is keyed by (merchant, invoice number), not by (merchant, payer,
 * reference) - the first payer of an invoice number pays it; anyone else paying that number is refused
 * ({InvoiceAlreadyPaid}). The invoice reference (`bytes32`, the ESF hash or a receipt number, same rules as a
 * payment by reference) still travels in the {IVatPayments-Paid} receipt; it is no longer the key.
 */
interface IInvoiceBooks {
    /// @notice A book payment as chained into its page: everything a refund needs (recipient, bound, VAT rate).
    struct BookEntry {
        uint64 invoiceNo;
        address payer;
        uint96 gross;
        uint16 rateBps;
    }

    /// @notice Invoice `invoiceNo` of merchant `merchantId` is already paid (payment {bookPaymentId}).
    error InvoiceAlreadyPaid(uint64 merchantId, uint64 invoiceNo);

    /// @notice The entries given for a refund of invoice `invoiceNo` of merchant `merchantId` do not recompute the
    /// page's stored chain head: not the payment as it was made, or not with every later payment of its page.
    error BookRecordMismatch(uint64 merchantId, uint64 invoiceNo);

    /// @notice A book refund needs at least the refunded payment's own entry.
    error EmptyBookRecord();

    /**
     * @notice Pays invoice `invoiceNo` of merchant `merchantId`: as {IVatPayments-pay} (same checks, the same
     * one-token-call split, the same {IVatPayments-Paid} receipt with `invoiceRef`), keyed by the invoice number in
     * the merchant's book instead of a payment record: an invoice number pays once ({InvoiceAlreadyPaid}).
     * @return id {bookPaymentId} of merchant and invoice number.
     */
    function payInvoice(uint64 merchantId, uint64 invoiceNo, uint256 gross, uint8 categoryId, bytes32 invoiceRef)
        external
        returns (bytes32 id);

    /**
     * @notice Refunds `amount` of the book payment `entries[0]` to merchant `merchantId`; only the merchant's payout
     * address may call. `headBefore` is the page's chain head before that payment (0 for the page's first) and
     * `entries[1..]` are the later payments of the same page in the order they were paid; they must recompute the
     * stored head ({BookRecordMismatch}). Then as {IVatPayments-refund}: cumulative refunds never exceed the gross
     * ({IVatPayments-RefundExceedsPayment}), the VAT part in proportion, the payer (or its recovered wallet) paid.
     * @return id The refunded payment's {bookPaymentId}.
     */
    function refundInvoice(uint64 merchantId, bytes32 headBefore, BookEntry[] calldata entries, uint256 amount)
        external
        returns (bytes32 id);

    /// @notice The payment id of invoice `invoiceNo` of merchant `merchantId` in the book:
    /// `0xb00c` in the top 16 bits, then zeros, `merchantId` in bits 64..127 and `invoiceNo` in bits 0..63.
    function bookPaymentId(uint64 merchantId, uint64 invoiceNo) external pure returns (bytes32);

    /// @notice Whether invoice `invoiceNo` of merchant `merchantId` is paid in the book.
    function invoicePaid(uint64 merchantId, uint64 invoiceNo) external view returns (bool);

    /// @notice The page of merchant `merchantId`'s book that holds invoice `invoiceNo`: its paid bits (bit i:
    /// invoice `invoiceNo - invoiceNo % 32 + i`) and its chain head.
    function bookPage(uint64 merchantId, uint64 invoiceNo) external view returns (uint32 paidBits, bytes32 head);

    /// @notice How much of the book payment of invoice `invoiceNo` of merchant `merchantId` is refunded so far.
    function invoiceRefunded(uint64 merchantId, uint64 invoiceNo) external view returns (uint256);
}
