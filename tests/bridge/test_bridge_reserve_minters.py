"""Issue 18, item 2 and the end-to-end finding on gating: on the BNB side the bridge alone mints against the
attested home escrow, and a token a bridge mints on as a remote is reserve-gated whatever its network is called.

The adversary: the token's own admin granting a bank MINTER_ROLE or a second TOKEN_BRIDGE_ROLE on the BNB-side
token (a rogue minter that would mint the room between the supply and the attested escrow: transfers in flight,
queued or failed at home), and a configuration that simply forgets `reserve_gated` for its BNB-side network."""

from __future__ import annotations

from pathlib import Path

import pytest
from bridge_world import ADMIN, BANK, BNB, BNB_CHAIN, ROGUE, BridgeWorld, config_text
from chain_helpers import assert_revert

from tenge.deploy.plan import Call, DeployProxy
from tenge.deploy.suite import TOKEN, suite_plan
from tenge.deploy.suite_config import load_suite_config
from tenge.errors import ContractRevert


def test_a_remote_token_is_reserve_gated_whatever_the_network_is_called(
    world: BridgeWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bridge world's own configuration, without its `reserve_gated = true` line for the BNB side.
    text = config_text(world.home.devnet.rpc_url, world.bnb.devnet.rpc_url)
    forgetful = text.replace(f"[suite.network.{BNB}.token]\nreserve_gated = true\n", "")
    assert forgetful != text
    (tmp_path / "tenge.toml").write_text(forgetful)
    monkeypatch.setenv("TENGE_CONFIG", str(tmp_path / "tenge.toml"))
    config = load_suite_config(BNB)
    assert config.reserve_gated is False  # what the file says (the default)
    plan = suite_plan(config, world.address(ADMIN), chain_id=BNB_CHAIN, records=world.records)
    (proxy,) = [s for s in plan.steps if isinstance(s, DeployProxy) and s.key == TOKEN]
    assert proxy.init_args[5] is True, "the BNB-side token must be initialised reserve-gated"
    gating = [s for s in plan.steps if isinstance(s, Call) and s.key == "token:reserveGating"]
    assert gating and gating[0].args[0] is True
    assert any(f"bridge.remotes.{BNB}" in note and "reserve gating on" in note for note in plan.notes), plan.notes
    # No bank issuance on the BNB side, whatever [roles] says (the default gives the deployer ISSUER_ROLE).
    grants = [s.key for s in plan.steps if isinstance(s, Call) and s.function == "grantRole" and s.target == TOKEN]
    assert not [k for k in grants if "MINTER_ROLE" in k or "ISSUER_ROLE" in k], grants


def test_the_deployed_bnb_token_is_gated_and_has_no_bank_issuer(world: BridgeWorld) -> None:
    token = world.token(BNB, ADMIN)
    assert token.reserve().gating_enabled is True
    deployer = world.address(ADMIN)
    for role in ("MINTER_ROLE", "ISSUER_ROLE"):
        assert not token.has_role(role, deployer), f"the deploy granted {role} on the BNB-side token"


def _refused(action: object, minters: int, bridges: int) -> None:
    with pytest.raises(ContractRevert) as caught:
        action()  # type: ignore[operator]
    assert_revert(caught.value, "ReserveMintersConflict", {"minters": minters, "bridges": bridges})


def test_no_bank_and_no_second_bridge_can_be_given_the_bnb_reserve(world: BridgeWorld) -> None:
    admin = world.token(BNB, ADMIN)
    rogue = world.address(ROGUE)
    nonce = world.nonce(ADMIN, BNB)
    # A rogue bank minter beside the bridge, or a second bridge: both refused before anything is sent.
    _refused(lambda: admin.grant_role("MINTER_ROLE", rogue), 1, 1)
    _refused(lambda: admin.grant_role("TOKEN_BRIDGE_ROLE", rogue), 0, 2)
    assert world.nonce(ADMIN, BNB) == nonce
    assert not admin.has_role("MINTER_ROLE", rogue) and not admin.has_role("TOKEN_BRIDGE_ROLE", rogue)
    # Nor through the back door: gating off, the rogue granted, gating on again.
    admin.set_reserve_gating(False, 86_400)
    admin.grant_role("MINTER_ROLE", world.address(BANK))
    _refused(lambda: admin.set_reserve_gating(True, 86_400), 1, 1)
    # The bank gone, gating comes back.
    admin.revoke_role("MINTER_ROLE", world.address(BANK))
    admin.set_reserve_gating(True, 86_400)
    assert admin.reserve().gating_enabled is True
