"""The real app under a pseudo-terminal: when its terminal goes away it exits within a second, however
it was started, and a "run now" job (in its own session) is left running, as documented."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.run_jobs import alive, kill_group, needs_proc, read_pid, write_sleeping_job

pytestmark = needs_proc
REPOSITORY = Path(__file__).resolve().parent.parent

# The app as a person starts it, except that a test's state, logs and binary are fixed (tui_support).
# "hup-ignored": started by something that ignores SIGHUP (nohup, some supervisors): it stays ignored
# across exec. "not-controlling": the pty is not its controlling terminal, so no SIGHUP comes at all.
APP = """
import fcntl, signal, sys, termios
from pathlib import Path
how, state, logs, binary = sys.argv[1:5]
if how == "hup-ignored":
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
if how != "not-controlling":
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
from tests.tui_support import make_app
app = make_app(Path(state), Path(logs), Path(binary))
app.run()
sys.exit(app.return_code or 0)
"""


@dataclass
class Terminal:
    """The master side of a pty the app runs in; everything the app writes is read (and kept)."""

    master: int
    process: subprocess.Popen[bytes]
    output: bytearray = field(default_factory=bytearray)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            if select.select([self.master], [], [], 0.05)[0]:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    return

    def wait_for(self, text: bytes, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            assert self.process.poll() is None, f"the app ended: {bytes(self.output[-2000:])!r}"
            assert time.monotonic() < deadline, f"{text!r} never shown"
            time.sleep(0.05)

    def wait_for_quiet(self, seconds: float = 0.3, timeout: float = 30.0) -> None:
        """Until nothing has been written for `seconds`: the screen has stopped changing."""
        deadline = time.monotonic() + timeout
        seen, since = len(self.output), time.monotonic()
        while time.monotonic() - since < seconds:
            assert self.process.poll() is None, f"the app ended: {bytes(self.output[-2000:])!r}"
            assert time.monotonic() < deadline, "the screen never stopped changing"
            time.sleep(0.02)
            if len(self.output) != seen:
                seen, since = len(self.output), time.monotonic()

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def hang_up(self) -> None:
        """Close the master side, as a terminal emulator or tmux does when it goes away."""
        self._stop.set()
        self._reader.join()
        os.close(self.master)


@pytest.fixture
def terminal(request: pytest.FixtureRequest, tmp_path: Path, stand_in_binary: Path) -> Iterator[Terminal]:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    write_sleeping_job(stand_in_binary, tmp_path)
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            APP,
            request.param,
            str(tmp_path / "state"),
            str(tmp_path),
            str(stand_in_binary),
        ],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=REPOSITORY,
        start_new_session=True,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    os.close(slave)
    shown = Terminal(master, process)
    try:
        yield shown
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        kill_group(read_pid(tmp_path / "job.pid"), tmp_path)
        if not shown._stop.is_set():
            shown.hang_up()


def _ended_within(process: subprocess.Popen[bytes], seconds: float) -> float:
    began = time.monotonic()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the app was still running {seconds} s after its terminal went away")
    return time.monotonic() - began


@pytest.mark.parametrize("terminal", ["controlling", "hup-ignored", "not-controlling"], indirect=True)
def test_the_app_exits_within_a_second_when_its_terminal_goes_away(terminal: Terminal) -> None:
    terminal.wait_for(b"no nightly job installed")  # the health line: the last answer is in
    terminal.wait_for_quiet()  # and drawn: see the next test for a terminal gone while drawing
    terminal.hang_up()
    assert _ended_within(terminal.process, 2.0) < 1.0  # a clean exit (the fallback ends it at 1 s)
    assert terminal.process.returncode == 129  # 128 + SIGHUP: it ended by its own hand


@pytest.mark.parametrize("terminal", ["controlling", "hup-ignored"], indirect=True)
def test_the_app_ends_when_its_terminal_goes_away_while_the_first_screen_is_drawn(terminal: Terminal) -> None:
    """Frames are written then in quick succession, and Textual's shutdown can stall on its output
    thread (seen while writing to the hung-up terminal); the app still ends by its own hand, cleanly or
    by the fallback that ends it after a second."""
    terminal.wait_for(b"Quit")
    terminal.hang_up()
    assert _ended_within(terminal.process, 2.0) < 1.5
    assert terminal.process.returncode == 129


@pytest.mark.parametrize("terminal", ["controlling"], indirect=True)
def test_a_run_now_job_keeps_running_after_the_terminal_goes_away(terminal: Terminal, tmp_path: Path) -> None:
    terminal.wait_for(b"Run now")
    deadline = time.monotonic() + 30
    while read_pid(tmp_path / "grandchild.pid") is None:  # the screen may still be loading: press again
        assert time.monotonic() < deadline, "the job never started"
        terminal.type(b"r")
        time.sleep(0.5)
    terminal.wait_for(b"Cancel run")
    job, grandchild = read_pid(tmp_path / "job.pid"), read_pid(tmp_path / "grandchild.pid")
    assert job is not None and grandchild is not None
    terminal.hang_up()
    _ended_within(terminal.process, 2.0)
    time.sleep(0.3)
    assert alive(job) and alive(grandchild)
    assert (tmp_path / "prompt-alchemy-nightly.log").read_text().count(" manual\n") == 1
