"""Roles the deployer takes back for the length of one ``--apply-config`` run.

A deploy renounces the setup roles its configuration did not give the deployer (e.g. COMPLIANCE_ROLE
for the tier caps). Applying a configuration change later needs that role again: when a configuration
call is refused with ``AccessControlUnauthorizedAccount`` for the deployer, and the deployer is the
contract's admin, the role is granted to it, the call is sent, and every role so taken is renounced
when the run ends (also when it fails).
"""

from __future__ import annotations

from typing import Any, Callable

from web3 import Web3

from tenge.chain.transactions import SentTransaction, TxSender
from tenge.errors import ContractRevert


def _role_name(contract: Any, role: str) -> str:
    for item in contract.abi:
        name = str(item.get("name", ""))
        if item.get("type") == "function" and name.endswith("_ROLE"):
            value = bytes(32) if name == "DEFAULT_ADMIN_ROLE" else bytes(Web3.keccak(text=name))
            if "0x" + value.hex() == role.lower():
                return name
    return role


class TemporaryRoles:
    def __init__(self, sender: TxSender) -> None:
        self.sender = sender
        self.taken: list[tuple[Any, bytes, str]] = []
        #: the grants and renouncements sent (counted in the deploy report)
        self.sent: list[SentTransaction] = []

    def send(
        self, contract: Any, call: Any, *, description: str, on_sent: Callable[[str], None], take_roles: bool
    ) -> SentTransaction:
        """Send ``call``; with ``take_roles``, if only a role the deployer can grant itself is missing, take it
        and send again."""
        me = self.sender.address
        try:
            return self.sender.send(call, description=description, on_sent=on_sent)
        except ContractRevert as exc:
            role = exc.error_args.get("neededRole")
            if not take_roles or exc.error_name != "AccessControlUnauthorizedAccount" or exc.error_args.get("account") != me:
                raise
            if not isinstance(role, str) or not contract.functions.hasRole(bytes(32), me).call():
                raise
            name = _role_name(contract, role)
            role_id = bytes.fromhex(role.removeprefix("0x"))
            self.sent.append(self.sender.send(contract.functions.grantRole(role_id, me),
                             description=f"apply-config: grant {name} to the deployer until the run ends"))  # fmt: skip
            self.taken.append((contract, role_id, name))
            return self.sender.send(call, description=description, on_sent=on_sent)

    def release(self) -> None:
        """Renounce every role taken in this run."""
        while self.taken:
            contract, role_id, name = self.taken.pop()
            self.sent.append(self.sender.send(contract.functions.renounceRole(role_id, self.sender.address),
                             description=f"apply-config: renounce {name} taken for this run"))  # fmt: skip
