"""Click parameter types of the token commands: each refuses bad input before a connection is opened."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import click

from tenge.errors import InvalidInput


class _Checked(click.ParamType):
    """A parameter type whose ``check`` raises :class:`InvalidInput` with the message to show."""

    def check(self, value: str) -> Any:
        raise NotImplementedError

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return self.check(value)
        except InvalidInput as exc:
            self.fail(str(exc), param, ctx)


class ReferenceType(_Checked):
    """A legal or payment reference, or a budget code: the format of tenge.reference_format (letters, digits,
    - / . only, at most 32 characters, nothing like personal data)."""

    name = "reference"

    def check(self, value: str) -> str:
        from tenge.token.references import reference_to_bytes32

        reference_to_bytes32(value)
        return value.strip()


class TierType(_Checked):
    """A KYC tier, 0-255."""

    name = "tier"

    def check(self, value: str) -> int:
        if not value.strip().isdigit() or not 0 <= int(value) <= 255:
            raise InvalidInput(f"{value!r} is not a tier (a whole number from 0 to 255)")
        return int(value)


#: What :class:`CapType` returns for an uncapped tier (click would read None as a missing argument).
UNLIMITED = "unlimited"


class CapType(_Checked):
    """A holding cap in tenge, or 'unlimited' (returned as :data:`UNLIMITED`)."""

    name = "cap"

    def check(self, value: str) -> Decimal | str:
        from tenge.amounts import parse_tenge

        if value.strip().lower() in (UNLIMITED, "uncapped"):
            return UNLIMITED
        return parse_tenge(value)


class RoleType(_Checked):
    """A role by name: MINTER_ROLE, minter, reserve-attestor, admin ..."""

    name = "role"

    def check(self, value: str) -> str:
        from tenge.token.roles import role_name

        return role_name(value)


class TimestampType(_Checked):
    """Unix seconds."""

    name = "unix-time"

    def check(self, value: str) -> int:
        if not value.strip().isdigit() or int(value) > 2**64 - 1:
            raise InvalidInput(f"{value!r} is not a unix time in seconds")
        return int(value)


_DURATION = re.compile(r"^(\d+)\s*([smhd]?)$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class DurationType(_Checked):
    """A duration: seconds, or a number with s, m, h or d (90m, 24h, 7d)."""

    name = "duration"

    def check(self, value: str) -> int:
        match = _DURATION.match(value.strip().lower())
        seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)] if match else 0
        if seconds <= 0:
            raise InvalidInput(f"{value!r} is not a positive duration (e.g. 3600, 90m, 24h, 7d)")
        return seconds


REFERENCE = ReferenceType()
TIER = TierType()
CAP = CapType()
ROLE = RoleType()
TIMESTAMP = TimestampType()
DURATION = DurationType()
