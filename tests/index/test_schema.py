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


def test_struct_fields_are_flattened_into_typed_columns() -> None:
    sent = head_metadata().tables["bridge_transfer_sent"]
    columns = [c.name for c in sent.columns][5:]
    assert columns == ["id", "sender", "transfer_source_chain_id", "transfer_source_bridge", "transfer_dest_chain_id",
                       "transfer_dest_bridge", "transfer_nonce", "transfer_sender", "transfer_recipient", "transfer_amount"]  # fmt: skip
    assert str(sent.c.transfer_amount.type.impl) == "BIGINT" and sent.c.transfer_recipient.type.length == 42  # type: ignore[attr-defined]
    spec = next(s for s in specs() if s.table_name == "bridge_transfer_sent")
    assert spec.columns()["transfer.nonce"] == "transfer_nonce"
    assert spec.signature == "TransferSent(bytes32,address,(uint64,address,uint64,address,uint64,address,address,uint256))"
