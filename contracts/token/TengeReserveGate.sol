// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TengeERC20} from "./TengeERC20.sol";
import {TengeRoles} from "./TengeRoles.sol";

/**
 * @title TengeReserveGate
 * @notice Proof-of-reserve gated minting, switchable per deployment. Where the token is a CBDC-backed stablecoin
 * (e.g. the BNB-side token whose reserve is the home-chain bridge escrow), a reserve attestor posts the attested
 * reserve with its timestamp; while gating is on, a mint that would lift the total supply above the reserve, or
 * that comes later than `attestedAt + maxAttestationAge`, reverts. Burns are never gated.
 *
 * The on/off switch is bit 254 of the token's policy word (read by every mint anyway), so an ungated deployment
 * never reads this module's slot. The attestation and the maximum age share one slot, read once per gated mint.
 *
 * Who may mint against the reserve. On a gated token the attested reserve is backed by one thing, so it has one
 * kind of minter: either one bridge (TOKEN_BRIDGE_ROLE: the BNB-side token, whose reserve is that bridge's home
 * escrow; no bank holds MINTER_ROLE) or banks (MINTER_ROLE: a stablecoin whose reserve is attested separately;
 * no bridge). A role grant or `setReserveGating(true)` that would break this reverts with
 * {ReserveMintersConflict}. So the room between the supply and the bridge's attested escrow (transfers in flight,
 * queued or failed at home) can be minted by that bridge alone, for the deliveries it verifies: nobody else —
 * not a second TOKEN_BRIDGE_ROLE holder, not a bank — can mint it. Chosen over a reserve per bridge because it
 * costs the mint path nothing (the rule is kept where roles change, never read by a mint: a bridge delivery has
 * 539 gas to spare under its 120,000 target, a per-bridge figure would cost a cold read of 2,100).
 *
 * Storage follows ERC-7201 (namespace "digitaltenge.storage.ReserveGate").
 */
abstract contract TengeReserveGate is TengeERC20, TengeRoles {
    /// @custom:storage-location erc7201:digitaltenge.storage.ReserveGate
    struct ReserveGateStorage {
        // One slot: 128 + 64 + 64 bits.
        uint128 reserve;
        uint64 attestedAt;
        uint64 maxAttestationAge;
        // How many accounts hold MINTER_ROLE and TOKEN_BRIDGE_ROLE (kept by the role hooks below; a later slot,
        // appended, so the layout of earlier fields is unchanged).
        uint128 minters;
        uint128 bridges;
    }

    // keccak256(abi.encode(uint256(keccak256("digitaltenge.storage.ReserveGate")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant RESERVE_GATE_STORAGE_LOCATION =
        0xeb63b5541060e0912e3fab2e7da25c4052d427d0bbcfa599620c7bb4084c7200;

    function _getReserveGateStorage() private pure returns (ReserveGateStorage storage $) {
        assembly {
            $.slot := RESERVE_GATE_STORAGE_LOCATION
        }
    }

    /// @notice The latest reserve attestation: amount in tiyn and its time (unix seconds).
    function reserveAttestation() external view virtual returns (uint256 amount, uint64 attestedAt) {
        ReserveGateStorage storage $ = _getReserveGateStorage();
        return ($.reserve, $.attestedAt);
    }

    /// @notice Whether minting is reserve-gated, and the maximum age of an attestation in seconds.
    function reserveGating() external view virtual returns (bool enabled, uint64 maxAttestationAge) {
        return (
            _getTokenStorage().policy & POLICY_RESERVE_GATED != 0, _getReserveGateStorage().maxAttestationAge
        );
    }

    /// @notice Posts the attested reserve `amount` (tiyn) as of `attestedAt` (unix seconds), which may be neither
    /// in the future nor older than the current attestation. RESERVE_ATTESTOR_ROLE. Emits {ReserveAttested}.
    function attestReserve(uint256 amount, uint64 attestedAt) external virtual onlyRole(RESERVE_ATTESTOR_ROLE) {
        ReserveGateStorage storage $ = _getReserveGateStorage();
        uint64 previous = $.attestedAt;
        if (attestedAt > block.timestamp || attestedAt < previous) {
            revert InvalidAttestationTime(attestedAt, previous, block.timestamp);
        }
        if (amount > type(uint128).max) revert AmountTooLarge(amount, type(uint128).max);
        $.reserve = uint128(amount);
        $.attestedAt = attestedAt;
        emit ReserveAttested(_msgSender(), amount, attestedAt);
    }

    /// @notice Switches reserve gating on or off and sets the maximum attestation age in seconds.
    /// DEFAULT_ADMIN_ROLE. Emits {ReserveGatingSet}.
    function setReserveGating(bool enabled, uint64 maxAttestationAge) external virtual onlyRole(DEFAULT_ADMIN_ROLE) {
        _setReserveGating(enabled, maxAttestationAge);
    }

    function _setReserveGating(bool enabled, uint64 maxAttestationAge) internal {
        if (enabled) _requireOneKindOfReserveMinter(_getReserveGateStorage());
        TokenStorage storage $ = _getTokenStorage();
        $.policy = enabled ? $.policy | POLICY_RESERVE_GATED : $.policy & ~POLICY_RESERVE_GATED;
        _getReserveGateStorage().maxAttestationAge = maxAttestationAge;
        emit ReserveGatingSet(enabled, maxAttestationAge);
    }

    /// @dev Counts MINTER_ROLE and TOKEN_BRIDGE_ROLE holders; on a gated token refuses a grant that would give
    /// the reserve a second kind of minter or a second bridge.
    function _grantRole(bytes32 role, address account) internal virtual override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (granted && (role == MINTER_ROLE || role == TOKEN_BRIDGE_ROLE)) {
            ReserveGateStorage storage $ = _getReserveGateStorage();
            if (role == MINTER_ROLE) ++$.minters;
            else ++$.bridges;
            if (_getTokenStorage().policy & POLICY_RESERVE_GATED != 0) _requireOneKindOfReserveMinter($);
        }
    }

    /// @dev Keeps the counts of {_grantRole}.
    function _revokeRole(bytes32 role, address account) internal virtual override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        if (revoked && (role == MINTER_ROLE || role == TOKEN_BRIDGE_ROLE)) {
            ReserveGateStorage storage $ = _getReserveGateStorage();
            // A holder granted before the count existed (an upgraded token) must not make this wrap: fail to 0.
            if (role == MINTER_ROLE) $.minters = $.minters == 0 ? 0 : $.minters - 1;
            else $.bridges = $.bridges == 0 ? 0 : $.bridges - 1;
        }
    }

    function _requireOneKindOfReserveMinter(ReserveGateStorage storage $) private view {
        (uint256 minters, uint256 bridges) = ($.minters, $.bridges);
        if (bridges > 1 || (bridges == 1 && minters != 0)) revert ReserveMintersConflict(minters, bridges);
    }

    /// @dev Lowers the attested reserve by `amount` (not below 0), keeping its time. Used by crosschain burns on a
    /// gated deployment: burned bridge money is on its way back to the home escrow and backs nothing here any more.
    function _lowerReserve(uint256 amount) internal {
        ReserveGateStorage storage $ = _getReserveGateStorage();
        uint256 reserve = $.reserve;
        $.reserve = uint128(reserve > amount ? reserve - amount : 0);
    }

    /// @dev Staleness first (an old attestation says nothing about today's reserve), then the amount.
    function _checkReserve(uint256 supplyAfter) internal view virtual override {
        ReserveGateStorage storage $ = _getReserveGateStorage();
        (uint256 reserve, uint64 attestedAt, uint64 maxAge) = ($.reserve, $.attestedAt, $.maxAttestationAge);
        if (block.timestamp > uint256(attestedAt) + maxAge) revert ReserveAttestationStale(attestedAt, maxAge);
        if (supplyAfter > reserve) revert ReserveExceeded(supplyAfter, reserve);
    }
}
