"""The machine's local time zone as a real IANA zone, so daylight-saving changes are known.

`datetime.now().astimezone()` only gives today's fixed offset; cron runs on wall-clock time, so the
warnings about skipped or doubled runs need the zone's rules.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LOCALTIME = Path("/etc/localtime")


class UnknownTimeZoneError(ValueError):
    """A zone name that is not in the IANA database on this machine."""


def zone_named(name: str) -> ZoneInfo:
    """The zone called `name` (e.g. "Europe/Paris"), or UnknownTimeZoneError with a readable message."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise UnknownTimeZoneError(
            f"Unknown time zone {name!r}: use an IANA name such as Europe/Paris or America/New_York."
        ) from error


@lru_cache(maxsize=1)
def local_zone() -> ZoneInfo:
    """The zone cron uses here: $TZ, else /etc/localtime (as a named zone where possible), else UTC."""
    candidates: list[str] = []
    if tz := os.environ.get("TZ", "").lstrip(":"):
        candidates.append(tz)
    if LOCALTIME.is_symlink():
        target = str(LOCALTIME.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text(encoding="utf-8", errors="replace").strip())
    for name in candidates:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    if LOCALTIME.is_file():
        with LOCALTIME.open("rb") as handle:
            return ZoneInfo.from_file(handle, key="localtime")
    return ZoneInfo("UTC")
