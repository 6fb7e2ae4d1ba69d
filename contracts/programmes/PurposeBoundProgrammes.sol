// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IDigitalTenge} from "../interfaces/IDigitalTenge.sol";
import {IVatPayments} from "../payments/IVatPayments.sol";
import {IPurposeBoundProgrammes} from "./IPurposeBoundProgrammes.sol";

/**
 * @title PurposeBoundProgrammes
 * @notice Purpose-bound money over the digital tenge: one ERC-1155 token id per programme, each voucher unit backed
 * 1:1 by a locked tiyn. See {IPurposeBoundProgrammes} for the rules.
 *
 * Beyond Orchid's PBM: spending is a VAT payment (the tax authority sees canteen VAT like any other sale), the
 * purpose is a set of VAT categories read from the merchant registry (not a merchant list to maintain), daily
 * limits, bound or transferable vouchers, offline-signed spending, the token's KYC and freezes apply to voucher
 * holders, the token's compliance officers seize and recover vouchers, reclaim after expiry is one call.
 *
 * This contract must be KYC-approved on the token's uncapped business tier: it holds the locked tenge and is the
 * payer of every programme payment. It approves VatPayments once, for an unlimited amount, at construction.
 *
 * Gas: allocation writes one balance word and emits one `TransferSingle` per beneficiary, plus one token read
 * (the KYC tier; a freeze is checked when vouchers are spent or passed on); the acceptance check of ERC-1155 is not run on allocation
 * (beneficiaries spend through this contract; nothing can be stuck), it is on transfers.
 *
 * No reentrancy guard: the only contracts called are the immutable token and VatPayments (no hooks into
 * recipients), each after this contract's state is written; the ERC-1155 acceptance call of a holder-to-holder
 * transfer comes last, when the balances are final.
 *
 * Roles: DEFAULT_ADMIN_ROLE (two-step hand-over; assigns surplus), SPONSOR_ROLE (creates programmes; each
 * programme's sponsor alone funds, allocates, withdraws and reclaims it, and only while it still holds the role:
 * a revoked sponsor's programmes stay locked, vouchers spendable, until the role is granted again), PAUSER_ROLE. Seizure and recovery are
 * for the holders of the token's own COMPLIANCE_ROLE: the same officers act on vouchers as on tenge.
 */
contract PurposeBoundProgrammes is
    ERC1155,
    AccessControlDefaultAdminRules,
    Pausable,
    EIP712,
    IPurposeBoundProgrammes
{
    using SafeERC20 for IDigitalTenge;

    /// @notice Creates programmes (a budget holder).
    bytes32 public constant SPONSOR_ROLE = keccak256("SPONSOR_ROLE");
    /// @notice Pauses funding, allocation, spending and transfers.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @dev The token's role whose holders seize and recover vouchers.
    bytes32 private constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");

    /// @notice EIP-712 type of {SpendAuthorization}.
    bytes32 public constant SPEND_AUTHORIZATION_TYPEHASH = keccak256(
        "SpendAuthorization(uint256 programmeId,address beneficiary,uint64 merchantId,uint256 amount,uint8 categoryId,"
        "bytes32 invoiceRef,uint64 validAfter,uint64 validBefore)"
    );

    /// @dev Storage of one programme, packed so that a spend reads three words and writes one: slot 0 sponsor |
    /// validFrom | expiry | transferable | closed; slot 1 dailyLimit | outstanding (the word a spend writes);
    /// slot 2 purpose; slot 3 unallocated; slot 4 budget code. Times are unix seconds (40 bits: beyond year 36000).
    struct Programme {
        address sponsor;
        uint40 validFrom;
        uint40 expiry;
        bool transferable;
        bool closed;
        uint128 dailyLimit;
        uint128 outstanding;
        uint256 purposeMask;
        uint128 unallocated;
        bytes32 budgetCode;
    }

    /// @dev One holder of one programme, in one word: the voucher balance and what was spent on the UTC day `day`
    /// (a spend reads and writes this single word for both its balance and its daily limit).
    struct Holder {
        uint128 balance;
        uint32 day;
        uint96 spentToday;
    }

    /// @notice The currency token.
    IDigitalTenge public immutable token;
    /// @notice The VAT payments contract every spend goes through.
    IVatPayments public immutable vatPayments;

    /// @notice Number of programmes created; ids run from 1.
    uint256 public programmeCount;
    /// @dev The sum of every programme's locked tenge (see {totalLocked}) and the global pause flag share one word:
    /// a spend reads the flag and writes the sum (OpenZeppelin's own `_paused` word stays unused: see {paused}).
    uint248 private _totalLocked;
    bool private _halted;

    mapping(uint256 programmeId => Programme) private _programmes;
    /// @dev Voucher balances and daily spending, kept here rather than in OpenZeppelin's private ERC-1155 mapping
    /// so that {allocate} writes them directly (no singleton arrays per beneficiary); {_update} is the only other
    /// writer of balances besides a spend ({_spendVouchers}, which also keeps the daily figures).
    mapping(uint256 programmeId => mapping(address holder => Holder)) private _holders;

    /**
     * @param vatPayments_ VatPayments, whose token is the currency.
     * @param initialAdminDelay Delay of a DEFAULT_ADMIN_ROLE hand-over.
     * @param initialAdmin The first DEFAULT_ADMIN_ROLE holder.
     * @param uri_ ERC-1155 metadata URI (`{id}` substituted by wallets).
     */
    constructor(IVatPayments vatPayments_, uint48 initialAdminDelay, address initialAdmin, string memory uri_)
        ERC1155(uri_)
        AccessControlDefaultAdminRules(initialAdminDelay, initialAdmin)
        EIP712("Digital Tenge Programmes", "1")
    {
        if (address(vatPayments_) == address(0)) revert InvalidSetup();
        IDigitalTenge token_ = vatPayments_.token();
        if (address(token_) == address(0)) revert InvalidSetup();
        token = token_;
        vatPayments = vatPayments_;
        token_.forceApprove(address(vatPayments_), type(uint256).max);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sponsor
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IPurposeBoundProgrammes
    function createProgramme(ProgrammeTerms calldata terms) external onlyRole(SPONSOR_ROLE) returns (uint256 id) {
        uint64 validFrom = terms.validFrom == 0 ? uint64(block.timestamp) : terms.validFrom;
        if (
            terms.purposeMask == 0 || terms.budgetCode == bytes32(0) || terms.expiry <= validFrom
                || terms.expiry <= block.timestamp || terms.expiry > type(uint40).max
        ) revert InvalidTerms();
        id = ++programmeCount;
        _programmes[id] = Programme({
            sponsor: _msgSender(),
            validFrom: uint40(validFrom), // < expiry <= type(uint40).max
            transferable: terms.transferable,
            closed: false,
            expiry: uint40(terms.expiry),
            dailyLimit: terms.dailyLimit,
            purposeMask: terms.purposeMask,
            unallocated: 0,
            outstanding: 0,
            budgetCode: terms.budgetCode
        });
        emit ProgrammeCreated(
            id, _msgSender(), terms.budgetCode, terms.purposeMask, validFrom, terms.expiry, terms.dailyLimit,
            terms.transferable
        );
    }

    /// @inheritdoc IPurposeBoundProgrammes
    function fund(uint256 programmeId, uint256 amount) external whenNotPaused {
        Programme storage p = _sponsored(programmeId);
        _requireBeforeExpiry(programmeId, p);
        if (amount == 0) revert ZeroAmount();
        p.unallocated = SafeCast.toUint128(p.unallocated + amount);
        _totalLocked += uint248(amount); // amount < 2^128: it fits the programme's uint128
        emit ProgrammeFunded(programmeId, _msgSender(), amount);
        token.safeTransferFrom(_msgSender(), address(this), amount);
    }

    /// @inheritdoc IPurposeBoundProgrammes
    function allocate(uint256 programmeId, address[] calldata beneficiaries, uint256[] calldata amounts)
        external
        whenNotPaused
    {
        Programme storage p = _sponsored(programmeId);
        _requireBeforeExpiry(programmeId, p);
        uint256 n = beneficiaries.length;
        if (n != amounts.length) revert BatchLengthMismatch(n, amounts.length);
        if (n == 0) revert ZeroAmount();
        uint256 total = _allocateBatch(programmeId, beneficiaries, amounts);
        uint256 unallocated = p.unallocated;
        if (total > unallocated) revert InsufficientUnallocated(programmeId, unallocated, total);
        p.unallocated = uint128(unallocated - total);
        p.outstanding += uint128(total); // outstanding + unallocated <= funded, which fits uint128
        emit VouchersAllocated(programmeId, _msgSender(), n, total);
    }

    /// @inheritdoc IPurposeBoundProgrammes
    function withdrawUnallocated(uint256 programmeId, uint256 amount) external whenNotPaused {
        Programme storage p = _sponsored(programmeId);
        if (p.closed) revert ProgrammeClosed(programmeId);
        if (amount == 0) revert ZeroAmount();
        uint256 unallocated = p.unallocated;
        if (amount > unallocated) revert InsufficientUnallocated(programmeId, unallocated, amount);
        p.unallocated = uint128(unallocated - amount);
        _totalLocked -= uint248(amount);
        emit UnallocatedWithdrawn(programmeId, p.sponsor, amount);
        token.safeTransfer(p.sponsor, amount);
    }

    /// @inheritdoc IPurposeBoundProgrammes
    function reclaim(uint256 programmeId) external whenNotPaused {
        Programme storage p = _sponsored(programmeId);
        if (p.closed) revert ProgrammeClosed(programmeId);
        if (block.timestamp < p.expiry) revert ProgrammeNotExpired(programmeId, p.expiry);
        uint256 unallocated = p.unallocated;
        uint256 unspent = p.outstanding;
        p.closed = true;
        p.unallocated = 0;
        p.outstanding = 0;
        _totalLocked -= uint248(unallocated + unspent);
        emit ProgrammeReclaimed(programmeId, p.sponsor, unallocated, unspent);
        if (unallocated + unspent != 0) token.safeTransfer(p.sponsor, unallocated + unspent);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Spending
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IPurposeBoundProgrammes
    function spend(uint256 programmeId, uint64 merchantId, uint256 amount, uint8 categoryId, bytes32 invoiceRef)
        external
        whenNotPaused
        returns (bytes32)
    {
        return _spend(programmeId, _msgSender(), merchantId, amount, categoryId, invoiceRef);
    }

    /// @inheritdoc IPurposeBoundProgrammes
    function spendWithAuthorization(SpendAuthorization calldata auth, bytes calldata signature)
        external
        whenNotPaused
        returns (bytes32)
    {
        if (block.timestamp <= auth.validAfter) revert AuthorizationNotYetValid(auth.validAfter);
        if (block.timestamp >= auth.validBefore) revert AuthorizationExpired(auth.validBefore);
        if (!SignatureChecker.isValidSignatureNow(auth.beneficiary, spendAuthorizationDigest(auth), signature)) {
            revert InvalidSpendSignature(auth.beneficiary);
        }
        return _spend(auth.programmeId, auth.beneficiary, auth.merchantId, auth.amount, auth.categoryId, auth.invoiceRef);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Compliance and admin
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IPurposeBoundProgrammes
    function seizeVouchers(uint256 programmeId, address from, uint256 amount, bytes32 legalReference) external {
        _requireCompliance();
        Programme storage p = _existing(programmeId);
        if (p.closed) revert ProgrammeClosed(programmeId);
        if (amount == 0) revert ZeroAmount();
        _burnVouchers(programmeId, from, amount);
        p.outstanding -= uint128(amount);
        p.unallocated += uint128(amount);
        emit VouchersSeized(programmeId, _msgSender(), from, amount, legalReference);
    }

    /// @inheritdoc IPurposeBoundProgrammes
    function recoverVouchers(
        uint256[] calldata programmeIds,
        address lostAccount,
        address newAccount,
        bytes32 legalReference
    ) external {
        _requireCompliance();
        if (newAccount == lostAccount) revert AccountNotEligible(newAccount);
        if (programmeIds.length == 0) revert ZeroAmount();
        _requireEligible(newAccount);
        for (uint256 i; i < programmeIds.length; ++i) {
            uint256 id = programmeIds[i];
            if (_existing(id).closed) revert ProgrammeClosed(id);
            uint256 amount = _holders[id][lostAccount].balance;
            if (amount == 0) continue;
            _burnVouchers(id, lostAccount, amount);
            _mintVouchers(id, newAccount, amount);
            emit VouchersRecovered(id, lostAccount, newAccount, amount, legalReference);
        }
    }

    /// @inheritdoc IPurposeBoundProgrammes
    function assignSurplus(uint256 programmeId, uint256 amount, bytes32 surplusRef)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        Programme storage p = _existing(programmeId);
        if (p.closed) revert ProgrammeClosed(programmeId);
        if (amount == 0) revert ZeroAmount();
        uint256 available = surplus();
        if (amount > available) revert SurplusExceeded(available, amount);
        p.unallocated = SafeCast.toUint128(p.unallocated + amount);
        _totalLocked += uint248(amount); // amount < 2^128: it fits the programme's uint128
        emit SurplusAssigned(programmeId, amount, surplusRef);
    }

    /// @inheritdoc IPurposeBoundProgrammes
    function totalLocked() public view returns (uint256) {
        return _totalLocked;
    }

    /// @notice Whether spending, funding, allocation and transfers are paused (the flag shares a word with
    /// {totalLocked}).
    function paused() public view override returns (bool) {
        return _halted;
    }

    /// @inheritdoc IPurposeBoundProgrammes
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IPurposeBoundProgrammes
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IPurposeBoundProgrammes
    function programme(uint256 programmeId)
        external
        view
        returns (address sponsor, ProgrammeTerms memory terms, uint256 unallocated, uint256 outstanding, bool closed)
    {
        Programme storage p = _existing(programmeId);
        terms = ProgrammeTerms({
            purposeMask: p.purposeMask,
            validFrom: p.validFrom,
            expiry: p.expiry,
            dailyLimit: p.dailyLimit,
            transferable: p.transferable,
            budgetCode: p.budgetCode
        });
        return (p.sponsor, terms, p.unallocated, p.outstanding, p.closed);
    }

    /// @inheritdoc IPurposeBoundProgrammes
    function locked(uint256 programmeId) external view returns (uint256) {
        Programme storage p = _existing(programmeId);
        return uint256(p.unallocated) + p.outstanding;
    }

    /// @inheritdoc IPurposeBoundProgrammes
    function surplus() public view returns (uint256) {
        uint256 held = token.balanceOf(address(this));
        uint256 lockedSum = _totalLocked;
        return held > lockedSum ? held - lockedSum : 0;
    }

    /// @inheritdoc IPurposeBoundProgrammes
    function spendableToday(uint256 programmeId, address beneficiary) external view returns (uint256) {
        Programme storage p = _existing(programmeId);
        if (p.closed || block.timestamp < p.validFrom || block.timestamp >= p.expiry) return 0;
        Holder memory h = _holders[programmeId][beneficiary];
        uint256 balance = h.balance;
        if (p.dailyLimit == 0) return balance;
        uint256 used = h.day < block.timestamp / 1 days ? 0 : h.spentToday; // days only move forward
        uint256 left = used >= p.dailyLimit ? 0 : p.dailyLimit - used;
        return left < balance ? left : balance;
    }

    /// @inheritdoc IPurposeBoundProgrammes
    function spendAuthorizationDigest(SpendAuthorization calldata auth) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    SPEND_AUTHORIZATION_TYPEHASH, auth.programmeId, auth.beneficiary, auth.merchantId, auth.amount,
                    auth.categoryId, auth.invoiceRef, auth.validAfter, auth.validBefore
                )
            )
        );
    }

    /// @inheritdoc IPurposeBoundProgrammes
    function vatInvoiceRef(address beneficiary, bytes32 invoiceRef) public pure returns (bytes32 ref) {
        // keccak256(abi.encode(beneficiary, invoiceRef)), hashed in the scratch space (nothing allocated).
        assembly ("memory-safe") {
            mstore(0x00, beneficiary)
            mstore(0x20, invoiceRef)
            ref := keccak256(0x00, 0x40)
        }
    }

    /// @notice Vouchers of a closed (reclaimed) programme are void: their balance reads 0.
    function balanceOf(address account, uint256 id) public view override returns (uint256) {
        return _programmes[id].closed ? 0 : _holders[id][account].balance;
    }

    /// @inheritdoc ERC1155
    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(ERC1155, AccessControlDefaultAdminRules)
        returns (bool)
    {
        return ERC1155.supportsInterface(interfaceId) || AccessControlDefaultAdminRules.supportsInterface(interfaceId);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------------------

    /**
     * @dev Holder-to-holder transfers (`safeTransferFrom`, `safeBatchTransferFrom`): the programme must allow
     * them and be live, both holders eligible on the token, nothing paused. Mints and burns are this contract's
     * own moves, checked where they are made.
     */
    function _update(address from, address to, uint256[] memory ids, uint256[] memory values) internal override {
        if (ids.length != values.length) revert ERC1155InvalidArrayLength(ids.length, values.length);
        if (from != address(0) && to != address(0)) {
            _requireNotPaused();
            for (uint256 i; i < ids.length; ++i) {
                Programme storage p = _existing(ids[i]);
                _requireLive(ids[i], p);
                if (!p.transferable) revert VoucherNotTransferable(ids[i]);
            }
            _requireEligible(from);
            _requireEligible(to);
        }
        // OpenZeppelin's ERC1155._update, on this contract's own balance mapping.
        for (uint256 i; i < ids.length; ++i) {
            uint256 id = ids[i];
            uint256 value = values[i];
            if (from != address(0)) {
                Holder storage h = _holders[id][from];
                uint256 fromBalance = h.balance;
                if (fromBalance < value) revert ERC1155InsufficientBalance(from, fromBalance, value, id);
                h.balance = uint128(fromBalance - value); // < fromBalance < 2^128
            }
            if (to != address(0)) _holders[id][to].balance += SafeCast.toUint128(value);
        }
        if (ids.length == 1) emit TransferSingle(_msgSender(), from, to, ids[0], values[0]);
        else emit TransferBatch(_msgSender(), from, to, ids, values);
    }

    /// @dev The allocation loop: per beneficiary one token read (KYC tier), one balance word, one TransferSingle.
    function _allocateBatch(uint256 programmeId, address[] calldata beneficiaries, uint256[] calldata amounts)
        private
        returns (uint256 total)
    {
        address operator = _msgSender();
        mapping(address => Holder) storage holders = _holders[programmeId];
        uint256 n = beneficiaries.length;
        for (uint256 i; i < n;) {
            address to = beneficiaries[i];
            uint256 amount = amounts[i];
            if (amount == 0) revert ZeroAmount();
            // KYC only (one token read): a frozen holder keeps vouchers but cannot spend or pass them on.
            if (token.tierOf(to) == 0) revert AccountNotEligible(to);
            // Cannot wrap: an amount of 2^128 or more makes `total` exceed `unallocated` (< 2^128), which reverts
            // after the loop, and a holder's balance plus its allocation stays within the funded total.
            unchecked {
                holders[to].balance += uint128(amount);
            }
            total += amount;
            emit TransferSingle(operator, address(0), to, programmeId, amount);
            unchecked {
                ++i;
            }
        }
    }

    function _spend(
        uint256 programmeId,
        address beneficiary,
        uint64 merchantId,
        uint256 amount,
        uint8 categoryId,
        bytes32 invoiceRef
    ) private returns (bytes32 paymentId) {
        Programme storage p = _existing(programmeId);
        _requireLive(programmeId, p);
        if (amount == 0) revert ZeroAmount();
        _requireEligible(beneficiary);
        // The merchant's registered category must be in the purpose, and so must the category the sale is named
        // under (a shop cannot pass as a canteen by naming the canteen's category). Only the category matters
        // here; the split is VatPayments' business.
        // slither-disable-next-line unused-return
        (,,, uint8 registered) = vatPayments.quote(merchantId, amount, 0);
        uint8 applied = categoryId == 0 ? registered : categoryId;
        uint256 mask = p.purposeMask;
        if ((mask >> registered) & 1 == 0) revert OutsidePurpose(programmeId, merchantId, registered);
        if ((mask >> applied) & 1 == 0) revert OutsidePurpose(programmeId, merchantId, applied);
        _spendVouchers(programmeId, beneficiary, p.dailyLimit, amount);
        p.outstanding -= uint128(amount);
        _totalLocked -= uint248(amount);
        // The payer of every programme payment is this contract: the reference VatPayments keys the payment by
        // binds the beneficiary, so no other holder can take (pre-empt) a beneficiary's invoice.
        bytes32 vatRef = vatInvoiceRef(beneficiary, invoiceRef);
        paymentId = keccak256(abi.encode(merchantId, address(this), vatRef)); // IVatPayments.paymentId
        emit VoucherSpent(programmeId, beneficiary, merchantId, paymentId, amount, applied, invoiceRef);
        if (vatPayments.pay(merchantId, amount, applied, vatRef) != paymentId) revert InvalidSetup();
    }

    /// @dev The daily limit (when `limit` is not 0) and the burn, on the holder's one word, written once; the
    /// `TransferSingle` of the burn as {_update} emits it.
    function _spendVouchers(uint256 programmeId, address beneficiary, uint128 limit, uint256 amount) private {
        Holder memory h = _holders[programmeId][beneficiary];
        if (limit != 0) {
            uint32 today = uint32(block.timestamp / 1 days); // 2^32 days: millions of years
            uint256 used = h.day < today ? 0 : h.spentToday; // days only move forward
            uint256 remaining = used >= limit ? 0 : limit - used;
            if (amount > remaining) revert DailyLimitExceeded(programmeId, beneficiary, remaining, amount);
            h.day = today;
            h.spentToday = SafeCast.toUint96(used + amount); // <= limit
        }
        uint256 balance = h.balance;
        if (balance < amount) revert InsufficientVouchers(programmeId, beneficiary, balance, amount);
        h.balance = uint128(balance - amount);
        _holders[programmeId][beneficiary] = h;
        emit TransferSingle(_msgSender(), beneficiary, address(0), programmeId, amount);
    }

    function _burnVouchers(uint256 programmeId, address from, uint256 amount) private {
        uint256 balance = _holders[programmeId][from].balance;
        if (balance < amount) revert InsufficientVouchers(programmeId, from, balance, amount);
        (uint256[] memory ids, uint256[] memory values) = _single(programmeId, amount);
        _update(from, address(0), ids, values);
    }

    function _mintVouchers(uint256 programmeId, address to, uint256 amount) private {
        (uint256[] memory ids, uint256[] memory values) = _single(programmeId, amount);
        _update(address(0), to, ids, values);
    }

    function _single(uint256 id, uint256 value) private pure returns (uint256[] memory ids, uint256[] memory values) {
        ids = new uint256[](1);
        values = new uint256[](1);
        ids[0] = id;
        values[0] = value;
    }

    function _existing(uint256 programmeId) private view returns (Programme storage p) {
        p = _programmes[programmeId];
        if (p.sponsor == address(0)) revert UnknownProgramme(programmeId);
    }

    /// @dev The programme's own sponsor, still holding SPONSOR_ROLE: revoking the role reaches the programmes the
    /// account created (no funding, allocation, withdrawal or reclaim until the role is granted again).
    function _sponsored(uint256 programmeId) private view returns (Programme storage p) {
        p = _existing(programmeId);
        if (p.sponsor != _msgSender()) revert NotSponsor(programmeId, _msgSender());
        _checkRole(SPONSOR_ROLE);
    }

    function _requireBeforeExpiry(uint256 programmeId, Programme storage p) private view {
        if (p.closed) revert ProgrammeClosed(programmeId);
        if (block.timestamp >= p.expiry) revert ProgrammeExpired(programmeId, p.expiry);
    }

    function _requireLive(uint256 programmeId, Programme storage p) private view {
        _requireBeforeExpiry(programmeId, p);
        if (block.timestamp < p.validFrom) revert ProgrammeNotStarted(programmeId, p.validFrom);
    }

    /// @dev KYC-approved (tier != 0) and not wholly frozen on the token (both live in one account word there).
    function _requireEligible(address account) private view {
        if (token.tierOf(account) == 0 || token.isFrozen(account)) revert AccountNotEligible(account);
    }

    /// @dev OpenZeppelin's {Pausable-_pause} on this contract's packed flag.
    function _pause() internal override whenNotPaused {
        _halted = true;
        emit Paused(_msgSender());
    }

    /// @dev OpenZeppelin's {Pausable-_unpause} on this contract's packed flag.
    function _unpause() internal override whenPaused {
        _halted = false;
        emit Unpaused(_msgSender());
    }

    function _requireCompliance() private view {
        if (!token.hasRole(COMPLIANCE_ROLE, _msgSender())) revert NotCompliance(_msgSender());
    }
}
