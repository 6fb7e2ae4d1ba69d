"""The exit codes of the ``tenge`` command, in one place: shown by ``tenge --help``, listed in the README.

Kept free of heavy imports: ``tenge --help`` must stay fast.
"""

from __future__ import annotations

CHANGES_NOT_APPLIED = 3
NOT_YET_MINED = 4
NOT_YET_CONFIRMED = 5
REDEPLOY_NEEDED = 6
UNSAFE_UPGRADE = 7
INTERRUPTED = 130

#: Every exit code the CLI uses, documented in one place.
EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "error: a refused, reverted or failed command",
    2: "invalid input (refused before anything was sent)",
    CHANGES_NOT_APPLIED: "a check found differences: `tenge deploy` found changed code or configuration it did not apply; "
    "`devnet status` found no devnet; `vat report --check` did not reconcile; `verify --check` found deployed code the "
    "recorded input does not reproduce",
    NOT_YET_MINED: "sent, not yet mined when the wait ended: do not resend; check with `tenge tx status HASH`",
    NOT_YET_CONFIRMED: "mined, not yet confirmed when the wait ended: it happened, do not resend",
    REDEPLOY_NEEDED: "`tenge deploy`: the configuration differs from the chain in a way only a redeploy can change",
    UNSAFE_UPGRADE: "`tenge deploy --upgrade`: the new implementation's storage layout is incompatible with the "
    "deployed one's (the clashing variables are named), or the record holds no layout; nothing was sent",
    INTERRUPTED: "interrupted (Ctrl-C); what was pending is printed",
}


def exit_codes_help() -> str:
    """The table for ``tenge --help`` (click keeps lines after a ``\\b`` marker as they are)."""
    return "\b\nExit codes:\n" + "\n".join(f"  {code:>3}  {meaning}" for code, meaning in EXIT_CODES.items())
