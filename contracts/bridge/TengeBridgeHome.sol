// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ITengeBridgeHome} from "./ITengeBridge.sol";
import {TengeBridgeBase} from "./TengeBridgeBase.sol";

/**
 * @title TengeBridgeHome
 * @notice The bridge on the home ledger (the central bank's chain): tenge going out is locked in escrow — this
 * contract's own token balance, pulled from the sender with `transferFrom` (approve the bridge first) — and tenge
 * coming back is released from it. The escrow backs the BNB-side supply: per remote chain the bridge keeps the part
 * of the escrow attributable to it ({escrowed}: what went out to that chain, sent or queued, minus what came back,
 * was cancelled or refunded), which validators attest to the remote bridge for the token's reserve gate there. A
 * release can never take more than the chain's escrow ({InsufficientEscrow}).
 *
 * The bridge's token account must be KYC-approved with an uncapped tier (it receives every locked amount).
 */
contract TengeBridgeHome is TengeBridgeBase, ITengeBridgeHome {
    using SafeERC20 for IERC20;

    /// @param token_ the DigitalTenge proxy on this chain
    /// @param admin the DEFAULT_ADMIN_ROLE holder (AccessControlDefaultAdminRules)
    /// @param adminDelay the admin hand-over delay in seconds
    constructor(address token_, address admin, uint48 adminDelay) TengeBridgeBase(token_, admin, adminDelay) {}

    /// @notice Escrow held for `chainId` in tiyn (the BNB-side supply there plus what is in flight).
    function escrowed(uint64 chainId) external view returns (uint256) {
        return _lanes[chainId].escrowed;
    }

    /// @dev Locks: escrow accounting first, then the pull (which reverts if the token refuses the sender).
    function _take(address sender, uint256 amount, uint64 destChainId) internal override {
        Lane storage lane = _lanes[destChainId];
        uint256 after_ = lane.escrowed + amount;
        // The escrow is real token balance, bounded by the token's 96-bit supply: only an amount the token will
        // refuse anyway can get here; refuse it with the token's own bound first.
        if (after_ > type(uint96).max) revert InsufficientEscrow(destChainId, lane.escrowed, amount);
        lane.escrowed = uint96(after_);
        IERC20(token).safeTransferFrom(sender, address(this), amount);
    }

    /// @dev Releases from escrow; on a refusal the chain's escrow is restored and the token's error returned.
    function _tryCredit(uint64 sourceChainId, address recipient, uint256 amount)
        internal
        override
        returns (bool, bytes memory)
    {
        Lane storage lane = _lanes[sourceChainId];
        uint96 before = lane.escrowed;
        if (amount > before) revert InsufficientEscrow(sourceChainId, before, amount);
        lane.escrowed = before - uint96(amount);
        try IERC20(token).transfer(recipient, amount) returns (bool done) {
            if (done) return (true, "");
            lane.escrowed = before;
            return (false, abi.encodeWithSelector(SafeERC20.SafeERC20FailedOperation.selector, token));
        } catch (bytes memory reason) {
            lane.escrowed = before;
            return (false, reason);
        }
    }

    /// @dev Releases `amount` back to `sender` from the escrow of `destChainId` (reverts if the token refuses).
    function _payBack(uint64 destChainId, address sender, uint256 amount) internal override {
        Lane storage lane = _lanes[destChainId];
        uint96 before = lane.escrowed;
        if (amount > before) revert InsufficientEscrow(destChainId, before, amount);
        lane.escrowed = before - uint96(amount);
        IERC20(token).safeTransfer(sender, amount);
    }

    /// @dev At home every token refusal is final for a delivery (no reserve gate on the home ledger).
    function _isRetryable(bytes memory) internal pure override returns (bool) {
        return false;
    }
}
