"""The relayer loop: scan both bridges for new transfers, settle mined transactions, work what is due.

One turn: (1) a batch of due transfers is claimed (lease) and worked by state - gathering for ``sent`` rows runs
concurrently; sends are pipelined; (2) each source bridge's ``TransferSent`` logs from the shared cursor to the
final head, in bounded ``eth_getLogs`` ranges, become ``sent`` rows; (3) each destination's transactions in flight
are collected (mined / reverted / dropped; stuck ones replaced with higher fees). The loop pauses only after a turn
with nothing to do.
"""

from __future__ import annotations

import json
import logging
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from types import FrameType
from typing import Any

from tenge.bridge.client import BridgeClient
from tenge.bridge.messages import BridgeTransfer, PayloadTransfer
from tenge.bridge.relayer.batching import BATCH_TRIES
from tenge.bridge.relayer.discovery import payloads_sent, transfers_sent
from tenge.bridge.relayer.gatherer import Gatherer
from tenge.bridge.relayer.metrics import Metrics
from tenge.bridge.relayer.settings import RelayerSettings
from tenge.bridge.relayer.store import Store
from tenge.bridge.relayer.submitter import Submitter
from tenge.bridge.relayer.worker import Worker
from tenge.errors import InvalidInput, TengeError
from tenge.session import Session

log = logging.getLogger("tenge.relayer")
#: most transfers a validator's list endpoint answers in one request
LIST_LIMIT = 500
#: longest a turn with only new transfers to gather lets the validators hold their answers until they have signed
#: them (long polling; they sign within ~0.1-0.2 s of finality, and each answer is used as soon as it comes)
LONG_POLL = 0.5
#: most seconds between two updates of the gauges (transfers per state, queue lengths) while the relayer is idle
GAUGES_EVERY = 0.5
#: seconds between two looks at whether a refund or cancel at home left the BNB-side reserve above the home lock
FRESHNESS_PERIOD = 2.0


class RelayerConfigError(InvalidInput):
    """The networks given do not form one bridge the relayer can serve."""


def open_bridges(settings: RelayerSettings) -> dict[int, BridgeClient]:
    """Each network's bridge (unknown network, wrong chain id, no bridge: refused by the session), checked to be
    one home and its registered remotes."""
    bridges: dict[int, BridgeClient] = {}
    for name in settings.networks:
        bridge = Session.open(name, account=settings.account).bridge()
        if bridge.chain_id in bridges:
            raise RelayerConfigError(f"networks {settings.networks} name chain {bridge.chain_id} twice")
        bridges[bridge.chain_id] = bridge
    homes = [b for b in bridges.values() if b.role == "home"]
    if len(homes) != 1:
        raise RelayerConfigError(f"the relayer's networks must include exactly one bridge home, not {len(homes)}")
    home = homes[0]
    for bridge in bridges.values():
        if bridge.role != "remote":
            continue
        if bridge.home_chain_id() != home.chain_id or home.remote_bridge(bridge.chain_id) != bridge.address:
            raise RelayerConfigError(
                f"network {bridge.session.network.name} (chain {bridge.chain_id}, bridge {bridge.address}) is not a "
                f"registered remote of the home bridge on {home.session.network.name} (chain {home.chain_id})"
            )
    return bridges


class Relayer:
    def __init__(self, settings: RelayerSettings, *, metrics: Metrics | None = None) -> None:
        self.settings = settings
        self.metrics = metrics or Metrics()
        # The database first: an unreachable one is refused before any key is unlocked or anything sent.
        self.store = Store(settings.database, settings.instance)
        self.bridges = open_bridges(settings)
        self.submitters = {
            cid: Submitter(b, self.store, settings, on_bump=self.metrics.bumps.labels(str(cid)).inc) for cid, b in self.bridges.items()
        }
        reject = self.metrics.rejections.labels
        self.gatherer = Gatherer(settings.validators, timeout=settings.http_timeout, on_reject=lambda e, r: reject(e, r).inc())
        self.worker = Worker(self.bridges, self.submitters, self.store, self.gatherer, settings, self.metrics)
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="work")
        self._fresh_at = 0.0
        self._gauges_at = 0.0
        self._stop = False

    # --- discovery ------------------------------------------------------------------------------------

    def discover(self, source: BridgeClient) -> int:
        confirmations = max(1, source.session.network.confirmations)
        head = int(source.w3.eth.block_number) - (confirmations - 1)
        start = self.store.cursor(source.chain_id, source.deploy_block)
        added = 0
        while start <= head:
            end = min(head, start + self.settings.log_range - 1)
            rows = []
            sent: list[BridgeTransfer | PayloadTransfer] = [*transfers_sent(source, start, end), *payloads_sent(source, start, end)]
            for message in sent:
                transfer = message.transfer if isinstance(message, PayloadTransfer) else message
                if transfer.dest_chain_id not in self.bridges:
                    log.warning("transfer to a chain this relayer does not serve", extra={"fields": {"id": transfer.id_hex,
                                "dest": transfer.dest_chain_id}})  # fmt: skip
                    continue
                rows.append({"id": transfer.id_hex, "source_chain": transfer.source_chain_id, "dest_chain": transfer.dest_chain_id,
                             "nonce": transfer.nonce, "body": json.dumps(message.to_dict())})  # fmt: skip
            for transfer_id in self.store.add_transfers(rows):
                added += 1
                log.info("transfer seen", extra={"fields": {"event": "state", "id": transfer_id, "from": None, "to": "sent",
                                                            "instance": self.settings.instance}})  # fmt: skip
            self.store.advance(source.chain_id, end + 1)
            start = end + 1
        return added

    # --- one turn -------------------------------------------------------------------------------------

    def turn(self) -> int:
        """One pass; the number of transfers worked or newly seen, and of transactions settled (0: idle)."""
        # Work what is due first - a transfer waiting for its last signatures is gathered again without waiting for
        # the scans - then scan the sources for new transfers and settle what was mined (both ready next turn).
        self.store.renew(self.settings.lease_seconds)
        rows = self.store.claim(self.settings.batch, self.settings.lease_seconds)
        # Gathering (HTTP) for new transfers at once; then the rest in order (sends pipelined, one nonce stream).
        fresh = [r for r in rows if r["state"] == "sent" and not r["pending_tx"]]
        for dest, source in {(int(r["dest_chain"]), int(r["source_chain"])) for r in fresh}:
            self.worker.batches.prefetch(self.bridges[dest], source)  # its escrow figure, if its batches need one first
        # nothing else to do this turn: the validators may hold their answers until they have signed (long poll)
        # A transfer with a payload is signed as a PayloadTransfer, which the validators' list does not serve
        # by kind: gathered one by one.
        plain = [r for r in fresh if '"payload"' not in r["body"]]
        rest = self._gather_ranges(plain, LONG_POLL if len(fresh) == len(rows) else 0.0)
        rest += [r for r in fresh if '"payload"' in r["body"]]
        list(self._pool.map(lambda r: self._guard(int(r["dest_chain"]), lambda: self.worker.gather_row(r)), rest))
        batched = self._deliver_batches(rows)
        for row in rows:
            if row["state"] != "sent" and row["id"] not in batched:
                self._guard(int(row["dest_chain"]), lambda r=row: self.worker.handle(r))
        self.store.release([r["id"] for r in rows])
        worked = len(rows) + self.scan()
        self._keep_reserve_fresh()
        self._gauges(changed=worked > 0)
        return worked

    def _keep_reserve_fresh(self) -> None:
        """After a refund or a cancel at home the BNB-side reserve stays above the home lock until the next escrow
        attestation: post one as soon as the validators agree on the lower figure (looked at every 2 s)."""
        now = time.monotonic()
        if now < self._fresh_at:
            return
        self._fresh_at = now + FRESHNESS_PERIOD
        homes = [b for b in self.bridges.values() if b.role == "home"]
        for remote in (b for b in self.bridges.values() if b.role == "remote"):
            for home in homes:
                self._guard(remote.chain_id, lambda h=home, r=remote: self._refresh_reserve(h, r))

    def _refresh_reserve(self, home: BridgeClient, remote: BridgeClient) -> None:
        if home.locked(remote.chain_id) < remote.last_escrow_attestation()[0] and self.worker.batches.post_escrow(remote):
            log.info("escrow attested after a refund or cancel at home", extra={"fields": {"chain": remote.chain_id}})

    def scan(self) -> int:
        """Scan the sources for new transfers and settle the transactions mined; how many of either."""
        found = 0
        for chain_id, bridge in self.bridges.items():
            found += self._guard(chain_id, lambda b=bridge: self.discover(b)) or 0
        for chain_id, submitter in self.submitters.items():
            outcomes = self._guard(chain_id, submitter.collect) or []
            for outcome in outcomes:
                self._guard(chain_id, lambda o=outcome: self.worker.settle(o))
            found += len(outcomes)
        return found

    def _deliver_batches(self, rows: list[dict[str, Any]]) -> set[str]:
        """Two or more attested transfers to one destination (none in flight, none whose batches failed
        ``BATCH_TRIES`` times): one ``deliverBatch`` per destination. The ids handed to it."""
        by_dest: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            # A transfer with a payload goes alone (deliverWithPayload: the batch has no payload field).
            if row["state"] == "attested" and not row["pending_tx"] and int(row["retries"]) < BATCH_TRIES \
                    and '"payload"' not in row["body"]:
                by_dest.setdefault(int(row["dest_chain"]), []).append(row)
        batched: set[str] = set()
        for chain_id, group in by_dest.items():
            if len(group) >= 2:
                self._guard(chain_id, lambda g=group, c=chain_id: self.worker.batches.deliver(g, self.bridges[c]))
                batched |= {row["id"] for row in group}
        return batched

    def _gather_ranges(self, rows: list[dict[str, Any]], wait: float = 0.0) -> list[dict[str, Any]]:
        """Signatures of the new transfers in one request per validator, source chain and window of nonces (the
        validators' list endpoint, at most 500 a request). A transfer with fewer than a threshold waits a moment
        (the validators sign within ~0.1 s of finality); one that a validator signed for another message than the
        relayer read (a reorg may have replaced it) is returned for one-by-one gathering, which re-reads the source;
        so is every transfer short of a threshold while some validator's list answer is unusable (down, an error, or
        a server without the list endpoint): one by one, as before the list existed."""
        left: list[dict[str, Any]] = []
        by_source: dict[int, list[list[dict[str, Any]]]] = {}
        for row in sorted(rows, key=lambda r: int(r["nonce"])):
            windows = by_source.setdefault(int(row["source_chain"]), [])
            if windows and int(row["nonce"]) - int(windows[-1][0]["nonce"]) < LIST_LIMIT:
                windows[-1].append(row)
            else:
                windows.append([row])
        for source, windows in by_source.items():
            for window in windows:
                left += self._guard(source, lambda s=source, w=window: self._gather_window(s, w, wait)) or []
        return left

    def _gather_window(self, source: int, window: list[dict[str, Any]], wait: float) -> list[dict[str, Any]]:
        expected = {}
        for row in window:
            transfer, _, dest = self.worker.ends(row)
            expected[row["id"]] = (transfer, dest.domain, self.worker.validator_set(dest.chain_id)[0])
        need = max(self.worker.validator_set(int(r["dest_chain"]))[1] for r in window)
        first, wrong, unusable = int(window[0]["nonce"]), set[str](), set[str]()
        span = int(window[-1]["nonce"]) - first + 1
        found = self.gatherer.gather_range(source, first, span, expected, need, wrong=wrong, unusable=unusable, wait=wait)
        left = []
        with self.store.grouped():  # one commit for the whole window
            for row in window:
                threshold, got = self.worker.validator_set(int(row["dest_chain"]))[1], found.get(row["id"], [])
                if len(got) < threshold and (row["id"] in wrong or unusable):
                    left.append(row)  # one by one: a reorg to re-read, or a validator not serving its list
                else:
                    self.worker.attest(row, got, threshold)  # attested, or waits for more signatures
        return left

    def _guard(self, chain_id: int, action: Any) -> Any:
        try:
            return action()
        except (TengeError, OSError, ValueError) as exc:
            self.metrics.rpc_errors.labels(str(chain_id)).inc()
            log.warning("chain error", extra={"fields": {"chain": chain_id, "error": f"{type(exc).__name__}: {str(exc)[:200]}"}})
            return None

    def _gauges(self, *, changed: bool) -> None:
        # a few store queries: after every turn that changed something, else (only the due count moves with the
        # clock) at most every GAUGES_EVERY seconds, not on every idle turn (one every ~50 ms)
        if not changed and time.monotonic() < self._gauges_at:
            return
        self._gauges_at = time.monotonic() + GAUGES_EVERY
        for state, count in self.store.counts().items():
            self.metrics.transfers.labels(state).set(count)
        self.metrics.queue.labels("due").set(self.store.due())
        self.metrics.queue.labels("in_flight").set(sum(s.in_flight() for s in self.submitters.values()))

    # --- the loop -------------------------------------------------------------------------------------

    def stop(self, *_: Any) -> None:
        self._stop = True

    def run(self, *, once: bool = False) -> None:
        address = self.settings.metrics_address()
        if address:
            self.metrics.serve(*address)
        signal.signal(signal.SIGTERM, self._signal)
        signal.signal(signal.SIGINT, self._signal)
        log.info("relayer started", extra={"fields": {"event": "start", "instance": self.settings.instance,
                 "chains": sorted(self.bridges), "validators": len(self.settings.validators),
                 "account": next(iter(self.submitters.values())).address}})  # fmt: skip
        if once:  # one turn on what is there now: scanned first (a turn scans last, for the next one)
            self.scan()
        while not self._stop:
            worked = self.turn()
            if once:
                break
            if not worked:
                time.sleep(self.settings.poll_interval)
        self.worker.batches.close()
        self.gatherer.close()
        log.info("relayer stopped", extra={"fields": {"event": "stop", "instance": self.settings.instance}})

    def _signal(self, signum: int, frame: FrameType | None) -> None:
        self.stop()

