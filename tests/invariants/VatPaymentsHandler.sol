// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IDigitalTenge} from "../../contracts/interfaces/IDigitalTenge.sol";
import {IVatPayments} from "../../contracts/payments/IVatPayments.sol";
import {IInvoiceBooks} from "../../contracts/payments/IInvoiceBooks.sol";
import {IMerchantRegistry} from "../../contracts/payments/IMerchantRegistry.sol";
import {IVatRateSchedule} from "../../contracts/payments/IVatRateSchedule.sol";
import {Cast} from "./utils/TengeFixture.sol";
import {TengeHandlerBase} from "./utils/TengeHandlerBase.sol";
import {vm} from "./utils/Vm.sol";

/// @notice The VAT suite's own cast, beside the token's.
library VatCast {
    function admin() internal pure returns (address) {
        return _named("vat.admin");
    }

    function taxAuthority() internal pure returns (address) {
        return _named("vat.taxAuthority");
    }

    function registrar() internal pure returns (address) {
        return _named("vat.registrar");
    }

    function pauser() internal pure returns (address) {
        return _named("vat.pauser");
    }

    function treasury() internal pure returns (address) {
        return _named("vat.treasury");
    }

    function _named(string memory name) private pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encodePacked("digital-tenge.invariants.", name)))));
    }
}

/**
 * @title VatPaymentsHandler
 * @notice Drives VAT payments - pay, pay with a permit, pay with an EIP-3009 authorization signed offline,
 * refunds, VAT withdrawals, the reserve, the treasury's allowance, rate schedules, the merchant registry, pauses -
 * and the token rules around them (freezes, the token's pause, top-ups), with bounded random inputs. Each action
 * runs in a model first (the token model of {TengeHandlerBase} plus the VAT contract's registry, schedule,
 * payments and escrow); the handler asserts the contract agrees and keeps the ghosts {VatPaymentsInvariants} reads.
 *
 * The VAT rule of the model is the documented one - VAT = round_half_up(gross * rate / (10 000 + rate)), net =
 * gross - VAT; a partial refund carries round_half_up(refunded * VAT / gross) cumulatively - and every payment's
 * VAT is also checked against the exact value (within half a tiyn).
 */
contract VatPaymentsHandler is TengeHandlerBase {
    IVatPayments public immutable vat;

    uint64 internal constant MERCHANT_IDS = 6; // ids 1..6; some unregistered at first
    /// @dev Spare wallets (approved, empty, with keys) that payers' lost wallets are recovered to.
    uint256 internal constant SPARES = 2;
    uint8 internal constant CATEGORIES = 5; // ids 1..5 used; 0 = "the merchant's default"

    struct Merchant {
        address payout;
        bool vatRegistered;
        uint8 defaultCategory;
        bool active;
        bool registered;
    }

    struct Schedule {
        bool hasCurrent;
        uint16 currentBps;
        bool hasNext;
        uint16 nextBps;
        uint64 nextFrom;
    }

    struct Payment {
        uint64 merchantId;
        address payer;
        bytes32 invoiceRef;
        uint256 gross;
        uint256 vat;
        uint16 rateBps;
        uint256 refunded;
        uint256 vatRefunded;
    }

    /// @notice A payment of a merchant's invoice book (`payInvoice`), with its place in its page's chain.
    struct BookPayment {
        uint64 merchantId;
        uint64 invoiceNo;
        address payer;
        uint256 gross;
        uint256 vat;
        uint16 rateBps;
        uint256 refunded;
        uint256 vatRefunded;
        uint256 position; // index in its page's entries
    }

    /// @dev Who pays and who is paid: users and banks (never the escrow or the treasury, whose balances are the
    /// VAT reconciliation).
    address[] internal _payers;

    mapping(uint64 merchantId => Merchant) public modelMerchant;
    /// @notice Bit c: the registrar allowed merchant to be paid under category c besides its default.
    mapping(uint64 merchantId => uint256) public modelOtherCategories;
    /// @notice The model of the token's wallet recoveries: lost wallet -> the wallet its holdings went to.
    mapping(address lost => address) public modelRecoveredTo;
    address[] internal _spares;
    mapping(uint8 categoryId => Schedule) internal _schedule;
    Payment[] internal _payments;
    BookPayment[] internal _bookPayments;
    /// @dev The model of each book page: its entries in the order they were paid (merchantId << 64 | page).
    mapping(uint256 pageKey => IInvoiceBooks.BookEntry[]) internal _pageEntries;
    mapping(bytes32 id => bool) public paid;
    bool public modelVatPaused;
    uint256 public modelVatReserve;

    /// @notice VAT collected by payments and returned by refunds; withdrawn by the treasury; and the part of
    /// refunds the treasury funded through its allowance.
    uint256 public ghostVatCollected;
    uint256 public ghostVatRefunded;
    uint256 public ghostVatWithdrawn;
    uint256 public ghostVatRefundedByTreasury;

    constructor(IDigitalTenge token_, IVatPayments vat_) TengeHandlerBase(token_) {
        vat = vat_;
        for (uint256 i; i < _holders.length; ++i) {
            _payers.push(_holders[i]);
        }
        _addHolder(address(vat_));
        _addHolder(VatCast.treasury());
        for (uint256 i; i < SPARES; ++i) {
            address spare = vm.addr(spareKey(i));
            _addHolder(spare);
            _keyOf[spare] = spareKey(i);
            _spares.push(spare);
        }
        _everyone.push(VatCast.admin());
        _everyone.push(VatCast.taxAuthority());
        _everyone.push(VatCast.registrar());
        _everyone.push(VatCast.pauser());
        for (uint64 id = 1; id <= MERCHANT_IDS; ++id) {
            Merchant storage m = modelMerchant[id];
            (m.payout, m.vatRegistered, m.defaultCategory, m.active, m.registered) = vat_.merchant(id);
        }
        for (uint8 c = 1; c <= CATEGORIES; ++c) {
            Schedule storage s = _schedule[c];
            (s.hasCurrent, s.currentBps, s.hasNext, s.nextBps, s.nextFrom) = vat_.rateSchedule(c);
        }
        modelVatReserve = vat_.vatReserve();
    }

    /// @notice Key of spare wallet `i` (approved on the token by the suite's setUp).
    function spareKey(uint256 i) public pure returns (uint256) {
        return 0xB000 + i;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views for the invariant contract
    // ---------------------------------------------------------------------------------------------------------

    function paymentCount() external view returns (uint256) {
        return _payments.length;
    }

    function paymentAt(uint256 i) external view returns (Payment memory) {
        return _payments[i];
    }

    function bookPaymentCount() external view returns (uint256) {
        return _bookPayments.length;
    }

    function bookPaymentAt(uint256 i) external view returns (BookPayment memory) {
        return _bookPayments[i];
    }

    /// @notice The model's chain head of the page holding invoice `invoiceNo` of merchant `merchantId`.
    function modelPageHead(uint64 merchantId, uint64 invoiceNo) public view returns (uint256 head) {
        IInvoiceBooks.BookEntry[] storage entries = _pageEntries[_pageKey(merchantId, invoiceNo)];
        for (uint256 i; i < entries.length; ++i) {
            head = _link(head, entries[i]);
        }
    }

    function modelSchedule(uint8 categoryId) external view returns (Schedule memory) {
        return _schedule[categoryId];
    }

    // ---------------------------------------------------------------------------------------------------------
    // Paying
    // ---------------------------------------------------------------------------------------------------------

    /// @dev One payment attempt as the model sees it.
    struct Pay {
        address payer;
        uint64 merchantId;
        uint256 gross;
        uint8 categoryId;
        bytes32 invoiceRef;
        bytes32 id;
        address payout;
        uint16 rateBps;
        uint256 vat;
        bool recordOk;
        bool book; // payInvoice: keyed by (merchant, invoice number)
        uint64 invoiceNo;
    }

    function pay(uint256 payerSeed, uint256 merchantSeed, uint256 grossSeed, uint256 invoiceSeed) external {
        Pay memory p = _newPay(_pick(_payers, payerSeed), merchantSeed, grossSeed, invoiceSeed);
        p = _maybeAtRateChange(p, invoiceSeed);
        // Mostly the exact approval; sometimes short of it.
        uint256 approved = _rand(grossSeed, "approval") % 8 == 0 ? _amount(grossSeed >> 8, p.gross) : p.gross;
        (bool ok,) = _call(p.payer, address(token), abi.encodeCall(IERC20.approve, (address(vat), approved)));
        vm.assertTrue(ok, "approve");
        bool expected = _expectCollect(p, approved);
        (ok,) = _call(
            p.payer, address(vat), abi.encodeCall(IVatPayments.pay, (p.merchantId, p.gross, p.categoryId, p.invoiceRef))
        );
        _agree(ok, expected, "pay");
        if (ok) _afterPay(p);
    }

    function payWithPermit(uint256 payerSeed, uint256 merchantSeed, uint256 grossSeed, uint256 invoiceSeed) external {
        Pay memory p = _newPay(_pick(_users, payerSeed), merchantSeed, grossSeed, invoiceSeed);
        p = _maybeAtRateChange(p, invoiceSeed);
        bool fresh = _rand(invoiceSeed, "deadline") % 8 != 0;
        uint256 deadline = fresh ? block.timestamp + 1 hours : block.timestamp - (block.timestamp > 1 ? 1 : 0);
        if (!fresh && deadline >= block.timestamp) fresh = true; // cannot be in the past at t = 1
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(p.payer, address(vat), p.gross, deadline);
        // A failed permit is fine if the allowance is already there (e.g. someone submitted it first).
        uint256 allowance = fresh ? p.gross : token.allowance(p.payer, address(vat));
        bool expected = _expectCollect(p, allowance);
        (bool ok,) = _call(
            p.payer,
            address(vat),
            abi.encodeCall(
                IVatPayments.payWithPermit, (p.merchantId, p.gross, p.categoryId, p.invoiceRef, deadline, v, r, s)
            )
        );
        _agree(ok, expected, "payWithPermit");
        if (ok) _afterPay(p);
    }

    /// @notice An offline payment: the payer signs an EIP-3009 ReceiveWithAuthorization bound (by its nonce) to
    /// merchant, category and invoice; anyone submits it later. 1 in 8 submissions name another merchant than the
    /// one signed for: the signature must not be redirectable.
    function payWithAuthorization(
        uint256 payerSeed,
        uint256 merchantSeed,
        uint256 grossSeed,
        uint256 invoiceSeed,
        uint32 delay
    ) external {
        Pay memory p = _newPay(_pick(_users, payerSeed), merchantSeed, grossSeed, invoiceSeed);
        uint256 validAfter = block.timestamp - (block.timestamp > 60 ? 60 : 0);
        uint256 validBefore = block.timestamp + 1 days;
        bool redirected = _rand(delay, "redirect") % 8 == 0;
        uint64 submittedMerchant = redirected ? p.merchantId % MERCHANT_IDS + 1 : p.merchantId;
        bytes memory data = _offlinePayment(p, submittedMerchant, validAfter, validBefore);

        vm.warp(block.timestamp + delay % 2 days); // signed offline, submitted later (maybe too late)
        p = _repoint(p, submittedMerchant); // the time may have moved a rate change into force
        bool expected =
            !redirected && block.timestamp > validAfter && block.timestamp < validBefore && _expectAuthorizationPay(p);
        (bool ok,) = _call(_pick(_everyone, invoiceSeed), address(vat), data);
        _agree(
            ok, expected, redirected ? "payWithAuthorization redirected to another merchant" : "payWithAuthorization"
        );
        if (ok) _afterPay(p);
    }

    /// @dev The payer's signature (for merchant `p.merchantId`, bound through the nonce) and the submission's
    /// calldata naming `submittedMerchant`.
    function _offlinePayment(Pay memory p, uint64 submittedMerchant, uint256 validAfter, uint256 validBefore)
        private
        view
        returns (bytes memory)
    {
        bytes32 nonce = keccak256(abi.encode(address(vat), p.merchantId, p.categoryId, p.invoiceRef));
        (uint8 v, bytes32 r, bytes32 s) = _signAuthorization(
            token.RECEIVE_WITH_AUTHORIZATION_TYPEHASH(), p.payer, address(vat), p.gross, validAfter, validBefore, nonce
        );
        return abi.encodeCall(
            IVatPayments.payWithAuthorization,
            (p.payer, submittedMerchant, p.gross, p.categoryId, p.invoiceRef, validAfter, validBefore, v, r, s)
        );
    }

    /// @notice A payment of invoice number `invoiceSeed % 80` (three pages) of a merchant's invoice book: the number
    /// pays once, whoever pays it.
    function payInvoice(uint256 payerSeed, uint256 merchantSeed, uint256 grossSeed, uint256 invoiceSeed) external {
        Pay memory p = _newPay(_pick(_payers, payerSeed), merchantSeed, grossSeed, invoiceSeed);
        p.book = true;
        p.invoiceNo = uint64(_rand(invoiceSeed, "invoiceNo") % 80);
        p = _repoint(p, p.merchantId);
        p = _maybeAtRateChange(p, invoiceSeed);
        uint256 approved = _rand(grossSeed, "approval") % 8 == 0 ? _amount(grossSeed >> 8, p.gross) : p.gross;
        (bool ok,) = _call(p.payer, address(token), abi.encodeCall(IERC20.approve, (address(vat), approved)));
        vm.assertTrue(ok, "approve");
        bool expected = _expectCollect(p, approved);
        (ok,) = _call(
            p.payer,
            address(vat),
            abi.encodeCall(IInvoiceBooks.payInvoice, (p.merchantId, p.invoiceNo, p.gross, p.categoryId, p.invoiceRef))
        );
        _agree(ok, expected, "payInvoice");
        if (ok) _afterBookPay(p);
    }

    function _afterBookPay(Pay memory p) private {
        paid[p.id] = true;
        IInvoiceBooks.BookEntry[] storage entries = _pageEntries[_pageKey(p.merchantId, p.invoiceNo)];
        _bookPayments.push(
            BookPayment(p.merchantId, p.invoiceNo, p.payer, p.gross, p.vat, p.rateBps, 0, 0, entries.length)
        );
        entries.push(IInvoiceBooks.BookEntry(p.invoiceNo, p.payer, uint96(p.gross), p.rateBps));
        ghostVatCollected += p.vat;
        _verifyBalances(_list(p.payer, p.payout, address(vat)));
        vm.assertTrue(vat.invoicePaid(p.merchantId, p.invoiceNo), "payInvoice: invoice not marked paid");
        (, bytes32 head) = vat.bookPage(p.merchantId, p.invoiceNo);
        vm.assertEq(uint256(head), modelPageHead(p.merchantId, p.invoiceNo), "payInvoice: page chain head");
        _hit("payInvoice");
    }

    /// @notice A refund of a book payment, the record passed back in calldata; 1 in 4 pass a forged record (a larger
    /// gross, a higher rate, another payer, a later payment left out) and must be refused with nothing moved.
    function refundInvoice(uint256 paymentSeed, uint256 amountSeed, uint256 forgeSeed) external {
        if (_bookPayments.length == 0) return;
        uint256 index = paymentSeed % _bookPayments.length;
        BookPayment memory b = _bookPayments[index];
        (Refund memory r, Payment memory p) = _prepareBookRefund(b, index, amountSeed);
        Merchant memory m = modelMerchant[p.merchantId];
        (bytes memory data, bool forged) = _bookRefundCall(b, r.amount, forgeSeed);
        bool expected = forged ? false : _expectRefund(p, m, r);
        address[] memory watched =
            _list(m.payout, _recipient(p.payer), r.fromTreasury ? VatCast.treasury() : address(vat));
        (bool ok,) = _call(m.payout, address(vat), data);
        _agree(ok, expected, forged ? "refundInvoice with a forged record" : "refundInvoice");
        _verifyBalances(watched); // a forged record moves nothing; a true one moves what the model moved
        if (forged) {
            _hit("refundInvoiceForged");
            return;
        }
        if (!ok) return;
        _bookPayments[index].refunded = r.total;
        _bookPayments[index].vatRefunded += r.vatPart;
        ghostVatRefunded += r.vatPart;
        if (r.fromTreasury) ghostVatRefundedByTreasury += r.vatPart;
        vm.assertEq(vat.invoiceRefunded(b.merchantId, b.invoiceNo), r.total, "refundInvoice: refunded on record");
        _hit("refundInvoice");
    }

    /// @dev The refund attempt of book payment `b` (as {refund} draws it) and the approvals around it.
    function _prepareBookRefund(BookPayment memory b, uint256 index, uint256 amountSeed)
        private
        returns (Refund memory r, Payment memory p)
    {
        p = Payment(b.merchantId, b.payer, bytes32(0), b.gross, b.vat, b.rateBps, b.refunded, b.vatRefunded);
        address payout = modelMerchant[p.merchantId].payout;
        r.index = index;
        r.refundable = p.gross - p.refunded;
        r.amount = _rand(amountSeed, "full") % 4 == 0 ? r.refundable : _amount(amountSeed, r.refundable);
        r.total = p.refunded + r.amount;
        if (r.amount <= r.refundable) {
            r.vatPart = _vatShare(p.vat, r.total, p.gross) - _vatShare(p.vat, p.refunded, p.gross);
        }
        uint256 netPart = r.amount <= r.refundable ? r.amount - r.vatPart : 0;
        r.approved = _rand(amountSeed, "approval") % 8 == 0 ? _amount(amountSeed >> 8, netPart) : netPart;
        (bool ok,) = _call(payout, address(token), abi.encodeCall(IERC20.approve, (address(vat), r.approved)));
        vm.assertTrue(ok, "approve");
        r.fromTreasury = r.vatPart != 0 && _spendable(address(vat)) < r.vatPart;
        if (r.fromTreasury && _rand(amountSeed, "backstop") % 2 == 0) {
            (ok,) = _call(VatCast.treasury(), address(token), abi.encodeCall(IERC20.approve, (address(vat), r.vatPart)));
            vm.assertTrue(ok, "treasury approve");
        }
    }

    /// @dev The `refundInvoice` calldata for book payment `b`: its true record, or 1 in 4 times a forged one.
    function _bookRefundCall(BookPayment memory b, uint256 amount, uint256 forgeSeed)
        private
        view
        returns (bytes memory data, bool forged)
    {
        (bytes32 headBefore, IInvoiceBooks.BookEntry[] memory entries) = _bookRecord(b);
        forged = _rand(forgeSeed, "forge") % 4 == 0;
        if (forged) _forge(entries, forgeSeed);
        data = abi.encodeCall(IInvoiceBooks.refundInvoice, (b.merchantId, headBefore, entries, amount));
    }

    /// @dev What a refund of book payment `b` passes back: the page's head before it, it, and every later entry.
    function _bookRecord(BookPayment memory b)
        private
        view
        returns (bytes32 headBefore, IInvoiceBooks.BookEntry[] memory entries)
    {
        IInvoiceBooks.BookEntry[] storage page = _pageEntries[_pageKey(b.merchantId, b.invoiceNo)];
        uint256 head;
        for (uint256 i; i < b.position; ++i) {
            head = _link(head, page[i]);
        }
        headBefore = bytes32(head);
        entries = new IInvoiceBooks.BookEntry[](page.length - b.position);
        for (uint256 i; i < entries.length; ++i) {
            entries[i] = page[b.position + i];
        }
    }

    /// @dev Alters the record a refund passes back (the merchant's forgery).
    function _forge(IInvoiceBooks.BookEntry[] memory entries, uint256 seed) private view {
        uint256 how = _rand(seed, "how") % 4;
        if (how == 0) entries[0].gross += 1 + uint96(seed % 1_000_00);
        else if (how == 1) entries[0].rateBps = entries[0].rateBps == 10_000 ? 0 : entries[0].rateBps + 1;
        else if (how == 2) entries[0].payer = _pick(_payers, seed) == entries[0].payer ? address(this) : _pick(_payers, seed);
        else if (entries.length > 1) {
            assembly ("memory-safe") {
                mstore(entries, sub(mload(entries), 1)) // the last later payment left out
            }
        } else {
            entries[0].invoiceNo ^= 1; // another invoice number of the page
        }
    }

    function _link(uint256 head, IInvoiceBooks.BookEntry memory e) private pure returns (uint256) {
        return uint224(uint256(keccak256(abi.encode(head, e.invoiceNo, e.payer, uint256(e.gross), uint256(e.rateBps)))));
    }

    function _pageKey(uint64 merchantId, uint64 invoiceNo) private pure returns (uint256) {
        return (uint256(merchantId) << 64) | (invoiceNo >> 5);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Refunds, escrow and treasury
    // ---------------------------------------------------------------------------------------------------------

    /// @dev One refund attempt as the model sees it.
    struct Refund {
        uint256 index;
        uint256 amount;
        uint256 refundable;
        uint256 total;
        uint256 vatPart;
        uint256 approved;
        bool fromTreasury;
    }

    function refund(uint256 paymentSeed, uint256 amountSeed) external {
        if (_payments.length == 0) return;
        Refund memory r;
        r.index = paymentSeed % _payments.length;
        Payment memory p = _payments[r.index];
        Merchant memory m = modelMerchant[p.merchantId];
        r.refundable = p.gross - p.refunded;
        r.amount = _rand(amountSeed, "full") % 4 == 0 ? r.refundable : _amount(amountSeed, r.refundable);
        r.total = p.refunded + r.amount;
        if (r.amount <= r.refundable) {
            r.vatPart = _vatShare(p.vat, r.total, p.gross) - _vatShare(p.vat, p.refunded, p.gross);
        }
        uint256 netPart = r.amount <= r.refundable ? r.amount - r.vatPart : 0;

        // The merchant approves the net part (mostly).
        r.approved = _rand(amountSeed, "approval") % 8 == 0 ? _amount(amountSeed >> 8, netPart) : netPart;
        (bool ok,) = _call(m.payout, address(token), abi.encodeCall(IERC20.approve, (address(vat), r.approved)));
        vm.assertTrue(ok, "approve");

        // The escrow funds the VAT part only from what it can spend (compliance may have frozen part of it).
        r.fromTreasury = r.vatPart != 0 && _spendable(address(vat)) < r.vatPart;
        if (r.fromTreasury && _rand(amountSeed, "backstop") % 2 == 0) {
            // The treasury's backstop is there (as the tax authority arranges it) half the time.
            (ok,) = _call(VatCast.treasury(), address(token), abi.encodeCall(IERC20.approve, (address(vat), r.vatPart)));
            vm.assertTrue(ok, "treasury approve");
        }
        bool expected = _expectRefund(p, m, r);
        (ok,) = _call(
            m.payout, address(vat), abi.encodeCall(IVatPayments.refund, (p.merchantId, p.payer, p.invoiceRef, r.amount))
        );
        _agree(ok, expected, "refund");
        if (ok) _afterRefund(p, m, r);
    }

    function _afterRefund(Payment memory p, Merchant memory m, Refund memory r) private {
        _payments[r.index].refunded = r.total;
        _payments[r.index].vatRefunded += r.vatPart;
        ghostVatRefunded += r.vatPart;
        if (r.fromTreasury) ghostVatRefundedByTreasury += r.vatPart;
        // The refund reached the payer - or, after a wallet recovery, the recovered wallet.
        _verifyBalances(_list(m.payout, _recipient(p.payer), r.fromTreasury ? VatCast.treasury() : address(vat)));
        (,,, uint256 refunded) = vat.payment(_paymentId(p.merchantId, p.payer, p.invoiceRef));
        vm.assertEq(refunded, r.total, "refund: refunded amount on record");
        _hit("refund");
    }

    function withdrawVat(uint256 amountSeed) external {
        uint256 escrow = _spendable(address(vat)); // a frozen part of the escrow cannot be withdrawn
        uint256 available = escrow > modelVatReserve ? escrow - modelVatReserve : 0;
        vm.assertEq(vat.withdrawableVat(), available, "withdrawableVat must count only the spendable escrow");
        uint256 amount = _amount(amountSeed, available);
        bool expected = !modelVatPaused && amount != 0 && amount <= available && !modelPaused
            && _modelMove(address(vat), VatCast.treasury(), amount);
        (bool ok,) =
            _call(VatCast.treasury(), address(vat), abi.encodeCall(IVatPayments.withdrawVat, (amount, "2026-Q1")));
        _agree(ok, expected, "withdrawVat (never below the reserve, never the frozen part)");
        if (!ok) return;
        ghostVatWithdrawn += amount;
        _verifyBalances(_list(address(vat), VatCast.treasury()));
        _hit("withdrawVat");
    }

    function setVatReserve(uint256 amountSeed) external {
        uint256 reserve = _rand(amountSeed, "none") % 2 == 0 ? 0 : _amount(amountSeed, _model[address(vat)].balance);
        (bool ok,) = _call(VatCast.taxAuthority(), address(vat), abi.encodeCall(IVatPayments.setVatReserve, (reserve)));
        _agree(ok, true, "setVatReserve by the tax authority");
        modelVatReserve = reserve;
        _hit("setVatReserve");
    }

    /// @notice The treasury's allowance to the VAT contract: the backstop for refunds of VAT already withdrawn.
    function treasuryApprove(uint256 amountSeed) external {
        uint256 amount = _amount(amountSeed, _model[VatCast.treasury()].balance);
        (bool ok,) = _call(VatCast.treasury(), address(token), abi.encodeCall(IERC20.approve, (address(vat), amount)));
        vm.assertTrue(ok, "treasury approve");
        _hit("treasuryApprove");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Rates and merchants
    // ---------------------------------------------------------------------------------------------------------

    function scheduleRate(uint8 categorySeed, uint16 rateSeed, uint32 delay) external {
        uint8 c = uint8(categorySeed % (CATEGORIES + 1)); // 0 is invalid
        uint16 rate = _rand(rateSeed, "high") % 16 == 0 ? uint16(10_000 + rateSeed % 100) : uint16(rateSeed % 3_000);
        uint64 from = _rand(delay, "now") % 3 == 0
            ? uint64(block.timestamp - (block.timestamp > 5 ? 5 : 0))
            : uint64(block.timestamp + delay % 30 days);
        Schedule memory s = _matured(_schedule[c]);
        bool expected = c != 0 && rate <= 10_000 && (from <= block.timestamp || !s.hasNext);
        (bool ok,) =
            _call(VatCast.taxAuthority(), address(vat), abi.encodeCall(IVatRateSchedule.scheduleRate, (c, rate, from)));
        _agree(ok, expected, "scheduleRate");
        if (!ok) return;
        if (from <= block.timestamp) (s.hasCurrent, s.currentBps) = (true, rate);
        else (s.hasNext, s.nextBps, s.nextFrom) = (true, rate, from);
        _schedule[c] = s;
        _hit("scheduleRate");
    }

    function cancelRateChange(uint8 categorySeed) external {
        uint8 c = uint8(categorySeed % (CATEGORIES + 1));
        Schedule memory s = _matured(_schedule[c]);
        (bool ok,) = _call(VatCast.taxAuthority(), address(vat), abi.encodeCall(IVatRateSchedule.cancelRateChange, (c)));
        _agree(ok, s.hasNext, "cancelRateChange");
        if (!ok) return;
        (s.hasNext, s.nextBps, s.nextFrom) = (false, 0, 0);
        _schedule[c] = s;
        _hit("cancelRateChange");
    }

    /// @notice Registers (if new) or updates a merchant, by the registrar or the tax authority.
    function registerOrUpdateMerchant(uint64 idSeed, uint256 payoutSeed, uint8 categorySeed) external {
        uint64 id = uint64(1 + idSeed % MERCHANT_IDS);
        address payout = _rand(payoutSeed, "zero") % 16 == 0 ? address(0) : _pick(_payers, payoutSeed);
        bool vatRegistered = _rand(payoutSeed, "vat") % 4 != 0;
        uint8 c = uint8(categorySeed % (CATEGORIES + 1));
        Merchant storage m = modelMerchant[id];
        bool expected =
            payout != address(0) && payout != address(vat) && (!vatRegistered || (c != 0 && _categoryExists(c)));
        bytes memory data = m.registered
            ? abi.encodeCall(IMerchantRegistry.updateMerchant, (id, payout, vatRegistered, c))
            : abi.encodeCall(IMerchantRegistry.registerMerchant, (id, payout, vatRegistered, c));
        address caller = _rand(idSeed, "who") % 4 == 0 ? VatCast.taxAuthority() : VatCast.registrar();
        (bool ok,) = _call(caller, address(vat), data);
        _agree(ok, expected, m.registered ? "updateMerchant" : "registerMerchant");
        if (!ok) return;
        _hit(m.registered ? bytes32("updateMerchant") : bytes32("registerMerchant"));
        if (!m.registered) (m.registered, m.active) = (true, true);
        (m.payout, m.vatRegistered, m.defaultCategory) = (payout, vatRegistered, c);
    }

    /// @notice The registrar (or the tax authority) sets the categories a merchant may be paid under besides its
    /// default: a random subset of 1..5, now and then with 0 or a category never scheduled (refused).
    function setMerchantCategories(uint64 idSeed, uint256 setSeed) external {
        uint64 id = uint64(1 + idSeed % MERCHANT_IDS);
        uint256 n = setSeed % 4;
        uint8[] memory categories = new uint8[](n);
        uint256 bits;
        bool expected = modelMerchant[id].registered;
        for (uint256 i; i < n; ++i) {
            uint8 c = uint8(_rand(setSeed, bytes32(i)) % (CATEGORIES + 2)); // 0 and 6 (never scheduled) included
            categories[i] = c;
            bits |= uint256(1) << c;
            if (c == 0 || !_categoryExists(c)) expected = false;
        }
        address caller = _rand(idSeed, "who") % 4 == 0 ? VatCast.taxAuthority() : VatCast.registrar();
        (bool ok,) = _call(
            caller, address(vat), abi.encodeCall(IMerchantRegistry.setMerchantCategories, (id, categories))
        );
        _agree(ok, expected, "setMerchantCategories (scheduled categories of a registered merchant)");
        if (!ok) return;
        modelOtherCategories[id] = bits;
        _hit("setMerchantCategories");
    }

    function setMerchantActive(uint64 idSeed) external {
        uint64 id = uint64(1 + idSeed % MERCHANT_IDS);
        bool active = _rand(idSeed, "active") % 4 != 0;
        (bool ok,) =
            _call(VatCast.registrar(), address(vat), abi.encodeCall(IMerchantRegistry.setMerchantActive, (id, active)));
        _agree(ok, modelMerchant[id].registered, "setMerchantActive");
        if (!ok) return;
        modelMerchant[id].active = active;
        _hit("setMerchantActive");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Pauses, token rules, time
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Pauses (1 in 6) or unpauses VAT payments; either reverts when already so.
    function setVatPaused(uint8 seed) external {
        bool pause = _rand(seed, "pause") % 6 == 0;
        bytes memory data = pause ? abi.encodeCall(IVatPayments.pause, ()) : abi.encodeCall(IVatPayments.unpause, ());
        (bool ok,) = _call(VatCast.pauser(), address(vat), data);
        _agree(ok, pause != modelVatPaused, "VAT pause/unpause");
        if (ok) modelVatPaused = pause;
    }

    /// @notice The token's own pause (1 in 6) or unpause: payments and refunds stop with the token's error.
    function setTokenPaused(uint8 seed) external {
        bool pause = _rand(seed, "tokenPause") % 6 == 0;
        bytes memory data = pause ? abi.encodeCall(IDigitalTenge.pause, ()) : abi.encodeCall(IDigitalTenge.unpause, ());
        (bool ok,) = _call(Cast.pauser(), address(token), data);
        _agree(ok, pause != modelPaused, "token pause/unpause");
        if (ok) modelPaused = pause;
    }

    /// @notice Compliance freezes (1 in 5) or unfreezes a payer or merchant: a frozen merchant cannot be paid.
    function freeze(uint256 accountSeed) external {
        address account = _pick(_users, accountSeed);
        bool on = _rand(accountSeed, "freeze") % 5 == 0;
        bytes memory data =
            on ? abi.encodeCall(IDigitalTenge.freeze, (account)) : abi.encodeCall(IDigitalTenge.unfreeze, (account));
        (bool ok,) = _call(Cast.compliance(), address(token), data);
        _agree(ok, true, "freeze/unfreeze");
        _model[account].wholly = on;
    }

    /// @notice Compliance freezes part of the VAT escrow (1 in 3), releases it (1 in 3), or freezes (1 in 8) /
    /// unfreezes the VAT contract wholly: refunds then draw on the treasury, withdrawals see only the spendable
    /// part, and a wholly frozen VAT contract can neither receive VAT nor spend payers' or merchants' allowances.
    function freezeEscrow(uint256 seed) external {
        Account storage e = _model[address(vat)];
        uint256 mode = _rand(seed, "escrowFreeze") % 8; // 0: whole (on 1 in 4 of these), 1-2: freeze part, else release
        mode = mode == 0 ? 0 : (mode < 3 ? 1 : 2);
        bytes memory data;
        if (mode == 0) {
            bool on = _rand(seed, "whole") % 4 == 0;
            data = on
                ? abi.encodeCall(IDigitalTenge.freeze, (address(vat)))
                : abi.encodeCall(IDigitalTenge.unfreeze, (address(vat)));
            e.wholly = on;
        } else if (mode == 1) {
            // Half the time all that is still spendable: refunds must then turn to the treasury.
            uint256 spendable = e.balance > e.frozen ? e.balance - e.frozen : 0;
            uint256 amount = _rand(seed, "all") % 2 == 0 ? spendable : _amount(seed >> 8, e.balance / 2);
            if (amount > MAX_AMOUNT - e.frozen) amount = MAX_AMOUNT - e.frozen;
            data = abi.encodeCall(IDigitalTenge.freezeAmount, (address(vat), amount));
            e.frozen += amount;
        } else {
            uint256 amount = _amount(seed >> 8, e.frozen);
            if (amount > e.frozen) amount = e.frozen;
            data = abi.encodeCall(IDigitalTenge.unfreezeAmount, (address(vat), amount));
            e.frozen -= amount;
        }
        (bool ok,) = _call(Cast.compliance(), address(token), data);
        _agree(ok, true, "escrow freeze / unfreeze by compliance");
        vm.assertEq(vat.spendableEscrow(), _spendable(address(vat)), "spendableEscrow");
        _hit("freezeEscrow");
    }

    /// @notice Compliance recovers a payer's lost wallet to an empty, approved spare (while one is left): its
    /// holdings move there, the token records it, and refunds of the lost wallet's payments must reach the spare.
    function recoverPayer(uint256 lostSeed) external {
        if (_rand(lostSeed, "recover") % 4 != 0) return; // rare: a lost key is an exception
        uint256 index = lostSeed % _users.length;
        address lost = _users[index];
        address fresh;
        for (uint256 i; i < _spares.length; ++i) {
            Account storage c = _model[_spares[i]];
            if (_spares[i] != lost && c.tier != 0 && c.balance == 0 && c.frozen == 0 && !c.wholly) {
                fresh = _spares[i];
                break;
            }
        }
        if (fresh == address(0)) return;
        (bool ok,) =
            _call(Cast.compliance(), address(token), abi.encodeCall(IDigitalTenge.recover, (lost, fresh, "LOST KEY")));
        _agree(ok, true, "recover a payer's wallet");
        _model[fresh] = _model[lost];
        delete _model[lost];
        modelRecoveredTo[lost] = fresh;
        delete modelRecoveredTo[fresh];
        // The recovered wallet pays (and signs) from now on, in the lost one's place.
        _users[index] = fresh;
        for (uint256 i; i < _payers.length; ++i) {
            if (_payers[i] == lost) _payers[i] = fresh;
        }
        _verifyBalances(_list(lost, fresh));
        vm.assertEq(token.recoveredTo(lost), fresh, "recoveredTo");
        _hit("recoverPayer");
    }

    /// @notice A bank pays a user out (money keeps flowing into the payers' wallets).
    function topUp(uint256 userSeed, uint256 amountSeed) external {
        address user = _pick(_users, userSeed);
        uint256 amount = _amount(amountSeed, _headroom(user));
        bool expected = !modelPaused && _creditOk(user, amount);
        if (expected) {
            _credit(user, amount);
            ghostIssued += amount;
        }
        (bool ok,) = _call(Cast.bank(0), address(token), abi.encodeCall(IDigitalTenge.mint, (user, amount)));
        _agree(ok, expected, "mint (top-up)");
        if (ok) _verifyBalances(_list(user));
    }

    function warp(uint32 secondsAhead) external {
        vm.warp(block.timestamp + secondsAhead % 10 days);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Access control: every privileged function, called by an account without its role
    // ---------------------------------------------------------------------------------------------------------

    uint256 public constant PRIVILEGED_FUNCTIONS = 15;

    function strangerCallsPrivileged(uint256 fnSeed, uint256 callerSeed, uint256 amount) external {
        address caller = _rand(callerSeed, "outsider") % 4 == 0
            ? address(uint160(_rand(callerSeed, "address")))
            : _pick(_everyone, callerSeed);
        if (caller == address(0)) caller = address(0xdead);
        amount = amount % 1_000_000_00;
        uint256 row = fnSeed % PRIVILEGED_FUNCTIONS;
        (bytes memory data, bytes memory expected, bool allowed, string memory what) = _privileged(row, caller, amount);
        if (allowed) return; // the right role: not this check's business
        _assertDenied(address(vat), caller, data, expected, what);
    }

    /// @dev Row `row` of the VAT contract's access-control table: the call, the error a caller without the role
    /// gets, and whether `caller` has the role after all.
    function _privileged(uint256 row, address caller, uint256 amount)
        private
        view
        returns (bytes memory data, bytes memory expected, bool allowed, string memory what)
    {
        if (row < 5) return _taxAuthorityRow(row, caller, amount);
        if (row < 8 || row == 14) return _registrarRow(row, caller);
        return _otherRow(row, caller, amount);
    }

    function _taxAuthorityRow(uint256 row, address caller, uint256 amount)
        private
        view
        returns (bytes memory data, bytes memory expected, bool allowed, string memory what)
    {
        bytes32 tax = vat.TAX_AUTHORITY_ROLE();
        (expected, allowed) = (_unauthorized(caller, tax), _has(tax, caller));
        if (row == 0) {
            return (abi.encodeCall(IVatRateSchedule.scheduleRate, (1, 0, 0)), expected, allowed, "scheduleRate");
        }
        if (row == 1) {
            return (abi.encodeCall(IVatRateSchedule.cancelRateChange, (1)), expected, allowed, "cancelRateChange");
        }
        if (row == 2) {
            return (abi.encodeCall(IVatRateSchedule.labelCategory, (1, "x")), expected, allowed, "labelCategory");
        }
        if (row == 3) return (abi.encodeCall(IVatPayments.setTreasury, (caller)), expected, allowed, "setTreasury");
        return (abi.encodeCall(IVatPayments.setVatReserve, (amount)), expected, allowed, "setVatReserve");
    }

    /// @dev The registry accepts REGISTRAR_ROLE or TAX_AUTHORITY_ROLE and names REGISTRAR_ROLE when refusing.
    function _registrarRow(uint256 row, address caller)
        private
        view
        returns (bytes memory data, bytes memory expected, bool allowed, string memory what)
    {
        bytes32 registrarRole = vat.REGISTRAR_ROLE();
        expected = _unauthorized(caller, registrarRole);
        allowed = _has(registrarRole, caller) || _has(vat.TAX_AUTHORITY_ROLE(), caller);
        if (row == 5) {
            return (
                abi.encodeCall(IMerchantRegistry.registerMerchant, (99, caller, false, 0)),
                expected,
                allowed,
                "registerMerchant"
            );
        }
        if (row == 6) {
            return (
                abi.encodeCall(IMerchantRegistry.updateMerchant, (1, caller, false, 0)),
                expected,
                allowed,
                "updateMerchant"
            );
        }
        if (row == 14) {
            return (
                abi.encodeCall(IMerchantRegistry.setMerchantCategories, (1, new uint8[](0))),
                expected,
                allowed,
                "setMerchantCategories"
            );
        }
        return (abi.encodeCall(IMerchantRegistry.setMerchantActive, (1, false)), expected, allowed, "setMerchantActive");
    }

    function _otherRow(uint256 row, address caller, uint256 amount)
        private
        view
        returns (bytes memory data, bytes memory expected, bool allowed, string memory what)
    {
        if (row == 8 || row == 9) {
            bytes32 pauserRole = vat.PAUSER_ROLE();
            (expected, allowed) = (_unauthorized(caller, pauserRole), _has(pauserRole, caller));
            if (row == 8) return (abi.encodeCall(IVatPayments.pause, ()), expected, allowed, "pause");
            return (abi.encodeCall(IVatPayments.unpause, ()), expected, allowed, "unpause");
        }
        bytes memory paused = abi.encodeWithSelector(IVatPayments.PaymentsPaused.selector);
        if (row == 10) {
            // Refunds start only from the merchant's payout address (the pause is checked first).
            return (
                abi.encodeCall(IVatPayments.refund, (1, Cast.user(0), bytes32(uint256(1)), 1)),
                modelVatPaused
                    ? paused
                    : abi.encodeWithSelector(IVatPayments.NotMerchantPayout.selector, uint64(1), caller),
                caller == modelMerchant[1].payout,
                "refund"
            );
        }
        if (row == 11) {
            return (
                abi.encodeCall(IVatPayments.withdrawVat, (amount, "X")),
                modelVatPaused ? paused : abi.encodeWithSelector(IVatPayments.NotTreasury.selector, caller),
                caller == VatCast.treasury(),
                "withdrawVat"
            );
        }
        if (row == 12) {
            // REGISTRAR_ROLE is administered by the tax authority.
            bytes32 tax = vat.TAX_AUTHORITY_ROLE();
            return (
                abi.encodeWithSignature("grantRole(bytes32,address)", vat.REGISTRAR_ROLE(), caller),
                _unauthorized(caller, tax),
                _has(tax, caller),
                "grantRole(REGISTRAR_ROLE)"
            );
        }
        return (
            abi.encodeWithSignature("beginDefaultAdminTransfer(address)", caller),
            _unauthorized(caller, bytes32(0)),
            _has(bytes32(0), caller),
            "beginDefaultAdminTransfer"
        );
    }

    // ---------------------------------------------------------------------------------------------------------
    // The model of the VAT contract
    // ---------------------------------------------------------------------------------------------------------

    /// @dev A payment attempt: merchant and category among the known ones (sometimes unknown), a gross mostly
    /// within what the payer can spend, an invoice from a small space (so repeats happen).
    function _newPay(address payer, uint256 merchantSeed, uint256 grossSeed, uint256 invoiceSeed)
        private
        view
        returns (Pay memory p)
    {
        p.payer = payer;
        p.merchantId = uint64(1 + merchantSeed % MERCHANT_IDS);
        p.categoryId = _rand(merchantSeed, "category") % 4 != 0 ? 0 : uint8(merchantSeed % (CATEGORIES + 1));
        // A named category is mostly one the merchant may use (its default or an allowed one); else any: refused.
        if (p.categoryId != 0 && _rand(merchantSeed, "allowed") % 4 != 0) {
            p.categoryId = _anAllowedCategory(p.merchantId, merchantSeed);
        }
        uint256 spendable = _spendable(payer);
        p.gross = _amount(grossSeed, spendable < 5_000_000_00 ? spendable : 5_000_000_00);
        p.invoiceRef = bytes32(invoiceSeed % 256);
        return _repoint(p, p.merchantId);
    }

    /// @dev The merchant's default category or one of the others the registrar allowed it (the default if none).
    function _anAllowedCategory(uint64 merchantId, uint256 seed) private view returns (uint8) {
        uint256 bits = modelOtherCategories[merchantId];
        uint8 c = uint8(1 + _rand(seed, "which") % CATEGORIES);
        return bits & (uint256(1) << c) != 0 ? c : modelMerchant[merchantId].defaultCategory;
    }

    /// @dev Fills in what the record step decides for merchant `merchantId`: id, payout, rate, VAT, and whether
    /// the contract's own checks (merchant, amount, invoice, category, duplicate) pass.
    function _repoint(Pay memory p, uint64 merchantId) private view returns (Pay memory) {
        Merchant memory m = modelMerchant[merchantId];
        p.payout = m.payout;
        p.id = p.book ? vat.bookPaymentId(merchantId, p.invoiceNo) : _paymentId(merchantId, p.payer, p.invoiceRef);
        // Only the default or a category the registrar allowed this merchant (the payer does not choose).
        bool allowed = p.categoryId == 0 || p.categoryId == m.defaultCategory
            || modelOtherCategories[merchantId] & (uint256(1) << p.categoryId) != 0;
        uint8 applied = p.categoryId == 0 ? m.defaultCategory : p.categoryId;
        bool rateKnown = true;
        p.rateBps = 0;
        if (m.vatRegistered) (rateKnown, p.rateBps) = _rateInForce(applied);
        p.vat = _vatFromGross(p.gross, p.rateBps);
        p.recordOk = m.registered && m.active && p.gross != 0 && p.gross <= MAX_AMOUNT && p.invoiceRef != 0 && allowed
            && rateKnown && !paid[p.id];
        return p;
    }

    /// @dev 1 in 6 payments are made at the exact second their category's pending rate takes effect (the new
    /// rate applies from that second on; the model and the contract must agree on the boundary).
    function _maybeAtRateChange(Pay memory p, uint256 seed) private returns (Pay memory) {
        if (_rand(seed, "atRateChange") % 6 != 0) return p;
        uint8 applied = p.categoryId == 0 ? modelMerchant[p.merchantId].defaultCategory : p.categoryId;
        Schedule storage s = _schedule[applied];
        if (!s.hasNext || s.nextFrom <= block.timestamp) return p;
        vm.warp(s.nextFrom);
        _hit("payAtRateChange");
        return _repoint(p, p.merchantId);
    }

    /// @dev Must {pay} / {payWithPermit} succeed with `allowance`? Applies the token movements to the model if so:
    /// one allowance spend of the gross, then net to the merchant and VAT to the escrow (a plain transferFrom
    /// when there is no VAT).
    function _expectCollect(Pay memory p, uint256 allowance) private returns (bool) {
        // The VAT contract spends the payer's allowance: it must itself be approved and not wholly frozen.
        if (modelVatPaused || !p.recordOk || modelPaused || allowance < p.gross || !_spenderOk(address(vat))) {
            return false;
        }
        address[] memory touched = _list(p.payer, p.payout, address(vat));
        Account[] memory saved = _save(touched);
        bool ok = p.vat == 0
            ? _modelMove(p.payer, p.payout, p.gross)
            : _modelSplit(p.payer, p.payout, p.gross - p.vat, address(vat), p.vat);
        if (!ok) _restore(touched, saved);
        return ok;
    }

    /// @dev Must {payWithAuthorization} succeed (window aside)? Gross from the payer into the escrow, then the net
    /// share on to the merchant.
    function _expectAuthorizationPay(Pay memory p) private returns (bool) {
        if (modelVatPaused || !p.recordOk || modelPaused) return false;
        address[] memory touched = _list(p.payer, p.payout, address(vat));
        Account[] memory saved = _save(touched);
        bool ok = _modelMove(p.payer, address(vat), p.gross);
        if (ok && p.gross != p.vat) ok = _modelMove(address(vat), p.payout, p.gross - p.vat);
        if (!ok) _restore(touched, saved);
        return ok;
    }

    /// @dev After a payment went through: the record, the split, and the receipt's properties.
    function _afterPay(Pay memory p) private {
        paid[p.id] = true;
        _payments.push(Payment(p.merchantId, p.payer, p.invoiceRef, p.gross, p.vat, p.rateBps, 0, 0));
        ghostVatCollected += p.vat;
        _verifyBalances(_list(p.payer, p.payout, address(vat)));
        (uint256 gross, uint256 vatOnRecord, uint16 rateBps, uint256 refunded) = vat.payment(p.id);
        vm.assertEq(gross, p.gross, "payment: gross on record");
        vm.assertEq(vatOnRecord, p.vat, "payment: VAT on record differs from the documented rounding");
        vm.assertTrue(rateBps == p.rateBps && refunded == 0, "payment: rate on record");
        // Within half a tiyn of the exact VAT: |vat * (10000 + r) - gross * r| <= (10000 + r) / 2.
        uint256 d = 10_000 + uint256(p.rateBps);
        uint256 a = p.vat * d;
        uint256 b = p.gross * p.rateBps;
        vm.assertLe(2 * (a > b ? a - b : b - a), d, "VAT not within half a tiyn of the exact value");
        vm.assertLe(p.vat, p.gross, "VAT above the gross");
        _hit("pay");
    }

    function _expectRefund(Payment memory p, Merchant memory m, Refund memory r) private returns (bool) {
        if (modelVatPaused || !m.registered || r.amount == 0 || r.amount > r.refundable) return false;
        if (r.fromTreasury && token.allowance(VatCast.treasury(), address(vat)) < r.vatPart) return false; // unfunded
        if (modelPaused) return false;
        address source = r.fromTreasury ? VatCast.treasury() : address(vat);
        address[] memory touched = _list(m.payout, _recipient(p.payer), source);
        Account[] memory saved = _save(touched);
        bool ok = true;
        uint256 netPart = r.amount - r.vatPart;
        address recipient = _recipient(p.payer); // the wallet a recovered payer's holdings went to
        // Both legs through an allowance (merchant's net part, the treasury's backstop) have the VAT contract as
        // the spender: a wholly frozen VAT contract moves nobody's money.
        if (netPart != 0) ok = r.approved >= netPart && _spenderOk(address(vat)) && _modelMove(m.payout, recipient, netPart);
        if (ok && r.vatPart != 0) {
            ok = (!r.fromTreasury || _spenderOk(address(vat))) && _modelMove(source, recipient, r.vatPart);
        }
        if (!ok) _restore(touched, saved);
        return ok;
    }

    function _rateInForce(uint8 c) private view returns (bool known, uint16 rateBps) {
        Schedule storage s = _schedule[c];
        if (s.hasNext && block.timestamp >= s.nextFrom) return (true, s.nextBps);
        if (s.hasCurrent) return (true, s.currentBps);
        return (false, 0);
    }

    function _categoryExists(uint8 c) private view returns (bool) {
        return _schedule[c].hasCurrent || _schedule[c].hasNext;
    }

    function _matured(Schedule memory s) private view returns (Schedule memory) {
        if (s.hasNext && block.timestamp >= s.nextFrom) {
            (s.hasCurrent, s.currentBps) = (true, s.nextBps);
            (s.hasNext, s.nextBps, s.nextFrom) = (false, 0, 0);
        }
        return s;
    }

    /// @dev The documented rounding: round half up, in tiyn.
    function _vatFromGross(uint256 gross, uint256 rateBps) private pure returns (uint256) {
        uint256 d = 10_000 + rateBps;
        return (2 * gross * rateBps + d) / (2 * d);
    }

    function _vatShare(uint256 vatAmount, uint256 part, uint256 gross) private pure returns (uint256) {
        return (2 * part * vatAmount + gross) / (2 * gross);
    }

    function _paymentId(uint64 merchantId, address payer, bytes32 invoiceRef) private pure returns (bytes32) {
        return keccak256(abi.encode(merchantId, payer, invoiceRef));
    }

    /// @dev Who receives a refund owed to `payer`: the wallet its holdings were last recovered to, else itself.
    function _recipient(address payer) private view returns (address) {
        for (address next = modelRecoveredTo[payer]; next != address(0); next = modelRecoveredTo[next]) {
            payer = next;
        }
        return payer;
    }

    function _has(bytes32 role, address account) private view returns (bool) {
        return IAccessControl(address(vat)).hasRole(role, account);
    }
}
