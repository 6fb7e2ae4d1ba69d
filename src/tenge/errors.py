"""Every failure the SDK reports, each with a message a person can act on.

The CLI prints ``str(error)`` and exits non-zero for any :class:`TengeError`.
Contract reverts become :class:`ContractRevert` (alias :data:`ContractError`) subclasses named after the Solidity
custom error: ``from tenge.errors import TierCapExceeded``, ``except tenge.errors.ContractError``. The classes, one
per custom error of the compiled ABIs with its NatSpec as docstring, are generated into :mod:`tenge.contract_errors`
(``python -m tenge.docs``) and re-exported here; ``docs/api.md`` lists them.
"""

from __future__ import annotations

from typing import Any


class TengeError(Exception):
    """Base of every error the SDK raises on purpose."""

    exit_code = 1


class InvalidInput(TengeError, ValueError):
    """Input rejected before anything was signed or sent."""

    exit_code = 2


class InvalidAmount(InvalidInput):
    """An amount that is negative, has more than 2 decimals, or does not fit the contract."""


class InvalidAddress(InvalidInput):
    """A malformed address or one with a wrong EIP-55 checksum."""


class UnknownNetwork(InvalidInput):
    """A network name that is not configured."""


class ChainIdMismatch(TengeError):
    """The RPC endpoint serves a different chain than the network name promises."""


class RpcUnreachable(TengeError):
    """The RPC endpoint did not answer."""


class KeystoreError(TengeError):
    """A keystore that is missing, unreadable or already exists."""


class WrongPassword(KeystoreError):
    """The keystore password does not decrypt the key."""


class RawKeyRefused(TengeError):
    """A raw private key was offered for a network where only keystores are allowed."""


class CompileError(TengeError):
    """solc rejected the sources; the message carries solc's own file:line:column text."""


class ToolchainMissing(TengeError):
    """node_modules or a tool in it is missing: run the bootstrap (``make bootstrap``)."""


class DeploymentError(TengeError):
    """A deployment record is missing, belongs to another chain, or a deploy step failed."""


class UnsafeUpgrade(DeploymentError):
    """``tenge deploy --upgrade`` refused: the new implementation's storage layout clashes with the deployed one's
    (or the record holds no layout to check against). Nothing was sent."""

    exit_code = 7


class StaleRecord(DeploymentError):
    """The deployment record names a contract the chain does not hold (a restarted devnet) or holds other code."""


class ConfigError(InvalidInput):
    """A configuration file that is not valid TOML or does not fit the schema; names the file and the key."""


class DevnetConflict(TengeError):
    """``tenge devnet up`` cannot start the devnet asked for: the port is busy or serves another chain."""


class InsufficientFunds(TengeError):
    """The sender cannot pay for gas."""


class TransactionFailed(TengeError):
    """A transaction was mined but reverted, and the reason could not be decoded."""


class TransactionPending(TengeError):
    """A transaction was sent and may still land: it must not be sent again.

    ``tx_hash`` identifies it; ``tenge tx status HASH`` (or :meth:`TxWatcher.status`) tells later where it is.
    """

    def __init__(self, message: str, tx_hash: str) -> None:
        super().__init__(message)
        self.tx_hash = tx_hash


class NotYetMined(TransactionPending):
    """Sent, but not in a block within the wait: it may still be mined (or dropped). Do not resend."""

    exit_code = 4


class NotYetConfirmed(TransactionPending):
    """Mined in ``block_number`` but with fewer than ``required`` confirmations when the wait ended.

    It happened (unless a reorganisation drops it): sending it again would do it twice.
    """

    exit_code = 5

    def __init__(self, message: str, tx_hash: str, block_number: int, confirmations: int, required: int) -> None:
        super().__init__(message, tx_hash)
        self.block_number = block_number
        self.confirmations = confirmations
        self.required = required


class DuplicateTransaction(TengeError):
    """An identical transaction (same account, contract, call data and value) sent earlier is still pending, or
    was mined without its outcome being reported: sending again would do it twice. Nothing was sent.

    ``tx_hash`` is the earlier transaction, ``state`` ``"pending"`` or ``"mined"`` (then ``block_number``). Send
    anyway with ``sender.duplicates = "again"`` (CLI ``--again``), or replace the pending one with the same nonce
    and a higher fee with ``"replace"`` (CLI ``--replace``).
    """

    def __init__(self, message: str, tx_hash: str, state: str, block_number: int | None = None) -> None:
        super().__init__(message)
        self.tx_hash = tx_hash
        self.state = state
        self.block_number = block_number


class OfflinePaymentError(InvalidInput):
    """An offline payment string that is malformed, tampered with or not for this token."""


class ContractRevert(TengeError):
    """A call or transaction reverted with a decoded custom error.

    ``error_name`` is the Solidity error name, ``error_args`` its arguments by name.
    Subclasses named after each custom error are created from the compiled ABIs,
    so ``except tenge.errors.TierCapExceeded`` works.
    """

    error_name: str = "ContractRevert"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "error_name" not in cls.__dict__:
            cls.error_name = cls.__name__

    def __init__(self, message: str, error_args: dict[str, Any] | None = None, data: bytes = b"") -> None:
        super().__init__(message)
        self.error_args = error_args or {}
        self.data = data


#: The base of every decoded contract error (``except tenge.errors.ContractError``).
ContractError = ContractRevert

_revert_classes: dict[str, type[ContractRevert]] = {}


def revert_class(name: str) -> type[ContractRevert]:
    """The exception class for Solidity custom error ``name``: the generated one of :mod:`tenge.contract_errors`,
    else (an ABI newer than the generated module) one created once, then reused."""
    cls = _revert_classes.get(name)
    if cls is None:
        import tenge.contract_errors as generated

        found = getattr(generated, name, None)
        if isinstance(found, type) and issubclass(found, ContractRevert):
            cls = found
        else:
            cls = type(name, (ContractRevert,), {"error_name": name, "__module__": __name__})
        _revert_classes[name] = cls
    return cls


def __getattr__(name: str) -> type[ContractRevert]:
    # PEP 562: `from tenge.errors import TierCapExceeded` for any error in the compiled ABIs.
    # The import system probes dunders such as __path__ here; they are never errors.
    if name.startswith("_") or not name[:1].isupper():
        raise AttributeError(f"module 'tenge.errors' has no attribute {name!r}")
    from tenge.chain.reverts import known_error_names

    if name in known_error_names():
        return revert_class(name)
    raise AttributeError(f"module 'tenge.errors' has no attribute {name!r}")


# The generated classes, importable from here (`from tenge.errors import InsufficientSpendableBalance`).
from tenge.contract_errors import *  # noqa: E402,F403
