"""``tenge bridge validator run``: check everything, then watch both bridges, sign at finality, serve over HTTP.

Order at start (each refusal is one line and a non-zero exit, before anything is signed): settings, networks
(unknown name), the key (dev keys only on local networks; keystore password from $TENGE_KEYSTORE_PASSWORD), the
database (it must answer; schema migrated by alembic), the RPCs (reachable, right chain id), the bridges (home
and peers registered with each other), the key is a validator of every bridge, the listen address is free.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web
from eth_account.signers.local import LocalAccount

from tenge.bridge.client import BridgeClient
from tenge.bridge.validator.api import Passes, build_app
from tenge.bridge.validator.chain import WatchedChain
from tenge.bridge.validator.metrics import ValidatorMetrics, log_event
from tenge.bridge.validator.processor import Halted, Processor
from tenge.bridge.validator.settings import ValidatorSettings
from tenge.bridge.validator.store import ValidatorStore
from tenge.chain.networks import get_network
from tenge.chain.signers import locate_signer
from tenge.errors import InvalidInput, TengeError
from tenge.session import Session

#: block ranges processed per chain before the next poll pause
RANGES_PER_TICK = 20


@dataclass
class Validator:
    settings: ValidatorSettings
    key: LocalAccount
    store: ValidatorStore
    metrics: ValidatorMetrics
    processors: list[Processor]

    @property
    def names(self) -> dict[int, str]:
        return {p.chain_id: p.chain.name for p in self.processors}

    def start(self) -> None:
        for processor in self.processors:
            processor.start()

    def tick(self, stepped: Callable[[], None] | None = None) -> bool:
        """One pass over every chain; True when a chain has more finalized blocks waiting. ``stepped`` is called
        after each step (what it signed is committed: the API's waiting requests may look again)."""
        more = False
        for processor in self.processors:
            try:
                for _ in range(RANGES_PER_TICK):
                    went_on = processor.step()
                    if stepped is not None:
                        stepped()
                    if not went_on:
                        break
                else:
                    more = True
            except (Halted, InvalidInput):
                raise
            except Exception as exc:  # an RPC outage or a node error: counted, logged, retried next poll
                processor.metrics.rpc_errors.labels(processor.chain.name).inc()
                log_event("rpc_error", chain=processor.chain_id, error=f"{type(exc).__name__}: {str(exc)[:200]}")
        return more


def open_validator(settings: ValidatorSettings) -> Validator:
    networks = [get_network(name) for name in settings.chains]
    refs = [locate_signer(network, settings.account) for network in networks]
    store = ValidatorStore(settings.database_url)
    sessions = [Session.open(network, read_only=True) for network in networks]
    bridges = [session.bridge() for session in sessions]
    _check_wiring(bridges[0], bridges[1:])
    key = refs[0].unlock()
    for bridge in bridges:
        if not bridge.is_validator(key.address):
            raise InvalidInput(
                f"account {key.address} is not a validator of the bridge {bridge.address} on {bridge.session.network.name}"
            )
    chains = [
        WatchedChain(network, bridge, settings.finalized_tag.get(network.name), settings.confirmations.get(network.name))
        for network, bridge in zip(networks, bridges)
    ]
    metrics = ValidatorMetrics()
    home, peers = chains[0], chains[1:]
    processors = [
        Processor(home, {p.chain_id: p for p in peers}, key, store, metrics, settings.log_range,
                  settings.escrow_every_blocks, home=True),
        *(
            Processor(p, {home.chain_id: home}, key, store, metrics, settings.log_range,
                      settings.escrow_every_blocks, home=False)
            for p in peers
        ),
    ]  # fmt: skip
    return Validator(settings, key, store, metrics, processors)


def _check_wiring(home: BridgeClient, peers: list[BridgeClient]) -> None:
    if home.role != "home":
        raise InvalidInput(f"--network {home.session.network.name} holds a BNB-side bridge; give the home network")
    for peer in peers:
        name = peer.session.network.name
        if peer.role != "remote":
            raise InvalidInput(f"--peer {name} holds a home bridge; peers are BNB-side chains")
        if peer.home_chain_id() != home.chain_id:
            raise InvalidInput(f"--peer {name}: its bridge's home is chain {peer.home_chain_id()}, not {home.chain_id}")
        if home.remote_bridge(peer.chain_id) != peer.address:
            raise InvalidInput(
                f"--peer {name}: the home bridge does not serve chain {peer.chain_id} with bridge {peer.address}"
            )
        if peer.remote_bridge(home.chain_id) != home.address:
            raise InvalidInput(f"--peer {name}: its bridge does not name {home.address} as its home peer")


async def serve(validator: Validator) -> None:
    """Serve the API and run the watch loop until stopped (SIGTERM/SIGINT) or halted (raises :class:`Halted`)."""
    settings = validator.settings
    passes = Passes()
    app = build_app(validator.store, validator.key.address, validator.metrics, validator.names, passes)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.host, settings.port)
        try:
            await site.start()
        except OSError as exc:
            raise InvalidInput(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}") from None
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def stepped() -> None:  # from the watch loop's thread: wake the API's waiting requests on the event loop
            loop.call_soon_threadsafe(passes.done)

        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        log_event("started", validator=validator.key.address, listen=f"{settings.host}:{settings.port}",
                  chains=validator.names)  # fmt: skip
        try:
            await asyncio.to_thread(validator.start)
            while not stop.is_set():
                more = await asyncio.to_thread(validator.tick, stepped)
                if not more:
                    try:
                        await asyncio.wait_for(stop.wait(), settings.poll_interval)
                    except asyncio.TimeoutError:
                        pass
        except Halted as halt:
            validator.store.halt(halt.chain_id, halt.reason)
            name = validator.names.get(halt.chain_id, str(halt.chain_id))
            validator.metrics.halted.labels(name).set(1)
            log_event("halted", chain=halt.chain_id, reason=halt.reason)
            try:
                await asyncio.wait_for(stop.wait(), settings.halt_linger_seconds)
            except asyncio.TimeoutError:
                pass
            raise
        log_event("stopped", validator=validator.key.address)
    finally:
        await runner.cleanup()


def run(settings: ValidatorSettings) -> None:
    validator = open_validator(settings)
    try:
        asyncio.run(serve(validator))
    except TengeError:
        raise
    finally:
        validator.store.engine.dispose()
