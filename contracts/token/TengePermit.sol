// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {TengeEIP712} from "./TengeEIP712.sol";

/**
 * @title TengePermit
 * @notice EIP-2612 `permit`: approve by signature. Same semantics, type hash and errors as OpenZeppelin's
 * ERC20Permit (`ERC2612ExpiredSignature`, `ERC2612InvalidSigner`), but the owner's nonce is a 48-bit field of
 * its packed account word (see {TengeERC20}) instead of a slot in NoncesUpgradeable: for a holder that word is
 * already non-zero, so bumping the nonce costs a 2,900-gas rewrite instead of a 20,000-gas fresh slot.
 */
abstract contract TengePermit is TengeEIP712 {
    bytes32 private constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    /// @notice Current EIP-2612 nonce of `owner`.
    function nonces(address owner) external view virtual returns (uint256) {
        return _nonceIn(_getTokenStorage().accounts[owner].word);
    }

    /// @notice Sets `spender`'s allowance over `owner`'s tokens to `value`, given `owner`'s EIP-712 signature
    /// (v, r, s) over Permit(owner, spender, value, nonce, deadline). Works while paused (approving moves no
    /// money). Emits {Approval}.
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        virtual
    {
        if (block.timestamp > deadline) revert ERC2612ExpiredSignature(deadline);
        Account storage account = _getTokenStorage().accounts[owner];
        uint256 word = account.word;
        uint256 nonce = _nonceIn(word);
        bytes32 digest =
            _hashTypedDataV4(keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonce, deadline)));
        address signer = ECDSA.recover(digest, v, r, s);
        if (signer != owner) revert ERC2612InvalidSigner(signer, owner);
        // The nonce cannot realistically reach 2^48 (one signature per transaction), but it must never carry
        // into the tier field.
        if (nonce == NONCE_MASK) revert AmountTooLarge(nonce + 1, NONCE_MASK);
        unchecked {
            account.word = word + (1 << NONCE_SHIFT);
        }
        _approve(owner, spender, value);
    }
}
