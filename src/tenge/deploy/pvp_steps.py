"""Deploy steps of the PvP settlement contract (cross-border payment versus payment), appended to the suite plan.

Every network gets one (like the programmes): it holds no tokens between transactions and settles nothing until
a corridor is opened. It is approved on the token's uncapped business tier (a bridge payment mints the payer's
tenge to it and it passes bought som on through the som bridge). Role holders come from the optional
``[pvp.roles]`` table (``"deployer"`` or addresses); by default the deployer holds CORRIDOR_ROLE and PAUSER_ROLE.

On a common platform — a BNB-side chain where more than one currency is bridged (``[suite.currencies]``) — the
contract is linked to every currency there (:func:`pvp_link_steps`): approved on each token, each BNB-side bridge
may deliver its own token with a payment payload (``setInboundBridge``), bought currency leaves over its own bridge
to its home ledger (``setForwarding``), and the corridors of ``[pvp.corridors]`` whose two currencies are both
there are opened: ``"KZT-KGS" = { daily_limit = "1000000.00" }`` (in the sell currency; ``tenge pvp limits --set``
changes one by hand).
"""

from __future__ import annotations

from typing import Any

from pathlib import Path

from tenge.addresses import checksum_address
from tenge.amounts import to_tiyn
from tenge.contracts import load_artifact
from tenge.deploy.bridge_config import BridgeConfigError
from tenge.deploy.plan import Call, Check, DeployContract, Ref, RoleId, Step
from tenge.deploy.record import DeploymentRecord, currency_prefix
from tenge.deploy.suite_config import SuiteConfig
from tenge.errors import InvalidAmount, InvalidInput

PVP = "PvPSettlement"
TOKEN = "DigitalTenge"
REMOTE_BRIDGE = "TengeBridgeRemote"

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


def corridors(config: SuiteConfig) -> dict[tuple[str, str], int]:
    """``[pvp.corridors]``: (sell code, buy code) -> daily limit in the sell currency's base units."""
    table = _settings(config).get("corridors", {})
    out: dict[tuple[str, str], int] = {}
    for name, entry in table.items():
        sell, _, buy = str(name).partition("-")
        if not sell or not buy or sell == buy:
            raise InvalidInput(f"pvp.corridors.{name}: name a corridor \"SELL-BUY\" by two currency codes, e.g. \"KZT-KGS\"")
        try:
            out[(sell, buy)] = to_tiyn(str(entry["daily_limit"]))
        except (InvalidAmount, KeyError) as exc:
            raise InvalidInput(f"pvp.corridors.{name}.daily_limit: {exc} (an amount of {sell}, e.g. \"1000000.00\")") from None
    return out


def pvp_link_steps(config: SuiteConfig, guests: list[SuiteConfig], records: Path | None = None) -> list[Step]:
    """On a common platform (``guests``: the other currencies bridged to ``config.network``): the settlement
    contract approved on each guest token, linked to each BNB-side bridge there, and the configured corridors
    between currencies both there opened. Nothing on a network with one currency."""
    if not guests:
        return []
    present = {config.currency: config, **{g.currency: g for g in guests}}
    steps: list[Step] = []
    for code, cfg in present.items():
        prefix = "" if cfg is config else currency_prefix(code)
        token = Ref(prefix + TOKEN)
        if prefix:
            steps.append(Call(f"{prefix}token:tier:{PVP}", prefix + TOKEN, TOKEN, "setTier", (Ref(PVP), cfg.business_tier),
                              check=Check("tierOf", (Ref(PVP),), cfg.business_tier, f"tier of {PVP} on the {code} token")))  # fmt: skip
        if cfg.bridge.role_of(cfg.network) != "remote":
            continue
        bridge = Ref(prefix + REMOTE_BRIDGE)
        home_chain = _home_chain_id(cfg, records)
        steps.append(Call(f"pvp:inbound:{code}", PVP, PVP, "setInboundBridge", (bridge, token),
                          check=Check("inboundBridgeToken", (bridge,), token, f"token the {code} bridge delivers to {PVP}")))
        steps.append(Call(f"pvp:forwarding:{code}", PVP, PVP, "setForwarding", (token, bridge, home_chain),
                          check=Check("forwarding", (token,), [bridge, home_chain], f"where {PVP} sends bought {code}")))  # fmt: skip
        if _has_function(REMOTE_BRIDGE, "setPayloadHandler"):  # bridge payloads: the bridge calls only this contract
            steps.append(Call(f"pvp:payload-handler:{code}", prefix + REMOTE_BRIDGE, REMOTE_BRIDGE, "setPayloadHandler",
                              (Ref(PVP),), check=Check("payloadHandler", (), Ref(PVP), f"payload handler of the {code} bridge")))  # fmt: skip
    for (sell, buy), limit in sorted(corridors(config).items()):
        if sell not in present or buy not in present:
            continue  # a corridor of another common platform
        refs = (Ref(("" if present[sell] is config else currency_prefix(sell)) + TOKEN),
                Ref(("" if present[buy] is config else currency_prefix(buy)) + TOKEN))
        # keyed by the limit: a changed limit is a new step (sent), an unchanged one is sent once
        steps.append(Call(f"pvp:corridor:{sell}-{buy}:{limit}", PVP, PVP, "setCorridorLimit", (*refs, limit)))
    return steps


def _has_function(artifact: str, name: str) -> bool:
    return any(item.get("type") == "function" and item.get("name") == name for item in load_artifact(artifact).abi)


def _home_chain_id(config: SuiteConfig, records: Path | None) -> int:
    if config.bridge.home_chain_id is not None:
        return config.bridge.home_chain_id
    record = DeploymentRecord.load(config.bridge.home, records)
    if record is None:
        raise BridgeConfigError(f"bridge: the {config.currency} home ledger {config.bridge.home!r} is not deployed yet: "
                                f"deploy it first (`tenge deploy --network {config.bridge.home}`)")  # fmt: skip
    return record.chain_id
