"""A declarative deploy plan: contracts, proxies with their initializers, and configuration calls.

A plan is data; :mod:`tenge.deploy.deployer` executes it against a network and a record.
Arguments may hold :class:`Ref` (the address of an earlier step) and :class:`RoleId`
(a role constant, hashed like ``keccak256("ISSUER_ROLE")``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

from eth_utils import keccak


@dataclass(frozen=True)
class Ref:
    """The address of an earlier deploy step, by its record key."""

    key: str


@dataclass(frozen=True)
class RoleId:
    """An OpenZeppelin AccessControl role id: keccak256 of its name (DEFAULT_ADMIN_ROLE is zero)."""

    name: str

    def value(self) -> bytes:
        return bytes(32) if self.name == "DEFAULT_ADMIN_ROLE" else keccak(text=self.name)


@dataclass(frozen=True)
class Check:
    """A view that shows whether the chain already holds what a step sets: ``function(*args)`` returns
    ``expected`` (multi-value results as lists). ``what`` names it in reports ("tier 1 cap")."""

    function: str
    args: tuple[Any, ...] = ()
    expected: Any = None
    what: str = ""
    #: The value is an amount in tiyn: shown in tenge ("unlimited" for the uncapped maximum).
    amount: bool = False


@dataclass(frozen=True)
class RateCheck:
    """A VAT schedule entry as the chain should show it now: the rate in force if its time has come and no later
    entry has (``superseded_from`` is the next entry's time), else the pending change."""

    category: int
    rate_bps: int
    effective_from: int
    superseded_from: int | None = None


@dataclass(frozen=True)
class LabelCheck:
    """A VAT category's label as its latest ``CategoryLabelled`` event shows it (labels live in events only)."""

    category: int
    label: str


@dataclass(frozen=True)
class DeployContract:
    """Deploy ``artifact`` with constructor ``args``; recorded under ``key``."""

    key: str
    artifact: str
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class DeployProxy:
    """An ERC-1967 proxy in front of ``implementation`` (a DeployContract key), initialised in its constructor.

    When the implementation's code changes and an upgrade is asked for, the deployer deploys the
    new implementation and calls ``upgradeToAndCall`` on this proxy instead of redeploying it.
    """

    key: str
    implementation: str
    initializer: str
    init_args: tuple[Any, ...] = ()
    proxy_artifact: str = "ERC1967Proxy"
    #: Initializer arguments read back from the chain: one that differs needs a redeploy.
    checks: tuple[Check, ...] = ()


@dataclass(frozen=True)
class Call:
    """A configuration transaction: ``function(*args)`` on the contract recorded as ``target``."""

    key: str
    target: str
    artifact: str
    function: str
    args: tuple[Any, ...] = ()
    #: Read from the chain when the step was done before: a difference is configuration drift, reported and
    #: applied (the step sent again) only when the deployer is asked to apply configuration.
    check: "Check | RateCheck | LabelCheck | None" = None
    #: Sent only to repair drift (e.g. a value the initializer set): never on a fresh deploy.
    only_if_differs: bool = False


Step = Union[DeployContract, DeployProxy, Call]


@dataclass
class DeployPlan:
    name: str
    steps: list[Step] = field(default_factory=list)
    #: What the plan could not include yet and why (e.g. a bridge peer not deployed yet).
    notes: list[str] = field(default_factory=list)

    def keys(self) -> list[str]:
        return [step.key for step in self.steps]
