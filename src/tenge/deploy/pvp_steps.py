"""Deploy steps of the PvP settlement contract (cross-border payment versus payment), appended to the suite plan.

Every network gets one (like the programmes): it holds no tokens between transactions and settles nothing until
a corridor is opened. It is approved on the token's uncapped business tier (a bridge payment mints the payer's
tenge to it and it passes bought som on through the som bridge). Role holders come from the optional
``[pvp.roles]`` table (``"deployer"`` or addresses); by default the deployer holds CORRIDOR_ROLE and PAUSER_ROLE.
Corridors to a second currency deployed on the same chain (another network name, e.g. the digital som) are
opened by ``tenge pvp limits --set`` once both tokens are deployed (see the README's cross-border section).
"""

from __future__ import annotations

from typing import Any

from tenge.addresses import checksum_address
from tenge.deploy.plan import Call, Check, DeployContract, Ref, RoleId, Step
from tenge.deploy.suite_config import SuiteConfig

PVP = "PvPSettlement"
TOKEN = "DigitalTenge"

DEFAULT_ROLES: dict[str, list[str]] = {"CORRIDOR_ROLE": ["deployer"], "PAUSER_ROLE": ["deployer"]}


def _settings(config: SuiteConfig) -> dict[str, Any]:
    raw = config.raw.get("pvp", {})
    return raw if isinstance(raw, dict) else {}


def pvp_steps(config: SuiteConfig, deployer: str) -> list[Step]:
    settings = _settings(config)
    delay = int(settings.get("admin_transfer_delay", config.admin_transfer_delay))
    roles = {role: list(holders) for role, holders in settings.get("roles", DEFAULT_ROLES).items()}
    steps: list[Step] = [
        DeployContract(PVP, PVP, (deployer, delay)),
        Call("token:tier:PvPSettlement", TOKEN, TOKEN, "setTier", (Ref(PVP), config.business_tier),
             check=Check("tierOf", (Ref(PVP),), config.business_tier, "tier of the PvP settlement contract")),
    ]  # fmt: skip
    for role in sorted(roles):
        for holder in roles[role]:
            address = deployer if holder == "deployer" else checksum_address(holder)
            steps.append(Call(f"{PVP}:grant:{role}:{address}", PVP, PVP, "grantRole", (RoleId(role), address),
                              check=Check("hasRole", (RoleId(role), address), True, f"{role} of {address} on {PVP}")))  # fmt: skip
    return steps
