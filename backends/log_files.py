"""The nightly job's log files in /tmp: which exist, their state, and whether they can be trusted.

/tmp is shared by every user, so a log path may be a planted symlink or another user's file that shows
fake output; those are reported as warnings rather than followed silently. A planted FIFO, device, socket
or directory is never opened (a FIFO would block the reader forever): see backends/log_safety.py.
"""

from __future__ import annotations

import fnmatch
import heapq
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.log_safety import UnsafeLogError, open_log_for_reading
from prompt_alchemy_scheduler_tui.backends.nightly_job import DEFAULT_STDERR_LOG, DEFAULT_STDOUT_LOG
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import JobListing

LOG_DIRECTORY = Path("/tmp")
LOG_PATTERN = "prompt-alchemy-nightly*.log"
MAX_EXTRA_LOGS = 4  # other matching files shown besides stdout and stderr: the most recently modified


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


@dataclass(frozen=True)
class LogSelection:
    """The logs worth showing, and how many other matching files were left out."""

    logs: tuple[LogFileInfo, ...]
    skipped: int
    directory: Path
    max_extras: int


def select_logs(
    directory: Path = LOG_DIRECTORY, pattern: str = LOG_PATTERN, max_extras: int = MAX_EXTRA_LOGS
) -> LogSelection:
    """stdout and stderr logs (always, even when missing), then the `max_extras` most recently modified
    other matches, sorted by name; the rest are only counted.

    Anyone can create matching names in /tmp: a bound keeps hundreds of them from costing a pane, a
    reader and a follower each. Modification times come from lstat, so links are not followed.
    """
    defaults = [directory / DEFAULT_STDOUT_LOG.name, directory / DEFAULT_STDERR_LOG.name]
    newest, matching = _newest_matches(directory, pattern, {path.name for path in defaults}, max_extras)
    infos = [inspect_log(path) for path in [*defaults, *sorted(newest)]]
    return LogSelection(tuple(infos), matching - len(newest), directory, max_extras)


def discover_logs(directory: Path = LOG_DIRECTORY, pattern: str = LOG_PATTERN) -> list[LogFileInfo]:
    """The logs of `select_logs` with its default bound."""
    return list(select_logs(directory, pattern).logs)


def _newest_matches(directory: Path, pattern: str, exclude: set[str], keep: int) -> tuple[list[Path], int]:
    """The `keep` newest names matching `pattern` (as glob matches them), and how many matched in all."""
    newest: list[tuple[int, str]] = []  # a min-heap: memory stays at `keep` however many files match
    matching = 0
    try:
        entries = os.scandir(directory)
    except OSError:
        return [], 0
    with entries:
        for entry in entries:
            if entry.name in exclude or not fnmatch.fnmatchcase(entry.name, pattern):
                continue
            try:
                item = (entry.stat(follow_symlinks=False).st_mtime_ns, entry.name)
            except OSError:  # removed since listed
                continue
            matching += 1
            if len(newest) < keep:
                heapq.heappush(newest, item)
            elif keep and item > newest[0]:
                heapq.heapreplace(newest, item)
    return [directory / name for _, name in newest], matching


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
            f"{path} belongs to another user ({_user_name(info.st_uid)}): its content may not come from your job."
        )
    if info.st_mode & stat.S_IWOTH:
        warnings.append(f"{path} is writable by every user: anyone could have written to it.")
    return warnings


def installed_log_directory(listings: Sequence[JobListing]) -> Path | None:
    """Where the installed job (ours) appends its logs, when that is not the default /tmp: the panes,
    `logs` and "run now" follow the job there."""
    for listing in listings:
        for job in listing.jobs:
            if job.managed and job.stdout_log is not None and job.stdout_log.parent != LOG_DIRECTORY:
                return job.stdout_log.parent
    return None


def _user_name(uid: int) -> str:
    """`mallory (uid 1001)`, or the bare uid when no account has it."""
    import pwd

    try:
        return f"{pwd.getpwuid(uid).pw_name} (uid {uid})"
    except KeyError:
        return f"uid {uid}"
