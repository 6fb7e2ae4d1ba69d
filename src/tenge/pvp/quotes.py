"""FX quotes and interbank trades of the PvP settlement contract: EIP-712 typed data, signed with eth-account.

A :class:`Quote` is an LP's firm offer: it sells ``buy_token`` against up to ``max_amount`` of ``sell_token`` at
``rate`` (an exact decimal: units of the bought currency per unit of the sold one, at most 18 places). Rounding
rule — the payer is never charged more than quoted: for ``amount`` sold the recipient gets
``ceil(amount * rate)`` in the bought currency's smallest unit (:func:`buy_amount`); the LP bears the rounding.

The domain binds a signature to one settlement contract on one chain: name "TengePvP", version "1", chainId,
verifyingContract. Amounts here are integers in each token's smallest unit (the contract boundary); the client
(:mod:`tenge.pvp.client`) converts from and to Decimal amounts of each currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount

from tenge.addresses import checksum_address
from tenge.errors import InvalidInput

#: The contract's rate scale: rate units per 1 (18 decimal places, exact).
RATE_SCALE = 10**18
_EXACT = Context(prec=100)
ZERO_ADDRESS = "0x" + "00" * 20

QUOTE_TYPES: dict[str, list[dict[str, str]]] = {
    "Quote": [
        {"name": "lp", "type": "address"},
        {"name": "sellToken", "type": "address"},
        {"name": "buyToken", "type": "address"},
        {"name": "rate", "type": "uint256"},
        {"name": "maxAmount", "type": "uint256"},
        {"name": "taker", "type": "address"},
        {"name": "validAfter", "type": "uint64"},
        {"name": "validBefore", "type": "uint64"},
        {"name": "nonce", "type": "uint256"},
    ]
}
TRADE_TYPES: dict[str, list[dict[str, str]]] = {
    "Trade": [
        {"name": "bankA", "type": "address"},
        {"name": "tokenA", "type": "address"},
        {"name": "amountA", "type": "uint256"},
        {"name": "bankB", "type": "address"},
        {"name": "tokenB", "type": "address"},
        {"name": "amountB", "type": "uint256"},
        {"name": "validBefore", "type": "uint64"},
        {"name": "nonceA", "type": "uint256"},
        {"name": "nonceB", "type": "uint256"},
    ]
}


def parse_rate(value: Decimal | int | str) -> int:
    """An exact decimal rate (e.g. ``"0.1937"`` som per tenge) -> the contract's 1e18-scaled integer.

    Refused (:class:`~tenge.errors.InvalidInput`): floats, non-numbers, zero or negative rates, more than 18
    decimal places (it would not be exact)."""
    if isinstance(value, (bool, float)):
        raise InvalidInput(f"rate {value!r}: give it as a Decimal, int or string, not {type(value).__name__}")
    try:
        rate = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(f"rate {str(value)!r} is not a number") from None
    if not rate.is_finite() or rate <= 0:
        raise InvalidInput(f"rate {str(value)!r} must be a positive number")
    scaled = rate.scaleb(18, context=_EXACT)
    if scaled != scaled.to_integral_value(context=_EXACT):
        raise InvalidInput(f"rate {str(value)!r} has more than 18 decimal places: it would not be exact")
    return int(scaled)


def rate_decimal(scaled: int) -> Decimal:
    """The contract's 1e18-scaled rate as an exact Decimal (trailing zeros dropped)."""
    return Decimal(scaled).scaleb(-18, context=_EXACT).normalize(context=_EXACT)


def buy_amount(amount: int, rate: int) -> int:
    """What the recipient gets for ``amount`` sold at ``rate`` (both contract integers): rounded UP, so the payer
    is never charged more than quoted (the contract's ``buyAmountFor``)."""
    return -(-amount * rate // RATE_SCALE)


def pvp_domain(chain_id: int, contract: str) -> dict[str, Any]:
    return {"name": "TengePvP", "version": "1", "chainId": chain_id, "verifyingContract": checksum_address(contract)}


@dataclass(frozen=True)
class Quote:
    """An LP's FX quote, in contract integers (see the module docstring)."""

    lp: str
    sell_token: str
    buy_token: str
    rate: int
    max_amount: int
    valid_after: int
    valid_before: int
    nonce: int
    taker: str = ZERO_ADDRESS

    def __post_init__(self) -> None:
        if self.valid_before <= self.valid_after:
            raise InvalidInput(f"quote window is empty: valid from {self.valid_after} until {self.valid_before}")
        if self.max_amount <= 0 or self.rate <= 0:
            raise InvalidInput("a quote needs a positive rate and maximum amount")
        if checksum_address(self.sell_token) == checksum_address(self.buy_token):
            raise InvalidInput("a quote exchanges two different currencies")

    def message(self) -> dict[str, Any]:
        return {
            "lp": checksum_address(self.lp),
            "sellToken": checksum_address(self.sell_token),
            "buyToken": checksum_address(self.buy_token),
            "rate": self.rate,
            "maxAmount": self.max_amount,
            "taker": checksum_address(self.taker),
            "validAfter": self.valid_after,
            "validBefore": self.valid_before,
            "nonce": self.nonce,
        }

    def as_tuple(self) -> tuple[Any, ...]:
        """The Solidity struct, in field order."""
        return tuple(self.message().values())

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> "Quote":
        return cls(
            lp=checksum_address(message["lp"]), sell_token=checksum_address(message["sellToken"]),
            buy_token=checksum_address(message["buyToken"]),
            rate=int(message["rate"]), max_amount=int(message["maxAmount"]), valid_after=int(message["validAfter"]),
            valid_before=int(message["validBefore"]), nonce=int(message["nonce"]),
            taker=checksum_address(message.get("taker", ZERO_ADDRESS)),
        )  # fmt: skip


@dataclass(frozen=True)
class SignedQuote:
    quote: Quote
    signature: bytes

    def signer(self, domain: dict[str, Any]) -> str:
        signable = encode_typed_data(domain, QUOTE_TYPES, self.quote.message())
        return str(Account.recover_message(signable, signature=self.signature))

    def to_json(self, domain: dict[str, Any]) -> dict[str, Any]:
        """The signed quote as JSON (what an LP hands a payer): domain, message, signature."""
        return {"domain": domain, "quote": self.quote.message(), "signature": "0x" + self.signature.hex()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SignedQuote":
        try:
            return cls(Quote.from_message(data["quote"]), bytes.fromhex(str(data["signature"]).removeprefix("0x")))
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(f"not a signed quote ({exc}): expected {{'quote': {{...}}, 'signature': '0x...'}}") from None


def sign_quote(lp: LocalAccount, domain: dict[str, Any], quote: Quote) -> SignedQuote:
    """The LP signs ``quote`` (EIP-712 under ``domain``); refused if the quote names another LP."""
    if checksum_address(quote.lp) != checksum_address(lp.address):
        raise InvalidInput(f"the quote names LP {quote.lp}, but {lp.address} is signing")
    signed = lp.sign_typed_data(domain, QUOTE_TYPES, quote.message())
    return SignedQuote(quote, bytes(signed.signature))


@dataclass(frozen=True)
class Trade:
    """An interbank FX trade: ``bank_a`` pays ``amount_a`` of ``token_a`` to ``bank_b`` against ``amount_b`` of
    ``token_b`` (contract integers)."""

    bank_a: str
    token_a: str
    amount_a: int
    bank_b: str
    token_b: str
    amount_b: int
    valid_before: int
    nonce_a: int
    nonce_b: int

    def __post_init__(self) -> None:
        if self.amount_a <= 0 or self.amount_b <= 0:
            raise InvalidInput("both legs of a trade need a positive amount")
        if checksum_address(self.token_a) == checksum_address(self.token_b):
            raise InvalidInput("a trade exchanges two different currencies")

    def message(self) -> dict[str, Any]:
        return {
            "bankA": checksum_address(self.bank_a),
            "tokenA": checksum_address(self.token_a),
            "amountA": self.amount_a,
            "bankB": checksum_address(self.bank_b),
            "tokenB": checksum_address(self.token_b),
            "amountB": self.amount_b,
            "validBefore": self.valid_before,
            "nonceA": self.nonce_a,
            "nonceB": self.nonce_b,
        }

    def as_tuple(self) -> tuple[Any, ...]:
        return tuple(self.message().values())


def sign_trade(bank: LocalAccount, domain: dict[str, Any], trade: Trade) -> bytes:
    """One bank's EIP-712 signature over ``trade`` (it must be bank A or bank B)."""
    if checksum_address(bank.address) not in (checksum_address(trade.bank_a), checksum_address(trade.bank_b)):
        raise InvalidInput(f"{bank.address} is neither bank of the trade")
    return bytes(bank.sign_typed_data(domain, TRADE_TYPES, trade.message()).signature)
