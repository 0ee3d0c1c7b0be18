"""Whether a cron daemon runs here: jobs in a crontab fire only while one does."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CRON_DAEMON_NAMES = frozenset({"cron", "crond"})


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
