// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {BridgeControl} from "./BridgeControl.sol";

/**
 * @title BridgeValidatorSet
 * @notice The validators whose signatures a bridge accepts, the threshold, and the verification of EIP-712
 * attestations (domain "TengeBridge", version "1", this chain, this bridge; OpenZeppelin's EIP712 and ECDSA, which
 * refuses malleable signatures).
 *
 * Signatures come as `(signers, signatures)`: naming the signer makes every failure specific — not a validator
 * ({UnknownSigner}), named twice ({DuplicateSigner}), not its signature over this message ({InvalidSignature}) —
 * and needs no sorted order: each validator has a position 1..{MAX_VALIDATORS} in the set, and a 256-bit mask of
 * the positions seen in the call catches duplicates. A removed validator loses its position at once, so its
 * signatures stop counting at once; nothing on chain ties a transfer to a set, so transfers in flight during a
 * rotation are simply re-attested by the new set.
 */
abstract contract BridgeValidatorSet is BridgeControl, EIP712 {
    /// @notice Manages validators and threshold.
    bytes32 public constant VALIDATOR_MANAGER_ROLE = keccak256("VALIDATOR_MANAGER_ROLE");

    /// @notice Largest validator set (positions fit the duplicate mask).
    uint256 public constant MAX_VALIDATORS = 64;

    /// @dev Position (1-based) of each validator in `_validatorList`; 0 = not a validator.
    mapping(address validator => uint256) private _validatorPosition;
    address[] private _validatorList;

    constructor() EIP712("TengeBridge", "1") {}

    /// @notice The current validators (unordered).
    function validators() external view returns (address[] memory) {
        return _validatorList;
    }

    /// @notice Whether `account` is a current validator.
    function isValidator(address account) external view returns (bool) {
        return _validatorPosition[account] != 0;
    }

    /// @notice Removes `removed`, then adds `added`, then sets the threshold (1..validator count), in one step.
    /// VALIDATOR_MANAGER_ROLE. Emits {ValidatorRemoved}, {ValidatorAdded}, {ThresholdSet}.
    function updateValidators(address[] calldata removed, address[] calldata added, uint256 newThreshold)
        external
        onlyRole(VALIDATOR_MANAGER_ROLE)
    {
        for (uint256 i; i < removed.length; ++i) {
            _removeValidator(removed[i]);
        }
        for (uint256 i; i < added.length; ++i) {
            _addValidator(added[i]);
        }
        uint256 count = _validatorList.length;
        if (newThreshold == 0 || newThreshold > count) revert InvalidThreshold(newThreshold, count);
        uint256 old = _control.threshold;
        _control.threshold = uint8(newThreshold); // <= count <= MAX_VALIDATORS < 256
        emit ThresholdSet(old, newThreshold);
    }

    function _addValidator(address validator) private {
        if (validator == address(0) || _validatorPosition[validator] != 0) revert InvalidValidator(validator);
        if (_validatorList.length == MAX_VALIDATORS) revert TooManyValidators(MAX_VALIDATORS);
        _validatorList.push(validator);
        _validatorPosition[validator] = _validatorList.length;
        emit ValidatorAdded(validator);
    }

    function _removeValidator(address validator) private {
        uint256 position = _validatorPosition[validator];
        if (position == 0) revert NotAValidator(validator);
        uint256 last = _validatorList.length;
        if (position != last) {
            address moved = _validatorList[last - 1];
            _validatorList[position - 1] = moved;
            _validatorPosition[moved] = position;
        }
        _validatorList.pop();
        delete _validatorPosition[validator];
        emit ValidatorRemoved(validator);
    }

    /// @dev Reverts unless every listed signer is a distinct current validator whose signature over `structHash`
    /// (as an EIP-712 digest of this bridge's domain) recovers to it, and there are at least `required` of them.
    function _verifySignatures(
        bytes32 structHash,
        address[] calldata signers,
        bytes[] calldata signatures,
        uint256 required
    ) internal view {
        uint256 count = signers.length;
        if (count != signatures.length) revert SignatureCountMismatch(count, signatures.length);
        if (required == 0) revert InvalidThreshold(0, _validatorList.length); // no set configured: accept nothing
        bytes32 digest = _hashTypedDataV4(structHash);
        uint256 seen = 0; // bit p set: the validator at position p has signed
        for (uint256 i; i < count; ++i) {
            address signer = signers[i];
            uint256 position = _validatorPosition[signer];
            if (position == 0) revert UnknownSigner(signer);
            uint256 bit = 1 << position; // position <= MAX_VALIDATORS
            if (seen & bit != 0) revert DuplicateSigner(signer);
            seen |= bit;
            // The error argument only details a malformed signature: reported as InvalidSignature(signer) anyway.
            // slither-disable-next-line unused-return
            (address recovered, ECDSA.RecoverError error,) = ECDSA.tryRecover(digest, signatures[i]);
            if (error != ECDSA.RecoverError.NoError || recovered != signer) revert InvalidSignature(signer);
        }
        if (count < required) revert InsufficientSignatures(count, required);
    }
}
