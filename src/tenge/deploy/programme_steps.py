"""Deploy steps of purpose-bound programmes and reward pools, appended to the suite plan.

Both contracts hold tenge, so each is approved on the token's uncapped business tier. Role holders come
from the optional ``[programmes.roles]`` table of the suite configuration (``"deployer"`` or addresses);
by default the deployer holds SPONSOR_ROLE and PAUSER_ROLE of both. Nothing else in the suite changes.
"""

from __future__ import annotations

from typing import Any

from tenge.addresses import checksum_address
from tenge.deploy.plan import Call, DeployContract, Ref, RoleId, Step
from tenge.deploy.suite_config import SuiteConfig

PROGRAMMES = "PurposeBoundProgrammes"
REWARDS = "RewardPools"
TOKEN = "DigitalTenge"
VAT = "VatPayments"

DEFAULT_ROLES: dict[str, list[str]] = {"SPONSOR_ROLE": ["deployer"], "PAUSER_ROLE": ["deployer"]}
DEFAULT_URI = "https://tenge.example/programmes/{id}.json"


def _settings(config: SuiteConfig) -> dict[str, Any]:
    raw = config.raw.get("programmes", {})
    return raw if isinstance(raw, dict) else {}


def programme_steps(config: SuiteConfig, deployer: str) -> list[Step]:
    settings = _settings(config)
    delay = int(settings.get("admin_transfer_delay", config.vat.admin_transfer_delay))
    uri = str(settings.get("uri", DEFAULT_URI))
    roles = {role: list(holders) for role, holders in settings.get("roles", DEFAULT_ROLES).items()}
    steps: list[Step] = [
        DeployContract(PROGRAMMES, PROGRAMMES, (Ref(VAT), delay, deployer, uri)),
        Call("token:tier:PurposeBoundProgrammes", TOKEN, TOKEN, "setTier", (Ref(PROGRAMMES), config.business_tier)),
        DeployContract(REWARDS, REWARDS, (Ref(TOKEN), delay, deployer)),
        Call("token:tier:RewardPools", TOKEN, TOKEN, "setTier", (Ref(REWARDS), config.business_tier)),
    ]
    for role in sorted(roles):
        for holder in roles[role]:
            address = deployer if holder == "deployer" else checksum_address(holder)
            for key in (PROGRAMMES, REWARDS):
                steps.append(Call(f"{key}:grant:{role}:{address}", key, key, "grantRole", (RoleId(role), address)))
    return steps
