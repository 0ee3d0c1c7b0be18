"""The real `crontab` command: read, install and remove a user's crontab.

Facts from crontab(1) and Debian's crontab.c: `crontab -l` with no crontab prints "no crontab for USER" and
exits 1; `crontab -` installs stdin, which must end with a newline; `-u USER` needs root.
"""

from __future__ import annotations

import os
import shutil
import subprocess

from prompt_alchemy_scheduler_tui.backends.scheduler_backend import SchedulerError, SchedulerUnavailableError

INSTALL_HINT = (
    "Install cron (Debian/Ubuntu: sudo apt-get install cron; Fedora/RHEL: sudo dnf install cronie)."
)


class CrontabCommand:
    """`crontab` for the current user, or for `user` (root only, like `crontab -u`)."""

    def __init__(self, user: str | None = None, executable: str | None = None) -> None:
        self.user = user
        self._executable = executable

    def executable(self) -> str:
        found = self._executable or shutil.which("crontab")
        if found is None:
            raise SchedulerUnavailableError(f"crontab is not on PATH. {INSTALL_HINT}")
        return found

    def read(self) -> str | None:
        """The crontab's text, or None when the user has none."""
        result = self._run("-l")
        if result.returncode == 0:
            return result.stdout
        if result.returncode == 1 and result.stderr.strip().lower().startswith("no crontab for"):
            return None
        raise SchedulerError(f"`crontab -l` failed (exit {result.returncode}): {_stderr(result)}")

    def write(self, text: str) -> None:
        """Install `text` as the whole crontab; crontab's own complaint is passed on when it refuses.

        Debian's crontab refuses a job line without a final newline but accepts a last comment line
        without one: which text is acceptable is crontab's call, not ours.
        """
        result = self._run("-", stdin=text)
        if result.returncode != 0:
            raise SchedulerError(
                f"crontab refused the new crontab (exit {result.returncode}): {_stderr(result)}"
            )

    def remove(self) -> None:
        """Remove the crontab entirely (`crontab -r`); no crontab is not an error."""
        result = self._run("-r")
        if result.returncode != 0 and not result.stderr.strip().lower().startswith("no crontab for"):
            raise SchedulerError(f"`crontab -r` failed (exit {result.returncode}): {_stderr(result)}")

    def _run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run crontab with bytes in and out: text mode would turn every `\r` into a line break."""
        command = [self.executable()]
        if self.user:
            command += ["-u", self.user]
        command += list(args)
        try:
            raw = subprocess.run(
                command,
                input=None if stdin is None else stdin.encode("utf-8", errors="surrogateescape"),
                capture_output=True,
                env={**os.environ, "LC_ALL": "C"},
                check=False,
                timeout=30,
            )
        except FileNotFoundError as error:
            raise SchedulerUnavailableError(f"crontab could not be run ({error}). {INSTALL_HINT}") from error
        except subprocess.TimeoutExpired as error:
            raise SchedulerError("crontab did not answer within 30 s; nothing was changed.") from error
        return subprocess.CompletedProcess(raw.args, raw.returncode, _text(raw.stdout), _text(raw.stderr))


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")


def _stderr(result: subprocess.CompletedProcess[str]) -> str:
    return result.stderr.strip() or result.stdout.strip() or "(no message)"
