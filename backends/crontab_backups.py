"""Copies of the crontab taken before every write, so any change can be undone.

Kept under the user state directory (platformdirs), mode 0600 (a crontab may hold API keys), the newest
20 per crontab owner. An empty backup stands for "no crontab".
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from platformdirs import user_state_dir

from backends.scheduler_backend import SchedulerError

KEEP = 20
APP_NAME = "prompt-alchemy-scheduler-tui"


class BackupError(SchedulerError):
    """The backup could not be written or read; the crontab was not touched."""


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: datetime
    size: int

    @property
    def name(self) -> str:
        return self.path.name


def default_backup_dir(kind: str = "crontab") -> Path:
    return Path(user_state_dir(APP_NAME)) / f"{kind}-backups"


class BackupStore:
    """Backups of one owner's crontab (or, with kind "launchd", our plist) in `directory`."""

    def __init__(
        self, directory: Path | None = None, owner: str | None = None, kind: str = "crontab"
    ) -> None:
        self.directory = directory or default_backup_dir(kind)
        self.prefix = f"{kind}-{owner}-" if owner else f"{kind}-"

    def save(self, text: str | None) -> Path:
        """Write `text` (None: no crontab) to a new backup file and prune old ones; BackupError if not."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = self.directory / f"{self.prefix}{stamp}.txt"
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8", errors="surrogateescape", newline="") as handle:
                handle.write(text or "")
        except OSError as error:
            raise BackupError(
                f"Could not back up the {self.prefix.split('-')[0]} to {self.directory} ({error.strerror or error}); nothing was "
                "written. Make that directory writable or free some space."
            ) from error
        self._prune()
        return path

    def backups(self) -> list[Backup]:
        """Newest first."""
        if not self.directory.is_dir():
            return []
        found = []
        for path in self.directory.glob(f"{self.prefix}*.txt"):
            stamp = path.name[len(self.prefix) : -len(".txt")]
            try:
                taken = datetime.strptime(stamp, "%Y%m%d-%H%M%S-%f")
            except ValueError:
                continue  # another owner's backup (its name has a user part) or a stray file
            found.append(Backup(path, taken, path.stat().st_size))
        return sorted(found, key=lambda backup: backup.taken, reverse=True)

    def find(self, name: str) -> Backup:
        """A backup by file name or path, or "latest"."""
        backups = self.backups()
        if not backups:
            raise BackupError(f"No crontab backups in {self.directory}.")
        if name == "latest":
            return backups[0]
        wanted = Path(name).name
        for backup in backups:
            if backup.name == wanted:
                return backup
        raise BackupError(
            f"No backup named {wanted} in {self.directory}; `restore` without a name lists them."
        )

    def load(self, backup: Backup) -> str | None:
        try:
            text = backup.path.read_text(encoding="utf-8", errors="surrogateescape")
        except OSError as error:
            raise BackupError(f"Could not read {backup.path}: {error.strerror or error}") from error
        return text or None

    def _prune(self) -> None:
        for old in self.backups()[KEEP:]:
            old.path.unlink(missing_ok=True)
