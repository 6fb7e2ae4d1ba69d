// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IPvPSettlement} from "./IPvPSettlement.sol";

/**
 * @title PvPCorridors
 * @notice Per-corridor daily value limits. A corridor is a directed pair (sellToken -> buyToken); it is open while
 * its daily limit is non-zero. What settled counts against the limit of the current UTC day (block time / 1 day).
 * One storage slot per corridor (limit, used, day), so a settlement writes one warm word.
 */
abstract contract PvPCorridors is IPvPSettlement {
    /// @dev 96 + 96 + 64 bits: one slot.
    struct Corridor {
        uint96 dailyLimit;
        uint96 used;
        uint64 day;
    }

    mapping(address sellToken => mapping(address buyToken => Corridor)) private _corridors;

    /// @inheritdoc IPvPSettlement
    function corridor(address sellToken, address buyToken)
        external
        view
        returns (uint256 dailyLimit, uint256 usedToday, uint256 remainingToday)
    {
        Corridor memory c = _corridors[sellToken][buyToken];
        dailyLimit = c.dailyLimit;
        usedToday = c.day == block.timestamp / 1 days ? c.used : 0;
        remainingToday = dailyLimit > usedToday ? dailyLimit - usedToday : 0;
    }

    /// @dev Sets the limit (the day's usage is kept).
    function _setCorridorLimit(address sellToken, address buyToken, uint256 dailyLimit) internal {
        if (dailyLimit > type(uint96).max) revert LimitTooLarge(dailyLimit, type(uint96).max);
        if (sellToken == buyToken) revert SameToken(sellToken);
        Corridor storage c = _corridors[sellToken][buyToken];
        emit CorridorLimitSet(sellToken, buyToken, c.dailyLimit, dailyLimit);
        c.dailyLimit = uint96(dailyLimit);
    }

    /// @dev Counts `amount` against today's limit of the corridor; reverts if closed or over the limit.
    function _useCorridor(address sellToken, address buyToken, uint256 amount) internal {
        Corridor memory c = _corridors[sellToken][buyToken];
        if (c.dailyLimit == 0) revert CorridorClosed(sellToken, buyToken);
        uint64 today = uint64(block.timestamp / 1 days);
        uint256 used = c.day == today ? c.used : 0;
        uint256 remaining = c.dailyLimit > used ? c.dailyLimit - used : 0;
        if (amount > remaining) revert CorridorLimitExceeded(sellToken, buyToken, amount, remaining);
        // used + amount <= dailyLimit <= type(uint96).max
        _corridors[sellToken][buyToken] = Corridor(c.dailyLimit, uint96(used + amount), today);
    }
}
