"""Foreign tokens sent to the token contract by mistake can be returned by the admin."""

from __future__ import annotations

from token_world import ADMIN, ALICE, World, rejected

from tenge.contracts import load_artifact


def test_the_admin_rescues_a_foreign_token(world: World) -> None:
    admin = world.token(ADMIN)
    sender = admin.session.signer
    foreign_address, _ = sender.deploy(load_artifact("ForeignToken"), ["Other", "OTH"])
    foreign = admin.w3.eth.contract(address=foreign_address, abi=load_artifact("ForeignToken").abi)
    sender.send(foreign.functions.mint(admin.address, 10**18), description="a foreign token sent by mistake")
    result = admin.rescue_erc20(foreign_address, world.address(ALICE), 10**18)
    assert foreign.functions.balanceOf(world.address(ALICE)).call() == 10**18
    assert foreign.functions.balanceOf(admin.address).call() == 0
    assert result.gas_used > 0
    rejected(world, ADMIN, "CannotRescueSelf", lambda: admin.rescue_erc20(admin.address, world.address(ALICE), 1))
