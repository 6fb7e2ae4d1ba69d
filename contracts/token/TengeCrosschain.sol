// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC7802} from "@openzeppelin/contracts/interfaces/draft-IERC7802.sol";
import {AccessControlDefaultAdminRulesUpgradeable} from
    "@openzeppelin/contracts-upgradeable/access/extensions/AccessControlDefaultAdminRulesUpgradeable.sol";
import {TengeReserveGate} from "./TengeReserveGate.sol";

/**
 * @title TengeCrosschain
 * @notice ERC-7802 (`crosschainMint` / `crosschainBurn`) for the bridge, as OpenZeppelin's `ERC20Bridgeable`, behind
 * TOKEN_BRIDGE_ROLE. Unlike a bank's `mint`, it spends no minter allowance (a burn on the way back would never
 * restore one); every other rule still applies: the recipient of a mint and the account burned from must be
 * KYC-approved and not frozen, a mint must keep the recipient within its tier cap, nothing moves while paused, and
 * where the token is reserve-gated (the BNB-side deployment, whose reserve is the home escrow attested by the
 * bridge validators) no mint may lift the supply above the attested reserve — not even the bridge's.
 *
 * Where the token is reserve-gated, `crosschainBurn` also lowers the attested reserve by the amount burned: that
 * money is on its way back to the home escrow (where it will be released) and no longer backs anything here. So
 * the reserve always reads "locked at home for this chain, as last attested, minus what left since", and minting
 * against money already on its way home is impossible (the bridge raises the reserve again only when it mints
 * burned money back to its sender: a cancelled or refunded transfer never released at home).
 *
 * The caller is `msg.sender`, never a forwarded sender (as in OpenZeppelin: a bridge must not be impersonated
 * through a relayer). `crosschainBurn` needs no allowance: the bridge holding the role burns only from the account
 * that called its own `send`. No storage of its own (the role lives in AccessControl's).
 */
abstract contract TengeCrosschain is TengeReserveGate, IERC7802 {
    /// @notice Mints `amount` to `to` for a transfer arriving from another chain. TOKEN_BRIDGE_ROLE; all receiver
    /// rules, not while paused, within the reserve when gated; no minter allowance. Emits {Transfer} from the
    /// zero address and {CrosschainMint}.
    function crosschainMint(address to, uint256 amount) external virtual {
        _checkRole(TOKEN_BRIDGE_ROLE, msg.sender);
        _mintTo(to, amount, _activePolicy());
        emit CrosschainMint(to, amount, msg.sender);
    }

    /// @notice Burns `amount` of `from`'s spendable balance for a transfer leaving to another chain; when
    /// reserve-gated, lowers the attested reserve by `amount` too. TOKEN_BRIDGE_ROLE; `from` approved and not
    /// frozen; not while paused. Emits {Transfer} to the zero address and {CrosschainBurn}.
    function crosschainBurn(address from, uint256 amount) external virtual {
        _checkRole(TOKEN_BRIDGE_ROLE, msg.sender);
        uint256 policy = _activePolicy();
        _burnFrom(from, amount);
        if (policy & POLICY_RESERVE_GATED != 0) _lowerReserve(amount);
        emit CrosschainBurn(from, amount, msg.sender);
    }

    /// @notice ERC-165: IERC7802 besides what AccessControl reports.
    function supportsInterface(bytes4 interfaceId)
        public
        view
        virtual
        override(AccessControlDefaultAdminRulesUpgradeable, IERC165)
        returns (bool)
    {
        return interfaceId == type(IERC7802).interfaceId || super.supportsInterface(interfaceId);
    }
}
