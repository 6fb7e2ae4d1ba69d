"""Access-control rows of PurposeBoundProgrammes and RewardPools (imported by access_matrix), and the
world they run in (called by access_world.build_world).

World: the deployer keeps DEFAULT_ADMIN_ROLE of both contracts and hands SPONSOR_ROLE to "sponsor" and
PAUSER_ROLE to "programme-pauser". The sponsor runs programme 1 (funded, the stranger holds vouchers),
programme 2 (expires within the hour: for reclaim) and reward pool 1 (funded); the programmes contract
holds a small surplus (tenge sent to it directly) for assignSurplus.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from access_matrix import Ctx, Row

# access_matrix imports this module while it is being built: its helpers are imported inside the functions.

PROGRAMMES = "PurposeBoundProgrammes"
REWARDS = "RewardPools"
SCHOOL_MEALS = 1
HOUR = 3600


def _terms(ctx: "Ctx") -> tuple[Any, ...]:
    from access_matrix import LEGAL_REFERENCE

    return (1 << SCHOOL_MEALS, 0, ctx.block_time() + 30 * 86400, 0, False, LEGAL_REFERENCE)


def _after_expiry(ctx: "Ctx") -> None:
    ctx.advance(2 * HOUR)


def programme_rows() -> list["Row"]:
    from access_matrix import LEGAL_REFERENCE, Row, _a, _admin_rows, _paused, bare, missing, naming_caller, role

    stranger = _a("stranger")
    sponsor_only = naming_caller("NotSponsor", "caller", programmeId=1)
    compliance = naming_caller("NotCompliance", "caller")
    pool_sponsor = naming_caller("NotPoolSponsor", "caller", poolId=1)
    rows = [
        Row(PROGRAMMES, "createProgramme", lambda c: (_terms(c),), ("sponsor",), "SPONSOR_ROLE", missing("SPONSOR_ROLE")),
        Row(PROGRAMMES, "fund", lambda c: (1, 100), ("sponsor",), "the programme's sponsor, still holding SPONSOR_ROLE", sponsor_only),
        Row(PROGRAMMES, "allocate", lambda c: (1, [stranger(c)], [100]), ("sponsor",), "the programme's sponsor, still holding SPONSOR_ROLE",
            sponsor_only),
        Row(PROGRAMMES, "withdrawUnallocated", lambda c: (1, 100), ("sponsor",), "the programme's sponsor, still holding SPONSOR_ROLE", sponsor_only),
        Row(PROGRAMMES, "reclaim", lambda c: (2,), ("sponsor",), "the programme's sponsor, still holding SPONSOR_ROLE, after expiry",
            naming_caller("NotSponsor", "caller", programmeId=2), setup=_after_expiry),
        Row(PROGRAMMES, "seizeVouchers", lambda c: (1, stranger(c), 10, LEGAL_REFERENCE), ("compliance",),
            "the token's COMPLIANCE_ROLE", compliance),
        Row(PROGRAMMES, "recoverVouchers", lambda c: ([1], stranger(c), c.address("newkey"), LEGAL_REFERENCE),
            ("compliance",), "the token's COMPLIANCE_ROLE", compliance),
        Row(PROGRAMMES, "assignSurplus", lambda c: (1, 10, LEGAL_REFERENCE), ("token-admin",), "DEFAULT_ADMIN_ROLE",
            missing("DEFAULT_ADMIN_ROLE")),
        Row(PROGRAMMES, "pause", lambda c: (), ("programme-pauser",), "PAUSER_ROLE", missing("PAUSER_ROLE")),
        Row(PROGRAMMES, "unpause", lambda c: (), ("programme-pauser",), "PAUSER_ROLE", missing("PAUSER_ROLE"),
            setup=_paused("programme-pauser", PROGRAMMES)),
        Row(REWARDS, "createPool", lambda c: (stranger(c), 100, 1000, LEGAL_REFERENCE), ("sponsor",), "SPONSOR_ROLE",
            missing("SPONSOR_ROLE")),
        Row(REWARDS, "fund", lambda c: (1, 100), ("sponsor",), "the pool's sponsor, still holding SPONSOR_ROLE", pool_sponsor),
        Row(REWARDS, "setAttester", lambda c: (1, stranger(c)), ("sponsor",), "the pool's sponsor, still holding SPONSOR_ROLE", pool_sponsor),
        Row(REWARDS, "setPoolPaused", lambda c: (1, True), ("sponsor",), "the pool's sponsor, still holding SPONSOR_ROLE", pool_sponsor),
        Row(REWARDS, "close", lambda c: (1,), ("sponsor",), "the pool's sponsor, still holding SPONSOR_ROLE", pool_sponsor),
        Row(REWARDS, "pause", lambda c: (), ("programme-pauser",), "PAUSER_ROLE", missing("PAUSER_ROLE")),
        Row(REWARDS, "unpause", lambda c: (), ("programme-pauser",), "PAUSER_ROLE", missing("PAUSER_ROLE"),
            setup=_paused("programme-pauser", REWARDS)),
    ]
    for contract in (PROGRAMMES, REWARDS):
        rows += [
            Row(contract, "grantRole", lambda c: (role("SPONSOR_ROLE"), stranger(c)), ("token-admin",),
                "DEFAULT_ADMIN_ROLE", missing("DEFAULT_ADMIN_ROLE"), "SPONSOR_ROLE"),
            Row(contract, "revokeRole", lambda c: (role("SPONSOR_ROLE"), c.address("sponsor")), ("token-admin",),
                "DEFAULT_ADMIN_ROLE", missing("DEFAULT_ADMIN_ROLE"), "SPONSOR_ROLE"),
            Row(contract, "renounceRole", lambda c: (role("SPONSOR_ROLE"), c.address("sponsor")), ("sponsor",),
                "the holder itself", bare("AccessControlBadConfirmation"), "SPONSOR_ROLE"),
            *_admin_rows(contract, "token-admin"),
        ]
    return rows  # fmt: skip


PROGRAMME_PUBLIC: dict[str, dict[str, str]] = {
    "PurposeBoundProgrammes": {
        "spend": "the caller spends its own vouchers; purpose, window, limit, KYC and freeze rules apply",
        "spendWithAuthorization": "the beneficiary's EIP-712 signature, bound to merchant, amount and invoice",
        "safeTransferFrom": "the holder's own vouchers (or an operator it approved); transferable programmes only",
        "safeBatchTransferFrom": "as safeTransferFrom",
        "setApprovalForAll": "the caller's own ERC-1155 operator approval",
    },
    "RewardPools": {
        "claim": "the pool attester's EIP-712 signature, before its deadline; each (beneficiary, period) once, within caps"
    },
}

ROLE_HOLDERS = {"SPONSOR_ROLE": "sponsor", "PAUSER_ROLE": "programme-pauser"}


def build_programmes(world: Any) -> None:
    from access_matrix import LEGAL_REFERENCE, TOKEN, role

    a, admin = world.address, world.deployer.address
    for contract in (PROGRAMMES, REWARDS):
        for role_name, holder in ROLE_HOLDERS.items():
            world.send("token-admin", contract, "grantRole", role(role_name), a(holder))
            world.send("token-admin", contract, "renounceRole", role(role_name), admin)
    world.send("minter", TOKEN, "mint", a("sponsor"), 500_000)
    world.send("sponsor", TOKEN, "approve", a(PROGRAMMES), 2**256 - 1)
    world.send("sponsor", TOKEN, "approve", a(REWARDS), 2**256 - 1)
    world.send("sponsor", PROGRAMMES, "createProgramme", _terms(world))
    world.send("sponsor", PROGRAMMES, "fund", 1, 10_000)
    world.send("sponsor", PROGRAMMES, "allocate", 1, [a("stranger")], [1_000])
    expiring = (1 << SCHOOL_MEALS, 0, world.block_time() + HOUR, 0, False, LEGAL_REFERENCE)
    world.send("sponsor", PROGRAMMES, "createProgramme", expiring)
    world.send("sponsor", PROGRAMMES, "fund", 2, 1_000)
    world.send("stranger", TOKEN, "transfer", a(PROGRAMMES), 100)  # surplus for assignSurplus
    world.send("sponsor", REWARDS, "createPool", a("stranger"), 100, 1_000, LEGAL_REFERENCE)
    world.send("sponsor", REWARDS, "fund", 1, 10_000)
