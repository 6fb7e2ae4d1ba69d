// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IInvoiceBooks} from "./IInvoiceBooks.sol";

/**
 * @title InvoiceBooks
 * @notice The storage of the merchants' invoice books and its two operations: entering a payment (check and set the
 * invoice's paid bit, extend the page's chain head, one word written) and verifying a payment record passed back in
 * calldata against the stored chain head. The payment logic around it is {VatPayments}'. See {IInvoiceBooks}.
 */
abstract contract InvoiceBooks is IInvoiceBooks {
    /// @dev Invoices per page (one storage word): the low 32 bits of the word are their paid bits.
    uint256 private constant PAGE_BITS = 5;
    uint256 private constant INDEX_MASK = (uint256(1) << PAGE_BITS) - 1; // invoiceNo & 31: its bit in the page
    uint256 private constant PAID_BITS_MASK = (uint256(1) << (uint256(1) << PAGE_BITS)) - 1;
    uint256 private constant HEAD_SHIFT = uint256(1) << PAGE_BITS; // 32: the chain head is bits 32..255
    uint256 private constant BOOK_ID_TAG = uint256(0xb00c) << 240;

    /// @dev One page word (layout in {IInvoiceBooks}), wrapped so the payment hashes its key once for read and write.
    struct Page {
        uint256 word;
    }

    /// @dev (merchantId << 64 | page number) => page word.
    mapping(uint256 pageKey => Page) private _pages;

    /// @dev (merchantId << 64 | invoiceNo) => cumulative refunded amount of that book payment (tiyn).
    mapping(uint256 invoiceKey => uint256) private _refunded;

    /// @inheritdoc IInvoiceBooks
    function bookPaymentId(uint64 merchantId, uint64 invoiceNo) public pure returns (bytes32) {
        return bytes32(BOOK_ID_TAG | (uint256(merchantId) << 64) | invoiceNo);
    }

    /// @inheritdoc IInvoiceBooks
    function invoicePaid(uint64 merchantId, uint64 invoiceNo) external view returns (bool) {
        return _pages[_pageKey(merchantId, invoiceNo)].word & (uint256(1) << (invoiceNo & INDEX_MASK)) != 0;
    }

    /// @inheritdoc IInvoiceBooks
    function bookPage(uint64 merchantId, uint64 invoiceNo) external view returns (uint32 paidBits, bytes32 head) {
        uint256 word = _pages[_pageKey(merchantId, invoiceNo)].word;
        return (uint32(word), bytes32(word >> HEAD_SHIFT));
    }

    /// @inheritdoc IInvoiceBooks
    function invoiceRefunded(uint64 merchantId, uint64 invoiceNo) external view returns (uint256) {
        return _refunded[_invoiceKey(merchantId, invoiceNo)];
    }

    /**
     * @dev Enters a payment of invoice `invoiceNo` into merchant `merchantId`'s book: reverts {InvoiceAlreadyPaid}
     * when its bit is set, else sets it and extends the page's chain head with the entry (one read, one write).
     */
    function _enterInBook(uint64 merchantId, uint64 invoiceNo, address payer, uint256 gross, uint256 rateBps)
        internal
    {
        Page storage page = _pages[_pageKey(merchantId, invoiceNo)];
        uint256 word = page.word;
        uint256 bit = uint256(1) << (invoiceNo & INDEX_MASK);
        if (word & bit != 0) revert InvoiceAlreadyPaid(merchantId, invoiceNo);
        uint256 head = _link(word >> HEAD_SHIFT, invoiceNo, payer, gross, rateBps);
        page.word = (head << HEAD_SHIFT) | (word & PAID_BITS_MASK) | bit;
    }

    /**
     * @dev The book payment `entries[0]` of merchant `merchantId`, verified: `headBefore` extended by every entry
     * must give the stored head of `entries[0]`'s page ({BookRecordMismatch} otherwise). Returns the entry's fields
     * and the storage key of its refunded amount.
     */
    function _verifiedEntry(uint64 merchantId, bytes32 headBefore, BookEntry[] calldata entries)
        internal
        view
        returns (uint64 invoiceNo, address payer, uint256 gross, uint256 rateBps)
    {
        uint256 n = entries.length;
        if (n == 0) revert EmptyBookRecord();
        uint256 head = uint256(headBefore);
        for (uint256 i; i < n;) {
            BookEntry calldata e = entries[i];
            head = _link(head, e.invoiceNo, e.payer, e.gross, e.rateBps);
            unchecked {
                ++i;
            }
        }
        BookEntry calldata paid = entries[0];
        invoiceNo = paid.invoiceNo;
        if (head != _pages[_pageKey(merchantId, invoiceNo)].word >> HEAD_SHIFT) {
            revert BookRecordMismatch(merchantId, invoiceNo);
        }
        (payer, gross, rateBps) = (paid.payer, paid.gross, paid.rateBps);
    }

    /// @dev Cumulative refunded amount of a book payment (read).
    function _bookRefunded(uint64 merchantId, uint64 invoiceNo) internal view returns (uint256) {
        return _refunded[_invoiceKey(merchantId, invoiceNo)];
    }

    /// @dev Cumulative refunded amount of a book payment (write).
    function _setBookRefunded(uint64 merchantId, uint64 invoiceNo, uint256 total) internal {
        _refunded[_invoiceKey(merchantId, invoiceNo)] = total;
    }

    /// @dev The chain step: `uint224(keccak256(abi.encode(head, invoiceNo, payer, gross, rateBps)))`.
    function _link(uint256 head, uint64 invoiceNo, address payer, uint256 gross, uint256 rateBps)
        private
        pure
        returns (uint256)
    {
        return uint224(uint256(keccak256(abi.encode(head, invoiceNo, payer, gross, rateBps))));
    }

    function _pageKey(uint64 merchantId, uint64 invoiceNo) private pure returns (uint256) {
        return (uint256(merchantId) << 64) | (invoiceNo >> PAGE_BITS);
    }

    function _invoiceKey(uint64 merchantId, uint64 invoiceNo) private pure returns (uint256) {
        return (uint256(merchantId) << 64) | invoiceNo;
    }
}
