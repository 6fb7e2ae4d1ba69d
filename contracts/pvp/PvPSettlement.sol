// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ITengeBridge} from "../bridge/ITengeBridge.sol";
import {IDigitalTenge} from "../interfaces/IDigitalTenge.sol";
import {IPvPSettlement} from "./IPvPSettlement.sol";
import {PvPCorridors} from "./PvPCorridors.sol";
import {PvPNonces} from "./PvPNonces.sol";

/**
 * @title PvPSettlement
 * @notice Payment versus payment between two DigitalTenge-type currencies on one chain; see {IPvPSettlement}.
 * Holds no tokens between transactions: every token that comes in (a bridge payment's mint, the LP's bought
 * currency) leaves in the same transaction; bought currency a bridge refunds here later leaves with {unwind}.
 * Not upgradeable.
 */
contract PvPSettlement is
    IPvPSettlement,
    AccessControlDefaultAdminRules,
    EIP712,
    ReentrancyGuardTransient,
    PvPNonces,
    PvPCorridors
{
    /// @inheritdoc IPvPSettlement
    bytes32 public constant CORRIDOR_ROLE = keccak256("CORRIDOR_ROLE");

    /// @inheritdoc IPvPSettlement
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice keccak256 of the `Quote` type string.
    bytes32 public constant QUOTE_TYPEHASH = keccak256(
        "Quote(address lp,address sellToken,address buyToken,uint256 rate,uint256 maxAmount,address taker,uint64 validAfter,uint64 validBefore,uint256 nonce)"
    );

    /// @notice keccak256 of the `Trade` type string.
    bytes32 public constant TRADE_TYPEHASH = keccak256(
        "Trade(address bankA,address tokenA,uint256 amountA,address bankB,address tokenB,uint256 amountB,uint64 validBefore,uint256 nonceA,uint256 nonceB)"
    );

    uint256 private constant RATE_SCALE = 1e18;

    struct Forward {
        address bridge;
        uint64 chainId;
    }

    /// @dev A decoded bridge payment payload.
    struct Order {
        Quote quote;
        bytes signature;
        address merchant;
        uint256 minBuyAmount;
    }

    bool private _paused;
    mapping(address bridge => address token) private _inboundToken;
    mapping(address token => Forward) private _forwarding;
    mapping(bytes32 outboundId => Flight) private _flights;

    /// @param admin the DEFAULT_ADMIN_ROLE holder (AccessControlDefaultAdminRules)
    /// @param adminDelay the admin hand-over delay in seconds
    constructor(address admin, uint48 adminDelay)
        AccessControlDefaultAdminRules(adminDelay, admin)
        EIP712("TengePvP", "1")
    {}

    modifier whenNotPaused() {
        if (_paused) revert EnforcedPause();
        _;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Settling
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IPvPSettlement
    function pay(Quote calldata quote, bytes calldata signature, uint256 amount, address recipient, uint256 minBuyAmount)
        external
        nonReentrant
        whenNotPaused
        returns (uint256 buyAmount)
    {
        if (recipient == address(0) || recipient == address(this)) revert InvalidRecipient(recipient);
        Quote memory q = quote;
        bytes32 digest;
        (digest, buyAmount) = _acceptQuote(q, signature, amount, msg.sender, minBuyAmount);
        _emitSettled(q, digest, Kind.Payment, amount, buyAmount);
        _leg(Leg.Sell, q.sellToken, msg.sender, q.lp, amount);
        _leg(Leg.Buy, q.buyToken, q.lp, recipient, buyAmount);
    }

    /// @inheritdoc IPvPSettlement
    function settle(Trade calldata trade, bytes calldata signatureA, bytes calldata signatureB)
        external
        nonReentrant
        whenNotPaused
    {
        if (block.timestamp >= trade.validBefore) revert TradeExpired(trade.validBefore, block.timestamp);
        if (trade.amountA == 0 || trade.amountB == 0) revert ZeroAmount();
        if (trade.tokenA == trade.tokenB) revert SameToken(trade.tokenA);
        bytes32 digest = tradeDigest(trade);
        if (!_signedBy(digest, signatureA, trade.bankA)) revert InvalidTradeSignature(trade.bankA);
        if (!_signedBy(digest, signatureB, trade.bankB)) revert InvalidTradeSignature(trade.bankB);
        _useNonce(trade.bankA, trade.nonceA, true);
        _useNonce(trade.bankB, trade.nonceB, true);
        _useCorridor(trade.tokenA, trade.tokenB, trade.amountA);
        _emitTradeSettled(trade, digest);
        _leg(Leg.Sell, trade.tokenA, trade.bankA, trade.bankB, trade.amountA);
        _leg(Leg.Buy, trade.tokenB, trade.bankB, trade.bankA, trade.amountB);
    }

    /// @notice The one-action cross-border payment (see {IPvPSettlement}): `payload` is
    /// `abi.encode(Quote quote, bytes signature, address merchant, uint256 minBuyAmount)`; `sender` (the payer on
    /// the source chain) must be the quote's taker unless the quote is open to anyone. Pays the delivered `amount`
    /// to the LP, takes the LP's `buyToken` and sends it over its configured bridge to `merchant`. Only a
    /// configured inbound bridge ({UnknownInboundBridge}); refusals as {pay}'s, plus {InvalidPayload},
    /// {InboundTokenMismatch}, {NoForwarding}, {MerchantNotEligible} (not KYC'd or frozen on the bought currency's
    /// BNB-side token), {ForwardRefused}. Records the onward transfer's flight ({flight}) so that {unwind} can
    /// reverse it if it comes back. Not while paused. Emits {Settled} and {Forwarded}.
    function onBridgeDelivery(
        bytes32 transferId,
        uint256 sourceChainId,
        address sender,
        uint256 amount,
        bytes calldata payload
    ) external nonReentrant whenNotPaused {
        address token = _inboundToken[msg.sender];
        if (token == address(0)) revert UnknownInboundBridge(msg.sender);
        // slither-disable-next-line uninitialized-local
        Flight memory f; // what is known now; the LP, the bought amount and the onward bridge are filled in later
        f.inboundId = transferId;
        f.payer = sender;
        f.sourceChainId = uint64(sourceChainId);
        f.sellAmount = uint96(amount); // fits: a bridge mints within the token's 96-bit supply
        f.inboundBridge = msg.sender;
        _bridgePayment(token, _decodeOrder(payload), f, amount);
    }

    /// @inheritdoc IPvPSettlement
    function unwind(bytes32 outboundId) external nonReentrant returns (bytes32 returnId) {
        Flight memory f = _flights[outboundId];
        if (f.payer == address(0)) revert UnknownFlight(outboundId);
        ITengeBridge.OutboundStatus status = ITengeBridge(f.outboundBridge).outboundStatus(f.outboundNonce);
        if (
            status != ITengeBridge.OutboundStatus.Refunded && status != ITengeBridge.OutboundStatus.Cancelled
                && status != ITengeBridge.OutboundStatus.Rejected
        ) revert FlightNotReturned(outboundId, uint8(status));
        delete _flights[outboundId];
        address sellToken = ITengeBridge(f.inboundBridge).token();
        _leg(Leg.Buy, ITengeBridge(f.outboundBridge).token(), address(this), f.lp, f.buyAmount);
        _leg(Leg.Sell, sellToken, f.lp, address(this), f.sellAmount);
        (bool ok, bytes memory ret) = f.inboundBridge.call(
            abi.encodeCall(ITengeBridge.send, (f.sourceChainId, f.payer, uint256(f.sellAmount)))
        );
        if (!ok || ret.length < 32) revert ForwardRefused(f.inboundBridge, ret);
        returnId = abi.decode(ret, (bytes32));
        emit Unwound(f.inboundId, outboundId, returnId, f.sourceChainId, f.sellAmount, f.buyAmount);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Administration
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IPvPSettlement
    function setCorridorLimit(address sellToken, address buyToken, uint256 dailyLimit)
        external
        onlyRole(CORRIDOR_ROLE)
    {
        _setCorridorLimit(sellToken, buyToken, dailyLimit);
    }

    /// @inheritdoc IPvPSettlement
    function setInboundBridge(address bridge, address token) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _inboundToken[bridge] = token;
        emit InboundBridgeSet(bridge, token);
    }

    /// @inheritdoc IPvPSettlement
    function setForwarding(address token, address bridge, uint64 chainId) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _forwarding[token] = Forward(bridge, chainId);
        emit ForwardingSet(token, bridge, chainId);
    }

    /// @inheritdoc IPvPSettlement
    function pause() external onlyRole(PAUSER_ROLE) {
        if (_paused) revert EnforcedPause();
        _paused = true;
        emit Paused(_msgSender());
    }

    /// @inheritdoc IPvPSettlement
    function unpause() external onlyRole(PAUSER_ROLE) {
        if (!_paused) revert ExpectedPause();
        _paused = false;
        emit Unpaused(_msgSender());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IPvPSettlement
    function paused() external view returns (bool) {
        return _paused;
    }

    /// @inheritdoc IPvPSettlement
    function quoteDigest(Quote calldata quote) external view returns (bytes32) {
        return _quoteDigest(quote);
    }

    /// @inheritdoc IPvPSettlement
    function tradeDigest(Trade calldata trade) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(TRADE_TYPEHASH, trade)));
    }

    /// @inheritdoc IPvPSettlement
    function buyAmountFor(uint256 amount, uint256 rate) public pure returns (uint256) {
        return Math.mulDiv(amount, rate, RATE_SCALE, Math.Rounding.Ceil);
    }

    /// @inheritdoc IPvPSettlement
    function inboundBridgeToken(address bridge) external view returns (address) {
        return _inboundToken[bridge];
    }

    /// @inheritdoc IPvPSettlement
    function forwarding(address token) external view returns (address bridge, uint64 chainId) {
        Forward memory fwd = _forwarding[token];
        return (fwd.bridge, fwd.chainId);
    }

    /// @inheritdoc IPvPSettlement
    function flight(bytes32 outboundId) external view returns (Flight memory) {
        return _flights[outboundId];
    }

    /// @inheritdoc IPvPSettlement
    function decodePayload(bytes calldata payload)
        external
        pure
        returns (Quote memory quote, bytes memory signature, address merchant, uint256 minBuyAmount)
    {
        return abi.decode(payload, (Quote, bytes, address, uint256));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------------------

    /// @dev Checks `quote` for `amount` paid by `payer` and consumes its nonce and corridor room; returns its
    /// digest and what the recipient gets.
    function _acceptQuote(Quote memory quote, bytes memory signature, uint256 amount, address payer, uint256 minBuy)
        private
        returns (bytes32 digest, uint256 buyAmount)
    {
        if (amount == 0) revert ZeroAmount();
        if (quote.sellToken == quote.buyToken) revert SameToken(quote.sellToken);
        if (block.timestamp >= quote.validBefore) revert QuoteExpired(quote.validBefore, block.timestamp);
        if (block.timestamp < quote.validAfter) revert QuoteNotYetValid(quote.validAfter, block.timestamp);
        if (amount > quote.maxAmount) revert QuoteAmountExceeded(amount, quote.maxAmount);
        if (quote.taker != address(0) && quote.taker != payer) revert QuoteTakerMismatch(quote.taker, payer);
        digest = _quoteDigest(quote);
        if (!_signedBy(digest, signature, quote.lp)) revert InvalidQuoteSignature(quote.lp);
        _useNonce(quote.lp, quote.nonce, false);
        buyAmount = buyAmountFor(amount, quote.rate);
        if (buyAmount == 0) revert ZeroAmount();
        if (buyAmount < minBuy) revert BuyAmountBelowMinimum(buyAmount, minBuy);
        _useCorridor(quote.sellToken, quote.buyToken, amount);
    }

    function _emitSettled(Quote memory q, bytes32 ref, Kind kind, uint256 amount, uint256 buyAmount) private {
        emit Settled(
            _corridorId(q.sellToken, q.buyToken), q.lp, ref, kind, address(0), q.sellToken, q.buyToken, amount,
            buyAmount, q.rate, uint64(block.timestamp)
        );
    }

    function _emitTradeSettled(Trade calldata trade, bytes32 digest) private {
        uint256 rate = Math.mulDiv(trade.amountB, RATE_SCALE, trade.amountA);
        emit Settled(
            _corridorId(trade.tokenA, trade.tokenB), trade.bankB, digest, Kind.Interbank, trade.bankA, trade.tokenA,
            trade.tokenB, trade.amountA, trade.amountB, rate, uint64(block.timestamp)
        );
    }

    /// @dev The payload as an {Order}; anything else is refused with {InvalidPayload}.
    function _decodeOrder(bytes calldata payload) private view returns (Order memory order) {
        try this.decodePayload(payload) returns (Quote memory q, bytes memory s, address m, uint256 min) {
            order = Order(q, s, m, min);
        } catch {
            revert InvalidPayload();
        }
    }

    /// @dev Settles bridge payment `f` of `amount` of `token` (minted to this contract) on `order`'s quote: the
    /// tenge to the LP, the LP's som here and on over its bridge to the merchant.
    function _bridgePayment(address token, Order memory order, Flight memory f, uint256 amount) private {
        Quote memory q = order.quote;
        if (q.sellToken != token) revert InboundTokenMismatch(token, q.sellToken);
        if (order.merchant == address(0)) revert InvalidRecipient(order.merchant);
        Forward memory fwd = _forwarding[q.buyToken];
        if (fwd.bridge == address(0)) revert NoForwarding(q.buyToken);
        // The merchant must be able to hold the bought currency (checked on its BNB-side token, where the som's
        // central bank keeps its KYC too): refused now, the payer is refunded at home with nothing to unwind.
        if (IDigitalTenge(q.buyToken).tierOf(order.merchant) == 0 || IDigitalTenge(q.buyToken).isFrozen(order.merchant)) {
            revert MerchantNotEligible(order.merchant);
        }
        (, uint256 buyAmount) = _acceptQuote(q, order.signature, amount, f.payer, order.minBuyAmount);
        _emitSettled(q, f.inboundId, Kind.BridgePayment, amount, buyAmount);
        _leg(Leg.Sell, token, address(this), q.lp, amount);
        _leg(Leg.Buy, q.buyToken, q.lp, address(this), buyAmount);
        f.lp = q.lp;
        f.buyAmount = uint96(buyAmount); // fits: the LP paid it from a 96-bit supply
        f.outboundBridge = fwd.bridge;
        _forward(fwd, order.merchant, f);
    }

    /// @dev Sends the bought currency of bridge payment `f.inboundId` on to `merchant` over its bridge (the bridge
    /// burns it from this contract), recording its flight first under the onward transfer's id (ITengeBridge's
    /// `keccak256(abi.encode(uint64 chainId, address bridge, uint64 nonce))`), which the bridge must return.
    function _forward(Forward memory fwd, address merchant, Flight memory f) private {
        f.outboundNonce = ITengeBridge(fwd.bridge).nextNonce();
        bytes32 outboundId = keccak256(abi.encode(uint64(block.chainid), fwd.bridge, f.outboundNonce));
        _flights[outboundId] = f;
        (bool ok, bytes memory ret) =
            fwd.bridge.call(abi.encodeCall(ITengeBridge.send, (fwd.chainId, merchant, uint256(f.buyAmount))));
        if (!ok || ret.length < 32 || abi.decode(ret, (bytes32)) != outboundId) revert ForwardRefused(fwd.bridge, ret);
        emit Forwarded(f.inboundId, outboundId, fwd.chainId, f.buyAmount);
    }

    function _quoteDigest(Quote memory quote) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(QUOTE_TYPEHASH, quote)));
    }

    function _signedBy(bytes32 digest, bytes memory signature, address signer) private pure returns (bool) {
        // slither-disable-next-line unused-return
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signature); // 3rd: detail
        return err == ECDSA.RecoverError.NoError && recovered == signer && signer != address(0);
    }

    function _corridorId(address sellToken, address buyToken) private pure returns (bytes32) {
        return keccak256(abi.encode(sellToken, buyToken));
    }

    /// @dev Moves one leg with a plain ERC-20 call on its token (`transfer` when `from` is this contract), so the
    /// token's own rules apply; a refusal reverts with {LegRefused} carrying the token's revert data.
    function _leg(Leg leg, address token, address from, address to, uint256 amount) private {
        bytes memory call = from == address(this)
            ? abi.encodeCall(IERC20.transfer, (to, amount))
            : abi.encodeCall(IERC20.transferFrom, (from, to, amount));
        (bool ok, bytes memory ret) = token.call(call);
        if (!ok || (ret.length != 0 && !abi.decode(ret, (bool))) || (ret.length == 0 && token.code.length == 0)) {
            revert LegRefused(leg, token, ret);
        }
    }
}
