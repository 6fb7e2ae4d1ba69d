"""Every public member of the SDK's clients says what it does (its own docstring, not one inherited from object)."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from tenge.chain.pipeline import Pipeline
from tenge.payments.client import VatPaymentsClient
from tenge.programmes.client import ProgrammesClient
from tenge.programmes.rewards import RewardsClient
from tenge.session import Session
from tenge.token.client import DigitalTengeClient


def _undocumented(cls: type) -> list[str]:
    missing = []
    fields = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else set()
    for name, member in inspect.getmembers(cls):
        if name.startswith("_") or name in fields:  # dataclass fields are documented by the class and `#:` comments
            continue
        target: Any = member.fget if isinstance(member, property) else getattr(member, "func", member)
        doc = inspect.getdoc(target)
        if not doc or not doc.strip() or doc == inspect.getdoc(getattr(object, name, None)):
            missing.append(name)
    return missing


@pytest.mark.parametrize(
    "cls", [Session, Pipeline, DigitalTengeClient, VatPaymentsClient, ProgrammesClient, RewardsClient], ids=lambda c: c.__name__
)
def test_every_public_member_has_a_docstring(cls: type) -> None:
    assert _undocumented(cls) == []


def test_the_check_finds_a_member_without_one() -> None:
    class Sample:
        def documented(self) -> None:
            """Says what it does."""

        def bare(self) -> None:
            pass

    assert _undocumented(Sample) == ["bare"]
