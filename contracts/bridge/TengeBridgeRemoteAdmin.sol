// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITengeBridge, ITengeBridgeRemote} from "./ITengeBridge.sol";
import {TengeBridgeAdmin} from "./TengeBridgeAdmin.sol";
import {TengeBridgeRemote} from "./TengeBridgeRemote.sol";

/**
 * @title TengeBridgeRemoteAdmin
 * @notice The administrative module of a BNB-side bridge ({TengeBridgeRemote}): everything {TengeBridgeAdmin} does,
 * plus the remote bridge's own rarely used paths — its setRemoteBridge (the home bridge, fixed once attested),
 * retire, adopt and setPayloadHandler — kept out of the bridge's code so it stays well under EIP-170. The bridge
 * creates it in its constructor and forwards those functions' calldata here by DELEGATECALL (see TengeBridgeAdmin:
 * the code runs over the bridge's storage, with the bridge's roles, events and errors).
 *
 * Storage layout: TengeBridgeAdmin's (the bridges' shared fields up to `deferralTimeout`), then the remote
 * bridge's own fields in its order (`_lastAttestation`, `successor`, `predecessor`, `predecessorRefunded`); tests/bridge/test_bridge_size.py checks
 * them field for field on solc's storage layouts.
 *
 * @custom:security-contact security@digital-tenge.invalid
 */
contract TengeBridgeRemoteAdmin is TengeBridgeAdmin {
    // ---- TengeBridgeRemote's own storage, in its order (after TengeBridgeBase's): see the header.
    TengeBridgeRemote.LastAttestation private _lastAttestation;
    address private successor;
    address private predecessor;
    mapping(bytes32 id => bool) private predecessorRefunded;

    /// @notice The home ledger's chain id (the bridge's own, an immutable of this module's code).
    uint64 private immutable _homeChainId;

    /// @param homeChainId the bridge's home ledger chain id
    constructor(uint64 homeChainId) {
        _homeChainId = homeChainId;
    }

    /// @notice See {TengeBridgeRemote-setRemoteBridge}.
    function setRemoteBridge(uint64 chainId, address bridge) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        if (chainId != _homeChainId) revert ITengeBridge.UnsupportedChain(chainId);
        address current = _lanes[chainId].bridge;
        if (_lastAttestation.sequence != 0 && bridge != current) revert ITengeBridgeRemote.HomeBridgeFixed(current);
        _lanes[chainId].bridge = bridge;
        emit ITengeBridge.RemoteBridgeSet(chainId, bridge);
    }

    /// @notice See {TengeBridgeRemote-retire}.
    function retire(address successor_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (successor_ == address(0) || successor_ == address(this) || _control.retired) {
            revert ITengeBridgeRemote.InvalidSuccessor(successor_);
        }
        successor = successor_;
        _control.retired = true;
        emit ITengeBridgeRemote.BridgeRetired(successor_);
    }

    /// @notice See {TengeBridgeRemote-adopt}.
    function adopt(address predecessor_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        // Only a bridge retired for this one (by the admin, who checks it serves the same token and home; the SDK
        // refuses otherwise), and only before this one's own figure exists.
        ITengeBridgeRemote old = ITengeBridgeRemote(predecessor_);
        if (_lastAttestation.sequence != 0 || old.successor() != address(this)) {
            revert ITengeBridgeRemote.InvalidPredecessor(predecessor_);
        }
        (uint256 escrowed, uint64 sequence, uint64 timestamp) = old.lastEscrowAttestation();
        _lastAttestation = TengeBridgeRemote.LastAttestation(escrowed, sequence, timestamp);
        predecessor = predecessor_;
        emit ITengeBridgeRemote.EscrowFigureAdopted(predecessor_, escrowed, sequence);
    }

    /// @notice See {TengeBridgeRemote-setPayloadHandler}.
    function setPayloadHandler(address handler) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _control.payloadHandler = handler;
        emit ITengeBridgeRemote.PayloadHandlerSet(handler);
    }
}
