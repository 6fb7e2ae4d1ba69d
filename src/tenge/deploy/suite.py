"""The suite's deploy plan, built from :class:`~tenge.deploy.suite_config.SuiteConfig`.

Order: token implementation, token proxy (initialised in its constructor), roles, tier caps,
then the contracts built on the token. The deployer temporarily holds the roles that its
configuration steps need and renounces those the configuration did not give it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tenge.addresses import checksum_address
from tenge.deploy.bridge_steps import bridge_steps
from tenge.deploy.plan import Call, Check, DeployContract, DeployPlan, DeployProxy, LabelCheck, RateCheck, Ref, RoleId, Step
from tenge.deploy.offline_steps import offline_steps
from tenge.deploy.programme_steps import programme_steps
from tenge.deploy.namespace import namespaced
from tenge.deploy.pvp_steps import pvp_link_steps, pvp_steps
from tenge.deploy.record import currency_prefix
from tenge.deploy.suite_config import SuiteConfig, bridged_currencies

TOKEN = "DigitalTenge"
TOKEN_IMPLEMENTATION = "DigitalTengeImplementation"
VAT = "VatPayments"

#: Roles the deployer needs while it configures the suite.
SETUP_ROLES = ("COMPLIANCE_ROLE",)

#: Roles never granted on a BNB-side (remote) token: its reserve is the home escrow, attested by its bridge alone,
#: and minted against by that bridge alone (the token refuses a bank minter beside a bridge, ReserveMintersConflict).
REMOTE_SKIPPED_ROLES = ("ISSUER_ROLE", "MINTER_ROLE", "RESERVE_ATTESTOR_ROLE")


def _address(holder: str, deployer: str) -> str:
    return deployer if holder == "deployer" else checksum_address(holder)


def _holders(config: SuiteConfig, role: str, deployer: str) -> list[str]:
    return [_address(h, deployer) for h in config.roles.get(role, [])]


def _holds(role: str, holder: str, contract: str = "DigitalTenge") -> Check:
    return Check("hasRole", (RoleId(role), holder), True, f"{role} of {holder} on {contract}")


def token_steps(config: SuiteConfig, deployer: str, *, skip_roles: tuple[str, ...] = ()) -> list[Step]:
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
            checks=(
                Check("name", (), config.name, "token name"),
                Check("symbol", (), config.symbol, "token symbol"),
                Check("currency", (), config.currency, "token currency code"),
            ),
        ),
        # Set by the initializer; sent only to bring a deployed token back to the configuration.
        Call("token:reserveGating", TOKEN, "DigitalTenge", "setReserveGating",
             (config.reserve_gated, config.max_attestation_age),
             check=Check("reserveGating", (), [config.reserve_gated, config.max_attestation_age],
                         "reserve gating (enabled, max attestation age)"),
             only_if_differs=True),
    ]  # fmt: skip
    for role in SETUP_ROLES:
        steps.append(Call(f"setup:grant:{role}", TOKEN, "DigitalTenge", "grantRole", (RoleId(role), deployer)))
    for role in sorted(set(config.roles) - set(skip_roles)):
        for holder in _holders(config, role, deployer):
            if role in SETUP_ROLES and holder == deployer:
                continue  # already granted as a setup role above
            steps.append(Call(f"grant:{role}:{holder}", TOKEN, "DigitalTenge", "grantRole", (RoleId(role), holder),
                              check=_holds(role, holder)))  # fmt: skip
    for tier, cap in sorted(config.tier_caps_tiyn.items()):
        steps.append(Call(f"tierCap:{tier}", TOKEN, "DigitalTenge", "setTierCap", (tier, cap),
                          check=Check("tierCap", (tier,), cap, f"tier {tier} cap", amount=True)))  # fmt: skip
    return steps


def vat_steps(config: SuiteConfig, deployer: str) -> list[Step]:
    vat = config.vat
    steps: list[Step] = [
        DeployContract(VAT, "VatPayments", (Ref(TOKEN), vat.admin_transfer_delay, deployer)),
        # The VAT escrow holds tokens: an approved account on the uncapped business tier.
        Call("token:tier:VatPayments", TOKEN, "DigitalTenge", "setTier", (Ref(VAT), config.business_tier),
             check=Check("tierOf", (Ref(VAT),), config.business_tier, "tier of the VAT escrow")),
        Call("vat:setup:grant:TAX_AUTHORITY_ROLE", VAT, "VatPayments", "grantRole", (RoleId("TAX_AUTHORITY_ROLE"), deployer)),
    ]
    for role in sorted(vat.roles):
        for holder in vat.roles[role]:
            address = _address(holder, deployer)
            if role == "TAX_AUTHORITY_ROLE" and address == deployer:
                continue  # already granted as a setup role above
            steps.append(Call(f"vat:grant:{role}:{address}", VAT, "VatPayments", "grantRole", (RoleId(role), address),
                              check=_holds(role, address, "VatPayments")))  # fmt: skip
    for category in vat.categories:
        cid = category.category
        steps.append(Call(f"vat:label:{cid}", VAT, "VatPayments", "labelCategory", (cid, category.label),
                          check=LabelCheck(cid, category.label)))  # fmt: skip
        times = [effective_from for _, effective_from in category.schedule]
        for index, (bps, effective_from) in enumerate(category.schedule):
            later = times[index + 1] if index + 1 < len(times) else None
            steps.append(
                Call(f"vat:rate:{cid}:{effective_from}", VAT, "VatPayments", "scheduleRate", (cid, bps, effective_from),
                     check=RateCheck(cid, bps, effective_from, later))
            )  # fmt: skip
    treasury = _address(vat.treasury, deployer)
    # The treasury receives withdrawn VAT, so it must hold tokens: approved on the business tier.
    steps.append(Call(f"token:tier:treasury:{treasury}", TOKEN, "DigitalTenge", "setTier", (treasury, config.business_tier),
                      check=Check("tierOf", (treasury,), config.business_tier, "tier of the VAT treasury")))
    steps.append(Call("vat:treasury", VAT, "VatPayments", "setTreasury", (treasury,),
                      check=Check("treasury", (), treasury, "VAT treasury")))
    steps.append(Call("vat:reserve", VAT, "VatPayments", "setVatReserve", (vat.reserve_tiyn,),
                      check=Check("vatReserve", (), vat.reserve_tiyn, "VAT reserve", amount=True)))  # fmt: skip
    return steps


def token_finish_steps(config: SuiteConfig, deployer: str) -> list[Step]:
    return [
        Call(f"setup:renounce:{role}", TOKEN, "DigitalTenge", "renounceRole", (RoleId(role), deployer))
        for role in SETUP_ROLES
        if deployer not in _holders(config, role, deployer)
    ]


def finish_steps(config: SuiteConfig, deployer: str) -> list[Step]:
    steps = token_finish_steps(config, deployer)
    tax_authorities = [_address(h, deployer) for h in config.vat.roles.get("TAX_AUTHORITY_ROLE", [])]
    if deployer not in tax_authorities:
        steps.append(
            Call("vat:setup:renounce:TAX_AUTHORITY_ROLE", VAT, "VatPayments", "renounceRole",
                 (RoleId("TAX_AUTHORITY_ROLE"), deployer))
        )  # fmt: skip
    return steps


def suite_plan(
    config: SuiteConfig, deployer: str, *, chain_id: int | None = None, records: Path | None = None
) -> DeployPlan:
    """The plan for ``config.network``; ``chain_id`` (the RPC's) is checked against a remote bridge's configuration,
    ``records`` is where the other networks' deployment records are (for the bridges' peers)."""
    deployer = checksum_address(deployer)
    notes: list[str] = []
    # On a BNB-side chain the bridge is the only reserve attestor and the only minter: the reserve is the attested
    # home escrow. Whether a chain is BNB-side is its place in the bridge configuration, never its name: a token a
    # bridge mints on is reserve-gated whatever the network is called.
    remote = config.bridge.role_of(config.network) == "remote"
    config = _gated(config, notes) if remote else config
    steps = token_steps(config, deployer, skip_roles=REMOTE_SKIPPED_ROLES if remote else ())
    steps += vat_steps(config, deployer)
    steps += bridge_steps(
        config.bridge, config.network, deployer, config.business_tier, chain_id=chain_id, records=records, notes=notes
    )
    steps += programme_steps(config, deployer)
    steps += pvp_steps(config, deployer)
    steps += offline_steps(config, deployer)
    steps += finish_steps(config, deployer)
    # Every other currency bridged here (this is its BNB side): its token and bridge, under its record-key prefix.
    guests = bridged_currencies(config.network)
    for guest in guests:
        guest = _gated(guest, notes)
        own = token_steps(guest, deployer, skip_roles=REMOTE_SKIPPED_ROLES)
        own += bridge_steps(guest.bridge, guest.network, deployer, guest.business_tier, chain_id=chain_id,
                            records=records, notes=notes)  # fmt: skip
        steps += namespaced(own + token_finish_steps(guest, deployer), currency_prefix(guest.currency))
    steps += pvp_link_steps(config, guests, records)
    return DeployPlan("digital-tenge-suite", steps, notes)


def _gated(config: SuiteConfig, notes: list[str]) -> SuiteConfig:
    """A token a bridge mints on is reserve-gated whatever its configuration says (noted when it said otherwise)."""
    if config.reserve_gated:
        return config
    notes.append(
        f"token: reserve gating on — {config.network!r} is a bridge remote (bridge.remotes.{config.network}), "
        f"so its {config.currency} token is gated whatever [suite.network.{config.network}.token] reserve_gated says"
    )
    return dataclasses.replace(config, reserve_gated=True)
