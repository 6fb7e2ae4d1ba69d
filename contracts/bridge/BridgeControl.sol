// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ITengeBridge} from "./ITengeBridge.sol";

/**
 * @title BridgeControl
 * @notice The bridge's control word and its pause. The admin role follows OpenZeppelin's
 * AccessControlDefaultAdminRules (one admin, handed over in two steps after a delay); the pause is an emergency
 * role of its own (PAUSER_ROLE), separate from the everyday validator-manager and rate-limiter roles.
 *
 * Gas note — one slot holds what every send or delivery needs besides its own data: the next outbound nonce
 * (written by every send), the signature threshold (read by every delivery) and the pause flag (read by both).
 * With OpenZeppelin's Pausable the flag would be a slot of its own: one more cold read (2,100 gas) per send and
 * per delivery. The events and errors keep Pausable's exact signatures. Solidity packs the struct; no assembly.
 */
abstract contract BridgeControl is AccessControlDefaultAdminRules, ITengeBridge {
    /// @inheritdoc ITengeBridge
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @dev One slot: 64 + 8 + 8 + 8 + 160 bits. `retired`: replaced by a successor (TengeBridgeRemote), no more
    /// sends. `payloadHandler`: the one contract a BNB-side bridge hands transfers with a payload to
    /// (TengeBridgeRemote; zero at home) — in this slot, read by every delivery anyway, so the check that a plain
    /// transfer does not credit it costs a plain delivery no extra cold read.
    struct Control {
        uint64 nextNonce;
        uint8 threshold;
        bool paused;
        bool retired;
        address payloadHandler;
    }

    Control internal _control;

    constructor(address admin, uint48 adminDelay) AccessControlDefaultAdminRules(adminDelay, admin) {}

    /// @inheritdoc ITengeBridge
    function paused() external view returns (bool) {
        return _control.paused;
    }

    /// @inheritdoc ITengeBridge
    function nextNonce() external view returns (uint64) {
        return _control.nextNonce;
    }

    /// @inheritdoc ITengeBridge
    function threshold() external view returns (uint256) {
        return _control.threshold;
    }

    /// @inheritdoc ITengeBridge
    function pause() external onlyRole(PAUSER_ROLE) {
        if (_control.paused) revert EnforcedPause();
        _control.paused = true;
        emit Paused(_msgSender());
    }

    /// @inheritdoc ITengeBridge
    function unpause() external onlyRole(PAUSER_ROLE) {
        if (!_control.paused) revert ExpectedPause();
        _control.paused = false;
        emit Unpaused(_msgSender());
    }

    /// @dev Reads the control word (one slot) and reverts with {EnforcedPause} when paused.
    function _activeControl() internal view returns (Control memory control) {
        control = _control;
        if (control.paused) revert EnforcedPause();
    }
}
