"""Access-control rows of PvPSettlement (imported by access_matrix), and the world they run in (called by
access_world.build_world).

World: the deployer keeps DEFAULT_ADMIN_ROLE and hands CORRIDOR_ROLE to "pvp-corridor" and PAUSER_ROLE to
"pvp-pauser". No inbound bridge is configured, so nobody may deliver a bridge payment (UnknownInboundBridge).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from access_matrix import Row

# access_matrix imports this module while it is being built: its helpers are imported inside the functions.

PVP = "PvPSettlement"
ROLE_HOLDERS = {"CORRIDOR_ROLE": "pvp-corridor", "PAUSER_ROLE": "pvp-pauser"}


def pvp_rows() -> list["Row"]:
    from access_matrix import TOKEN, Row, _a, _admin_rows, _paused, bare, missing, naming_caller, role

    stranger, token, foreign = _a("stranger"), _a(TOKEN), _a("foreign")
    return [
        Row(PVP, "setCorridorLimit", lambda c: (token(c), foreign(c), 1_000_000), ("pvp-corridor",), "CORRIDOR_ROLE",
            missing("CORRIDOR_ROLE")),
        Row(PVP, "setInboundBridge", lambda c: (stranger(c), token(c)), ("token-admin",), "DEFAULT_ADMIN_ROLE",
            missing("DEFAULT_ADMIN_ROLE")),
        Row(PVP, "setForwarding", lambda c: (foreign(c), stranger(c), 97), ("token-admin",), "DEFAULT_ADMIN_ROLE",
            missing("DEFAULT_ADMIN_ROLE")),
        Row(PVP, "onBridgeDelivery", lambda c: (b"\x01" * 32, 1, stranger(c), 100, b""), (),
            "only a configured inbound bridge (the tenge bridge, setInboundBridge), in the delivery transaction",
            naming_caller("UnknownInboundBridge", "caller")),
        Row(PVP, "pause", lambda c: (), ("pvp-pauser",), "PAUSER_ROLE", missing("PAUSER_ROLE")),
        Row(PVP, "unpause", lambda c: (), ("pvp-pauser",), "PAUSER_ROLE", missing("PAUSER_ROLE"),
            setup=_paused("pvp-pauser", PVP)),
        Row(PVP, "grantRole", lambda c: (role("CORRIDOR_ROLE"), stranger(c)), ("token-admin",), "DEFAULT_ADMIN_ROLE",
            missing("DEFAULT_ADMIN_ROLE"), "CORRIDOR_ROLE"),
        Row(PVP, "revokeRole", lambda c: (role("CORRIDOR_ROLE"), c.address("pvp-corridor")), ("token-admin",),
            "DEFAULT_ADMIN_ROLE", missing("DEFAULT_ADMIN_ROLE"), "CORRIDOR_ROLE"),
        Row(PVP, "renounceRole", lambda c: (role("PAUSER_ROLE"), c.address("pvp-pauser")), ("pvp-pauser",),
            "the holder itself", bare("AccessControlBadConfirmation"), "PAUSER_ROLE"),
        *_admin_rows(PVP, "token-admin"),
    ]  # fmt: skip


PVP_PUBLIC: dict[str, dict[str, str]] = {
    PVP: {
        "pay": "the payer's own money (its allowance) against the LP's EIP-712 signed quote (single use, expiry, "
        "maximum, corridor limit); each token's own rules apply to its leg",
        "settle": "both banks' EIP-712 signatures over the trade (single use, expiry, corridor limit)",
        "cancel": "the caller's own nonce (its quotes or trades)",
        "unwind": "only a recorded bridge payment whose onward transfer its bridge refunded, cancelled or rejected "
        "(once): the LP gets its own currency back and returns the payer's, which goes home to the payer",
    },
}


def build_pvp(world: Any) -> None:
    from access_matrix import role

    a, admin = world.address, world.deployer.address
    for role_name, holder in ROLE_HOLDERS.items():
        world.send("token-admin", PVP, "grantRole", role(role_name), a(holder))
        world.send("token-admin", PVP, "renounceRole", role(role_name), admin)
