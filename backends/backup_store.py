"""Copies of a scheduler's file taken before every write, so any change can be undone.

Kept under the user state directory, mode 0600 in a 0700 directory (a crontab may hold API keys),
the newest 20 per kind and owner. A backup exists only once it is complete: it is written to a
temporary file, flushed, renamed into place and read back. Its first line records whether the file
existed, its length and its SHA-256, so a backup cut short (a full disk, a crash) is never restored.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.private_files import (
    make_private_directory,
    read_regular_file,
    state_directory,
    write_atomically,
)
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import SchedulerError

KEEP = 20
_STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
_HEADER = re.compile(
    r"^# prompt-alchemy-scheduler-tui backup: state=(?P<state>present|absent) "
    r"bytes=(?P<bytes>[0-9]+) sha256=(?P<sha>[0-9a-f]{64})\n"
)


class BackupError(SchedulerError):
    """The backup could not be written or read whole; nothing of the user's was touched."""


class BackupNotFoundError(BackupError):
    """No backup by that name (the user's input, not a failure of the machine)."""


@dataclass(frozen=True)
class Backup:
    """One backup file. `problem` is None for a complete, verified backup; such a one is restorable."""

    path: Path
    taken: datetime
    size: int  # bytes of the saved content
    existed: bool  # False: the file did not exist then (restoring removes it)
    problem: str | None = None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def valid(self) -> bool:
        return self.problem is None


def default_backup_dir(kind: str = "crontab") -> Path:
    return state_directory() / f"{kind}-backups"


class BackupStore:
    """Backups of one owner's crontab (or, with kind "launchd", our plist) in `directory`."""

    def __init__(
        self, directory: Path | None = None, owner: str | None = None, kind: str = "crontab"
    ) -> None:
        self.directory = directory or default_backup_dir(kind)
        self.kind = kind
        self.prefix = f"{kind}-{owner}-" if owner else f"{kind}-"

    def save(self, text: str | None) -> Path:
        """Save `text` (None: the file does not exist) whole, verify it, then prune; BackupError if not."""
        import hashlib  # imported on first use: start-up does not need it

        data = (text or "").encode("utf-8", errors="surrogateescape")
        header = (
            f"# prompt-alchemy-scheduler-tui backup: state={'absent' if text is None else 'present'} "
            f"bytes={len(data)} sha256={hashlib.sha256(data).hexdigest()}\n"
        ).encode()
        try:
            make_private_directory(self.directory)
            path = self._new_path()
            write_atomically(path, header + data, 0o600)
        except OSError as error:
            raise BackupError(
                f"Could not back up the {self.kind} to {self.directory} ({error.strerror or error}); "
                "nothing was written. Make that directory writable or free some space."
            ) from error
        saved = self._read(path)
        if not saved.valid:
            path.unlink(missing_ok=True)
            raise BackupError(
                f"The backup of the {self.kind} in {self.directory} did not read back whole "
                f"({saved.problem}); nothing was written. Free some space and try again."
            )
        self._prune()
        return path

    def backups(self) -> list[Backup]:
        """Newest first, damaged ones included (with their `problem`) so they can be shown, not used."""
        try:
            names = [entry.name for entry in os.scandir(self.directory)]
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as error:
            raise BackupError(f"Cannot list {self.directory}: {error.strerror or error}") from error
        found = [self._read(self.directory / name) for name in names if _stamp(name, self.prefix) is not None]
        return sorted(found, key=lambda backup: backup.taken, reverse=True)

    def find(self, name: str) -> Backup:
        """A backup by file name or path, or "latest" (the newest complete one)."""
        backups = self.backups()
        if not backups:
            raise BackupNotFoundError(f"No {self.kind} backups in {self.directory}.")
        if name == "latest":
            complete = [backup for backup in backups if backup.valid]
            if not complete:
                raise BackupError(f"No complete {self.kind} backup in {self.directory}.")
            return complete[0]
        wanted = Path(name).name
        for backup in backups:
            if backup.name == wanted:
                return backup
        raise BackupNotFoundError(
            f"No backup named {wanted} in {self.directory}; `restore` without a name lists them."
        )

    def load(self, backup: Backup) -> str | None:
        """The saved text (None: there was no file), or BackupError for a backup that is not whole."""
        checked = self._read(backup.path)
        if not checked.valid:
            raise BackupError(
                f"{backup.path} is not a complete backup ({checked.problem}); it will not be restored. "
                "Look at it yourself and install what you need by hand."
            )
        if not checked.existed:
            return None
        data = read_regular_file(backup.path) or b""
        return data[data.index(b"\n") + 1 :].decode("utf-8", errors="surrogateescape")

    def _read(self, path: Path) -> Backup:
        import hashlib  # imported on first use: start-up does not need it

        taken = _stamp(path.name, self.prefix) or datetime.fromtimestamp(0)
        try:
            data = read_regular_file(path)
        except OSError as error:
            return Backup(path, taken, 0, False, f"cannot be read: {error.strerror or error}")
        if data is None:
            return Backup(path, taken, 0, False, "it is gone")
        match = _HEADER.match(data[:200].decode("ascii", errors="replace"))
        if match is None:
            return Backup(
                path,
                taken,
                len(data),
                False,
                "no verification header (empty, cut short, or written by an earlier version)",
            )
        content = data[match.end() :]
        existed = match["state"] == "present"
        if len(content) != int(match["bytes"]):
            return Backup(path, taken, len(content), existed, f"{len(content)} of {match['bytes']} bytes")
        if hashlib.sha256(content).hexdigest() != match["sha"]:
            return Backup(path, taken, len(content), existed, "its content does not match its checksum")
        return Backup(path, taken, len(content), existed)

    def _new_path(self) -> Path:
        while True:
            path = self.directory / f"{self.prefix}{datetime.now().strftime(_STAMP_FORMAT)}.txt"
            if not path.exists():
                return path

    def _prune(self) -> None:
        """Keep the newest KEEP complete backups; damaged ones older than those go too."""
        backups = self.backups()
        complete = [backup for backup in backups if backup.valid]
        if len(complete) <= KEEP:
            return
        oldest_kept = complete[KEEP - 1].taken
        for backup in backups:
            if backup.taken < oldest_kept:
                with contextlib.suppress(OSError):
                    backup.path.unlink()


def _stamp(name: str, prefix: str) -> datetime | None:
    """The time in a backup's name, or None for another owner's backup or a stray file."""
    if not (name.startswith(prefix) and name.endswith(".txt")):
        return None
    try:
        return datetime.strptime(name[len(prefix) : -len(".txt")], _STAMP_FORMAT)
    except ValueError:
        return None
