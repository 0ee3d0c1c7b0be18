"""Opening the job's log files when any local user may have planted them.

Prompt Alchemy's documented logs live in /tmp, which every user can write to (the sticky bit only stops them deleting or
renaming each other's files). Another user can therefore put, under a log's name, a symbolic link to one
of your files, a hard link, a file of their own, a FIFO that blocks whoever opens it, or a directory.
So writing opens with O_NOFOLLOW and O_NONBLOCK and then checks the opened descriptor with fstat (the
name may change between a check and the open, the descriptor cannot), and reading never opens anything
but a regular file. open(2), fstat(2) and fifo(7) describe the flags and the blocking FIFO open.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.private_files import (
    UnsafeDirectoryError,
    make_private_directory,
    state_directory,
)

_APPEND_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class UnsafeLogError(OSError):
    """A log that must not be opened as it is; `str()` says why and what to do, in words.

    An OSError so that every place that already handles a log it cannot read or write handles this too.
    """

    def __init__(self, path: Path, problems: Sequence[str], message: str) -> None:
        super().__init__(errno.EPERM, message)
        self.path = path
        self.problems = tuple(problems)
        self.message = message

    def __str__(self) -> str:
        return self.message


def private_log_directory(*, create: bool = False) -> Path:
    """The per-user directory for the job's logs: no other user can plant or read files in it.

    With `create`, it is made (mode 0700) and checked to be a real directory of yours, then returned.
    """
    directory = state_directory() / "logs"
    if create:
        try:
            make_private_directory(directory)
        except UnsafeDirectoryError as error:
            raise UnsafeLogError(
                directory, [str(error)], f"Cannot use {directory} for logs: {error}."
            ) from error
        if directory.stat().st_mode & 0o077:
            os.chmod(directory, 0o700)
    return directory


def log_problems(path: Path) -> list[str]:
    """Why the job must not write to `path` as things stand; [] when it may.

    Each item is a sentence fragment in words, e.g. "/tmp/x.log is a symbolic link to /home/me/.bashrc
    (made by mallory (uid 1001)): the job would write into that file instead". Checked: a symbolic link (reported,
    never followed), anything but a regular file, another owner, writable by every user or by a group
    that is not yours, more than one hard link, and a directory in which others can replace the file.
    Only lstat/stat are used: nothing is opened, so a FIFO cannot block the call.

    A missing file is fine (the job creates it), but in a directory shared by every user (/tmp) anyone
    can still plant one before the job runs: see `shared_directory`.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        return _directory_problems(path)
    except OSError as error:
        return [f"{path} cannot be examined ({error.strerror})"]
    return _file_problems(path, info) + _directory_problems(path)


def shared_directory(path: Path) -> bool:
    """True when every user may create files next to `path` (its directory is world-writable, like /tmp)."""
    try:
        return bool(path.parent.stat().st_mode & stat.S_IWOTH)
    except OSError:
        return False


def open_log_for_append(path: Path) -> io.BufferedWriter:
    """Open the job's log to append to it, refusing (UnsafeLogError) anything that is not safely ours.

    O_NOFOLLOW: a symbolic link is never followed (open fails with ELOOP), O_NONBLOCK: a FIFO cannot
    block the open (it fails with ENXIO without a reader and is refused after fstat with one), O_CREAT
    with mode 0600: a new log is readable by you only. The descriptor is then checked with fstat: a
    regular file, yours, one link, not writable by others. A log in `private_log_directory()` gets that
    directory created first.
    """
    if path.parent == private_log_directory():
        private_log_directory(create=True)
    try:
        descriptor = os.open(path, _APPEND_FLAGS | _CLOEXEC, 0o600)
    except OSError as error:
        problems = log_problems(path) or [f"{path} cannot be opened for appending ({error.strerror})"]
        raise refusal([path], problems) from error
    try:
        problems = _file_problems(path, os.fstat(descriptor))
        if problems:
            raise refusal([path], problems)
        os.set_blocking(descriptor, True)  # a regular file: back to plain blocking writes for the job
        return os.fdopen(descriptor, "ab")
    except BaseException:
        os.close(descriptor)
        raise


def open_log_for_reading(path: Path) -> io.BufferedReader:
    """Open a log to read it; only a regular file is ever opened (UnsafeLogError otherwise).

    Symbolic links are followed: what a link shows is merely untrusted, and `safety_warnings` says so on
    screen. A FIFO, device, socket or directory is refused after stat (so a device is not even opened)
    and again after fstat of the descriptor, which O_NONBLOCK opened without waiting for a FIFO writer.
    O_NONBLOCK is then cleared, since a regular file with mandatory locks could answer reads with EAGAIN.
    """
    _refuse_special(path, os.stat(path))
    descriptor = os.open(path, _READ_FLAGS | _CLOEXEC)
    try:
        _refuse_special(path, os.fstat(descriptor))
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def file_kind(mode: int) -> str:
    """What a stat mode is, in words ("a FIFO (named pipe)", "a directory", "a regular file"...)."""
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return "not a regular file"


_KINDS = (
    (stat.S_ISREG, "a regular file"),
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse_special(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        reason = f"{path} is {file_kind(info.st_mode)}, not a log file: not opened"
        raise UnsafeLogError(path, [reason], reason)


def _file_problems(path: Path, info: os.stat_result) -> list[str]:
    if stat.S_ISLNK(info.st_mode):
        return [f"{path} is a symbolic link {_link_target(path)}: the job would write into that file instead"]
    if not stat.S_ISREG(info.st_mode):
        return [f"{path} is {file_kind(info.st_mode)}, not a log file"]
    problems = []
    if info.st_uid != os.getuid():
        problems.append(
            f"{path} belongs to {_owner(info.st_uid)}, not to you: they can read what the job writes "
            "and change it"
        )
    if info.st_mode & stat.S_IWOTH:
        problems.append(f"{path} is writable by every user: anyone can add lines to it or empty it")
    elif info.st_mode & stat.S_IWGRP and info.st_gid != os.getgid():
        problems.append(f"{path} is writable by group {_group(info.st_gid)}: its members can change it")
    if info.st_nlink > 1:
        problems.append(
            f"{path} has {info.st_nlink} hard links: the same file has another name elsewhere, "
            "and the job's lines would land there too"
        )
    return problems


def _directory_problems(path: Path) -> list[str]:
    """A directory others may write to without the sticky bit lets them replace the log at any time."""
    try:
        info = path.parent.stat()
    except OSError:
        return []
    if info.st_mode & stat.S_IWOTH and not info.st_mode & stat.S_ISVTX:
        return [
            f"its directory {path.parent} is writable by every user and not sticky: anyone can replace it"
        ]
    if info.st_uid not in (0, os.getuid()):
        return [f"its directory {path.parent} belongs to {_owner(info.st_uid)}, who can replace it"]
    return []


def refusal(paths: Sequence[Path], problems: Sequence[str]) -> UnsafeLogError:
    """The error for logs that must not be written: every problem, that nothing was written, what to do."""
    message = f"Refusing to write to the job's log: {'; '.join(problems)}."
    for directory in dict.fromkeys(path.parent for path in paths if shared_directory(path)):
        message += f" {directory} is shared by every user, so anyone can plant such a file there."
    message += " Nothing was written. Remove the file if it is yours"
    private = private_log_directory()
    if any(path.parent != private for path in paths):
        message += f", or keep the job's logs in your private directory {private}, which others cannot reach"
    return UnsafeLogError(paths[0], problems, message + ".")


def _link_target(path: Path) -> str:
    try:
        target = f"to {os.readlink(path)}"
        owner = path.lstat().st_uid
    except OSError:
        return "(which vanished while being checked)"
    return target if owner == os.getuid() else f"{target} (made by {_owner(owner)})"


def _owner(uid: int) -> str:
    try:
        import pwd

        return f"{pwd.getpwuid(uid).pw_name} (uid {uid})"
    except (ImportError, KeyError):
        return f"uid {uid}"


def _group(gid: int) -> str:
    try:
        import grp

        return f"{grp.getgrgid(gid).gr_name} (gid {gid})"
    except (ImportError, KeyError):
        return f"gid {gid}"


def prepare_log_directory(log: Path) -> None:
    """Create the private log directory when the job logs there (the job's `>>` cannot create it).

    Raises UnsafeLogError when that directory exists but is not a private directory of the user's.
    """
    private = private_log_directory()
    if log.parent == private:
        private_log_directory(create=True)
