"""The VatPayments contract's access-control roles, by name (``registrar`` -> ``REGISTRAR_ROLE``)."""

from __future__ import annotations

from tenge.chain.roles import ADMIN_ALIASES, DEFAULT_ADMIN_ROLE, canonical_role_name, role_id_of

#: Every role of VatPayments: the admin (two-step, delayed hand-over), the tax authority (rates,
#: treasury, reserve, merchants; admin of the registrars), registrars (merchants), pausers.
ROLE_NAMES: tuple[str, ...] = (DEFAULT_ADMIN_ROLE, "TAX_AUTHORITY_ROLE", "REGISTRAR_ROLE", "PAUSER_ROLE")

_ALIASES = {**ADMIN_ALIASES, "TAX": "TAX_AUTHORITY_ROLE"}


def role_name(text: str) -> str:
    """The canonical role name for ``text`` (``tax-authority`` -> ``TAX_AUTHORITY_ROLE``); unknown names are refused."""
    return canonical_role_name(text, ROLE_NAMES, _ALIASES, contract="VatPayments")


def role_id(text: str) -> bytes:
    return role_id_of(role_name(text))
