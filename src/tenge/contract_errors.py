"""Every custom error of the suite's contracts as a named exception class (generated, do not edit).

Generated from the compiled ABIs and the errors' NatSpec by ``python -m tenge.docs``; a test fails when an ABI
error has no class here. Import them from :mod:`tenge.errors` (``from tenge.errors import TierCapExceeded``,
``except tenge.errors.ContractError``). ``error_args`` hold the arguments by name, readable: amounts in Decimal
tenge, roles by name.
"""

# ruff: noqa: D101, E501, N818
from __future__ import annotations

from tenge.errors import ContractRevert


class AccessControlBadConfirmation(ContractRevert):
    """The caller of a function is not the expected one. NOTE: Don't confuse with {AccessControlUnauthorizedAccount}. Solidity: ``AccessControlBadConfirmation()``."""

class AccessControlEnforcedDefaultAdminDelay(ContractRevert):
    """The delay for transferring the default admin delay is enforced and the operation must wait until `schedule`. NOTE: `schedule` can be 0 indicating there's no transfer scheduled. Solidity: ``AccessControlEnforcedDefaultAdminDelay(uint48 schedule)``."""

class AccessControlEnforcedDefaultAdminRules(ContractRevert):
    """At least one of the following rules was violated: - The `DEFAULT_ADMIN_ROLE` must only be managed by itself. - The `DEFAULT_ADMIN_ROLE` must only be held by one account at the time. - Any `DEFAULT_ADMIN_ROLE` transfer must be in two delayed steps. Solidity: ``AccessControlEnforcedDefaultAdminRules()``."""

class AccessControlInvalidDefaultAdmin(ContractRevert):
    """The new default admin is not a valid default admin. Solidity: ``AccessControlInvalidDefaultAdmin(address defaultAdmin)``."""

class AccessControlUnauthorizedAccount(ContractRevert):
    """The `account` is missing a role. Solidity: ``AccessControlUnauthorizedAccount(address account, bytes32 neededRole)``."""

class AccountFrozen(ContractRevert):
    """`account` is frozen. Solidity: ``AccountFrozen(address account)``."""

class AccountNotApproved(ContractRevert):
    """`account` has no KYC approval (tier 0) and can neither hold, send nor receive, nor spend an allowance as a spender. Solidity: ``AccountNotApproved(address account)``."""

class AccountNotEligible(ContractRevert):
    """`account` is not KYC-approved on the token (tier 0) or is frozen there. Solidity: ``AccountNotEligible(address account)``."""

class AddressEmptyCode(ContractRevert):
    """There's no code at `target` (it is not a contract). Solidity: ``AddressEmptyCode(address target)``."""

class AlreadyClaimed(ContractRevert):
    """`beneficiary` was already paid for `period` from pool `poolId`. Solidity: ``AlreadyClaimed(uint256 poolId, address beneficiary, uint64 period)``."""

class AlreadyProcessed(ContractRevert):
    """Replay: the transfer was already delivered, queued or failed here. Solidity: ``AlreadyProcessed(bytes32 id, uint8 status)``."""

class AmountTooLarge(ContractRevert):
    """An amount the 96-bit lock count (the token's supply bound) cannot hold. Solidity: ``AmountTooLarge(uint256 amount, uint256 max)``."""

class ArrayLengthMismatch(ContractRevert):
    """Batch arrays differ in length. Solidity: ``ArrayLengthMismatch(uint256 recipients, uint256 amounts)``."""

class AuthorizationAlreadyUsed(ContractRevert):
    """The nonce was already used or canceled for this authorizer. (Named `...AlreadyUsed` because `AuthorizationUsed` is the standard's event name.). Solidity: ``AuthorizationAlreadyUsed(address authorizer, bytes32 nonce)``."""

class AuthorizationCallerNotPayee(ContractRevert):
    """`receiveWithAuthorization` was called by someone other than the payee `to`. Solidity: ``AuthorizationCallerNotPayee(address caller, address payee)``."""

class AuthorizationExpired(ContractRevert):
    """The authorization's `validBefore` has passed (`blockTimestamp >= validBefore`). Solidity: ``AuthorizationExpired(uint256 validBefore, uint256 blockTimestamp)``."""

class AuthorizationInvalidSignature(ContractRevert):
    """The signature does not verify for `authorizer` over the EIP-712 digest. Solidity: ``AuthorizationInvalidSignature(address authorizer)``."""

class AuthorizationNotYetValid(ContractRevert):
    """The authorization's `validAfter` is still in the future (`blockTimestamp <= validAfter`). Solidity: ``AuthorizationNotYetValid(uint256 validAfter, uint256 blockTimestamp)``."""

class BankLimitsUnset(ContractRevert):
    """`bank` has no limits set. Solidity: ``BankLimitsUnset(address bank)``."""

class BankNotMinter(ContractRevert):
    """The `bank` named in a redemption does not hold MINTER_ROLE. Solidity: ``BankNotMinter(address bank)``."""

class BatchLengthMismatch(ContractRevert):
    """Batch arrays differ in length. Solidity: ``BatchLengthMismatch(uint256 beneficiaries, uint256 amounts)``."""

class BatchTooLarge(ContractRevert):
    """{deliverBatch} was given more than {MAX_BATCH} transfers. Solidity: ``BatchTooLarge(uint256 size, uint256 maxSize)``."""

class BookRecordMismatch(ContractRevert):
    """The entries given for a refund of invoice `invoiceNo` of merchant `merchantId` do not recompute the page's stored chain head: not the payment as it was made, or not with every later payment of its page. Solidity: ``BookRecordMismatch(uint64 merchantId, uint64 invoiceNo)``."""

class BridgeIsRetired(ContractRevert):
    """This bridge was retired in favour of `successor`: no sends or escrow attestations here. Solidity: ``BridgeIsRetired(address successor)``."""

class BuyAmountBelowMinimum(ContractRevert):
    """The recipient would get `buyAmount`, less than the payer's minimum `minBuyAmount`. Solidity: ``BuyAmountBelowMinimum(uint256 buyAmount, uint256 minBuyAmount)``."""

class CannotRescueSelf(ContractRevert):
    """The token itself cannot be "rescued". Solidity: ``CannotRescueSelf()``."""

class CategoryNotAllowed(ContractRevert):
    """Merchant `merchantId` may not be paid under VAT category `categoryId`: it is neither the merchant's default category nor one the registrar allowed it ({merchantCategories} lists them). Solidity: ``CategoryNotAllowed(uint64 merchantId, uint8 categoryId)``."""

class ClaimAboveCap(ContractRevert):
    """`amount` is above the pool's per-beneficiary, per-period cap `maxPerClaim`. Solidity: ``ClaimAboveCap(uint256 amount, uint256 maxPerClaim)``."""

class ClaimExpired(ContractRevert):
    """The claim was payable only before `validBefore` (its deadline, signed by the attester). Solidity: ``ClaimExpired(uint64 validBefore)``."""

class CorridorClosed(ContractRevert):
    """Corridor `sellToken -> buyToken` is closed (no daily limit set). Solidity: ``CorridorClosed(address sellToken, address buyToken)``."""

class CorridorLimitExceeded(ContractRevert):
    """`amount` is over what is left today (`remaining`) of the corridor's daily limit. Solidity: ``CorridorLimitExceeded(address sellToken, address buyToken, uint256 amount, uint256 remaining)``."""

class DailyLimitExceeded(ContractRevert):
    """`beneficiary` may spend only `remaining` more of programme `programmeId` today; `requested` was asked. Solidity: ``DailyLimitExceeded(uint256 programmeId, address beneficiary, uint256 remaining, uint256 requested)``."""

class DeliveryOutOfGas(ContractRevert):
    """The token call ran out of gas (empty revert data): the delivery reverts so it can be retried with more gas; it is not marked Failed. Solidity: ``DeliveryOutOfGas(bytes32 id)``."""

class DuplicateSigner(ContractRevert):
    """`signer` is listed twice. Solidity: ``DuplicateSigner(address signer)``."""

class ECDSAInvalidSignature(ContractRevert):
    """The signature derives the `address(0)`. Solidity: ``ECDSAInvalidSignature()``."""

class ECDSAInvalidSignatureLength(ContractRevert):
    """The signature has an invalid length. Solidity: ``ECDSAInvalidSignatureLength(uint256 length)``."""

class ECDSAInvalidSignatureS(ContractRevert):
    """The signature has an S value that is in the upper half order. Solidity: ``ECDSAInvalidSignatureS(bytes32 s)``."""

class ERC1155InsufficientBalance(ContractRevert):
    """Indicates an error related to the current `balance` of a `sender`. Used in transfers. sender: Address whose tokens are being transferred. balance: Current balance for the interacting account. needed: Minimum amount required to perform a transfer. tokenId: Identifier number of a token. Solidity: ``ERC1155InsufficientBalance(address sender, uint256 balance, uint256 needed, uint256 tokenId)``."""

class ERC1155InvalidApprover(ContractRevert):
    """Indicates a failure with the `approver` of a token to be approved. Used in approvals. approver: Address initiating an approval operation. Solidity: ``ERC1155InvalidApprover(address approver)``."""

class ERC1155InvalidArrayLength(ContractRevert):
    """Indicates an array length mismatch between ids and values in a safeBatchTransferFrom operation. Used in batch transfers. idsLength: Length of the array of token identifiers valuesLength: Length of the array of token amounts. Solidity: ``ERC1155InvalidArrayLength(uint256 idsLength, uint256 valuesLength)``."""

class ERC1155InvalidOperator(ContractRevert):
    """Indicates a failure with the `operator` to be approved. Used in approvals. operator: Address that may be allowed to operate on tokens without being their owner. Solidity: ``ERC1155InvalidOperator(address operator)``."""

class ERC1155InvalidReceiver(ContractRevert):
    """Indicates a failure with the token `receiver`. Used in transfers. receiver: Address to which tokens are being transferred. Solidity: ``ERC1155InvalidReceiver(address receiver)``."""

class ERC1155InvalidSender(ContractRevert):
    """Indicates a failure with the token `sender`. Used in transfers. sender: Address whose tokens are being transferred. Solidity: ``ERC1155InvalidSender(address sender)``."""

class ERC1155MissingApprovalForAll(ContractRevert):
    """Indicates a failure with the `operator`’s approval. Used in transfers. operator: Address that may be allowed to operate on tokens without being their owner. owner: Address of the current owner of a token. Solidity: ``ERC1155MissingApprovalForAll(address operator, address owner)``."""

class ERC1967InvalidImplementation(ContractRevert):
    """The `implementation` of the proxy is invalid. Solidity: ``ERC1967InvalidImplementation(address implementation)``."""

class ERC1967NonPayable(ContractRevert):
    """An upgrade function sees `msg.value > 0` that may be lost. Solidity: ``ERC1967NonPayable()``."""

class ERC20InsufficientAllowance(ContractRevert):
    """Indicates a failure with the `spender`’s `allowance`. Used in transfers. spender: Address that may be allowed to operate on tokens without being their owner. allowance: Amount of tokens a `spender` is allowed to operate with. needed: Minimum amount required to perform a transfer. Solidity: ``ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)``."""

class ERC20InsufficientBalance(ContractRevert):
    """Indicates an error related to the current `balance` of a `sender`. Used in transfers. sender: Address whose tokens are being transferred. balance: Current balance for the interacting account. needed: Minimum amount required to perform a transfer. Solidity: ``ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)``."""

class ERC20InvalidApprover(ContractRevert):
    """Indicates a failure with the `approver` of a token to be approved. Used in approvals. approver: Address initiating an approval operation. Solidity: ``ERC20InvalidApprover(address approver)``."""

class ERC20InvalidReceiver(ContractRevert):
    """Indicates a failure with the token `receiver`. Used in transfers. receiver: Address to which tokens are being transferred. Solidity: ``ERC20InvalidReceiver(address receiver)``."""

class ERC20InvalidSender(ContractRevert):
    """Indicates a failure with the token `sender`. Used in transfers. sender: Address whose tokens are being transferred. Solidity: ``ERC20InvalidSender(address sender)``."""

class ERC20InvalidSpender(ContractRevert):
    """Indicates a failure with the `spender` to be approved. Used in approvals. spender: Address that may be allowed to operate on tokens without being their owner. Solidity: ``ERC20InvalidSpender(address spender)``."""

class ERC2612ExpiredSignature(ContractRevert):
    """Same signature as OpenZeppelin ERC20Permit's error. Solidity: ``ERC2612ExpiredSignature(uint256 deadline)``."""

class ERC2612InvalidSigner(ContractRevert):
    """Same signature as OpenZeppelin ERC20Permit's error. Solidity: ``ERC2612InvalidSigner(address signer, address owner)``."""

class EmptyBatch(ContractRevert):
    """{deliverBatch} was given no transfer. Solidity: ``EmptyBatch()``."""

class EmptyBookRecord(ContractRevert):
    """A book refund needs at least the refunded payment's own entry. Solidity: ``EmptyBookRecord()``."""

class EnforcedPause(ContractRevert):
    """Same signature as OpenZeppelin Pausable's error. Solidity: ``EnforcedPause()``."""

class EscrowFigureNotAdopted(ContractRevert):
    """The token's reserve is already attested by another bridge: adopt its figure first ({adopt}). Solidity: ``EscrowFigureNotAdopted()``."""

class ExpectedPause(ContractRevert):
    """Same signature as OpenZeppelin Pausable's error. Solidity: ``ExpectedPause()``."""

class FailedCall(ContractRevert):
    """A call to an address target failed. The target may have reverted. Solidity: ``FailedCall()``."""

class FlightNotReturned(ContractRevert):
    """Onward transfer `outboundId` has not come back (its status at the buy currency's bridge: `status`, ITengeBridge.OutboundStatus): only a refunded, cancelled or rejected one is reversed. Solidity: ``FlightNotReturned(bytes32 outboundId, uint8 status)``."""

class ForwardRefused(ContractRevert):
    """The outbound bridge refused to send on (`reason`: its revert data). Solidity: ``ForwardRefused(address bridge, bytes reason)``."""

class GuaranteeExceedsFree(ContractRevert):
    """Withdrawal of `requested` exceeds the free deposit `free` (deposit minus reservations). Solidity: ``GuaranteeExceedsFree(uint256 free, uint256 requested)``."""

class HomeBridgeFixed(ContractRevert):
    """The home bridge cannot be re-pointed once an escrow attestation was accepted (it is `current`). Solidity: ``HomeBridgeFixed(address current)``."""

class InboundTokenMismatch(ContractRevert):
    """The bridge delivers `token`; the quote sells `sellToken`. Solidity: ``InboundTokenMismatch(address token, address sellToken)``."""

class InsufficientEscrow(ContractRevert):
    """A cancel or refund would give back more than is locked for `chainId`. Solidity: ``InsufficientEscrow(uint64 chainId, uint256 locked, uint256 amount)``."""

class InsufficientFrozenAmount(ContractRevert):
    """A wipe needs a wholly frozen account, or a frozen amount of at least `needed`. Solidity: ``InsufficientFrozenAmount(address account, uint256 frozen, uint256 needed)``."""

class InsufficientGuarantee(ContractRevert):
    """The bank's free deposit `free` cannot reserve `needed` for this purse. Solidity: ``InsufficientGuarantee(address bank, uint256 free, uint256 needed)``."""

class InsufficientSignatures(ContractRevert):
    """Fewer valid signatures than the threshold. Solidity: ``InsufficientSignatures(uint256 valid, uint256 threshold)``."""

class InsufficientSpendableBalance(ContractRevert):
    """`account` can spend only `spendable` (balance minus frozen amount) but `needed` was asked. (When nothing is frozen OpenZeppelin's `ERC20InsufficientBalance` is raised instead.). Solidity: ``InsufficientSpendableBalance(address account, uint256 spendable, uint256 needed)``."""

class InsufficientUnallocated(ContractRevert):
    """Allocation of `needed` but programme `programmeId` holds only `unallocated` not yet allocated. Solidity: ``InsufficientUnallocated(uint256 programmeId, uint256 unallocated, uint256 needed)``."""

class InsufficientVouchers(ContractRevert):
    """`beneficiary` holds only `balance` vouchers of programme `programmeId`; `needed` was asked. Solidity: ``InsufficientVouchers(uint256 programmeId, address beneficiary, uint256 balance, uint256 needed)``."""

class InvalidAccount(ContractRevert):
    """`account` cannot be used here (the zero address for a tier; the sender as its own receiver in a forced transfer). Solidity: ``InvalidAccount(address account)``."""

class InvalidAccountNonce(ContractRevert):
    """The nonce used for an `account` is not the expected current nonce. Solidity: ``InvalidAccountNonce(address account, uint256 currentNonce)``."""

class InvalidAttestation(ContractRevert):
    """The signature is not the pool's attester's over this claim. Solidity: ``InvalidAttestation(uint256 poolId, address attester)``."""

class InvalidAttestationTime(ContractRevert):
    """A reserve attestation must not be dated in the future nor older than the current one. Solidity: ``InvalidAttestationTime(uint64 attestedAt, uint64 previousAttestedAt, uint256 blockTimestamp)``."""

class InvalidBatchSize(ContractRevert):
    """A batch of `size` payments; 1 to MAX_BATCH. Solidity: ``InvalidBatchSize(uint256 size)``."""

class InvalidCategory(ContractRevert):
    """Category id 0 is reserved (it means "the merchant's default category" in payments). Solidity: ``InvalidCategory(uint8 categoryId)``."""

class InvalidCertificate(ContractRevert):
    """The zero purse id or device. Solidity: ``InvalidCertificate()``."""

class InvalidCertificateSignature(ContractRevert):
    """The certificate is not signed by its bank. Solidity: ``InvalidCertificateSignature(address bank)``."""

class InvalidDeferralTimeout(ContractRevert):
    """A deferral timeout must be at least `min` seconds (a deferred transfer gets time for a fresh attestation before it fails). Solidity: ``InvalidDeferralTimeout(uint64 timeout, uint64 min)``."""

class InvalidExpiry(ContractRevert):
    """`expiry` is not in the future or later than `latest` (now + the bank's maximum lifetime). Solidity: ``InvalidExpiry(uint64 expiry, uint64 latest)``."""

class InvalidGrace(ContractRevert):
    """A grace period outside (0, 365 days]. Solidity: ``InvalidGrace(uint64 grace)``."""

class InvalidInitialization(ContractRevert):
    """The contract is already initialized. Solidity: ``InvalidInitialization()``."""

class InvalidLimits(ContractRevert):
    """Limits that cannot be: zero or too large an amount (uint48 tiyn), zero lifetime, zero purses, reach 0. Solidity: ``InvalidLimits()``."""

class InvalidPayload(ContractRevert):
    """The payload is not `abi.encode(Quote, bytes signature, address merchant, uint256 minBuyAmount)`. Solidity: ``InvalidPayload()``."""

class InvalidPaymentOrder(ContractRevert):
    """A payment order's `merchant` is zero, or its signature's `v` is not 27 or 28. Solidity: ``InvalidPaymentOrder()``."""

class InvalidPayout(ContractRevert):
    """`payout` cannot receive payments (zero address or the payments contract itself). Solidity: ``InvalidPayout(address payout)``."""

class InvalidPoolTerms(ContractRevert):
    """The attester cannot be the zero address; caps must be non-zero with `maxPerClaim <= periodCap`. Solidity: ``InvalidPoolTerms()``."""

class InvalidPredecessor(ContractRevert):
    """`predecessor` is not a bridge of this token and home retired in favour of this one, or this bridge has already been attested. Solidity: ``InvalidPredecessor(address predecessor)``."""

class InvalidPurseSetup(ContractRevert):
    """The token or VAT payments address is zero (constructor). Solidity: ``InvalidPurseSetup(address value)``."""

class InvalidQueueDelay(ContractRevert):
    """A queue delay of 0 or above `maxDelay` seconds. Solidity: ``InvalidQueueDelay(uint256 delay, uint256 maxDelay)``."""

class InvalidQuoteSignature(ContractRevert):
    """The quote's signature is not the LP's over this quote. Solidity: ``InvalidQuoteSignature(address lp)``."""

class InvalidRecipient(ContractRevert):
    """The recipient is the zero address or the destination bridge itself. Solidity: ``InvalidRecipient(address recipient)``."""

class InvalidRecoveryTarget(ContractRevert):
    """Recovery target `account` must be approved and hold nothing (balance and frozen amount 0), and differ from the lost account. Solidity: ``InvalidRecoveryTarget(address account)``."""

class InvalidSetup(ContractRevert):
    """A constructor address (token or VAT payments) is zero or inconsistent. Solidity: ``InvalidSetup()``."""

class InvalidShortString(ContractRevert):
    """The contract reverted with InvalidShortString. Solidity: ``InvalidShortString()``."""

class InvalidSignature(ContractRevert):
    """The signature listed for `signer` does not recover to it over this message (tampered message or bad signature). Solidity: ``InvalidSignature(address signer)``."""

class InvalidSpendSignature(ContractRevert):
    """The signature is not `beneficiary`'s over this spend authorization. Solidity: ``InvalidSpendSignature(address beneficiary)``."""

class InvalidSuccessor(ContractRevert):
    """A successor that is zero, this bridge, or a second one. Solidity: ``InvalidSuccessor(address successor)``."""

class InvalidTerms(ContractRevert):
    """A programme needs a non-empty purpose, a budget code and `validFrom < expiry`, expiry in the future. Solidity: ``InvalidTerms()``."""

class InvalidThreshold(ContractRevert):
    """The threshold must be between 1 and the number of validators. Solidity: ``InvalidThreshold(uint256 threshold, uint256 validatorCount)``."""

class InvalidTier(ContractRevert):
    """Tier 0 means "not approved" and has no cap. Solidity: ``InvalidTier(uint8 tier)``."""

class InvalidToken(ContractRevert):
    """The token address cannot be zero. Solidity: ``InvalidToken(address token)``."""

class InvalidTradeSignature(ContractRevert):
    """`bank`'s signature over the trade is missing or wrong. Solidity: ``InvalidTradeSignature(address bank)``."""

class InvalidTreasury(ContractRevert):
    """The treasury cannot be the zero address nor this contract. Solidity: ``InvalidTreasury(address treasury)``."""

class InvalidValidator(ContractRevert):
    """`validator` is the zero address or already a validator. Solidity: ``InvalidValidator(address validator)``."""

class InvoiceAlreadyPaid(ContractRevert):
    """Invoice `invoiceNo` of merchant `merchantId` is already paid (payment {bookPaymentId}). Solidity: ``InvoiceAlreadyPaid(uint64 merchantId, uint64 invoiceNo)``."""

class LegRefused(ContractRevert):
    """`token` refused its `leg` with `reason` (its revert data: e.g. the token's AccountFrozen or AccountNotApproved). Nothing moved. Solidity: ``LegRefused(uint8 leg, address token, bytes reason)``."""

class LimitTooLarge(ContractRevert):
    """A daily limit over the largest storable value. Solidity: ``LimitTooLarge(uint256 limit, uint256 max)``."""

class MerchantAlreadyRegistered(ContractRevert):
    """Merchant `merchantId` is already registered. Solidity: ``MerchantAlreadyRegistered(uint64 merchantId)``."""

class MerchantInactive(ContractRevert):
    """Merchant `merchantId` is deactivated and cannot be paid. Solidity: ``MerchantInactive(uint64 merchantId)``."""

class MerchantNotEligible(ContractRevert):
    """The merchant `merchant` cannot receive the bought currency here (not KYC-approved or frozen on its BNB-side token): the payment is refused before anything moves, so the payer is refunded at home. Solidity: ``MerchantNotEligible(address merchant)``."""

class MerchantNotPayable(ContractRevert):
    """Merchant `merchantId` is not registered (or not active) in VAT payments. Solidity: ``MerchantNotPayable(uint64 merchantId)``."""

class MinterAllowanceExceeded(ContractRevert):
    """`minter`'s mint allowance `allowance` is below `needed`. Solidity: ``MinterAllowanceExceeded(address minter, uint256 allowance, uint256 needed)``."""

class MissingInvoiceRef(ContractRevert):
    """A payment needs a non-zero invoice reference. Solidity: ``MissingInvoiceRef()``."""

class NoForwarding(ContractRevert):
    """No outbound bridge is configured for `token`. Solidity: ``NoForwarding(address token)``."""

class NoPendingRateChange(ContractRevert):
    """`categoryId` has no pending change to cancel. Solidity: ``NoPendingRateChange(uint8 categoryId)``."""

class NoRateInForce(ContractRevert):
    """`categoryId` has only a future rate: none is in force at `timestamp`. Solidity: ``NoRateInForce(uint8 categoryId, uint256 timestamp)``."""

class NoValidatorUpdate(ContractRevert):
    """No validator-set change is scheduled. Solidity: ``NoValidatorUpdate()``."""

class NonceNotOpen(ContractRevert):
    """{cancel} of a nonce that already settled or was already cancelled (its current `state`). Solidity: ``NonceNotOpen(address signer, uint256 nonce, uint8 state)``."""

class NotAValidator(ContractRevert):
    """`validator` is not in the set (cannot be removed). Solidity: ``NotAValidator(address validator)``."""

class NotBridge(ContractRevert):
    """The caller is not the bridge. Solidity: ``NotBridge(address caller)``."""

class NotCompliance(ContractRevert):
    """Only an account with the token's COMPLIANCE_ROLE may do this; `caller` has not. Solidity: ``NotCompliance(address caller)``."""

class NotInitializing(ContractRevert):
    """The contract is not initializing. Solidity: ``NotInitializing()``."""

class NotIssuer(ContractRevert):
    """`bank` does not hold ISSUER_ROLE. Solidity: ``NotIssuer(address bank)``."""

class NotKyc(ContractRevert):
    """`account` has no KYC approval. Solidity: ``NotKyc(address account)``."""

class NotMerchantPayout(ContractRevert):
    """Only merchant `merchantId`'s payout address may refund its payments; `caller` is not it. Solidity: ``NotMerchantPayout(uint64 merchantId, address caller)``."""

class NotPayloadHandler(ContractRevert):
    """A transfer with a payload names `recipient`, which is not this bridge's payload handler: marked Failed and refunded at its source. Solidity: ``NotPayloadHandler(address recipient)``."""

class NotPoolSponsor(ContractRevert):
    """Only the sponsor of pool `poolId` may do this; `caller` is not it. Solidity: ``NotPoolSponsor(uint256 poolId, address caller)``."""

class NotPurseParty(ContractRevert):
    """`caller` is not purse `purseId`'s bank (revoke) or holder (close request). Solidity: ``NotPurseParty(bytes32 purseId, address caller)``."""

class NotQueued(ContractRevert):
    """The transfer is not queued here (never was, already completed or cancelled), or the message given is not the one queued under this id. Solidity: ``NotQueued(bytes32 id)``."""

class NotSender(ContractRevert):
    """Only the transfer's sender may cancel it. Solidity: ``NotSender(address caller, address sender)``."""

class NotSponsor(ContractRevert):
    """Only the sponsor of programme `programmeId` may do this; `caller` is not it. Solidity: ``NotSponsor(uint256 programmeId, address caller)``."""

class NotTreasury(ContractRevert):
    """Only the treasury withdraws VAT; `caller` is not it. Solidity: ``NotTreasury(address caller)``."""

class OutsidePurpose(ContractRevert):
    """Merchant `merchantId` sells under VAT category `categoryId`, outside programme `programmeId`'s purpose. Solidity: ``OutsidePurpose(uint256 programmeId, uint64 merchantId, uint8 categoryId)``."""

class OwnableInvalidOwner(ContractRevert):
    """The owner is not a valid owner account. (eg. `address(0)`). Solidity: ``OwnableInvalidOwner(address owner)``."""

class OwnableUnauthorizedAccount(ContractRevert):
    """The caller account is not authorized to perform an operation. Solidity: ``OwnableUnauthorizedAccount(address account)``."""

class PayloadRequired(ContractRevert):
    """`recipient` is this bridge's payload handler: only a transfer with a payload is credited to it (a plain one is marked Failed and refunded at its source, so nothing is ever left in the handler). Solidity: ``PayloadRequired(address recipient)``."""

class PaymentAlreadyExists(ContractRevert):
    """This payer already paid this invoice of this merchant (payment `paymentId`). Solidity: ``PaymentAlreadyExists(bytes32 paymentId)``."""

class PaymentsPaused(ContractRevert):
    """Payments, refunds and withdrawals are paused in this contract. Solidity: ``PaymentsPaused()``."""

class PeerChanged(ContractRevert):
    """The transfer was queued for `queuedFor` on `chainId`, which is no longer the lane's peer (`current`): it is never sent there; its sender may cancel it. Solidity: ``PeerChanged(uint64 chainId, address queuedFor, address current)``."""

class PeriodCapExceeded(ContractRevert):
    """Period `period` has only `remaining` left under the pool's period cap; `requested` was asked. Solidity: ``PeriodCapExceeded(uint64 period, uint256 remaining, uint256 requested)``."""

class PoolClosedAlready(ContractRevert):
    """Pool `poolId` is closed. Solidity: ``PoolClosedAlready(uint256 poolId)``."""

class PoolExhausted(ContractRevert):
    """Pool `poolId` holds only `balance`; `requested` was asked. Solidity: ``PoolExhausted(uint256 poolId, uint256 balance, uint256 requested)``."""

class PoolPaused(ContractRevert):
    """Pool `poolId` is paused by its sponsor. Solidity: ``PoolPaused(uint256 poolId)``."""

class ProgrammeClosed(ContractRevert):
    """Programme `programmeId` was reclaimed and is closed. Solidity: ``ProgrammeClosed(uint256 programmeId)``."""

class ProgrammeExpired(ContractRevert):
    """Programme `programmeId` expired at `expiry`: no spending, transfers, funding or allocation. Solidity: ``ProgrammeExpired(uint256 programmeId, uint64 expiry)``."""

class ProgrammeNotExpired(ContractRevert):
    """Programme `programmeId` has not expired yet (it expires at `expiry`). Solidity: ``ProgrammeNotExpired(uint256 programmeId, uint64 expiry)``."""

class ProgrammeNotStarted(ContractRevert):
    """Programme `programmeId` is not valid before `validFrom`. Solidity: ``ProgrammeNotStarted(uint256 programmeId, uint64 validFrom)``."""

class PurseAlreadyClosed(ContractRevert):
    """Purse `purseId` is closed. Solidity: ``PurseAlreadyClosed(bytes32 purseId)``."""

class PurseAmountAboveLimit(ContractRevert):
    """`amount` is above the bank's maximum purse amount `max`. Solidity: ``PurseAmountAboveLimit(uint256 amount, uint256 max)``."""

class PurseExists(ContractRevert):
    """Purse `purseId` already exists. Solidity: ``PurseExists(bytes32 purseId)``."""

class PurseNotClosable(ContractRevert):
    """Purse `purseId` can only be closed from `closableAt`. Solidity: ``PurseNotClosable(bytes32 purseId, uint64 closableAt)``."""

class QueuedTransferHeld(ContractRevert):
    """Queued transfer `id` is held by the pause role: it completes only once let go. Solidity: ``QueuedTransferHeld(bytes32 id)``."""

class QuoteAlreadyUsed(ContractRevert):
    """Quote nonce `nonce` of `lp` already settled (a quote settles once). Solidity: ``QuoteAlreadyUsed(address lp, uint256 nonce)``."""

class QuoteAmountExceeded(ContractRevert):
    """`amount` is over the quote's maximum `maxAmount` (sellToken base units). Solidity: ``QuoteAmountExceeded(uint256 amount, uint256 maxAmount)``."""

class QuoteCancelled(ContractRevert):
    """The LP `lp` cancelled quote nonce `nonce`. Solidity: ``QuoteCancelled(address lp, uint256 nonce)``."""

class QuoteExpired(ContractRevert):
    """The quote's validity window ended at `validBefore` (block time `now`). Solidity: ``QuoteExpired(uint64 validBefore, uint256 now)``."""

class QuoteNotYetValid(ContractRevert):
    """The quote is valid only from `validAfter`. Solidity: ``QuoteNotYetValid(uint64 validAfter, uint256 now)``."""

class QuoteTakerMismatch(ContractRevert):
    """The quote is reserved for `taker`, not `payer`. Solidity: ``QuoteTakerMismatch(address taker, address payer)``."""

class RateChangePending(ContractRevert):
    """`categoryId` already has a pending change (`pendingRateBps` from `pendingFrom`); cancel it first. Solidity: ``RateChangePending(uint8 categoryId, uint16 pendingRateBps, uint64 pendingFrom)``."""

class RateLimitExceeded(ContractRevert):
    """Not enough rate-limit capacity yet towards / from `chainId` to complete a queued transfer before its release time. Solidity: ``RateLimitExceeded(uint64 chainId, uint256 amount, uint256 available)``."""

class RateLimitTooLarge(ContractRevert):
    """A rate-limit capacity or refill rate above what the bucket stores. Solidity: ``RateLimitTooLarge(uint256 value, uint256 max)``."""

class RateTooHigh(ContractRevert):
    """A rate above `maxRateBps` (100 %) was given. Solidity: ``RateTooHigh(uint16 rateBps, uint16 maxRateBps)``."""

class ReentrancyGuardReentrantCall(ContractRevert):
    """Unauthorized reentrant call. Solidity: ``ReentrancyGuardReentrantCall()``."""

class RefundExceedsPayment(ContractRevert):
    """Payment `paymentId` has only `refundable` left to refund; `requested` was asked. Solidity: ``RefundExceedsPayment(bytes32 paymentId, uint256 refundable, uint256 requested)``."""

class RefundNotAllowed(ContractRevert):
    """The transfer cannot be refunded: it was never sent, is queued, or was already cancelled or refunded. Solidity: ``RefundNotAllowed(bytes32 id, uint8 status)``."""

class ReleaseExceedsStranded(ContractRevert):
    """A stranded release larger than the attested stranded total minus what was released before. Solidity: ``ReleaseExceedsStranded(uint256 amount, uint256 releasable)``."""

class ReserveAttestationStale(ContractRevert):
    """Reserve gating: the attestation made at `attestedAt` is older than `maxAge` seconds. Solidity: ``ReserveAttestationStale(uint64 attestedAt, uint64 maxAge)``."""

class ReserveExceeded(ContractRevert):
    """Reserve gating: the mint would lift total supply to `supplyAfter`, above the attested `reserve`. Solidity: ``ReserveExceeded(uint256 supplyAfter, uint256 reserve)``."""

class ReserveMintersConflict(ContractRevert):
    """On a reserve-gated token the attested reserve has one kind of minter: either banks (MINTER_ROLE, a separately attested reserve, no bridge) or one bridge (TOKEN_BRIDGE_ROLE, its escrow, no bank). The role grant or gating change would make `minters` banks and `bridges` bridges share it. Solidity: ``ReserveMintersConflict(uint256 minters, uint256 bridges)``."""

class SafeCastOverflowedUintDowncast(ContractRevert):
    """Value doesn't fit in an uint of `bits` size. Solidity: ``SafeCastOverflowedUintDowncast(uint8 bits, uint256 value)``."""

class SafeERC20FailedOperation(ContractRevert):
    """An operation with an ERC-20 token failed. Solidity: ``SafeERC20FailedOperation(address token)``."""

class SameToken(ContractRevert):
    """A quote or trade must exchange two different tokens. Solidity: ``SameToken(address token)``."""

class SignatureCountMismatch(ContractRevert):
    """`signers` and `signatures` differ in length. Solidity: ``SignatureCountMismatch(uint256 signers, uint256 signatures)``."""

class StaleEscrowAttestation(ContractRevert):
    """The attestation's sequence is not above the last one accepted. Solidity: ``StaleEscrowAttestation(uint64 sequence, uint64 lastSequence)``."""

class StaleStrandedRelease(ContractRevert):
    """A stranded release whose number is not the chain's next one (a replay, or one skipped ahead). Solidity: ``StaleStrandedRelease(uint64 sequence, uint64 expected)``."""

class StringTooLong(ContractRevert):
    """The contract reverted with StringTooLong. Solidity: ``StringTooLong(string str)``."""

class SurplusExceeded(ContractRevert):
    """Only `available` surplus tenge is held beyond what programmes lock; `requested` was asked. Solidity: ``SurplusExceeded(uint256 available, uint256 requested)``."""

class TierCapExceeded(ContractRevert):
    """Crediting `account` would lift its balance to `balanceAfter`, above its tier's `cap`. Solidity: ``TierCapExceeded(address account, uint256 balanceAfter, uint256 cap)``."""

class TierCapTooLarge(ContractRevert):
    """A tier cap must be `type(uint256).max` (uncapped) or at most `max`. Solidity: ``TierCapTooLarge(uint8 tier, uint256 cap, uint256 max)``."""

class TokenOperationFailed(ContractRevert):
    """A token call returned false. Solidity: ``TokenOperationFailed()``."""

class TooManyPurses(ContractRevert):
    """The holder already has `open` purses, the bank's limit. Solidity: ``TooManyPurses(address holder, uint256 open)``."""

class TooManyValidators(ContractRevert):
    """The validator set holds at most `max` validators. Solidity: ``TooManyValidators(uint256 max)``."""

class TradeAlreadySettled(ContractRevert):
    """Trade nonce `nonce` of `bank` already settled. Solidity: ``TradeAlreadySettled(address bank, uint256 nonce)``."""

class TradeCancelled(ContractRevert):
    """`bank` cancelled trade nonce `nonce`. Solidity: ``TradeCancelled(address bank, uint256 nonce)``."""

class TradeExpired(ContractRevert):
    """The trade's validity window ended at `validBefore`. Solidity: ``TradeExpired(uint64 validBefore, uint256 now)``."""

class TransferDelayed(ContractRevert):
    """Queued transfer `id` was larger than the lane's capacity or maximum single transfer: nobody may complete it before `releaseAt` (unix seconds), while it can be held or rejected. Solidity: ``TransferDelayed(bytes32 id, uint256 releaseAt)``."""

class TransferRejected(ContractRevert):
    """The reason of the {TransferFailed} of an inbound transfer the admin rejected while queued. Solidity: ``TransferRejected(bytes32 id)``."""

class UUPSUnauthorizedCallContext(ContractRevert):
    """The call is from an unauthorized context. Solidity: ``UUPSUnauthorizedCallContext()``."""

class UUPSUnsupportedProxiableUUID(ContractRevert):
    """The storage `slot` is unsupported as a UUID. Solidity: ``UUPSUnsupportedProxiableUUID(bytes32 slot)``."""

class UnfreezeExceedsFrozen(ContractRevert):
    """Unfreezing `amount` but only `frozen` is frozen on `account`. Solidity: ``UnfreezeExceedsFrozen(address account, uint256 frozen, uint256 amount)``."""

class UnknownCategory(ContractRevert):
    """No rate was ever scheduled for `categoryId` (or its only entry was cancelled). Solidity: ``UnknownCategory(uint8 categoryId)``."""

class UnknownFlight(ContractRevert):
    """No bridge payment's onward transfer `outboundId` is waiting to be reversed (never forwarded, or already reversed). Solidity: ``UnknownFlight(bytes32 outboundId)``."""

class UnknownInboundBridge(ContractRevert):
    """{onBridgeDelivery} called by `caller`, which is not a configured inbound bridge. Solidity: ``UnknownInboundBridge(address caller)``."""

class UnknownMerchant(ContractRevert):
    """No merchant `merchantId` is registered. Solidity: ``UnknownMerchant(uint64 merchantId)``."""

class UnknownPayment(ContractRevert):
    """No payment `paymentId` (check merchant id, payer and invoice reference). Solidity: ``UnknownPayment(bytes32 paymentId)``."""

class UnknownPool(ContractRevert):
    """No pool `poolId`. Solidity: ``UnknownPool(uint256 poolId)``."""

class UnknownProgramme(ContractRevert):
    """No programme `programmeId`. Solidity: ``UnknownProgramme(uint256 programmeId)``."""

class UnknownPurse(ContractRevert):
    """No purse `purseId`. Solidity: ``UnknownPurse(bytes32 purseId)``."""

class UnknownSigner(ContractRevert):
    """`signer` is not a (current) validator. Solidity: ``UnknownSigner(address signer)``."""

class UnknownSourceBridge(ContractRevert):
    """`bridge` on `chainId` is not the peer this bridge accepts messages from. Solidity: ``UnknownSourceBridge(uint64 chainId, address bridge)``."""

class UnsupportedChain(ContractRevert):
    """No peer bridge is configured for `chainId` (or, on a remote bridge, `chainId` is not home). Solidity: ``UnsupportedChain(uint64 chainId)``."""

class ValidatorUpdateDelayTooLong(ContractRevert):
    """A validator-update delay longer than `max` seconds. Solidity: ``ValidatorUpdateDelayTooLong(uint256 delay, uint256 max)``."""

class ValidatorUpdateNotReady(ContractRevert):
    """The scheduled validator-set change may be applied only from `executableAt` (it is `now`). Solidity: ``ValidatorUpdateNotReady(uint256 executableAt, uint256 now)``."""

class ValidatorUpdatePending(ContractRevert):
    """Another validator-set change is scheduled (executable from `executableAt`): apply or cancel it first. Solidity: ``ValidatorUpdatePending(uint256 executableAt)``."""

class VatRefundUnfunded(ContractRevert):
    """The VAT part `needed` of a refund exceeds both the spendable `escrow` (a frozen part cannot move) and the treasury's `treasuryAllowance` to this contract. Solidity: ``VatRefundUnfunded(uint256 escrow, uint256 treasuryAllowance, uint256 needed)``."""

class VoucherNotTransferable(ContractRevert):
    """Vouchers of programme `programmeId` are bound to their beneficiary and cannot be transferred. Solidity: ``VoucherNotTransferable(uint256 programmeId)``."""

class WithdrawalExceedsAvailable(ContractRevert):
    """Only `available` (spendable escrow above the reserve) can be withdrawn; `requested` was asked. Solidity: ``WithdrawalExceedsAvailable(uint256 available, uint256 requested)``."""

class WrongDestination(ContractRevert):
    """The message is not addressed to this bridge on this chain. Solidity: ``WrongDestination(uint64 chainId, address bridge)``."""

class WrongHome(ContractRevert):
    """The attestation is not about this bridge's home chain and home bridge. Solidity: ``WrongHome(uint64 chainId, address bridge)``."""

class WrongSource(ContractRevert):
    """The message (for a refund) did not leave from this bridge on this chain. Solidity: ``WrongSource(uint64 chainId, address bridge)``."""

class ZeroAmount(ContractRevert):
    """A transfer of 0 tiyn. Solidity: ``ZeroAmount()``."""

__all__ = [
    "AccessControlBadConfirmation", "AccessControlEnforcedDefaultAdminDelay",
    "AccessControlEnforcedDefaultAdminRules", "AccessControlInvalidDefaultAdmin",
    "AccessControlUnauthorizedAccount", "AccountFrozen", "AccountNotApproved", "AccountNotEligible",
    "AddressEmptyCode", "AlreadyClaimed", "AlreadyProcessed", "AmountTooLarge", "ArrayLengthMismatch",
    "AuthorizationAlreadyUsed", "AuthorizationCallerNotPayee", "AuthorizationExpired",
    "AuthorizationInvalidSignature", "AuthorizationNotYetValid", "BankLimitsUnset", "BankNotMinter",
    "BatchLengthMismatch", "BatchTooLarge", "BookRecordMismatch", "BridgeIsRetired", "BuyAmountBelowMinimum",
    "CannotRescueSelf", "CategoryNotAllowed", "ClaimAboveCap", "ClaimExpired", "CorridorClosed",
    "CorridorLimitExceeded", "DailyLimitExceeded", "DeliveryOutOfGas", "DuplicateSigner", "ECDSAInvalidSignature",
    "ECDSAInvalidSignatureLength", "ECDSAInvalidSignatureS", "ERC1155InsufficientBalance", "ERC1155InvalidApprover",
    "ERC1155InvalidArrayLength", "ERC1155InvalidOperator", "ERC1155InvalidReceiver", "ERC1155InvalidSender",
    "ERC1155MissingApprovalForAll", "ERC1967InvalidImplementation", "ERC1967NonPayable",
    "ERC20InsufficientAllowance", "ERC20InsufficientBalance", "ERC20InvalidApprover", "ERC20InvalidReceiver",
    "ERC20InvalidSender", "ERC20InvalidSpender", "ERC2612ExpiredSignature", "ERC2612InvalidSigner", "EmptyBatch",
    "EmptyBookRecord", "EnforcedPause", "EscrowFigureNotAdopted", "ExpectedPause", "FailedCall",
    "FlightNotReturned", "ForwardRefused", "GuaranteeExceedsFree", "HomeBridgeFixed", "InboundTokenMismatch",
    "InsufficientEscrow", "InsufficientFrozenAmount", "InsufficientGuarantee", "InsufficientSignatures",
    "InsufficientSpendableBalance", "InsufficientUnallocated", "InsufficientVouchers", "InvalidAccount",
    "InvalidAccountNonce", "InvalidAttestation", "InvalidAttestationTime", "InvalidBatchSize", "InvalidCategory",
    "InvalidCertificate", "InvalidCertificateSignature", "InvalidDeferralTimeout", "InvalidExpiry", "InvalidGrace",
    "InvalidInitialization", "InvalidLimits", "InvalidPayload", "InvalidPaymentOrder", "InvalidPayout",
    "InvalidPoolTerms", "InvalidPredecessor", "InvalidPurseSetup", "InvalidQueueDelay", "InvalidQuoteSignature",
    "InvalidRecipient", "InvalidRecoveryTarget", "InvalidSetup", "InvalidShortString", "InvalidSignature",
    "InvalidSpendSignature", "InvalidSuccessor", "InvalidTerms", "InvalidThreshold", "InvalidTier", "InvalidToken",
    "InvalidTradeSignature", "InvalidTreasury", "InvalidValidator", "InvoiceAlreadyPaid", "LegRefused",
    "LimitTooLarge", "MerchantAlreadyRegistered", "MerchantInactive", "MerchantNotEligible", "MerchantNotPayable",
    "MinterAllowanceExceeded", "MissingInvoiceRef", "NoForwarding", "NoPendingRateChange", "NoRateInForce",
    "NoValidatorUpdate", "NonceNotOpen", "NotAValidator", "NotBridge", "NotCompliance", "NotInitializing",
    "NotIssuer", "NotKyc", "NotMerchantPayout", "NotPayloadHandler", "NotPoolSponsor", "NotPurseParty", "NotQueued",
    "NotSender", "NotSponsor", "NotTreasury", "OutsidePurpose", "OwnableInvalidOwner", "OwnableUnauthorizedAccount",
    "PayloadRequired", "PaymentAlreadyExists", "PaymentsPaused", "PeerChanged", "PeriodCapExceeded",
    "PoolClosedAlready", "PoolExhausted", "PoolPaused", "ProgrammeClosed", "ProgrammeExpired",
    "ProgrammeNotExpired", "ProgrammeNotStarted", "PurseAlreadyClosed", "PurseAmountAboveLimit", "PurseExists",
    "PurseNotClosable", "QueuedTransferHeld", "QuoteAlreadyUsed", "QuoteAmountExceeded", "QuoteCancelled",
    "QuoteExpired", "QuoteNotYetValid", "QuoteTakerMismatch", "RateChangePending", "RateLimitExceeded",
    "RateLimitTooLarge", "RateTooHigh", "ReentrancyGuardReentrantCall", "RefundExceedsPayment", "RefundNotAllowed",
    "ReleaseExceedsStranded", "ReserveAttestationStale", "ReserveExceeded", "ReserveMintersConflict",
    "SafeCastOverflowedUintDowncast", "SafeERC20FailedOperation", "SameToken", "SignatureCountMismatch",
    "StaleEscrowAttestation", "StaleStrandedRelease", "StringTooLong", "SurplusExceeded", "TierCapExceeded",
    "TierCapTooLarge", "TokenOperationFailed", "TooManyPurses", "TooManyValidators", "TradeAlreadySettled",
    "TradeCancelled", "TradeExpired", "TransferDelayed", "TransferRejected", "UUPSUnauthorizedCallContext",
    "UUPSUnsupportedProxiableUUID", "UnfreezeExceedsFrozen", "UnknownCategory", "UnknownFlight",
    "UnknownInboundBridge", "UnknownMerchant", "UnknownPayment", "UnknownPool", "UnknownProgramme", "UnknownPurse",
    "UnknownSigner", "UnknownSourceBridge", "UnsupportedChain", "ValidatorUpdateDelayTooLong",
    "ValidatorUpdateNotReady", "ValidatorUpdatePending", "VatRefundUnfunded", "VoucherNotTransferable",
    "WithdrawalExceedsAvailable", "WrongDestination", "WrongHome", "WrongSource", "ZeroAmount",
]

# Shown (in tracebacks, reprs) and pickled as tenge.errors.<Name>, where they are imported from.
for _name in __all__:
    globals()[_name].__module__ = "tenge.errors"
