"""Signing accounts: encrypted keystores (scrypt, mode 600) and, on local networks only, dev keys.

No key is ever printed or logged; only addresses leave this module.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3 import Web3

from tenge import paths
from tenge.chain.networks import Network
from tenge.errors import InvalidInput, KeystoreError, RawKeyRefused, WrongPassword

#: Environment variables read for non-interactive use (CI, scripts).
PASSWORD_ENV = "TENGE_KEYSTORE_PASSWORD"
RAW_KEY_ENV = "TENGE_PRIVATE_KEY"
DEV_PREFIX = "dev:"

#: Longer values, and values with spaces (a mnemonic), are not repeated in error messages.
MAX_SHOWN_ALIAS = 32
_KEY_SHAPED = re.compile(r"(0x)?[0-9a-fA-F]{64}")


def looks_like_private_key(value: str) -> bool:
    """32 bytes of hex, with or without 0x: what a private key pasted by mistake looks like."""
    return bool(_KEY_SHAPED.fullmatch(value.strip()))


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


def shown(alias: str) -> str:
    """``alias`` quoted for a message, unless it may be a secret pasted in the wrong place (long, or spaced
    like a mnemonic): then ``(not shown)``."""
    return repr(alias) if len(alias) <= MAX_SHOWN_ALIAS and not any(c.isspace() for c in alias) else "(not shown)"


def _path(alias: str) -> Path:
    if looks_like_private_key(alias):
        raise RawKeyRefused("an account alias was expected, and the value given looks like a private key (not shown)")
    if not alias or not alias.isascii() or not alias.replace("-", "").replace("_", "").isalnum():
        # A secret pasted in the wrong place (a mnemonic, a key with a typo) is never echoed back.
        raise InvalidInput(f"account alias {shown(alias)} must be letters, digits, '-' or '_'")
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


def _existing(alias: str) -> Path:
    """The keystore file of ``alias``: it must exist and be readable by its owner only."""
    path = _path(alias)
    if not path.exists():
        raise KeystoreError(f"no account {shown(alias)} (looked for {path.parent}); see `tenge accounts list`")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeystoreError(f"keystore {path} is readable by others (mode {mode:o}); run chmod 600 on it")
    return path


def load_keystore(alias: str, password: str) -> LocalAccount:
    path = _existing(alias)
    try:
        key = Account.decrypt(json.loads(path.read_text()), password)
    except ValueError:
        raise WrongPassword(f"wrong password for account {alias!r}") from None
    account: LocalAccount = Account.from_key(key)
    return account


def keystore_address(alias: str) -> str:
    """The address of keystore ``alias``, read without its password; checks it exists and is mode 600."""
    path = _existing(alias)
    try:
        address = str(json.loads(path.read_text())["address"])
    except (ValueError, KeyError, TypeError):
        raise KeystoreError(f"keystore {path} is not an eth-account keystore (no address in it)") from None
    return str(Web3.to_checksum_address("0x" + address.removeprefix("0x")))


def delete_account(alias: str) -> Path:
    """Remove keystore ``alias`` (the key is gone unless it is backed up elsewhere)."""
    path = _path(alias)
    if not path.exists():
        raise KeystoreError(f"no account {shown(alias)} (looked for {path.parent}); see `tenge accounts list`")
    path.unlink()
    return path


def change_password(alias: str, old_password: str, new_password: str) -> KeystoreEntry:
    """Re-encrypt keystore ``alias`` under ``new_password``; the file is replaced atomically, mode 600."""
    if not new_password:
        raise KeystoreError("an empty keystore password is not allowed")
    account = load_keystore(alias, old_password)
    path = _path(alias)
    keystore = Account.encrypt(account.key, new_password, kdf="scrypt")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(keystore, handle)
    os.replace(tmp, path)
    return KeystoreEntry(alias, account.address, path)


def resolve_signer(network: Network, account: str | None, password: str | None = None) -> LocalAccount:
    """The signing account for ``network`` (see :func:`tenge.chain.signers.locate_signer`)."""
    from tenge.chain.signers import resolve_signer as locate_and_unlock

    return locate_and_unlock(network, account, password)
