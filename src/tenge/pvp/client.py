"""PvPClient: cross-border payment versus payment from Python, in Decimal amounts of each currency.

    from tenge.session import Session
    lp = Session.open("bnb-local", account="dev:3").pvp()
    signed = lp.quote(sell="0xTenge...", buy="0xSom...", rate="0.1937", max_amount="500000.00", valid_for=60)
    payer = Session.open("bnb-local", account="dev:4").pvp()
    payer.pay(signed, "10000.00", recipient="0xMerchant...")     # Settlement: both legs, or an exception

Both currencies are DigitalTenge-type tokens with 2 decimals; amounts are Decimal in each currency, shown with
the token's own currency code (``1,937.00 KGS``). Integers appear only at the contract boundary. Every write is
estimated first: a refusal raises its decoded custom error (``tenge.errors.QuoteExpired``, ``LegRefused`` with the
refusing token's own error inside, ...) and nothing is sent.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Any

from web3 import Web3
from web3.contract import Contract
from web3.logs import DISCARD

from tenge.addresses import checksum_address
from tenge.amounts import AmountLike, from_tiyn, parse_tenge, to_tiyn
from tenge.chain.results import TxResult
from tenge.contracts import load_artifact
from tenge.chain.reverts import decode_revert
from tenge.errors import ContractRevert, InvalidInput
from tenge.pvp.quotes import (
    ZERO_ADDRESS,
    Quote,
    SignedQuote,
    Trade,
    buy_amount,
    parse_rate,
    pvp_domain,
    rate_decimal,
    sign_quote,
    sign_trade,
)
from tenge.session import Session

#: The deployment record key of the settlement contract.
PVP_KEY = "PvPSettlement"
NONCE_STATES = ("open", "used", "cancelled")
#: Amount arguments of the settlement contract's errors in the sold currency (a corridor's limit included) and in
#: the bought one; a wrapped token refusal (``reason``) is in the refusing token's currency.
SELL_AMOUNTS = ("amount", "maxAmount", "remaining", "limit", "max", "sellAmount")
BUY_AMOUNTS = ("buyAmount", "minBuyAmount")


@dataclass(frozen=True)
class Currency:
    """A currency token on this chain: its address and currency code (KZT, KGS)."""

    address: str
    code: str

    def fmt(self, amount: Decimal) -> str:
        return f"{amount:,.2f} {self.code}"


@dataclass(frozen=True)
class Settlement:
    """A settled PvP (the contract's ``Settled`` event), amounts in each currency."""

    tx: TxResult
    kind: str
    provider: str
    sell: Currency
    buy: Currency
    sell_amount: Decimal
    buy_amount: Decimal
    rate: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "provider": self.provider, "sellCurrency": self.sell.code, "buyCurrency": self.buy.code,
            "sellAmount": str(self.sell_amount), "buyAmount": str(self.buy_amount), "rate": str(self.rate),
            "txHash": self.tx.tx_hash, "gasUsed": self.tx.gas_used,
        }  # fmt: skip


@dataclass(frozen=True)
class QuoteStatus:
    """Whether a quote can settle now: its nonce state and its validity window at the latest block."""

    state: str  # open | used | cancelled | expired | not-yet-valid
    nonce_state: str
    valid_after: int
    valid_before: int
    max_amount: Decimal
    rate: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state, "nonceState": self.nonce_state, "validAfter": self.valid_after,
                "validBefore": self.valid_before, "maxAmount": str(self.max_amount), "rate": str(self.rate)}  # fmt: skip


@dataclass(frozen=True)
class CorridorLimits:
    sell: Currency
    buy: Currency
    daily_limit: Decimal
    used_today: Decimal
    remaining_today: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {"sellCurrency": self.sell.code, "buyCurrency": self.buy.code, "dailyLimit": str(self.daily_limit),
                "usedToday": str(self.used_today), "remainingToday": str(self.remaining_today)}  # fmt: skip


@lru_cache(maxsize=1)
def _token_abi() -> list[dict[str, Any]]:
    return list(load_artifact("DigitalTenge").abi)


class PvPClient:
    """The PvPSettlement contract of a session's deployment (or at ``address``)."""

    def __init__(self, session: Session, *, address: str | None = None) -> None:
        self.session = session
        self.w3 = session.w3
        self.contract: Contract = (
            session.contract(PVP_KEY)
            if address is None
            else self.w3.eth.contract(
                address=Web3.to_checksum_address(checksum_address(address)), abi=load_artifact(PVP_KEY).abi
            )
        )
        self.address: str = str(self.contract.address)
        self._currencies: dict[str, Currency] = {}

    # --- identity ------------------------------------------------------------------------------------

    @cached_property
    def domain(self) -> dict[str, Any]:
        """The EIP-712 domain quotes and trades are signed under (this contract on this chain)."""
        return pvp_domain(int(self.w3.eth.chain_id), self.address)

    def currency(self, token: str) -> Currency:
        """The currency token at ``token`` (its code read once from the token)."""
        address = checksum_address(token)
        if address not in self._currencies:
            contract = self.w3.eth.contract(address=Web3.to_checksum_address(address), abi=_token_abi())
            try:
                code = str(contract.functions.currency().call())
            except Exception:  # not a DigitalTenge-type token: show its address
                raise InvalidInput(f"{address} is not a currency token on this chain (no currency code)") from None
            self._currencies[address] = Currency(address, code)
        return self._currencies[address]

    # --- quotes --------------------------------------------------------------------------------------

    def next_nonce(self, signer: str | None = None, *, start: int | None = None) -> int:
        """An open nonce of ``signer`` (default: this session's account) at or after ``start`` (default: the
        current unix time, so a restarted LP never reuses one; consecutive nonces share a storage word)."""
        who = checksum_address(signer or self.session.address)
        nonce = int(time.time()) if start is None else start
        while int(self.contract.functions.nonceState(who, nonce).call()) != 0:
            nonce += 1
        return nonce

    def quote(
        self,
        *,
        sell: str,
        buy: str,
        rate: Decimal | int | str,
        max_amount: AmountLike,
        valid_for: int = 60,
        valid_from: int | None = None,
        nonce: int | None = None,
        taker: str | None = None,
    ) -> SignedQuote:
        """This session's account, as LP, signs a quote: it sells ``buy`` against up to ``max_amount`` of ``sell``
        at ``rate`` (exact decimal, ``buy`` per ``sell``), for ``valid_for`` seconds from ``valid_from`` (default:
        the latest block's time), to ``taker`` only if given. Nothing is sent."""
        if valid_for <= 0:
            raise InvalidInput(f"a quote must be valid for a positive number of seconds (got {valid_for})")
        self.currency(sell), self.currency(buy)
        start = int(self.w3.eth.get_block("latest")["timestamp"]) if valid_from is None else valid_from
        quote = Quote(
            lp=self.session.address, sell_token=checksum_address(sell), buy_token=checksum_address(buy),
            rate=parse_rate(rate), max_amount=to_tiyn(parse_tenge(max_amount, allow_zero=False)),
            valid_after=start, valid_before=start + valid_for,
            nonce=self.next_nonce() if nonce is None else nonce, taker=checksum_address(taker) if taker else ZERO_ADDRESS,
        )  # fmt: skip
        return sign_quote(self.session.signer.account, self.domain, quote)

    def receive_amount(self, signed: SignedQuote, amount: AmountLike) -> Decimal:
        """What the recipient gets for ``amount`` on ``signed`` (rounded in the payer's favour)."""
        return from_tiyn(buy_amount(to_tiyn(parse_tenge(amount, allow_zero=False)), signed.quote.rate))

    def status(self, signed: SignedQuote) -> QuoteStatus:
        """Whether ``signed`` can settle at the latest block (and why not)."""
        quote = signed.quote
        if checksum_address(signed.signer(self.domain)) != checksum_address(quote.lp):
            raise InvalidInput(f"the quote's signature is not its LP's ({quote.lp}) for this settlement contract")
        nonce_state = NONCE_STATES[int(self.contract.functions.nonceState(quote.lp, quote.nonce).call())]
        now = int(self.w3.eth.get_block("latest")["timestamp"])
        state = nonce_state
        if nonce_state == "open":
            state = "expired" if now >= quote.valid_before else "not-yet-valid" if now < quote.valid_after else "open"
        return QuoteStatus(state, nonce_state, quote.valid_after, quote.valid_before, from_tiyn(quote.max_amount),
                           rate_decimal(quote.rate))  # fmt: skip

    def cancel(self, nonce: int) -> TxResult:
        """Cancel this account's unused nonce (its quote can no longer settle)."""
        return self.session.write(self.contract.functions.cancel(int(nonce)), f"cancel PvP nonce {nonce}")

    # --- settling ------------------------------------------------------------------------------------

    def pay(
        self, signed: SignedQuote, amount: AmountLike, recipient: str, *, min_receive: AmountLike | None = None
    ) -> Settlement:
        """Pay ``amount`` of the quote's sold currency to its LP; the LP pays ``recipient`` the bought currency,
        in the same transaction or not at all. The payer must have approved this contract on its currency (see
        :meth:`approve`), the LP on its own. ``min_receive`` (default: the quoted amount) protects the payer."""
        quote = signed.quote
        value = to_tiyn(parse_tenge(amount, allow_zero=False))
        expected = buy_amount(value, quote.rate)
        minimum = expected if min_receive is None else to_tiyn(parse_tenge(min_receive))
        sell, buy = self.currency(quote.sell_token), self.currency(quote.buy_token)
        call = self.contract.functions.pay(quote.as_tuple(), signed.signature, value, checksum_address(recipient), minimum)
        with self._in_currencies(sell, buy):
            tx = self.session.write(call, f"PvP pay {sell.fmt(from_tiyn(value))} for {buy.fmt(from_tiyn(expected))}")
        return self._settlement(tx)

    def settle(self, trade: Trade, signature_a: bytes, signature_b: bytes) -> Settlement:
        """Settle an interbank trade both banks signed (anyone may submit it)."""
        call = self.contract.functions.settle(trade.as_tuple(), signature_a, signature_b)
        a, b = self.currency(trade.token_a), self.currency(trade.token_b)
        with self._in_currencies(a, b):
            tx = self.session.write(call, f"PvP settle {a.fmt(from_tiyn(trade.amount_a))} / {b.fmt(from_tiyn(trade.amount_b))}")
        return self._settlement(tx)

    def trade(
        self, *, counterparty: str, give: str, give_amount: AmountLike, get: str, get_amount: AmountLike,
        valid_for: int = 300, nonce: int | None = None, counterparty_nonce: int,
    ) -> tuple[Trade, bytes]:
        """This bank (bank A) proposes and signs a trade: it gives ``give_amount`` of ``give`` for ``get_amount``
        of ``get`` from ``counterparty`` (bank B), who signs the same trade with :meth:`sign`."""
        self.currency(give), self.currency(get)
        now = int(self.w3.eth.get_block("latest")["timestamp"])
        trade = Trade(
            self.session.address, checksum_address(give), to_tiyn(parse_tenge(give_amount, allow_zero=False)),
            checksum_address(counterparty), checksum_address(get), to_tiyn(parse_tenge(get_amount, allow_zero=False)),
            now + valid_for, self.next_nonce() if nonce is None else nonce, counterparty_nonce,
        )  # fmt: skip
        return trade, self.sign(trade)

    def sign(self, trade: Trade) -> bytes:
        """This session's bank signs ``trade`` (EIP-712)."""
        return sign_trade(self.session.signer.account, self.domain, trade)

    def approve(self, token: str, amount: AmountLike) -> TxResult:
        """Let this contract move up to ``amount`` of the currency ``token`` from this account."""
        currency, value = self.currency(token), parse_tenge(amount)
        contract = self.w3.eth.contract(address=Web3.to_checksum_address(currency.address), abi=_token_abi())
        return self.session.write(contract.functions.approve(self.address, to_tiyn(value)),
                                  f"approve PvP settlement for {currency.fmt(value)}")  # fmt: skip

    # --- corridors -----------------------------------------------------------------------------------

    def limits(self, sell: str, buy: str) -> CorridorLimits:
        """The daily limit of corridor ``sell -> buy`` (in the sold currency), used and left today."""
        s, b = self.currency(sell), self.currency(buy)
        limit, used, remaining = self.contract.functions.corridor(s.address, b.address).call()
        return CorridorLimits(s, b, from_tiyn(limit), from_tiyn(used), from_tiyn(remaining))

    def set_limit(self, sell: str, buy: str, daily_limit: AmountLike) -> TxResult:
        """Set the daily limit of corridor ``sell -> buy`` (0 closes it). CORRIDOR_ROLE."""
        s, b, value = self.currency(sell), self.currency(buy), parse_tenge(daily_limit)
        call = self.contract.functions.setCorridorLimit(s.address, b.address, to_tiyn(value))
        with self._in_currencies(s, b):
            return self.session.write(call, f"corridor {s.code}->{b.code} daily limit {s.fmt(value)}")

    # --- internals -----------------------------------------------------------------------------------

    @contextmanager
    def _in_currencies(self, sell: Currency, buy: Currency) -> Iterator[None]:
        """Re-label a refusal's amounts: each in its own currency (the decoder knows only tenge)."""
        try:
            yield
        except ContractRevert as exc:
            if not exc.data:
                raise
            codes = {name: sell.code for name in SELL_AMOUNTS} | {name: buy.code for name in BUY_AMOUNTS}
            args = exc.error_args
            if exc.error_name == "LegRefused" and "token" in args:
                codes["reason"] = self._code_of(str(args["token"]), sell, buy)
            elif exc.error_name == "ForwardRefused":
                codes["reason"] = buy.code
            if "sellToken" in args:  # a corridor refusal names its own direction
                codes |= {name: self._code_of(str(args["sellToken"]), sell, buy) for name in SELL_AMOUNTS}
            message = str(exc)
            context = message[: message.find(f"{exc.error_name}(")].removesuffix(": ")
            raise decode_revert(exc.data, context=context, currencies=codes) from None

    def _code_of(self, token: str, *known: Currency) -> str:
        address = checksum_address(token)
        for currency in known:
            if currency.address == address:
                return currency.code
        return self.currency(address).code

    def _settlement(self, tx: TxResult) -> Settlement:
        events = self.contract.events.Settled().process_receipt(tx.receipt, errors=DISCARD)
        args = events[0]["args"]
        kinds = ("payment", "interbank", "bridge-payment")
        return Settlement(
            tx, kinds[int(args["kind"])], str(args["provider"]), self.currency(args["sellToken"]),
            self.currency(args["buyToken"]), from_tiyn(int(args["sellAmount"])), from_tiyn(int(args["buyAmount"])),
            rate_decimal(int(args["rate"])),
        )  # fmt: skip
