// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IRewardPools
 * @notice Sponsor-funded reward pools ("move-to-earn"). A sponsor locks tenge in a pool and names an attester (the
 * app's backend key); the attester signs EIP-712 claims "beneficiary earned amount in period"; anyone submits a
 * claim; each (pool, beneficiary, period) pays once. Caps: at most `maxPerClaim` per beneficiary and period, at
 * most `periodCap` per period over all beneficiaries. The token's rules apply to what a beneficiary receives:
 * KYC-approved, not frozen, within the tier's holding cap. The sponsor tops up, pauses, changes the attester and
 * closes the pool (the remainder goes back to the sponsor).
 *
 * Conservation: token balance of this contract = sum of open pools' balances (+ anything sent to it directly).
 * Amounts are tiyn; `period` is the app's own numbering (e.g. days since an epoch, or yyyymmdd).
 */
interface IRewardPools {
    /// @notice A claim the attester signs (EIP-712 type `RewardClaim`), payable until `validBefore` (unix seconds,
    /// exclusive): a claim the attester signed and nobody submitted does not come back to life later (e.g. when
    /// the sponsor switches back to an old attester).
    struct RewardClaim {
        uint256 poolId;
        address beneficiary;
        uint256 amount;
        uint64 period;
        uint64 validBefore;
    }

    /// @notice Pool `poolId` was created by `sponsor`.
    event PoolCreated(
        uint256 indexed poolId,
        address indexed sponsor,
        address indexed attester,
        uint256 maxPerClaim,
        uint256 periodCap,
        bytes32 budgetCode
    );
    /// @notice `amount` was added to pool `poolId`.
    event PoolFunded(uint256 indexed poolId, address indexed from, uint256 amount);
    /// @notice The attester of pool `poolId` changed.
    event AttesterSet(uint256 indexed poolId, address indexed previousAttester, address indexed newAttester);
    /// @notice Pool `poolId` was paused (true) or resumed (false) by its sponsor.
    event PoolPausedSet(uint256 indexed poolId, bool paused);
    /// @notice `beneficiary` was paid `amount` for `period` from pool `poolId`.
    event RewardClaimed(uint256 indexed poolId, address indexed beneficiary, uint64 indexed period, uint256 amount);
    /// @notice Pool `poolId` was closed; `remainder` went back to `sponsor`.
    event PoolClosed(uint256 indexed poolId, address indexed sponsor, uint256 remainder);

    /// @notice No pool `poolId`.
    error UnknownPool(uint256 poolId);
    /// @notice Only the sponsor of pool `poolId` may do this; `caller` is not it.
    error NotPoolSponsor(uint256 poolId, address caller);
    /// @notice Pool `poolId` is closed.
    error PoolClosedAlready(uint256 poolId);
    /// @notice Pool `poolId` is paused by its sponsor.
    error PoolPaused(uint256 poolId);
    /// @notice The attester cannot be the zero address; caps must be non-zero with `maxPerClaim <= periodCap`.
    error InvalidPoolTerms();
    /// @notice The signature is not the pool's attester's over this claim.
    error InvalidAttestation(uint256 poolId, address attester);
    /// @notice `beneficiary` was already paid for `period` from pool `poolId`.
    error AlreadyClaimed(uint256 poolId, address beneficiary, uint64 period);
    /// @notice `amount` is above the pool's per-beneficiary, per-period cap `maxPerClaim`.
    error ClaimAboveCap(uint256 amount, uint256 maxPerClaim);
    /// @notice Period `period` has only `remaining` left under the pool's period cap; `requested` was asked.
    error PeriodCapExceeded(uint64 period, uint256 remaining, uint256 requested);
    /// @notice Pool `poolId` holds only `balance`; `requested` was asked.
    error PoolExhausted(uint256 poolId, uint256 balance, uint256 requested);
    /// @notice The claim was payable only before `validBefore` (its deadline, signed by the attester).
    error ClaimExpired(uint64 validBefore);
    /// @notice An amount of zero.
    error ZeroAmount();
    /// @notice The token address is zero.
    error InvalidSetup();

    /// @notice Creates a pool; the caller (SPONSOR_ROLE) is its sponsor. Returns its id.
    function createPool(address attester, uint256 maxPerClaim, uint256 periodCap, bytes32 budgetCode)
        external
        returns (uint256 poolId);

    /// @notice Adds `amount` of the caller's tenge (approved to this contract) to pool `poolId`. Sponsor only.
    function fund(uint256 poolId, uint256 amount) external;

    /// @notice Replaces the attester of pool `poolId` (claims signed by the old one stop working). Sponsor only.
    function setAttester(uint256 poolId, address attester) external;

    /// @notice Pauses (true) or resumes (false) claims on pool `poolId`. Sponsor only.
    function setPoolPaused(uint256 poolId, bool paused) external;

    /// @notice Closes pool `poolId` and returns its balance to the sponsor. Sponsor only.
    function close(uint256 poolId) external;

    /// @notice Pays `claim` signed by the pool's attester (EIP-712 or ERC-1271) before its deadline
    /// (`validBefore`); anyone may submit.
    function claim(RewardClaim calldata claim_, bytes calldata signature) external;

    /// @notice Pauses every pool's claims and funding. PAUSER_ROLE.
    function pause() external;

    /// @notice Lifts the global pause. PAUSER_ROLE.
    function unpause() external;

    /// @notice Pool `poolId`'s terms and state.
    function pool(uint256 poolId)
        external
        view
        returns (
            address sponsor,
            address attester,
            uint256 maxPerClaim,
            uint256 periodCap,
            uint256 balance,
            bool paused,
            bool closed,
            bytes32 budgetCode
        );

    /// @notice Whether `beneficiary` was paid for `period` from pool `poolId`.
    function claimed(uint256 poolId, address beneficiary, uint64 period) external view returns (bool);

    /// @notice Paid so far for `period` from pool `poolId`.
    function paidInPeriod(uint256 poolId, uint64 period) external view returns (uint256);

    /// @notice The EIP-712 digest the attester signs for `claim_`.
    function claimDigest(RewardClaim calldata claim_) external view returns (bytes32);
}
