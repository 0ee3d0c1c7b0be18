"""`logs` on the command line: headers, -n, missing files, and -f ending cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.log_files import MAX_EXTRA_LOGS

PROG = [sys.executable, "-m", "prompt_alchemy_scheduler_tui", "logs"]


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


def test_a_named_fifo_is_reported_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "prompt-alchemy-nightly-x.log"
    os.mkfifo(fifo)
    # The timeout is a hang guard: before the fix, opening the FIFO blocked forever.
    result = subprocess.run([*PROG, str(fifo)], capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [f"==> {fifo} (unreadable) <=="]
    assert result.stderr == f"warning: {fifo} is a FIFO (named pipe), not a log file: not opened\n"


def _logs_in(directory: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`logs` with no FILE, discovering in `directory` instead of the shared /tmp (timeout: a hang guard)."""
    script = (
        "import argparse, pathlib, sys; from app.cmd_logs import run_logs; "
        "sys.exit(run_logs(argparse.Namespace(files=[], lines=5, follow=False), pathlib.Path(sys.argv[1])))"
    )
    return subprocess.run(
        [sys.executable, "-c", script, str(directory)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={**os.environ, **env},
    )


def test_a_fifo_among_the_discovered_logs_is_reported_not_opened(tmp_path: Path) -> None:
    (tmp_path / "prompt-alchemy-nightly.log").write_text("done\n")
    os.mkfifo(tmp_path / "prompt-alchemy-nightly-x.log")
    result = _logs_in(tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"==> {tmp_path / 'prompt-alchemy-nightly-x.log'} (unreadable) <==" in result.stdout
    assert "done" in result.stdout
    assert "is a FIFO (named pipe), not a log file: not opened" in result.stderr


def test_following_a_fifo_does_not_block_and_ctrl_c_ends_it_cleanly(tmp_path: Path) -> None:
    fifo = tmp_path / "prompt-alchemy-nightly-x.log"
    os.mkfifo(fifo)
    log = tmp_path / "a.log"
    log.write_text("")
    process = subprocess.Popen(
        [*PROG, "-f", str(fifo), str(log)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(1.0)
    with log.open("a") as handle:
        handle.write("still following\n")
    time.sleep(0.6)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "still following" in out
    assert "is a FIFO (named pipe), not a log file: not opened" in err


def test_three_hundred_discovered_logs_are_bounded_and_the_rest_counted(tmp_path: Path) -> None:
    for index in range(300):
        (tmp_path / f"prompt-alchemy-nightly-{index:03d}.log").write_text(f"extra {index}\n")
    result = _logs_in(tmp_path)
    assert result.returncode == 0, result.stderr
    headers = [line for line in result.stdout.splitlines() if line.startswith("==> ")]
    assert len(headers) == 2 + MAX_EXTRA_LOGS
    assert headers[:2] == [
        f"==> {tmp_path / 'prompt-alchemy-nightly.log'} (missing) <==",
        f"==> {tmp_path / 'prompt-alchemy-nightly.error.log'} (missing) <==",
    ]
    assert result.stdout.splitlines()[-1] == (
        f"({300 - MAX_EXTRA_LOGS} more prompt-alchemy-nightly*.log files in {tmp_path} not shown: only the "
        f"{MAX_EXTRA_LOGS} most recently modified are; name files as arguments to see others)"
    )


def test_a_planted_sparse_terabyte_log_does_not_stall_logs(tmp_path: Path) -> None:
    log = tmp_path / "prompt-alchemy-nightly-x.log"
    with log.open("wb") as handle:
        handle.truncate(1 << 40)  # sparse; reading it all would take most of an hour
    result = subprocess.run(
        [*PROG, "-n", "3", str(log)], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"==> {log} (present, 1024.0 GiB) <=="
    assert "earlier bytes of this line not read" in result.stdout


def test_a_planted_name_with_escapes_and_bad_bytes_cannot_reach_the_terminal(tmp_path: Path) -> None:
    name = b"prompt-alchemy-nightly-\x1b]0;pwned\x07\xff\n==> fake <==.log"
    (tmp_path / os.fsdecode(name)).write_text("x\n")
    (tmp_path / "prompt-alchemy-nightly.log").symlink_to(os.fsdecode(b"/\x1b[2J\xfe"))
    result = _logs_in(tmp_path, PYTHONIOENCODING="utf-8:strict")  # a strict UTF-8 terminal
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    assert not any(line.startswith("==> fake") for line in result.stdout.splitlines())
    assert (
        f"==> {tmp_path}/prompt-alchemy-nightly-\u241b]0;pwned\u2407\ufffd\u240a==> fake <==.log (present, 2 B) <=="
        in result.stdout.splitlines()
    )
    assert "is a symbolic link (to /\u241b[2J\ufffd)" in result.stderr


def test_every_kind_of_planted_log_at_once_neither_blocks_nor_breaks_follow(tmp_path: Path) -> None:
    planted = {name: tmp_path / f"prompt-alchemy-nightly-{name}.log" for name in ("fifo", "dir", "socket")}
    os.mkfifo(planted["fifo"])
    planted["dir"].mkdir()
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(planted["socket"]))
    for name, target in (("dangling", tmp_path / "nowhere"), ("zero", Path("/dev/zero"))):
        planted[name] = tmp_path / f"prompt-alchemy-nightly-{name}.log"
        planted[name].symlink_to(target)
    planted["loop"] = tmp_path / "prompt-alchemy-nightly-loop.log"
    planted["loop"].symlink_to(planted["loop"])
    shared = tmp_path / "prompt-alchemy-nightly-shared.log"
    shared.write_text("")
    shared.chmod(0o666)
    if os.geteuid() == 0:
        foreign = tmp_path / "prompt-alchemy-nightly-foreign.log"
        foreign.write_text("not from your job\n")
        os.chown(foreign, 65534, 65534)
        planted["foreign"] = foreign
    try:
        process = subprocess.Popen(
            [*PROG, "-f", *map(str, planted.values()), str(shared)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.0)
        with shared.open("a") as handle:
            handle.write("appended by anyone\n")
        time.sleep(0.6)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        server.close()
    assert process.returncode == 0 and "Traceback" not in err, err
    assert "appended by anyone" in out
    for kind in ("a FIFO (named pipe)", "a directory", "a socket", "a character device"):
        assert f"is {kind}, not a log file: not opened" in err
    assert "cannot read: Too many levels of symbolic links" in err
    assert f"{shared} is writable by every user" in err
    if "foreign" in planted:
        assert "belongs to another user (nobody (uid 65534))" in err  # named, when an account has the uid
