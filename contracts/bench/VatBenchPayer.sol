// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IVatPayments} from "../payments/IVatPayments.sol";

/**
 * @title VatBenchPayer
 * @notice Bench only (never deployed by the suite): a payer that makes many real {IVatPayments-pay} calls in one
 * transaction, so `tenge bench index` can build a history of 100,000 payments in a few hundred transactions.
 * Each call is an ordinary payment - same checks, same `Paid` event, same token transfers - by this contract as
 * the payer (it must be KYC-approved on the token and hold the gross amounts).
 */
contract VatBenchPayer {
    IVatPayments public immutable vat;

    /// @notice Approves `vat_` to take this contract's tokens for its payments.
    constructor(IVatPayments vat_, uint256 allowance) {
        vat = vat_;
        IERC20(address(vat_.token())).approve(address(vat_), allowance);
    }

    /// @notice Pays merchant `merchantId` `count` times `gross` in category `categoryId`, for invoices
    /// `firstInvoice`, `firstInvoice + 1`, ... (as bytes32).
    function payMany(uint64 merchantId, uint256 gross, uint8 categoryId, uint256 firstInvoice, uint256 count) external {
        for (uint256 i; i < count; ++i) {
            vat.pay(merchantId, gross, categoryId, bytes32(firstInvoice + i));
        }
    }
}
