"""The PvP settlement row of the gas benchmark (issue 21): a payer's tenge to the LP and the LP's som to the
recipient in one transaction, on the LP's EIP-712 signed quote - beside its peer, the same two legs as two plain
``transfer`` calls of the same tokens (what settling without PvP costs, with someone trusted in between).

The som is a second DigitalTenge behind its own ERC1967 proxy on the bench chain (every check live on both
legs: KYC, freeze, tier cap, pause). A warm-up settlement (nonce 0) makes the LP's nonce word and the corridor's
day slot non-zero, as they are for an LP quoting all day; the measured one uses nonce 1 of the same word. Both
allowances are unlimited (an LP's standing approval; a payer's too), so no allowance is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eth_account.signers.local import LocalAccount
from web3.contract import Contract

from tenge.bench.scenarios import Measurement
from tenge.contracts import load_artifact
from tenge.pvp.quotes import Quote, parse_rate, pvp_domain, sign_quote

if TYPE_CHECKING:
    from tenge.bench.our_suite import OursBench

PVP_KEY = "PvPSettlement"
#: What the payer pays (tenge tiyn) and the quote: 0.1743 som per tenge, firm until a fixed time (the bench
#: chain's clock is pinned, so calldata and gas are the same on every run).
AMOUNT = 1_000_00
RATE = "0.1743"
MAX_AMOUNT = 50_000_00
VALID_BEFORE = 4_102_444_800
LP_SOM = 1_000_000_00
BUSINESS_TIER = 3
PERSONAL_TIER = 1
UNLIMITED = 2**256 - 1


class PvPBench:
    """Deploys the som and opens the corridor once; measures ours and the peer."""

    def __init__(self, bench: "OursBench") -> None:
        self.bench = bench
        chain, cast = bench.chain, bench.cast
        self.payer: LocalAccount = cast.bob
        self.lp: LocalAccount = cast.budget
        self.recipient = cast.merchant.address
        self.pvp = chain.at(bench.suite.addresses[PVP_KEY], load_artifact(PVP_KEY))
        self.som = self._deploy_som()
        self._prepare()

    def _deploy_som(self) -> Contract:
        b, admin = self.bench, self.bench.admin
        implementation = b.chain.deploy(admin, load_artifact("DigitalTenge"))
        init = implementation.encode_abi("initialize", ["Digital Som", "DKGS", "KGS", admin.address, 86400, False, 0])
        proxy = b.chain.deploy(admin, load_artifact("ERC1967Proxy"), (implementation.address, init))
        som = b.chain.at(proxy.address, load_artifact("DigitalTenge"))
        for role in ("COMPLIANCE_ROLE", "ISSUER_ROLE", "MINTER_ROLE"):
            b.send(admin, som.functions.grantRole(som.functions[role]().call(), admin.address), f"som {role}")
        b.send(admin, som.functions.setTierCap(PERSONAL_TIER, 500_000_00), "som tier cap")
        b.send(admin, som.functions.setTierCap(BUSINESS_TIER, UNLIMITED), "som business cap")
        for account, tier in ((self.lp.address, BUSINESS_TIER), (self.recipient, BUSINESS_TIER),
                              (self.pvp.address, BUSINESS_TIER)):  # fmt: skip
            b.send(admin, som.functions.setTier(account, tier), "som KYC")
        b.send(admin, som.functions.setMinterAllowance(admin.address, LP_SOM), "som allowance")
        b.send(admin, som.functions.mint(self.lp.address, LP_SOM), "som to the LP")
        return som

    def _prepare(self) -> None:
        b, admin, token = self.bench, self.bench.admin, self.bench.token
        b.send(admin, token.functions.setTier(self.pvp.address, BUSINESS_TIER), "KYC the settlement contract")
        b.fund(self.payer.address, 3 * AMOUNT)  # the warm-up, the measured settlement and the peer's transfer
        b.send(admin, self.pvp.functions.setCorridorLimit(token.address, self.som.address, 10**15), "corridor")
        b.send(self.payer, token.functions.approve(self.pvp.address, UNLIMITED), "payer approves PvP")
        b.send(self.lp, self.som.functions.approve(self.pvp.address, UNLIMITED), "LP approves PvP")
        self._pay(0)  # warm-up: the LP's nonce word and the corridor's day slot become non-zero

    def _pay(self, nonce: int) -> Measurement:
        b, token = self.bench, self.bench.token
        quote = Quote(self.lp.address, token.address, self.som.address, parse_rate(RATE), MAX_AMOUNT, 0, VALID_BEFORE,
                      nonce)  # fmt: skip
        signed = sign_quote(self.lp, pvp_domain(int(b.chain.w3.eth.chain_id), self.pvp.address), quote)
        som_before = int(self.som.functions.balanceOf(self.recipient).call())
        call = self.pvp.functions.pay(quote.as_tuple(), signed.signature, AMOUNT, self.recipient, 0)
        sent = b.send(self.payer, call, "PvP settlement 1,000.00 KZT -> KGS")
        received = int(self.som.functions.balanceOf(self.recipient).call()) - som_before
        return Measurement.of(sent, payer_paid=AMOUNT, recipient_received=received)

    def ours(self) -> Measurement:
        return self._pay(1)

    def peer(self) -> Measurement:
        """The same two legs as two plain transfers (payer -> LP in tenge, LP -> recipient in som)."""
        b = self.bench
        first = b.send(self.payer, b.token.functions.transfer(self.lp.address, AMOUNT), "tenge payer -> LP")
        second = b.send(self.lp, self.som.functions.transfer(self.recipient, 17_430), "som LP -> recipient")
        return Measurement(first.gas_used + second.gas_used, second.tx_hash,
                           {"tenge_transfer_gas": first.gas_used, "som_transfer_gas": second.gas_used})  # fmt: skip


_BENCHES: dict[int, PvPBench] = {}


def _bench(bench: "OursBench") -> PvPBench:
    if id(bench) not in _BENCHES:
        _BENCHES[id(bench)] = PvPBench(bench)
    return _BENCHES[id(bench)]


def measure_pvp_settle(bench: "OursBench") -> Measurement | None:
    return _bench(bench).ours()


def measure_pvp_peer(bench: "OursBench") -> Measurement | None:
    return _bench(bench).peer()
