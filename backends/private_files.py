"""Files this tool keeps for the user: where they live, and how they are written whole or not at all.

Everything lives under the user's state directory (platformdirs: `~/.local/state/...` on Linux,
`~/Library/Application Support/...` on macOS), in a directory only the user can enter.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

APP_NAME = "prompt-alchemy-scheduler-tui"


def state_directory() -> Path:
    """This tool's state directory (not created here)."""
    from platformdirs import user_state_dir  # ~12 ms to import: not at start-up

    return Path(user_state_dir(APP_NAME))


class UnsafeDirectoryError(OSError):
    """A directory of ours that is a link, not ours, or writable by others: nothing is written there."""


def make_private_directory(path: Path, owner: int | None = None) -> None:
    """Create `path` (and parents) with mode 0700, then check that it, and every directory of ours
    above it up to the state directory, is a real directory of this user that no one else can write
    to (`owner`: the uid it must belong to, for root writing another user's files). A link planted there
    (to another user's directory) would hand them our backups, the lock and the job's environment.
    UnsafeDirectoryError otherwise."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    state = state_directory()
    ours = [path, *[parent for parent in path.parents if parent == state or state in parent.parents]]
    for directory in ours:
        info = os.lstat(directory)
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            raise UnsafeDirectoryError(
                errno.ENOTDIR, f"{directory} is a symbolic link or not a directory; nothing was written there"
            )
        if info.st_uid != (os.geteuid() if owner is None else owner) or info.st_mode & 0o022:
            raise UnsafeDirectoryError(
                errno.EPERM,
                f"{directory} belongs to another user or others can write to it; nothing was written there",
            )


def write_atomically(path: Path, content: bytes, mode: int, owner: tuple[int, int] | None = None) -> None:
    """Write a temporary file beside `path` with `mode`, flush it to disk, then rename it into place.

    `owner` (uid, gid) is for root writing a file another user's job reads. Readers see the old file
    or the whole new one, never a part: a full disk or a crash leaves the old
    file untouched (the temporary file is removed) and raises OSError.
    """
    import tempfile  # only writers need it

    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(descriptor, mode)
        if owner is not None:
            os.fchown(descriptor, *owner)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class NotARegularFileError(OSError):
    """Something other than a regular file (a FIFO, a device, a directory, a link) where a file of
    ours should be; `str()` says what, in words."""


MAX_READ_BYTES = 16 * 1024 * 1024  # far above any crontab, plist or backup this tool writes


def read_regular_file(path: Path, *, follow_links: bool = False, from_end: bool = False) -> bytes | None:
    """The file's bytes (at most MAX_READ_BYTES: its first, or with `from_end` its last), None when it
    does not exist; NotARegularFileError when it is not a regular file. Never blocks: anyone who can
    write to a directory can put a FIFO where a file should be, and opening a FIFO waits for a writer
    for ever."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_links else os.O_NOFOLLOW)
    try:
        descriptor = os.open(path, flags)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotARegularFileError(
                errno.ELOOP, f"{path} is a symbolic link, not a file; not read"
            ) from None
        raise
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            kind = "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else "not a regular file"
            raise NotARegularFileError(errno.EINVAL, f"{path} is {kind}; not read")
        if from_end and info.st_size > MAX_READ_BYTES:
            handle.seek(info.st_size - MAX_READ_BYTES)
        return handle.read(MAX_READ_BYTES)
