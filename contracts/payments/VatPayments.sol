// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IDigitalTenge} from "../interfaces/IDigitalTenge.sol";
import {IVatPayments} from "./IVatPayments.sol";
import {IInvoiceBooks} from "./IInvoiceBooks.sol";
import {InvoiceBooks} from "./InvoiceBooks.sol";
import {MerchantRegistry} from "./MerchantRegistry.sol";
import {VatMath} from "./VatMath.sol";

/**
 * @title VatPayments
 * @notice VAT collected by smart contract at the moment of payment: rate schedule ({VatRateSchedule}), merchant
 * registry ({MerchantRegistry}), payments, refunds and the VAT escrow. See {IVatPayments} for the design.
 *
 * Not upgradeable, on purpose: every payment calls this contract, and a proxy would add a cold implementation
 * account and the implementation slot (about 4 700 gas) to each; the token address is an immutable (no SLOAD).
 * A successor is deployed beside it: the old one keeps its escrow, its payment records and its refunds working,
 * and the registry and schedule are replayed from events.
 *
 * Gas: a payment reads the merchant (1 slot), the *hot word* of {VatRateSchedule} (1 slot: the pause flag and the
 * schedules of categories 1 and 2; another category reads its own schedule slot too) and its payment record (1 slot),
 * writes that record into a new slot (22 100 gas with its cold read: the price of invoice idempotency and of refund
 * limits checked on chain per payment), emits {Paid} and makes one token call (`transferFromWithFee`: payer ->
 * merchant net, payer -> escrow VAT, one allowance spend). `tenge bench gas` (anvil 1.7.1, the proxied DigitalTenge,
 * existing holders, a finite allowance, all checks live): 91 810 gas. Of that, 21 996 is the transaction's intrinsic
 * cost and 36 556 the token call, so no payment that writes a new slot per payment can cost less than 80 652 here.
 *
 * Storage: the payment record is one packed word and the rate schedules are packed words (see {VatRateSchedule});
 * a contract with the earlier layout (a `Payment` struct, one `Schedule` struct per category, OpenZeppelin's pause
 * slot) is not upgraded in place - as above, the new code is deployed as a successor.
 *
 * Roles: DEFAULT_ADMIN_ROLE (two-step, delayed hand-over; grants the others), TAX_AUTHORITY_ROLE (rates, treasury,
 * reserve, merchants; admin of REGISTRAR_ROLE), REGISTRAR_ROLE (merchants), PAUSER_ROLE.
 *
 * No reentrancy guard: the only external contract called is the immutable DigitalTenge, which has no hooks
 * into recipients, and every function writes its state before calling it.
 */
contract VatPayments is MerchantRegistry, InvoiceBooks, Pausable, IVatPayments {
    /// @inheritdoc IVatPayments
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /**
     * @dev The one storage slot per payment, keyed by the payment id (which commits to merchant, payer and
     * invoice), kept as one word ({Record}) so a payment reads it once (cold) and writes it once, no read-modify-write:
     *
     *   bits   0..95   gross     uint96  (non-zero: a payment exists; zero payments are rejected)
     *   bits  96..191  refunded  uint96  (cumulative, <= gross)
     *   bits 192..207  rateBps   uint16  (the rate applied; the VAT is recomputed from gross and rate by {VatMath})
     *   bits 208..255  zero
     */
    uint256 private constant RECORD_AMOUNT_MASK = type(uint96).max;
    uint256 private constant RECORD_REFUNDED_SHIFT = 96;
    uint256 private constant RECORD_RATE_SHIFT = 192;

    /// @inheritdoc IVatPayments
    IDigitalTenge public immutable token;

    /// @inheritdoc IVatPayments
    address public treasury;

    /// @inheritdoc IVatPayments
    uint256 public vatReserve;

    /// @dev A payment record word, wrapped in a struct so a payment keeps a storage pointer and hashes its key once
    /// for the read and the write (a bare `mapping(bytes32 => uint256)` is hashed again on the write).
    struct Record {
        uint256 word;
    }

    mapping(bytes32 paymentId => Record) private _payments;

    /**
     * @param token_ The DigitalTenge (proxy) address. This contract must be KYC-approved on an uncapped tier there.
     * @param initialAdminDelay Delay of a DEFAULT_ADMIN_ROLE hand-over (see AccessControlDefaultAdminRules).
     * @param initialAdmin The first DEFAULT_ADMIN_ROLE holder.
     */
    constructor(IDigitalTenge token_, uint48 initialAdminDelay, address initialAdmin)
        AccessControlDefaultAdminRules(initialAdminDelay, initialAdmin)
    {
        if (address(token_) == address(0)) revert InvalidToken(address(token_));
        token = token_;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Paying
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IVatPayments
    function pay(uint64 merchantId, uint256 gross, uint8 categoryId, bytes32 invoiceRef)
        external
        whenNotPaused
        returns (bytes32 id)
    {
        address payer = _msgSender();
        address payout;
        uint256 vat;
        (id, payout, vat) = _record(merchantId, payer, gross, categoryId, invoiceRef);
        _collect(payer, payout, gross, vat);
    }

    /// @inheritdoc IVatPayments
    function payWithPermit(
        uint64 merchantId,
        uint256 gross,
        uint8 categoryId,
        bytes32 invoiceRef,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused returns (bytes32 id) {
        address payer = _msgSender();
        address payout;
        uint256 vat;
        (id, payout, vat) = _record(merchantId, payer, gross, categoryId, invoiceRef);
        try token.permit(payer, address(this), gross, deadline, v, r, s) {}
        catch (bytes memory reason) {
            // Someone may have submitted this permit first (it is public in the mempool): that is harmless as
            // long as the allowance is there. Otherwise re-raise the token's own error (e.g. an invalid signer).
            if (token.allowance(payer, address(this)) < gross) _revertWith(reason);
        }
        _collect(payer, payout, gross, vat);
    }

    /// @inheritdoc IVatPayments
    function payWithAuthorization(
        address payer,
        uint64 merchantId,
        uint256 gross,
        uint8 categoryId,
        bytes32 invoiceRef,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external whenNotPaused returns (bytes32 id) {
        bytes32 nonce = authorizationNonce(merchantId, categoryId, invoiceRef);
        address payout;
        uint256 vat;
        (id, payout, vat) = _record(merchantId, payer, gross, categoryId, invoiceRef);
        token.receiveWithAuthorization(payer, address(this), gross, validAfter, validBefore, nonce, v, r, s);
        if (gross != vat) _transfer(payout, gross - vat);
    }

    /// @inheritdoc IInvoiceBooks
    function payInvoice(uint64 merchantId, uint64 invoiceNo, uint256 gross, uint8 categoryId, bytes32 invoiceRef)
        external
        whenNotPaused
        returns (bytes32 id)
    {
        address payer = _msgSender();
        (address payout, uint8 applied, uint16 rateBps, uint256 vat) =
            _checkPayment(merchantId, gross, categoryId, invoiceRef);
        _enterInBook(merchantId, invoiceNo, payer, gross, rateBps);
        id = bookPaymentId(merchantId, invoiceNo);
        emit Paid(id, merchantId, payer, gross, gross - vat, vat, rateBps, applied, invoiceRef);
        _collect(payer, payout, gross, vat);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Refunds
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IVatPayments
    function refund(uint64 merchantId, address payer, bytes32 invoiceRef, uint256 amount)
        external
        whenNotPaused
        returns (bytes32 id)
    {
        address merchantPayout = _merchantPayoutCaller(merchantId);
        id = paymentId(merchantId, payer, invoiceRef);
        (uint256 totalRefunded, uint256 vatPart) = _recordRefund(id, amount);
        _payRefund(id, merchantId, payer, merchantPayout, amount, totalRefunded, vatPart);
    }

    /// @inheritdoc IInvoiceBooks
    function refundInvoice(uint64 merchantId, bytes32 headBefore, BookEntry[] calldata entries, uint256 amount)
        external
        whenNotPaused
        returns (bytes32 id)
    {
        address merchantPayout = _merchantPayoutCaller(merchantId);
        (uint64 invoiceNo, address payer, uint256 gross, uint256 rateBps) =
            _verifiedEntry(merchantId, headBefore, entries);
        id = bookPaymentId(merchantId, invoiceNo);
        uint256 refunded = _bookRefunded(merchantId, invoiceNo);
        (uint256 totalRefunded, uint256 vatPart) = _refundSplit(id, gross, refunded, rateBps, amount);
        _setBookRefunded(merchantId, invoiceNo, totalRefunded);
        _payRefund(id, merchantId, payer, merchantPayout, amount, totalRefunded, vatPart);
    }

    /// @dev The payout address of merchant `merchantId`, which must be the caller ({NotMerchantPayout}).
    function _merchantPayoutCaller(uint64 merchantId) private view returns (address merchantPayout) {
        merchantPayout = _registered(merchantId).payout;
        if (_msgSender() != merchantPayout) revert NotMerchantPayout(merchantId, _msgSender());
    }

    /**
     * @dev Pays a refund whose record is already written (effects done): emits {Refunded} and moves the net part
     * from the merchant's payout address and the VAT part from the escrow or the treasury to the payer (or the
     * wallet the payer's holdings were recovered to).
     */
    function _payRefund(
        bytes32 id,
        uint64 merchantId,
        address payer,
        address merchantPayout,
        uint256 amount,
        uint256 totalRefunded,
        uint256 vatPart
    ) private {
        bool vatFromTreasury = _vatFromTreasury(vatPart);
        // A payer whose wallet was recovered is tier 0 and cannot receive: the refund goes to the recovered wallet.
        address recipient = token.recoveredTo(payer);
        if (recipient == address(0)) recipient = payer;

        emit Refunded(id, merchantId, payer, amount, amount - vatPart, vatPart, totalRefunded, vatFromTreasury);
        if (recipient != payer) emit RefundToRecoveredWallet(id, payer, recipient);

        // Both `from`s are fixed, never caller-chosen: the caller itself (the merchant's payout address), and the
        // treasury, whose allowance to this contract is the documented backstop for VAT already withdrawn.
        if (amount != vatPart) _transferFrom(merchantPayout, recipient, amount - vatPart);
        if (vatPart != 0) {
            if (vatFromTreasury) _transferFrom(treasury, recipient, vatPart);
            else _transfer(recipient, vatPart);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Treasury and escrow
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IVatPayments
    function setTreasury(address newTreasury) external onlyRole(TAX_AUTHORITY_ROLE) {
        if (newTreasury == address(0) || newTreasury == address(this)) revert InvalidTreasury(newTreasury);
        emit TreasurySet(treasury, newTreasury);
        treasury = newTreasury;
    }

    /// @inheritdoc IVatPayments
    function setVatReserve(uint256 newReserve) external onlyRole(TAX_AUTHORITY_ROLE) {
        emit VatReserveSet(vatReserve, newReserve);
        vatReserve = newReserve;
    }

    /// @inheritdoc IVatPayments
    function withdrawVat(uint256 amount, bytes32 settlementRef) external whenNotPaused {
        address to = treasury;
        if (_msgSender() != to) revert NotTreasury(_msgSender());
        if (amount == 0) revert ZeroAmount();
        uint256 available = withdrawableVat();
        if (amount > available) revert WithdrawalExceedsAvailable(available, amount);
        emit VatWithdrawn(to, amount, settlementRef);
        _transfer(to, amount);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Pause
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IVatPayments
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IVatPayments
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IVatPayments
    function paymentId(uint64 merchantId, address payer, bytes32 invoiceRef) public pure returns (bytes32) {
        return keccak256(abi.encode(merchantId, payer, invoiceRef));
    }

    /// @inheritdoc IVatPayments
    function authorizationNonce(uint64 merchantId, uint8 categoryId, bytes32 invoiceRef)
        public
        view
        returns (bytes32)
    {
        return keccak256(abi.encode(address(this), merchantId, categoryId, invoiceRef));
    }

    /// @inheritdoc IVatPayments
    function payment(bytes32 id) external view returns (uint256 gross, uint256 vat, uint16 rateBps, uint256 refunded) {
        uint256 g;
        uint256 r;
        uint256 bps;
        (g, r, bps) = _unpack(_payments[id].word);
        return (g, VatMath.vatFromGross(g, bps), uint16(bps), r);
    }

    /// @inheritdoc IVatPayments
    function quote(uint64 merchantId, uint256 gross, uint8 categoryId)
        external
        view
        returns (uint256 net, uint256 vat, uint16 rateBps, uint8 appliedCategory)
    {
        Merchant memory m = _payableMerchant(merchantId);
        if (gross > type(uint96).max) revert AmountTooLarge(gross, type(uint96).max);
        appliedCategory = _allowedCategory(merchantId, m, categoryId);
        rateBps = m.vatRegistered ? _rateInForce(appliedCategory) : 0;
        vat = VatMath.vatFromGross(gross, rateBps);
        net = gross - vat;
    }

    /// @inheritdoc IVatPayments
    function splitGross(uint256 gross, uint16 rateBps) external pure returns (uint256 net, uint256 vat) {
        if (rateBps > MAX_RATE_BPS) revert RateTooHigh(rateBps, MAX_RATE_BPS);
        if (gross > type(uint96).max) revert AmountTooLarge(gross, type(uint96).max);
        vat = VatMath.vatFromGross(gross, rateBps);
        net = gross - vat;
    }

    /// @inheritdoc IVatPayments
    function escrowBalance() public view returns (uint256) {
        return token.balanceOf(address(this));
    }

    /// @inheritdoc IVatPayments
    function spendableEscrow() public view returns (uint256) {
        return token.spendableBalanceOf(address(this));
    }

    /// @inheritdoc IVatPayments
    function withdrawableVat() public view returns (uint256) {
        uint256 escrow = spendableEscrow();
        uint256 reserve = vatReserve;
        return escrow > reserve ? escrow - reserve : 0;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Whether payments, refunds and withdrawals are paused. The flag lives in the rate schedule's hot word
    /// (bit 255, see {VatRateSchedule}), so a payment under category 1 or 2 reads one slot for the pause check and
    /// its rate; OpenZeppelin's own `_paused` slot is never used here.
    function paused() public view override returns (bool) {
        return _pausedFlag();
    }

    /// @dev {Pausable-_pause} on the hot word's flag (same event; {PaymentsPaused} when already paused, as before).
    function _pause() internal override whenNotPaused {
        _setPausedFlag(true);
        emit Paused(_msgSender());
    }

    /// @dev {Pausable-_unpause} on the hot word's flag (same event, same {ExpectedPause} when not paused).
    function _unpause() internal override whenPaused {
        _setPausedFlag(false);
        emit Unpaused(_msgSender());
    }

    /// @dev Pause error of this contract, distinct from the token's `EnforcedPause()` that a payment may bubble up.
    function _requireNotPaused() internal view override {
        if (paused()) revert PaymentsPaused();
    }

    /// @dev {pay} and {payWithPermit}: one token call spending the payer's allowance once, moving the net share
    /// to the merchant and the VAT share here (a plain `transferFrom` when there is no VAT).
    function _collect(address payer, address payout, uint256 gross, uint256 vat) private {
        bool ok = vat == 0
            ? token.transferFrom(payer, payout, gross)
            : token.transferFromWithFee(payer, payout, gross - vat, address(this), vat);
        if (!ok) revert TokenOperationFailed();
    }

    /**
     * @dev Checks a payment, computes its VAT, writes its record and emits the receipt (effects before the token
     * is called). Returns the id, the merchant's payout address and the VAT.
     */
    function _record(uint64 merchantId, address payer, uint256 gross, uint8 categoryId, bytes32 invoiceRef)
        private
        returns (bytes32 id, address payout, uint256 vat)
    {
        uint16 rateBps;
        (payout, categoryId, rateBps, vat) = _checkPayment(merchantId, gross, categoryId, invoiceRef);

        id = paymentId(merchantId, payer, invoiceRef);
        Record storage rec = _payments[id];
        if (rec.word != 0) revert PaymentAlreadyExists(id);
        rec.word = gross | (uint256(rateBps) << RECORD_RATE_SHIFT); // gross < 2^96 (checked above), refunded 0

        emit Paid(id, merchantId, payer, gross, gross - vat, vat, rateBps, categoryId, invoiceRef);
    }

    /**
     * @dev The checks every payment makes (merchant payable, amount, reference, category) and its split: returns
     * the merchant's payout address, the category applied, the rate in force and the VAT.
     */
    function _checkPayment(uint64 merchantId, uint256 gross, uint8 categoryId, bytes32 invoiceRef)
        private
        view
        returns (address payout, uint8 applied, uint16 rateBps, uint256 vat)
    {
        Merchant memory m = _payableMerchant(merchantId);
        if (gross == 0) revert ZeroAmount();
        if (gross > type(uint96).max) revert AmountTooLarge(gross, type(uint96).max);
        if (invoiceRef == bytes32(0)) revert MissingInvoiceRef();
        applied = _allowedCategory(merchantId, m, categoryId);
        rateBps = m.vatRegistered ? _rateInForce(applied) : 0;
        vat = VatMath.vatFromGross(gross, rateBps);
        payout = m.payout;
    }

    /// @dev The record of merchant `merchantId`, which must be registered and active.
    function _payableMerchant(uint64 merchantId) private view returns (Merchant memory m) {
        m = _merchants[merchantId];
        if (!m.registered) revert UnknownMerchant(merchantId);
        if (!m.active) revert MerchantInactive(merchantId);
    }

    /**
     * @dev Where a refund's VAT part comes from: the escrow when its spendable part (a frozen part of it cannot
     * move) covers it (false), else the treasury's allowance (true); reverts {VatRefundUnfunded} when neither does.
     */
    function _vatFromTreasury(uint256 vatPart) private view returns (bool) {
        if (vatPart == 0) return false;
        uint256 escrow = spendableEscrow();
        if (escrow >= vatPart) return false;
        address from = treasury;
        uint256 allowance = from == address(0) ? 0 : token.allowance(from, address(this));
        if (allowance < vatPart) revert VatRefundUnfunded(escrow, allowance, vatPart);
        return true;
    }

    /**
     * @dev Checks a refund of `amount` against payment `id`'s record and writes the new cumulative refunded amount
     * (effects before any token call). Returns it and the VAT part of this refund ({VatMath-vatShare}).
     */
    function _recordRefund(bytes32 id, uint256 amount) private returns (uint256 totalRefunded, uint256 vatPart) {
        Record storage rec = _payments[id];
        uint256 record = rec.word;
        (uint256 gross, uint256 refunded, uint256 rateBps) = _unpack(record);
        if (gross == 0) revert UnknownPayment(id);
        (totalRefunded, vatPart) = _refundSplit(id, gross, refunded, rateBps, amount);
        rec.word = (record & ~(RECORD_AMOUNT_MASK << RECORD_REFUNDED_SHIFT)) | (totalRefunded << RECORD_REFUNDED_SHIFT);
    }

    /**
     * @dev A refund of `amount` of payment `id` (`gross` at `rateBps`, `refunded` so far): checks the bound and
     * returns the new cumulative refunded amount and the VAT part of this refund ({VatMath-vatShare}).
     */
    function _refundSplit(bytes32 id, uint256 gross, uint256 refunded, uint256 rateBps, uint256 amount)
        private
        pure
        returns (uint256 totalRefunded, uint256 vatPart)
    {
        if (amount == 0) revert ZeroAmount();
        uint256 refundable = gross - refunded;
        if (amount > refundable) revert RefundExceedsPayment(id, refundable, amount);
        totalRefunded = refunded + amount; // <= gross < 2^96
        uint256 vat = VatMath.vatFromGross(gross, rateBps);
        vatPart = VatMath.vatShare(vat, totalRefunded, gross) - VatMath.vatShare(vat, refunded, gross);
    }

    /// @dev The fields of a payment record word (layout at RECORD_AMOUNT_MASK above).
    function _unpack(uint256 record) private pure returns (uint256 gross, uint256 refunded, uint256 rateBps) {
        gross = record & RECORD_AMOUNT_MASK;
        refunded = (record >> RECORD_REFUNDED_SHIFT) & RECORD_AMOUNT_MASK;
        rateBps = record >> RECORD_RATE_SHIFT;
    }

    function _transfer(address to, uint256 amount) private {
        if (!token.transfer(to, amount)) revert TokenOperationFailed();
    }

    function _transferFrom(address from, address to, uint256 amount) private {
        // Not an arbitrary `from`: {refund} is the only caller and passes either the merchant's payout address,
        // which it has just required to be the caller, or the treasury set by the tax authority, whose allowance
        // to this contract exists for exactly this (a refund's VAT part, bounded by the payment's recorded VAT).
        // slither-disable-next-line arbitrary-send-erc20
        if (!token.transferFrom(from, to, amount)) revert TokenOperationFailed();
    }

    /// @dev Re-raises a revert reason as is (so the caller sees the token's own custom error).
    function _revertWith(bytes memory reason) private pure {
        assembly ("memory-safe") {
            revert(add(reason, 0x20), mload(reason))
        }
    }
}
