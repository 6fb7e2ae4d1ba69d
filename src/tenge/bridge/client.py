"""BridgeClient: one end of the bridge (home or BNB-side) from Python, in Decimal tenge.

    from tenge.session import Session
    home = Session.open("kz-ledger", account="treasury-ops").bridge()
    sent = home.send(97, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "250.00")   # approves, then sends
    sent.transfer            # the message validators sign (tenge.bridge.messages.BridgeTransfer)

    bnb = Session.open("bsc-testnet", account="relayer").bridge()
    bnb.deliver(sent.transfer, attestations)      # anyone holding a threshold of signatures

Every write is estimated first: a call the contract would refuse raises its custom error by name
(``tenge.errors.InsufficientSignatures`` ...) and sends nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.logs import DISCARD

from tenge.addresses import checksum_address
from tenge.amounts import AmountLike, format_tenge, from_tiyn, parse_tenge, to_tiyn
from tenge.bridge.attestations import (
    Attestation,
    AttestationError,
    BridgeDomain,
    EscrowFigure,
    Kind,
    StrandedRelease,
    Subject,
    one_message,
    sign,
)
from tenge.bridge.governance import ValidatorGovernance
from tenge.bridge.messages import MAX_UINT64, BridgeTransfer, parse_chain_id, parse_transfer_id
from tenge.deploy.bridge_config import MAX_UINT128
from tenge.deploy.bridge_steps import HOME_BRIDGE, REMOTE_BRIDGE
from tenge.errors import ContractRevert, DeploymentError, InvalidInput
from tenge.session import Session
from tenge.token.results import TxResult

if TYPE_CHECKING:
    from tenge.bridge.queue import QueueEntry

Role = Literal["home", "remote"]
INBOUND = ("None", "Delivered", "Queued", "Failed", "Deferred")
OUTBOUND = ("None", "Sent", "Queued", "Cancelled", "Refunded", "Rejected")


@dataclass(frozen=True)
class BucketState:
    """A rate-limit bucket now: capacity, what can cross now, refill per second (tenge)."""

    capacity: Decimal
    available: Decimal
    refill_per_second: Decimal

    def to_dict(self) -> dict[str, Any]:
        """These fields as a dict of plain values (Decimal amounts); ``--json`` prints it in snake_case."""
        return {"capacity": self.capacity, "available": self.available, "refillPerSecond": self.refill_per_second}


@dataclass(frozen=True)
class SendResult:
    """A sent transfer: the message validators will sign, whether the rate limit queued it, the transaction."""

    transfer: BridgeTransfer
    #: True when the outbound rate limit queued it (complete later, or cancel for a refund).
    queued: bool
    tx: TxResult

    def to_dict(self) -> dict[str, Any]:
        """These fields as a dict of plain values (Decimal amounts); ``--json`` prints it in snake_case."""
        return {"id": self.transfer.id_hex, "queued": self.queued, "transfer": self.transfer.to_dict(), **self.tx.to_dict()}


@dataclass(frozen=True)
class InboundResult:
    """What a delivery or completion did: Delivered, Queued, Deferred or Failed (with the token's error)."""

    transfer_id: str
    status: str
    tx: TxResult
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """These fields as a dict of plain values (Decimal amounts); ``--json`` prints it in snake_case."""
        data = {"id": self.transfer_id, "status": self.status.lower(), **self.tx.to_dict()}
        return {**data, "reason": self.reason} if self.reason else data


class BridgeClient(ValidatorGovernance):
    """The bridge contract of a session's deployment: ``TengeBridgeHome`` or ``TengeBridgeRemote``."""

    def __init__(self, session: Session, key: str | None = None) -> None:
        self.session = session
        self.w3 = session.w3
        contracts = session.record.contracts
        self.role: Role
        if key is not None:  # a bridge recorded under another key (a retired one: tenge.bridge.replacement)
            self.role = "home" if contracts[key]["artifact"] == HOME_BRIDGE else "remote"
        elif HOME_BRIDGE in contracts:
            self.role = "home"
        elif REMOTE_BRIDGE in contracts:
            self.role = "remote"
        else:
            raise DeploymentError(
                f"no bridge in the deployment record of {session.network.name!r}: the network is neither the bridge's "
                "home nor one of its remotes ([bridge] in the suite configuration), or it was deployed before the bridge"
            )
        self.key = key or (HOME_BRIDGE if self.role == "home" else REMOTE_BRIDGE)
        self.contract: Contract = session.contract(self.key)
        self.address: str = str(self.contract.address)
        self.deploy_block: int = int(contracts[self.key].get("blockNumber", 0))

    # --- identity -------------------------------------------------------------------------------------

    @cached_property
    def chain_id(self) -> int:
        """The chain id of this bridge's chain (read once)."""
        return int(self.w3.eth.chain_id)

    @cached_property
    def domain(self) -> BridgeDomain:
        """This bridge as the verifying contract of attestations."""
        return BridgeDomain(self.chain_id, self.address)

    @cached_property
    def currency(self) -> str:
        """The token's currency code (e.g. ``KZT``), for amounts in messages."""
        return self.session.token().currency

    # --- views ----------------------------------------------------------------------------------------

    def paused(self) -> bool:
        """Whether the bridge is paused (no sending, delivering, completing, cancelling or refunding)."""
        return bool(self.contract.functions.paused().call())

    def next_nonce(self) -> int:
        """The nonce the next transfer sent from this bridge gets (so also how many were sent)."""
        return int(self.contract.functions.nextNonce().call())

    def validators(self) -> list[str]:
        """The validators' addresses, sorted."""
        return sorted(str(v) for v in self.contract.functions.validators().call())

    def threshold(self) -> int:
        """How many distinct validators' signatures a delivery, refund or escrow attestation needs."""
        return int(self.contract.functions.threshold().call())

    def deferral_timeout(self) -> int:
        """Seconds a Deferred delivery (reserve not covering it yet) may wait before it fails and is refunded."""
        return int(self.contract.functions.deferralTimeout().call())

    def is_validator(self, account: str) -> bool:
        """Whether ``account`` is one of this bridge's validators."""
        return bool(self.contract.functions.isValidator(checksum_address(account)).call())

    def remote_bridge(self, chain_id: int) -> str | None:
        """The peer bridge registered for ``chain_id``, or None when the chain is not served."""
        address = str(self.contract.functions.remoteBridge(_chain(chain_id)).call())
        return None if int(address, 16) == 0 else address

    def peer_chains(self) -> list[int]:
        """The chains this bridge talks to: the home's registered remotes, or the remote's home."""
        if self.role == "remote":
            return [self.home_chain_id()]
        keys = [k for k in self.session.record.calls if k.startswith("bridge:limits:")]
        return sorted(int(k.rsplit(":", 1)[1]) for k in keys)

    def rate_limit(self, chain_id: int, *, inbound: bool) -> BucketState:
        """The inbound or outbound bucket of ``chain_id`` now: capacity, available and refill per second, in tenge."""
        capacity, available, rate = self.contract.functions.rateLimit(_chain(chain_id), bool(inbound)).call()
        return BucketState(from_tiyn(capacity), from_tiyn(available), from_tiyn(rate))

    def max_transfer(self, chain_id: int, *, inbound: bool) -> Decimal | None:
        """The largest single transfer from / to ``chain_id`` that crosses without the delay (None: the capacity)."""
        value = int(self.contract.functions.maxTransfer(_chain(chain_id), bool(inbound)).call())
        return from_tiyn(value) if value else None

    def queue_delay(self) -> int:
        """Seconds a queued transfer waits at most (an oversized one: exactly) before anyone may complete it."""
        return int(self.contract.functions.queueDelay().call())

    def queue_entry(self, transfer: BridgeTransfer) -> "QueueEntry | None":
        """The queue entry of ``transfer`` here (outbound from here, or inbound to here), or None if not queued."""
        from tenge.bridge.queue import queue_entry

        return queue_entry(self, transfer)

    def locked(self, chain_id: int) -> Decimal:
        """Everything locked at home for ``chain_id`` (sent or queued), net of cancels and refunds; releases do not
        lower it. Validators attest it to the remote as ``EscrowAttestation.escrowed``. Home only."""
        self._only("home", "locked")
        return from_tiyn(self.contract.functions.locked(_chain(chain_id)).call())

    def home_chain_id(self) -> int:
        """The home ledger's chain id (remote only)."""
        self._only("remote", "homeChainId")
        return int(self.contract.functions.homeChainId().call())

    def last_escrow_attestation(self) -> tuple[Decimal, int, int]:
        """(escrowed, sequence, timestamp) of the last escrow attestation accepted. Remote only."""
        self._only("remote", "lastEscrowAttestation")
        escrowed, sequence, timestamp = self.contract.functions.lastEscrowAttestation().call()
        return from_tiyn(escrowed), int(sequence), int(timestamp)

    def inbound_status(self, transfer_id: str | bytes) -> str:
        """None, Delivered, Queued, Failed or Deferred: the transfer at this bridge as its destination."""
        return INBOUND[int(self.contract.functions.inboundStatus(parse_transfer_id(transfer_id)).call())]

    def outbound_status(self, nonce: int) -> str:
        """None, Sent, Queued, Cancelled or Refunded: this bridge's transfer number ``nonce``."""
        return OUTBOUND[int(self.contract.functions.outboundStatus(_nonce(nonce)).call())]

    def status(self, transfer_id: str | bytes, *, peer: "BridgeClient | None" = None, attestations: list[Attestation] | None = None) -> Any:
        """Where ``transfer_id`` is (a :class:`tenge.bridge.status.TransferStatus`): this bridge is its source when
        it left from here, else its destination; ``peer`` is the other end, ``attestations`` tell "attested"."""
        from tenge.bridge.status import find_transfer, transfer_status

        is_source = find_transfer(self, transfer_id) is not None
        source, destination = (self, peer) if is_source else (peer, self)
        return transfer_status(transfer_id, source=source, destination=destination, attestations=attestations)

    def transfer_digest(self, transfer: BridgeTransfer, kind: Kind = "Transfer") -> bytes:
        """The digest this bridge verifies (to cross-check eth_account's EIP-712 hashing)."""
        function = {"Transfer": "transferDigest", "Refund": "refundDigest"}[kind]
        return bytes(self.contract.functions[function](transfer.as_struct()).call())

    # --- transfers ------------------------------------------------------------------------------------

    def send(self, dest_chain_id: int, recipient: str, amount: AmountLike) -> SendResult:
        """Send ``amount`` tenge from the signer to ``recipient`` on ``dest_chain_id``.

        At home the bridge pulls the money into escrow: the signer's allowance is raised first when short.
        """
        recipient, value = checksum_address(recipient), parse_tenge(amount, allow_zero=False)
        chain = _chain(dest_chain_id)
        call = self.contract.functions.send(chain, recipient, to_tiyn(value))
        description = f"bridge {self._fmt(value)} to {recipient} on chain {chain}"
        if self.role == "home":
            # The approval is a transaction of its own: check first what would make the send fail anyway.
            self._check_sendable(chain, value)
            token = self.session.token()
            if token.allowance(self.me, self.address) < value:
                self._check_send_but_allowance(call, description)
                token.approve(self.address, value)
        sent = self.session.signer.send(call, description=description)
        receipt = sent.receipt
        for name, queued in (("TransferSent", False), ("OutboundQueued", True)):
            logs = self.contract.events[name]().process_receipt(receipt, errors=DISCARD)
            if logs:
                return SendResult(BridgeTransfer.from_struct(logs[0]["args"]["transfer"]), queued, TxResult.from_sent(sent))
        raise InvalidInput(f"transaction {sent.tx_hash} emitted no TransferSent or OutboundQueued event")  # pragma: no cover

    def deliver(self, transfer: BridgeTransfer, attestations: list[Attestation]) -> InboundResult:
        """Deliver ``transfer`` here with a threshold of validators' ``Transfer`` signatures (anyone may)."""
        signers, signatures = self._signatures(attestations, "Transfer", transfer)
        call = self.contract.functions.deliver(transfer.as_struct(), signers, signatures)
        return self._inbound(call, transfer, f"deliver transfer {transfer.id_hex}")

    def deliver_batch(self, items: Sequence[tuple[BridgeTransfer, Sequence[Attestation]]]) -> dict[str, tuple[str, bool]]:
        """Deliver many transfers in one ``deliverBatch`` transaction (anyone may): id -> (status, skipped), where
        a skipped transfer had already been processed here (its status is the one it had)."""
        from tenge.bridge.batch import batch_call, batch_outcomes

        sent = self.session.signer.send(batch_call(self, items), description=f"deliver a batch of {len(items)} transfers")
        return batch_outcomes(self, sent.receipt)

    def check_deliver(self, transfer: BridgeTransfer, attestations: list[Attestation]) -> None:
        """Estimate :meth:`deliver` without sending: raises the custom error it would revert with."""
        signers, signatures = self._signatures(attestations, "Transfer", transfer)
        self._estimate(self.contract.functions.deliver(transfer.as_struct(), signers, signatures), f"deliver {transfer.id_hex}")

    def check_complete_inbound(self, transfer: BridgeTransfer) -> None:
        """Estimate :meth:`complete_inbound` without sending."""
        self._estimate(self.contract.functions.completeInbound(transfer.as_struct()), f"complete {transfer.id_hex}")

    def complete_inbound(self, transfer: BridgeTransfer) -> InboundResult:
        """Complete a transfer the inbound rate limit queued, once capacity is back (anyone may)."""
        call = self.contract.functions.completeInbound(transfer.as_struct())
        return self._inbound(call, transfer, f"complete queued inbound transfer {transfer.id_hex}")

    def complete_outbound(self, transfer: BridgeTransfer) -> TxResult:
        """Send a transfer the outbound rate limit queued, once capacity is back (anyone may)."""
        return self._send(self.contract.functions.completeOutbound(transfer.as_struct()), f"complete queued transfer {transfer.id_hex}")

    def cancel(self, transfer: BridgeTransfer) -> TxResult:
        """Cancel the signer's queued outbound transfer; the money comes back."""
        return self._send(self.contract.functions.cancelOutbound(transfer.as_struct()), f"cancel queued transfer {transfer.id_hex}")

    def refund(self, transfer: BridgeTransfer, attestations: list[Attestation]) -> TxResult:
        """Refund the sender of a transfer that failed at its destination (validators' ``Refund`` signatures). One
        sent from a retired BNB-side bridge is refunded by its successor: give either (:mod:`tenge.bridge.refunds`)."""
        from tenge.bridge.refunds import refund_call

        call = refund_call(self, transfer, attestations)
        return self._send(call, f"refund transfer {transfer.id_hex} to {transfer.sender}")

    def hold(self, transfer: "BridgeTransfer | str | bytes", held: bool = True) -> TxResult:
        """Hold a queued transfer (nobody completes it), or let it go with ``held=False`` (PAUSER_ROLE); by its
        message or its id."""
        tid = transfer.id if isinstance(transfer, BridgeTransfer) else parse_transfer_id(transfer)
        verb = "hold" if held else "let go"
        return self._send(self.contract.functions.holdQueued(tid, bool(held)), f"{verb} queued transfer 0x{tid.hex()}")

    def reject(self, transfer: BridgeTransfer) -> TxResult:
        """Reject a queued transfer: outbound, its sender is paid back; inbound, it becomes Failed and is refunded at
        its source (DEFAULT_ADMIN_ROLE)."""
        return self._send(self.contract.functions.rejectQueued(transfer.as_struct()), f"reject queued transfer {transfer.id_hex}")

    def attest_escrow(self, figure: EscrowFigure, attestations: list[Attestation]) -> TxResult:
        """Post validators' attestation of the home escrow to the BNB-side token's reserve gate. Remote only."""
        self._only("remote", "attestEscrow")
        signers, signatures = self._signatures(attestations, "EscrowAttestation", figure)
        call = self.contract.functions.attestEscrow(figure.as_struct(), signers, signatures)
        return self._send(call, f"attest home escrow of {self._fmt(figure.escrowed)} (sequence {figure.sequence})")

    def release_stranded(self, release: StrandedRelease, attestations: list[Attestation]) -> TxResult:
        """Release home escrow stranded by burns outside the bridge on a BNB-side chain (validators'
        ``StrandedRelease`` signatures; DEFAULT_ADMIN_ROLE). Home only. See :mod:`tenge.bridge.stranded`."""
        self._only("home", "releaseStranded")
        signers, signatures = self._signatures(attestations, "StrandedRelease", release)
        call = self.contract.functions.releaseStranded(release.as_struct(), signers, signatures)
        return self._send(call, f"release {self._fmt(release.amount)} of stranded escrow to {release.to}")

    # --- signing (validators) -------------------------------------------------------------------------

    def sign(self, kind: Kind, validator: Any, subject: Subject) -> Attestation:
        """``validator``'s attestation of ``subject`` for THIS bridge as the verifying one."""
        return sign(kind, validator, self.domain, subject)

    # --- administration -------------------------------------------------------------------------------

    def set_rate_limits(
        self, chain_id: int, *, inbound: tuple[AmountLike, AmountLike], outbound: tuple[AmountLike, AmountLike]
    ) -> TxResult:
        """Buckets of ``chain_id``: (capacity, refill per second) in tenge, each direction."""
        values = [to_tiyn(v) for v in (*inbound, *outbound)]
        for value in values:
            if value > MAX_UINT128:
                raise InvalidInput("a rate-limit capacity or refill is beyond what a bucket holds (uint128 tiyn)")
        call = self.contract.functions.setRateLimits(_chain(chain_id), *values)
        return self._send(call, f"set rate limits for chain {chain_id}")

    def set_max_transfer(self, chain_id: int, *, inbound: AmountLike | None, outbound: AmountLike | None) -> TxResult:
        """The largest single transfer from / to ``chain_id`` that crosses without the delay (None: the capacity);
        RATE_LIMITER_ROLE."""
        values = [0 if v is None else to_tiyn(parse_tenge(v, allow_zero=False)) for v in (inbound, outbound)]
        if max(values) > MAX_UINT128:
            raise InvalidInput("a maximum single transfer is beyond what a bucket holds (uint128 tiyn)")
        call = self.contract.functions.setMaxTransfer(_chain(chain_id), *values)
        return self._send(call, f"set the largest single transfer for chain {chain_id}")

    def set_queue_delay(self, seconds: int) -> TxResult:
        """The delay of transfers queued from now on, in seconds (DEFAULT_ADMIN_ROLE)."""
        if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 1:
            raise InvalidInput(f"the queue delay is a whole number of seconds of at least 1, not {seconds!r}")
        if seconds > MAX_UINT128:
            raise InvalidInput(f"a queue delay of {seconds} seconds is beyond what the bridge stores")
        return self._send(self.contract.functions.setQueueDelay(seconds), f"set the queue delay to {seconds} s")

    def set_remote_bridge(self, chain_id: int, bridge: str) -> TxResult:
        """Set the peer bridge on ``chain_id`` (the zero address stops serving it); DEFAULT_ADMIN_ROLE."""
        bridge = checksum_address(bridge)
        return self._send(self.contract.functions.setRemoteBridge(_chain(chain_id), bridge), f"set peer of chain {chain_id} to {bridge}")

    def set_deferral_timeout(self, seconds: int) -> TxResult:
        """Set how long a Deferred delivery may wait before it fails (at least an hour); DEFAULT_ADMIN_ROLE."""
        if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 < seconds <= MAX_UINT64:
            raise InvalidInput(f"the deferral timeout is a whole number of seconds (at least 3600), not {seconds!r}")
        return self._send(self.contract.functions.setDeferralTimeout(int(seconds)), f"set the deferral timeout to {seconds}s")

    def pause(self) -> TxResult:
        """Pause sending, delivering, completing, cancelling and refunding on this bridge (PAUSER_ROLE)."""
        return self._send(self.contract.functions.pause(), "pause the bridge")

    def unpause(self) -> TxResult:
        """Lift the pause (PAUSER_ROLE)."""
        return self._send(self.contract.functions.unpause(), "unpause the bridge")

    # --- plumbing -------------------------------------------------------------------------------------

    @property
    def me(self) -> str:
        """The session account's address (read without unlocking its key)."""
        return self.session.address

    def _signatures(
        self, attestations: list[Attestation], kind: Kind, subject: Subject, domain: BridgeDomain | None = None
    ) -> tuple[list[str], list[bytes]]:
        """(signers, signatures) of ``attestations`` of ``subject``, each over ``domain`` (default: this bridge's;
        a successor pays a refund signed for its predecessor)."""
        message, signers, signatures = one_message(list(attestations), kind)
        if message != subject:
            raise AttestationError(f"the {kind} signatures are for another message than the one given")
        expected = domain or self.domain
        for attestation in attestations:
            if attestation.domain != expected:
                raise AttestationError(
                    f"the signature by {attestation.signer} is for the bridge {attestation.domain.verifying_contract} on "
                    f"chain {attestation.domain.chain_id}, not {expected.verifying_contract} on chain {expected.chain_id}"
                )
        return signers, signatures

    def _check_sendable(self, chain: int, value: Decimal) -> None:
        if self.remote_bridge(chain) is None:
            raise InvalidInput(f"chain {chain} is not served by this bridge (no peer bridge registered); nothing was sent")
        if self.paused():
            raise InvalidInput("the bridge is paused; nothing was sent")
        spendable = self.session.token().spendable_balance_of(self.me)
        if spendable < value:
            raise InvalidInput(
                f"{self.me} can spend {self._fmt(spendable)}, less than the {self._fmt(value)} to send; nothing was sent"
            )

    def _check_send_but_allowance(self, call: ContractFunction, description: str) -> None:
        """Estimate the send before approving: the bridge pulls the money last, so any refusal but the missing
        allowance (zero amount, unserved chain, bad recipient, pause) is reported with nothing sent."""
        try:
            self._estimate(call, description)
        except ContractRevert as exc:
            if exc.error_name != "ERC20InsufficientAllowance":
                raise

    def _inbound(self, call: ContractFunction, transfer: BridgeTransfer, description: str) -> InboundResult:
        sent = self.session.signer.send(call, description=description)
        result = TxResult.from_sent(sent)
        failed = self.contract.events.TransferFailed().process_receipt(sent.receipt, errors=DISCARD)
        if failed:
            from tenge.chain.reverts import decode_revert

            reason = str(decode_revert(bytes(failed[0]["args"]["reason"])))
            return InboundResult(transfer.id_hex, "Failed", result, reason)
        return InboundResult(transfer.id_hex, self.inbound_status(transfer.id), result)

    def _estimate(self, call: ContractFunction, description: str) -> None:
        self.session.signer.build(call, description=description)

    def _send(self, call: ContractFunction, description: str) -> TxResult:
        return TxResult.from_sent(self.session.signer.send(call, description=description))

    def _only(self, role: Role, what: str) -> None:
        if self.role != role:
            raise InvalidInput(f"{what} is a {role} bridge's; {self.session.network.name} has the {self.role} bridge")

    def _fmt(self, amount: Decimal) -> str:
        return format_tenge(amount, self.currency)


def _chain(chain_id: int) -> int:
    if not isinstance(chain_id, int):
        raise InvalidInput(f"{chain_id!r} is not a chain id (a whole number from 1 to {MAX_UINT64})")
    return parse_chain_id(chain_id)


def _nonce(nonce: int) -> int:
    if isinstance(nonce, bool) or not isinstance(nonce, int) or not 0 <= nonce <= MAX_UINT64:
        raise InvalidInput(f"a nonce is a whole number from 0 to {MAX_UINT64}, not {nonce!r}")
    return nonce
