// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IBridgePayloadHandler} from "../bridge/IBridgePayloadHandler.sol";
import {ITengeBridge} from "../bridge/ITengeBridge.sol";

/**
 * @title PayloadForwarder (test handler)
 * @notice A minimal IBridgePayloadHandler for the bridge's payload tests: the payload is a payment order's encoding (ITengeBridge.PaymentOrder:
 * `abi.encode(quote, signature, merchant, minBuyAmount)`) and its `merchant` is `to` (the quote is ignored);
 * it passes the minted amount straight on to `to` under the token's own rules (KYC, freeze, caps), so a refused
 * `to` makes the delivery fail and the sender is refunded at home. Only its bridge may call it. Holds nothing
 * after a delivery.
 */
contract PayloadForwarder is IBridgePayloadHandler {
    /// @notice The bridge allowed to call {onBridgeDelivery}.
    address public immutable bridge;
    /// @notice The token the bridge mints.
    IERC20 public immutable token;

    /// @notice A delivery was forwarded: transfer `transferId` from `sender` on `sourceChainId`, `amount` to `to`.
    event Forwarded(bytes32 indexed transferId, uint256 sourceChainId, address indexed sender, address indexed to, uint256 amount);

    /// @notice The caller is not the bridge.
    error NotBridge(address caller);

    /// @param bridge_ the BNB-side bridge
    /// @param token_ its token
    constructor(address bridge_, IERC20 token_) {
        bridge = bridge_;
        token = token_;
    }

    /// @inheritdoc IBridgePayloadHandler
    function onBridgeDelivery(bytes32 transferId, uint256 sourceChainId, address sender, uint256 amount, bytes calldata payload)
        external
    {
        if (msg.sender != bridge) revert NotBridge(msg.sender);
        (,, address to,) = abi.decode(payload, (ITengeBridge.PaymentQuote, bytes, address, uint256));
        emit Forwarded(transferId, sourceChainId, sender, to, amount);
        // The token reverts with its own error when it refuses `to`; that fails the delivery.
        // slither-disable-next-line unchecked-transfer
        token.transfer(to, amount);
    }
}
