"""`tenge accounts new|import|list|delete|change-password`: encrypted keystores; keys are never printed."""

from __future__ import annotations

import os

import click

from tenge.chain import accounts
from tenge.cli.common import emit, json_option

#: The new password for `tenge accounts change-password`, for non-interactive use.
NEW_PASSWORD_ENV = "TENGE_NEW_KEYSTORE_PASSWORD"


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


@accounts_group.command("delete")
@click.argument("alias")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
def accounts_delete(alias: str, yes: bool, as_json: bool) -> None:
    """Delete the keystore of ALIAS (the key is gone unless it is backed up elsewhere)."""
    address = accounts.keystore_address(alias)  # refuses an unknown alias before asking anything
    if not yes:
        if not click.confirm(f"Delete account {alias} ({address})? Its key cannot be recovered from tenge"):
            click.echo(f"Error: not deleted: {alias} is kept", err=True)
            raise click.exceptions.Exit(1)  # a declined confirmation is a refusal, not an interruption (130)
    path = accounts.delete_account(alias)
    emit(as_json, {"alias": alias, "address": address, "deleted": str(path)}, f"deleted {alias}: {address}")


@accounts_group.command("change-password")
@click.argument("alias")
@json_option
def accounts_change_password(alias: str, as_json: bool) -> None:
    """Re-encrypt ALIAS under a new password (old one: prompt or $TENGE_KEYSTORE_PASSWORD; new one: prompt
    or $TENGE_NEW_KEYSTORE_PASSWORD). The keystore stays mode 600."""
    address = accounts.keystore_address(alias)
    old = os.environ.get(accounts.PASSWORD_ENV)
    if old is None:
        old = str(click.prompt(f"Current password for {alias}", hide_input=True))
    accounts.load_keystore(alias, old)  # a wrong password is refused before a new one is asked for
    new = os.environ.get(NEW_PASSWORD_ENV)
    if new is None:
        new = str(click.prompt("New password", hide_input=True, confirmation_prompt=True))
    entry = accounts.change_password(alias, old, new)
    emit(as_json, {"alias": alias, "address": address, "keystore": str(entry.path)}, f"changed the password of {alias}: {address}")
