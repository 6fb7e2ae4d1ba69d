"""Reading an allocation file: CSV rows ``address,amount`` (tenge), an optional header, ``#`` comments.

Every row is checked (address checksum, amount with at most 2 decimals and above zero, no duplicates) before
anything is sent; errors name the line.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from tenge.addresses import checksum_address
from tenge.amounts import parse_tenge
from tenge.errors import InvalidInput


def parse_allocation_csv(text: str) -> list[tuple[str, Decimal]]:
    rows: list[tuple[str, Decimal]] = []
    seen: set[str] = set()
    for line_no, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in row]
        if not cells or not any(cells) or cells[0].startswith("#"):
            continue
        if line_no == 1 and cells[0].lower() in ("address", "beneficiary"):
            continue
        if len(cells) != 2:
            raise InvalidInput(f"line {line_no}: expected 'address,amount', got {len(cells)} fields")
        try:
            address = checksum_address(cells[0])
            amount = parse_tenge(cells[1], allow_zero=False)
        except InvalidInput as exc:
            raise InvalidInput(f"line {line_no}: {exc}") from None
        if address in seen:
            raise InvalidInput(f"line {line_no}: {address} appears twice")
        seen.add(address)
        rows.append((address, amount))
    if not rows:
        raise InvalidInput("the allocation file has no rows")
    return rows


def read_allocation_csv(path: str | Path) -> list[tuple[str, Decimal]]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    return parse_allocation_csv(text)
