"""Deploy steps of the offline purses contract, appended to the suite plan.

The contract holds the purses' locked tenge and the banks' guarantee deposits, so it is approved on the token's
uncapped business tier. Settings come from the ``[offline]`` table of the suite configuration (the settlement
grace period, the admin hand-over delay and the ISSUER_ROLE holders: ``"deployer"`` or addresses).
"""

from __future__ import annotations

from typing import Any

from tenge.addresses import checksum_address
from tenge.deploy.plan import Call, DeployContract, Ref, RoleId, Step
from tenge.deploy.suite_config import SuiteConfig

PURSES = "OfflinePurses"
TOKEN = "DigitalTenge"
VAT = "VatPayments"
DEFAULT_GRACE = 7 * 24 * 3600


def _settings(config: SuiteConfig) -> dict[str, Any]:
    raw = config.raw.get("offline", {})
    return raw if isinstance(raw, dict) else {}


def offline_steps(config: SuiteConfig, deployer: str) -> list[Step]:
    settings = _settings(config)
    delay = int(settings.get("admin_transfer_delay", config.vat.admin_transfer_delay))
    grace = int(settings.get("settlement_grace", DEFAULT_GRACE))
    roles = {role: list(holders) for role, holders in settings.get("roles", {"ISSUER_ROLE": ["deployer"]}).items()}
    steps: list[Step] = [
        DeployContract(PURSES, PURSES, (Ref(TOKEN), Ref(VAT), grace, delay, deployer)),
        Call("token:tier:OfflinePurses", TOKEN, TOKEN, "setTier", (Ref(PURSES), config.business_tier)),
    ]
    for role in sorted(roles):
        for holder in roles[role]:
            address = deployer if holder == "deployer" else checksum_address(holder)
            steps.append(Call(f"{PURSES}:grant:{role}:{address}", PURSES, PURSES, "grantRole", (RoleId(role), address)))
    return steps
