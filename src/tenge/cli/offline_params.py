"""What ``tenge token offline``, ``tenge vat offline`` and ``tenge programme spend --offline`` share: the
deployment record read with no connection (the EIP-712 domain options filled in from it when not given) and
reading a payment string from the command line or stdin."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tenge.cli.common import ADDRESS

if TYPE_CHECKING:
    from tenge.deploy.record import DeploymentRecord
    from tenge.token.authorizations import TokenDomain

F = TypeVar("F", bound=Callable[..., Any])


def domain_options(func: F) -> F:
    """``--chain-id``, ``--token`` and ``--token-name``: the token's EIP-712 domain, by default from the record."""
    func = click.option("--token-name", default=None, help="Token name, the EIP-712 domain name (default: from the record).")(func)
    func = click.option("--token", "token_address", type=ADDRESS, default=None, help="Token address (default: from the record).")(func)
    func = click.option("--chain-id", type=click.IntRange(1), default=None, help="Chain id (default: from the deployment record).")(func)
    return func


def read_payment(text: str) -> str:
    """The payment string itself, or stdin for ``-``."""
    return sys.stdin.read() if text == "-" else text


def offline_record(network: str, *, missing: str) -> "DeploymentRecord":
    """``network``'s deployment record, read with no connection; without one, :class:`DeploymentError` with
    ``missing`` (what to give instead)."""
    from tenge.deploy.record import DeploymentRecord
    from tenge.errors import DeploymentError

    record = DeploymentRecord.load(network)
    if record is None:
        raise DeploymentError(missing)
    return record


def signing_domain(
    network: str,
    chain_id: int | None,
    token: str | None,
    token_name: str | None,
    *,
    missing: str,
    contract: str | None = None,
    contract_key: str | None = None,
) -> tuple["TokenDomain", str | None]:
    """The domain to sign for, and (with ``contract_key``) the contract the payment goes to.

    What is not given comes from ``network``'s deployment record; without one, :class:`DeploymentError`
    with ``missing``.
    """
    from tenge.token.authorizations import TokenDomain
    from tenge.token.offline import domain_from_record

    if chain_id is None or token is None or token_name is None or (contract_key is not None and contract is None):
        record = offline_record(network, missing=missing)
        recorded = domain_from_record(record)
        chain_id = chain_id or recorded.chain_id
        token = token or recorded.verifying_contract
        token_name = token_name or recorded.name
        if contract_key is not None:
            contract = contract or record.address(contract_key)
    return TokenDomain(token_name, chain_id, token), contract
