"""How a write command prints what it did: the action, its details, transaction hash(es), gas and fee.

Text: ``grant role: role=PAUSER_ROLE, address=0x…`` then ``  tx 0x…  block N  gas N  fee …`` per transaction;
``--json``: ``{"action": ..., <details>, "tx_hash": ..., "gas_used": ..., ...}`` (a list of writes under
``transactions``). Shared by every command group so the shapes cannot drift apart.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tenge.cli.common import emit
from tenge.cli.display import snake_key, text_value

if TYPE_CHECKING:
    from tenge.token.results import TxResult

TIYN = Decimal("0.01")


def tx_line(result: "TxResult") -> str:
    """``  tx 0x…  block N  gas N  fee …``: one sent transaction."""
    return f"  tx {result.tx_hash}  block {result.block_number}  gas {result.gas_used:,}  {result.fee_text()}"


def done(as_json: bool, action: str, result: "TxResult | list[TxResult]", **details: Any) -> None:
    """Print what a write did (see the module)."""
    results = result if isinstance(result, list) else [result]
    details = {k: _two_places(v) for k, v in details.items()}
    data: dict[str, Any] = {"action": action, **details}
    if isinstance(result, list):
        data["transactions"] = [r.to_dict() for r in results]
    else:
        data.update(result.to_dict())
    shown = ", ".join(f"{snake_key(k)}={text_value(k, v)}" for k, v in details.items())
    lines = [f"{action}: {shown}" if shown else action]
    lines += [tx_line(r) for r in results]
    emit(as_json, data, "\n".join(lines))


def _two_places(value: Any) -> Any:
    """Amounts as the token keeps them: exactly 2 decimals ("5000" -> "5000.00")."""
    return value.quantize(TIYN) if isinstance(value, Decimal) else value
