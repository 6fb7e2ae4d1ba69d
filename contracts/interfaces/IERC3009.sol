// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IERC3009
 * @notice EIP-3009 "Transfer With Authorization": the holder signs an EIP-712 authorization off-line (with a
 * validity window and a random 32-byte nonce); anyone (or, for `receiveWithAuthorization`, only the payee)
 * submits it later. This also carries *offline payments*: signed with no connection, submitted when online.
 * Both the standard `(v, r, s)` variants (EOA signers) and `bytes signature` variants (EOA or ERC-1271 smart
 * wallets) are offered.
 */
interface IERC3009 {
    /// @notice Emitted when an authorization is used (executed).
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);

    /// @notice Emitted when an authorization is canceled before use.
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);

    /// @notice The authorization's `validAfter` is still in the future (`blockTimestamp <= validAfter`).
    error AuthorizationNotYetValid(uint256 validAfter, uint256 blockTimestamp);

    /// @notice The authorization's `validBefore` has passed (`blockTimestamp >= validBefore`).
    error AuthorizationExpired(uint256 validBefore, uint256 blockTimestamp);

    /// @notice The nonce was already used or canceled for this authorizer.
    /// (Named `...AlreadyUsed` because `AuthorizationUsed` is the standard's event name.)
    error AuthorizationAlreadyUsed(address authorizer, bytes32 nonce);

    /// @notice The signature does not verify for `authorizer` over the EIP-712 digest.
    error AuthorizationInvalidSignature(address authorizer);

    /// @notice `receiveWithAuthorization` was called by someone other than the payee `to`.
    error AuthorizationCallerNotPayee(address caller, address payee);

    /// @notice keccak256("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
    function TRANSFER_WITH_AUTHORIZATION_TYPEHASH() external view returns (bytes32);

    /// @notice keccak256("ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
    function RECEIVE_WITH_AUTHORIZATION_TYPEHASH() external view returns (bytes32);

    /// @notice keccak256("CancelAuthorization(address authorizer,bytes32 nonce)")
    function CANCEL_AUTHORIZATION_TYPEHASH() external view returns (bytes32);

    /// @notice Whether `nonce` of `authorizer` has been used or canceled.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);

    /// @notice Executes a transfer signed by `from` (EOA signature as v, r, s). Anyone may submit it.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice Same as the (v, r, s) variant; `signature` is a 65-byte ECDSA signature or an ERC-1271 one.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    /// @notice Executes a transfer signed by `from`; only the payee `to` may submit it (front-running safe).
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice Same as the (v, r, s) variant; `signature` is a 65-byte ECDSA signature or an ERC-1271 one.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    /// @notice Cancels an unused authorization of `authorizer` (signed by `authorizer`).
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice Same as the (v, r, s) variant; `signature` is a 65-byte ECDSA signature or an ERC-1271 one.
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature) external;
}
