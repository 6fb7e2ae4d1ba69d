"""The access-control matrix gate: every privileged function of every contract, called by every role
holder and a stranger; only the intended callers get through, everyone else gets the expected custom error.

The table is access_matrix.ROWS; README.md's "Access control" section is rendered from it.
Refusals are checked by estimation (the SDK's revert decoding, nothing sent); each row's success is a
real mined transaction, and a row nobody may call is also sent for real and must revert on chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from access_matrix import (
    CALLER_KEYS,
    CALLERS,
    README,
    REGENERATE,
    ROWS,
    TOKEN,
    VAT,
    Row,
    audited_artifacts,
    markdown,
    readme_section,
    stale,
    uncovered,
)
from access_world import (
    BRIDGE_ROLE_HOLDERS,
    BRIDGES,
    TOKEN_ROLE_HOLDERS,
    VAT_ROLE_HOLDERS,
    MatrixWorld,
    build_world,
    role_holders,
    rpc,
)
from gate_summary import count

from tenge.chain.transactions import GAS_MARGIN
from tenge.errors import ContractRevert

Suite = Any  # the root conftest's Suite


@pytest.fixture(scope="module")
def matrix(suite: Suite) -> Iterator[MatrixWorld]:
    from web3 import Web3

    w3 = Web3(Web3.HTTPProvider(suite.rpc_url))
    clean = rpc(w3, "evm_snapshot")
    world = build_world(suite.rpc_url, suite.record_dir, suite.keys[0])
    yield world
    assert rpc(w3, "evm_revert", [clean]), "anvil failed to roll back the access-matrix world"


def test_every_state_changing_function_is_in_the_matrix_or_public_by_design() -> None:
    assert {"DigitalTenge", "VatPayments", "TengeBridgeHome", "TengeBridgeRemote"} <= audited_artifacts()
    gaps = uncovered()
    assert not gaps, (
        f"state-changing functions with no access-control row: {gaps}; add rows to tests/gates/access_matrix.py "
        f"(or list them in PUBLIC_BY_DESIGN with the reason), then run `{REGENERATE}`"
    )


def test_the_matrix_names_no_function_that_is_gone() -> None:
    assert not stale(), f"rows or public entries for functions the ABIs no longer have: {stale()}"


def test_the_readme_section_is_generated_from_the_matrix() -> None:
    try:
        section = readme_section(README.read_text())
    except LookupError as exc:
        pytest.fail(f"{exc}; add the markers under '## Access control' and run `{REGENERATE}`")
    assert section == markdown(), f"README.md's access-control table is out of date: run `{REGENERATE}`"


def test_each_role_sits_on_its_own_account(matrix: MatrixWorld) -> None:
    """The matrix means something only if no caller holds more than the table says."""
    expected = {
        TOKEN: {"DEFAULT_ADMIN_ROLE": ["token-admin"], **{r: [c] for r, c in TOKEN_ROLE_HOLDERS.items()}},
        VAT: {"DEFAULT_ADMIN_ROLE": ["vat-admin"], **{r: [c] for r, c in VAT_ROLE_HOLDERS.items()}},
        **{b: {"DEFAULT_ADMIN_ROLE": ["bridge-admin"], **{r: [c] for r, c in BRIDGE_ROLE_HOLDERS.items()}} for b in BRIDGES},
    }
    assert role_holders(matrix) == expected
    assert len({matrix.address(c) for c in CALLER_KEYS}) == len(CALLERS)
    assert matrix.view(VAT, "treasury") == matrix.address("treasury")
    assert matrix.view(VAT, "merchant", 1)[0] == matrix.address("payout")


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_only_the_intended_callers_get_through(matrix: MatrixWorld, row: Row) -> None:
    snapshot = matrix.snapshot()
    try:
        if row.setup:
            row.setup(matrix)
        args = row.args(matrix)
        for caller in CALLER_KEYS:
            error = matrix.attempt(caller, row.contract, row.function, args)
            if caller in row.may:
                assert error is None, f"{row.id}: {caller} may call it but was refused: {error}"
                continue
            assert error is not None, f"{row.id}: {caller} got through; only {row.rule} may"
            _assert_denied(matrix, row, caller, error)
        if row.may:
            sent = matrix.send(row.may[0], row.contract, row.function, *args)
            assert sent.receipt["status"] == 1
        else:
            _assert_reverts_on_chain(matrix, row, args)
    finally:
        matrix.revert(snapshot)
    count("access", f"access-control matrix: {{n}} rows × {len(CALLER_KEYS)} callers checked")


def _assert_denied(matrix: MatrixWorld, row: Row, caller: str, error: ContractRevert) -> None:
    denial = row.denial_for(caller)
    assert error.error_name == denial.error, f"{row.id} from {caller}: expected {denial.shown}, got {error}"
    expected = denial.args(matrix, matrix.address(caller))
    assert error.error_args == expected, f"{row.id} from {caller}: {error.error_args} != {expected}"


def _assert_reverts_on_chain(matrix: MatrixWorld, row: Row, args: tuple[Any, ...]) -> None:
    """A row nobody may call, sent for real with fixed gas: it is mined, reverts, and the SDK names the error."""
    caller = CALLER_KEYS[0]
    sender = matrix.sender(caller)
    tx = matrix.transaction(caller, row.contract, row.function, args)
    fields = {
        **sender.fee_fields(),
        "gas": int(500_000 * GAS_MARGIN),
        "nonce": matrix.w3.eth.get_transaction_count(sender.account.address),
        "chainId": matrix.w3.eth.chain_id,
    }
    tx.update(fields)  # type: ignore[typeddict-item]
    signed = sender.account.sign_transaction(tx)  # type: ignore[arg-type]
    tx_hash = matrix.w3.eth.send_raw_transaction(signed.raw_transaction)
    with pytest.raises(ContractRevert) as caught:
        sender.wait(tx_hash, tx, description=row.id)
    assert caught.value.error_name == row.denial_for(caller).error, str(caught.value)
    assert matrix.w3.eth.get_transaction_receipt(tx_hash)["status"] == 0
