"""Find the prompt-alchemy binary and its config, and say plainly what is wrong with them.

Prompt Alchemy's scheduling documentation promises "finds correct paths": cron and launchd run with a bare PATH (Debian's cron:
/usr/bin:/bin), so the job must name absolute paths, found here once, at install time.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

BINARY_NAME = "prompt-alchemy"


class PathStatus(Enum):
    FOUND = "found"
    MISSING = "missing"
    NOT_EXECUTABLE = "not executable"
    NOT_READABLE = "not readable"
    READABLE_BY_OTHERS = "readable by others"
    UNCHECKABLE = "cannot be checked"


@dataclass(frozen=True)
class PathCheck:
    """A discovered path and its status; `hint` says what to do when it is not plainly fine."""

    kind: str  # "binary" or "config"
    path: Path
    status: PathStatus
    hint: str

    @property
    def usable(self) -> bool:
        """True when a job can run with this path (a too-readable config still works)."""
        return self.status in (PathStatus.FOUND, PathStatus.READABLE_BY_OTHERS)


def install_places(home: Path) -> list[Path]:
    """Where prompt-alchemy is usually installed besides PATH: `go install`, Homebrew, manual copies."""
    return [
        home / "go" / "bin",
        home / ".local" / "bin",
        Path("/usr/local/bin"),
        Path("/opt/homebrew/bin"),
        Path("/usr/bin"),
    ]


def find_binary(
    explicit: str | None = None, *, home: Path | None = None, search_path: str | None = None
) -> PathCheck:
    """The binary to schedule: `explicit` if given, else the first on PATH, else in the usual places."""
    home = home or Path.home()
    if explicit:
        return _check_binary(_absolute(explicit))
    on_path = shutil.which(
        BINARY_NAME, path=search_path if search_path is not None else os.environ.get("PATH")
    )
    if on_path:
        return _check_binary(_absolute(on_path))
    for folder in install_places(home):
        candidate = folder / BINARY_NAME
        if _exists(candidate):
            return _check_binary(candidate)
    expected = home / "go" / "bin" / BINARY_NAME
    return PathCheck(
        "binary",
        expected,
        PathStatus.MISSING,
        f"{BINARY_NAME} is not on PATH nor in {', '.join(str(p) for p in install_places(home))}: install it "
        "or pass --binary PATH.",
    )


def find_config(explicit: str | None = None, *, home: Path | None = None) -> PathCheck:
    """The config to pass with --config: `explicit`, else ~/.prompt-alchemy/config.yaml."""
    home = home or Path.home()
    path = _absolute(explicit) if explicit else home / ".prompt-alchemy" / "config.yaml"
    mode, trouble = _mode(path)
    if trouble is not None:
        return PathCheck("config", path, PathStatus.UNCHECKABLE, trouble)
    if mode is None:
        return PathCheck(
            "config",
            path,
            PathStatus.MISSING,
            f"Create {path} (prompt-alchemy's config) or pass --config PATH.",
        )
    if not stat.S_ISREG(mode) or not _access(path, os.R_OK):
        return PathCheck(
            "config", path, PathStatus.NOT_READABLE, f"Make it a readable file: chmod 600 {path}"
        )
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        return PathCheck(
            "config",
            path,
            PathStatus.READABLE_BY_OTHERS,
            f"It holds API keys but other users can read it ({stat.filemode(mode)}): chmod 600 {path}",
        )
    return PathCheck("config", path, PathStatus.FOUND, "")


def _check_binary(path: Path) -> PathCheck:
    mode, trouble = _mode(path)
    if trouble is not None:
        return PathCheck("binary", path, PathStatus.UNCHECKABLE, trouble)
    if mode is None:
        return PathCheck(
            "binary",
            path,
            PathStatus.MISSING,
            f"{path} does not exist: check the path or install prompt-alchemy.",
        )
    if not stat.S_ISREG(mode) or not _access(path, os.X_OK):
        return PathCheck("binary", path, PathStatus.NOT_EXECUTABLE, f"Make it executable: chmod +x {path}")
    return PathCheck("binary", path, PathStatus.FOUND, "")


def _mode(path: Path) -> tuple[int | None, str | None]:
    """(st_mode following symlinks, None), (None, None) when missing, or (None, why it cannot be checked).

    Any path a user types reaches stat(): too long, a loop of symlinks, a directory we may not enter.
    Those are statuses to show, never exceptions.
    """
    try:
        return path.stat().st_mode, None
    except (FileNotFoundError, NotADirectoryError):
        return None, None
    except OSError as error:
        reason = error.strerror or str(error)
        return None, f"stat() failed: {reason}. Check the path and the permissions of its directories."
    except ValueError as error:  # an embedded NUL: no such file can exist
        return None, f"Not a usable path ({error}); check what was passed."


def _exists(path: Path) -> bool:
    mode, _ = _mode(path)
    return mode is not None


def _access(path: Path, how: int) -> bool:
    try:
        return os.access(path, how)
    except (OSError, ValueError):
        return False


def _absolute(text: str) -> Path:
    """Absolute, with ~ expanded, but symlinks kept (a Homebrew link survives upgrades; its target does not).

    Left relative when the working directory no longer exists: it is then reported missing, and a job
    refuses it as not absolute.
    """
    try:
        return Path(os.path.abspath(os.path.expanduser(text)))
    except OSError:
        return Path(os.path.expanduser(text))
