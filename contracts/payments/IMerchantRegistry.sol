// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IMerchantRegistry
 * @notice Merchants that accept VAT payments, kept by the tax authority or a registrar it names. A merchant is a
 * `uint64` id chosen by the registrar (no personal data: an internal number, not a tax id) with a payout address
 * (receives the net share and starts refunds), whether it is VAT-registered (an unregistered merchant charges no
 * VAT), a default VAT category and an active flag (inactive merchants cannot be paid; they can still refund).
 *
 * The VAT categories a merchant may be paid under are the tax side's decision, not the payer's: its default
 * category, plus the other categories the registrar allowed it ({setMerchantCategories}, e.g. a pharmacy selling
 * both standard-rated goods and reduced-rate medicines). A payment naming any other category is refused
 * ({CategoryNotAllowed}), so a 16 % merchant cannot be paid under a 0 % category.
 */
interface IMerchantRegistry {
    /// @notice Merchant `merchantId` was registered (and is active).
    event MerchantRegistered(
        uint64 indexed merchantId, address indexed payout, bool vatRegistered, uint8 defaultCategory
    );

    /// @notice Merchant `merchantId`'s payout address, VAT registration or default category changed
    /// (the event carries all three new values).
    event MerchantUpdated(uint64 indexed merchantId, address indexed payout, bool vatRegistered, uint8 defaultCategory);

    /// @notice Merchant `merchantId` was activated or deactivated.
    event MerchantActiveSet(uint64 indexed merchantId, bool active);

    /// @notice The categories merchant `merchantId` may be paid under besides its default are now `categories`
    /// (ascending; empty: only its default).
    event MerchantCategoriesSet(uint64 indexed merchantId, uint8[] categories);

    /// @notice No merchant `merchantId` is registered.
    error UnknownMerchant(uint64 merchantId);

    /// @notice Merchant `merchantId` is already registered.
    error MerchantAlreadyRegistered(uint64 merchantId);

    /// @notice Merchant `merchantId` is deactivated and cannot be paid.
    error MerchantInactive(uint64 merchantId);

    /// @notice `payout` cannot receive payments (zero address or the payments contract itself).
    error InvalidPayout(address payout);

    /// @notice Merchant `merchantId` may not be paid under VAT category `categoryId`: it is neither the
    /// merchant's default category nor one the registrar allowed it ({merchantCategories} lists them).
    error CategoryNotAllowed(uint64 merchantId, uint8 categoryId);

    /// @notice keccak256("REGISTRAR_ROLE"): keeps the merchant registry; its admin role is TAX_AUTHORITY_ROLE.
    function REGISTRAR_ROLE() external view returns (bytes32);

    /**
     * @notice Registers merchant `merchantId`, active. REGISTRAR_ROLE or TAX_AUTHORITY_ROLE.
     * A VAT-registered merchant's `defaultCategory` must be a scheduled category; an unregistered merchant's
     * is only recorded (it charges no VAT).
     */
    function registerMerchant(uint64 merchantId, address payout, bool vatRegistered, uint8 defaultCategory)
        external;

    /// @notice Replaces payout address, VAT registration and default category of merchant `merchantId`.
    /// REGISTRAR_ROLE or TAX_AUTHORITY_ROLE. Same checks as {registerMerchant}.
    function updateMerchant(uint64 merchantId, address payout, bool vatRegistered, uint8 defaultCategory)
        external;

    /// @notice Activates or deactivates merchant `merchantId`. REGISTRAR_ROLE or TAX_AUTHORITY_ROLE.
    function setMerchantActive(uint64 merchantId, bool active) external;

    /**
     * @notice Replaces the VAT categories merchant `merchantId` may be paid under besides its default category
     * with `categories` (any order, repeats ignored; empty: the default only). Each must be a scheduled category
     * (not 0). REGISTRAR_ROLE or TAX_AUTHORITY_ROLE. Emits {MerchantCategoriesSet} with the set, ascending.
     */
    function setMerchantCategories(uint64 merchantId, uint8[] calldata categories) external;

    /// @notice The VAT categories merchant `merchantId` may be paid under: its default first (unless it is 0, an
    /// unregistered merchant's "none"), then the others allowed by the registrar, ascending.
    function merchantCategories(uint64 merchantId) external view returns (uint8[] memory categories);

    /// @notice The record of merchant `merchantId` (`registered == false`: no such merchant).
    function merchant(uint64 merchantId)
        external
        view
        returns (address payout, bool vatRegistered, uint8 defaultCategory, bool active, bool registered);
}
