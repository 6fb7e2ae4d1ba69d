// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IDigitalTenge} from "../interfaces/IDigitalTenge.sol";
import {IVatPayments} from "../payments/IVatPayments.sol";
import {VatMath} from "../payments/VatMath.sol";
import {IOfflinePurses} from "./IOfflinePurses.sol";
import {PurseBanks} from "./PurseBanks.sol";

/**
 * @title OfflinePurses
 * @notice Offline purses with a merchant guarantee. See {IOfflinePurses} for the typed data.
 *
 * Money: opening a purse moves `amount` from the holder into this contract (no new money; the token is
 * untouched). Per purse, locked = unsettled + settled from the purse + returned to the holder; settled payments
 * beyond the purse's amount come from the issuing bank's deposit ({PurseBanks}), never from another purse.
 *
 * Threat model and bound: a device may be cloned or tampered with, so it can sign the same tiyn twice. A merchant's
 * terminal accepts a payment offline only with the bank's certificate, a valid device signature, cumulative <=
 * purse amount, a sequence above anything it saw from that purse and an interval (cumulative - amount, cumulative]
 * above the last one it accepted from that purse, before expiry; so one honest merchant holds at most `amount`
 * from a purse. A cloned purse reaching R merchants before expiry can therefore be presented at most
 * amount x R. Each purse pays at most amount x reach in total (`reach` is the bank's limit, set by the central
 * bank): `amount` from the purse, up to amount x (reach - 1) from the bank's deposit, reserved when the purse was
 * opened (the deposit never falls below its reservations). Every honest merchant is paid in full when the clone
 * reaches at most `reach` merchants and the merchants settle within the settlement grace period after expiry.
 * A bank's loss is at most amount x (reach - 1) per purse, recoverable from the holder: the proof is stored
 * ({proofOf}) for compliance's forced transfer.
 *
 * Double spends prove themselves: two settled payments with the same sequence from different merchants (an honest
 * device never repeats a sequence), or payments adding up to more than the purse (an honest device's intervals
 * never overlap, so by the pigeonhole two of them overlap). Either revokes the purse (status Cheated) and records the
 * proof; the payment is still paid in full.
 *
 * No payment is settled twice: each (purse, sequence) records the merchant that settled it; the same merchant again
 * is a replay (skipped with {PaymentSkipped}), another merchant is the proof above (its settlement is recorded in a
 * per-(purse, sequence, merchant) flag, written only on that rare path).
 *
 * Gas: storage is shared across payments, no new slot per payment. A payment reads the purse's key word (device,
 * amount, expiry, status), and reads and writes its ledger word (paid total, reach, the settling merchant of
 * sequences 1-5 as 32-bit merchant indices; the word is non-zero from opening, so writing it costs 2 900, not
 * 20 000). Sequences from 6 use a word per 8 sequences of a purse (a new slot once per 8 payments). A merchant gets
 * its 32-bit index on its first settlement. The batch reads the merchant and its VAT rate from VatPayments once and
 * makes two token transfers (net to the merchant, VAT to the VatPayments escrow). `tenge bench gas` reports the
 * cost per payment of a batch of 100 beside a plain transfer.
 *
 * Roles: DEFAULT_ADMIN_ROLE (the central bank: two-step hand-over; grants ISSUER_ROLE, sets bank limits and the
 * grace period), ISSUER_ROLE (banks: certify purses, keep the deposit, revoke their purses). Opening, settling and
 * closing need no role (the holder, any submitter, anyone after the grace period).
 *
 * No reentrancy guard: the only contracts called are the immutable DigitalTenge (no recipient hooks) and VatPayments
 * (views), and every function writes its state before the token moves.
 */
contract OfflinePurses is PurseBanks, EIP712 {
    /// @inheritdoc IOfflinePurses
    uint256 public constant MAX_BATCH = 100;

    /// @notice EIP-712 type of a purse certificate.
    bytes32 public constant CERTIFICATE_TYPEHASH =
        keccak256("PurseCertificate(bytes32 purseId,address device,uint256 amount,uint64 expiry,address bank)");

    /// @notice EIP-712 type of an offline payment.
    bytes32 public constant PAYMENT_TYPEHASH = keccak256(
        "OfflinePayment(bytes32 purseId,uint64 sequence,uint256 amount,uint256 cumulative,address merchant,"
        "bytes32 invoice,uint64 time)"
    );

    /// @dev Sequences kept in the ledger word; the merchant index of a sequence is 32 bits.
    uint256 private constant LEDGER_SEQUENCES = 5;
    uint256 private constant WORD_SEQUENCES = 8;
    uint256 private constant INDEX_MASK = 0xffffffff;

    /// @dev slot 0: the key word (read per payment); slot 1: the ledger word (read and written per payment,
    /// non-zero from opening since reach >= 1); slot 2: holder and times; slot 3: the issuing bank.
    struct Purse {
        address device;
        uint48 amount;
        uint40 expiry;
        PurseStatus status;
        uint64 paid;
        uint8 reach;
        uint160 sequences;
        address holder;
        uint40 revokedAt;
        uint40 closableAt;
        address bank;
    }

    /// @dev One {settleBatch}: its merchant and running totals.
    struct Batch {
        address payout;
        uint16 rateBps;
        uint32 index;
        uint64 merchantId;
        uint256 gross;
        uint256 vat;
        uint256 count;
    }

    /// @dev A stored double-spend proof (the amounts are derived from the purse).
    struct Proof {
        ProofKind kind;
        uint64 sequence;
        uint64 firstMerchantId;
        uint64 secondMerchantId;
        uint40 detectedAt;
    }

    /// @notice VatPayments: the merchant registry and VAT rates; VAT shares go to its escrow.
    IVatPayments public immutable vatPayments;

    /// @inheritdoc IOfflinePurses
    uint64 public settlementGrace;

    uint32 private _merchantCount;

    mapping(bytes32 purseId => Purse) private _purses;
    mapping(bytes32 purseId => mapping(uint256 word => uint256)) private _sequenceWords;
    mapping(bytes32 key => bool) private _conflictSettled;
    mapping(bytes32 purseId => Proof) private _proofs;
    mapping(address holder => uint256) private _openPurses;
    mapping(uint64 merchantId => uint32) private _merchantIndex;
    mapping(uint32 index => uint64) private _merchantIdOf;

    /**
     * @param token_ The DigitalTenge (proxy); this contract must be KYC-approved on an uncapped tier there.
     * @param vatPayments_ The VatPayments whose merchants are paid (and whose escrow receives the VAT).
     * @param grace The settlement grace period, seconds.
     * @param initialAdminDelay Delay of a DEFAULT_ADMIN_ROLE hand-over.
     * @param initialAdmin The first DEFAULT_ADMIN_ROLE holder.
     */
    constructor(
        IDigitalTenge token_,
        IVatPayments vatPayments_,
        uint64 grace,
        uint48 initialAdminDelay,
        address initialAdmin
    )
        PurseBanks(token_)
        EIP712("TengeOfflinePurses", "1")
        AccessControlDefaultAdminRules(initialAdminDelay, initialAdmin)
    {
        if (address(vatPayments_) == address(0)) revert InvalidPurseSetup(address(vatPayments_));
        vatPayments = vatPayments_;
        _setGrace(grace);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Opening, revoking, closing
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IOfflinePurses
    function setSettlementGrace(uint64 grace) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setGrace(grace);
    }

    /// @inheritdoc IOfflinePurses
    function openPurse(PurseCertificate calldata c, bytes calldata signature) external {
        address holder = _msgSender();
        // slither-disable-next-line unused-return
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(certificateDigest(c), signature); // 3rd: detail
        if (err != ECDSA.RecoverError.NoError || signer != c.bank) revert InvalidCertificateSignature(c.bank);
        uint256 reach = _checkLimits(c, holder);
        uint256 reserved = c.amount * (reach - 1);
        _reserve(c.bank, reserved);
        ++_openPurses[holder];
        Purse storage p = _purses[c.purseId];
        p.device = c.device;
        p.amount = uint48(c.amount);
        p.expiry = uint40(c.expiry);
        p.status = PurseStatus.Open;
        p.reach = uint8(reach);
        p.holder = holder;
        p.closableAt = uint40(c.expiry + settlementGrace);
        p.bank = c.bank;
        emit PurseOpened(c.purseId, holder, c.bank, c.device, c.amount, c.expiry, reserved);
        if (!token.transferFrom(holder, address(this), c.amount)) revert TokenOperationFailed();
    }

    /// @dev Checks certificate `c` against its bank's role and limits and `holder`'s open purses; returns the
    /// bank's reach.
    function _checkLimits(PurseCertificate calldata c, address holder) private view returns (uint256 reach) {
        if (!hasRole(ISSUER_ROLE, c.bank)) revert NotIssuer(c.bank);
        Bank storage b = _banks[c.bank];
        reach = b.reach;
        if (reach == 0) revert BankLimitsUnset(c.bank);
        if (c.purseId == bytes32(0) || c.device == address(0)) revert InvalidCertificate();
        if (_purses[c.purseId].status != PurseStatus.None) revert PurseExists(c.purseId);
        if (c.amount == 0) revert ZeroAmount();
        if (c.amount > b.maxPurseAmount) revert PurseAmountAboveLimit(c.amount, b.maxPurseAmount);
        uint64 latest = uint64(block.timestamp) + b.maxLifetime;
        if (c.expiry <= block.timestamp || c.expiry > latest) revert InvalidExpiry(c.expiry, latest);
        uint256 open = _openPurses[holder];
        if (open >= b.maxPursesPerHolder) revert TooManyPurses(holder, open);
    }

    /// @inheritdoc IOfflinePurses
    function revokePurse(bytes32 purseId) external {
        Purse storage p = _purses[purseId];
        if (_msgSender() != p.bank) revert NotPurseParty(purseId, _msgSender());
        _revoke(purseId, p);
    }

    /// @inheritdoc IOfflinePurses
    function requestClose(bytes32 purseId) external {
        Purse storage p = _purses[purseId];
        if (_msgSender() != p.holder) revert NotPurseParty(purseId, _msgSender());
        _revoke(purseId, p);
    }

    /// @inheritdoc IOfflinePurses
    function closePurse(bytes32 purseId) external {
        Purse storage p = _purses[purseId];
        PurseStatus status = p.status;
        if (status == PurseStatus.None) revert UnknownPurse(purseId);
        if (status == PurseStatus.Closed) revert PurseAlreadyClosed(purseId);
        if (block.timestamp < p.closableAt) revert PurseNotClosable(purseId, p.closableAt);
        uint256 amount = p.amount;
        uint256 paid = p.paid;
        uint256 fromDeposit = paid > amount ? paid - amount : 0;
        uint256 returned = amount - (paid - fromDeposit);
        address holder = p.holder;
        p.status = PurseStatus.Closed;
        --_openPurses[holder];
        _release(p.bank, amount * (p.reach - 1) - fromDeposit);
        emit PurseClosed(purseId, holder, returned);
        if (returned != 0) {
            // A holder whose wallet was recovered cannot receive: the rest goes to the recovered wallet.
            address to = token.recoveredTo(holder);
            if (!token.transfer(to == address(0) ? holder : to, returned)) revert TokenOperationFailed();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Settling
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IOfflinePurses
    function settleBatch(uint64 merchantId, Payment[] calldata payments) external {
        if (payments.length == 0 || payments.length > MAX_BATCH) revert InvalidBatchSize(payments.length);
        // slither-disable-next-line uninitialized-local
        Batch memory b; // a zeroed accumulator, filled field by field below
        b.merchantId = merchantId;
        (b.payout, b.rateBps) = _payableMerchant(merchantId);
        b.index = _merchantIndexOf(merchantId);
        for (uint256 i = 0; i < payments.length; ++i) {
            _settleInBatch(payments[i], b);
        }
        emit BatchSettled(merchantId, b.payout, b.count, b.gross, b.vat, b.rateBps);
        if (b.gross != b.vat && !token.transfer(b.payout, b.gross - b.vat)) revert TokenOperationFailed();
        if (b.vat != 0 && !token.transfer(address(vatPayments), b.vat)) revert TokenOperationFailed();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IOfflinePurses
    function purse(bytes32 purseId) external view returns (PurseView memory v) {
        Purse storage p = _purses[purseId];
        v = PurseView({
            status: p.status,
            holder: p.holder,
            bank: p.bank,
            device: p.device,
            amount: p.amount,
            expiry: p.expiry,
            paid: p.paid,
            reach: p.reach,
            revokedAt: p.revokedAt,
            closableAt: p.closableAt
        });
    }

    /// @inheritdoc IOfflinePurses
    function proofOf(bytes32 purseId) external view returns (DoubleSpendProof memory proof) {
        Proof storage r = _proofs[purseId];
        Purse storage p = _purses[purseId];
        uint256 paid = p.paid;
        proof = DoubleSpendProof({
            kind: r.kind,
            sequence: r.sequence,
            firstMerchantId: r.firstMerchantId,
            secondMerchantId: r.secondMerchantId,
            detectedAt: r.detectedAt,
            holder: p.holder,
            bank: p.bank,
            overdrawn: paid > p.amount ? paid - p.amount : 0
        });
    }

    /// @inheritdoc IOfflinePurses
    function openPursesOf(address holder) external view returns (uint256) {
        return _openPurses[holder];
    }

    /// @inheritdoc IOfflinePurses
    function isSettled(bytes32 purseId, uint64 sequence, uint64 merchantId) external view returns (bool) {
        uint32 index = _merchantIndex[merchantId];
        if (index == 0 || sequence == 0) return false;
        (uint256 entry,,) = _sequenceEntry(_purses[purseId], purseId, sequence);
        return entry == index || _conflictSettled[_conflictKey(purseId, sequence, index)];
    }

    /// @inheritdoc IOfflinePurses
    function certificateDigest(PurseCertificate calldata c) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(CERTIFICATE_TYPEHASH, c.purseId, c.device, c.amount, c.expiry, c.bank))
        );
    }

    /// @notice The EIP-712 domain separator (name "TengeOfflinePurses", version "1", this chain and contract).
    // slither-disable-next-line naming-convention
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------------------

    /// @dev Settles `pay` within batch `b` (its receipt event and the batch totals).
    function _settleInBatch(Payment calldata pay, Batch memory b) private {
        uint256 amount = _settleOne(pay, b.payout, b.index, b.merchantId);
        if (amount == 0) return;
        uint256 v = VatMath.vatFromGross(amount, b.rateBps);
        emit PaymentSettled(pay.purseId, pay.sequence, amount, v, pay.invoice);
        unchecked {
            // each amount < 2^48 and at most MAX_BATCH of them
            b.gross += amount;
            b.vat += v;
            ++b.count;
        }
    }

    /**
     * @dev Checks and books one payment; returns the amount paid (0: skipped, with {PaymentSkipped}). Writes the
     * purse's ledger (and the bank's deposit when the purse is exhausted); the tokens move after the loop.
     */
    function _settleOne(Payment calldata pay, address payout, uint32 index, uint64 merchantId)
        private
        returns (uint256)
    {
        Purse storage p = _purses[pay.purseId];
        {
            (bool ok, SkipReason reason) = _check(pay, p, payout);
            if (!ok) return _skip(pay, reason);
        }
        uint256 entry;
        uint256 updated;
        {
            uint256 word;
            uint256 shift;
            (entry, word, shift) = _sequenceEntry(p, pay.purseId, pay.sequence);
            updated = word | (uint256(index) << shift);
        }
        bytes32 conflictKey = bytes32(0);
        if (entry != 0) {
            if (entry == index) return _skip(pay, SkipReason.AlreadySettled);
            conflictKey = _conflictKey(pay.purseId, pay.sequence, index);
            if (_conflictSettled[conflictKey]) return _skip(pay, SkipReason.AlreadySettled);
        }
        uint256 paid = p.paid;
        uint256 newPaid = paid + pay.amount;
        if (newPaid > uint256(p.amount) * p.reach) return _skip(pay, SkipReason.ReachExhausted);
        p.paid = uint64(newPaid);
        ProofKind kind = _markSettled(pay, p, entry, updated, conflictKey);
        if (_payFromDeposit(pay, p, paid, newPaid) && kind == ProofKind.None) kind = ProofKind.Overdrawn;
        if (kind != ProofKind.None) _proveDoubleSpend(pay, p, kind, uint32(entry), merchantId);
        return pay.amount;
    }

    /// @dev Records that the batch merchant settled `pay`'s sequence: in the sequence's entry when it is free
    /// (`updated` is its word with the merchant's index), else (another merchant settled it: a same-sequence double
    /// spend) in the conflict flag `conflictKey`.
    function _markSettled(Payment calldata pay, Purse storage p, uint256 entry, uint256 updated, bytes32 conflictKey)
        private
        returns (ProofKind)
    {
        if (entry != 0) {
            _conflictSettled[conflictKey] = true;
            return ProofKind.SameSequence;
        }
        if (pay.sequence <= LEDGER_SEQUENCES) {
            p.sequences = uint160(updated);
        } else {
            _sequenceWords[pay.purseId][(pay.sequence - LEDGER_SEQUENCES - 1) / WORD_SEQUENCES] = updated;
        }
        return ProofKind.None;
    }

    /// @dev Pays the part of `pay` beyond the purse's amount from the issuing bank's deposit (its reservation);
    /// true if there was such a part (the purse's payments overlap: a double spend).
    function _payFromDeposit(Payment calldata pay, Purse storage p, uint256 paid, uint256 newPaid)
        private
        returns (bool)
    {
        uint256 cap = p.amount;
        if (newPaid <= cap) return false;
        uint256 fromDeposit = newPaid - (paid > cap ? paid : cap);
        address issuer = p.bank;
        _spendReservation(issuer, fromDeposit);
        emit PaidFromDeposit(pay.purseId, issuer, pay.sequence, fromDeposit);
        return true;
    }

    /// @dev Whether `pay` is a valid payment of purse `p` to `payout` (its purse, amounts, time and device
    /// signature), and if not, why.
    function _check(Payment calldata pay, Purse storage p, address payout)
        private
        view
        returns (bool ok, SkipReason reason)
    {
        PurseStatus status = p.status;
        if (status == PurseStatus.None) return (false, SkipReason.UnknownPurse);
        if (status == PurseStatus.Closed) return (false, SkipReason.PurseClosed);
        uint256 amount = pay.amount;
        if (amount == 0 || amount > pay.cumulative || pay.cumulative > p.amount) {
            return (false, SkipReason.InvalidAmount);
        }
        if (pay.sequence == 0) return (false, SkipReason.InvalidSequence);
        if (pay.time > p.expiry) return (false, SkipReason.Expired);
        bytes32 digest = _hashTypedDataV4(
            keccak256(
                abi.encode(
                    PAYMENT_TYPEHASH, pay.purseId, pay.sequence, amount, pay.cumulative, payout, pay.invoice, pay.time
                )
            )
        );
        // slither-disable-next-line unused-return
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, pay.r, pay.vs); // 3rd: detail of err
        if (err != ECDSA.RecoverError.NoError || signer != p.device) return (false, SkipReason.InvalidSignature);
        if (status != PurseStatus.Open) {
            uint256 revokedAt = p.revokedAt;
            if (revokedAt != 0 && pay.time > revokedAt) return (false, SkipReason.AfterRevocation);
        }
        return (true, reason);
    }

    function _skip(Payment calldata pay, SkipReason reason) private returns (uint256) {
        emit PaymentSkipped(pay.purseId, pay.sequence, reason);
        return 0;
    }

    /// @dev Revokes purse `p` (status Cheated) and stores the proof, the first time a double spend is proven.
    function _proveDoubleSpend(
        Payment calldata pay,
        Purse storage p,
        ProofKind kind,
        uint32 firstIndex,
        uint64 merchantId
    ) private {
        emit DoubleSpendProven(pay.purseId, p.holder, kind, pay.sequence, merchantId);
        if (p.status == PurseStatus.Cheated) return;
        p.status = PurseStatus.Cheated;
        _proofs[pay.purseId] = Proof({
            kind: kind,
            sequence: pay.sequence,
            firstMerchantId: kind == ProofKind.SameSequence ? _merchantIdOf[firstIndex] : merchantId,
            secondMerchantId: kind == ProofKind.SameSequence ? merchantId : 0,
            detectedAt: uint40(block.timestamp)
        });
    }

    /// @dev The merchant index that settled `sequence` of purse `p` (0: none), the word holding it and its shift.
    function _sequenceEntry(Purse storage p, bytes32 purseId, uint64 sequence)
        private
        view
        returns (uint256 entry, uint256 word, uint256 shift)
    {
        if (sequence <= LEDGER_SEQUENCES) {
            word = p.sequences;
            shift = (sequence - 1) * 32;
        } else {
            uint256 k = sequence - LEDGER_SEQUENCES - 1;
            word = _sequenceWords[purseId][k / WORD_SEQUENCES];
            shift = (k % WORD_SEQUENCES) * 32;
        }
        entry = (word >> shift) & INDEX_MASK;
    }

    function _conflictKey(bytes32 purseId, uint64 sequence, uint32 index) private pure returns (bytes32) {
        return keccak256(abi.encode(purseId, sequence, index));
    }

    /// @dev Merchant `merchantId`'s payout address and VAT rate (0 when not VAT-registered), from VatPayments.
    function _payableMerchant(uint64 merchantId) private view returns (address payout, uint16 rateBps) {
        bool vatRegistered;
        bool active;
        bool registered;
        // slither-disable-next-line unused-return
        (payout, vatRegistered,, active, registered) = vatPayments.merchant(merchantId); // category: not needed
        if (!registered || !active) revert MerchantNotPayable(merchantId);
        // slither-disable-next-line unused-return
        if (vatRegistered) (,, rateBps,) = vatPayments.quote(merchantId, 1, 0); // only the merchant's rate is needed
    }

    /// @dev Merchant `merchantId`'s 32-bit index here, assigned on its first settlement.
    function _merchantIndexOf(uint64 merchantId) private returns (uint32 index) {
        index = _merchantIndex[merchantId];
        if (index == 0) {
            index = ++_merchantCount;
            _merchantIndex[merchantId] = index;
            _merchantIdOf[index] = merchantId;
        }
    }

    function _revoke(bytes32 purseId, Purse storage p) private {
        PurseStatus status = p.status;
        if (status == PurseStatus.None) revert UnknownPurse(purseId);
        if (status == PurseStatus.Closed) revert PurseAlreadyClosed(purseId);
        uint64 now_ = uint64(block.timestamp);
        uint64 revokedAt = p.revokedAt == 0 ? now_ : p.revokedAt;
        uint64 closableAt = now_ + settlementGrace;
        if (p.closableAt < closableAt) closableAt = p.closableAt;
        p.revokedAt = uint40(revokedAt);
        p.closableAt = uint40(closableAt);
        if (status == PurseStatus.Open) p.status = PurseStatus.Revoked;
        emit PurseRevoked(purseId, _msgSender(), revokedAt, closableAt);
    }

    function _setGrace(uint64 grace) private {
        if (grace == 0 || grace > 365 days) revert InvalidGrace(grace);
        emit SettlementGraceSet(settlementGrace, grace);
        settlementGrace = grace;
    }
}
