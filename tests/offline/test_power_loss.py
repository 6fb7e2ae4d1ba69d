"""Power loss at the merchant terminal: a real `tenge offline accept` process killed with SIGKILL.

- right after it printed "accepted": the payment is in the store (accepted is said only after the commit);
- between verification and the store's commit (the test holds the SQLite write lock, so the process is provably
  stuck there when it says "verified"): nothing half-written is left, and the same payment is accepted later;
- in a stream of payments killed at an arbitrary point: every payment reported accepted is stored, complete.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import IO

from tenge.offline import codec

from .purse_world import BANK, DOMAIN, MERCHANT, NOW, device

TENGE = [sys.executable, "-m", "tenge.cli"]
INVOICE = b"\x00" * 32


def start_terminal(db: Path) -> subprocess.Popen[str]:
    args = [
        *TENGE, "offline", "accept", "-", "--terminal", str(db), "--merchant", MERCHANT, "--bank", BANK.address,
        "--chain-id", str(DOMAIN.chain_id), "--purse-contract", DOMAIN.verifying_contract,
    ]  # fmt: skip
    return subprocess.Popen(
        args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip


def read_until(stream: IO[str], word: str) -> str:
    while True:
        line = stream.readline()
        assert line, f"the terminal exited before saying {word!r}"
        if line.startswith(word):
            return line


def stored(db: Path) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return connection.execute(
            "SELECT purse_id, sequence, amount, text FROM offline_accepted_payments ORDER BY id"
        ).fetchall()


def strings(count: int) -> list[str]:
    dev = device()
    return [codec.encode(dev.pay(MERCHANT, 100 + n, INVOICE, NOW), DOMAIN) for n in range(count)]


def test_killed_right_after_accepted_keeps_the_payment(tmp_path: Path) -> None:
    db = tmp_path / "terminal.sqlite"
    [text] = strings(1)
    proc = start_terminal(db)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(text + "\n")
    read_until(proc.stdout, "accepted")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert [row[3] for row in stored(db)] == [text]


def test_killed_between_verification_and_store_leaves_nothing_half_written(tmp_path: Path) -> None:
    db = tmp_path / "terminal.sqlite"
    first, second = strings(2)
    proc = start_terminal(db)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(first + "\n")
    read_until(proc.stdout, "accepted")
    blocker = sqlite3.connect(db, isolation_level=None, timeout=60)
    blocker.execute("BEGIN IMMEDIATE")  # the terminal's write transaction must wait for us
    proc.stdin.write(second + "\n")
    read_until(proc.stdout, "verified")  # checks passed; it now waits for the lock, before its commit
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    blocker.execute("ROLLBACK")
    blocker.close()
    assert [row[3] for row in stored(db)] == [first]
    # The payment never said "accepted" and was not stored: the device can present it again, and it is taken.
    again = start_terminal(db)
    out, _ = again.communicate(second + "\n", timeout=120)
    assert "accepted" in out and again.returncode == 0, out
    assert [row[3] for row in stored(db)] == [first, second]


def test_every_payment_reported_accepted_survives_a_kill_mid_stream(tmp_path: Path) -> None:
    db = tmp_path / "terminal.sqlite"
    texts = strings(12)
    proc = start_terminal(db)
    assert proc.stdin is not None and proc.stdout is not None
    accepted = 0
    for n, text in enumerate(texts):
        proc.stdin.write(text + "\n")
        if n == 6:  # kill while payment 7 is somewhere between stdin and the commit
            break
        read_until(proc.stdout, "accepted")
        accepted += 1
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    rows = stored(db)
    assert len(rows) in (accepted, accepted + 1)
    assert [row[3] for row in rows] == texts[: len(rows)]
    for purse_id, sequence, amount, text in rows:
        signed, _ = codec.decode(text)  # complete and self-consistent
        assert (purse_id, int(sequence), int(amount)) == (
            "0x" + signed.payment.purse_id.hex(), signed.payment.sequence, signed.payment.amount
        )
