"""Logs planted by another user: appending never follows a link, never blocks, never writes a foreign file.

Every attack is built for real in tmp_path (links, FIFOs, sockets, hard links, files of uid 65534).
"""

from __future__ import annotations

import os
import socket
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from prompt_alchemy_scheduler_tui.backends.log_files import LogState, discover_logs, inspect_log
from prompt_alchemy_scheduler_tui.backends.log_follow import FollowEventKind, LogFollower
from prompt_alchemy_scheduler_tui.backends.log_safety import (
    UnsafeLogError,
    log_problems,
    open_log_for_append,
    open_log_for_reading,
    private_log_directory,
)
from prompt_alchemy_scheduler_tui.backends.log_tail import last_lines
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from prompt_alchemy_scheduler_tui.backends.run_now import run_job_now, scheduler_environment

AS_ROOT = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a file to another uid")
NOBODY = 65534
T = TypeVar("T")


def _refused(path: Path) -> str:
    with pytest.raises(UnsafeLogError) as caught:
        open_log_for_append(path)
    message = str(caught.value)
    assert "Errno" not in message and "Nothing was written" in message
    return message


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file of yours outside the log directory, e.g. ~/.bashrc."""
    path = tmp_path / "home-of-victim" / ".bashrc"
    path.parent.mkdir()
    path.write_text("export PATH=$HOME/bin:$PATH\n")
    return path


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    directory = tmp_path / "shared"
    directory.mkdir()
    return directory


@pytest.fixture
def fifo_with_reader(logs: Path) -> Iterator[Path]:
    """A FIFO someone holds open for reading, so a non-blocking open for writing succeeds."""
    path = logs / "prompt-alchemy-nightly.log"
    os.mkfifo(path)
    reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        yield path
    finally:
        os.close(reader)


def test_a_new_log_is_created_private_and_appended_to(logs: Path) -> None:
    path = logs / "prompt-alchemy-nightly.log"
    with open_log_for_append(path) as handle:
        handle.write(b"one\n")
    with open_log_for_append(path) as handle:
        handle.write(b"two\n")
    assert path.read_text() == "one\ntwo\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert log_problems(path) == []


def test_a_symlink_to_your_own_file_is_refused_and_the_file_is_untouched(logs: Path, victim: Path) -> None:
    path = logs / "prompt-alchemy-nightly.log"
    path.symlink_to(victim)
    message = _refused(path)
    assert f"{path} is a symbolic link to {victim}" in message
    assert str(private_log_directory()) in message
    assert victim.read_text() == "export PATH=$HOME/bin:$PATH\n"
    assert any("symbolic link" in problem for problem in log_problems(path))


def test_a_dangling_symlink_is_refused_and_its_target_not_created(logs: Path, tmp_path: Path) -> None:
    target = tmp_path / "would-be-created"
    path = logs / "prompt-alchemy-nightly.log"
    path.symlink_to(target)
    assert "is a symbolic link" in _refused(path)
    assert not target.exists()


def test_a_symlink_loop_is_refused(logs: Path) -> None:
    path = logs / "prompt-alchemy-nightly.log"
    path.symlink_to(logs / "loop")
    (logs / "loop").symlink_to(path)
    assert "is a symbolic link" in _refused(path)


def test_a_directory_named_like_a_log_is_refused(logs: Path) -> None:
    path = logs / "prompt-alchemy-nightly.log"
    path.mkdir()
    assert f"{path} is a directory, not a log file" in _refused(path)


def test_a_fifo_without_a_reader_is_refused_without_blocking(logs: Path) -> None:
    path = logs / "prompt-alchemy-nightly.log"
    os.mkfifo(path)
    assert f"{path} is a FIFO (named pipe), not a log file" in _refused(path)


def test_a_fifo_with_a_reader_is_refused_after_opening(fifo_with_reader: Path) -> None:
    assert "is a FIFO (named pipe), not a log file" in _refused(fifo_with_reader)


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.log"  # sockets have short path limits: keep it near tmp_path
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        assert f"{path} is a socket, not a log file" in _refused(path)
        with pytest.raises(UnsafeLogError, match="is a socket, not a log file: not opened"):
            open_log_for_reading(path)
    finally:
        server.close()


@AS_ROOT
def test_a_file_of_another_user_is_refused(logs: Path) -> None:
    path = logs / "prompt-alchemy-nightly.log"
    path.write_text("planted\n")
    os.chown(path, NOBODY, NOBODY)
    assert f"uid {NOBODY}), not to you" in _refused(path)
    assert path.read_text() == "planted\n"


@AS_ROOT
def test_a_file_writable_by_a_group_that_is_not_yours_is_refused(logs: Path) -> None:
    path = logs / "prompt-alchemy-nightly.log"
    path.write_text("")
    os.chown(path, os.getuid(), NOBODY)
    path.chmod(0o664)
    assert f"(gid {NOBODY}): its members can change it" in _refused(path)


def test_a_world_writable_file_is_refused(logs: Path) -> None:
    path = logs / "prompt-alchemy-nightly.log"
    path.write_text("")
    path.chmod(0o666)
    assert "is writable by every user" in _refused(path)
    assert path.read_text() == ""


def test_a_hard_link_to_your_file_is_refused(logs: Path, victim: Path) -> None:
    path = logs / "prompt-alchemy-nightly.log"
    os.link(victim, path)
    assert "has 2 hard links" in _refused(path)
    assert victim.read_text() == "export PATH=$HOME/bin:$PATH\n"


def test_in_a_shared_directory_the_message_says_anyone_can_plant(logs: Path, victim: Path) -> None:
    logs.chmod(0o1777)
    path = logs / "prompt-alchemy-nightly.log"
    path.symlink_to(victim)
    assert f"{logs} is shared by every user, so anyone can plant such a file there" in _refused(path)


def test_log_problems_never_follows_or_opens(logs: Path, victim: Path, fifo_with_reader: Path) -> None:
    assert log_problems(logs / "missing.log") == []
    link = logs / "link.log"
    link.symlink_to(fifo_with_reader)
    assert log_problems(link) == [
        f"{link} is a symbolic link to {fifo_with_reader}: the job would write into that file instead"
    ]
    assert log_problems(fifo_with_reader) == [f"{fifo_with_reader} is a FIFO (named pipe), not a log file"]


def test_a_directory_anyone_may_replace_files_in_is_a_problem(logs: Path) -> None:
    logs.chmod(0o777)  # world-writable without the sticky bit
    assert log_problems(logs / "prompt-alchemy-nightly.log") == [
        f"its directory {logs} is writable by every user and not sticky: anyone can replace it"
    ]


def test_the_private_log_directory_is_made_0700_and_used_for_new_logs(isolated_home: Path) -> None:
    directory = private_log_directory()
    assert directory == isolated_home / "xdg_state_home" / "prompt-alchemy-scheduler-tui" / "logs"
    assert not directory.exists()
    with open_log_for_append(directory / "prompt-alchemy-nightly.log") as handle:
        handle.write(b"x\n")
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    directory.chmod(0o755)
    assert private_log_directory(create=True) == directory
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700


def _job(logs: Path, binary: Path) -> NightlyJob:
    return NightlyJob(
        schedule="0 2 * * *",
        binary=binary,
        config=binary.parent.parent / "config.yaml",
        stdout_log=logs / "prompt-alchemy-nightly.log",
        stderr_log=logs / "prompt-alchemy-nightly.error.log",
    )


def test_run_now_appends_to_both_logs(logs: Path, stand_in_binary: Path) -> None:
    job = _job(logs, stand_in_binary)
    result = run_job_now(job, scheduler_environment(job, "/usr/bin:/bin", Path.home()))
    assert result.exit_status == 0
    lines = job.stdout_log.read_text().splitlines()
    assert lines[0].startswith("[prompt-alchemy-scheduler-tui] run now ")
    assert lines[1] == f"nightly ran: --config {job.config} nightly"
    assert job.stderr_log.read_text() == ""


@pytest.mark.parametrize("planted", ["stdout", "stderr"])
def test_run_now_refuses_a_planted_symlink_for_either_log(
    logs: Path, victim: Path, stand_in_binary: Path, planted: str
) -> None:
    job = _job(logs, stand_in_binary)
    link = job.stdout_log if planted == "stdout" else job.stderr_log
    link.symlink_to(victim)
    with pytest.raises(UnsafeLogError, match=f"{link} is a symbolic link to {victim}"):
        run_job_now(job, scheduler_environment(job, "/usr/bin:/bin", Path.home()))
    assert victim.read_text() == "export PATH=$HOME/bin:$PATH\n"
    other = job.stderr_log if planted == "stdout" else job.stdout_log
    assert not other.exists()  # nothing was written, not even an empty log


def test_run_now_names_the_problems_of_both_logs(logs: Path, victim: Path, stand_in_binary: Path) -> None:
    job = _job(logs, stand_in_binary)
    job.stdout_log.symlink_to(victim)
    os.mkfifo(job.stderr_log)
    with pytest.raises(UnsafeLogError) as caught:
        run_job_now(job, scheduler_environment(job, "/usr/bin:/bin", Path.home()))
    assert "symbolic link" in str(caught.value) and "is a FIFO (named pipe)" in str(caught.value)


# Reading: a planted FIFO, device or socket is never opened, so nothing blocks.


def _returns(function: Callable[[], T]) -> T:
    """Run `function` in a thread; a hang guard (a blocked open would never return), not a timing test."""
    results: list[T] = []
    thread = threading.Thread(target=lambda: results.append(function()), daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert results, "blocked: the call did not return"
    return results[0]


def test_inspecting_a_fifo_reports_it_without_opening_it(logs: Path) -> None:
    path = logs / "prompt-alchemy-nightly-x.log"
    os.mkfifo(path)
    info = _returns(lambda: inspect_log(path))
    assert info.state is LogState.UNREADABLE
    assert info.warnings == (f"{path} is a FIFO (named pipe), not a log file: not opened",)


def test_discovery_lists_a_planted_fifo_as_unreadable(logs: Path) -> None:
    (logs / "prompt-alchemy-nightly.log").write_text("ok\n")
    os.mkfifo(logs / "prompt-alchemy-nightly-x.log")
    found = _returns(lambda: {info.path.name: info.state for info in discover_logs(logs)})
    assert found["prompt-alchemy-nightly-x.log"] is LogState.UNREADABLE
    assert found["prompt-alchemy-nightly.log"] is LogState.PRESENT


def test_a_symlink_to_a_fifo_or_a_device_is_not_opened(logs: Path, fifo_with_reader: Path) -> None:
    for target in (fifo_with_reader, Path("/dev/zero")):
        link = logs / f"link-to-{target.name}.log"
        link.symlink_to(target)
        info = _returns(lambda link=link: inspect_log(link))  # type: ignore[misc]
        assert info.state is LogState.UNREADABLE
        assert "not a log file: not opened" in info.warnings[-1]
        with pytest.raises(UnsafeLogError):
            last_lines(link, 10)


def test_a_symlink_to_your_own_log_is_still_shown_with_a_warning(logs: Path, victim: Path) -> None:
    link = logs / "prompt-alchemy-nightly.log"
    link.symlink_to(victim)
    info = inspect_log(link)
    assert info.state is LogState.PRESENT and "is a symbolic link" in info.warnings[0]
    assert last_lines(link, 1).lines == ("export PATH=$HOME/bin:$PATH",)


def test_a_symlink_loop_or_dangling_link_is_reported_in_words(logs: Path) -> None:
    loop, dangling = logs / "loop.log", logs / "dangling.log"
    loop.symlink_to(loop)
    dangling.symlink_to(logs / "nowhere")
    looped = inspect_log(loop)
    assert looped.state is LogState.UNREADABLE
    assert looped.warnings[-1] == "cannot read: Too many levels of symbolic links"
    assert inspect_log(dangling).state is LogState.MISSING
    assert "is a symbolic link" in inspect_log(dangling).warnings[0]


def test_following_a_path_that_becomes_a_fifo_warns_and_never_blocks(logs: Path) -> None:
    path = logs / "prompt-alchemy-nightly.log"
    path.write_text("before\n")
    follower = LogFollower(path)
    path.unlink()
    os.mkfifo(path)
    events = _returns(follower.poll)
    assert [event.kind for event in events] == [FollowEventKind.ROTATED, FollowEventKind.WARNING]
    assert events[1].message == f"{path} is a FIFO (named pipe), not a log file: not opened"
    assert _returns(follower.poll) == []


def test_a_private_log_directory_replaced_by_a_symlink_is_refused(isolated_home: Path, logs: Path) -> None:
    directory = private_log_directory()
    directory.parent.mkdir(parents=True)
    directory.symlink_to(logs)
    with pytest.raises(UnsafeLogError, match="is a symbolic link"):
        open_log_for_append(directory / "prompt-alchemy-nightly.log")
    assert list(logs.iterdir()) == []
