"""Access-control rows of OfflinePurses (imported by access_matrix), and the world they run in (called by
access_world.build_world).

World: the deployer keeps DEFAULT_ADMIN_ROLE and hands the purses' ISSUER_ROLE to "issuer" (the token's issuer
account doubles as a purse bank), sets its limits (reach 1: no deposit reservation) and has it deposit a guarantee;
the stranger opens purse PURSE_ID with a certificate the issuer signed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from access_matrix import Row

PURSES = "OfflinePurses"
PURSE_ID = b"\x5a" * 32
DAY = 86400


def offline_rows() -> list["Row"]:
    from access_matrix import Row, _a, _admin_rows, bare, missing, naming_caller, role

    stranger = _a("stranger")
    party = naming_caller("NotPurseParty", "caller", purseId="0x" + PURSE_ID.hex())
    return [
        Row(PURSES, "setBankLimits", lambda c: (c.address("issuer"), 100_000, DAY, 3, 2), ("token-admin",),
            "DEFAULT_ADMIN_ROLE (the central bank)", missing("DEFAULT_ADMIN_ROLE")),
        Row(PURSES, "setSettlementGrace", lambda c: (2 * DAY,), ("token-admin",), "DEFAULT_ADMIN_ROLE",
            missing("DEFAULT_ADMIN_ROLE")),
        Row(PURSES, "depositGuarantee", lambda c: (100,), ("issuer",), "ISSUER_ROLE (a bank, its own tenge)",
            missing("ISSUER_ROLE")),
        Row(PURSES, "revokePurse", lambda c: (PURSE_ID,), ("issuer",), "the purse's issuing bank", party),
        Row(PURSES, "requestClose", lambda c: (PURSE_ID,), ("stranger",), "the purse's holder", party),
        Row(PURSES, "grantRole", lambda c: (role("ISSUER_ROLE"), stranger(c)), ("token-admin",), "DEFAULT_ADMIN_ROLE",
            missing("DEFAULT_ADMIN_ROLE"), "ISSUER_ROLE"),
        Row(PURSES, "revokeRole", lambda c: (role("ISSUER_ROLE"), c.address("issuer")), ("token-admin",),
            "DEFAULT_ADMIN_ROLE", missing("DEFAULT_ADMIN_ROLE"), "ISSUER_ROLE"),
        Row(PURSES, "renounceRole", lambda c: (role("ISSUER_ROLE"), c.address("issuer")), ("issuer",),
            "the holder itself", bare("AccessControlBadConfirmation"), "ISSUER_ROLE"),
        *_admin_rows(PURSES, "token-admin"),
    ]  # fmt: skip


OFFLINE_PUBLIC: dict[str, dict[str, str]] = {
    "OfflinePurses": {
        "openPurse": "a bank's EIP-712 certificate within its limits; locks the caller's own tenge",
        "settleBatch": "each payment's device signature, to the signed merchant only; settled once, within the "
        "purse and its bank's reservation",
        "closePurse": "returns the rest only to the purse's holder, only after expiry (or revocation) + grace",
        "withdrawGuarantee": "only the caller's own deposit, only its part not reserved for open purses",
    },
}


def build_offline(world: Any) -> None:
    from access_matrix import TOKEN, role
    from eth_account import Account

    from tenge.offline.types import PurseCertificate, PurseDomain, sign_certificate

    a, admin = world.address, world.deployer.address
    world.send("token-admin", PURSES, "grantRole", role("ISSUER_ROLE"), a("issuer"))
    world.send("token-admin", PURSES, "renounceRole", role("ISSUER_ROLE"), admin)
    world.send("token-admin", PURSES, "setBankLimits", a("issuer"), 100_000, 7 * DAY, 3, 1)
    world.send("compliance", TOKEN, "setTier", a("issuer"), 3)
    world.send("minter", TOKEN, "mint", a("issuer"), 10_000)
    world.send("minter", TOKEN, "mint", a("stranger"), 10_000)
    world.send("issuer", TOKEN, "approve", a(PURSES), 2**256 - 1)
    world.send("stranger", TOKEN, "approve", a(PURSES), 2**256 - 1)
    world.send("issuer", PURSES, "depositGuarantee", 1_000)
    domain = PurseDomain(int(world.w3.eth.chain_id), a(PURSES))
    device = Account.from_key(b"\x01" * 32).address
    cert = PurseCertificate(PURSE_ID, device, 1_000, world.block_time() + 3 * DAY, a("issuer"))
    signed = sign_certificate(cert, domain, bytes(world.account("issuer").key))
    c = signed.certificate
    world.send("stranger", PURSES, "openPurse", (c.purse_id, c.device, c.amount, c.expiry, c.bank), signed.signature)
