// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IDigitalTenge} from "../interfaces/IDigitalTenge.sol";
import {ITengeBridgeHome} from "./ITengeBridge.sol";
import {TengeBridgeAdmin} from "./TengeBridgeAdmin.sol";
import {TengeBridgeBase} from "./TengeBridgeBase.sol";

/**
 * @title TengeBridgeHome
 * @notice The bridge on the home ledger (the central bank's chain): tenge going out is locked in escrow — this
 * contract's own token balance, pulled from the sender with `transferFrom` (approve the bridge first) — and tenge
 * coming back is released from it.
 *
 * The escrow backs the BNB-side supply. Per remote chain the bridge counts {locked}: what went out to that chain
 * (sent or queued) minus what was cancelled or refunded — every amount that may ever be minted there, never
 * lowered by releases. Validators attest that figure to the remote bridge, whose token's reserve gate then bounds
 * the remote supply by it minus what left the remote chain since (see TengeBridgeRemote); so the remote supply can
 * never exceed the escrow here.
 *
 * Stranded escrow. Money that leaves a BNB-side supply without the bridge (a wipe, redeem or burn there) never
 * comes back through it: its escrow here backs nothing any more. {releaseStranded} releases it to a named account
 * on the admin's call and a threshold of validators' signatures over the cumulative amount burned there outside
 * the bridge (never more in sum, each release number once), lowering {locked} by it, so the BNB-side reserve
 * follows at the next escrow attestation and the remote supply still never exceeds the escrow here.
 *
 * The bridge's token account must be KYC-approved with an uncapped tier (it receives every locked amount).
 */
contract TengeBridgeHome is TengeBridgeBase, ITengeBridgeHome {
    using SafeERC20 for IERC20;

    /// @notice keccak256 of the `StrandedRelease` type string (verified here).
    bytes32 public constant STRANDED_RELEASE_TYPEHASH = keccak256(
        "StrandedRelease(uint64 remoteChainId,uint256 strandedTotal,address to,uint256 amount,uint64 sequence)"
    );

    /// @dev Stranded escrow released per remote chain (tiyn) and the last release number: one slot.
    struct StrandedLedger {
        uint192 released;
        uint64 sequence;
    }

    // Declared here, after every TengeBridgeBase field: TengeBridgeAdmin (DELEGATECALL) never reaches it.
    mapping(uint64 chainId => StrandedLedger) private _stranded;

    /// @param token_ the DigitalTenge proxy on this chain
    /// @param admin the DEFAULT_ADMIN_ROLE holder (AccessControlDefaultAdminRules)
    /// @param adminDelay the admin hand-over delay in seconds
    constructor(address token_, address admin, uint48 adminDelay)
        TengeBridgeBase(token_, admin, adminDelay, address(new TengeBridgeAdmin()))
    {}

    /// @notice Amount locked for `chainId` in tiyn: sent or queued there, minus cancelled or refunded, minus stranded
    /// escrow released ({releaseStranded}; deliveries' releases do not lower it).
    /// Validators sign it as `EscrowAttestation.escrowed`.
    function locked(uint64 chainId) external view returns (uint256) {
        return _lanes[chainId].locked;
    }

    /// @inheritdoc ITengeBridgeHome
    function strandedReleased(uint64 chainId) external view returns (uint256 released, uint64 sequence) {
        StrandedLedger memory ledger = _stranded[chainId];
        return (ledger.released, ledger.sequence);
    }

    /// @inheritdoc ITengeBridgeHome
    function strandedReleaseDigest(StrandedRelease calldata release) external view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(STRANDED_RELEASE_TYPEHASH, release)));
    }

    /// @inheritdoc ITengeBridgeHome
    /// @dev The signatures, then the rest of the checks, the ledger, the lock count and the event
    /// ({_recordRelease}), then the token transfer (which reverts if the token refuses `to`).
    function releaseStranded(StrandedRelease calldata release, address[] calldata signers, bytes[] calldata signatures)
        external
        nonReentrant
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        Control memory control = _activeControl();
        _verifySignatures(
            keccak256(abi.encode(STRANDED_RELEASE_TYPEHASH, release)), signers, signatures, control.threshold
        );
        _recordRelease(release);
        IERC20(token).safeTransfer(release.to, release.amount);
    }

    /// @dev Checks `release` against the ledger (its number, the attested bound) and the lock count, then records
    /// it and lowers the lock count.
    function _recordRelease(StrandedRelease calldata release) private {
        uint256 amount = release.amount;
        if (amount == 0) revert ZeroAmount();
        if (release.to == address(0)) revert InvalidRecipient(address(0));
        uint64 chainId = release.remoteChainId;
        StrandedLedger memory ledger = _stranded[chainId];
        if (release.sequence != ledger.sequence + 1) revert StaleStrandedRelease(release.sequence, ledger.sequence + 1);
        uint256 releasable = release.strandedTotal > ledger.released ? release.strandedTotal - ledger.released : 0;
        if (amount > releasable) revert ReleaseExceedsStranded(amount, releasable);
        Lane storage lane = _lanes[chainId];
        uint96 before = lane.locked;
        if (amount > before) revert InsufficientEscrow(chainId, before, amount);
        lane.locked = before - uint96(amount);
        _stranded[chainId] = StrandedLedger(uint192(ledger.released + amount), release.sequence);
        emit StrandedEscrowReleased(chainId, release.to, amount, release.strandedTotal, release.sequence);
    }

    /// @notice Sends `amount` from the caller to `recipient` on `destChainId` — the destination bridge's payload
    /// handler — with the typed payment `order` for it (no free-form bytes: see {ITengeBridge-PaymentOrder}), as
    /// {send} does, except that it is never queued: over the outbound rate limit it reverts ({RateLimitExceeded}). A
    /// zero merchant or a signature `v` other than 27/28 is refused ({InvalidPaymentOrder}). Emits
    /// {PayloadTransferSent}. On delivery the destination mints to its handler and calls it with the order's
    /// encoding in the same transaction; if the handler (or the token) refuses, the transfer fails there and is
    /// refunded here once ({refund}). Not while paused. Returns the transfer id.
    function sendWithPayload(uint64 destChainId, address recipient, uint256 amount, PaymentOrder calldata order)
        external
        returns (bytes32 id)
    {
        if (order.merchant == address(0) || (order.v != 27 && order.v != 28)) revert InvalidPaymentOrder();
        Transfer memory transfer;
        (id, transfer) = _open(destChainId, recipient, amount);
        Bucket storage bucket = _outboundBuckets[destChainId];
        if (!_tryConsume(bucket, amount)) revert RateLimitExceeded(destChainId, amount, _availableNow(bucket));
        emit PayloadTransferSent(id, msg.sender, transfer, order);
        _take(amount, destChainId); // last: the token call (the token reverts, or the money is in)
    }

    /// @dev Locks: the count first, then the pull from the caller (which reverts if the token refuses it).
    function _take(uint256 amount, uint64 destChainId) internal override {
        Lane storage lane = _lanes[destChainId];
        uint256 after_ = lane.locked + amount;
        // Bounded by the token's 96-bit supply: an amount that overflows it is one the token refuses anyway.
        if (after_ > type(uint96).max) revert AmountTooLarge(amount, type(uint96).max - lane.locked);
        lane.locked = uint96(after_);
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @dev Releases from escrow; returns the token's error when it refuses.
    function _tryCredit(uint64, address recipient, uint256 amount) internal override returns (bool, bytes memory) {
        try IERC20(token).transfer(recipient, amount) returns (bool done) {
            if (done) return (true, "");
            return (false, abi.encodeWithSelector(SafeERC20.SafeERC20FailedOperation.selector, token));
        } catch (bytes memory reason) {
            return (false, reason);
        }
    }

    /// @dev Gives back `amount` locked for `destChainId` (cancelled or refunded: never minted there) to `sender`
    /// (reverts if the token refuses).
    function _payBack(uint64 destChainId, address sender, uint256 amount) internal override {
        Lane storage lane = _lanes[destChainId];
        uint96 before = lane.locked;
        if (amount > before) revert InsufficientEscrow(destChainId, before, amount);
        lane.locked = before - uint96(amount);
        // A sender whose wallet the token recovered is paid at the wallet it was recovered to (as VAT refunds are).
        address recovered = IDigitalTenge(token).recoveredTo(sender);
        IERC20(token).safeTransfer(recovered == address(0) ? sender : recovered, amount);
    }

    /// @dev At home every token refusal is final for a delivery (no reserve gate on the home ledger).
    function _isRetryable(bytes memory) internal pure override returns (bool) {
        return false;
    }
}
