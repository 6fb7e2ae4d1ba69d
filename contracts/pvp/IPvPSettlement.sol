// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IBridgePayloadHandler} from "../bridge/IBridgePayloadHandler.sol";

/**
 * @title IPvPSettlement
 * @notice Payment versus payment between two central-bank currencies on one BNB-side chain (the mBridge / Jura
 * model): both legs move in ONE transaction or neither does. Each leg is a plain `transferFrom` (or `transfer`) on
 * its own DigitalTenge-type token, so each token's own rules (KYC, freeze, tier caps, pause) apply to its leg; a
 * refused leg reverts the whole settlement with {LegRefused}, carrying the token's own custom error.
 *
 * Three ways to settle:
 * - {pay}: a payer pays `amount` of the quote's `sellToken` (e.g. tenge) to a liquidity provider (LP) and the LP
 *   pays the quoted `buyToken` (e.g. som) to the payer's recipient, on an FX {Quote} the LP signed (EIP-712).
 * - {settle}: interbank PvP: two banks exchange two currencies on a {Trade} both signed (EIP-712).
 * - {onBridgeDelivery}: the one-action cross-border payment. The BNB-side tenge bridge mints the payer's tenge to
 *   this contract and calls it in the same transaction with a payload (see {decodePayload}); this contract pays
 *   the tenge to the LP, takes the LP's som and sends it over the som bridge to the merchant on the som home
 *   ledger. Any refusal reverts the delivery (the tenge bridge then refunds the payer at home); nothing stays here.
 *   If the som home ledger refuses the merchant after the settlement here, the som bridge refunds the som to this
 *   contract; {unwind} (permissionless) then gives it back to the LP, takes the payer's tenge back from the LP and
 *   sends it home to the payer.
 *
 * Rate: `rate` is the number of `buyToken` base units per `sellToken` base unit, scaled by 1e18 (an exact decimal
 * with up to 18 places; for two 2-decimal currencies it is simply "som per tenge"). Rounding rule — the payer is
 * never charged more than quoted: for `amount` sold, the recipient gets `ceil(amount * rate / 1e18)`; the LP
 * bears the rounding (less than one base unit).
 *
 * Quotes and trades are single-use: each signer has a nonce space (2 bits per nonce: open, used, cancelled);
 * a signature settles at most once, and a signer cancels an unused nonce with {cancel}.
 *
 * Corridors: a directed pair (sellToken -> buyToken) settles only while its daily limit (in sellToken base units,
 * per UTC day) is non-zero; CORRIDOR_ROLE (the central banks' operator) sets it. Every settlement emits {Settled}
 * with what a central bank needs for balance-of-payments statistics — corridor, both amounts, rate, provider,
 * time — and no personal data (payer and recipient appear only in the tokens' own Transfer events).
 *
 * EIP-712 domain: name "TengePvP", version "1", chainId, verifyingContract = this contract. Type strings (exact):
 * `Quote(address lp,address sellToken,address buyToken,uint256 rate,uint256 maxAmount,address taker,uint64 validAfter,uint64 validBefore,uint256 nonce)`
 * `Trade(address bankA,address tokenA,uint256 amountA,address bankB,address tokenB,uint256 amountB,uint64 validBefore,uint256 nonceA,uint256 nonceB)`
 */
interface IPvPSettlement is IBridgePayloadHandler, IAccessControlDefaultAdminRules {
    // ---------------------------------------------------------------------------------------------------------
    // Types
    // ---------------------------------------------------------------------------------------------------------

    /// @notice An LP's firm FX quote: it sells `buyToken` against up to `maxAmount` of `sellToken` at `rate`
    /// (1e18-scaled `buyToken` units per `sellToken` unit), to `taker` only (zero: anyone), valid from `validAfter`
    /// (inclusive) until `validBefore` (exclusive), unix seconds; `nonce` is in the LP's nonce space.
    struct Quote {
        address lp;
        address sellToken;
        address buyToken;
        uint256 rate;
        uint256 maxAmount;
        address taker;
        uint64 validAfter;
        uint64 validBefore;
        uint256 nonce;
    }

    /// @notice An interbank FX trade: `bankA` pays `amountA` of `tokenA` to `bankB`, `bankB` pays `amountB` of
    /// `tokenB` to `bankA`; valid until `validBefore` (exclusive); each bank's nonce is in its own nonce space.
    struct Trade {
        address bankA;
        address tokenA;
        uint256 amountA;
        address bankB;
        address tokenB;
        uint256 amountB;
        uint64 validBefore;
        uint256 nonceA;
        uint256 nonceB;
    }

    /// @notice A bridge payment's bought currency on its way over the buy currency's bridge (see {Forwarded}), kept
    /// so that it can be reversed if it comes back ({unwind}): the bridge payment's inbound transfer id, the payer (`payer`, the sender on chain
    /// `sourceChainId`), the LP, both amounts (base units), the bridge the sold currency came over
    /// (`inboundBridge`) and the bridge and nonce of the onward transfer.
    struct Flight {
        bytes32 inboundId;
        address payer;
        uint64 sourceChainId;
        address lp;
        uint96 sellAmount;
        address inboundBridge;
        uint96 buyAmount;
        address outboundBridge;
        uint64 outboundNonce;
    }

    /// @notice How a settlement came about.
    enum Kind {
        Payment,
        Interbank,
        BridgePayment
    }

    /// @notice Which leg a token refused: the seller's currency going to the provider, or the provider's going out.
    enum Leg {
        Sell,
        Buy
    }

    /// @notice State of a signer's nonce.
    enum NonceState {
        Open,
        Used,
        Cancelled
    }

    // ---------------------------------------------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Both legs settled (balance-of-payments record, no personal data). `corridor` =
    /// keccak256(abi.encode(sellToken, buyToken)); `provider` is the LP (for {Kind.Interbank}: `bankB`, and
    /// `counterparty` is `bankA`; zero otherwise); `ref` is the quote's or trade's EIP-712 digest, or for
    /// {Kind.BridgePayment} the inbound bridge transfer id; `rate` as in the quote (interbank: amountB*1e18/amountA
    /// rounded down); `timestamp` the block's time.
    event Settled(
        bytes32 indexed corridor,
        address indexed provider,
        bytes32 indexed ref,
        Kind kind,
        address counterparty,
        address sellToken,
        address buyToken,
        uint256 sellAmount,
        uint256 buyAmount,
        uint256 rate,
        uint64 timestamp
    );

    /// @notice The som of bridge payment `inboundId` left over the `buyToken`'s bridge as transfer `outboundId` to
    /// chain `destChainId`.
    event Forwarded(bytes32 indexed inboundId, bytes32 indexed outboundId, uint64 destChainId, uint256 amount);

    /// @notice Bridge payment `inboundId` was reversed ({unwind}): its onward transfer `outboundId` came back
    /// (refunded to this contract by the buy currency's bridge), the LP got its `buyAmount` back and returned the
    /// payer's `sellAmount`, which left over the sold currency's bridge as transfer `returnId` to the payer on
    /// chain `sourceChainId`.
    event Unwound(
        bytes32 indexed inboundId,
        bytes32 indexed outboundId,
        bytes32 indexed returnId,
        uint64 sourceChainId,
        uint256 sellAmount,
        uint256 buyAmount
    );

    /// @notice `signer` cancelled its unused nonce `nonce` (a quote or trade it signed can no longer settle).
    event NonceCancelled(address indexed signer, uint256 indexed nonce);

    /// @notice The daily limit of corridor `sellToken -> buyToken` changed (sellToken base units; 0: closed).
    event CorridorLimitSet(address indexed sellToken, address indexed buyToken, uint256 oldLimit, uint256 newLimit);

    /// @notice `bridge` may deliver `token` with a payload (zero token: no longer).
    event InboundBridgeSet(address indexed bridge, address indexed token);

    /// @notice Bought `token` of a bridge payment leaves over `bridge` to chain `chainId` (zero bridge: none).
    event ForwardingSet(address indexed token, address indexed bridge, uint64 chainId);

    /// @notice Same signature as OpenZeppelin Pausable's event.
    event Paused(address account);

    /// @notice Same signature as OpenZeppelin Pausable's event.
    event Unpaused(address account);

    // ---------------------------------------------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------------------------------------------

    /// @notice The quote's validity window ended at `validBefore` (block time `now`).
    error QuoteExpired(uint64 validBefore, uint256 now);

    /// @notice The quote is valid only from `validAfter`.
    error QuoteNotYetValid(uint64 validAfter, uint256 now);

    /// @notice The LP `lp` cancelled quote nonce `nonce`.
    error QuoteCancelled(address lp, uint256 nonce);

    /// @notice Quote nonce `nonce` of `lp` already settled (a quote settles once).
    error QuoteAlreadyUsed(address lp, uint256 nonce);

    /// @notice `amount` is over the quote's maximum `maxAmount` (sellToken base units).
    error QuoteAmountExceeded(uint256 amount, uint256 maxAmount);

    /// @notice The quote's signature is not the LP's over this quote.
    error InvalidQuoteSignature(address lp);

    /// @notice The quote is reserved for `taker`, not `payer`.
    error QuoteTakerMismatch(address taker, address payer);

    /// @notice The recipient would get `buyAmount`, less than the payer's minimum `minBuyAmount`.
    error BuyAmountBelowMinimum(uint256 buyAmount, uint256 minBuyAmount);

    /// @notice An amount of zero (or a quote paying zero).
    error ZeroAmount();

    /// @notice Not a valid recipient (zero or this contract).
    error InvalidRecipient(address recipient);

    /// @notice A quote or trade must exchange two different tokens.
    error SameToken(address token);

    /// @notice The trade's validity window ended at `validBefore`.
    error TradeExpired(uint64 validBefore, uint256 now);

    /// @notice `bank` cancelled trade nonce `nonce`.
    error TradeCancelled(address bank, uint256 nonce);

    /// @notice Trade nonce `nonce` of `bank` already settled.
    error TradeAlreadySettled(address bank, uint256 nonce);

    /// @notice `bank`'s signature over the trade is missing or wrong.
    error InvalidTradeSignature(address bank);

    /// @notice {cancel} of a nonce that already settled or was already cancelled (its current `state`).
    error NonceNotOpen(address signer, uint256 nonce, NonceState state);

    /// @notice Corridor `sellToken -> buyToken` is closed (no daily limit set).
    error CorridorClosed(address sellToken, address buyToken);

    /// @notice `amount` is over what is left today (`remaining`) of the corridor's daily limit.
    error CorridorLimitExceeded(address sellToken, address buyToken, uint256 amount, uint256 remaining);

    /// @notice A daily limit over the largest storable value.
    error LimitTooLarge(uint256 limit, uint256 max);

    /// @notice `token` refused its `leg` with `reason` (its revert data: e.g. the token's AccountFrozen or
    /// AccountNotApproved). Nothing moved.
    error LegRefused(Leg leg, address token, bytes reason);

    /// @notice {onBridgeDelivery} called by `caller`, which is not a configured inbound bridge.
    error UnknownInboundBridge(address caller);

    /// @notice The bridge delivers `token`; the quote sells `sellToken`.
    error InboundTokenMismatch(address token, address sellToken);

    /// @notice No outbound bridge is configured for `token`.
    error NoForwarding(address token);

    /// @notice The outbound bridge refused to send on (`reason`: its revert data).
    error ForwardRefused(address bridge, bytes reason);

    /// @notice The merchant `merchant` cannot receive the bought currency here (not KYC-approved or frozen on its
    /// BNB-side token): the payment is refused before anything moves, so the payer is refunded at home.
    error MerchantNotEligible(address merchant);

    /// @notice No bridge payment's onward transfer `outboundId` is waiting to be reversed (never forwarded, or
    /// already reversed).
    error UnknownFlight(bytes32 outboundId);

    /// @notice Onward transfer `outboundId` has not come back (its status at the buy currency's bridge: `status`,
    /// ITengeBridge.OutboundStatus): only a refunded, cancelled or rejected one is reversed.
    error FlightNotReturned(bytes32 outboundId, uint8 status);

    /// @notice The payload is not `abi.encode(Quote, bytes signature, address merchant, uint256 minBuyAmount)`.
    error InvalidPayload();

    /// @notice Same signature as OpenZeppelin Pausable's error.
    error EnforcedPause();

    /// @notice Same signature as OpenZeppelin Pausable's error.
    error ExpectedPause();

    // ---------------------------------------------------------------------------------------------------------
    // Settling
    // ---------------------------------------------------------------------------------------------------------

    /// @notice The caller pays `amount` of `quote.sellToken` to `quote.lp`, and `quote.lp` pays
    /// `ceil(amount * quote.rate / 1e18)` of `quote.buyToken` to `recipient` — both or neither. The caller and the
    /// LP must have approved this contract on their tokens. Refused: {QuoteExpired}, {QuoteNotYetValid},
    /// {QuoteCancelled}, {QuoteAlreadyUsed}, {QuoteAmountExceeded}, {InvalidQuoteSignature}, {QuoteTakerMismatch},
    /// {BuyAmountBelowMinimum}, {CorridorClosed}, {CorridorLimitExceeded}, {LegRefused}. Not while paused.
    /// Emits {Settled}. Returns the amount the recipient got.
    function pay(Quote calldata quote, bytes calldata signature, uint256 amount, address recipient, uint256 minBuyAmount)
        external
        returns (uint256 buyAmount);

    /// @notice Interbank PvP: `trade.bankA` pays `amountA` of `tokenA` to `bankB` and `bankB` pays `amountB` of
    /// `tokenB` to `bankA` — both or neither — on both banks' signatures (anyone may submit). Refused:
    /// {TradeExpired}, {TradeCancelled}, {TradeAlreadySettled}, {InvalidTradeSignature}, {CorridorClosed},
    /// {CorridorLimitExceeded}, {LegRefused}. Not while paused. Emits {Settled}.
    function settle(Trade calldata trade, bytes calldata signatureA, bytes calldata signatureB) external;

    /// @notice Reverses bridge payment whose onward transfer `outboundId` came back to this contract (the merchant's
    /// home ledger refused it after the settlement here: the buy currency's bridge refunded it to its sender, this
    /// contract): the LP gets its bought currency back, returns the payer's sold amount (the LP's standing
    /// allowance to this contract on the sold currency), and that amount goes back over the sold currency's bridge
    /// to the payer on its home ledger — so nothing stays here. Permissionless (anyone may call, also while paused:
    /// it only returns money); each flight once. Refused: {UnknownFlight}, {FlightNotReturned}, {LegRefused} (the LP
    /// could not take or return its leg: retry once it can), {ForwardRefused}. Emits {Unwound}.
    function unwind(bytes32 outboundId) external returns (bytes32 returnId);

    /// @notice The caller cancels its unused nonce `nonce`: a quote or trade signed with it can no longer settle.
    /// Emits {NonceCancelled}. Refused: {NonceNotOpen}.
    function cancel(uint256 nonce) external;

    // ---------------------------------------------------------------------------------------------------------
    // Administration
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Sets the daily limit of corridor `sellToken -> buyToken` (sellToken base units per UTC day; 0
    /// closes it). CORRIDOR_ROLE only. Emits {CorridorLimitSet}.
    function setCorridorLimit(address sellToken, address buyToken, uint256 dailyLimit) external;

    /// @notice Lets `bridge` call {onBridgeDelivery} for its `token` (zero token: revokes). DEFAULT_ADMIN_ROLE
    /// only. Emits {InboundBridgeSet}.
    function setInboundBridge(address bridge, address token) external;

    /// @notice Bridge payments buying `token` send it on over `bridge` to chain `chainId` (zero bridge: none).
    /// DEFAULT_ADMIN_ROLE only. Emits {ForwardingSet}.
    function setForwarding(address token, address bridge, uint64 chainId) external;

    /// @notice Stops every settlement. PAUSER_ROLE only. Emits {Paused}.
    function pause() external;

    /// @notice Resumes settlements. PAUSER_ROLE only. Emits {Unpaused}.
    function unpause() external;

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @notice Role that sets corridor limits.
    function CORRIDOR_ROLE() external view returns (bytes32);

    /// @notice Role that pauses and unpauses.
    function PAUSER_ROLE() external view returns (bytes32);

    /// @notice Whether settlements are stopped.
    function paused() external view returns (bool);

    /// @notice The EIP-712 digest an LP signs for `quote`.
    function quoteDigest(Quote calldata quote) external view returns (bytes32);

    /// @notice The EIP-712 digest both banks sign for `trade`.
    function tradeDigest(Trade calldata trade) external view returns (bytes32);

    /// @notice What `recipient` gets for `amount` sold at `rate`: `ceil(amount * rate / 1e18)`.
    function buyAmountFor(uint256 amount, uint256 rate) external pure returns (uint256);

    /// @notice State of `signer`'s nonce `nonce`.
    function nonceState(address signer, uint256 nonce) external view returns (NonceState);

    /// @notice Corridor `sellToken -> buyToken`: daily limit, amount settled today (UTC day of the block), and
    /// what is left today.
    function corridor(address sellToken, address buyToken)
        external
        view
        returns (uint256 dailyLimit, uint256 usedToday, uint256 remainingToday);

    /// @notice The token `bridge` may deliver with a payload (zero: none).
    function inboundBridgeToken(address bridge) external view returns (address);

    /// @notice Where bought `token` of a bridge payment is sent on: bridge and destination chain.
    function forwarding(address token) external view returns (address bridge, uint64 chainId);

    /// @notice The flight of onward transfer `outboundId` still reversible (zero payer: none).
    function flight(bytes32 outboundId) external view returns (Flight memory);

    /// @notice Decodes a bridge payment payload: `abi.encode(quote, signature, merchant, minBuyAmount)`.
    function decodePayload(bytes calldata payload)
        external
        pure
        returns (Quote memory quote, bytes memory signature, address merchant, uint256 minBuyAmount);
}
