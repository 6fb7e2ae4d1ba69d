"""``python -m tenge.pilot [OUT_DIR]``: play the pilot and write its report into OUT_DIR (default ./pilot-report).
Ctrl-C stops everything it started and exits 130 (no traceback)."""

from __future__ import annotations

import sys
from pathlib import Path

from tenge.pilot.run import run_pilot


def main() -> int:
    try:
        run_pilot(Path(sys.argv[1] if len(sys.argv) > 1 else "pilot-report"), lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        print("interrupted: every process the pilot started is stopped", flush=True)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
