"""One installed package: the wheel holds `prompt_alchemy_scheduler_tui` only, never top-level `app`,
`backends` or `widgets` that would collide with other projects' packages."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_installs_one_uniquely_named_package(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            str(ROOT),
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "unpacked")
    assert {name.split("/")[0] for name in names} == {
        "prompt_alchemy_scheduler_tui",
        wheel.name.split("-py3")[0] + ".dist-info",
    }
    for expected in (
        "app/cli.py",
        "app/tui.tcss",
        "backends/cron_backend.py",
        "widgets/log_pane.py",
        "__main__.py",
    ):
        assert f"prompt_alchemy_scheduler_tui/{expected}" in names
    # The unpacked wheel works on its own: its modules, not the checkout's, answer.
    code = "import prompt_alchemy_scheduler_tui.app.cli as cli; print(cli.__file__)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "unpacked")},
        cwd=tmp_path,
    )
    assert result.stdout.strip() == str(
        tmp_path / "unpacked" / "prompt_alchemy_scheduler_tui" / "app" / "cli.py"
    )


def test_python_dash_m_runs_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "prompt_alchemy_scheduler_tui", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "prompt-alchemy-scheduler-tui 0.1.0"
