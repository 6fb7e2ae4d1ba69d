"""``tenge token role ...`` and ``tenge vat role ...``: one shape for both contracts' access control.

``role grant ROLE ADDRESS``, ``role revoke ROLE ADDRESS``, ``role list [ADDRESS]``: the same arguments, options
and output for every contract; ROLE by name (``minter``, ``MINTER_ROLE``, ``tax-authority`` ...), checked
against the contract's roles before a connection is opened.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

import click

from tenge.cli.common import ADDRESS, TengeGroup, emit, json_option, signer_options
from tenge.cli.tx_output import done


class RoleClient(Protocol):
    """What the role commands need of a client (DigitalTengeClient, VatPaymentsClient)."""

    @property
    def me(self) -> str: ...

    def grant_role(self, role: str, account: str) -> Any: ...

    def revoke_role(self, role: str, account: str) -> Any: ...

    def roles_of(self, account: str) -> list[str]: ...


#: Opens a command's client: (network, rpc_url, account, read_only) -> client.
Opener = Callable[..., RoleClient]


def role_group(open_client: Opener, role_type: click.ParamType, roles_help: str) -> click.Group:
    """The ``role`` group (grant, revoke, list) of a contract whose client ``open_client`` opens."""

    @click.group("role", cls=TengeGroup, help=f"Grant, revoke and list roles (by name: {roles_help}).")
    def group() -> None:
        pass

    @group.command("grant")
    @click.argument("role", type=role_type)
    @click.argument("address", type=ADDRESS)
    @signer_options
    @json_option
    def grant_cmd(role: str, address: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
        """Grant ROLE to ADDRESS (as the role's admin)."""
        result = open_client(network, rpc_url, account).grant_role(role, address)
        done(as_json, "grant role", result, role=role, address=address)

    @group.command("revoke")
    @click.argument("role", type=role_type)
    @click.argument("address", type=ADDRESS)
    @signer_options
    @json_option
    def revoke_cmd(role: str, address: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
        """Revoke ROLE from ADDRESS (as the role's admin)."""
        result = open_client(network, rpc_url, account).revoke_role(role, address)
        done(as_json, "revoke role", result, role=role, address=address)

    @group.command("list")
    @click.argument("address", type=ADDRESS, required=False)
    @signer_options
    @json_option
    def list_cmd(address: str | None, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
        """The roles ADDRESS holds (default: the signer)."""
        client = open_client(network, rpc_url, account, read_only=address is not None)
        who = address or client.me
        roles = client.roles_of(who)
        emit(as_json, {"address": who, "roles": roles}, f"{who}: {', '.join(roles) or 'no roles'}")

    return group


def hidden_alias(command: click.Command) -> click.Command:
    """A copy of ``command`` left out of ``--help`` (an older spelling kept working)."""
    import copy

    alias = copy.copy(command)
    alias.hidden = True
    return alias
