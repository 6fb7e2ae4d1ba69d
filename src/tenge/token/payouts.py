"""Payout lists (batch mint, batch transfer): ``address,amount`` rows, validated before anything is sent.

CSV format: one ``address,amount`` per row (amount in tenge, up to 2 decimals); an optional header
row (``address,amount``); blank lines and lines starting with ``#`` are skipped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from tenge.addresses import checksum_address
from tenge.amounts import AmountLike, parse_tenge
from tenge.errors import InvalidInput

#: Recipients per transaction: far below the block gas limit at ~9,000 gas per recipient.
DEFAULT_CHUNK_SIZE = 250
#: First cells that mark an optional header row.
HEADER_NAMES = frozenset({"address", "to", "recipient", "account"})


@dataclass(frozen=True)
class Payout:
    to: str
    amount: Decimal


def payout(to: str, amount: AmountLike) -> Payout:
    """One validated payout: checksummed address, amount of tenge above zero."""
    return Payout(checksum_address(to), parse_tenge(amount, allow_zero=False))


def normalise_payouts(rows: Iterable[Payout | tuple[str, AmountLike]]) -> list[Payout]:
    """Validate every row (address checksum, amount > 0, at most 2 decimals); refuse an empty list."""
    result = [payout(row.to, row.amount) if isinstance(row, Payout) else payout(*row) for row in rows]
    if not result:
        raise InvalidInput("the payout list is empty")
    return result


def parse_payout_csv(text: str, *, source: str = "<csv>") -> list[Payout]:
    """Read ``address,amount`` rows; every error names the file and line."""
    rows: list[Payout] = []
    reader = csv.reader(io.StringIO(text))
    first_row = True
    for raw_cells in reader:
        cells = [c.strip() for c in raw_cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if first_row and cells[0].lower() in HEADER_NAMES:
            first_row = False
            continue
        first_row = False
        line = reader.line_num
        if len(cells) != 2:
            raise InvalidInput(f"{source}:{line}: expected 'address,amount', got {len(cells)} cells")
        try:
            rows.append(payout(cells[0], cells[1]))
        except InvalidInput as exc:
            raise type(exc)(f"{source}:{line}: {exc}") from None
    if not rows:
        raise InvalidInput(f"{source}: no payout rows (expected 'address,amount' lines)")
    return rows


def read_payout_csv(path: str | Path) -> list[Payout]:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"cannot read payout file {file}: {exc.strerror}") from None
    return parse_payout_csv(text, source=str(file))


def chunked(payouts: list[Payout], size: int) -> list[list[Payout]]:
    if size < 1:
        raise InvalidInput(f"chunk size must be at least 1, not {size}")
    return [payouts[i : i + size] for i in range(0, len(payouts), size)]


def total(payouts: Iterable[Payout]) -> Decimal:
    return sum((p.amount for p in payouts), Decimal("0.00"))
