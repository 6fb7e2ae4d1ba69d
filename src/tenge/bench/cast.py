"""Who does what in the benchmark: anvil's well-known dev keys, each with one job, plus keyless addresses."""

from __future__ import annotations

from dataclasses import dataclass

from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address

from tenge.toolchain.anvil import dev_keys

#: Signing accounts the benchmark needs (anvil is started with at least this many funded).
SIGNERS = 11
#: Recipients of the batch payout; the per-recipient figure is the transaction's gas / this.
BATCH_RECIPIENTS = 100


def _keyless_address(label: str) -> str:
    """A fixed address nobody holds a key for: it only receives."""
    return to_checksum_address(keccak(text=f"tenge-bench:{label}")[12:])


@dataclass(frozen=True)
class Cast:
    #: Deploys our suite; issuer, compliance, pauser, attestor, upgrader, tax authority.
    admin: LocalAccount
    #: Deploys and administers the peers (initial holder of the plain ones). A separate deployer keeps the
    #: peers' addresses, hence their signatures' bytes and calldata gas, independent of our deploy plan.
    peer_admin: LocalAccount
    #: A commercial bank: mints within its allowance.
    bank: LocalAccount
    #: Existing holder who sends, approves, signs permits and authorizations and pays VAT.
    alice: LocalAccount
    #: Existing holder on the receiving side.
    bob: LocalAccount
    #: Spends alice's allowance (transferFrom).
    spender: LocalAccount
    #: Receives alice's first permit and submits it.
    permit_spender: LocalAccount
    #: Submits alice's signed transfer authorization (pays the gas, moves nothing of its own).
    relayer: LocalAccount
    #: A city budget paying lunch allowances: the batch payout's sender.
    budget: LocalAccount
    #: Merchant paid in the VAT payment (an existing holder).
    merchant: LocalAccount
    #: Tax treasury; the fee address in the ERC20FeeProxy peer (an existing holder).
    tax: LocalAccount
    #: KYC-approved (where approval exists) but has never held a token.
    newcomer: str
    #: Existing holders receiving the batch payout.
    recipients: tuple[str, ...]

    @classmethod
    def from_dev_keys(cls) -> "Cast":
        admin, bank, alice, bob, spender, permit_spender, relayer, budget, merchant, tax, peer_admin = dev_keys(
            SIGNERS
        )
        return cls(
            admin=admin,
            peer_admin=peer_admin,
            bank=bank,
            alice=alice,
            bob=bob,
            spender=spender,
            permit_spender=permit_spender,
            relayer=relayer,
            budget=budget,
            merchant=merchant,
            tax=tax,
            newcomer=_keyless_address("newcomer"),
            recipients=tuple(_keyless_address(f"pupil-{i}") for i in range(BATCH_RECIPIENTS)),
        )
