// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title VatMath
 * @notice The one rounding rule of the VAT payments: how a VAT-inclusive gross amount splits into net and VAT,
 * and how a partial refund splits the same way.
 *
 * Amounts are whole tiyn (the token's smallest unit); rates are basis points (1 bp = 0.01 %, 10 000 = 100 %).
 *
 * Rule (round half up, in tiyn):
 *
 *     vat = floor(gross * rate / (10 000 + rate) + 1/2)
 *         = (2 * gross * rate + (10 000 + rate)) / (2 * (10 000 + rate))      (integer division)
 *     net = gross - vat
 *
 * so `net + vat == gross` exactly, and `vat` is within half a tiyn of the exact VAT contained in `gross`
 * (an exact half rounds up). Example: 16 % of a 1 000.00 tenge gross = 100 000 tiyn * 1600 / 11 600
 * = 13 793.10... -> 13 793 tiyn VAT, 86 207 tiyn net.
 *
 * A refund of part of a payment carries the VAT share `round_half_up(part * vat / gross)` of the *cumulative*
 * amount refunded so far, minus what earlier refunds already carried: the VAT returned by all refunds of a
 * payment is a function of the total refunded only, never drifts with the number of refunds, never exceeds
 * the payment's VAT, and equals it exactly when the payment is refunded in full.
 */
library VatMath {
    /// @notice 100 % in basis points.
    uint256 internal constant BPS = 10_000;

    /**
     * @notice VAT contained in the VAT-inclusive `gross` at `rateBps`, rounded half up to whole tiyn.
     * @dev `gross < 2**96` and `rateBps <= 10_000` in every caller, so nothing here can overflow (the arithmetic is
     * unchecked, a measured saving on every payment).
     * For `rateBps <= 10_000` the result is at most `gross / 2` rounded up, so `gross - vat` never underflows.
     */
    function vatFromGross(uint256 gross, uint256 rateBps) internal pure returns (uint256) {
        unchecked {
            // gross < 2^96, rateBps <= 10_000 < 2^14: every intermediate is below 2^112 (no overflow checks needed).
            uint256 denominator = BPS + rateBps;
            return (2 * gross * rateBps + denominator) / (2 * denominator);
        }
    }

    /**
     * @notice VAT share of the first `part` of a payment of `gross` that contained `vat`, rounded half up:
     * `round_half_up(part * vat / gross)`. Non-decreasing in `part`; equals `vat` when `part == gross`.
     * @dev Callers guarantee `0 < gross < 2**96`, `part <= gross` and `vat <= gross`.
     */
    function vatShare(uint256 vat, uint256 part, uint256 gross) internal pure returns (uint256) {
        unchecked {
            // part, vat, gross < 2^96: every intermediate is below 2^194; a zero gross still reverts (division).
            return (2 * part * vat + gross) / (2 * gross);
        }
    }
}
