"""The contracts the index follows: deployment-record key, table prefix and the artifact whose ABI decodes them.

The bridge and programmes join by one entry here (plus a migration adding their event tables, see
``tenge/index/migrations``); the sync, the export and the privacy check pick them up from this list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FollowedContract:
    #: Key in the deployment record (``deployments/<network>.json``).
    record_key: str
    #: Prefix of its event tables (``token_transfer``, ``vat_paid``).
    prefix: str
    #: Artifact whose ABI decodes its events (the implementation's, for a proxy).
    artifact: str


FOLLOWED: tuple[FollowedContract, ...] = (
    FollowedContract("DigitalTenge", "token", "DigitalTenge"),
    FollowedContract("VatPayments", "vat", "VatPayments"),
    # The home bridge (home ledger) and the remote bridge (BNB side) share their events and tables: a network
    # has one of them, and a bank's SQL reads ``bridge_transfer_sent`` on either chain's index.
    FollowedContract("TengeBridgeHome", "bridge", "TengeBridgeHome"),
    FollowedContract("TengeBridgeRemote", "bridge", "TengeBridgeRemote"),
    FollowedContract("PurposeBoundProgrammes", "programme", "PurposeBoundProgrammes"),
    FollowedContract("RewardPools", "rewards", "RewardPools"),
    # Cross-border PvP: settlements (the balance-of-payments record), cancelled nonces, corridor limits.
    FollowedContract("PvPSettlement", "pvp", "PvPSettlement"),
)


def by_prefix(prefix: str) -> FollowedContract:
    """The first followed contract with ``prefix`` (the bridge's two share one)."""
    for contract in FOLLOWED:
        if contract.prefix == prefix:
            return contract
    raise KeyError(prefix)
