"""VatPayments access control and pause: roles by name, grant/revoke, pause/unpause."""

from __future__ import annotations

from tenge.addresses import checksum_address
from tenge.payments.base import VatClientBase
from tenge.payments.roles import ROLE_NAMES, role_id, role_name
from tenge.token.results import TxResult


class VatAccess(VatClientBase):
    """Roles and pause of the VatPayments contract (mixed into :class:`~tenge.payments.client.VatPaymentsClient`)."""

    def has_role(self, role: str, account: str) -> bool:
        """Whether ``account`` holds ``role`` (by name)."""
        return bool(self.contract.functions.hasRole(role_id(role), checksum_address(account)).call())

    def roles_of(self, account: str) -> list[str]:
        """Names of the roles ``account`` holds on this contract."""
        address = checksum_address(account)
        return [name for name in ROLE_NAMES if self.has_role(name, address)]

    def grant_role(self, role: str, account: str) -> TxResult:
        """Grant ``role`` (by name: ``registrar``, ``TAX_AUTHORITY_ROLE`` ...) to ``account``."""
        name, account = role_name(role), checksum_address(account)
        return self._tx(self.contract.functions.grantRole(role_id(name), account), f"grant {name} to {account}")

    def revoke_role(self, role: str, account: str) -> TxResult:
        """Revoke ``role`` (by name) from ``account``."""
        name, account = role_name(role), checksum_address(account)
        return self._tx(self.contract.functions.revokeRole(role_id(name), account), f"revoke {name} from {account}")

    def paused(self) -> bool:
        """Whether payments are paused."""
        return bool(self.contract.functions.paused().call())

    def pause(self) -> TxResult:
        """Stop payments (PAUSER_ROLE); refunds and withdrawals stay possible."""
        return self._tx(self.contract.functions.pause(), "pause VAT payments")

    def unpause(self) -> TxResult:
        """Resume payments (PAUSER_ROLE)."""
        return self._tx(self.contract.functions.unpause(), "unpause VAT payments")
