"""The machine's local time zone as a real IANA zone, so daylight-saving changes are known.

`datetime.now().astimezone()` only gives today's fixed offset; cron runs on wall-clock time, so the
warnings about skipped or doubled runs need the zone's rules.
"""

from __future__ import annotations

import contextlib
import os
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prompt_alchemy_scheduler_tui.backends.line_safety import unsafe_character
from prompt_alchemy_scheduler_tui.backends.user_text import shown

LOCALTIME = Path("/etc/localtime")
MAX_ZONE_NAME_LENGTH = 255  # the longest IANA name is about 30 characters; a file name is at most 255 bytes


class UnknownTimeZoneError(ValueError):
    """A zone name that is not in the IANA database on this machine."""


def zone_named(name: str) -> ZoneInfo:
    """The zone called `name` (e.g. "Europe/Paris"), or UnknownTimeZoneError with a readable message.

    ZoneInfo opens a file named after `name`, so a directory ("Europe"), a name too long for the file
    system or one with a control character fails with OSError or ValueError: all are unknown zones.
    """
    zone = _zone_or_none(name)
    if zone is None:
        raise UnknownTimeZoneError(
            f"Unknown time zone {shown(name)}: use an IANA name such as Europe/Paris or America/New_York."
        )
    return zone


def _zone_or_none(name: str) -> ZoneInfo | None:
    if not name or len(name) > MAX_ZONE_NAME_LENGTH or unsafe_character(name) is not None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


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
    with contextlib.suppress(OSError):
        candidates.append(timezone_file.read_text(encoding="utf-8", errors="replace").strip())
    for name in candidates:
        zone = _zone_or_none(name)
        if zone is not None:
            return zone
    with contextlib.suppress(OSError, ValueError), LOCALTIME.open("rb") as handle:
        return ZoneInfo.from_file(handle, key="localtime")
    return ZoneInfo("UTC")
