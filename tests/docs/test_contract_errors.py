"""Every custom error of our contracts is a named exception class of ``tenge.errors``."""

from __future__ import annotations

import subprocess
import sys

import pytest
from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector

import tenge.contract_errors as generated
import tenge.errors as errors
from tenge.chain.reverts import decode_revert, known_error_names
from tenge.chain.roles import role_id_of
from tenge.contracts import artifact_names, load_artifact

CUSTOM = sorted(known_error_names() - {"Error", "Panic"})


def test_every_abi_error_has_a_generated_class_and_no_class_is_left_over() -> None:
    assert sorted(generated.__all__) == CUSTOM, "regenerate: python -m tenge.docs"


@pytest.mark.parametrize("name", CUSTOM)
def test_each_error_is_importable_by_name_documented_and_a_contract_error(name: str) -> None:
    cls = getattr(errors, name)
    assert cls is getattr(generated, name) and cls.__name__ == name
    assert issubclass(cls, errors.ContractError) and issubclass(cls, errors.TengeError)
    assert cls.error_name == name
    assert cls.__doc__ and f"``{name}(" in cls.__doc__


def test_a_decoded_revert_is_the_named_class_with_readable_args() -> None:
    from tenge.errors import AccessControlUnauthorizedAccount, InsufficientSpendableBalance

    selector = function_signature_to_4byte_selector("InsufficientSpendableBalance(address,uint256,uint256)")
    account = "0x" + "11" * 20
    exc = decode_revert(selector + encode(["address", "uint256", "uint256"], [account, 125000, 130000]))
    assert type(exc) is InsufficientSpendableBalance
    assert str(exc) == (
        "InsufficientSpendableBalance(account=0x1111111111111111111111111111111111111111, "
        "spendable=1,250.00 KZT, needed=1,300.00 KZT)"
    )
    with pytest.raises(errors.ContractError):
        raise exc
    selector = function_signature_to_4byte_selector("AccessControlUnauthorizedAccount(address,bytes32)")
    exc = decode_revert(selector + encode(["address", "bytes32"], [account, role_id_of("MINTER_ROLE")]))
    assert isinstance(exc, AccessControlUnauthorizedAccount) and exc.error_args["neededRole"] == "MINTER_ROLE"


def test_our_errors_carry_their_natspec() -> None:
    from tenge.errors import InsufficientSpendableBalance

    assert (InsufficientSpendableBalance.__doc__ or "").startswith("`account` can spend only `spendable`")


def test_the_classes_are_the_same_whichever_module_is_imported_first() -> None:
    code = ("import tenge.contract_errors as g, tenge.errors as e; "
            "from tenge.chain.reverts import decode_revert; "
            "print(e.TierCapExceeded is g.TierCapExceeded, e.revert_class('TierCapExceeded') is g.TierCapExceeded)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["True", "True"], done.stderr


def test_the_abis_hold_errors_at_all() -> None:
    """Guard against an empty artifact set making the checks above vacuous."""
    names = {i["name"] for a in artifact_names() for i in load_artifact(a).abi if i.get("type") == "error"}
    assert {"InsufficientSpendableBalance", "TierCapExceeded", "AccessControlUnauthorizedAccount"} <= names
    assert len(CUSTOM) == len(names) > 100
