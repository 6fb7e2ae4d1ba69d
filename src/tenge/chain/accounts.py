"""Signing accounts: encrypted keystores (scrypt, mode 600) and, on local networks only, dev keys.

No key is ever printed or logged; only addresses leave this module.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount

from tenge import paths
from tenge.chain.networks import Network
from tenge.errors import InvalidInput, KeystoreError, RawKeyRefused, WrongPassword

#: Environment variables read for non-interactive use (CI, scripts).
PASSWORD_ENV = "TENGE_KEYSTORE_PASSWORD"
RAW_KEY_ENV = "TENGE_PRIVATE_KEY"
DEV_PREFIX = "dev:"


@dataclass(frozen=True)
class KeystoreEntry:
    alias: str
    address: str
    path: Path


def keystore_dir() -> Path:
    folder = paths.user_config_dir() / "keystores"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def _path(alias: str) -> Path:
    if not alias or not alias.replace("-", "").replace("_", "").isalnum():
        raise InvalidInput(f"account alias {alias!r} must be letters, digits, '-' or '_'")
    return keystore_dir() / f"{alias}.json"


def _write(alias: str, account: LocalAccount, password: str) -> KeystoreEntry:
    if not password:
        raise KeystoreError("an empty keystore password is not allowed")
    path = _path(alias)
    if path.exists():
        raise KeystoreError(f"account {alias!r} already exists at {path}")
    keystore = Account.encrypt(account.key, password, kdf="scrypt")
    # Create with 600 from the start: the file is never readable by others, not even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(keystore, handle)
    return KeystoreEntry(alias, account.address, path)


def new_account(alias: str, password: str) -> KeystoreEntry:
    return _write(alias, Account.create(), password)


def import_account(alias: str, private_key: str, password: str) -> KeystoreEntry:
    try:
        account = Account.from_key(private_key)
    except (ValueError, TypeError):
        raise InvalidInput("that is not a valid private key (expected 32 bytes of hex)") from None
    return _write(alias, account, password)


def list_accounts() -> list[KeystoreEntry]:
    entries = []
    for path in sorted(keystore_dir().glob("*.json")):
        address = json.loads(path.read_text()).get("address", "")
        entries.append(KeystoreEntry(path.stem, "0x" + address.removeprefix("0x"), path))
    return entries


def load_keystore(alias: str, password: str) -> LocalAccount:
    path = _path(alias)
    if not path.exists():
        raise KeystoreError(f"no account {alias!r} (looked for {path}); see `tenge accounts list`")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeystoreError(f"keystore {path} is readable by others (mode {mode:o}); run chmod 600 on it")
    try:
        key = Account.decrypt(json.loads(path.read_text()), password)
    except ValueError:
        raise WrongPassword(f"wrong password for account {alias!r}") from None
    return Account.from_key(key)


def resolve_signer(network: Network, account: str | None, password: str | None = None) -> LocalAccount:
    """The signing account for ``network``.

    ``account`` is a keystore alias, ``dev:N`` (anvil's public dev key N, local networks only),
    or None: ``$TENGE_PRIVATE_KEY`` (local networks only) or dev key 0 on local networks.
    """
    raw_key = os.environ.get(RAW_KEY_ENV)
    if account is None and raw_key:
        if not network.local:
            raise RawKeyRefused(
                f"raw private keys are accepted only on local networks, not {network.name!r}; "
                "import it into a keystore with `tenge accounts import`"
            )
        return Account.from_key(raw_key)
    if account is None or account.startswith(DEV_PREFIX):
        if not network.local:
            raise RawKeyRefused(
                f"network {network.name!r} needs a keystore account (--account ALIAS); dev keys are local-only"
            )
        from tenge.toolchain.anvil import dev_keys

        index = int(account.removeprefix(DEV_PREFIX)) if account else 0
        return dev_keys(index + 1)[index]
    if password is None:
        password = os.environ.get(PASSWORD_ENV)
    if password is None:
        raise KeystoreError(f"no password for account {account!r}: pass one or set {PASSWORD_ENV}")
    return load_keystore(account, password)
