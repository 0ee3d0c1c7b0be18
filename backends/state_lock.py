"""One run of this tool at a time per file it edits: a lock file under the state directory.

cron offers no lock that other editors respect (crontab(1) has none), so this only serializes runs
of this tool against each other; against other programs, re-reading just before writing and reading
back afterwards is all there is (see the README for the window that remains).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.private_files import make_private_directory
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import SchedulerError

WAIT_SECONDS = 10.0


class LockBusyError(SchedulerError):
    """Another run of this tool holds the lock; nothing was written."""


@contextlib.contextmanager
def exclusive_lock(path: Path, what: str, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold an exclusive flock(2) on `path` while the block runs; waits up to `wait` seconds for it."""
    try:
        make_private_directory(path.parent)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as error:
        raise SchedulerError(
            f"Cannot create the lock file {path} ({error.strerror or error}); nothing was written. "
            "Make that directory writable."
        ) from error
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusyError(
                        f"Another prompt-alchemy-scheduler-tui is changing the {what} right now (it holds "
                        f"{path}); nothing was written. Try again when it has finished."
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(descriptor)
