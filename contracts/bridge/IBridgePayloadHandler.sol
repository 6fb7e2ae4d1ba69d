// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IBridgePayloadHandler {
    /// @notice Called by a remote bridge in the transaction in which it minted `amount` of its token to this contract for transfer `transferId` sent by `sender` on chain `sourceChainId`. Reverting makes the delivery fail; the source chain then refunds the sender through the existing failed-delivery path.
    function onBridgeDelivery(bytes32 transferId, uint256 sourceChainId, address sender, uint256 amount, bytes calldata payload) external;
}
