"""The suite's access-control matrix: who may call each state-changing function of each contract.

One table, three uses:

* ``test_access_matrix.py`` calls every row from every caller below (each a distinct account) and
  checks that exactly the intended callers get through and everyone else gets the expected custom error;
* the ABI gate fails when a contract of the suite has a state-changing function that is neither in
  :data:`ROWS` nor in :data:`PUBLIC_BY_DESIGN` (so a new contract or function cannot slip through);
* README.md's "Access control" section is rendered from it, and a test fails when it drifts:

      .venv/bin/python tests/gates/access_matrix.py --write-readme   # rewrite the README section
      .venv/bin/python tests/gates/access_matrix.py --markdown       # print it

Adding a contract means adding its rows (and its callers, if it brings new roles) here; nothing else.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tenge.contracts import artifact_names, load_artifact
from tenge.deploy.plan import DeployContract, DeployProxy, RoleId
from tenge.deploy.suite import suite_plan
from tenge.deploy.suite_config import load_suite_config

TOKEN = "DigitalTenge"
TOKEN_IMPLEMENTATION = "DigitalTengeImplementation"
VAT = "VatPayments"
HOME_BRIDGE = "TengeBridgeHome"
REMOTE_BRIDGE = "TengeBridgeRemote"
#: The chains the bridges of the matrix world talk to (the remote bridge's home is a stand-in chain id).
PEER_CHAIN = 97
REMOTE_HOME_CHAIN = 1

README = Path(__file__).resolve().parents[2] / "README.md"
START_MARKER = "<!-- access-matrix:start -->"
END_MARKER = "<!-- access-matrix:end -->"
REGENERATE = ".venv/bin/python tests/gates/access_matrix.py --write-readme"

#: The merchant and payment the VAT rows act on (set up by access_world.build_world).
MERCHANT_ID = 1
INVOICE = b"ACCESS-MATRIX-1".ljust(32, b"\x00")
LEGAL_REFERENCE = b"court order 42".ljust(32, b"\x00")
NEW_CATEGORY = 9
MAX_UINT256 = 2**256 - 1


class Ctx(Protocol):
    """What a row needs from the world it runs in (see access_world.MatrixWorld)."""

    def address(self, name: str) -> str:
        """A caller's address, a fixture account (``holder``, ``newkey``) or a contract (record key, ``foreign``)."""
        ...

    def block_time(self) -> int: ...

    def advance(self, seconds: int) -> None: ...

    def send(self, caller: str, contract: str, function: str, *args: Any) -> object: ...

    def view(self, contract: str, function: str, *args: Any) -> Any: ...

    def deploy(self, caller: str, artifact: str, *args: Any) -> str:
        """Deploys ``artifact`` from ``caller`` (in the row's snapshot); returns its address."""
        ...

    def send_to(self, caller: str, address: str, artifact: str, function: str, *args: Any) -> object:
        """Calls ``function`` of the ``artifact`` contract at ``address`` (not in the record) from ``caller``."""
        ...


@dataclass(frozen=True)
class Caller:
    key: str
    holds: str


#: Every caller of every row: one account per role of each contract, the special holders, and a stranger.
CALLERS: tuple[Caller, ...] = (
    Caller("token-admin", "DigitalTenge DEFAULT_ADMIN_ROLE (the deployer)"),
    Caller("issuer", "DigitalTenge ISSUER_ROLE; OfflinePurses ISSUER_ROLE (a purse bank)"),
    Caller("minter", "DigitalTenge MINTER_ROLE (a bank, with a mint allowance)"),
    Caller("compliance", "DigitalTenge COMPLIANCE_ROLE"),
    Caller("token-pauser", "DigitalTenge PAUSER_ROLE"),
    Caller("attestor", "DigitalTenge RESERVE_ATTESTOR_ROLE"),
    Caller("upgrader", "DigitalTenge UPGRADER_ROLE"),
    Caller("vat-admin", "VatPayments DEFAULT_ADMIN_ROLE"),
    Caller("tax-authority", "VatPayments TAX_AUTHORITY_ROLE"),
    Caller("registrar", "VatPayments REGISTRAR_ROLE"),
    Caller("vat-pauser", "VatPayments PAUSER_ROLE"),
    Caller("token-bridge", "DigitalTenge TOKEN_BRIDGE_ROLE"),
    Caller("bridge-admin", "TengeBridgeHome and TengeBridgeRemote DEFAULT_ADMIN_ROLE"),
    Caller("validator-manager", "TengeBridgeHome and TengeBridgeRemote VALIDATOR_MANAGER_ROLE"),
    Caller("rate-limiter", "TengeBridgeHome and TengeBridgeRemote RATE_LIMITER_ROLE"),
    Caller("bridge-pauser", "TengeBridgeHome and TengeBridgeRemote PAUSER_ROLE"),
    Caller("treasury", "the VatPayments treasury"),
    Caller("payout", f"merchant {MERCHANT_ID}'s payout address"),
    Caller("sponsor", "PurposeBoundProgrammes and RewardPools SPONSOR_ROLE (sponsor of programmes 1-2, pool 1)"),
    Caller("programme-pauser", "PurposeBoundProgrammes and RewardPools PAUSER_ROLE"),
    Caller("pvp-corridor", "PvPSettlement CORRIDOR_ROLE"),
    Caller("pvp-pauser", "PvPSettlement PAUSER_ROLE"),
    Caller("stranger", "no role: a KYC-approved holder who paid merchant 1"),
)
CALLER_KEYS = tuple(c.key for c in CALLERS)


# --- expected refusals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Denial:
    """The custom error a refused caller gets: its name, how the README shows it, and its arguments."""

    error: str
    shown: str
    args: Callable[[Ctx, str], dict[str, Any]]


def missing(role: str) -> Denial:
    """OpenZeppelin's ``AccessControlUnauthorizedAccount(caller, role)``."""
    return Denial(
        "AccessControlUnauthorizedAccount",
        f"AccessControlUnauthorizedAccount(caller, {role})",
        lambda ctx, caller: {"account": caller, "neededRole": role},  # decoded by name, not as its hash
    )


def naming_caller(error: str, argument: str, **fixed: Any) -> Denial:
    """An error whose ``argument`` is the caller (plus fixed arguments)."""
    shown = ", ".join([*(f"{v}" for v in fixed.values()), "caller"])
    return Denial(error, f"{error}({shown})", lambda ctx, caller: {**fixed, argument: caller})


def bare(error: str) -> Denial:
    return Denial(error, f"{error}()", lambda ctx, caller: {})


# --- rows ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    contract: str  # deployment record key
    function: str  # ABI function name
    args: Callable[[Ctx], tuple[Any, ...]]
    may: tuple[str, ...]  # the callers that succeed (empty: nobody)
    rule: str  # who may call, as the README says it
    denial: Denial
    variant: str = ""  # shown after the function name, e.g. the role a grantRole row grants
    setup: Callable[[Ctx], None] | None = None
    #: callers refused with another error than ``denial`` (e.g. the admin granting the admin role)
    special: tuple[tuple[str, Denial], ...] = ()

    @property
    def id(self) -> str:
        variant = f"[{self.variant}]" if self.variant else ""
        return f"{self.contract}.{self.function}{variant}"

    def denial_for(self, caller: str) -> Denial:
        return dict(self.special).get(caller, self.denial)


def _a(name: str) -> Callable[[Ctx], str]:
    return lambda ctx: ctx.address(name)


def role(name: str) -> bytes:
    return RoleId(name).value()


def _book_entry(c: Ctx) -> tuple[int, str, int, int]:
    """Invoice 1 of merchant 1's book as the stranger paid it (access_world), the first of its page."""
    _net, _vat, rate_bps, _category = c.view(VAT, "quote", MERCHANT_ID, 1_000, 0)
    return (1, c.address("stranger"), 1_000, int(rate_bps))


def _paused(caller: str, contract: str) -> Callable[[Ctx], None]:
    def setup(ctx: Ctx) -> None:
        ctx.send(caller, contract, "pause")

    return setup


def _scheduled_validator_change(contract: str) -> Callable[[Ctx], None]:
    """A validator change is scheduled (waiting out the governance delay)."""

    def setup(ctx: Ctx) -> None:
        ctx.send("validator-manager", contract, "updateValidators", [], [ctx.address("stranger")], 1)

    return setup


def _pending_admin(admin: str, contract: str) -> Callable[[Ctx], None]:
    """The stranger is the pending admin and its delay has passed."""

    def setup(ctx: Ctx) -> None:
        ctx.send(admin, contract, "beginDefaultAdminTransfer", ctx.address("stranger"))
        _, schedule = ctx.view(contract, "pendingDefaultAdmin")
        ctx.advance(int(schedule) - ctx.block_time() + 1)

    return setup


def _pending_rate_change(ctx: Ctx) -> None:
    ctx.send("tax-authority", VAT, "scheduleRate", NEW_CATEGORY, 500, ctx.block_time() + 30 * 86400)


def _admin_rows(contract: str, admin: str) -> list[Row]:
    """The AccessControlDefaultAdminRules functions every contract of the suite has."""
    admin_only = missing("DEFAULT_ADMIN_ROLE")
    stranger = _a("stranger")
    return [
        Row(contract, "grantRole", lambda c: (role("DEFAULT_ADMIN_ROLE"), c.address("stranger")), (),
            "nobody (the admin moves only by the two-step hand-over)", bare("AccessControlEnforcedDefaultAdminRules"),
            "DEFAULT_ADMIN_ROLE"),
        Row(contract, "beginDefaultAdminTransfer", lambda c: (stranger(c),), (admin,), "DEFAULT_ADMIN_ROLE", admin_only),
        Row(contract, "cancelDefaultAdminTransfer", lambda c: (), (admin,), "DEFAULT_ADMIN_ROLE", admin_only),
        Row(contract, "changeDefaultAdminDelay", lambda c: (3600,), (admin,), "DEFAULT_ADMIN_ROLE", admin_only),
        Row(contract, "rollbackDefaultAdminDelay", lambda c: (), (admin,), "DEFAULT_ADMIN_ROLE", admin_only),
        Row(contract, "acceptDefaultAdminTransfer", lambda c: (), ("stranger",),
            "the pending admin, after the delay", naming_caller("AccessControlInvalidDefaultAdmin", "defaultAdmin"),
            setup=_pending_admin(admin, contract)),
    ]  # fmt: skip


def _token_rows() -> list[Row]:
    holder, stranger, minter, payout = _a("holder"), _a("stranger"), _a("minter"), _a("payout")
    compliance = missing("COMPLIANCE_ROLE")
    return [
        Row(TOKEN, "setMinterAllowance", lambda c: (minter(c), 500_000), ("issuer",), "ISSUER_ROLE", missing("ISSUER_ROLE")),
        Row(TOKEN, "mint", lambda c: (holder(c), 100), ("minter",), "MINTER_ROLE (within its allowance)", missing("MINTER_ROLE")),
        Row(TOKEN, "batchMint", lambda c: ([holder(c), stranger(c)], [100, 200]), ("minter",),
            "MINTER_ROLE (within its allowance)", missing("MINTER_ROLE")),
        Row(TOKEN, "burn", lambda c: (100,), ("minter",), "MINTER_ROLE (its own holdings)", missing("MINTER_ROLE")),
        Row(TOKEN, "setTier", lambda c: (stranger(c), 2), ("compliance",), "COMPLIANCE_ROLE", compliance),
        Row(TOKEN, "setTierCap", lambda c: (1, 60_000_000), ("compliance",), "COMPLIANCE_ROLE", compliance),
        Row(TOKEN, "freeze", lambda c: (holder(c),), ("compliance",), "COMPLIANCE_ROLE", compliance),
        Row(TOKEN, "unfreeze", lambda c: (holder(c),), ("compliance",), "COMPLIANCE_ROLE", compliance),
        Row(TOKEN, "freezeAmount", lambda c: (holder(c), 100), ("compliance",), "COMPLIANCE_ROLE", compliance),
        Row(TOKEN, "unfreezeAmount", lambda c: (holder(c), 100), ("compliance",), "COMPLIANCE_ROLE", compliance),
        Row(TOKEN, "forceTransfer", lambda c: (holder(c), payout(c), 100, LEGAL_REFERENCE), ("compliance",),
            "COMPLIANCE_ROLE", compliance),
        Row(TOKEN, "wipe", lambda c: (holder(c), 100, LEGAL_REFERENCE), ("compliance",), "COMPLIANCE_ROLE", compliance),
        Row(TOKEN, "recover", lambda c: (holder(c), c.address("newkey"), LEGAL_REFERENCE), ("compliance",),
            "COMPLIANCE_ROLE", compliance),
        Row(TOKEN, "crosschainMint", lambda c: (holder(c), 100), ("token-bridge",),
            "TOKEN_BRIDGE_ROLE (the bridge; recipient rules and the reserve gate apply)", missing("TOKEN_BRIDGE_ROLE")),
        Row(TOKEN, "crosschainBurn", lambda c: (stranger(c), 100), ("token-bridge",),
            "TOKEN_BRIDGE_ROLE (the bridge burns only its own sender's money)", missing("TOKEN_BRIDGE_ROLE")),
        Row(TOKEN, "pause", lambda c: (), ("token-pauser",), "PAUSER_ROLE", missing("PAUSER_ROLE")),
        Row(TOKEN, "unpause", lambda c: (), ("token-pauser",), "PAUSER_ROLE", missing("PAUSER_ROLE"),
            setup=_paused("token-pauser", TOKEN)),
        Row(TOKEN, "attestReserve", lambda c: (100_000_000, c.block_time()), ("attestor",), "RESERVE_ATTESTOR_ROLE",
            missing("RESERVE_ATTESTOR_ROLE")),
        # Switched off here: this world's token has both a bank minter and a bridge, which a gated token refuses
        # (ReserveMintersConflict, tests/bridge/test_bridge_reserve_minters.py); the row proves who may call it.
        Row(TOKEN, "setReserveGating", lambda c: (False, 3600), ("token-admin",), "DEFAULT_ADMIN_ROLE",
            missing("DEFAULT_ADMIN_ROLE")),
        Row(TOKEN, "rescueERC20", lambda c: (c.address("foreign"), stranger(c), 10**18), ("token-admin",),
            "DEFAULT_ADMIN_ROLE", missing("DEFAULT_ADMIN_ROLE")),
        Row(TOKEN, "upgradeToAndCall", lambda c: (c.address(TOKEN_IMPLEMENTATION), b""), ("upgrader",), "UPGRADER_ROLE",
            missing("UPGRADER_ROLE")),
        Row(TOKEN, "initialize", lambda c: ("Fake", "FAKE", "XXX", stranger(c), 0, False, 0), (),
            "nobody (initialised by the deploy, in the proxy's constructor)", bare("InvalidInitialization")),
        Row(TOKEN, "grantRole", lambda c: (role("PAUSER_ROLE"), stranger(c)), ("token-admin",), "DEFAULT_ADMIN_ROLE",
            missing("DEFAULT_ADMIN_ROLE"), "PAUSER_ROLE"),
        Row(TOKEN, "revokeRole", lambda c: (role("PAUSER_ROLE"), c.address("token-pauser")), ("token-admin",),
            "DEFAULT_ADMIN_ROLE", missing("DEFAULT_ADMIN_ROLE"), "PAUSER_ROLE"),
        Row(TOKEN, "renounceRole", lambda c: (role("PAUSER_ROLE"), c.address("token-pauser")), ("token-pauser",),
            "the holder itself", bare("AccessControlBadConfirmation"), "PAUSER_ROLE"),
        *_admin_rows(TOKEN, "token-admin"),
        # The implementation behind the proxy is a deployed contract too: it must not be taken over.
        Row(TOKEN_IMPLEMENTATION, "initialize", lambda c: ("Fake", "FAKE", "XXX", stranger(c), 0, False, 0), (),
            "nobody (initializers disabled in the constructor)", bare("InvalidInitialization")),
        Row(TOKEN_IMPLEMENTATION, "upgradeToAndCall", lambda c: (c.address(TOKEN_IMPLEMENTATION), b""), (),
            "nobody (only through the proxy)", bare("UUPSUnauthorizedCallContext")),
    ]  # fmt: skip


def _vat_rows() -> list[Row]:
    stranger, payout = _a("stranger"), _a("payout")
    tax = missing("TAX_AUTHORITY_ROLE")
    registrar_rule, registrar = "REGISTRAR_ROLE or TAX_AUTHORITY_ROLE", missing("REGISTRAR_ROLE")
    registrars = ("tax-authority", "registrar")
    return [
        Row(VAT, "scheduleRate", lambda c: (NEW_CATEGORY, 500, 0), ("tax-authority",), "TAX_AUTHORITY_ROLE", tax),
        Row(VAT, "cancelRateChange", lambda c: (NEW_CATEGORY,), ("tax-authority",), "TAX_AUTHORITY_ROLE", tax,
            setup=_pending_rate_change),
        Row(VAT, "labelCategory", lambda c: (NEW_CATEGORY, "luxury"), ("tax-authority",), "TAX_AUTHORITY_ROLE", tax),
        Row(VAT, "registerMerchant", lambda c: (2, payout(c), False, 0), registrars, registrar_rule, registrar),
        Row(VAT, "updateMerchant", lambda c: (MERCHANT_ID, payout(c), True, 2), registrars, registrar_rule, registrar),
        Row(VAT, "setMerchantActive", lambda c: (MERCHANT_ID, False), registrars, registrar_rule, registrar),
        Row(VAT, "setMerchantCategories", lambda c: (MERCHANT_ID, [3, 4]), registrars, registrar_rule, registrar),
        Row(VAT, "setTreasury", lambda c: (stranger(c),), ("tax-authority",), "TAX_AUTHORITY_ROLE", tax),
        Row(VAT, "setVatReserve", lambda c: (100,), ("tax-authority",), "TAX_AUTHORITY_ROLE", tax),
        Row(VAT, "withdrawVat", lambda c: (1, LEGAL_REFERENCE), ("treasury",), "the treasury",
            naming_caller("NotTreasury", "caller")),
        Row(VAT, "refund", lambda c: (MERCHANT_ID, stranger(c), INVOICE, 100), ("payout",),
            "the merchant's payout address", naming_caller("NotMerchantPayout", "caller", merchantId=MERCHANT_ID)),
        Row(VAT, "refundInvoice", lambda c: (MERCHANT_ID, bytes(32), [_book_entry(c)], 100), ("payout",),
            "the merchant's payout address", naming_caller("NotMerchantPayout", "caller", merchantId=MERCHANT_ID)),
        Row(VAT, "pause", lambda c: (), ("vat-pauser",), "PAUSER_ROLE", missing("PAUSER_ROLE")),
        Row(VAT, "unpause", lambda c: (), ("vat-pauser",), "PAUSER_ROLE", missing("PAUSER_ROLE"),
            setup=_paused("vat-pauser", VAT)),
        Row(VAT, "grantRole", lambda c: (role("PAUSER_ROLE"), stranger(c)), ("vat-admin",), "DEFAULT_ADMIN_ROLE",
            missing("DEFAULT_ADMIN_ROLE"), "PAUSER_ROLE"),
        Row(VAT, "grantRole", lambda c: (role("REGISTRAR_ROLE"), stranger(c)), ("tax-authority",),
            "TAX_AUTHORITY_ROLE (the registrars' admin role)", tax, "REGISTRAR_ROLE"),
        Row(VAT, "revokeRole", lambda c: (role("REGISTRAR_ROLE"), c.address("registrar")), ("tax-authority",),
            "TAX_AUTHORITY_ROLE (the registrars' admin role)", tax, "REGISTRAR_ROLE"),
        Row(VAT, "revokeRole", lambda c: (role("PAUSER_ROLE"), c.address("vat-pauser")), ("vat-admin",),
            "DEFAULT_ADMIN_ROLE", missing("DEFAULT_ADMIN_ROLE"), "PAUSER_ROLE"),
        Row(VAT, "renounceRole", lambda c: (role("PAUSER_ROLE"), c.address("vat-pauser")), ("vat-pauser",),
            "the holder itself", bare("AccessControlBadConfirmation"), "PAUSER_ROLE"),
        *_admin_rows(VAT, "vat-admin"),
    ]  # fmt: skip


def _queued_send(contract: str, peer_chain: int) -> Callable[[Ctx], None]:
    """The stranger sends 0.01 through ``contract``, whose unset buckets (capacity 0) queue it: nonce 0, queued."""

    def setup(ctx: Ctx) -> None:
        if contract == REMOTE_BRIDGE:  # it burns: give it the token's bridge role (as the deploy does)
            ctx.send("token-admin", TOKEN, "grantRole", role("TOKEN_BRIDGE_ROLE"), ctx.address(contract))
        else:
            ctx.send("stranger", TOKEN, "approve", ctx.address(contract), 1)
        ctx.send("stranger", contract, "send", peer_chain, ctx.address("holder"), 1)

    return setup


def _queued_transfer(contract: str, peer_chain: int) -> Callable[[Ctx], tuple[Any, ...]]:
    """The message :func:`_queued_send` queued (its chain id from the bridge's EIP-712 domain)."""

    def transfer(c: Ctx) -> tuple[Any, ...]:
        chain_id = int(c.view(contract, "eip712Domain")[3])
        return (chain_id, c.address(contract), peer_chain, c.address("newkey"), 0, c.address("stranger"),
                c.address("holder"), 1)  # fmt: skip

    return transfer

_PREDECESSOR: dict[str, str] = {}


def _retired_predecessor(ctx: Ctx) -> None:
    """Another BNB-side bridge of the same token, retired in favour of the remote bridge (which may adopt it)."""
    remote = ctx.address(REMOTE_BRIDGE)
    old = ctx.deploy("bridge-admin", REMOTE_BRIDGE, ctx.address(TOKEN), REMOTE_HOME_CHAIN, ctx.address("bridge-admin"), 86400)
    ctx.send_to("bridge-admin", old, REMOTE_BRIDGE, "retire", remote)
    _PREDECESSOR["address"] = old


def _stranded_release(c: Ctx) -> tuple[Any, ...]:
    """Release 1 tiyn of the home escrow (the queued send's) to the treasury, signed by the validator ``holder``
    (threshold 1 in this world), as release number 1 of a stranded total of 1 tiyn."""
    from access_world import matrix_key  # the world's fixed keys (it imports this module)

    from tenge.amounts import from_tiyn
    from tenge.bridge.attestations import BridgeDomain, StrandedRelease, sign

    chain_id = int(c.view(HOME_BRIDGE, "eip712Domain")[3])
    release = StrandedRelease(PEER_CHAIN, from_tiyn(1), c.address("treasury"), from_tiyn(1), 1)
    signed = sign("StrandedRelease", matrix_key("holder"), BridgeDomain(chain_id, c.address(HOME_BRIDGE)), release)
    return (release.as_struct(), [signed.signer], [signed.signature])


def _home_rows() -> list[Row]:
    return [
        Row(HOME_BRIDGE, "releaseStranded", _stranded_release, ("bridge-admin",),
            "DEFAULT_ADMIN_ROLE, with a threshold of the validators' StrandedRelease signatures (escrow stranded by "
            "burns outside the bridge on the BNB side; each release number once)",
            missing("DEFAULT_ADMIN_ROLE"), setup=_queued_send(HOME_BRIDGE, PEER_CHAIN)),
    ]  # fmt: skip


def _remote_rows() -> list[Row]:
    return [
        Row(REMOTE_BRIDGE, "retire", lambda c: (c.address("stranger"),), ("bridge-admin",), "DEFAULT_ADMIN_ROLE",
            missing("DEFAULT_ADMIN_ROLE")),
        Row(REMOTE_BRIDGE, "adopt", lambda c: (_PREDECESSOR["address"],), ("bridge-admin",),
            "DEFAULT_ADMIN_ROLE (a bridge retired in its favour, before its first attestation)",
            missing("DEFAULT_ADMIN_ROLE"), setup=_retired_predecessor),
        Row(REMOTE_BRIDGE, "setPayloadHandler", lambda c: (c.address("stranger"),), ("bridge-admin",),
            "DEFAULT_ADMIN_ROLE (the one contract transfers with a payload are minted to and called)",
            missing("DEFAULT_ADMIN_ROLE")),
        Row(REMOTE_BRIDGE, "creditPayload", lambda c: (bytes(32), 1, c.address("stranger"), 1, b"\x01"), (),
            "nobody but the bridge itself (its own deliverWithPayload, in a call a refusal undoes)",
            Denial("NotSender", "NotSender(caller, the bridge)",
                   lambda c, caller: {"caller": caller, "sender": c.address(REMOTE_BRIDGE)})),
    ]


def _bridge_rows(contract: str, peer_chain: int) -> list[Row]:
    stranger = _a("stranger")
    queued = _queued_transfer(contract, peer_chain)
    return [
        Row(contract, "updateValidators", lambda c: ([], [stranger(c)], 2), ("validator-manager",),
            "VALIDATOR_MANAGER_ROLE (scheduled: applies after the validator-update delay)",
            missing("VALIDATOR_MANAGER_ROLE")),
        Row(contract, "cancelValidatorUpdate", lambda c: (), ("validator-manager", "bridge-pauser"),
            "VALIDATOR_MANAGER_ROLE or PAUSER_ROLE", missing("VALIDATOR_MANAGER_ROLE"),
            setup=_scheduled_validator_change(contract)),
        Row(contract, "removeValidator", lambda c: (c.address("holder"),), ("validator-manager",),
            "VALIDATOR_MANAGER_ROLE (immediate only while the threshold still fits)", missing("VALIDATOR_MANAGER_ROLE")),
        Row(contract, "setValidatorUpdateDelay", lambda c: (3600,), ("bridge-admin",),
            "DEFAULT_ADMIN_ROLE (a shorter delay waits out the one in force)", missing("DEFAULT_ADMIN_ROLE")),
        Row(contract, "setRateLimits", lambda c: (peer_chain, 10_000, 1, 10_000, 1), ("rate-limiter",),
            "RATE_LIMITER_ROLE", missing("RATE_LIMITER_ROLE")),
        Row(contract, "setRemoteBridge", lambda c: (peer_chain, stranger(c)), ("bridge-admin",),
            "DEFAULT_ADMIN_ROLE", missing("DEFAULT_ADMIN_ROLE")),
        Row(contract, "setMaxTransfer", lambda c: (peer_chain, 10_000, 1_000), ("rate-limiter",),
            "RATE_LIMITER_ROLE", missing("RATE_LIMITER_ROLE")),
        Row(contract, "setQueueDelay", lambda c: (3600,), ("bridge-admin",), "DEFAULT_ADMIN_ROLE",
            missing("DEFAULT_ADMIN_ROLE")),
        Row(contract, "holdQueued", lambda c: (c.view(contract, "transferId", *queued(c)[:2], 0), True), ("bridge-pauser",),
            "PAUSER_ROLE (a queued transfer: nobody completes it while held)", missing("PAUSER_ROLE"),
            setup=_queued_send(contract, peer_chain)),
        Row(contract, "rejectQueued", lambda c: (queued(c),), ("bridge-admin",),
            "DEFAULT_ADMIN_ROLE (a queued transfer: paid back, or Failed and refunded at its source)",
            missing("DEFAULT_ADMIN_ROLE"), setup=_queued_send(contract, peer_chain)),

        Row(contract, "setDeferralTimeout", lambda c: (2 * 86_400,), ("bridge-admin",),
            "DEFAULT_ADMIN_ROLE", missing("DEFAULT_ADMIN_ROLE")),
        Row(contract, "pause", lambda c: (), ("bridge-pauser",), "PAUSER_ROLE (emergency, an account of its own)",
            missing("PAUSER_ROLE")),
        Row(contract, "unpause", lambda c: (), ("bridge-pauser",), "PAUSER_ROLE", missing("PAUSER_ROLE"),
            setup=_paused("bridge-pauser", contract)),
        Row(contract, "grantRole", lambda c: (role("PAUSER_ROLE"), stranger(c)), ("bridge-admin",), "DEFAULT_ADMIN_ROLE",
            missing("DEFAULT_ADMIN_ROLE"), "PAUSER_ROLE"),
        Row(contract, "revokeRole", lambda c: (role("RATE_LIMITER_ROLE"), c.address("rate-limiter")), ("bridge-admin",),
            "DEFAULT_ADMIN_ROLE", missing("DEFAULT_ADMIN_ROLE"), "RATE_LIMITER_ROLE"),
        Row(contract, "renounceRole", lambda c: (role("PAUSER_ROLE"), c.address("bridge-pauser")), ("bridge-pauser",),
            "the holder itself", bare("AccessControlBadConfirmation"), "PAUSER_ROLE"),
        *_admin_rows(contract, "bridge-admin"),
    ]  # fmt: skip



_BRIDGE_PUBLIC = {
    "send": "moves the caller's own money (the token's rules apply to the caller); outbound rate limit",
    "deliver": "a threshold of the validators' EIP-712 signatures is the authority; inbound rate limit",
    "deliverBatch": "each item as deliver (its own threshold of signatures, inbound rate limit); an item already "
    "processed is skipped, never delivered twice",
    "completeInbound": "only a transfer already attested and queued, once the inbound bucket has room for it or "
    "after its delay (an oversized one: only after it); never while held",
    "completeOutbound": "only a transfer already paid and queued, to the lane's current peer, once the outbound "
    "bucket has room for it or after its delay (an oversized one: only after it); never while held",
    "cancelOutbound": "only the queued transfer's own sender (NotSender otherwise), who gets its money back",
    "refund": "a threshold of the validators' Refund signatures; once per transfer, to its sender",
}
from access_offline import OFFLINE_PUBLIC, offline_rows  # noqa: E402 (it builds on the helpers above)
from access_programmes import PROGRAMME_PUBLIC, programme_rows  # noqa: E402 (it builds on the helpers above)
from access_pvp import PVP_PUBLIC, pvp_rows  # noqa: E402 (it builds on the helpers above)

ROWS: tuple[Row, ...] = (
    *_token_rows(),
    *_vat_rows(),
    *_bridge_rows(HOME_BRIDGE, PEER_CHAIN),
    *_bridge_rows(REMOTE_BRIDGE, REMOTE_HOME_CHAIN),
    *_home_rows(),
    *_remote_rows(),
    *programme_rows(),
    *pvp_rows(),

    *offline_rows(),
)

#: State-changing functions anyone may call, by contract artifact, each with why that is safe.
PUBLIC_BY_DESIGN: dict[str, dict[str, str]] = {
    "DigitalTenge": {
        "transfer": "moves the caller's own money; every token rule (KYC, freeze, caps, pause) applies",
        "transferFrom": "spends an allowance the owner gave; the spender must be approved and not frozen",
        "approve": "the caller's own allowance",
        "permit": "the owner's EIP-2612 signature is the authority",
        "batchTransfer": "moves the caller's own money, as transfer",
        "transferWithFee": "moves the caller's own money, as transfer",
        "transferFromWithFee": "spends an allowance the owner gave (VAT payments); spender approved, not frozen",
        "redeem": "burns the caller's own holdings at a bank holding MINTER_ROLE",
        "transferWithAuthorization": "the payer's EIP-3009 signature is the authority",
        "receiveWithAuthorization": "the payer's signature, and only the payee may submit",
        "cancelAuthorization": "the authorizer's signature is the authority",
    },
    HOME_BRIDGE: {
        **_BRIDGE_PUBLIC,
        "sendWithPayload": "moves the caller's own money, as send (never queued: over the outbound limit it reverts)",
    },
    REMOTE_BRIDGE: {
        **_BRIDGE_PUBLIC,
        "attestEscrow": "a threshold of the validators' signatures; only raises the token's reserve to the home escrow",
        "refundPredecessor": "a threshold of the validators' Refund signatures for the retired bridge it adopted (checked "
        "against its own set); only a transfer Sent there, once, to its sender",
        "deliverWithPayload": "a threshold of the validators' PayloadTransfer signatures (transfer and payload); "
        "mints only to the admin-set payload handler and calls only it; inbound rate limit",
    },
    "VatPayments": {
        "pay": "the payer pays through its own allowance, under a category the tax side allowed the merchant",
        "payWithPermit": "the payer's EIP-2612 signature is the authority",
        "payWithAuthorization": "the payer's EIP-3009 signature, bound to merchant, category and invoice",
        "payInvoice": "as pay: the payer's own allowance; an invoice number of the merchant's book pays once",
    },
    **PROGRAMME_PUBLIC,
    **PVP_PUBLIC,

    **OFFLINE_PUBLIC,
}

#: Folders of contracts that are never deployed by the suite.
NOT_DEPLOYED = ("contracts/bench/", "contracts/mocks/", "contracts/interfaces/")
#: Contracts reached only by DELEGATECALL from another's code: their functions are that contract's rows (same
#: selectors, same roles, the caller's storage). Called directly they hold no roles and refuse
#: (tests/token/test_token_size.py proves it for DigitalTengeAdmin, tests/bridge/test_bridge_size.py for
#: TengeBridgeAdmin, whose functions are rows of both bridges).
DELEGATED_MODULES = {
    "DigitalTengeAdmin": "DigitalTenge", "TengeBridgeAdmin": HOME_BRIDGE, "TengeBridgeRemoteAdmin": REMOTE_BRIDGE,
}


# --- the ABI gate --------------------------------------------------------------------------------------


def deployed_artifacts() -> dict[str, str]:
    """Record key -> the artifact whose ABI the deployed contract answers with (a proxy: its implementation's)."""
    plan = suite_plan(load_suite_config("local"), "0x" + "11" * 20)
    keys: dict[str, str] = {}
    for step in plan.steps:
        if isinstance(step, DeployContract):
            keys[step.key] = step.artifact
        elif isinstance(step, DeployProxy):
            keys[step.key] = keys[step.implementation]
    # The bridges are deployed on the networks the [bridge] configuration names (home, remotes).
    keys.update({HOME_BRIDGE: HOME_BRIDGE, REMOTE_BRIDGE: REMOTE_BRIDGE})
    return keys


def audited_artifacts() -> set[str]:
    """Everything the suite deploys, plus every deployable contract under contracts/ that may join it."""
    names = set(deployed_artifacts().values())
    for name in artifact_names():
        artifact = load_artifact(name)
        if artifact.source_name.startswith("contracts/") and not artifact.source_name.startswith(NOT_DEPLOYED):
            if artifact.bytecode not in ("", "0x") and name not in DELEGATED_MODULES:
                names.add(name)
    return names


def state_changing_functions(artifact: str) -> set[str]:
    return {
        item["name"]
        for item in load_artifact(artifact).abi
        if item["type"] == "function" and item["stateMutability"] in ("nonpayable", "payable")
    }


def covered_functions(artifact: str) -> set[str]:
    keys = deployed_artifacts()
    return {row.function for row in ROWS if keys.get(row.contract) == artifact}


def uncovered() -> dict[str, set[str]]:
    """State-changing functions that are neither in the matrix nor public by design, per artifact."""
    gaps = {}
    for artifact in sorted(audited_artifacts()):
        missing_functions = (
            state_changing_functions(artifact) - covered_functions(artifact) - set(PUBLIC_BY_DESIGN.get(artifact, {}))
        )
        if missing_functions:
            gaps[artifact] = missing_functions
    return gaps


def stale() -> dict[str, set[str]]:
    """Table entries naming functions that no longer exist (or contracts the suite no longer deploys)."""
    keys = deployed_artifacts()
    gaps: dict[str, set[str]] = {}
    for row in ROWS:
        artifact = keys.get(row.contract)
        if artifact is None or row.function not in state_changing_functions(artifact):
            gaps.setdefault(row.contract, set()).add(row.function)
    for artifact, functions in PUBLIC_BY_DESIGN.items():
        gone = set(functions) - state_changing_functions(artifact)
        if gone:
            gaps.setdefault(artifact, set()).update(gone)
    return gaps


# --- the README section --------------------------------------------------------------------------------


def markdown() -> str:
    """The README section between the markers, rendered from :data:`ROWS` and :data:`PUBLIC_BY_DESIGN`."""
    lines = [
        f"_Generated from `tests/gates/access_matrix.py` by `{REGENERATE}`; `make test` fails when this "
        "table and the contracts disagree._",
        "",
        f"Every row is called by {len(CALLERS)} accounts — one per role of each contract, the VAT treasury, a "
        "merchant's payout address and a stranger: only the listed callers get through, every other one gets "
        "the error shown (`caller` is its own address).",
        "",
        "| contract | function | who may call | everyone else gets |",
        "|---|---|---|---|",
    ]
    for row in ROWS:
        function = f"`{row.function}({row.variant})`" if row.variant else f"`{row.function}`"
        refusal = f"`{row.denial.shown}`"
        for caller, denial in row.special:
            refusal += f"; {caller}: `{denial.shown}`"
        lines.append(f"| {row.contract} | {function} | {row.rule} | {refusal} |")
    lines += ["", "Public by design (anyone may call; the function's own rules still apply):", ""]
    for artifact, functions in PUBLIC_BY_DESIGN.items():
        for function, reason in functions.items():
            lines.append(f"- {artifact} `{function}`: {reason}")
    return "\n".join(lines)


def readme_section(text: str) -> str:
    """The text between the markers of ``text`` (without them, stripped)."""
    if START_MARKER not in text or END_MARKER not in text:
        raise LookupError(f"README.md has no {START_MARKER} ... {END_MARKER} section")
    return text.split(START_MARKER, 1)[1].split(END_MARKER, 1)[0].strip()


def write_readme(path: Path = README) -> bool:
    """Replace the marked section of ``path`` with :func:`markdown`; True when it changed."""
    text = path.read_text()
    current = readme_section(text)
    if current == markdown():
        return False
    before, rest = text.split(START_MARKER, 1)
    after = rest.split(END_MARKER, 1)[1]
    path.write_text(f"{before}{START_MARKER}\n{markdown()}\n{END_MARKER}{after}")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tests/gates/access_matrix.py", description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--markdown", action="store_true", help="print the README section")
    group.add_argument("--write-readme", action="store_true", help="rewrite the README section in place")
    options = parser.parse_args(argv)
    if options.markdown:
        print(markdown())
    else:
        changed = write_readme()
        print(f"{README}: access-control section {'rewritten' if changed else 'already up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
