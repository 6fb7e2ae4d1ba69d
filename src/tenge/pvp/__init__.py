"""Cross-border payment versus payment (PvP) between two central-bank currencies on one chain.

:mod:`~tenge.pvp.quotes` (EIP-712 FX quotes and interbank trades, the rounding rule), :mod:`~tenge.pvp.payload`
(the bridge payment payload) and :mod:`~tenge.pvp.client` (``session.pvp()``).
"""

from tenge.pvp.payload import decode_payload, encode_payload
from tenge.pvp.quotes import Quote, SignedQuote, Trade, buy_amount, parse_rate, sign_quote, sign_trade

__all__ = ["Quote", "SignedQuote", "Trade", "buy_amount", "decode_payload", "encode_payload", "parse_rate",
           "sign_quote", "sign_trade"]  # fmt: skip
