// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDigitalTenge} from "../interfaces/IDigitalTenge.sol";
import {IMerchantRegistry} from "./IMerchantRegistry.sol";
import {IVatRateSchedule} from "./IVatRateSchedule.sol";
import {IInvoiceBooks} from "./IInvoiceBooks.sol";

/**
 * @title IVatPayments
 * @notice VAT collected by smart contract at the moment of payment. A payer pays a merchant a VAT-inclusive gross
 * amount for an invoice; in the same transaction the net share goes to the merchant's payout address and the VAT
 * share into this contract's escrow, from which the treasury withdraws it. Merchants refund, fully or in part.
 *
 * Amounts are token units (tiyn). Rates are basis points. The split rule is {VatMath}'s: VAT =
 * round_half_up(gross * rate / (10 000 + rate)), net = gross - VAT.
 *
 * Payment id: `keccak256(abi.encode(merchantId, payer, invoiceRef))` (see {paymentId}) - derived, no counter.
 * A payer pays a given invoice of a given merchant once ({PaymentAlreadyExists} otherwise), which also makes a
 * resubmitted offline payment harmless.
 *
 * Invoice reference: a `bytes32`. Kazakhstan's e-invoice (ESF) registration numbers are longer than 32 bytes and
 * an individual entrepreneur's contains their IIN, a personal identifier, so by convention the reference is the
 * keccak256 of the registration number's UTF-8 text (the tax authority, which holds the e-invoice, can match it),
 * or a receipt number of at most 32 ASCII bytes, left-aligned and zero-padded. A fixed 32 bytes is cheap calldata,
 * fits an indexed topic, the payment id and the EIP-3009 nonce binding, and puts no personal data on chain.
 *
 * VAT escrow and refunds: the VAT share stays in this contract. The treasury withdraws it with {withdrawVat}
 * (tagged with a settlement reference, e.g. the tax period), but never below `vatReserve`, a buffer the tax
 * authority keeps for refunds. A refund returns the net part from the merchant (who has approved this contract)
 * and the VAT part from the escrow, or - when the escrow's spendable part cannot cover it (compliance may have
 * frozen part of it) - from the treasury through the allowance the treasury gives this contract (a VAT credit
 * note against the treasury). A refund of a payer whose wallet was recovered on the token goes to the recovered
 * wallet (`IDigitalTenge.recoveredTo`). Invariant, from events:
 *     sum(Paid.vat) - sum(Refunded.vat)
 *       == sum(VatWithdrawn.amount) - sum(Refunded.vat where vatFromTreasury)   // what the treasury received
 *        + escrowBalance()                                                        // what is still escrowed
 * (exact as long as nobody transfers tokens to this contract directly; anything so sent shows as surplus).
 */
interface IVatPayments is IVatRateSchedule, IMerchantRegistry, IInvoiceBooks {
    /**
     * @notice Receipt of a payment. `gross == net + vat`; `rateBps` is the rate in force at the block's timestamp
     * (0 for a merchant that is not VAT-registered); `categoryId` is the category applied (the merchant's default
     * when the payer gave 0).
     */
    event Paid(
        bytes32 indexed paymentId,
        uint64 indexed merchantId,
        address indexed payer,
        uint256 gross,
        uint256 net,
        uint256 vat,
        uint16 rateBps,
        uint8 categoryId,
        bytes32 invoiceRef
    );

    /**
     * @notice Payment `paymentId` was refunded by `amount` (`net` from the merchant, `vat` from the escrow or,
     * when `vatFromTreasury`, from the treasury); `totalRefunded` is the payment's cumulative refunded amount.
     */
    event Refunded(
        bytes32 indexed paymentId,
        uint64 indexed merchantId,
        address indexed payer,
        uint256 amount,
        uint256 net,
        uint256 vat,
        uint256 totalRefunded,
        bool vatFromTreasury
    );

    /// @notice The refund of payment `paymentId` went to `recipient`, the wallet `payer`'s holdings were moved to by a
    /// wallet recovery on the token (see `IDigitalTenge.recoveredTo`); emitted with {Refunded}, which names `payer`.
    event RefundToRecoveredWallet(bytes32 indexed paymentId, address indexed payer, address indexed recipient);

    /// @notice The treasury address changed.
    event TreasurySet(address indexed previousTreasury, address indexed newTreasury);

    /// @notice The escrow amount kept back for refunds changed.
    event VatReserveSet(uint256 previousReserve, uint256 newReserve);

    /// @notice `amount` of escrowed VAT went to `treasury`, settling `settlementRef` (e.g. a tax period).
    event VatWithdrawn(address indexed treasury, uint256 amount, bytes32 indexed settlementRef);

    /// @notice Payments, refunds and withdrawals are paused in this contract.
    error PaymentsPaused();

    /// @notice An amount of zero was given.
    error ZeroAmount();

    /// @notice `amount` is above `max`, the largest amount a payment record holds (2^96 - 1).
    error AmountTooLarge(uint256 amount, uint256 max);

    /// @notice A payment needs a non-zero invoice reference.
    error MissingInvoiceRef();

    /// @notice This payer already paid this invoice of this merchant (payment `paymentId`).
    error PaymentAlreadyExists(bytes32 paymentId);

    /// @notice No payment `paymentId` (check merchant id, payer and invoice reference).
    error UnknownPayment(bytes32 paymentId);

    /// @notice Only merchant `merchantId`'s payout address may refund its payments; `caller` is not it.
    error NotMerchantPayout(uint64 merchantId, address caller);

    /// @notice Payment `paymentId` has only `refundable` left to refund; `requested` was asked.
    error RefundExceedsPayment(bytes32 paymentId, uint256 refundable, uint256 requested);

    /// @notice The VAT part `needed` of a refund exceeds both the spendable `escrow` (a frozen part cannot move)
    /// and the treasury's `treasuryAllowance` to this contract.
    error VatRefundUnfunded(uint256 escrow, uint256 treasuryAllowance, uint256 needed);

    /// @notice Only the treasury withdraws VAT; `caller` is not it.
    error NotTreasury(address caller);

    /// @notice The treasury cannot be the zero address nor this contract.
    error InvalidTreasury(address treasury);

    /// @notice The token address cannot be zero.
    error InvalidToken(address token);

    /// @notice Only `available` (spendable escrow above the reserve) can be withdrawn; `requested` was asked.
    error WithdrawalExceedsAvailable(uint256 available, uint256 requested);

    /// @notice The token returned `false` (never expected from DigitalTenge, which reverts instead).
    error TokenOperationFailed();

    /// @notice keccak256("PAUSER_ROLE"): pauses and unpauses payments, refunds and withdrawals.
    function PAUSER_ROLE() external view returns (bytes32);

    /// @notice The currency token (its address is fixed at deployment).
    function token() external view returns (IDigitalTenge);

    /// @notice Where VAT goes, set by the tax authority.
    function treasury() external view returns (address);

    /// @notice Escrowed VAT kept back from withdrawals for refunds.
    function vatReserve() external view returns (uint256);

    /**
     * @notice Pays merchant `merchantId` the VAT-inclusive `gross` for invoice `invoiceRef`, VAT at category
     * `categoryId` (0: the merchant's default; any other must be one the registrar allowed the merchant, else
     * {CategoryNotAllowed}) at the rate in force now. The caller is the payer and must have
     * approved this contract for `gross`. Net goes to the merchant's payout address, VAT into escrow; emits {Paid}.
     * All token rules apply to payer and merchant (KYC, tier caps, freezes, pause) and revert with the token's errors.
     * @return id The payment id ({paymentId} of merchant, payer, invoice).
     */
    function pay(uint64 merchantId, uint256 gross, uint8 categoryId, bytes32 invoiceRef)
        external
        returns (bytes32 id);

    /**
     * @notice {pay} with an EIP-2612 permit of the caller (owner = caller, spender = this contract,
     * value = `gross`) instead of a prior approval. If the permit was already used (e.g. front-run) the payment
     * still goes through when the allowance suffices; otherwise the token's permit error is re-raised.
     */
    function payWithPermit(
        uint64 merchantId,
        uint256 gross,
        uint8 categoryId,
        bytes32 invoiceRef,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (bytes32 id);

    /**
     * @notice {pay} from `payer` with an EIP-3009 `ReceiveWithAuthorization` the payer signed - possibly offline,
     * submitted later by the merchant or anyone: `from = payer`, `to = ` this contract, `value = gross`, the
     * validity window, and `nonce = authorizationNonce(merchantId, categoryId, invoiceRef)`. The nonce binds the
     * signature to this merchant, category and invoice, so a submitter cannot redirect it: any other merchant,
     * category or invoice yields another nonce and the token rejects the signature. The gross arrives here; the
     * net share goes on to the merchant and the VAT share stays in escrow.
     */
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
    ) external returns (bytes32 id);

    /**
     * @notice Refunds `amount` of the payment by `payer` of invoice `invoiceRef` to merchant `merchantId`; only the
     * merchant's payout address may call (also while the merchant is inactive). The payer receives `amount` - or,
     * if the token recovered the payer's wallet, the wallet it was recovered to (`token.recoveredTo(payer)`, with
     * {RefundToRecoveredWallet}): the net part from the caller (who must have approved this contract for it) and
     * the VAT part - the payment's VAT in proportion, see {VatMath-vatShare} - from the escrow, or from the
     * treasury's allowance if the escrow's spendable part is short. Cumulative refunds never exceed the gross
     * ({RefundExceedsPayment}). Emits {Refunded}.
     * @return id The refunded payment's id.
     */
    function refund(uint64 merchantId, address payer, bytes32 invoiceRef, uint256 amount)
        external
        returns (bytes32 id);

    /// @notice Sets the treasury. TAX_AUTHORITY_ROLE.
    function setTreasury(address newTreasury) external;

    /// @notice Sets the escrow amount kept back from withdrawals for refunds. TAX_AUTHORITY_ROLE.
    function setVatReserve(uint256 newReserve) external;

    /// @notice Sends `amount` of escrowed VAT above the reserve to the treasury; only the treasury calls.
    /// `settlementRef` names what is settled (e.g. the tax period) for reconciliation.
    function withdrawVat(uint256 amount, bytes32 settlementRef) external;

    /// @notice Pauses payments, refunds and withdrawals (configuration still works). PAUSER_ROLE.
    function pause() external;

    /// @notice Lifts the pause. PAUSER_ROLE.
    function unpause() external;

    /// @notice The id of the payment by `payer` of invoice `invoiceRef` to merchant `merchantId`:
    /// `keccak256(abi.encode(merchantId, payer, invoiceRef))`.
    function paymentId(uint64 merchantId, address payer, bytes32 invoiceRef) external pure returns (bytes32);

    /// @notice The EIP-3009 nonce a payer signs for {payWithAuthorization}:
    /// `keccak256(abi.encode(address(this), merchantId, categoryId, invoiceRef))`.
    function authorizationNonce(uint64 merchantId, uint8 categoryId, bytes32 invoiceRef)
        external
        view
        returns (bytes32);

    /// @notice Payment `id` (all zero if none): its gross, VAT, rate and refunded amount so far.
    function payment(bytes32 id) external view returns (uint256 gross, uint256 vat, uint16 rateBps, uint256 refunded);

    /**
     * @notice What {pay} would do now for merchant `merchantId`, `gross` and category `categoryId`: the split, the
     * rate and the category applied. Reverts as {pay} would for an unknown or inactive merchant, a category the
     * merchant may not be paid under or a category without a rate in force.
     */
    function quote(uint64 merchantId, uint256 gross, uint8 categoryId)
        external
        view
        returns (uint256 net, uint256 vat, uint16 rateBps, uint8 appliedCategory);

    /// @notice The split of `gross` at `rateBps` by the contract's rounding rule.
    function splitGross(uint256 gross, uint16 rateBps) external pure returns (uint256 net, uint256 vat);

    /// @notice Tokens held by this contract: the VAT escrow (a part frozen by compliance included).
    function escrowBalance() external view returns (uint256);

    /// @notice The part of the escrow that can move now: the token's spendable balance of this contract (0 if it is
    /// wholly frozen; the escrow less its frozen amount otherwise).
    function spendableEscrow() external view returns (uint256);

    /// @notice What the treasury can withdraw now: the spendable escrow above `vatReserve`.
    function withdrawableVat() external view returns (uint256);
}
