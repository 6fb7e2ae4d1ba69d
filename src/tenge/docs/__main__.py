"""``python -m tenge.docs [--check]``: regenerate (or check) every generated documentation file of the checkout."""

from __future__ import annotations

import argparse
import sys

from tenge.docs.targets import stale_targets, write_targets


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tenge.docs",
        description="Regenerate the generated documentation of this checkout: docs/cli.md (every command and "
        "option), docs/api.md (the SDK and every contract error) and src/tenge/contract_errors.py.",
    )
    parser.add_argument("--check", action="store_true", help="write nothing; list stale files and exit 1 if any")
    args = parser.parse_args(argv)  # --help prints this and exits 0; an unknown option exits 2, writing nothing
    if args.check:
        stale = stale_targets()
        for path in stale:
            print(f"stale: {path} (regenerate: python -m tenge.docs)")
        return 1 if stale else 0
    for path in write_targets():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
