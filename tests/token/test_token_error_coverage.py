"""A gate: every custom error in the token's ABI is exercised by some test of this package (by name, as the
tests' ``rejected(..., "ErrorName", ...)`` calls spell it), so an error added to the contract needs a test."""

from __future__ import annotations

from pathlib import Path

from tenge.contracts import load_artifact

#: Errors in the ABI (through OpenZeppelin bases) that no call of the token can raise.
UNREACHABLE = {
    "ERC20InvalidApprover": "approve and permit always have a non-zero owner (the caller or a recovered signer)",
    "ERC20InvalidSender": "the zero address is never approved, so AccountNotApproved comes first",
    "ECDSAInvalidSignatureLength": "only the (v, r, s) permit exists; bytes signatures go through SignatureChecker",
    "NotInitializing": "no onlyInitializing function is reachable from outside",
    "UUPSUnauthorizedCallContext": "upgrades called on the implementation itself; not a token rule",
    "UUPSUnsupportedProxiableUUID": "needs a contract answering a wrong proxiableUUID",
    "ERC1967NonPayable": "upgradeToAndCall with value and empty data",
    "AddressEmptyCode": "raised by Address.functionDelegateCall for a code-less target",
    "FailedCall": "raised by Address for a failed call without reason",
    "SafeERC20FailedOperation": "a foreign token whose transfer returns false",
    "SafeCastOverflowedUintDowncast": "admin delay changes beyond uint48",
}


def test_every_custom_error_of_the_token_is_tested() -> None:
    names = {item["name"] for item in load_artifact("DigitalTenge").abi if item["type"] == "error"}
    here = Path(__file__)
    sources = "".join(p.read_text() for p in here.parent.glob("test_token_*.py") if p != here)
    untested = {name for name in names if f'"{name}"' not in sources}
    assert untested - set(UNREACHABLE) == set()
