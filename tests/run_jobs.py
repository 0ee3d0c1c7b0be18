"""Stand-in jobs for "run now" tests: ones that sleep, start a grandchild, or ignore SIGTERM, and a way
to tell from /proc whether a process is still alive (a zombie is not)."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

import pytest

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")


def write_sleeping_job(binary: Path, pids: Path, *, ignore_term: bool = False) -> None:
    """`binary` becomes a job that writes its PID to pids/job.pid, starts a grandchild (a shell that
    writes pids/grandchild.pid, then sleeps) and sleeps; with `ignore_term`, both ignore SIGTERM."""
    trap = "trap '' TERM; " if ignore_term else ""
    binary.write_text(
        "#!/bin/sh\n"
        f"{trap}echo $$ > {pids}/job.pid.tmp && mv {pids}/job.pid.tmp {pids}/job.pid\n"
        f"sh -c '{trap}echo $$ > {pids}/grandchild.pid.tmp && mv {pids}/grandchild.pid.tmp "
        f"{pids}/grandchild.pid; sleep 300' &\n"
        "echo working\n"
        "sleep 300\n"
    )
    binary.chmod(0o755)


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text())
    except (OSError, ValueError):
        return None


def alive(pid: int) -> bool:
    """True while `pid` runs: its /proc entry exists and is not a zombie (PID 1 here may never collect
    orphans)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def kill_group(group: int | None, marker: Path) -> None:
    """Clean-up for tests that leave a run going on purpose: SIGKILL to `group`, only while one of its
    processes runs a command that names `marker` (never a group that merely got the same number later)."""
    if group is None:
        return
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if len(fields) > 2 and fields[2] == str(group) and os.fsencode(marker) in command:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
            return
