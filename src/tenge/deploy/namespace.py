"""A currency's deploy steps under its record-key prefix: the digital som's token and bridge on a BNB-side chain
whose own currency is the tenge are recorded as ``KGS:DigitalTenge``, ``KGS:TengeBridgeRemote`` ... in the same
record (read back through the ``bsc:KGS`` view, see :mod:`tenge.deploy.record`)."""

from __future__ import annotations

import dataclasses
from typing import Any

from tenge.deploy.plan import Call, Check, DeployContract, DeployProxy, LabelCheck, RateCheck, Ref, Step
from tenge.deploy.record import SHARED_KEYS


def namespaced(steps: list[Step], prefix: str) -> list[Step]:
    """``steps`` with every record key (and every :class:`Ref` to one) prefixed, shared contracts excepted."""
    if not prefix:
        return list(steps)

    def key(name: str) -> str:
        return name if name in SHARED_KEYS else prefix + name

    def value(item: Any) -> Any:
        if isinstance(item, Ref):
            return Ref(key(item.key))
        if isinstance(item, (list, tuple)):
            return type(item)(value(v) for v in item)
        return item

    def check(item: Check | RateCheck | LabelCheck | None) -> Check | RateCheck | LabelCheck | None:
        if isinstance(item, Check):
            return dataclasses.replace(item, args=value(item.args), expected=value(item.expected))
        return item

    out: list[Step] = []
    for step in steps:
        if isinstance(step, DeployContract):
            out.append(dataclasses.replace(step, key=key(step.key), args=value(step.args)))
        elif isinstance(step, DeployProxy):
            checks = tuple(c for c in (check(c) for c in step.checks) if isinstance(c, Check))
            out.append(dataclasses.replace(step, key=key(step.key), implementation=key(step.implementation),
                                           init_args=value(step.init_args), checks=checks))  # fmt: skip
        else:
            assert isinstance(step, Call)
            out.append(dataclasses.replace(step, key=prefix + step.key, target=key(step.target), args=value(step.args),
                                           check=check(step.check)))  # fmt: skip
    return out
