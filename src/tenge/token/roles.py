"""The token's access-control roles, by name.

Accepted spellings: the contract constant (``MINTER_ROLE``), without the suffix (``MINTER``) or in
lower case (``minter``); ``admin`` is ``DEFAULT_ADMIN_ROLE``.
"""

from __future__ import annotations

from tenge.chain.roles import DEFAULT_ADMIN_ROLE, canonical_role_name, role_id_of

#: Every role of DigitalTenge, in the order an auditor reads them.
ROLE_NAMES: tuple[str, ...] = (
    DEFAULT_ADMIN_ROLE,
    "ISSUER_ROLE",
    "MINTER_ROLE",
    "COMPLIANCE_ROLE",
    "PAUSER_ROLE",
    "RESERVE_ATTESTOR_ROLE",
    "UPGRADER_ROLE",
    "TOKEN_BRIDGE_ROLE",
)


def role_name(text: str) -> str:
    """The canonical role name for ``text`` (``minter`` -> ``MINTER_ROLE``); unknown names are refused."""
    return canonical_role_name(text, ROLE_NAMES)


def role_id(text: str) -> bytes:
    """The 32-byte role id the contract uses (keccak256 of the name; zero for the default admin)."""
    return role_id_of(role_name(text))
