"""Freeze the event ABIs no migration covers yet, for a new migration: ``python -m tenge.index.freeze 0002``.

Writes ``migrations/versions/<revision>_events.json`` with every event of the followed contracts
(:data:`tenge.index.contracts.FOLLOWED`) whose signature no earlier revision froze, and prints the migration
module to create beside it (it creates those tables with ``build_metadata("<revision>", with_bookkeeping=False)``).
"""

from __future__ import annotations

import json
import sys

from tenge.contracts import load_artifact
from tenge.index.abi_schema import event_specs
from tenge.index.contracts import FOLLOWED
from tenge.index.schema import VERSIONS_DIR, specs

TEMPLATE = '''"""{what}

Revision ID: {revision}
"""

from __future__ import annotations

from alembic import op

from tenge.index.schema import build_metadata

revision = "{revision}"
down_revision = "{previous}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    build_metadata("{revision}", with_bookkeeping=False).create_all(op.get_bind())


def downgrade() -> None:
    build_metadata("{revision}", with_bookkeeping=False).drop_all(op.get_bind())
'''


def uncovered() -> dict[str, list[dict[str, object]]]:
    frozen = {(s.prefix, s.signature) for s in specs()}
    missing: dict[str, list[dict[str, object]]] = {}
    for followed in FOLLOWED:
        for spec in event_specs(followed.prefix, load_artifact(followed.artifact).abi):
            if (spec.prefix, spec.signature) not in frozen:
                frozen.add((spec.prefix, spec.signature))  # contracts sharing a prefix share the table
                missing.setdefault(spec.prefix, []).append(spec.abi)
    return missing


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].isdigit():
        print("usage: python -m tenge.index.freeze REVISION   (e.g. 0002)", file=sys.stderr)
        return 2
    revision = argv[0]
    missing = uncovered()
    if not missing:
        print("every event of the followed contracts already has its table: nothing to freeze")
        return 0
    previous = sorted(p.name.split("_")[0] for p in VERSIONS_DIR.glob("*_events.json"))[-1]
    (VERSIONS_DIR / f"{revision}_events.json").write_text(json.dumps(missing, indent=1, sort_keys=True) + "\n")
    names = ", ".join(f"{prefix}: {len(events)} events" for prefix, events in missing.items())
    print(f"wrote {VERSIONS_DIR / f'{revision}_events.json'} ({names}); create {revision}_<name>.py beside it:\n")
    print(TEMPLATE.format(what=f"Event tables for {names}.", revision=revision, previous=previous))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
