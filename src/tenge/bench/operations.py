"""What the benchmark measures (rows), for whom (columns), and the targets our token must meet.

Targets and reference figures are issue #3 (token), #4 (VAT payments), #9/#18 (bridge) and #23 (VAT payment
at most its ERC20FeeProxy peer, programme spend, reward claim), measured on anvil 1.7.1.

A row is one :class:`Operation` (key, label, target, and optionally the peer column it must not exceed). Rows of
the token table are measured by :mod:`tenge.bench.scenarios`; a row with its own contracts and its own peer (a
PvP settlement, an offline-purse settlement ...) is declared once in :data:`tenge.bench.rows.EXTRA_ROWS`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Operation:
    key: str
    label: str
    #: Most gas our token (behind its proxy, every check live) may use; None: no target set.
    target: int | None = None
    #: A column (key) measured in the same run whose figure ours must not exceed; None: no such target.
    at_most_peer: str | None = None

    @property
    def has_target(self) -> bool:
        return self.target is not None or self.at_most_peer is not None


@dataclass(frozen=True)
class Column:
    key: str
    #: Short, for the table header.
    label: str
    #: What the column measures, for the JSON and the table's footnotes.
    description: str


TRANSFER_EXISTING = Operation("transfer_existing", "transfer, existing → existing", 39_330)
TRANSFER_NEW = Operation("transfer_new_holder", "transfer to a new holder")
TRANSFER_FROM = Operation("transfer_from", "transferFrom, existing → existing")
APPROVE = Operation("approve", "approve (new allowance)")
PERMIT = Operation("permit", "permit (first use)", 74_729)
TRANSFER_WITH_AUTHORIZATION = Operation("transfer_with_authorization", "transferWithAuthorization", 70_000)
MINT = Operation("mint", "mint by a bank, existing holder", 50_000)
MINT_RESERVE_GATED = Operation("mint_reserve_gated", "mint by a bank, reserve-gated (a stablecoin with its own attested reserve; on BSC the bridge mints)")
BATCH_PAYOUT = Operation("batch_payout", "batch payout, per recipient (100)", 9_000)
#: Issue #23: at most Request Network's ERC20FeeProxy over the naive permissioned token, measured in the same run.
VAT_PAYMENT = Operation("vat_payment", "VAT payment 16% (peers: ERC20FeeProxy)", at_most_peer="naive")
#: The same payment as the first invoice of a page of the merchant's invoice book (it fills the page's new word,
#: once per 32 invoices), and as a payment by reference (``pay``: one new record slot per payment).
VAT_PAYMENT_PAGE_FIRST = Operation("vat_payment_page_first", "VAT payment 16%, first invoice of a book page (1 in 32)")
VAT_PAYMENT_BY_REFERENCE = Operation("vat_payment_by_reference", "VAT payment 16% by reference (pay: a new slot each)")
#: Issue #11: purpose-bound programmes and rewards (ours only).
PROGRAMME_ALLOCATE = Operation("programme_allocate", "programme allocation, per beneficiary (100)", 30_000)
PROGRAMME_SPEND = Operation("programme_spend", "programme spend at a canteen, VAT 16%", 115_000)
REWARD_CLAIM = Operation("reward_claim", "reward claim (attested, move-to-earn)", 80_000)

#: Bridge (issue #9). Targets: send <= 80,000; receive with 3-of-5 signatures <= 120,000.
BRIDGE_SEND_HOME = Operation("bridge_send_home", "bridge send, home → BNB (lock in escrow)", 80_000)
BRIDGE_SEND_REMOTE = Operation("bridge_send_remote", "bridge send, BNB → home (crosschainBurn)", 80_000)
BRIDGE_RECEIVE_REMOTE: tuple[Operation, ...] = (
    Operation("bridge_receive_remote_1", "bridge receive on BNB (mint), 1-of-5 sigs"),
    Operation("bridge_receive_remote_3", "bridge receive on BNB (mint), 3-of-5 sigs", 120_000),
    Operation("bridge_receive_remote_5", "bridge receive on BNB (mint), 5-of-5 sigs"),
)
BRIDGE_RECEIVE_HOME: tuple[Operation, ...] = (
    Operation("bridge_receive_home_1", "bridge receive at home (release), 1-of-5 sigs"),
    Operation("bridge_receive_home_3", "bridge receive at home (release), 3-of-5 sigs", 120_000),
    Operation("bridge_receive_home_5", "bridge receive at home (release), 5-of-5 sigs"),
)
#: ``deliverBatch`` of 20 transfers (3-of-5 signatures each): the transaction's gasUsed / 20.
BRIDGE_BATCH_SIZE = 20
BRIDGE_RECEIVE_BATCH_REMOTE = Operation(
    "bridge_receive_batch_remote", f"bridge receive on BNB, per transfer in a batch of {BRIDGE_BATCH_SIZE} (3-of-5)"
)
BRIDGE_RECEIVE_BATCH_HOME = Operation(
    "bridge_receive_batch_home", f"bridge receive at home, per transfer in a batch of {BRIDGE_BATCH_SIZE} (3-of-5)"
)
BRIDGE_OPERATIONS: tuple[Operation, ...] = (
    BRIDGE_SEND_HOME,
    *BRIDGE_RECEIVE_REMOTE,
    BRIDGE_RECEIVE_BATCH_REMOTE,
    BRIDGE_SEND_REMOTE,
    *BRIDGE_RECEIVE_HOME,
    BRIDGE_RECEIVE_BATCH_HOME,
)

OPERATIONS: tuple[Operation, ...] = (
    TRANSFER_EXISTING,
    TRANSFER_NEW,
    TRANSFER_FROM,
    APPROVE,
    PERMIT,
    TRANSFER_WITH_AUTHORIZATION,
    MINT,
    MINT_RESERVE_GATED,
    BATCH_PAYOUT,
    VAT_PAYMENT,
    VAT_PAYMENT_PAGE_FIRST,
    VAT_PAYMENT_BY_REFERENCE,
    *BRIDGE_OPERATIONS,
    PROGRAMME_ALLOCATE,
    PROGRAMME_SPEND,
    REWARD_CLAIM,
)

OURS = Column(
    "ours",
    "ours",
    "DigitalTenge behind its ERC1967 proxy, every check live (KYC, tier cap, freeze, pause); "
    "VAT row: VatPayments.payInvoice through it (an invoice of a book page in use)",
)
OZ_PLAIN = Column("oz_plain", "OZ plain", "OpenZeppelin 5.4 ERC20 + ERC20Permit, no proxy (contracts/bench/PlainToken.sol)")
OZ_UUPS = Column(
    "oz_uups",
    "OZ UUPS",
    "OpenZeppelin 5.4 ERC20Upgradeable + ERC20PermitUpgradeable + UUPSUpgradeable behind ERC1967Proxy "
    "(contracts/bench/PlainUpgradeableToken.sol)",
)
NAIVE = Column(
    "naive",
    "naive permissioned",
    "OpenZeppelin 5.4 ERC20 + ERC20Permit + AccessControl + Pausable with kyc/frozen mappings checked for both "
    "sides, no proxy (contracts/bench/NaivePermissionedToken.sol)",
)

COLUMNS: tuple[Column, ...] = (OURS, OZ_PLAIN, OZ_UUPS, NAIVE)

#: Reference figures quoted in the issues (anvil 1.7.1), to check that our peers reproduce them.
ISSUE_REFERENCE_FIGURES: dict[str, dict[str, int]] = {
    TRANSFER_EXISTING.key: {OZ_PLAIN.key: 34_431, OZ_UUPS.key: 39_330, NAIVE.key: 45_522},
    PERMIT.key: {OZ_PLAIN.key: 74_729, OZ_UUPS.key: 85_648},
    MINT.key: {NAIVE.key: 43_337},
    VAT_PAYMENT.key: {OZ_PLAIN.key: 61_550, NAIVE.key: 77_738},
}

#: Circle CCTP v1 on anvil 1.7.1 (issue #9; quoted, not rebuilt in the bench): the bridge rows' peer.
CCTP_V1_REFERENCE: dict[str, int] = {
    "depositForBurn": 108_304,
    "receiveMessage (1 attester, existing holder)": 134_800,
}
