"""``python -m tenge.docs [--check]``: regenerate (or check) every generated documentation file of the checkout."""

from __future__ import annotations

import sys

from tenge.docs.targets import stale_targets, write_targets


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = stale_targets()
        for path in stale:
            print(f"stale: {path} (regenerate: python -m tenge.docs)")
        return 1 if stale else 0
    for path in write_targets():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
