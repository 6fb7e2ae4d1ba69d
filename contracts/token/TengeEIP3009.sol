// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {TengeEIP712} from "./TengeEIP712.sol";

/**
 * @title TengeEIP3009
 * @notice EIP-3009 transfer with authorization, also the carrier of *offline payments*: the payer signs with no
 * connection (validity window `validAfter < now < validBefore`, 32-byte nonce); the payee (or anyone, for
 * `transferWithAuthorization`) submits it later. All transfer rules apply at submission time (pause, KYC,
 * freezes, caps). Standard type hashes and events; the `(v, r, s)` variants verify EOA signatures with ECDSA, the
 * `bytes signature` variants also accept ERC-1271 smart-wallet signatures (OpenZeppelin SignatureChecker).
 *
 * Gas note — used nonces are kept as bits: nonce n of an authorizer is bit `n % 256` of word `n / 256`
 * (Permit2's "unordered nonces"). Any 32-byte nonce works, random ones included, and `authorizationState` is
 * exact. A random nonce lands in a fresh word (a 20,000-gas zero-to-non-zero write, as with a bool mapping),
 * but nonces that share their first 31 bytes share a word: a wallet that draws a random 31-byte prefix and
 * counts the last byte pays the fresh-word price once per 256 authorizations and a 2,900-gas rewrite for the
 * rest — e.g. a batch of offline payments signed in advance.
 *
 * Storage follows ERC-7201 (namespace "digitaltenge.storage.EIP3009").
 */
abstract contract TengeEIP3009 is TengeEIP712 {
    /// @notice keccak256("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
    bytes32 public constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    /// @notice keccak256("ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
    bytes32 public constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    /// @notice keccak256("CancelAuthorization(address authorizer,bytes32 nonce)")
    bytes32 public constant CANCEL_AUTHORIZATION_TYPEHASH =
        keccak256("CancelAuthorization(address authorizer,bytes32 nonce)");

    /// @custom:storage-location erc7201:digitaltenge.storage.EIP3009
    struct EIP3009Storage {
        mapping(address authorizer => mapping(uint256 wordIndex => uint256 bits)) usedNonces;
    }

    // keccak256(abi.encode(uint256(keccak256("digitaltenge.storage.EIP3009")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant EIP3009_STORAGE_LOCATION =
        0x162e653cb29ac352cffb14a720004ad56f50fe714a5857cd15873b9b4d4ea400;

    function _getEIP3009Storage() private pure returns (EIP3009Storage storage $) {
        assembly {
            $.slot := EIP3009_STORAGE_LOCATION
        }
    }

    /// @notice Whether `nonce` of `authorizer` has been used or canceled.
    function authorizationState(address authorizer, bytes32 nonce) external view virtual returns (bool) {
        uint256 n = uint256(nonce);
        return _getEIP3009Storage().usedNonces[authorizer][n >> 8] & (1 << (n & 0xff)) != 0;
    }

    /// @notice Executes a transfer of `value` from `from` to `to` signed by `from` (v, r, s); anyone may submit
    /// it within the validity window. Emits {AuthorizationUsed} and {Transfer}.
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
    ) external virtual {
        uint256 policy = _activePolicy();
        bytes32 digest = _authorizationDigest(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce
        );
        _requireEOASignature(from, digest, v, r, s);
        _useAuthorization(from, nonce);
        _move(from, to, value, policy);
    }

    /// @notice Same as the (v, r, s) variant of {transferWithAuthorization}; `signature` is a 65-byte ECDSA
    /// signature or, if `from` is a contract, an ERC-1271 signature.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external virtual {
        uint256 policy = _activePolicy();
        bytes32 digest = _authorizationDigest(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce
        );
        _requireSignature(from, digest, signature);
        _useAuthorization(from, nonce);
        _move(from, to, value, policy);
    }

    /// @notice Executes a transfer of `value` from `from` to `to` signed by `from` (v, r, s); only the payee `to`
    /// may submit it (so a watcher cannot front-run a contract's call). Emits {AuthorizationUsed} and {Transfer}.
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
    ) external virtual {
        if (to != _msgSender()) revert AuthorizationCallerNotPayee(_msgSender(), to);
        uint256 policy = _activePolicy();
        bytes32 digest = _authorizationDigest(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce
        );
        _requireEOASignature(from, digest, v, r, s);
        _useAuthorization(from, nonce);
        _move(from, to, value, policy);
    }

    /// @notice Same as the (v, r, s) variant of {receiveWithAuthorization}; `signature` is a 65-byte ECDSA
    /// signature or, if `from` is a contract, an ERC-1271 signature.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external virtual {
        if (to != _msgSender()) revert AuthorizationCallerNotPayee(_msgSender(), to);
        uint256 policy = _activePolicy();
        bytes32 digest = _authorizationDigest(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH, from, to, value, validAfter, validBefore, nonce
        );
        _requireSignature(from, digest, signature);
        _useAuthorization(from, nonce);
        _move(from, to, value, policy);
    }

    /// @notice Cancels `authorizer`'s unused authorization `nonce`, signed by `authorizer` (v, r, s). Works
    /// while paused. Emits {AuthorizationCanceled}.
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)
        external
        virtual
    {
        _requireEOASignature(authorizer, _cancelDigest(authorizer, nonce), v, r, s);
        _markUsed(authorizer, nonce);
        emit AuthorizationCanceled(authorizer, nonce);
    }

    /// @notice Same as the (v, r, s) variant of {cancelAuthorization}; `signature` is a 65-byte ECDSA signature
    /// or, if `authorizer` is a contract, an ERC-1271 signature.
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature) external virtual {
        _requireSignature(authorizer, _cancelDigest(authorizer, nonce), signature);
        _markUsed(authorizer, nonce);
        emit AuthorizationCanceled(authorizer, nonce);
    }

    /// @dev Checks the validity window and returns the EIP-712 digest of a transfer/receive authorization.
    function _authorizationDigest(
        bytes32 typehash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce
    ) private view returns (bytes32) {
        if (block.timestamp <= validAfter) revert AuthorizationNotYetValid(validAfter, block.timestamp);
        if (block.timestamp >= validBefore) revert AuthorizationExpired(validBefore, block.timestamp);
        return _hashTypedDataV4(keccak256(abi.encode(typehash, from, to, value, validAfter, validBefore, nonce)));
    }

    function _cancelDigest(address authorizer, bytes32 nonce) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)));
    }

    /// @dev ECDSA only: no EXTCODESIZE probe of the signer (SignatureChecker's first step costs a cold account
    /// access, 2,600 gas), so the common EOA path stays cheap; contract wallets use the `bytes` variants.
    /// A malformed signature raises OpenZeppelin's ECDSA errors; a valid one by someone else
    /// {AuthorizationInvalidSignature}.
    function _requireEOASignature(address authorizer, bytes32 digest, uint8 v, bytes32 r, bytes32 s) private pure {
        if (ECDSA.recover(digest, v, r, s) != authorizer) revert AuthorizationInvalidSignature(authorizer);
    }

    /// @dev ECDSA for EOAs, ERC-1271 for contracts (a view call; effects come after it).
    function _requireSignature(address authorizer, bytes32 digest, bytes calldata signature) private view {
        if (!SignatureChecker.isValidSignatureNow(authorizer, digest, signature)) {
            revert AuthorizationInvalidSignature(authorizer);
        }
    }

    /// @dev Marks `nonce` used and emits {AuthorizationUsed}.
    function _useAuthorization(address authorizer, bytes32 nonce) private {
        _markUsed(authorizer, nonce);
        emit AuthorizationUsed(authorizer, nonce);
    }

    /// @dev Sets the nonce's bit; reverts with {AuthorizationAlreadyUsed} if it was set.
    function _markUsed(address authorizer, bytes32 nonce) private {
        uint256 n = uint256(nonce);
        mapping(uint256 => uint256) storage words = _getEIP3009Storage().usedNonces[authorizer];
        uint256 bits = words[n >> 8];
        uint256 bit = 1 << (n & 0xff);
        if (bits & bit != 0) revert AuthorizationAlreadyUsed(authorizer, nonce);
        words[n >> 8] = bits | bit;
    }
}
