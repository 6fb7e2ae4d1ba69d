// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IDigitalTenge} from "../interfaces/IDigitalTenge.sol";
import {IRewardPools} from "./IRewardPools.sol";

/**
 * @title RewardPools
 * @notice Sponsor-funded reward pools paid on attested claims. See {IRewardPools}.
 *
 * This contract must be KYC-approved on the token's uncapped business tier (it holds the pools' tenge).
 * Storage per claim: one flag word per (pool, beneficiary, period) and the period's running total.
 * Roles: DEFAULT_ADMIN_ROLE (two-step hand-over), SPONSOR_ROLE (creates pools; a pool's sponsor funds, pauses,
 * re-keys and closes it only while it still holds the role: a revoked sponsor's pools keep paying claims of their
 * attester, and their balance stays in them until the role is granted again), PAUSER_ROLE (global pause).
 */
contract RewardPools is AccessControlDefaultAdminRules, Pausable, EIP712, IRewardPools {
    using SafeERC20 for IDigitalTenge;

    /// @notice Creates pools.
    bytes32 public constant SPONSOR_ROLE = keccak256("SPONSOR_ROLE");
    /// @notice Pauses claims and funding of every pool.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice EIP-712 type of {RewardClaim}.
    bytes32 public constant REWARD_CLAIM_TYPEHASH =
        keccak256("RewardClaim(uint256 poolId,address beneficiary,uint256 amount,uint64 period,uint64 validBefore)");

    /// @dev slot 0 sponsor | paused | closed; slot 1 attester; slot 2 maxPerClaim | periodCap; slot 3 balance;
    /// slot 4 budget code.
    struct Pool {
        address sponsor;
        bool paused;
        bool closed;
        address attester;
        uint128 maxPerClaim;
        uint128 periodCap;
        uint256 balance;
        bytes32 budgetCode;
    }

    /// @notice The currency token.
    IDigitalTenge public immutable token;
    /// @notice Number of pools created; ids run from 1.
    uint256 public poolCount;

    mapping(uint256 poolId => Pool) private _pools;
    mapping(uint256 poolId => mapping(uint64 period => uint256)) private _paidInPeriod;
    mapping(uint256 poolId => mapping(uint64 period => mapping(address beneficiary => bool))) private _claimed;

    /**
     * @param token_ The DigitalTenge (proxy).
     * @param initialAdminDelay Delay of a DEFAULT_ADMIN_ROLE hand-over.
     * @param initialAdmin The first DEFAULT_ADMIN_ROLE holder.
     */
    constructor(IDigitalTenge token_, uint48 initialAdminDelay, address initialAdmin)
        AccessControlDefaultAdminRules(initialAdminDelay, initialAdmin)
        EIP712("Digital Tenge Rewards", "1")
    {
        if (address(token_) == address(0)) revert InvalidSetup();
        token = token_;
    }

    /// @inheritdoc IRewardPools
    function createPool(address attester, uint256 maxPerClaim, uint256 periodCap, bytes32 budgetCode)
        external
        onlyRole(SPONSOR_ROLE)
        returns (uint256 poolId)
    {
        if (attester == address(0) || maxPerClaim == 0 || maxPerClaim > periodCap) revert InvalidPoolTerms();
        poolId = ++poolCount;
        _pools[poolId] = Pool({
            sponsor: _msgSender(),
            paused: false,
            closed: false,
            attester: attester,
            maxPerClaim: SafeCast.toUint128(maxPerClaim),
            periodCap: SafeCast.toUint128(periodCap),
            balance: 0,
            budgetCode: budgetCode
        });
        emit PoolCreated(poolId, _msgSender(), attester, maxPerClaim, periodCap, budgetCode);
    }

    /// @inheritdoc IRewardPools
    function fund(uint256 poolId, uint256 amount) external whenNotPaused {
        Pool storage p = _openSponsored(poolId);
        if (amount == 0) revert ZeroAmount();
        p.balance += amount;
        emit PoolFunded(poolId, _msgSender(), amount);
        token.safeTransferFrom(_msgSender(), address(this), amount);
    }

    /// @inheritdoc IRewardPools
    function setAttester(uint256 poolId, address attester) external {
        Pool storage p = _openSponsored(poolId);
        if (attester == address(0)) revert InvalidPoolTerms();
        emit AttesterSet(poolId, p.attester, attester);
        p.attester = attester;
    }

    /// @inheritdoc IRewardPools
    function setPoolPaused(uint256 poolId, bool paused_) external {
        Pool storage p = _openSponsored(poolId);
        p.paused = paused_;
        emit PoolPausedSet(poolId, paused_);
    }

    /// @inheritdoc IRewardPools
    function close(uint256 poolId) external {
        Pool storage p = _openSponsored(poolId);
        uint256 remainder = p.balance;
        p.closed = true;
        p.balance = 0;
        emit PoolClosed(poolId, p.sponsor, remainder);
        if (remainder != 0) token.safeTransfer(p.sponsor, remainder);
    }

    /// @inheritdoc IRewardPools
    function claim(RewardClaim calldata claim_, bytes calldata signature) external whenNotPaused {
        uint256 poolId = claim_.poolId;
        Pool storage p = _existing(poolId);
        if (p.closed) revert PoolClosedAlready(poolId);
        if (p.paused) revert PoolPaused(poolId);
        if (block.timestamp >= claim_.validBefore) revert ClaimExpired(claim_.validBefore);
        address attester = p.attester;
        if (!SignatureChecker.isValidSignatureNow(attester, claimDigest(claim_), signature)) {
            revert InvalidAttestation(poolId, attester);
        }
        address beneficiary = claim_.beneficiary;
        uint64 period = claim_.period;
        uint256 amount = claim_.amount;
        if (amount == 0) revert ZeroAmount();
        if (_claimed[poolId][period][beneficiary]) revert AlreadyClaimed(poolId, beneficiary, period);
        if (amount > p.maxPerClaim) revert ClaimAboveCap(amount, p.maxPerClaim);
        uint256 paid = _paidInPeriod[poolId][period];
        uint256 remaining = p.periodCap - paid; // paid <= periodCap always
        if (amount > remaining) revert PeriodCapExceeded(period, remaining, amount);
        uint256 balance = p.balance;
        if (amount > balance) revert PoolExhausted(poolId, balance, amount);

        _claimed[poolId][period][beneficiary] = true;
        _paidInPeriod[poolId][period] = paid + amount;
        p.balance = balance - amount;
        emit RewardClaimed(poolId, beneficiary, period, amount);
        // The token refuses an unapproved or frozen beneficiary, or one whose tier cap would be exceeded.
        token.safeTransfer(beneficiary, amount);
    }

    /// @inheritdoc IRewardPools
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IRewardPools
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @inheritdoc IRewardPools
    function pool(uint256 poolId)
        external
        view
        returns (
            address sponsor,
            address attester,
            uint256 maxPerClaim,
            uint256 periodCap,
            uint256 balance,
            bool paused_,
            bool closed,
            bytes32 budgetCode
        )
    {
        Pool storage p = _existing(poolId);
        return (p.sponsor, p.attester, p.maxPerClaim, p.periodCap, p.balance, p.paused, p.closed, p.budgetCode);
    }

    /// @inheritdoc IRewardPools
    function claimed(uint256 poolId, address beneficiary, uint64 period) external view returns (bool) {
        return _claimed[poolId][period][beneficiary];
    }

    /// @inheritdoc IRewardPools
    function paidInPeriod(uint256 poolId, uint64 period) external view returns (uint256) {
        return _paidInPeriod[poolId][period];
    }

    /// @inheritdoc IRewardPools
    function claimDigest(RewardClaim calldata claim_) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    REWARD_CLAIM_TYPEHASH, claim_.poolId, claim_.beneficiary, claim_.amount, claim_.period,
                    claim_.validBefore
                )
            )
        );
    }

    function _existing(uint256 poolId) private view returns (Pool storage p) {
        p = _pools[poolId];
        if (p.sponsor == address(0)) revert UnknownPool(poolId);
    }

    function _openSponsored(uint256 poolId) private view returns (Pool storage p) {
        p = _existing(poolId);
        if (p.sponsor != _msgSender()) revert NotPoolSponsor(poolId, _msgSender());
        _checkRole(SPONSOR_ROLE); // revoking the role reaches the pools the account created
        if (p.closed) revert PoolClosedAlready(poolId);
    }
}
