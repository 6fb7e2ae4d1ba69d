"""The VatPayments contract's access-control roles, by name (``registrar`` -> ``REGISTRAR_ROLE``)."""

from __future__ import annotations

from tenge.deploy.plan import RoleId
from tenge.errors import InvalidInput

DEFAULT_ADMIN_ROLE = "DEFAULT_ADMIN_ROLE"

#: Every role of VatPayments: the admin (two-step, delayed hand-over), the tax authority (rates,
#: treasury, reserve, merchants; admin of the registrars), registrars (merchants), pausers.
ROLE_NAMES: tuple[str, ...] = (DEFAULT_ADMIN_ROLE, "TAX_AUTHORITY_ROLE", "REGISTRAR_ROLE", "PAUSER_ROLE")

_ALIASES = {"ADMIN": DEFAULT_ADMIN_ROLE, "DEFAULT_ADMIN": DEFAULT_ADMIN_ROLE, "TAX": "TAX_AUTHORITY_ROLE"}


def role_name(text: str) -> str:
    """The canonical role name for ``text`` (``tax-authority`` -> ``TAX_AUTHORITY_ROLE``); unknown names are refused."""
    key = str(text).strip().upper().replace("-", "_")
    key = _ALIASES.get(key, key)
    if not key.endswith("_ROLE"):
        key += "_ROLE"
    if key not in ROLE_NAMES:
        raise InvalidInput(f"unknown VatPayments role {text!r}; roles are: {', '.join(ROLE_NAMES)}")
    return key


def role_id(text: str) -> bytes:
    return RoleId(role_name(text)).value()
