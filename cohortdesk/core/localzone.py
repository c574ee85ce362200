"""The computer's time zone, by its IANA name: the default zone of a new cohort.

The standard library can say the local UTC offset but not the zone's IANA name, and on Windows
it has no way at all to name it (Windows keeps its own zone names in the registry). `tzlocal`
reads the name where each system keeps it (`TZ`, `/etc/localtime`, `/etc/timezone`, systemd,
the Windows registry mapped through the CLDR table) and is small, pure Python and well kept.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tzlocal

FALLBACK = "UTC"


def local_zone_name() -> str:
    """The computer's IANA zone name (`Europe/Lisbon`), or UTC when it has none we know."""
    try:
        name = tzlocal.get_localzone_name()
    except Exception:
        return FALLBACK
    if not name:
        return FALLBACK
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return FALLBACK
    return name
