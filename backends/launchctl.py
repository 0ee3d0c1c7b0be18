"""launchctl, modern calls first (`bootstrap`/`bootout gui/<uid>`), legacy `load -w`/`unload` as fallback.

launchctl(1) and Apple's launchd sources: `bootout` settles asynchronously, so "Bootstrap failed: 5:
Input/output error" right after it usually means "still loaded": retried briefly. `launchctl list`
prints `PID<TAB>Status<TAB>Label`; the output of `print` is not stable and is not parsed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.scheduler_backend import SchedulerError, SchedulerUnavailableError

_NOT_LOADED = ("no such process", "could not find", "not loaded", "no such file")
_UNSUPPORTED = ("unrecognized subcommand", "unknown subcommand", "usage:")


@dataclass(frozen=True)
class LaunchdStatus:
    loaded: bool
    pid: int | None
    last_exit_status: int | None


class Launchctl:
    def __init__(self, uid: int | None = None, retries: int = 5, retry_delay: float = 0.2) -> None:
        self.uid = os.getuid() if uid is None else uid
        self.retries = retries
        self.retry_delay = retry_delay

    @property
    def domain(self) -> str:
        return f"gui/{self.uid}"

    def executable(self) -> str:
        found = shutil.which("launchctl")
        if found is None:
            raise SchedulerUnavailableError(
                "launchctl is not on PATH: launchd exists only on macOS; use --method cron."
            )
        return found

    def install_commands(self, label: str, plist: Path) -> list[list[str]]:
        return [
            ["launchctl", "bootout", f"{self.domain}/{label}"],
            ["launchctl", "bootstrap", self.domain, str(plist)],
        ]

    def uninstall_commands(self, label: str) -> list[list[str]]:
        return [["launchctl", "bootout", f"{self.domain}/{label}"]]

    def unload(self, label: str, plist: Path) -> None:
        """Unload the job; a job that is not loaded is fine."""
        result = self._run("bootout", f"{self.domain}/{label}")
        if result.returncode == 0 or _says(result, _NOT_LOADED) or result.returncode in (3, 113):
            return
        if _says(result, _UNSUPPORTED):
            legacy = self._run("unload", str(plist))
            if legacy.returncode == 0 or _says(legacy, _NOT_LOADED):
                return
            raise SchedulerError(f"launchctl unload failed (exit {legacy.returncode}): {_text(legacy)}")
        raise SchedulerError(f"launchctl bootout failed (exit {result.returncode}): {_text(result)}")

    def load(self, plist: Path) -> None:
        result = self._run("bootstrap", self.domain, str(plist))
        attempts = 0
        while (
            result.returncode != 0
            and "input/output error" in _text(result).lower()
            and attempts < self.retries
        ):
            attempts += 1
            time.sleep(self.retry_delay)  # bootout settles asynchronously
            result = self._run("bootstrap", self.domain, str(plist))
        if result.returncode == 0:
            return
        if _says(result, _UNSUPPORTED):
            legacy = self._run("load", "-w", str(plist))
            if legacy.returncode == 0:
                return
            raise SchedulerError(f"launchctl load -w failed (exit {legacy.returncode}): {_text(legacy)}")
        raise SchedulerError(f"launchctl bootstrap failed (exit {result.returncode}): {_text(result)}")

    def status(self, label: str) -> LaunchdStatus:
        """From `launchctl list`: PID while running, last exit status otherwise (negative: a signal)."""
        result = self._run("list")
        if result.returncode != 0:
            raise SchedulerError(f"launchctl list failed (exit {result.returncode}): {_text(result)}")
        for line in result.stdout.splitlines():
            parts = line.split("\t")
            if len(parts) == 3 and parts[2] == label:
                return LaunchdStatus(True, _number(parts[0]), _number(parts[1]))
        return LaunchdStatus(False, None, None)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                [self.executable(), *args], capture_output=True, text=True, check=False, timeout=30
            )
        except subprocess.TimeoutExpired as error:
            raise SchedulerError(f"launchctl {args[0]} did not answer within 30 s.") from error
        except OSError as error:
            raise SchedulerUnavailableError(f"launchctl could not be run: {error}") from error


def _says(result: subprocess.CompletedProcess[str], phrases: tuple[str, ...]) -> bool:
    text = _text(result).lower()
    return any(phrase in text for phrase in phrases)


def _text(result: subprocess.CompletedProcess[str]) -> str:
    return (result.stderr.strip() or result.stdout.strip() or "(no message)").replace("\n", " ")


def _number(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None
