"""Replacing the BNB-side bridge (bridges are not upgradeable: a fix ships as a new bridge), without counting the
home escrow twice and without losing a transfer in flight.

The way chosen is a hand-over, not an upgrade (bridges hold no proxy, by design): the successor is deployed and
wired by the ordinary deploy plan, then

0. the old bridge gives up the token's TOKEN_BRIDGE_ROLE and RESERVE_ATTESTOR_ROLE before the successor is
   granted them: a reserve-gated token has one minter, one bridge (``ReserveMintersConflict``), so the reserve
   backed by the home escrow is never mintable by two bridges, not even during a hand-over;
1. the old bridge is **retired** in its favour (``retire``): no more sends or escrow attestations there. Its
   transfers in flight are not lost: one sent from it completes and is released at home (below); one sent to it
   from home, which it can no longer mint, fails there and is refunded at home by the validators' refund path;
2. the successor **adopts** the old bridge's last escrow figure (``adopt``) before its own first attestation, so the
   reserve moves by the change of the home lock count from there (today's double count came from a new bridge's
   figure starting at 0);
3. the home bridge is re-pointed to the successor; it still accepts deliveries from the old one
   (``formerRemoteBridge``), so a transfer sent from the old bridge before the switch is released at home.
4. a transfer sent from the old bridge that fails at home is refunded on the BNB side by the successor
   (``refundPredecessor``, on the validators' Refund signatures for the old bridge, once): the old bridge can no
   longer mint (tenge.bridge.refunds; the relayer and ``tenge bridge refund`` route it there).

BNB-side supply <= home escrow holds throughout: the reserve is the token's, fed by one attestor at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tenge.addresses import checksum_address
from tenge.bridge.refunds import predecessor
from tenge.errors import DeploymentError, InvalidInput

if TYPE_CHECKING:
    from tenge.bridge.client import BridgeClient
    from tenge.session import Session

REMOTE_KEY = "TengeBridgeRemote"
RETIRED_PREFIX = "retired:"


@dataclass(frozen=True)
class Replacement:
    """The outcome: the retired bridge, its successor, and the transactions sent (step -> tx hash)."""

    old: str
    new: str
    transactions: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        """These fields as a dict of plain values."""
        return {"old": self.old, "new": self.new, "transactions": self.transactions}


def retired_key(address: str) -> str:
    """The record key of a retired BNB-side bridge."""
    return f"{RETIRED_PREFIX}{REMOTE_KEY}:{checksum_address(address)}"


def archive_remote(session: Session) -> str:
    """Moves the recorded BNB-side bridge and its set-up calls aside in this network's record (the contract stays
    where it is), so the next deploy of the network deploys and wires a successor. Returns the old address."""
    record = session.record
    entry = record.contracts.get(REMOTE_KEY)
    if entry is None:
        raise DeploymentError(f"no BNB-side bridge in the deployment record of {record.network!r}")
    old = checksum_address(str(entry["address"]))
    key = retired_key(old)
    record.contracts[key] = entry
    del record.contracts[REMOTE_KEY]
    for name in [n for n in record.calls if n.startswith("bridge:") or REMOTE_KEY in n]:
        record.calls[f"{key}:{name}"] = record.calls.pop(name)
    record.save()
    return old


def unfinished_retirement(session: Session) -> str | None:
    """A bridge archived by an earlier run whose hand-over is not finished yet (resume it), else None."""
    for key, entry in session.record.contracts.items():
        if key.startswith(RETIRED_PREFIX + REMOTE_KEY) and "handedOverTo" not in entry:
            return key
    return None


def hand_over(old: BridgeClient, new: BridgeClient, home: BridgeClient) -> Replacement:
    """Retire ``old`` for ``new``, let ``new`` adopt its escrow figure, re-point ``home`` (its admin signs) to it.
    Each step is skipped when the chain already shows it done, so a re-run resumes."""
    _check_pair(old, new, home)
    sent: dict[str, str] = {}
    successor = checksum_address(str(old.contract.functions.successor().call()))
    if int(successor, 16) == 0:
        sent["retire"] = old._send(old.contract.functions.retire(new.address), f"retire {old.address}").tx_hash
    elif successor != new.address:
        raise InvalidInput(f"the bridge {old.address} was already retired in favour of {successor}, not {new.address}")
    if predecessor(new) != old.address and new.last_escrow_attestation()[1] == 0:
        # the escrow figure, and the predecessor whose failed transfers the successor refunds (tenge.bridge.refunds)
        sent["adopt"] = new._send(new.contract.functions.adopt(old.address), f"adopt the escrow figure of {old.address}").tx_hash
    chain = old.chain_id
    if home.remote_bridge(chain) != new.address:
        sent["home peer"] = home.set_remote_bridge(chain, new.address).tx_hash
    return Replacement(old.address, new.address, sent)


def _check_pair(old: BridgeClient, new: BridgeClient, home: BridgeClient) -> None:
    if old.role != "remote" or new.role != "remote" or home.role != "home":
        raise InvalidInput("a replacement hands a BNB-side bridge over to another, re-pointing the home bridge")
    if old.address == new.address:
        raise InvalidInput(f"the successor is the bridge being replaced ({old.address})")
    if str(new.contract.functions.token().call()) != str(old.contract.functions.token().call()):
        raise InvalidInput(f"the successor {new.address} moves another token than {old.address}")
    if new.home_chain_id() != old.home_chain_id() or new.home_chain_id() != home.chain_id:
        raise InvalidInput(f"the successor {new.address} does not serve the home chain {home.chain_id}")
    if new.remote_bridge(home.chain_id) != home.address:
        raise InvalidInput(f"the successor {new.address} does not have {home.address} as its home bridge")
    token = new.session.token().contract.functions
    for role in ("TOKEN_BRIDGE_ROLE", "RESERVE_ATTESTOR_ROLE"):
        if not token.hasRole(token[role]().call(), new.address).call():
            raise InvalidInput(f"the successor {new.address} lacks the token's {role}: deploy it with `tenge deploy`")
    if not new.validators():
        raise InvalidInput(f"the successor {new.address} has no validators yet")


def step_down(session: Session, old: str) -> dict[str, str]:
    """The old bridge gives up the token's bridge roles (the session's account: the token admin), so the deploy plan
    may grant them to the successor: a gated token has one bridge. Skipped where already done (a re-run resumes)."""
    token = session.token()
    functions = token.contract.functions
    sent: dict[str, str] = {}
    for role in ("TOKEN_BRIDGE_ROLE", "RESERVE_ATTESTOR_ROLE"):
        role_id = functions[role]().call()
        if functions.hasRole(role_id, old).call():
            call = functions.revokeRole(role_id, old)
            sent[f"revoke {role}"] = session.write(call, f"revoke {role} from {old}").tx_hash
    return sent


def require_remote(session: Session) -> None:
    """Refuses a network whose bridge is the home one (only a BNB-side bridge is replaced this way)."""
    from tenge.bridge.client import BridgeClient

    if BridgeClient(session).role != "remote":
        raise InvalidInput(f"{session.network.name} has the home bridge: replace a BNB-side bridge (its network)")


def replace_remote_bridge(session: Session, home_session: Session) -> Replacement:
    """Replace the BNB-side bridge of ``session``'s network (its account: the deployer and bridge admin) and
    re-point the home bridge (``home_session``'s account: its admin): deploy and wire a successor with the
    network's deploy plan, then :func:`hand_over`. Re-running resumes an interrupted replacement; after a finished
    one, it replaces the successor in turn."""
    import dataclasses

    from tenge.bridge.client import BridgeClient
    from tenge.deploy.deployer import Deployer
    from tenge.deploy.suite import suite_plan
    from tenge.deploy.suite_config import load_suite_config

    key = unfinished_retirement(session)
    if key is None:
        require_remote(session)
        key = retired_key(archive_remote(session))
    stepped = step_down(session, str(session.record.contracts[key]["address"]))
    sender = session.signer
    plan = suite_plan(load_suite_config(session.network.name), sender.address, chain_id=int(session.w3.eth.chain_id))
    Deployer.for_network(sender).run(plan)  # deploys and wires the successor; a re-run sends only what is missing
    fresh = dataclasses.replace(session)  # the record now names the successor
    fresh._sender = session._sender
    handed = hand_over(BridgeClient(fresh, key), BridgeClient(fresh), home_session.bridge())
    result = Replacement(handed.old, handed.new, {**stepped, **handed.transactions})
    record = fresh.record
    record.contracts[key]["handedOverTo"] = result.new  # done: a next run replaces the successor in turn
    record.save()
    return result
