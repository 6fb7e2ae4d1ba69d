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
 *
 * Governance: a change of the set or the threshold takes effect only {validatorUpdateDelay} (default 48 h) after
 * it is scheduled, so a compromised VALIDATOR_MANAGER_ROLE (or an admin granting it to itself) cannot swap the set
 * in one block: the pending change is public ({pendingValidatorUpdate}, {ValidatorUpdateScheduled}) and the
 * manager or the pauser can cancel it. Two things are immediate: the first set (there is nothing to protect yet)
 * and removing one validator while the threshold still fits the smaller set (it only lowers risk). The delay can
 * be raised at once but lowered only after the delay in force.
 */
abstract contract BridgeValidatorSet is BridgeControl, EIP712 {
    /// @notice Manages validators and threshold.
    bytes32 public constant VALIDATOR_MANAGER_ROLE = keccak256("VALIDATOR_MANAGER_ROLE");

    /// @notice Largest validator set (positions fit the duplicate mask).
    uint256 public constant MAX_VALIDATORS = 64;

    /// @notice Longest delay {setValidatorUpdateDelay} accepts.
    uint256 public constant MAX_VALIDATOR_UPDATE_DELAY = 30 days;

    /// @dev Position (1-based) of each validator in `_validatorList`; 0 = not a validator.
    mapping(address validator => uint256) private _validatorPosition;
    address[] private _validatorList;

    constructor() EIP712("TengeBridge", "1") {
        _governance.delay = 48 hours;
    }

    /// @notice The current validators (unordered).
    function validators() external view returns (address[] memory) {
        return _validatorList;
    }

    /// @notice Whether `account` is a current validator.
    function isValidator(address account) external view returns (bool) {
        return _validatorPosition[account] != 0;
    }

    /// @dev One slot: the delay in force, a lowered delay and when it takes effect, and the scheduled change's
    /// time and block (0: none scheduled).
    struct Governance {
        uint48 delay;
        uint48 newDelay;
        uint48 newDelayAt;
        uint48 executableAt;
        uint48 scheduledBlock;
    }

    Governance private _governance;
    /// @dev keccak256(abi.encode(removed, added, threshold)) of the scheduled change.
    bytes32 private _pendingHash;

    /// @notice The delay of validator-set changes in force now, in seconds.
    function validatorUpdateDelay() public view returns (uint256) {
        Governance memory g = _governance;
        return g.newDelayAt != 0 && block.timestamp >= g.newDelayAt ? g.newDelay : g.delay;
    }

    /// @notice The scheduled validator-set change: the hash of its arguments (`keccak256(abi.encode(removed,
    /// added, threshold))`), when it may be executed and the block that scheduled it (whose
    /// {ValidatorUpdateScheduled} carries them); all zero when none is scheduled.
    function pendingValidatorUpdate()
        external
        view
        returns (bytes32 changeHash, uint256 executableAt, uint256 scheduledBlock)
    {
        return (_pendingHash, _governance.executableAt, _governance.scheduledBlock);
    }

    /// @dev Reverts unless every listed signer is a distinct current validator whose signature over `structHash`
    /// (as an EIP-712 digest of this bridge's domain) recovers to it, and there are at least `required` of them.
    function _verifySignatures(
        bytes32 structHash,
        address[] calldata signers,
        bytes[] calldata signatures,
        uint256 required
    ) internal view {
        _verifyDigest(_hashTypedDataV4(structHash), signers, signatures, required);
    }

    /// @dev As {_verifySignatures}, over a ready EIP-712 `digest` (a successor verifies a refund signed for its
    /// predecessor's domain: TengeBridgeRemote).
    function _verifyDigest(bytes32 digest, address[] calldata signers, bytes[] calldata signatures, uint256 required)
        internal
        view
    {
        uint256 count = signers.length;
        if (count != signatures.length) revert SignatureCountMismatch(count, signatures.length);
        if (required == 0) revert InvalidThreshold(0, _validatorList.length); // no set configured: accept nothing
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
