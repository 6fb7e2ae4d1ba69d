"""One rule for every date tenge reads and prints: the display zone.

The zone is ``[display] timezone`` of the configuration file (an IANA name), else :data:`DEFAULT_TIMEZONE`,
Kazakhstan's time (UTC+05:00, Asia/Almaty since March 2024, the zone VAT dates are read in). A date given
without a zone (``2026-01-01``, ``2026-01-01T18:00``) is read in it; every time shown is ISO 8601 with its
offset in it (``2026-01-01T00:00:00+05:00``), never unix seconds.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

#: The default display zone: UTC+05:00.
DEFAULT_UTC_OFFSET = "+05:00"
DEFAULT_TIMEZONE = timezone(timedelta(hours=5))


def display_zone() -> tzinfo:
    """The configured display zone (see the module)."""
    from tenge.config import configured_timezone

    return configured_timezone()


def iso(unix: int, zone: tzinfo | None = None) -> str:
    """Unix seconds as ISO 8601 in ``zone`` (default: the display zone): ``2026-01-01T00:00:00+05:00``."""
    return datetime.fromtimestamp(int(unix), zone or display_zone()).isoformat()
