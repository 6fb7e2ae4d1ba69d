// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IPurposeBoundProgrammes
 * @notice Purpose-bound money (after MAS Project Orchid's PBM): an ERC-1155 wrapper over the digital tenge, one
 * token id per programme. A sponsor (a city budget, a ministry) creates a programme, locks tenge in it 1:1 and
 * allocates vouchers to beneficiaries; a beneficiary spends them only at a merchant whose VAT category is in the
 * programme's purpose, inside its validity window and daily limit. Spending goes through VatPayments: this
 * contract is the payer, the merchant receives the net share, the VAT goes to escrow and the `Paid` receipt
 * carries the invoice reference bound to the beneficiary ({vatInvoiceRef}); {VoucherSpent} ties that payment to
 * programme, beneficiary and the invoice as the merchant wrote it.
 *
 * Conservation (per programme, exact): locked tenge = `unallocated` + `outstanding` (vouchers still spendable);
 * `totalLocked` is their sum over all programmes.
 * Over all programmes: token balance of this contract = sum of locked + surplus (tenge arriving otherwise, e.g. a
 * merchant's refund of a programme payment, which the admin assigns back to a programme with {assignSurplus}).
 *
 * No personal data: beneficiaries are addresses, a programme carries a `budgetCode` (bytes32), never names.
 * Amounts are tiyn. Times are unix seconds. Daily limits count UTC days (`block.timestamp / 86400`).
 */
interface IPurposeBoundProgrammes {
    /// @notice A programme's rules, fixed at creation. `purposeMask` bit c set = VAT category c allowed.
    struct ProgrammeTerms {
        uint256 purposeMask;
        uint64 validFrom;
        uint64 expiry;
        uint128 dailyLimit;
        bool transferable;
        bytes32 budgetCode;
    }

    /**
     * @notice A spend signed by the beneficiary (EIP-712, possibly offline), submitted by anyone (the canteen).
     * Replay: VatPayments records a payment once per (merchant, payer = this contract, {vatInvoiceRef} of
     * beneficiary and invoice), so a signature is good for one payment only - and, the reference binding the
     * beneficiary, no other voucher holder can use the invoice first.
     */
    struct SpendAuthorization {
        uint256 programmeId;
        address beneficiary;
        uint64 merchantId;
        uint256 amount;
        uint8 categoryId;
        bytes32 invoiceRef;
        uint64 validAfter;
        uint64 validBefore;
    }

    /// @notice Programme `programmeId` was created by `sponsor` with these terms.
    event ProgrammeCreated(
        uint256 indexed programmeId,
        address indexed sponsor,
        bytes32 indexed budgetCode,
        uint256 purposeMask,
        uint64 validFrom,
        uint64 expiry,
        uint128 dailyLimit,
        bool transferable
    );

    /// @notice `amount` tenge were locked in programme `programmeId` by `from`.
    event ProgrammeFunded(uint256 indexed programmeId, address indexed from, uint256 amount);

    /// @notice A batch allocated vouchers worth `total` to `beneficiaries` accounts of programme `programmeId`
    /// (each allocation is an ERC-1155 `TransferSingle` mint naming beneficiary and amount).
    event VouchersAllocated(uint256 indexed programmeId, address indexed sponsor, uint256 beneficiaries, uint256 total);

    /// @notice `beneficiary` spent `amount` of programme `programmeId` at merchant `merchantId`, as VatPayments
    /// payment `paymentId` (its `Paid` event has payer = this contract and invoice reference
    /// {vatInvoiceRef}(beneficiary, invoiceRef); the merchant refunds by that reference).
    event VoucherSpent(
        uint256 indexed programmeId,
        address indexed beneficiary,
        uint64 indexed merchantId,
        bytes32 paymentId,
        uint256 amount,
        uint8 categoryId,
        bytes32 invoiceRef
    );

    /// @notice Unallocated funds of a live programme went back to its sponsor.
    event UnallocatedWithdrawn(uint256 indexed programmeId, address indexed sponsor, uint256 amount);

    /// @notice After expiry the sponsor got back `unallocated + unspent`; the programme is closed, its vouchers void.
    event ProgrammeReclaimed(uint256 indexed programmeId, address indexed sponsor, uint256 unallocated, uint256 unspent);

    /// @notice Compliance returned `amount` of `from`'s vouchers to the programme's unallocated funds.
    event VouchersSeized(
        uint256 indexed programmeId, address indexed operator, address indexed from, uint256 amount, bytes32 legalReference
    );

    /// @notice Compliance moved `amount` of vouchers from a lost wallet to `newAccount` (wallet recovery).
    event VouchersRecovered(
        uint256 indexed programmeId,
        address indexed lostAccount,
        address indexed newAccount,
        uint256 amount,
        bytes32 legalReference
    );

    /// @notice Tenge held beyond what programmes lock (e.g. a refund) was assigned to programme `programmeId`.
    event SurplusAssigned(uint256 indexed programmeId, uint256 amount, bytes32 surplusRef);

    /// @notice No programme `programmeId`.
    error UnknownProgramme(uint256 programmeId);
    /// @notice Only the sponsor of programme `programmeId` may do this; `caller` is not it.
    error NotSponsor(uint256 programmeId, address caller);
    /// @notice Only an account with the token's COMPLIANCE_ROLE may do this; `caller` has not.
    error NotCompliance(address caller);
    /// @notice A programme needs a non-empty purpose, a budget code and `validFrom < expiry`, expiry in the future.
    error InvalidTerms();
    /// @notice Programme `programmeId` is not valid before `validFrom`.
    error ProgrammeNotStarted(uint256 programmeId, uint64 validFrom);
    /// @notice Programme `programmeId` expired at `expiry`: no spending, transfers, funding or allocation.
    error ProgrammeExpired(uint256 programmeId, uint64 expiry);
    /// @notice Programme `programmeId` has not expired yet (it expires at `expiry`).
    error ProgrammeNotExpired(uint256 programmeId, uint64 expiry);
    /// @notice Programme `programmeId` was reclaimed and is closed.
    error ProgrammeClosed(uint256 programmeId);
    /// @notice Allocation of `needed` but programme `programmeId` holds only `unallocated` not yet allocated.
    error InsufficientUnallocated(uint256 programmeId, uint256 unallocated, uint256 needed);
    /// @notice Merchant `merchantId` sells under VAT category `categoryId`, outside programme `programmeId`'s purpose.
    error OutsidePurpose(uint256 programmeId, uint64 merchantId, uint8 categoryId);
    /// @notice `beneficiary` may spend only `remaining` more of programme `programmeId` today; `requested` was asked.
    error DailyLimitExceeded(uint256 programmeId, address beneficiary, uint256 remaining, uint256 requested);
    /// @notice Vouchers of programme `programmeId` are bound to their beneficiary and cannot be transferred.
    error VoucherNotTransferable(uint256 programmeId);
    /// @notice `account` is not KYC-approved on the token (tier 0) or is frozen there.
    error AccountNotEligible(address account);
    /// @notice `beneficiary` holds only `balance` vouchers of programme `programmeId`; `needed` was asked.
    error InsufficientVouchers(uint256 programmeId, address beneficiary, uint256 balance, uint256 needed);
    /// @notice An amount of zero, or an empty batch.
    error ZeroAmount();
    /// @notice Batch arrays differ in length.
    error BatchLengthMismatch(uint256 beneficiaries, uint256 amounts);
    /// @notice The spend authorization is not valid before `validAfter`.
    error AuthorizationNotYetValid(uint64 validAfter);
    /// @notice The spend authorization expired at `validBefore`.
    error AuthorizationExpired(uint64 validBefore);
    /// @notice The signature is not `beneficiary`'s over this spend authorization.
    error InvalidSpendSignature(address beneficiary);
    /// @notice Only `available` surplus tenge is held beyond what programmes lock; `requested` was asked.
    error SurplusExceeded(uint256 available, uint256 requested);
    /// @notice A constructor address (token or VAT payments) is zero or inconsistent.
    error InvalidSetup();

    /// @notice Creates a programme with `terms`; the caller (SPONSOR_ROLE) is its sponsor. Returns its token id.
    function createProgramme(ProgrammeTerms calldata terms) external returns (uint256 programmeId);

    /// @notice Locks `amount` tenge of the caller (approved to this contract) in programme `programmeId`.
    /// Sponsor only, before expiry.
    function fund(uint256 programmeId, uint256 amount) external;

    /// @notice Allocates `amounts[i]` vouchers to `beneficiaries[i]` from the unallocated funds. Sponsor only,
    /// before expiry. Each beneficiary must be KYC-approved on the token (a frozen one is refused when spending).
    function allocate(uint256 programmeId, address[] calldata beneficiaries, uint256[] calldata amounts) external;

    /// @notice The caller spends `amount` of programme `programmeId` at merchant `merchantId` for invoice
    /// `invoiceRef`, under VAT category `categoryId` (0: the merchant's default), through VatPayments.
    function spend(uint256 programmeId, uint64 merchantId, uint256 amount, uint8 categoryId, bytes32 invoiceRef)
        external
        returns (bytes32 paymentId);

    /// @notice {spend} on behalf of `auth.beneficiary`, who signed `auth` (EIP-712 or ERC-1271); anyone submits.
    function spendWithAuthorization(SpendAuthorization calldata auth, bytes calldata signature)
        external
        returns (bytes32 paymentId);

    /// @notice Returns `amount` of unallocated funds of a live programme to its sponsor. Sponsor only.
    function withdrawUnallocated(uint256 programmeId, uint256 amount) external;

    /// @notice After expiry, returns everything the programme locks to its sponsor in one call and closes it.
    function reclaim(uint256 programmeId) external;

    /// @notice Court-ordered: returns `amount` of `from`'s vouchers to the programme's unallocated funds.
    /// The token's COMPLIANCE_ROLE; works while paused.
    function seizeVouchers(uint256 programmeId, address from, uint256 amount, bytes32 legalReference) external;

    /// @notice Wallet recovery: moves all vouchers of `programmeIds` from `lostAccount` to KYC-approved
    /// `newAccount`. The token's COMPLIANCE_ROLE; works while paused.
    function recoverVouchers(
        uint256[] calldata programmeIds,
        address lostAccount,
        address newAccount,
        bytes32 legalReference
    ) external;

    /// @notice Adds `amount` of surplus tenge (held beyond what programmes lock) to programme `programmeId`'s
    /// unallocated funds. DEFAULT_ADMIN_ROLE.
    function assignSurplus(uint256 programmeId, uint256 amount, bytes32 surplusRef) external;

    /// @notice Pauses funding, allocation, spending and transfers. PAUSER_ROLE.
    function pause() external;

    /// @notice Lifts the pause. PAUSER_ROLE.
    function unpause() external;

    /// @notice Terms and state of programme `programmeId`.
    function programme(uint256 programmeId)
        external
        view
        returns (
            address sponsor,
            ProgrammeTerms memory terms,
            uint256 unallocated,
            uint256 outstanding,
            bool closed
        );

    /// @notice Tenge locked by programme `programmeId` (unallocated + outstanding vouchers).
    function locked(uint256 programmeId) external view returns (uint256);

    /// @notice Tenge locked by all programmes together.
    function totalLocked() external view returns (uint256);

    /// @notice Tenge this contract holds beyond what all programmes lock.
    function surplus() external view returns (uint256);

    /// @notice What `beneficiary` may still spend of programme `programmeId` today (balance and daily limit).
    function spendableToday(uint256 programmeId, address beneficiary) external view returns (uint256);

    /// @notice The invoice reference VatPayments records a programme payment under (its `Paid` event, the refund):
    /// `keccak256(abi.encode(beneficiary, invoiceRef))`. Every programme payment has this contract as payer, so
    /// the reference binds the beneficiary: one holder cannot take another's invoice (issue 18, finding 6).
    function vatInvoiceRef(address beneficiary, bytes32 invoiceRef) external pure returns (bytes32);

    /// @notice The EIP-712 digest a beneficiary signs for {spendWithAuthorization}.
    function spendAuthorizationDigest(SpendAuthorization calldata auth) external view returns (bytes32);
}
