"""Which account signs: validated up front, unlocked only when something is signed.

:func:`locate_signer` checks everything that can be checked without a password — the network allows
the kind of key, ``dev:N`` is well formed, the keystore exists and is mode 600, the value is not a
pasted private key — and reads the address (a keystore names its address in clear). The password is
asked for (or read from ``$TENGE_KEYSTORE_PASSWORD``) only by :meth:`SignerRef.unlock`, so read-only
commands never unlock a key and a bad network or alias is refused before any prompt.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable

from eth_account import Account
from eth_account.signers.local import LocalAccount

from tenge.chain.accounts import (
    DEV_PREFIX,
    PASSWORD_ENV,
    RAW_KEY_ENV,
    keystore_address,
    load_keystore,
    looks_like_private_key,
)
from tenge.chain.networks import Network
from tenge.errors import InvalidInput, KeystoreError, RawKeyRefused

#: Asks for the password of a keystore alias (the CLI passes a hidden click prompt).
PasswordPrompt = Callable[[str], str]


@dataclass(frozen=True)
class SignerRef:
    """An account that has passed every check but the password; ``unlock`` returns the key."""

    address: str
    #: "keystore", "dev" or "raw"
    kind: str
    alias: str | None = None
    #: dev and raw keys, known at once; never in the repr
    _key: LocalAccount | None = field(default=None, repr=False)

    def unlock(self, password: str | None = None, prompt: PasswordPrompt | None = None) -> LocalAccount:
        """The signing key: dev and raw keys at once; a keystore with ``password``, else
        ``$TENGE_KEYSTORE_PASSWORD``, else ``prompt``."""
        if self._key is not None:
            return self._key
        assert self.alias is not None
        if password is None:
            password = os.environ.get(PASSWORD_ENV)
        if password is None and prompt is not None:
            password = prompt(self.alias)
        if password is None:
            raise KeystoreError(f"no password for account {self.alias!r}: pass one or set {PASSWORD_ENV}")
        return load_keystore(self.alias, password)


def locate_signer(network: Network, account: str | None) -> SignerRef:
    """The account for ``network``, checked without a password.

    ``account`` is a keystore alias, ``dev:N`` (anvil's public dev key N, local networks only),
    or None: ``$TENGE_PRIVATE_KEY`` (local networks only) or dev key 0 on local networks.
    """
    if account is not None and looks_like_private_key(account):
        raise RawKeyRefused(
            "--account takes a keystore alias or dev:N, and the value given looks like a private key "
            "(not shown); import it with `tenge accounts import ALIAS` and pass the alias"
        )
    raw_key = os.environ.get(RAW_KEY_ENV)
    if account is None and raw_key:
        if not network.local:
            raise RawKeyRefused(
                f"raw private keys are accepted only on local networks, not {network.name!r}; "
                "import it into a keystore with `tenge accounts import`"
            )
        try:
            key: LocalAccount = Account.from_key(raw_key)
        except (ValueError, TypeError):
            raise InvalidInput(f"${RAW_KEY_ENV} is not a valid private key (expected 32 bytes of hex)") from None
        return SignerRef(key.address, "raw", _key=key)
    if account is None or account.startswith(DEV_PREFIX):
        if not network.local:
            raise RawKeyRefused(
                f"network {network.name!r} needs a keystore account (--account ALIAS); dev keys are local-only"
            )
        from tenge.toolchain.anvil import dev_key

        dev = dev_key(dev_index(account) if account else 0)
        return SignerRef(dev.address, "dev", _key=dev)
    return SignerRef(keystore_address(account), "keystore", alias=account)


def dev_index(account: str) -> int:
    """N of ``dev:N``; refuses anything but a whole number."""
    text = account.removeprefix(DEV_PREFIX)
    if not text.isdigit() or not text.isascii():
        raise InvalidInput(
            f"--account {account!r}: dev:N takes a whole number N >= 0 (dev:0 ... dev:9 are anvil's funded keys)"
        )
    return int(text)


def resolve_signer(
    network: Network, account: str | None, password: str | None = None, prompt: PasswordPrompt | None = None
) -> LocalAccount:
    """Locate and unlock in one step (for callers that sign right away)."""
    return locate_signer(network, account).unlock(password, prompt)
