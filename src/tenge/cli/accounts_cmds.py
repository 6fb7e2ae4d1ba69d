"""`tenge accounts new|import|list`: encrypted keystores; keys are never printed."""

from __future__ import annotations

import os

import click

from tenge.chain import accounts
from tenge.cli.common import emit, json_option


def _password(confirm: bool) -> str:
    env = os.environ.get(accounts.PASSWORD_ENV)
    if env is not None:
        return env
    return str(click.prompt("Keystore password", hide_input=True, confirmation_prompt=confirm))


@click.group("accounts")
def accounts_group() -> None:
    """Manage signing accounts (scrypt keystores, mode 600, in the user config folder)."""


@accounts_group.command("new")
@click.argument("alias")
@json_option
def accounts_new(alias: str, as_json: bool) -> None:
    """Create a new key and store it encrypted under ALIAS."""
    entry = accounts.new_account(alias, _password(confirm=True))
    emit(as_json, {"alias": entry.alias, "address": entry.address, "keystore": str(entry.path)},
         f"created {entry.alias}: {entry.address}\nkeystore {entry.path}")


@accounts_group.command("import")
@click.argument("alias")
@json_option
def accounts_import(alias: str, as_json: bool) -> None:
    """Import a private key (read from a hidden prompt or $TENGE_IMPORT_KEY) under ALIAS."""
    key = os.environ.get("TENGE_IMPORT_KEY") or click.prompt("Private key", hide_input=True)
    entry = accounts.import_account(alias, key, _password(confirm=True))
    emit(as_json, {"alias": entry.alias, "address": entry.address, "keystore": str(entry.path)},
         f"imported {entry.alias}: {entry.address}")


@accounts_group.command("list")
@json_option
def accounts_list(as_json: bool) -> None:
    """List keystore accounts (aliases and addresses only)."""
    entries = accounts.list_accounts()
    emit(as_json, [{"alias": e.alias, "address": e.address} for e in entries],
         "\n".join(f"{e.alias}  {e.address}" for e in entries) or "no accounts; create one with `tenge accounts new ALIAS`")
