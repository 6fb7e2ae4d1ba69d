// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TengeERC20} from "./TengeERC20.sol";
import {TengeRoles} from "./TengeRoles.sol";

/**
 * @title TengePausable
 * @notice Emergency stop of transfers, mints and burns (approvals, permits and compliance actions still work).
 *
 * Same events and errors as OpenZeppelin's PausableUpgradeable (`Paused`, `Unpaused`, `EnforcedPause`,
 * `ExpectedPause`), but the flag is bit 255 (the top bit) of the token's policy word instead of a slot of its own: every
 * transfer reads the policy word anyway (tier caps), so checking the pause costs no extra storage read.
 */
abstract contract TengePausable is TengeERC20, TengeRoles {
    /// @notice Whether transfers, mints and burns are paused.
    function paused() public view virtual returns (bool) {
        return _getTokenStorage().policy & POLICY_PAUSED != 0;
    }

    /// @notice Pauses transfers, mints and burns. PAUSER_ROLE; reverts with {EnforcedPause} if already paused.
    function pause() external virtual onlyRole(PAUSER_ROLE) {
        TokenStorage storage $ = _getTokenStorage();
        if ($.policy & POLICY_PAUSED != 0) revert EnforcedPause();
        $.policy |= POLICY_PAUSED;
        emit Paused(_msgSender());
    }

    /// @notice Lifts the pause. PAUSER_ROLE; reverts with {ExpectedPause} if not paused.
    function unpause() external virtual onlyRole(PAUSER_ROLE) {
        TokenStorage storage $ = _getTokenStorage();
        if ($.policy & POLICY_PAUSED == 0) revert ExpectedPause();
        $.policy &= ~POLICY_PAUSED;
        emit Unpaused(_msgSender());
    }
}
