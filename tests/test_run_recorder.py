"""The run recorder script run for real by /bin/sh (dash here) and `bash --posix`: the job's own exit
status is kept whatever happens to the record store, the pings or the process group, and each run is
recorded whole."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends import run_recorder
from prompt_alchemy_scheduler_tui.backends.run_markers import MarkerKind, parse_marker
from prompt_alchemy_scheduler_tui.backends.run_recorder import RunRecorder
from prompt_alchemy_scheduler_tui.backends.run_records import parse_records
from tests.ping_server import PingServer

SHELLS = [
    pytest.param(["/bin/sh"], id="sh"),
    pytest.param(
        ["bash", "--posix"],
        id="bash-posix",
        marks=pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash"),
    ),
]
GUARD = 60  # seconds: a hang guard, never a timing assertion


class Setup:
    """A state directory with the recorder script, its store's directory and the job's two logs."""

    def __init__(self, base: Path, shell: list[str]) -> None:
        self.base = base
        self.shell = shell
        self.recorder = RunRecorder(base / "state" / "run-nightly.sh", base / "state" / "runs" / "runs.log")
        self.recorder.records.parent.mkdir(parents=True, mode=0o700)
        self.recorder.script.write_text(self.recorder.script_text)
        self.stdout = base / "nightly.log"
        self.stderr = base / "nightly.error.log"

    def argv(self, *job: str, ping: str | None = None) -> list[str]:
        return [*self.shell, *self.recorder.scheduled_argv(list(job), ping)[1:]]

    def run(
        self, *job: str, ping: str | None = None, env: dict[str, str] | None = None, user: str | None = None
    ) -> int:
        prefix = ["runuser", "-u", user, "--"] if user else []
        with self.stdout.open("ab") as out, self.stderr.open("ab") as err:
            return subprocess.run(
                [*prefix, *self.argv(*job, ping=ping)],
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                env=env,
                timeout=GUARD,
                check=False,
            ).returncode

    def records(self) -> list[str]:
        return self.recorder.records.read_text().splitlines() if self.recorder.records.is_file() else []

    def markers(self, log: Path) -> list[tuple[str, MarkerKind, str]]:
        found = [parse_marker(line) for line in log.read_text().splitlines()]
        return [(m.run_id, m.kind, m.detail) for m in found if m is not None]


@pytest.fixture(params=SHELLS)
def setup(request: pytest.FixtureRequest, tmp_path: Path) -> Setup:
    return Setup(tmp_path, request.param)


def _job(tmp_path: Path, body: str) -> str:
    """An executable job script: `body` after a /bin/sh line."""
    path = tmp_path / f"job-{abs(hash(body))}.sh"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return str(path)


@pytest.mark.parametrize(
    ("job", "status"),
    [
        (["true"], 0),
        (["false"], 1),
        (["sh", "-c", "exit 42"], 42),
        (["/nonexistent/prompt-alchemy", "nightly"], 127),
        (["{plain file}"], 126),  # a file that is not executable
        (["timeout", "1", "sleep", "30"], 124),
    ],
    ids=["ok", "failed", "exit-42", "missing-binary", "not-executable", "timeout"],
)
def test_the_jobs_exit_status_is_kept_recorded_and_marked_in_both_logs(
    setup: Setup, job: list[str], status: int, tmp_path: Path
) -> None:
    plain = tmp_path / "plain-file"
    plain.write_text("echo not run\n")
    job = [str(plain) if word == "{plain file}" else word for word in job]
    before = int(time.time())
    assert setup.run(*job) == status
    start, end = setup.records()
    _, kind, run_id, trigger, started, pid = start.split(" ")
    assert (kind, trigger, run_id) == ("start", "scheduled", f"{started}-{pid}")
    assert before <= int(started) <= time.time()
    assert end.split(" ") == ["v1", "end", run_id, "scheduled", started, end.split(" ")[5], str(status)]
    assert int(started) <= int(end.split(" ")[5]) <= time.time()
    for log in (setup.stdout, setup.stderr):
        assert setup.markers(log) == [
            (run_id, MarkerKind.STARTED, "scheduled"),
            (run_id, MarkerKind.ENDED, f"exit {status}"),
        ]
    (record,) = parse_records(setup.recorder.records.read_bytes()).runs
    assert (record.run_id, record.exit_status, record.trigger) == (run_id, status, "scheduled")


def test_the_jobs_output_lands_between_its_markers(setup: Setup, tmp_path: Path) -> None:
    job = _job(tmp_path, 'echo "to stdout $1"; echo "to stderr" >&2')
    assert setup.run(job, "two words") == 0
    out = setup.stdout.read_text().splitlines()
    assert out[0].endswith(" scheduled") and out[1] == "to stdout two words" and out[2].endswith(" exit 0")
    assert setup.stderr.read_text().splitlines()[1] == "to stderr"


def test_run_now_runs_the_same_script_inline_as_a_manual_run(tmp_path: Path) -> None:
    recorder = RunRecorder(tmp_path / "run-nightly.sh", tmp_path / "runs" / "runs.log")
    recorder.records.parent.mkdir()
    result = subprocess.run(recorder.manual_argv(["sh", "-c", "exit 7"]), capture_output=True, timeout=GUARD)
    assert result.returncode == 7 and not recorder.script.exists()
    (record,) = parse_records(recorder.records.read_bytes()).runs
    assert (record.trigger, record.exit_status) == ("manual", 7)


@pytest.mark.parametrize(
    ("sent", "status"),
    [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)],
    ids=["TERM", "INT", "HUP"],
)
def test_a_signal_to_the_whole_process_group_is_recorded_by_the_surviving_recorder(
    setup: Setup, sent: signal.Signals, status: int
) -> None:
    with setup.stdout.open("ab") as out, setup.stderr.open("ab") as err:
        process = subprocess.Popen(
            setup.argv("sleep", "30"),
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            _wait_for(lambda: any(p.name == "sleep" for p in _children(process.pid)))
            os.killpg(process.pid, sent)
            assert process.wait(timeout=GUARD) == status
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
    _, end = setup.records()
    assert end.startswith("v1 end ") and end.endswith(f" {status}")
    assert setup.markers(setup.stdout)[-1][1:] == (MarkerKind.ENDED, f"exit {status}")


def test_a_missing_store_directory_costs_the_record_not_the_run(setup: Setup) -> None:
    shutil.rmtree(setup.recorder.records.parent)
    assert setup.run("sh", "-c", "echo ran; exit 3") == 3
    assert "ran" in setup.stdout.read_text() and len(setup.markers(setup.stdout)) == 2
    assert not setup.recorder.records.parent.exists()


def test_a_directory_where_the_store_should_be_costs_the_record_not_the_run(setup: Setup) -> None:
    setup.recorder.records.mkdir()
    assert setup.run("sh", "-c", "echo ran; exit 3") == 3
    assert "ran" in setup.stdout.read_text()
    assert list(setup.recorder.records.iterdir()) == []


def test_a_fifo_planted_as_the_store_does_not_hang_the_job(setup: Setup) -> None:
    """Opening a FIFO for writing waits for a reader for ever: the job would never run."""
    os.mkfifo(setup.recorder.records)
    assert setup.run("sh", "-c", "echo ran; exit 3") == 3
    assert "ran" in setup.stdout.read_text()
    assert len(setup.markers(setup.stdout)) == 2


def test_a_symbolic_link_planted_as_the_store_is_not_written_through(setup: Setup, tmp_path: Path) -> None:
    """The store's directory is the user's own 0700 directory, so only they could plant it; but readers
    refuse a link (O_NOFOLLOW), so appending through one would only add lines to another file."""
    other = tmp_path / "bashrc"
    other.write_text("alias ll='ls -l'\n")
    setup.recorder.records.symlink_to(other)
    assert setup.run("false") == 1
    assert other.read_text() == "alias ll='ls -l'\n"
    assert setup.recorder.records.is_symlink()


def test_a_store_directory_the_job_cannot_write_costs_the_record_not_the_run(shell_user_dir: Path) -> None:
    setup = Setup(shell_user_dir, ["/bin/sh"])
    for path in (shell_user_dir, setup.recorder.script.parent):
        path.chmod(0o755)
    setup.recorder.records.parent.chmod(0o700)  # root's: nobody can neither read nor write it
    for log in (setup.stdout, setup.stderr):
        log.touch()
        shutil.chown(log, "nobody")
    assert setup.run("sh", "-c", "echo ran; exit 3", user="nobody") == 3
    assert "ran" in setup.stdout.read_text() and len(setup.markers(setup.stderr)) == 2
    assert setup.records() == []


@pytest.fixture
def shell_user_dir() -> Iterator[Path]:
    """A directory other users can enter (tmp_path is root's private one), for runs as `nobody`."""
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("needs root and runuser to run the job as another user")
    folder = Path(tempfile.mkdtemp(prefix="pa-recorder-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def tiny_disk() -> Iterator[Path]:
    """A 64 KiB tmpfs: a disk that fills up."""
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a tmpfs")
    folder = Path(tempfile.mkdtemp(prefix="pa-full-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], check=False)
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)
        folder.rmdir()


def _fill(disk: Path) -> Path:
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(descriptor, b"\0" * 512):
            pass
    except OSError:
        pass
    finally:
        os.close(descriptor)
    return filler


def test_on_a_full_disk_the_job_runs_and_keeps_its_status(tiny_disk: Path, tmp_path: Path) -> None:
    setup = Setup(tiny_disk, ["/bin/sh"])
    setup.stdout, setup.stderr = tmp_path / "out.log", tmp_path / "err.log"
    _fill(tiny_disk)
    assert setup.run("sh", "-c", "echo ran; exit 5") == 5
    assert "ran" in setup.stdout.read_text() and len(setup.markers(setup.stdout)) == 2
    assert setup.records() == []


def test_a_line_torn_by_a_full_disk_does_not_hide_the_next_run(tiny_disk: Path, tmp_path: Path) -> None:
    """The store ends a few bytes short of a page: the next append fills the page and stops mid-line
    (no newline); once space is free again the next record is glued to the torn one."""
    setup = Setup(tiny_disk, ["/bin/sh"])
    setup.stdout, setup.stderr = tmp_path / "out.log", tmp_path / "err.log"
    setup.recorder.records.write_text("v1 installed 1764122400 cron\n".ljust(4080, "#") + "\n")
    filler = _fill(tiny_disk)
    assert setup.run("false") == 1
    filler.unlink()
    assert setup.run("sh", "-c", "exit 4") == 4
    book = parse_records(setup.recorder.records.read_bytes())
    assert book.runs[-1].exit_status == 4
    assert book.skipped_lines <= 1  # the installed line's padding, nothing of the runs


def test_overlapping_runs_are_both_recorded_whole(setup: Setup) -> None:
    with setup.stdout.open("ab") as out, setup.stderr.open("ab") as err:
        runs = [
            subprocess.Popen(setup.argv("sh", "-c", f"sleep 1; exit {n}"), stdout=out, stderr=err)
            for n in (2, 3)
        ]
        assert sorted(run.wait(timeout=GUARD) for run in runs) == [2, 3]
    book = parse_records(setup.recorder.records.read_bytes())
    assert book.skipped_lines == 0 and len(setup.records()) == 4
    assert sorted(run.exit_status for run in book.runs if run.exit_status is not None) == [2, 3]
    assert len({run.run_id for run in book.runs}) == 2
    assert len(setup.markers(setup.stdout)) == 4


def test_the_store_is_trimmed_to_its_newest_2000_lines_once_past_4000(setup: Setup) -> None:
    old = [f"v1 end {n}-1 scheduled {n} {n + 1} 0" for n in range(1_700_000_000, 1_700_004_100)]
    setup.recorder.records.write_text("\n".join(old) + "\n")
    assert setup.run("sh", "-c", "exit 9") == 9
    lines = setup.records()
    assert len(lines) == 2 * run_recorder.KEEP_RUNS
    assert lines[:-2] == old[-(len(lines) - 2) :]
    assert lines[-2].startswith("v1 start ") and lines[-1].startswith("v1 end ") and lines[-1].endswith(" 9")
    assert not list(setup.recorder.records.parent.glob("runs.log.*"))  # no temporary file left


def test_a_store_below_the_trim_threshold_is_left_alone(setup: Setup) -> None:
    old = [f"v1 end {n}-1 scheduled {n} {n + 1} 0" for n in range(1_700_000_000, 1_700_003_990)]
    setup.recorder.records.write_text("\n".join(old) + "\n")
    assert setup.run("true") == 0
    assert setup.records()[:-2] == old


# --- pings --------------------------------------------------------------------------------------


def test_a_ping_goes_to_url_start_then_url_status(setup: Setup, ping_server: PingServer) -> None:
    assert setup.run("sh", "-c", "exit 3", ping=ping_server.url) == 3
    assert setup.run("true", ping=ping_server.url) == 0
    assert ping_server.paths == ["/ping/abc/start", "/ping/abc/3", "/ping/abc/start", "/ping/abc/0"]


def test_a_ping_to_a_dead_port_never_changes_the_status(setup: Setup) -> None:
    if shutil.which("curl") is None:
        pytest.skip("needs curl")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    began = time.monotonic()
    assert setup.run("sh", "-c", "echo ran; exit 6", ping=f"http://127.0.0.1:{port}/x") == 6
    assert time.monotonic() - began < 20  # refused at once, not retried
    assert "ran" in setup.stdout.read_text() and setup.records()[-1].endswith(" 6")


def test_a_ping_to_a_server_that_never_answers_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """curl's --max-time per attempt and two retries bound each ping; with a 1 s limit (10 s as
    installed) a listener that never answers costs about 6 s a ping, 12 s a run."""
    if shutil.which("curl") is None:
        pytest.skip("needs curl")
    monkeypatch.setattr(run_recorder, "PING_SECONDS", 1)
    setup = Setup(tmp_path, ["/bin/sh"])
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # accepted by the kernel, never read nor answered
        began = time.monotonic()
        status = setup.run(
            "sh", "-c", "echo ran; exit 6", ping=f"http://127.0.0.1:{silent.getsockname()[1]}/x"
        )
        took = time.monotonic() - began
    assert status == 6 and "ran" in setup.stdout.read_text()
    assert 4 <= took < 30, took
    assert setup.records()[-1].endswith(" 6")


def test_without_curl_on_path_the_job_runs_and_is_recorded(setup: Setup, tmp_path: Path) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    for name in ("date", "wc", "tail", "mv", "rm", "sh", "bash", "sleep"):
        found = shutil.which(name)
        if found:
            (tools / name).symlink_to(found)
    environment = {"PATH": str(tools), "LC_ALL": "C"}
    assert setup.run("/bin/sh", "-c", "echo ran; exit 8", ping="http://127.0.0.1:9/x", env=environment) == 8
    assert "ran" in setup.stdout.read_text()
    assert setup.records()[-1].endswith(" 8")
    assert "curl" not in setup.stderr.read_text()


def _children(pid: int) -> list[_Process]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        if parent == pid:
            found.append(_Process(int(entry.name), name))
    return found


class _Process:
    def __init__(self, pid: int, name: str) -> None:
        self.pid, self.name = pid, name


def _wait_for(condition: object, seconds: float = GUARD) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_a_job_given_its_own_path_is_recorded_and_sees_its_environment_unchanged(
    setup: Setup, tmp_path: Path
) -> None:
    """The recorder finds date, wc, tail and mv in the standard directories whatever PATH the job was
    given (`--env PATH=/opt/bin`), and hands the job its environment as it came: PATH as given (or
    unset), and an inherited variable named like one of the recorder's own untouched."""
    dump = tmp_path / "env.txt"
    job = _job(tmp_path, f'/usr/bin/env > "{dump}"')
    setup.shell = [shutil.which(setup.shell[0]) or setup.shell[0], *setup.shell[1:]]  # no PATH to find it
    assert setup.run(job, env={"PATH": "/opt/nothing", "records": "mine", "status": "x"}) == 0
    (start, end) = setup.records()
    assert start.split(" ")[1] == "start" and end.split(" ")[-1] == "0"
    seen = dict(line.split("=", 1) for line in dump.read_text().splitlines() if "=" in line)
    assert (seen["PATH"], seen["records"], seen["status"]) == ("/opt/nothing", "mine", "x")
    assert "not found" not in setup.stderr.read_text()
    assert setup.run(job, env={}) == 0
    assert "PATH" not in dict(line.split("=", 1) for line in dump.read_text().splitlines() if "=" in line)
    assert len(setup.records()) == 4


def test_runs_starting_together_on_a_new_store_all_record_their_start(setup: Setup) -> None:
    """The first runs on a store that does not exist yet: each asks "absent, or a regular file?" while
    another may be creating it. Asked as "-f, else absent", a run could see neither and skip its start
    line (seen once in about 10 runs of the overlapping-runs test on a loaded machine; the window is a
    few microseconds, so this stress does not catch it every time); asked the other way round the
    answer cannot fall in between."""
    for _ in range(15):
        setup.recorder.records.unlink(missing_ok=True)
        with setup.stdout.open("ab") as out, setup.stderr.open("ab") as err:
            runs = [subprocess.Popen(setup.argv("true"), stdout=out, stderr=err) for _ in range(8)]
            assert [run.wait(timeout=GUARD) for run in runs] == [0] * 8
        lines = setup.records()
        assert sorted(line.split(" ")[1] for line in lines) == ["end"] * 8 + ["start"] * 8, lines
