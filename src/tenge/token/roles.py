"""The token's access-control roles, by name.

Accepted spellings: the contract constant (``MINTER_ROLE``), without the suffix (``MINTER``) or in
lower case (``minter``); ``admin`` is ``DEFAULT_ADMIN_ROLE``.
"""

from __future__ import annotations

from tenge.deploy.plan import RoleId
from tenge.errors import InvalidInput

DEFAULT_ADMIN_ROLE = "DEFAULT_ADMIN_ROLE"

#: Every role of DigitalTenge, in the order an auditor reads them.
ROLE_NAMES: tuple[str, ...] = (
    DEFAULT_ADMIN_ROLE,
    "ISSUER_ROLE",
    "MINTER_ROLE",
    "COMPLIANCE_ROLE",
    "PAUSER_ROLE",
    "RESERVE_ATTESTOR_ROLE",
    "UPGRADER_ROLE",
)

_ALIASES = {"ADMIN": DEFAULT_ADMIN_ROLE, "DEFAULT_ADMIN": DEFAULT_ADMIN_ROLE}


def role_name(text: str) -> str:
    """The canonical role name for ``text`` (``minter`` -> ``MINTER_ROLE``); unknown names are refused."""
    key = str(text).strip().upper().replace("-", "_")
    key = _ALIASES.get(key, key)
    if not key.endswith("_ROLE"):
        key += "_ROLE"
    if key not in ROLE_NAMES:
        raise InvalidInput(f"unknown role {text!r}; roles are: {', '.join(ROLE_NAMES)}")
    return key


def role_id(text: str) -> bytes:
    """The 32-byte role id the contract uses (keccak256 of the name; zero for the default admin)."""
    return RoleId(role_name(text)).value()
