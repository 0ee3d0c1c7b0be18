"""The nightly job's log files in /tmp: which exist, their state, and whether they can be trusted.

/tmp is shared by every user, so a log path may be a planted symlink or another user's file that shows
fake output; those are reported as warnings rather than followed silently. A planted FIFO, device, socket
or directory is never opened (a FIFO would block the reader forever): see backends/log_safety.py.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path

from backends.log_safety import UnsafeLogError, open_log_for_reading
from backends.nightly_job import DEFAULT_STDERR_LOG, DEFAULT_STDOUT_LOG

LOG_DIRECTORY = Path("/tmp")
LOG_PATTERN = "prompt-alchemy-nightly*.log"


class LogState(Enum):
    PRESENT = "present"
    MISSING = "missing"
    EMPTY = "empty"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class LogFileInfo:
    path: Path
    state: LogState
    size: int
    modified: datetime | None
    warnings: tuple[str, ...]


def discover_logs(directory: Path = LOG_DIRECTORY, pattern: str = LOG_PATTERN) -> list[LogFileInfo]:
    """stdout and stderr logs (always listed, even when missing), then any other match, sorted by name."""
    defaults = [directory / DEFAULT_STDOUT_LOG.name, directory / DEFAULT_STDERR_LOG.name]
    others = sorted(path for path in directory.glob(pattern) if path not in defaults)
    return [inspect_log(path) for path in [*defaults, *others]]


def inspect_log(path: Path) -> LogFileInfo:
    """The log's state; only a regular file is opened, so a planted FIFO is UNREADABLE, not a hang."""
    try:
        link = path.lstat()
    except FileNotFoundError:
        return LogFileInfo(path, LogState.MISSING, 0, None, ())
    except OSError as error:
        return LogFileInfo(path, LogState.UNREADABLE, 0, None, (f"cannot stat: {error.strerror}",))
    warnings = list(safety_warnings(path, link))
    try:
        with open_log_for_reading(path) as handle:
            info = os.fstat(handle.fileno())
    except FileNotFoundError:
        return LogFileInfo(path, LogState.MISSING, 0, None, tuple(warnings))
    except UnsafeLogError as error:
        return LogFileInfo(path, LogState.UNREADABLE, 0, None, (*warnings, str(error)))
    except OSError as error:
        return LogFileInfo(path, LogState.UNREADABLE, 0, None, (*warnings, f"cannot read: {error.strerror}"))
    state = LogState.EMPTY if info.st_size == 0 else LogState.PRESENT
    return LogFileInfo(
        path, state, info.st_size, datetime.fromtimestamp(info.st_mtime).astimezone(), tuple(warnings)
    )


def safety_warnings(path: Path, link: os.stat_result | None = None) -> list[str]:
    """Reasons not to trust what the file says: a symlink, another owner, writable by anyone."""
    try:
        link = link or path.lstat()
    except OSError:
        return []
    warnings = []
    if stat.S_ISLNK(link.st_mode):
        try:
            target = f" (to {os.readlink(path)})"
        except OSError:  # replaced since lstat
            target = ""
        warnings.append(f"{path} is a symbolic link{target}: in shared /tmp it may point anywhere.")
    try:
        info = path.stat()
    except OSError:
        return warnings
    if info.st_uid != os.getuid():
        warnings.append(
            f"{path} belongs to another user (uid {info.st_uid}): its content may not come from your job."
        )
    if info.st_mode & stat.S_IWOTH:
        warnings.append(f"{path} is writable by every user: anyone could have written to it.")
    return warnings
