"""The gatherer against real HTTP servers (signing test fixtures): only genuine signatures of current validators
over the exact message count; garbage, impostors, forgeries, tampered messages and closed ports are ignored."""

from __future__ import annotations

from decimal import Decimal

from bridge_world import VALIDATORS
from signing_validators import ROGUE, SigningServer

from tenge.bridge.attestations import BridgeDomain
from tenge.bridge.messages import BridgeTransfer
from tenge.bridge.relayer.gatherer import Gatherer
from tenge.toolchain.anvil import free_port

DEST = BridgeDomain(97, "0x" + "22" * 20)
TRANSFER = BridgeTransfer(31337, "0x" + "11" * 20, 97, DEST.verifying_contract, 7, "0x" + "33" * 20, "0x" + "44" * 20, Decimal("12.50"))


class FixedView:
    """One transfer, one verifying bridge (no chain needed for the gatherer)."""

    class _Dest:
        chain_id = 97

        def sign(self, kind, key, subject):  # type: ignore[no-untyped-def]
            from tenge.bridge.attestations import sign

            return sign(kind, key, DEST, subject)

    bridges = {97: _Dest()}

    def transfer(self, transfer_id: str) -> BridgeTransfer | None:
        return TRANSFER if transfer_id == TRANSFER.id_hex else None


def test_only_genuine_signatures_of_current_validators_count() -> None:
    modes = ["good", "garbage", "impostor", "forged", "tampered", "good"]
    keys = [VALIDATORS[0], VALIDATORS[1], VALIDATORS[2], VALIDATORS[3], VALIDATORS[4], VALIDATORS[4]]
    servers = [SigningServer(k, FixedView(), m).start() for k, m in zip(keys, modes)]  # type: ignore[arg-type]
    rejected: list[tuple[str, str]] = []
    closed = f"http://127.0.0.1:{free_port()}"
    gatherer = Gatherer([s.url for s in servers] + [closed], timeout=2, on_reject=lambda e, r: rejected.append((e, r)))
    try:
        validators = {v.address for v in VALIDATORS}
        got = gatherer.gather(f"/v1/transfers/{TRANSFER.id_hex}", "Transfer", DEST, TRANSFER, validators)
        # servers 0 and 5 are genuine (5 signs as validator 4, once: a signer counts once)
        assert sorted(a.signer for a in got.valid) == sorted([VALIDATORS[0].address, VALIDATORS[4].address])
        assert all(a.is_genuine() and a.subject == TRANSFER for a in got.valid)
        reasons = {url: got.missing[url].split(":")[0] for url in got.missing}
        assert reasons == {
            servers[1].url: "garbage",
            servers[2].url: "wrong signer",
            servers[3].url: "bad signature",
            servers[4].url: "wrong message",
            closed: "unreachable",
        }
        assert sorted(r for _, r in rejected) == ["bad signature", "garbage", "wrong message", "wrong signer"]
        assert ROGUE.address not in {a.signer for a in got.valid}
        # a transfer nobody signed yet: 404 from every server, nothing valid, nothing rejected
        rejected.clear()
        other = BridgeTransfer(31337, TRANSFER.source_bridge, 97, DEST.verifying_contract, 8, TRANSFER.sender, TRANSFER.recipient, Decimal("1.00"))
        none = gatherer.gather(f"/v1/transfers/{other.id_hex}", "Transfer", DEST, other, validators)
        assert none.valid == [] and rejected == [(servers[1].url, "garbage")]  # garbage stays garbage
        assert none.missing[servers[0].url] == "not signed yet"
        # the wrong verifying bridge: every signature is for DEST, none counts for another domain
        elsewhere = gatherer.gather(f"/v1/transfers/{TRANSFER.id_hex}", "Transfer", BridgeDomain(98, DEST.verifying_contract), TRANSFER, validators)
        assert elsewhere.valid == []
    finally:
        gatherer.close()
        for server in servers:
            server.stop()
