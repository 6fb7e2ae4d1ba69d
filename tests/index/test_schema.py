"""The index schema follows the ABIs: every event of a followed contract has its table at the newest migration
(a new event needs a new migration freezing its ABI), with one typed column per field."""

from __future__ import annotations

from tenge.contracts import load_artifact
from tenge.index.abi_schema import event_specs
from tenge.index.contracts import FOLLOWED
from tenge.index.schema import head_metadata, specs


def test_every_event_of_the_followed_contracts_has_its_table() -> None:
    frozen = {(s.prefix, s.signature): s for s in specs()}
    for followed in FOLLOWED:
        for spec in event_specs(followed.prefix, load_artifact(followed.artifact).abi):
            assert (spec.prefix, spec.signature) in frozen, (
                f"{followed.record_key} emits {spec.signature}, which no migration covers: run `python -m tenge.index.freeze NNNN` and add the migration it prints"
            )
            assert frozen[(spec.prefix, spec.signature)].columns() == spec.columns(), spec.signature
            assert spec.table_name in head_metadata().tables


def test_amounts_are_exact_integers_and_addresses_checksummed_text() -> None:
    paid = head_metadata().tables["vat_paid"]
    assert str(paid.c.gross.type.impl) == "BIGINT" and paid.c.payer.type.length == 42  # type: ignore[attr-defined]
    assert [c.name for c in paid.primary_key.columns] == ["block_number", "log_index"]
