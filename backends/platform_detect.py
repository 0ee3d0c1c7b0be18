"""Which schedulers this machine has, and which one `--method auto` picks and why."""

from __future__ import annotations

import platform
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.scheduler_backend import SchedulerUnavailableError

CRON_DAEMON_NAMES = frozenset({"cron", "crond"})
METHODS = ("auto", "cron", "launchd")


class NoSchedulerError(SchedulerUnavailableError):
    """Neither crontab nor launchctl is available; the message names the package to install."""


@dataclass(frozen=True)
class PlatformInfo:
    """What was found. `auto_method` is None when no scheduler exists (see `auto_reason`)."""

    system: str  # platform.system(): "Linux", "Darwin", ...
    crontab_path: str | None
    cron_daemon_running: bool | None  # None: could not tell
    launchctl_path: str | None
    auto_method: str | None
    auto_reason: str

    @property
    def is_macos(self) -> bool:
        return self.system == "Darwin"

    @property
    def os_name(self) -> str:
        return {"Darwin": "macOS"}.get(self.system, self.system)

    def resolve(self, method: str) -> str:
        """The concrete method for `method` ("auto" resolved), or NoSchedulerError."""
        if method != "auto":
            return method
        if self.auto_method is None:
            raise NoSchedulerError(self.auto_reason)
        return self.auto_method


def detect_platform(system: str | None = None, search_path: str | None = None) -> PlatformInfo:
    """Look at this machine (or pretend to be `system`, for tests and previews)."""
    system = system or platform.system()
    crontab = shutil.which("crontab", path=search_path)
    launchctl = shutil.which("launchctl", path=search_path)
    running = cron_daemon_running()
    method, reason = choose_method(system, crontab is not None, launchctl is not None)
    return PlatformInfo(system, crontab, running, launchctl, method, reason)


def choose_method(system: str, has_crontab: bool, has_launchctl: bool) -> tuple[str | None, str]:
    """The seed's auto rule: macOS prefers launchd and falls back to cron; elsewhere cron."""
    if system == "Darwin":
        if has_launchctl:
            return "launchd", "macOS: launchd is the native scheduler and runs jobs missed during sleep."
        if has_crontab:
            return "cron", "macOS without launchctl on PATH: falling back to cron."
        return (
            None,
            "No scheduler found: neither launchctl nor crontab is on PATH (launchctl is in /bin on macOS).",
        )
    if has_crontab:
        return "cron", f"{system}: cron is the standard scheduler."
    return None, (
        "No scheduler found: crontab is not on PATH. Install cron "
        "(Debian/Ubuntu: sudo apt-get install cron; Fedora/RHEL: sudo dnf install cronie)."
    )


def cron_daemon_running(proc: Path = Path("/proc")) -> bool | None:
    """True/False when it can be told, None when it cannot.

    One `pgrep` where it exists: a single blocking call, where scanning /proc from a thread takes one
    GIL hand-off per process while the UI thread renders. Else the process table in /proc.
    """
    pgrep = shutil.which("pgrep")
    if pgrep is not None and proc == Path("/proc"):
        result = subprocess.run([pgrep, "-x", "cron|crond"], capture_output=True, check=False)
        if result.returncode in (0, 1):
            return result.returncode == 0
    if proc.is_dir():
        for comm in proc.glob("[0-9]*/comm"):
            try:
                if comm.read_text(encoding="utf-8", errors="replace").strip() in CRON_DAEMON_NAMES:
                    return True
            except OSError:
                continue
        return False
    return None
