"""One definition of "final enough", shared by `tenge tx status`, `tenge index` and `tenge audit`.

A block has ``head - block + 1`` confirmations: its own block counts as the first, as `tenge tx status`
counts (``confirmed (1 of 1)`` for a transaction in the head block when the network asks for 1). A block is
final enough when it has at least the network's ``confirmations`` (``[networks.X].confirmations``; at least 1),
so the newest final block is ``head - confirmations + 1``: the index syncs up to it, and the audit reads the
chain at the index's newest final block - a transaction `tenge tx status` calls confirmed is in both.
"""

from __future__ import annotations


def confirmations_of(block: int, head: int) -> int:
    """How many confirmations ``block`` has when the chain's newest block is ``head`` (0: not mined yet)."""
    return max(0, head - block + 1)


def final_block(head: int, confirmations: int) -> int:
    """The newest block with at least ``confirmations`` confirmations (0 counts as 1); -1 when there is none."""
    return max(-1, head - max(1, confirmations) + 1)
