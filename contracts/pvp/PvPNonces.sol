// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IPvPSettlement} from "./IPvPSettlement.sol";

/**
 * @title PvPNonces
 * @notice Unordered single-use nonces per signer (as Permit2's), with two bits per nonce so a used nonce and a
 * cancelled one are told apart: 128 nonces per storage word, so consecutive quotes of one LP mostly write a word
 * that is already non-zero (5,000 gas instead of 22,100).
 */
abstract contract PvPNonces is IPvPSettlement {
    mapping(address signer => mapping(uint256 word => uint256 bits)) private _nonceWords;

    /// @inheritdoc IPvPSettlement
    function nonceState(address signer, uint256 nonce) public view returns (NonceState) {
        return NonceState((_nonceWords[signer][nonce >> 7] >> ((nonce & 127) << 1)) & 3);
    }

    /// @inheritdoc IPvPSettlement
    function cancel(uint256 nonce) external {
        NonceState state = _setNonce(msg.sender, nonce, NonceState.Cancelled);
        if (state != NonceState.Open) revert NonceNotOpen(msg.sender, nonce, state);
        emit NonceCancelled(msg.sender, nonce);
    }

    /// @dev Marks `signer`'s `nonce` used; reverts with the quote or trade error if it is not open.
    function _useNonce(address signer, uint256 nonce, bool trade) internal {
        NonceState state = _setNonce(signer, nonce, NonceState.Used);
        if (state == NonceState.Open) return;
        if (state == NonceState.Used) {
            if (trade) revert TradeAlreadySettled(signer, nonce);
            revert QuoteAlreadyUsed(signer, nonce);
        }
        if (trade) revert TradeCancelled(signer, nonce);
        revert QuoteCancelled(signer, nonce);
    }

    /// @dev Sets the nonce to `next` if it is open; returns the state it had (unchanged if not open).
    function _setNonce(address signer, uint256 nonce, NonceState next) private returns (NonceState previous) {
        uint256 shift = (nonce & 127) << 1;
        uint256 word = _nonceWords[signer][nonce >> 7];
        previous = NonceState((word >> shift) & 3);
        if (previous == NonceState.Open) _nonceWords[signer][nonce >> 7] = word | (uint256(next) << shift);
    }
}
