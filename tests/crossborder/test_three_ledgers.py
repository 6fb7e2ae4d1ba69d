"""The three-ledger world itself (issue 21): deployed from one configuration by `tenge deploy`, plain transfers over
both bridges carried by the real validator and relayer processes, conservation on both bridges."""

from __future__ import annotations

from decimal import Decimal

from three_ledgers import BNB, BNB_SOM, KG, KZ, LP, LP_SOM_BNB, MERCHANT, PAYER, ThreeLedgers


def test_one_configuration_deploys_both_currencies_and_the_common_platform(world: ThreeLedgers) -> None:
    kzt, kgs = world.token(BNB), world.token(BNB_SOM)
    assert (kzt.symbol, kgs.symbol) == ("DKZT", "DKGS")
    assert world.token(KG).symbol == "DKGS" and world.token(KZ).symbol == "DKZT"
    assert kzt.address != kgs.address
    pvp = world.pvp(BNB)
    # both BNB-side bridges may deliver to the settlement contract, and bought currency goes home over its own bridge
    for network, home in ((BNB, KZ), (BNB_SOM, KG)):
        bridge, token = world.bridge(network).address, world.token(network).address
        assert pvp.contract.functions.inboundBridgeToken(bridge).call() == token
        assert pvp.contract.functions.forwarding(token).call() == [bridge, world.w3(home).eth.chain_id]
        contract = world.bridge(network).contract
        if any(item.get("name") == "payloadHandler" for item in contract.abi):  # bridge payloads (h4's landing)
            assert contract.functions.payloadHandler().call() == pvp.address
    # corridors from [suite.pvp.corridors], both ways
    assert pvp.limits(kzt.address, kgs.address).daily_limit == Decimal("1000000.00")
    assert pvp.limits(kgs.address, kzt.address).daily_limit == Decimal("1000000.00")
    # the LP's som liquidity came over the som bridge while the world was built: the first som minted to the LP on
    # the BNB side (read from the events, so the check holds whichever tests of this package ran before it)
    minted = kgs.contract.events.Transfer.get_logs(
        from_block=0, argument_filters={"from": "0x" + "00" * 20, "to": world.address(LP)})
    assert minted and Decimal(minted[0]["args"]["value"]) / 100 == LP_SOM_BNB


def test_plain_transfers_cross_both_bridges_and_both_conserve(world: ThreeLedgers) -> None:
    before = world.balances()
    out = world.send(KZ, PAYER, PAYER, "250.00")  # tenge home -> BNB side
    back = world.send(BNB_SOM, LP, MERCHANT, "75.50")  # som BNB side -> the merchant on the som home ledger
    world.wait_quiet()
    assert world.state(out.transfer) == world.state(back.transfer) == "delivered"
    after = world.balances()
    assert after[f"{KZ}:payer"] == before[f"{KZ}:payer"] - Decimal("250.00")
    assert after[f"{BNB}:payer"] == before[f"{BNB}:payer"] + Decimal("250.00")
    assert after[f"{BNB_SOM}:lp"] == before[f"{BNB_SOM}:lp"] - Decimal("75.50")
    assert after[f"{KG}:merchant"] == before[f"{KG}:merchant"] + Decimal("75.50")
    world.assert_conserved()
    for currency in ("KZT", "KGS"):
        figures = world.conservation(currency)
        assert figures["supply"] == figures["escrow"] > 0
