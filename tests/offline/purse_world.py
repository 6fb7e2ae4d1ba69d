"""Shared fixtures of the offline tests: a bank, a device with a certified purse, a merchant terminal."""

from __future__ import annotations

from pathlib import Path

from eth_account import Account

from tenge.offline.device import Device, PurseState
from tenge.offline.terminal import Terminal, TerminalSettings
from tenge.offline.types import PurseCertificate, PurseDomain, sign_certificate

DOMAIN = PurseDomain(31337, "0x" + "ab" * 20)
BANK = Account.from_key(b"\x11" * 32)
OTHER_BANK = Account.from_key(b"\x12" * 32)
DEVICE = Account.from_key(b"\x21" * 32)
MERCHANT = Account.from_key(b"\x31" * 32).address
OTHER_MERCHANT = Account.from_key(b"\x32" * 32).address
NOW = 1_800_000_000
EXPIRY = NOW + 7 * 24 * 3600
PURSE_TIYN = 50_000_00  # 50,000 KZT


def purse(purse_id: bytes = b"\x01" * 32, bank_key: bytes = BANK.key, bank: str = BANK.address) -> PurseState:
    cert = PurseCertificate(purse_id, DEVICE.address, PURSE_TIYN, EXPIRY, bank)
    return PurseState(sign_certificate(cert, DOMAIN, bank_key), DOMAIN)


def device(purse_id: bytes = b"\x01" * 32) -> Device:
    return Device(purse(purse_id), DEVICE.key)


def terminal(folder: Path, now: int = NOW, merchant: str = MERCHANT) -> Terminal:
    settings = TerminalSettings(merchant, DOMAIN, frozenset({BANK.address}))
    return Terminal.open(folder / "terminal.sqlite", settings, clock=lambda: now)
