"""RewardsClient: sponsor-funded reward pools ("move-to-earn") paid on claims signed by the pool's attester.

    sponsor = Session.open("local", account="dev:0").rewards()
    pool = sponsor.create_pool(attester, max_per_claim="500.00", period_cap="100000.00", budget="STEPS-2026")
    sponsor.fund(pool, "1000000.00")
    signed = sponsor.sign_claim(app_key, pool, walker, "120.00", 20260301)   # payable for 7 days
    # or offline: sign_claim(app_key, sponsor.domain, RewardClaim(pool, walker, Decimal("120.00"), 20260301, deadline))
    anyone.rewards().claim(signed)        # pays once per (pool, beneficiary, period)
"""

from __future__ import annotations

from decimal import Decimal

from eth_account.signers.local import LocalAccount

from tenge.addresses import checksum_address
from tenge.amounts import AmountLike, from_tiyn, parse_tenge, to_tiyn
from tenge.errors import InvalidInput
from tenge.programmes.base import ProgrammeContractClient
from tenge.programmes.records import ClaimReceipt, RewardPool
from tenge.programmes.signing import REWARDS_DOMAIN_NAME, ContractDomain, RewardClaim, SignedClaim, sign_claim
from tenge.token.results import TxResult

REWARDS_KEY = "RewardPools"
#: How long a claim signed by :meth:`RewardsClient.sign_claim` stays payable unless told otherwise.
DEFAULT_CLAIM_VALIDITY_SECONDS = 7 * 24 * 3600


def pool_id(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 2**64:
        raise InvalidInput(f"a pool id is a whole number from 1, not {value!r}")
    return value


class RewardsClient(ProgrammeContractClient):
    """The RewardPools contract of a session's deployment (or at ``address``)."""

    KEY = REWARDS_KEY

    @property
    def domain(self) -> ContractDomain:
        """The EIP-712 domain claims are signed for (this contract on this chain)."""
        return ContractDomain(REWARDS_DOMAIN_NAME, self.chain_id, self.address)

    def pool(self, pid: int) -> RewardPool:
        """Pool ``pid``: sponsor, attester, caps and balance in tenge, paused and closed flags."""
        pid = pool_id(pid)
        sponsor, attester, per_claim, period_cap, balance, paused, closed, code = self.view(
            self.contract.functions.pool(pid), f"pool {pid}"
        )
        return RewardPool(pid, str(sponsor), str(attester), from_tiyn(int(per_claim)), from_tiyn(int(period_cap)),
                          from_tiyn(int(balance)), bool(paused), bool(closed), bytes(code))  # fmt: skip

    def claimed(self, pid: int, beneficiary: str, period: int) -> bool:
        """Whether ``beneficiary`` has claimed from pool ``pid`` in ``period``."""
        return bool(self.contract.functions.claimed(pool_id(pid), checksum_address(beneficiary), int(period)).call())

    def paid_in_period(self, pid: int, period: int) -> Decimal:
        """Tenge paid by pool ``pid`` in ``period`` (checked against the period cap)."""
        return from_tiyn(int(self.contract.functions.paidInPeriod(pool_id(pid), int(period)).call()))

    def create_pool(self, attester: str, *, max_per_claim: AmountLike, period_cap: AmountLike, budget: str | bytes) -> int:
        """Create a reward pool signed for by ``attester``, with its caps in tenge; returns its id."""
        from tenge.programmes.client import budget_code

        per_claim, cap = to_tiyn(max_per_claim, allow_zero=False), to_tiyn(period_cap, allow_zero=False)
        if per_claim > cap:
            raise InvalidInput("the cap per claim cannot exceed the cap per period; nothing was sent")
        sent = self.send(
            self.contract.functions.createPool(checksum_address(attester), per_claim, cap, budget_code(budget)),
            "create a reward pool",
        )
        (event,) = self.events(sent, "PoolCreated")
        return int(event["poolId"])

    def fund(self, pid: int, amount: AmountLike, *, approve: bool = True) -> TxResult:
        """Top up pool ``pid`` from the signer (its sponsor); approves the exact shortfall first."""
        pid, value = pool_id(pid), parse_tenge(amount, allow_zero=False)
        if approve:
            state = self.pool(pid)
            if (state.sponsor == self.me and not state.closed and self.has_role("SPONSOR_ROLE", self.me)
                    and self.token.allowance(self.me, self.address) < value):  # fmt: skip
                self.token.approve(self.address, value)
        sent = self.send(self.contract.functions.fund(pid, to_tiyn(value)), f"fund pool {pid} with {self.fmt(value)}")
        return TxResult.from_sent(sent)

    def set_attester(self, pid: int, attester: str) -> TxResult:
        """Replace the attester whose signature pays claims from pool ``pid`` (its sponsor)."""
        call = self.contract.functions.setAttester(pool_id(pid), checksum_address(attester))
        return TxResult.from_sent(self.send(call, f"set the attester of pool {pid}"))

    def set_paused(self, pid: int, paused: bool) -> TxResult:
        """Pause or resume claims from pool ``pid`` (its sponsor)."""
        call = self.contract.functions.setPoolPaused(pool_id(pid), bool(paused))
        return TxResult.from_sent(self.send(call, f"{'pause' if paused else 'resume'} pool {pid}"))

    def close(self, pid: int) -> tuple[Decimal, TxResult]:
        """Close pool ``pid`` and return its balance to the sponsor; returns the amount returned."""
        sent = self.send(self.contract.functions.close(pool_id(pid)), f"close pool {pid}")
        (event,) = self.events(sent, "PoolClosed")
        return from_tiyn(int(event["remainder"])), TxResult.from_sent(sent)

    def sign_claim(
        self,
        attester: LocalAccount,
        pid: int,
        beneficiary: str,
        amount: AmountLike,
        period: int,
        *,
        valid_for_seconds: int = DEFAULT_CLAIM_VALIDITY_SECONDS,
        now: int | None = None,
    ) -> SignedClaim:
        """Sign a claim as ``attester`` (normally done by the app's backend, offline), payable for
        ``valid_for_seconds`` from ``now`` (default: the chain's clock); after that the contract refuses it."""
        if isinstance(valid_for_seconds, bool) or not isinstance(valid_for_seconds, int) or valid_for_seconds < 1:
            raise InvalidInput(f"a claim's validity is a whole number of seconds from 1, not {valid_for_seconds!r}")
        start = self.block_time() if now is None else int(now)
        claim = RewardClaim(pool_id(pid), checksum_address(beneficiary), parse_tenge(amount, allow_zero=False),
                            int(period), start + valid_for_seconds)  # fmt: skip
        return sign_claim(attester, self.domain, claim)

    def claim(self, signed: SignedClaim) -> ClaimReceipt:
        """Submit a signed claim (anyone may); the beneficiary receives the amount."""
        c = signed.claim
        sent = self.send(
            self.contract.functions.claim(c.as_tuple(), signed.signature.to_bytes()),
            f"claim {self.fmt(c.amount)} for {c.beneficiary}, period {c.period}, pool {c.pool_id}",
        )
        (event,) = self.events(sent, "RewardClaimed")
        return ClaimReceipt(int(event["poolId"]), str(event["beneficiary"]), int(event["period"]),
                            from_tiyn(int(event["amount"])), TxResult.from_sent(sent))  # fmt: skip

    def pause(self) -> TxResult:
        """Pause every pool's claims and funding (PAUSER_ROLE)."""
        return TxResult.from_sent(self.send(self.contract.functions.pause(), "pause reward pools"))

    def unpause(self) -> TxResult:
        """Resume what :meth:`pause` stopped (PAUSER_ROLE)."""
        return TxResult.from_sent(self.send(self.contract.functions.unpause(), "unpause reward pools"))
