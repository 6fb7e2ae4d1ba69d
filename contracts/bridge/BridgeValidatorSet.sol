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

    /// @notice Removes `removed`, then adds `added`, then sets the threshold (1..validator count). The first set
    /// (none yet), or any change while the delay is 0, takes effect at once. Otherwise the first call schedules
    /// the change ({ValidatorUpdateScheduled}) and the same call again, once {validatorUpdateDelay} has passed,
    /// applies it — unless it was cancelled ({cancelValidatorUpdate}). One change at a time
    /// ({ValidatorUpdatePending}). VALIDATOR_MANAGER_ROLE. Emits {ValidatorRemoved}, {ValidatorAdded},
    /// {ThresholdSet} when applied.
    function updateValidators(address[] calldata removed, address[] calldata added, uint256 newThreshold)
        external
        onlyRole(VALIDATOR_MANAGER_ROLE)
    {
        uint256 delay = validatorUpdateDelay();
        Governance storage g = _governance;
        uint256 at = g.executableAt;
        if (_validatorList.length != 0 && delay != 0) {
            bytes32 change = keccak256(abi.encode(removed, added, newThreshold));
            if (at == 0) {
                // Checked when applied (the SDK checks it against the current set before sending).
                at = block.timestamp + delay;
                (g.executableAt, g.scheduledBlock) = (uint48(at), uint48(block.number));
                _pendingHash = change;
                emit ValidatorUpdateScheduled(removed, added, newThreshold, at);
                return;
            }
            if (change != _pendingHash) revert ValidatorUpdatePending(at);
            if (block.timestamp < at) revert ValidatorUpdateNotReady(at, block.timestamp);
        }
        if (at != 0) _clearPending(); // applied now (or overtaken while no delay is in force)
        _applyValidators(removed, added, newThreshold);
    }

    /// @notice Drops the scheduled change. VALIDATOR_MANAGER_ROLE or PAUSER_ROLE (the emergency role).
    /// Emits {ValidatorUpdateCancelled}.
    function cancelValidatorUpdate() external {
        address caller = _msgSender();
        if (!hasRole(PAUSER_ROLE, caller)) _checkRole(VALIDATOR_MANAGER_ROLE, caller);
        if (_governance.executableAt == 0) revert NoValidatorUpdate();
        _clearPending();
        emit ValidatorUpdateCancelled(caller);
    }

    /// @notice Removes one validator at once — it only lowers risk — if the threshold still fits the smaller set.
    /// VALIDATOR_MANAGER_ROLE. Emits {ValidatorRemoved}.
    function removeValidator(address validator) external onlyRole(VALIDATOR_MANAGER_ROLE) {
        uint256 count = _validatorList.length; // the set after the removal must still hold the threshold
        if (_control.threshold >= count) revert InvalidThreshold(_control.threshold, count == 0 ? 0 : count - 1);
        _removeValidator(validator);
    }

    /// @notice Sets the delay of validator-set changes (seconds, at most {MAX_VALIDATOR_UPDATE_DELAY}). A longer
    /// delay applies at once; a shorter one only once the delay in force has passed (at once while there is no
    /// set yet), so it never shortens the notice. DEFAULT_ADMIN_ROLE. Emits {ValidatorUpdateDelaySet}.
    function setValidatorUpdateDelay(uint256 newDelay) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newDelay > MAX_VALIDATOR_UPDATE_DELAY) {
            revert ValidatorUpdateDelayTooLong(newDelay, MAX_VALIDATOR_UPDATE_DELAY);
        }
        uint256 current = validatorUpdateDelay();
        uint256 at = block.timestamp;
        if (newDelay < current && _validatorList.length != 0) at += current;
        Governance storage g = _governance; // until `at` the larger of the two is in force
        (g.delay, g.newDelay, g.newDelayAt) = (uint48(current > newDelay ? current : newDelay), uint48(newDelay), uint48(at));
        emit ValidatorUpdateDelaySet(newDelay, at);
    }

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

    function _clearPending() private {
        delete _pendingHash;
        (_governance.executableAt, _governance.scheduledBlock) = (0, 0);
    }

    function _applyValidators(address[] calldata removed, address[] calldata added, uint256 newThreshold) private {
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
