"""The sync under faults: a `tenge index sync` SIGKILLed mid-way then resumed (no event missing, none twice),
and a reorg (anvil snapshot/revert) under a sync (the removed events disappear from the index)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, select

from tenge.audit.audit import audit
from tenge.index.db import open_index
from tenge.index.schema import head_metadata, table
from tenge.index.sync import IndexSync
from tenge.toolchain.anvil import dev_keys

TENGE = str(Path(sys.executable).with_name("tenge"))


def snapshot_rows(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    rows = {}
    with engine.connect() as db:
        for name, tbl in head_metadata().tables.items():
            if not name.startswith("index_"):
                rows[name] = sorted(tuple(r) for r in db.execute(select(tbl)))
    return rows


def test_sync_killed_midway_resumes_exactly(index_world, index_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "TENGE_DEPLOYMENTS_DIR": str(index_world.record_dir), "TENGE_HOME": str(tmp_path)}
    command = [TENGE, "index", "sync", "--network", "local", "--rpc-url", index_world.rpc_url, "--db", index_url,
               "--chunk-blocks", "2", "--confirmations", "0"]  # fmt: skip
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert process.stderr is not None
    progress = 0
    for line in process.stderr:
        progress += line.startswith("... blocks")
        if progress == 12:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the sync ended before it could be killed mid-way"
    engine = open_index(index_url)
    with engine.connect() as db:
        partial = max(int(r.synced_to) for r in db.execute(select(table("index_contracts"))))
    head = int(index_world.session().w3.eth.block_number)
    assert 0 < partial < head, (partial, head)
    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    reference = open_index(f"sqlite:///{tmp_path / 'reference.sqlite'}")
    session = index_world.session()
    IndexSync(reference, session.w3, session.record, confirmations=0).run()
    assert snapshot_rows(engine) == snapshot_rows(reference)
    engine.dispose()
    reference.dispose()


def test_reorg_rolls_back_removed_events(index_world, index_url: str) -> None:  # type: ignore[no-untyped-def]
    session = index_world.session()
    w3 = session.w3
    engine = open_index(index_url)
    sync = IndexSync(engine, w3, session.record, confirmations=0)
    sync.run()
    tier_set = table("token_tier_set")
    admin = dev_keys(1)[0]
    newcomers = ["0x" + f"{n:040x}" for n in (0xA1, 0xA2, 0xA3)]
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        token = session.contract("DigitalTenge")
        nonce = w3.eth.get_transaction_count(admin.address, "pending")
        for offset, who in enumerate(newcomers):  # three KYC approvals on the branch that will be dropped
            tx = token.functions.setTier(w3.to_checksum_address(who), 1).build_transaction(
                {"from": admin.address, "nonce": nonce + offset}
            )
            w3.eth.send_raw_transaction(admin.sign_transaction(tx).raw_transaction)
        assert sync.run().events >= 3
        with engine.connect() as db:
            dropped = db.execute(select(tier_set.c.tx_hash).where(tier_set.c.account.in_([w3.to_checksum_address(a) for a in newcomers]))).scalars().all()
        assert len(dropped) == 3
    finally:
        assert w3.provider.make_request("evm_revert", [snapshot])["result"]  # type: ignore[arg-type]
    for _ in range(5):  # the new branch: other blocks at the same heights and beyond
        w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    result = IndexSync(engine, w3, session.record, confirmations=0).run()
    assert result.rolled_back_to is not None and result.removed >= 3
    with engine.connect() as db:
        left = db.execute(select(tier_set.c.tx_hash).where(tier_set.c.tx_hash.in_(dropped))).scalars().all()
    assert left == [], "events of the dropped branch must leave the index"
    assert audit(session, engine).clean
    engine.dispose()


def test_a_newly_followed_contract_is_backfilled(index_world, index_url: str, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The bridge or a programme joining later: the index catches up on it from its deployment block."""
    import tenge.index.sync as sync_module
    from tenge.index.contracts import FOLLOWED

    session = index_world.session()
    engine = open_index(index_url)
    monkeypatch.setattr(sync_module, "FOLLOWED", tuple(c for c in FOLLOWED if c.prefix == "token"))
    IndexSync(engine, session.w3, session.record, confirmations=0).run()
    with engine.connect() as db:
        assert db.execute(select(table("vat_paid"))).first() is None
    monkeypatch.setattr(sync_module, "FOLLOWED", FOLLOWED)
    IndexSync(engine, session.w3, session.record, confirmations=0, chunk_blocks=7).run()
    reference = open_index(f"sqlite:///{tmp_path / 'reference.sqlite'}")
    IndexSync(reference, session.w3, session.record, confirmations=0).run()
    assert snapshot_rows(engine) == snapshot_rows(reference)
    engine.dispose()
    reference.dispose()
