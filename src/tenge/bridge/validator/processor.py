"""One step of one watched chain: read the next finalized block range, re-check every event, sign, and advance
the cursor — all in one database transaction. Never skips a nonce; halts on a reorg past what it processed."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from eth_account.signers.local import LocalAccount
from sqlalchemy import select
from sqlalchemy.orm import Session

from tenge.bridge.attestations import Attestation, BridgeDomain, Kind, Subject, escrow_from_tiyn, sign
from tenge.bridge.messages import PayloadTransfer
from tenge.bridge.orders import payload_of_order
from tenge.bridge.validator.chain import LOCK_EVENTS, Event, WatchedChain
from tenge.bridge.validator.metrics import ValidatorMetrics, log_event
from tenge.bridge.validator.models import ChainState, SeenNonce, SignedAttestation
from tenge.bridge.validator.store import ValidatorStore
from tenge.errors import TengeError

#: events that assign a nonce at the source (a transfer with a payload is never queued)
SENT_EVENTS = ("TransferSent", "OutboundQueued", "PayloadTransferSent")
#: signed transfers whose blocks are re-checked at start
RECHECK_AT_START = 50
#: most seconds an idle validator goes without re-checking its cursor block (reorg past finality)
RECHECK_SECONDS = 1.0


class Halted(TengeError):
    """The chain disagrees with what this validator already signed or processed (a reorg past finality)."""

    exit_code = 3

    def __init__(self, chain_id: int, reason: str) -> None:
        super().__init__(f"halted on chain {chain_id}: {reason}; a human must decide (do NOT resume by force)")
        self.chain_id, self.reason = chain_id, reason


@dataclass
class Processor:
    chain: WatchedChain
    #: chain id -> the other ends (destinations of this chain's transfers, sources of its deliveries)
    peers: dict[int, WatchedChain]
    key: LocalAccount
    store: ValidatorStore
    metrics: ValidatorMetrics
    log_range: int
    escrow_every_blocks: int
    home: bool
    #: per step (see _preload): nonce -> seen row, candidate attestation keys, (kind, key) -> signed row
    _seen: dict[int, SeenNonce] = field(default_factory=dict)
    _candidates: set[str] = field(default_factory=set)
    _signed: dict[tuple[str, str], SignedAttestation] = field(default_factory=dict)
    #: the cursor when the last full check found nothing new, and until when that check stands
    _cursor: int | None = None
    _recheck_at: float = 0.0

    @property
    def chain_id(self) -> int:
        return self.chain.chain_id

    def start(self) -> None:
        """Create the cursor on first run (just before the bridge's deployment); re-check recent signatures."""
        if self.store.chain(self.chain_id) is None:
            first = max(self.chain.client.deploy_block - 1, 0)
            with self.store.transaction() as session:
                session.add(
                    ChainState(
                        chain_id=self.chain_id, bridge=self.chain.address, block_number=first,
                        block_hash=self.chain.block_hash(first) or "", contiguous_nonce=0, halted=False,
                    )
                )  # fmt: skip
        state = self._state()
        if state.bridge != self.chain.address:
            raise Halted(self.chain_id, f"the store was made for bridge {state.bridge}, not {self.chain.address}")
        for number, block_hash, key in self.store.signed_blocks(self.chain_id, RECHECK_AT_START):
            now = self.chain.block_hash(number)
            if now is not None and now != block_hash:
                raise Halted(self.chain_id, f"signed transfer {key} was in block {number} {block_hash}, now {now}")
        self.metrics.finalized_block.labels(self.chain.name).set(state.block_number)
        if state.highest_signed_nonce is not None:
            self.metrics.latest_signed_nonce.labels(self.chain.name).set(state.highest_signed_nonce)

    def _state(self) -> ChainState:
        state = self.store.chain(self.chain_id)
        assert state is not None
        if state.halted:
            raise Halted(self.chain_id, state.reason or "halted")
        return state

    def step(self) -> bool:
        """Process the next finalized range; True when there may be more to do right away."""
        # Idle polls cost one eth_blockNumber: the full check (store, cursor block hash, head) runs when a new block
        # is final or once a second (a reorg past finality is still caught within a second).
        if self._cursor is not None and time.monotonic() < self._recheck_at and self.chain.final_number() <= self._cursor:
            return False
        state = self._state()
        now = self.chain.block_hash(state.block_number)
        if now is None:
            log_event("node_behind", chain=self.chain_id, block=state.block_number)
            return False
        if state.block_hash and now != state.block_hash:
            raise Halted(
                self.chain_id,
                f"block {state.block_number} was {state.block_hash} when processed at finality, now {now} "
                "(reorg past finality)",
            )
        head = self.chain.head()
        self.metrics.finalized_block.labels(self.chain.name).set(max(head.number, state.block_number))
        if head.number <= state.block_number:
            self._cursor, self._recheck_at = state.block_number, time.monotonic() + RECHECK_SECONDS
            return False
        self._cursor = None
        start, end = state.block_number + 1, min(head.number, state.block_number + self.log_range)
        events = self.chain.events(start, end)
        for event, problem in zip(events, self.chain.confirm_all(events)):
            if problem:
                self.metrics.orphaned.labels(self.chain.name).inc()
                log_event("orphaned", chain=self.chain_id, tx=event.tx_hash, block=event.block_number, why=problem)
                return False
        # a failure whose transfer this validator has not read yet at its source: stop before it, come back
        for event in events:
            if event.name == "TransferFailed" and self.store.find_transfer(event.transfer_id) is None:
                end = event.block_number - 1
                events = [e for e in events if e.block_number <= end]
                break
        if end < start:
            return False
        end_hash = self.chain.block_hash(end)
        if end_hash is None:
            return False
        escrow_blocks = self._escrow_blocks(events, start, end)
        escrow_values = {b: {c: self.chain.locked_at(c, b) for c in self.peers} for b in escrow_blocks}
        next_nonce = self.chain.next_nonce_at(end)
        with self.store.transaction() as session:
            row = session.get(ChainState, self.chain_id)
            assert row is not None
            state = row
            self._preload(session, events)
            with session.no_autoflush:  # one flush of every new row below, not one per event
                for event in events:
                    self._apply(session, state, event)
                for block, values in escrow_values.items():
                    for remote, locked in values.items():
                        self._sign_escrow(session, remote, block, locked)
            session.flush()
            state.block_number, state.block_hash = end, end_hash
            self._check_gaps(session, state, next_nonce)
            cursor = state.block_number
        self.metrics.finalized_block.labels(self.chain.name).set(cursor)
        log_event("processed", chain=self.chain_id, from_block=start, to_block=end, events=len(events))
        return end < head.number

    # --- events -------------------------------------------------------------------------------------

    def _preload(self, session: Session, events: list[Event]) -> None:
        """The rows a range may touch, read in two queries rather than two per event: the nonces seen and the
        attestations signed under the ids of its events."""
        nonces = [e.transfer.nonce for e in events if e.name in SENT_EVENTS]
        query = select(SeenNonce).where(SeenNonce.chain_id == self.chain_id, SeenNonce.nonce.in_(nonces))
        self._seen = {row.nonce: row for row in session.scalars(query)} if nonces else {}
        self._candidates = {e.transfer_id.lower() for e in events}
        signed = select(SignedAttestation).where(SignedAttestation.key.in_(sorted(self._candidates)))
        self._signed = {(r.kind, r.key): r for r in session.scalars(signed)} if self._candidates else {}

    def _apply(self, session: Session, state: ChainState, event: Event) -> None:
        if event.name in SENT_EVENTS:
            transfer = event.transfer
            peer = self.peers.get(transfer.dest_chain_id)
            if transfer.source_chain_id != self.chain_id or transfer.source_bridge != self.chain.address:
                log_event("ignored", chain=self.chain_id, id=event.transfer_id, why="not from this bridge")
                return
            seen = self._seen.get(transfer.nonce)  # preloaded: every nonce of this range already stored
            if seen is not None and seen.transfer_id != event.transfer_id:
                raise Halted(self.chain_id, f"nonce {transfer.nonce} was {seen.transfer_id}, now {event.transfer_id}")
            if seen is None:
                seen = SeenNonce(chain_id=self.chain_id, nonce=transfer.nonce, transfer_id=event.transfer_id)
                session.add(seen)
                self._seen[transfer.nonce] = seen
            if event.name == "OutboundQueued" and seen.state == "sent":
                return
            seen.state = "queued" if event.name == "OutboundQueued" else "sent"
            seen.block_number, seen.block_hash, seen.tx_hash = event.block_number, event.block_hash, event.tx_hash
            if event.name == "OutboundQueued":
                log_event("queued_seen", chain=self.chain_id, nonce=transfer.nonce, id=event.transfer_id)
                return
            if peer is None or transfer.dest_bridge != peer.address:
                log_event("ignored", chain=self.chain_id, id=event.transfer_id, why="destination not watched")
                return
            domain = BridgeDomain(peer.chain_id, peer.address)
            # A transfer with a payload is signed with it (PayloadTransfer): only deliverWithPayload accepts that.
            kind: Kind = "PayloadTransfer" if event.name == "PayloadTransferSent" else "Transfer"
            subject: Subject = PayloadTransfer(transfer, payload_of_order(event.args["order"])) if kind == "PayloadTransfer" else transfer
            if self._sign(session, kind, event.transfer_id, domain, subject, self.chain_id, transfer.nonce, event):
                if state.highest_signed_nonce is None or transfer.nonce > state.highest_signed_nonce:
                    state.highest_signed_nonce = transfer.nonce
                self.metrics.latest_signed_nonce.labels(self.chain.name).set(state.highest_signed_nonce)
        elif event.name == "TransferFailed":
            seen_row = self.store.find_transfer(event.transfer_id)
            signed = self.store.attestation("Transfer", event.transfer_id) or self.store.attestation(
                "PayloadTransfer", event.transfer_id
            )
            if seen_row is None or signed is None:
                log_event("ignored", chain=self.chain_id, id=event.transfer_id, why="failed transfer not signed here")
                return
            failed = Attestation.from_dict(signed).subject
            if isinstance(failed, PayloadTransfer):  # refunded as any transfer: its fields, without the payload
                failed = failed.transfer
            source = self.peers.get(seen_row.chain_id)
            if source is None:
                return
            domain = BridgeDomain(source.chain_id, source.address)
            self._sign(session, "Refund", event.transfer_id, domain, failed, source.chain_id, seen_row.nonce, event)

    def _sign(
        self, session: Session, kind: Kind, key: str, domain: BridgeDomain, subject: Subject,
        chain_id: int, number: int, event: Event | None, block: tuple[int, str] | None = None,
    ) -> bool:  # fmt: skip
        """Sign and store, once: an existing signature over the same message is kept; another message under the
        same key means the chain changed under a signature -> halt."""
        attestation = sign(kind, self.key, domain, subject)
        if key.lower() in self._candidates:  # preloaded for this range
            existing = self._signed.get((kind, key.lower()))
        else:
            query = select(SignedAttestation).where(SignedAttestation.kind == kind, SignedAttestation.key == key.lower())
            existing = session.scalars(query).first()
        if existing is not None:
            if Attestation.from_dict(json.loads(existing.body)).subject != subject:
                raise Halted(self.chain_id, f"{kind} {key} was signed for another message than the chain now shows")
            return True
        where = (event.block_number, event.block_hash) if event else block
        assert where is not None
        signed = SignedAttestation(
            kind=kind, key=key.lower(), chain_id=chain_id, number=number, block_number=where[0],
            block_hash=where[1], body=json.dumps(attestation.to_dict()),
        )  # fmt: skip
        session.add(signed)
        self._signed[(kind, key.lower())] = signed
        self.metrics.signatures.labels(kind, str(chain_id)).inc()
        log_event("signed", kind=kind, key=key, chain=chain_id, number=number, block=where[0])
        return True

    # --- escrow (home only) -------------------------------------------------------------------------

    def _escrow_blocks(self, events: list[Event], start: int, end: int) -> list[int]:
        if not self.home:
            return []
        blocks = {e.block_number for e in events if e.name in LOCK_EVENTS}
        k = self.escrow_every_blocks
        blocks |= set(range(((start + k - 1) // k) * k, end + 1, k))
        return sorted(blocks)

    def _sign_escrow(self, session: Session, remote: int, block: int, locked: int) -> None:
        """EscrowAttestation at home block ``block``: sequence = the block number, timestamp = its time, so every
        validator signs the same message for the same block."""
        peer = self.peers[remote]
        block_hash = self.chain.block_hash(block) or ""
        figure = escrow_from_tiyn(self.chain_id, self.chain.address, locked, block, self.chain.timestamp(block))
        domain = BridgeDomain(peer.chain_id, peer.address)
        self._sign(session, "EscrowAttestation", f"{remote}:{block}", domain, figure, remote, block, None, (block, block_hash))

    # --- gaps ---------------------------------------------------------------------------------------

    def _check_gaps(self, session: Session, state: ChainState, next_nonce: int) -> None:
        """Every nonce below the bridge's ``nextNonce`` at the processed block must have been seen; a hole means
        the log stream missed one: re-scan from the last contiguous nonce's block (never skip)."""
        nonce = state.contiguous_nonce
        while nonce < next_nonce and session.get(SeenNonce, (self.chain_id, nonce)) is not None:
            nonce += 1
        state.contiguous_nonce = nonce
        if nonce >= next_nonce:
            return
        self.metrics.gaps.labels(self.chain.name).inc()
        before = session.get(SeenNonce, (self.chain_id, nonce - 1)) if nonce > 0 else None
        # the missing one may share the block of the last one seen: re-read from just before it
        first = before.block_number - 1 if before is not None else self.chain.client.deploy_block - 1
        state.block_number = max(first, 0)
        state.block_hash = self.chain.block_hash(state.block_number) or ""
        log_event("gap", chain=self.chain_id, missing_nonce=nonce, next_nonce=next_nonce, rescan_from=state.block_number)
