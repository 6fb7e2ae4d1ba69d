"""The suite's deploy plan, built from :class:`~tenge.deploy.suite_config.SuiteConfig`.

Order: token implementation, token proxy (initialised in its constructor), roles, tier caps,
then the contracts built on the token. The deployer temporarily holds the roles that its
configuration steps need and renounces those the configuration did not give it.
"""

from __future__ import annotations

from tenge.addresses import checksum_address
from tenge.deploy.plan import Call, DeployContract, DeployPlan, DeployProxy, RoleId, Step
from tenge.deploy.suite_config import SuiteConfig

TOKEN = "DigitalTenge"
TOKEN_IMPLEMENTATION = "DigitalTengeImplementation"

#: Roles the deployer needs while it configures the suite.
SETUP_ROLES = ("COMPLIANCE_ROLE",)


def _holders(config: SuiteConfig, role: str, deployer: str) -> list[str]:
    return [deployer if h == "deployer" else checksum_address(h) for h in config.roles.get(role, [])]


def token_steps(config: SuiteConfig, deployer: str) -> list[Step]:
    steps: list[Step] = [
        DeployContract(TOKEN_IMPLEMENTATION, "DigitalTenge"),
        DeployProxy(
            TOKEN,
            TOKEN_IMPLEMENTATION,
            "initialize",
            (
                config.name,
                config.symbol,
                config.currency,
                deployer,
                config.admin_transfer_delay,
                config.reserve_gated,
                config.max_attestation_age,
            ),
        ),
    ]
    for role in SETUP_ROLES:
        steps.append(Call(f"setup:grant:{role}", TOKEN, "DigitalTenge", "grantRole", (RoleId(role), deployer)))
    for role in sorted(config.roles):
        for holder in _holders(config, role, deployer):
            steps.append(Call(f"grant:{role}:{holder}", TOKEN, "DigitalTenge", "grantRole", (RoleId(role), holder)))
    for tier, cap in sorted(config.tier_caps_tiyn.items()):
        steps.append(Call(f"tierCap:{tier}", TOKEN, "DigitalTenge", "setTierCap", (tier, cap)))
    return steps


def finish_steps(config: SuiteConfig, deployer: str) -> list[Step]:
    return [
        Call(f"setup:renounce:{role}", TOKEN, "DigitalTenge", "renounceRole", (RoleId(role), deployer))
        for role in SETUP_ROLES
        if deployer not in _holders(config, role, deployer)
    ]


def suite_plan(config: SuiteConfig, deployer: str) -> DeployPlan:
    deployer = checksum_address(deployer)
    steps = token_steps(config, deployer)
    steps += finish_steps(config, deployer)
    return DeployPlan("digital-tenge-suite", steps)
