"""Validator-set governance of one end of the bridge: a change of the set or the threshold is scheduled and takes
effect only after the bridge's delay (default 48 h), cancellable meanwhile; removing one validator while the
threshold still fits is immediate (it only lowers risk); the first set at deploy is immediate too.

    bnb = Session.open("bsc-testnet", account="validator-manager").bridge()
    bnb.update_validators(remove=[old], add=[new], threshold=3)   # scheduled: bnb.pending_validator_update()
    ... 48 h later ...
    bnb.update_validators(remove=[old], add=[new], threshold=3)   # the same call applies it
    bnb.remove_validator(lost_key)                                # at once, if the threshold still fits
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tenge.addresses import checksum_address
from tenge.errors import ContractRevert, InvalidInput, revert_class

if TYPE_CHECKING:
    from web3.contract import Contract
    from web3.contract.contract import ContractFunction

    from tenge.token.results import TxResult

#: The longest delay the contract accepts (MAX_VALIDATOR_UPDATE_DELAY, 30 days).
MAX_DELAY_SECONDS = 30 * 24 * 3600


@dataclass(frozen=True)
class PendingValidatorUpdate:
    """A scheduled validator-set change: what it removes and adds, the new threshold, from when it may be applied
    (unix seconds) and the block that scheduled it."""

    removed: list[str]
    added: list[str]
    threshold: int
    executable_at: int
    scheduled_block: int

    def to_dict(self) -> dict[str, Any]:
        """These fields as a dict of plain values."""
        return {"removed": self.removed, "added": self.added, "threshold": self.threshold,
                "executableAt": self.executable_at, "scheduledBlock": self.scheduled_block}  # fmt: skip


def _refusal(name: str, **args: Any) -> ContractRevert:
    """The contract's own error, raised before sending (the contract checks the same when the change applies)."""
    text = ", ".join(f"{k}={v}" for k, v in args.items())
    return revert_class(name)(f"{name}({text})", args)


def check_change(current: Sequence[str], removed: Sequence[str], added: Sequence[str], threshold: int) -> None:
    """Refuses, with the error applying it would raise, a change that does not fit the set ``current``."""
    members = set(current)
    for validator in removed:
        if validator not in members:
            raise _refusal("NotAValidator", validator=validator)
        members.discard(validator)
    for validator in added:
        if int(validator, 16) == 0 or validator in members:
            raise _refusal("InvalidValidator", validator=validator)
        members.add(validator)
    if not 1 <= threshold <= len(members):
        raise _refusal("InvalidThreshold", threshold=threshold, validatorCount=len(members))


class ValidatorGovernance:
    """The governance half of :class:`tenge.bridge.client.BridgeClient` (which provides the members below)."""

    contract: Contract

    def validators(self) -> list[str]:  # pragma: no cover - BridgeClient's
        raise NotImplementedError

    def threshold(self) -> int:  # pragma: no cover - BridgeClient's
        raise NotImplementedError

    def _send(self, call: ContractFunction, description: str) -> TxResult:  # pragma: no cover - BridgeClient's
        raise NotImplementedError

    def validator_update_delay(self) -> int:
        """Seconds between scheduling a validator-set change and applying it (in force now)."""
        return int(self.contract.functions.validatorUpdateDelay().call())

    def pending_validator_update(self) -> PendingValidatorUpdate | None:
        """The scheduled change (read from its ValidatorUpdateScheduled event), or None."""
        _, executable_at, block = self.contract.functions.pendingValidatorUpdate().call()
        if int(executable_at) == 0:
            return None
        logs = self.contract.events.ValidatorUpdateScheduled().get_logs(from_block=int(block), to_block=int(block))
        args = logs[-1]["args"]  # the last one scheduled in that block is the one pending (one at a time)
        return PendingValidatorUpdate([str(a) for a in args["removed"]], [str(a) for a in args["added"]],
                                      int(args["threshold"]), int(executable_at), int(block))  # fmt: skip

    def update_validators(
        self, *, remove: Sequence[str] = (), add: Sequence[str] = (), threshold: int | None = None
    ) -> TxResult:
        """Remove, then add validators, then set the threshold (VALIDATOR_MANAGER_ROLE). The first set, or any
        change while the delay is 0, applies at once; otherwise the first call schedules it and the same call after
        the delay applies it. A change that does not fit the set is refused before sending."""
        removed, added = [checksum_address(a) for a in remove], [checksum_address(a) for a in add]
        new_threshold = self.threshold() if threshold is None else threshold
        if isinstance(new_threshold, bool) or not isinstance(new_threshold, int) or new_threshold < 1:
            raise InvalidInput(f"the threshold must be a whole number of at least 1, not {new_threshold!r}")
        current = self.validators()
        if current:
            check_change(current, removed, added, new_threshold)
        call = self.contract.functions.updateValidators(removed, added, new_threshold)
        return self._send(call, f"validators: remove {len(removed)}, add {len(added)}, threshold {new_threshold}")

    def cancel_validator_update(self) -> TxResult:
        """Drop the scheduled change (VALIDATOR_MANAGER_ROLE or PAUSER_ROLE)."""
        return self._send(self.contract.functions.cancelValidatorUpdate(), "cancel the scheduled validator change")

    def remove_validator(self, validator: str) -> TxResult:
        """Remove one validator at once, if the threshold still fits the smaller set (VALIDATOR_MANAGER_ROLE)."""
        validator = checksum_address(validator)
        return self._send(self.contract.functions.removeValidator(validator), f"remove validator {validator}")

    def set_validator_update_delay(self, seconds: int) -> TxResult:
        """Set the delay of validator-set changes (DEFAULT_ADMIN_ROLE); a shorter one applies only after the
        delay in force."""
        if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 <= seconds <= MAX_DELAY_SECONDS:
            raise InvalidInput(f"the delay is a whole number of seconds from 0 to {MAX_DELAY_SECONDS}, not {seconds!r}")
        return self._send(self.contract.functions.setValidatorUpdateDelay(seconds), f"validator update delay {seconds} s")
