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
 * Storage per claim: one bit in the beneficiary's claim word of the pool (256 consecutive periods share a word, so a
 * beneficiary claiming period after period writes a word that is already set) and the period's running total.
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

    /// @dev Packed so that a claim reads two words of its pool: slot 0 attester | balance (the word a claim reads
    /// and writes), slot 1 maxPerClaim | periodCap | paused | closed, slot 2 sponsor, slot 3 budget code. A pool
    /// exists when its attester is set (never zero). Amounts are tiyn: 96 bits hold 7.9e26 tenge.
    struct Pool {
        address attester;
        uint96 balance;
        uint96 maxPerClaim;
        uint96 periodCap;
        bool paused;
        bool closed;
        address sponsor;
        bytes32 budgetCode;
    }

    /// @notice The currency token.
    IDigitalTenge public immutable token;
    /// @notice Number of pools created; ids run from 1.
    uint256 public poolCount;

    mapping(uint256 poolId => Pool) private _pools;
    mapping(uint256 poolId => mapping(uint64 period => uint256)) private _paidInPeriod;
    /// @dev Bit `period % 256` of word `period / 256` is set once `beneficiary` claimed `period` of the pool.
    mapping(uint256 poolId => mapping(address beneficiary => mapping(uint256 word => uint256 bits))) private _claimed;

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
            attester: attester,
            balance: 0,
            maxPerClaim: SafeCast.toUint96(maxPerClaim),
            periodCap: SafeCast.toUint96(periodCap),
            paused: false,
            closed: false,
            sponsor: _msgSender(),
            budgetCode: budgetCode
        });
        emit PoolCreated(poolId, _msgSender(), attester, maxPerClaim, periodCap, budgetCode);
    }

    /// @inheritdoc IRewardPools
    function fund(uint256 poolId, uint256 amount) external whenNotPaused {
        Pool storage p = _openSponsored(poolId);
        if (amount == 0) revert ZeroAmount();
        p.balance = SafeCast.toUint96(p.balance + amount);
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
        // One read of the pool's terms word (maxPerClaim | periodCap | paused | closed).
        if (p.closed) revert PoolClosedAlready(poolId);
        if (p.paused) revert PoolPaused(poolId);
        if (block.timestamp >= claim_.validBefore) revert ClaimExpired(claim_.validBefore);
        address attester = p.attester;
        if (!SignatureChecker.isValidSignatureNow(attester, claimDigest(claim_), signature)) {
            revert InvalidAttestation(poolId, attester);
        }
        uint256 amount = claim_.amount;
        if (amount == 0) revert ZeroAmount();
        address beneficiary = claim_.beneficiary;
        uint64 period = claim_.period;
        _markClaimed(poolId, beneficiary, period);
        _draw(p, poolId, period, amount);
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
        return _claimed[poolId][beneficiary][period >> 8] & (1 << (period & 0xff)) != 0;
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

    /// @dev Sets the beneficiary's bit of `period`; refuses a period already claimed.
    function _markClaimed(uint256 poolId, address beneficiary, uint64 period) private {
        mapping(uint256 => uint256) storage words = _claimed[poolId][beneficiary];
        uint256 bits = words[period >> 8];
        uint256 bit = 1 << (period & 0xff);
        if (bits & bit != 0) revert AlreadyClaimed(poolId, beneficiary, period);
        words[period >> 8] = bits | bit;
    }

    /// @dev Takes `amount` from the pool within its per-claim and per-period caps.
    function _draw(Pool storage p, uint256 poolId, uint64 period, uint256 amount) private {
        uint256 maxPerClaim = p.maxPerClaim;
        if (amount > maxPerClaim) revert ClaimAboveCap(amount, maxPerClaim);
        uint256 paid = _paidInPeriod[poolId][period];
        uint256 remaining = p.periodCap - paid; // paid <= periodCap always
        if (amount > remaining) revert PeriodCapExceeded(period, remaining, amount);
        uint256 balance = p.balance;
        if (amount > balance) revert PoolExhausted(poolId, balance, amount);
        _paidInPeriod[poolId][period] = paid + amount;
        p.balance = uint96(balance - amount); // amount <= balance < 2^96
    }

    function _existing(uint256 poolId) private view returns (Pool storage p) {
        p = _pools[poolId];
        if (p.attester == address(0)) revert UnknownPool(poolId);
    }

    function _openSponsored(uint256 poolId) private view returns (Pool storage p) {
        p = _existing(poolId);
        if (p.sponsor != _msgSender()) revert NotPoolSponsor(poolId, _msgSender());
        _checkRole(SPONSOR_ROLE); // revoking the role reaches the pools the account created
        if (p.closed) revert PoolClosedAlready(poolId);
    }
}
