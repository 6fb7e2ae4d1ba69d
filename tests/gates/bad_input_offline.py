"""Offline purse rows of the bad-input matrix: a merchant terminal (no connection) refusing a payment, through
`tenge offline accept` and through :class:`tenge.offline.terminal.Terminal`; and `tenge offline pay` refusing to
sign past the purse. Each case builds its own purse file or terminal store under the world's home."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_utils.crypto import keccak

from tenge.offline import codec
from tenge.offline.device import Device, PurseState, save_state
from tenge.offline.terminal import Terminal, TerminalSettings
from tenge.offline.types import PurseCertificate, PurseDomain, SignedPayment, sign_certificate, sign_digest

DOMAIN = PurseDomain(31337, "0x" + "0e" * 20)
BANK = Account.from_key(keccak(text="bad-input offline bank"))
ROGUE_BANK = Account.from_key(keccak(text="bad-input offline rogue bank"))
MERCHANT = Account.from_key(keccak(text="bad-input offline merchant")).address
OTHER_MERCHANT = Account.from_key(keccak(text="bad-input offline other merchant")).address
#: anvil's dev key 5 (the device key on `tenge offline pay --account dev:5`)
DEVICE_KEY = bytes.fromhex("8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba")
PURSE_TIYN = 1_000_00
NOW = 1_900_000_000
EXPIRY = NOW + 86_400


def purse_state(bank_key: bytes = BANK.key) -> PurseState:
    cert = PurseCertificate(b"\x0e" * 32, Account.from_key(DEVICE_KEY).address, PURSE_TIYN, EXPIRY,
                            Account.from_key(bank_key).address)  # fmt: skip
    return PurseState(sign_certificate(cert, DOMAIN, bank_key), DOMAIN)


def payment(merchant: str = MERCHANT, bank_key: bytes = BANK.key, time: int = NOW) -> SignedPayment:
    return Device(purse_state(bank_key), DEVICE_KEY).pay(merchant, 100_00, bytes(32), time)


def _terminal_folder(vars: dict[str, str], home: Path) -> Path:
    folder = home / f"terminal-{len(list(home.glob('terminal-*')))}"
    folder.mkdir(parents=True)
    vars["terminal"] = str(folder / "terminal.sqlite")
    return folder


def accepting(make: Callable[[], SignedPayment], prepare: Callable[[Terminal], None] | None = None
              ) -> Callable[[dict[str, str], Path], None]:  # fmt: skip
    """A setup: a fresh configured terminal (``prepare`` runs on it) and the payment string in ``vars``."""

    def setup(vars: dict[str, str], home: Path) -> None:
        _terminal_folder(vars, home)
        terminal = Terminal.open(Path(vars["terminal"]), settings(), clock=lambda: NOW)
        if prepare is not None:
            prepare(terminal)
        terminal.close()
        vars["payment"] = codec.encode(make(), DOMAIN)

    return setup


def settings() -> TerminalSettings:
    return TerminalSettings(MERCHANT, DOMAIN, frozenset({BANK.address}))


def accept_argv(vars: dict[str, str]) -> list[str]:
    return ["offline", "accept", "--terminal", vars["terminal"], "--", vars["payment"]]


def accept_sdk(vars: dict[str, str], now: int = NOW) -> Any:
    terminal = Terminal.open(Path(vars["terminal"]), clock=lambda: now)
    try:
        return terminal.accept_text(vars["payment"])
    finally:
        terminal.close()


def replay_prepare(terminal: Terminal) -> None:
    terminal.accept(payment())


def revoke_prepare(terminal: Terminal) -> None:
    terminal.learn_revocations([b"\x0e" * 32])


def over_purse() -> SignedPayment:
    honest = payment()
    forged = dataclasses.replace(honest.payment, amount=PURSE_TIYN + 1, cumulative=PURSE_TIYN + 1)
    return SignedPayment(forged, sign_digest(forged.digest(DOMAIN), DEVICE_KEY), honest.certificate)


def purse_file(vars: dict[str, str], home: Path) -> None:
    folder = _terminal_folder(vars, home)
    vars["purse"] = str(folder / "purse.json")
    save_state(Path(vars["purse"]), purse_state())


def pay_argv(vars: dict[str, str]) -> list[str]:
    return ["offline", "pay", "--purse", vars["purse"], "--account", "dev:5", "--at", str(NOW), "--", MERCHANT, "1000.01"]


def pay_sdk(vars: dict[str, str]) -> Any:
    from tenge.offline.device import load_state

    return Device(load_state(Path(vars["purse"])), DEVICE_KEY).pay(MERCHANT, PURSE_TIYN + 1, bytes(32), NOW)


def over_expiry() -> SignedPayment:
    """A tampered device signs a payment dated after its purse's expiry."""
    honest = payment()
    late = dataclasses.replace(honest.payment, time=EXPIRY + 1)
    return SignedPayment(late, sign_digest(late.digest(DOMAIN), DEVICE_KEY), honest.certificate)


def settle_argv(vars: dict[str, str], rpc_url: str, merchant_id: int) -> list[str]:
    return ["offline", "settle", "--terminal", vars["terminal"], "--network", "local", "--rpc-url", rpc_url,
            "--account", "dev:5", "--", str(merchant_id)]  # fmt: skip


def settle_sdk(vars: dict[str, str], client: Any, merchant_id: int) -> Any:
    """``tenge offline settle``'s code on a terminal kept for another purse contract (:data:`DOMAIN`)."""
    from tenge.offline.settle import settle_terminal

    terminal = Terminal.open(Path(vars["terminal"]), clock=lambda: NOW)
    try:
        return settle_terminal(client, terminal, merchant_id)
    finally:
        terminal.close()
