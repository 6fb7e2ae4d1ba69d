"""What a token write returns (:class:`~tenge.chain.results.TxResult`, shared by every client)."""

from tenge.chain.results import TxResult

__all__ = ["TxResult"]
