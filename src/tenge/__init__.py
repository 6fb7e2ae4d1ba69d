"""Digital Tenge suite: SDK for compiling, deploying and operating the CBDC contracts.

Amounts are :class:`decimal.Decimal` tenge everywhere in the SDK; integers in tiyn
(1 tenge = 100 tiyn) appear only at the contract boundary.
"""

__version__ = "0.1.0"
