// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IOfflinePurses
 * @notice Offline purses: tenge a KYC'd holder locks for a device key, which then pays registered merchants with
 * no connection; merchants' terminals settle the signed payments later, in batches. See {OfflinePurses} for the
 * storage design and the stated bound.
 *
 * Typed data (EIP-712, domain name "TengeOfflinePurses", version "1", this contract):
 * - `PurseCertificate(bytes32 purseId,address device,uint256 amount,uint64 expiry,address bank)`, signed by the
 *   issuing bank;
 * - `OfflinePayment(bytes32 purseId,uint64 sequence,uint256 amount,uint256 cumulative,address merchant,
 *   bytes32 invoice,uint64 time)`, signed by the device. An honest device numbers payments 1, 2, 3, ... and
 *   `cumulative` is its running total: payment i spends the tiyn interval (cumulative - amount, cumulative].
 */
interface IOfflinePurses {
    /// @notice Life of a purse. Revoked: the bank (lost device) or the holder (close request) set a revocation
    /// time; Cheated: a double spend was proven; Closed: the rest went back to the holder.
    enum PurseStatus {
        None,
        Open,
        Revoked,
        Cheated,
        Closed
    }

    /// @notice Why {settleBatch} skipped a payment (the rest of the batch settles).
    enum SkipReason {
        UnknownPurse,
        PurseClosed,
        InvalidAmount,
        InvalidSequence,
        Expired,
        InvalidSignature,
        AfterRevocation,
        AlreadySettled,
        ReachExhausted
    }

    /// @notice How a double spend was proven: two merchants presented the same sequence number, or the purse's
    /// settled payments add up to more than its amount (their intervals overlap: the pigeonhole).
    enum ProofKind {
        None,
        SameSequence,
        Overdrawn
    }

    /// @notice One device-signed payment as a terminal submits it; the signed `merchant` is the batch merchant's
    /// payout address. (`r`, `vs`) is the EIP-2098 compact form of the device's signature.
    struct Payment {
        bytes32 purseId;
        uint64 sequence;
        uint256 amount;
        uint256 cumulative;
        bytes32 invoice;
        uint64 time;
        bytes32 r;
        bytes32 vs;
    }

    /// @notice A bank-signed purse certificate.
    struct PurseCertificate {
        bytes32 purseId;
        address device;
        uint256 amount;
        uint64 expiry;
        address bank;
    }

    /// @notice A purse as stored (amounts in tiyn).
    struct PurseView {
        PurseStatus status;
        address holder;
        address bank;
        address device;
        uint256 amount;
        uint64 expiry;
        uint256 paid;
        uint8 reach;
        uint64 revokedAt;
        uint64 closableAt;
    }

    /// @notice The record of a proven double spend, for compliance (recover `overdrawn` from `holder` by forced
    /// transfer, with the legal reference, to the issuing bank).
    struct DoubleSpendProof {
        ProofKind kind;
        uint64 sequence;
        uint64 firstMerchantId;
        uint64 secondMerchantId;
        uint64 detectedAt;
        address holder;
        address bank;
        uint256 overdrawn;
    }

    /// @notice Bank `bank`'s certificate limits were set.
    event BankLimitsSet(
        address indexed bank, uint256 maxPurseAmount, uint64 maxLifetime, uint16 maxPursesPerHolder, uint8 reach
    );

    /// @notice Bank `bank` added `amount` to its guarantee deposit (now `deposit`).
    event GuaranteeDeposited(address indexed bank, uint256 amount, uint256 deposit);

    /// @notice Bank `bank` withdrew `amount` of its free guarantee deposit (now `deposit`).
    event GuaranteeWithdrawn(address indexed bank, uint256 amount, uint256 deposit);

    /// @notice The settlement grace period (after expiry or revocation, before the rest returns) was set.
    event SettlementGraceSet(uint64 previousGrace, uint64 newGrace);

    /// @notice `holder` locked `amount` tiyn in purse `purseId` for `device` until `expiry`, certified by `bank`,
    /// which reserved `reserved` of its deposit for it.
    event PurseOpened(
        bytes32 indexed purseId,
        address indexed holder,
        address indexed bank,
        address device,
        uint256 amount,
        uint64 expiry,
        uint256 reserved
    );

    /// @notice Purse `purseId` was revoked by `by` (its bank or its holder): payments signed after `revokedAt`
    /// are refused; the rest returns to the holder from `closableAt`.
    event PurseRevoked(bytes32 indexed purseId, address indexed by, uint64 revokedAt, uint64 closableAt);

    /// @notice Payment `sequence` of purse `purseId` was paid: `amount` gross, `vat` of it to the VAT escrow.
    event PaymentSettled(bytes32 indexed purseId, uint64 sequence, uint256 amount, uint256 vat, bytes32 invoice);

    /// @notice Payment `sequence` of purse `purseId` was not paid, for `reason` (nothing moved for it).
    event PaymentSkipped(bytes32 indexed purseId, uint64 indexed sequence, SkipReason reason);

    /// @notice `amount` of a payment of purse `purseId` was paid from bank `bank`'s guarantee deposit.
    event PaidFromDeposit(bytes32 indexed purseId, address indexed bank, uint64 sequence, uint256 amount);

    /// @notice A double spend of purse `purseId` was proven: the purse is revoked (status Cheated) and the proof
    /// is stored ({proofOf}). `merchantId` presented the proving payment `sequence`.
    event DoubleSpendProven(
        bytes32 indexed purseId, address indexed holder, ProofKind kind, uint64 sequence, uint64 merchantId
    );

    /// @notice A batch for merchant `merchantId` settled: `count` payments, `gross` in total, `vat` to the VAT
    /// escrow at `rateBps`, the rest to `payout`.
    event BatchSettled(
        uint64 indexed merchantId, address indexed payout, uint256 count, uint256 gross, uint256 vat, uint16 rateBps
    );

    /// @notice Purse `purseId` was closed: `returned` went back to `holder`.
    event PurseClosed(bytes32 indexed purseId, address indexed holder, uint256 returned);

    /// @notice The token or VAT payments address is zero (constructor).
    error InvalidPurseSetup(address value);
    /// @notice A grace period outside (0, 365 days].
    error InvalidGrace(uint64 grace);
    /// @notice Limits that cannot be: zero or too large an amount (uint48 tiyn), zero lifetime, zero purses, reach 0.
    error InvalidLimits();
    /// @notice `bank` does not hold ISSUER_ROLE.
    error NotIssuer(address bank);
    /// @notice `bank` has no limits set.
    error BankLimitsUnset(address bank);
    /// @notice A zero amount.
    error ZeroAmount();
    /// @notice Withdrawal of `requested` exceeds the free deposit `free` (deposit minus reservations).
    error GuaranteeExceedsFree(uint256 free, uint256 requested);
    /// @notice The certificate is not signed by its bank.
    error InvalidCertificateSignature(address bank);
    /// @notice Purse `purseId` already exists.
    error PurseExists(bytes32 purseId);
    /// @notice The zero purse id or device.
    error InvalidCertificate();
    /// @notice `amount` is above the bank's maximum purse amount `max`.
    error PurseAmountAboveLimit(uint256 amount, uint256 max);
    /// @notice `expiry` is not in the future or later than `latest` (now + the bank's maximum lifetime).
    error InvalidExpiry(uint64 expiry, uint64 latest);
    /// @notice The holder already has `open` purses, the bank's limit.
    error TooManyPurses(address holder, uint256 open);
    /// @notice The bank's free deposit `free` cannot reserve `needed` for this purse.
    error InsufficientGuarantee(address bank, uint256 free, uint256 needed);
    /// @notice No purse `purseId`.
    error UnknownPurse(bytes32 purseId);
    /// @notice Purse `purseId` is closed.
    error PurseAlreadyClosed(bytes32 purseId);
    /// @notice `caller` is not purse `purseId`'s bank (revoke) or holder (close request).
    error NotPurseParty(bytes32 purseId, address caller);
    /// @notice Purse `purseId` can only be closed from `closableAt`.
    error PurseNotClosable(bytes32 purseId, uint64 closableAt);
    /// @notice A batch of `size` payments; 1 to MAX_BATCH.
    error InvalidBatchSize(uint256 size);
    /// @notice Merchant `merchantId` is not registered (or not active) in VAT payments.
    error MerchantNotPayable(uint64 merchantId);
    /// @notice A token call returned false.
    error TokenOperationFailed();

    /// @notice keccak256("ISSUER_ROLE"): banks that certify purses and keep a guarantee deposit.
    function ISSUER_ROLE() external view returns (bytes32);

    /// @notice Most payments in one {settleBatch}.
    function MAX_BATCH() external view returns (uint256);

    /**
     * @notice Sets bank `bank`'s certificate limits: the largest purse (tiyn), the longest lifetime (seconds from
     * opening to expiry), open purses per holder and `reach`, the number of merchants a cloned device is assumed to
     * reach before expiry: each purse reserves amount x (reach - 1) of the bank's deposit and pays at most
     * amount x reach in total. DEFAULT_ADMIN_ROLE.
     */
    function setBankLimits(
        address bank,
        uint256 maxPurseAmount,
        uint64 maxLifetime,
        uint16 maxPursesPerHolder,
        uint8 reach
    ) external;

    /// @notice Sets the settlement grace period (0 < grace <= 365 days) for purses opened from now on.
    /// DEFAULT_ADMIN_ROLE.
    function setSettlementGrace(uint64 grace) external;

    /// @notice Adds `amount` tiyn from the caller to its guarantee deposit (allowance needed). ISSUER_ROLE.
    function depositGuarantee(uint256 amount) external;

    /// @notice Withdraws `amount` tiyn of the caller's free deposit (not reserved for open purses).
    function withdrawGuarantee(uint256 amount) external;

    /**
     * @notice Opens a purse: locks `certificate.amount` tiyn of the caller (the holder: KYC'd, allowance needed)
     * for `certificate.device` until `certificate.expiry`, certified by `certificate.bank` (`signature`). Checks
     * the bank's role, limits and free deposit, which reserves amount x (reach - 1).
     */
    function openPurse(PurseCertificate calldata certificate, bytes calldata signature) external;

    /**
     * @notice Settles up to MAX_BATCH payments to merchant `merchantId` (its VatPayments id; the signed merchant
     * is its payout address). Anyone may submit. Each valid payment is paid from its purse (from the issuing
     * bank's deposit once the purse is exhausted: a proven double spend); an invalid or already settled one is
     * skipped with {PaymentSkipped}. The net goes to the payout address, the VAT (VatPayments' rate for the
     * merchant's default category, VatMath rounding per payment) to the VatPayments escrow.
     */
    function settleBatch(uint64 merchantId, Payment[] calldata payments) external;

    /**
     * @notice Revokes purse `purseId` now (a lost device): payments signed after this block's time are refused,
     * earlier ones are still honoured (from the deposit if the purse is exhausted); the rest returns to the holder
     * after the settlement grace period. The purse's bank only.
     */
    function revokePurse(bytes32 purseId) external;

    /// @notice The holder asks to close purse `purseId` early: payments signed from now are refused; the rest
    /// returns after the settlement grace period ({closePurse}).
    function requestClose(bytes32 purseId) external;

    /// @notice Returns the rest of purse `purseId` to its holder and releases the bank's reservation, once the
    /// settlement grace period after expiry (or revocation) has passed. Anyone may call.
    function closePurse(bytes32 purseId) external;

    /// @notice The purse `purseId` (status None: no such purse).
    function purse(bytes32 purseId) external view returns (PurseView memory);

    /// @notice The double-spend proof of purse `purseId` (kind None: none).
    function proofOf(bytes32 purseId) external view returns (DoubleSpendProof memory);

    /// @notice Bank `bank`'s deposit, the part reserved for open purses and its limits.
    function bank(address bank)
        external
        view
        returns (
            uint256 deposit,
            uint256 reserved,
            uint256 maxPurseAmount,
            uint64 maxLifetime,
            uint16 maxPursesPerHolder,
            uint8 reach
        );

    /// @notice Open (not closed) purses of `holder`.
    function openPursesOf(address holder) external view returns (uint256);

    /// @notice The settlement grace period, seconds.
    function settlementGrace() external view returns (uint64);

    /// @notice Whether merchant `merchantId` already settled payment `sequence` of purse `purseId`.
    function isSettled(bytes32 purseId, uint64 sequence, uint64 merchantId) external view returns (bool);

    /// @notice The EIP-712 digest a bank signs for `certificate`.
    function certificateDigest(PurseCertificate calldata certificate) external view returns (bytes32);
}
