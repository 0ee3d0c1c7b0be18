"""`logs` on the command line: headers, -n, missing files, and -f ending cleanly on Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

PROG = [sys.executable, "-m", "app", "logs"]


def test_last_lines_of_named_files_with_headers(tmp_path: Path) -> None:
    log = tmp_path / "a.log"
    log.write_text("".join(f"{i}\n" for i in range(10)))
    result = subprocess.run(
        [*PROG, "-n", "3", str(log), str(tmp_path / "gone.log")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"==> {log} (present, 20 B) <==",
        "7",
        "8",
        "9",
        f"==> {tmp_path / 'gone.log'} (missing) <==",
    ]


def test_follow_prints_new_lines_and_exits_0_on_ctrl_c(tmp_path: Path) -> None:
    log = tmp_path / "a.log"
    log.write_text("old\n")
    process = subprocess.Popen(
        [*PROG, "-n", "1", "-f", str(log)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(1.0)
    with log.open("a") as handle:
        handle.write("fresh\n")
    time.sleep(0.6)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=5)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert out.splitlines()[:2] == [f"==> {log} (present, 4 B) <==", "old"]
    assert "fresh" in out
