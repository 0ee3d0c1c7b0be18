"""Signal a whole process group, and tell whether anything of it is still alive.

A job started with `start_new_session=True` leads a new session, so its process group id is its PID
(setsid(2)); everything it starts stays in that group unless it leaves on purpose.
"""

from __future__ import annotations

import os
from pathlib import Path

_PROC = Path("/proc")


def signal_group(group: int, signum: int) -> bool:
    """Send `signum` to every process of `group`; False when the group no longer exists."""
    try:
        os.killpg(group, signum)
    except ProcessLookupError:
        return False
    return True


def group_alive(group: int) -> bool:
    """True while a process of `group` is alive. A zombie (ended, not yet collected by its parent) is
    not: where PID 1 never collects orphans (some containers), a stopped grandchild stays one."""
    try:
        os.killpg(group, 0)  # kill(2): signal 0 only checks that the group exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if not (_PROC / "self" / "stat").exists():
        return True  # no /proc (macOS): the group exists, and a zombie cannot be told apart
    return any(_live_member(stat, group) for stat in _PROC.glob("[0-9]*/stat"))


def _live_member(stat: Path, group: int) -> bool:
    """proc(5): /proc/PID/stat is `pid (comm) state ppid pgrp ...`; comm may hold spaces and `)`."""
    try:
        fields = stat.read_text().rpartition(")")[2].split()
    except OSError:
        return False  # the process ended while we looked
    return len(fields) > 2 and fields[2] == str(group) and fields[0] not in ("Z", "X")
