"""OpenZeppelin AccessControl roles by name, for any contract: each contract lists its own role names.

Accepted spellings: the contract constant (``MINTER_ROLE``), without the suffix (``MINTER``), in lower case
(``minter``) or with dashes (``tax-authority``); ``admin`` is ``DEFAULT_ADMIN_ROLE``; a contract may add aliases.
"""

from __future__ import annotations

from collections.abc import Mapping

from tenge.deploy.plan import RoleId
from tenge.errors import InvalidInput

DEFAULT_ADMIN_ROLE = "DEFAULT_ADMIN_ROLE"

#: Aliases every contract accepts.
ADMIN_ALIASES: Mapping[str, str] = {"ADMIN": DEFAULT_ADMIN_ROLE, "DEFAULT_ADMIN": DEFAULT_ADMIN_ROLE}


def canonical_role_name(
    text: str, names: tuple[str, ...], aliases: Mapping[str, str] = ADMIN_ALIASES, *, contract: str = ""
) -> str:
    """The canonical name in ``names`` for ``text``; unknown names are refused (naming ``contract`` if given)."""
    key = str(text).strip().upper().replace("-", "_")
    key = aliases.get(key, key)
    if not key.endswith("_ROLE"):
        key += "_ROLE"
    if key not in names:
        owner = f"{contract} " if contract else ""
        raise InvalidInput(f"unknown {owner}role {text!r}; roles are: {', '.join(names)}")
    return key


def role_id_of(name: str) -> bytes:
    """The 32-byte role id the contract uses (keccak256 of the name; zero for the default admin)."""
    return RoleId(name).value()


__all__ = ["ADMIN_ALIASES", "DEFAULT_ADMIN_ROLE", "canonical_role_name", "role_id_of"]
