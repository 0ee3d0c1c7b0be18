"""The real `systemd-analyze` (no running systemd needed) as a test oracle: calendar expressions and
unit files are checked by systemd's own parsers, not by a reimplementation of them."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest


def require_systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        pytest.skip("needs systemd-analyze (apt-get install --no-install-recommends systemd)")
    return found


@dataclass(frozen=True)
class CalendarResult:
    """One expression as `systemd-analyze calendar` read it: its normalized form and next elapses (UTC)."""

    normalized: str
    elapses: tuple[datetime, ...]


def calendar(specs: list[str], base: datetime, iterations: int) -> list[CalendarResult]:
    """`systemd-analyze calendar --iterations=N --base-time=BASE SPEC...` in UTC, parsed per spec.

    Elapses are strictly after `base` (naive, read as UTC). Fails the test on a spec systemd refuses.
    """
    result = subprocess.run(
        [
            require_systemd_analyze(),
            "calendar",
            f"--iterations={iterations}",
            f"--base-time={base:%Y-%m-%d %H:%M:%S} UTC",
            *specs,
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TZ": "UTC"},
    )
    assert result.returncode == 0, result.stderr
    parsed: list[CalendarResult] = []
    normalized: str | None = None
    elapses: list[datetime] = []
    for line in result.stdout.splitlines():
        label, _, value = line.strip().partition(": ")
        if label == "Normalized form":
            if normalized is not None:
                parsed.append(CalendarResult(normalized, tuple(elapses)))
            normalized, elapses = value, []
        elif (label == "Next elapse" or label.startswith("Iter. #")) and value != "never":
            elapses.append(datetime.strptime(" ".join(value.split()[1:3]), "%Y-%m-%d %H:%M:%S"))
    if normalized is not None:
        parsed.append(CalendarResult(normalized, tuple(elapses)))
    assert len(parsed) == len(specs), result.stdout
    return parsed


def verify_units(*units: Path) -> subprocess.CompletedProcess[str]:
    """`systemd-analyze verify --user UNIT...`: systemd's own loading of the units, as the user manager
    would load them (without a manager: it only needs a runtime directory of its own)."""
    runtime = tempfile.mkdtemp(prefix="pa-runtime-")
    try:
        return subprocess.run(
            [require_systemd_analyze(), "verify", "--user", *map(str, units)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "XDG_RUNTIME_DIR": runtime, "SYSTEMD_LOG_COLOR": "0"},
        )
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
